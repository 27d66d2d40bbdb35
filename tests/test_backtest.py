"""Backtest: point in time (no leakage), the same scoring as the mart, and honest metrics."""

from __future__ import annotations

import json
import os

import pytest
from sklearn.metrics import roc_auc_score

import test_end_to_end_tiny as tiny
from helpers import copy_project, dbt, load_raw, query

from leadscore import olist as load_olist
from leadscore.scratch import build_models
from leadscore import report

D = tiny.AS_OF  # 2026-03-31
LATER = "2026-06-30"

# What happens after D: new events worth many points (one resolved by email), a new version of
# T2 (a VP with budget), a new lead, an opportunity for T2 inside the horizon and one for T6
# after it.
AFTER_D_EVENTS = [
    tiny.event("late1", "demo_requested", "2026-04-02 10:00:00", "T2"),
    tiny.event("late2", "trial_started", "2026-04-03 10:00:00", "T6"),
    tiny.event("late3", "contact_sales", "2026-04-03 11:00:00", email="frank@stark.com"),
]
AFTER_D_LEADS = [
    tiny.lead("T2", "2026-01-12 10:00:00", "2026-04-05 09:00:00", email="bob@globex.de",
              job_title="VP Sales", industry="Software", employee_count=500, country="US",
              lead_source="referral", budget_confirmed=True, purchase_timeline="now"),
    tiny.lead("T10", "2026-04-20 08:00:00", email="new@acme.com", job_title="CEO"),
]
AFTER_D_OPPORTUNITIES = [
    {"opportunity_id": "o3", "lead_id": "T2", "created_at": "2026-05-01 10:00:00",
     "stage": "closed_won", "closed_at": "2026-06-01 10:00:00", "amount_usd": 10_000},
    {"opportunity_id": "o4", "lead_id": "T6", "created_at": "2026-07-15 10:00:00",
     "stage": "open", "closed_at": None, "amount_usd": None},
]

BACKTEST_COLUMNS = """lead_id, fit_score, engagement_score, lead_score, fit_grade,
    engagement_level, lifecycle_stage, is_hot"""


def backtest_build(project, db):
    return dbt(project, db, "build", "--vars",
               json.dumps({"score_as_of": LATER, "backtest_as_of": D}))


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("leakage")
    project = copy_project(root / "project")
    before_db, after_db = root / "before.duckdb", root / "after.duckdb"
    load_raw(before_db, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    load_raw(after_db, tiny.LEADS + AFTER_D_LEADS, tiny.EVENTS + AFTER_D_EVENTS,
             tiny.OPPORTUNITIES + AFTER_D_OPPORTUNITIES)
    # Models only before; every data test on the build with the later data.
    build_models(project, before_db, {"score_as_of": LATER, "backtest_as_of": D})
    backtest_build(project, after_db)
    return before_db, after_db


def rows(db, sql):
    return {row[0]: row[1:] for row in query(db, sql)}


def test_backtest_scores_are_the_mart_scores_as_of_d(two_builds):
    before, _ = two_builds
    got = rows(before, f"select {BACKTEST_COLUMNS} from marts.backtest_lead_outcomes")
    # T1 already had an opportunity on D: no longer a forecast, so not in the backtest.
    assert set(got) == set(tiny.EXPECTED) - {"T1"}
    for lead_id, values in got.items():
        fit, engagement, score, grade, level, stage, hot, _ = tiny.EXPECTED[lead_id]
        assert values[0] == pytest.approx(fit, abs=1e-9), lead_id
        assert values[1] == pytest.approx(engagement, abs=1e-9), lead_id
        assert values[2] == pytest.approx(score, abs=1e-9), lead_id
        assert values[3:] == (grade, level, stage, hot), lead_id


def test_events_and_lead_updates_after_d_cannot_change_a_backtest_score(two_builds):
    before, after = two_builds
    sql = f"select {BACKTEST_COLUMNS} from marts.backtest_lead_outcomes"
    assert rows(after, sql) == rows(before, sql)
    # The later data is not ignored altogether: it changes today's scores and the outcomes.
    today = "select lead_id, lead_score, job_title from marts.qualified_leads"
    assert rows(after, today)["T2"] != rows(before, today)["T2"]
    assert "T10" in rows(after, today)
    outcomes = "select lead_id, is_converted, is_won from marts.backtest_lead_outcomes"
    assert rows(before, outcomes)["T2"] == (False, False)
    assert rows(after, outcomes)["T2"] == (True, True)
    # T6's opportunity opens after D + 90 days: outside the horizon.
    assert rows(after, outcomes)["T6"] == (False, False)


def test_auc_in_sql_matches_an_independent_computation(two_builds, tmp_path):
    _, after = two_builds
    outcomes = query(after, "select lead_score, fit_score, is_converted "
                            "from marts.backtest_lead_outcomes")
    labels = [int(row[2]) for row in outcomes]
    project = copy_project(tmp_path / "project")
    env = dict(os.environ, LEADSCORE_DUCKDB=str(after))
    compiled = report.compile_analyses(project, {"score_as_of": LATER, "backtest_as_of": D}, env)
    aucs = report.run_analyses(str(after), compiled, ["backtest_auc"])["backtest_auc"]
    auc = dict(zip(aucs["score_name"], aucs["auc"]))
    # Only T2 converted; its backtest lead_score 51.5 is the highest of T2-T6, so AUC = 1 there.
    assert auc["lead_score"] == pytest.approx(roc_auc_score(labels, [r[0] for r in outcomes]))
    assert auc["lead_score"] == pytest.approx(1.0)
    assert auc["fit_score"] == pytest.approx(roc_auc_score(labels, [r[1] for r in outcomes]))


@pytest.fixture(scope="module")
def olist(tmp_path_factory):
    if load_olist.default_data_dir() is None:
        pytest.skip("the Olist CSVs are not on this machine: set LEADSCORE_OLIST_DIR to the "
                    "folder holding olist_marketing_qualified_leads_dataset.csv")
    root = tmp_path_factory.mktemp("olist")
    project = copy_project(root / "project")
    db = root / "olist.duckdb"
    counts = load_olist.load(str(db))
    dbt_vars = {"score_as_of": "2018-11-30", "backtest_as_of": "2018-03-01"}
    dbt(project, db, "build", "--vars", json.dumps(dbt_vars))
    env = dict(os.environ, LEADSCORE_DUCKDB=str(db))
    compiled = report.compile_analyses(project, dbt_vars, env)
    return db, counts, report.run_analyses(str(db), compiled)


def test_olist_loads_without_hand_edits_and_every_lead_is_accounted_for(olist):
    db, counts, _ = olist
    assert counts["crm_leads"] == 8000 and counts["crm_opportunities"] == 842
    scored = query(db, "select count(*) from marts.qualified_leads")[0][0]
    rejected = query(db, "select count(*) from marts.rejected_rows where source_table = 'crm_leads'")[0][0]
    assert scored + rejected == 8000
    # Only first-contact information feeds the score: no deal-side column reached the raw tables.
    columns = {row[0] for row in query(db, "select column_name from information_schema.columns "
                                           "where table_schema = 'raw'")}
    assert not columns & {"business_segment", "lead_type", "lead_behaviour_profile",
                          "declared_monthly_revenue", "business_type"}


def test_olist_backtest_reports_an_auc(olist):
    db, _, results = olist
    auc = dict(zip(results["backtest_auc"]["score_name"], results["backtest_auc"]["auc"]))
    print("Olist backtest AUC:", auc)
    for name, value in auc.items():
        assert 0 < value < 1, name
    outcomes = query(db, "select lead_score, is_converted from marts.backtest_lead_outcomes")
    assert auc["lead_score"] == pytest.approx(
        roc_auc_score([int(r[1]) for r in outcomes], [r[0] for r in outcomes]))
    bands = results["backtest_conversion_by_band"]
    assert bands["leads"].sum() == len(outcomes)
