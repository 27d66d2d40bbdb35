"""Score history, stage changes, sales hand-off and account scores over two builds.

Build 1 scores as of D1 = 2026-03-31; then new events and a new lead arrive and build 2 scores
as of D2 = 2026-04-10. Every expected value was worked out by hand from the frozen seeds (the
shipped defaults; see test_end_to_end_tiny for the points):

- H1 (acme.com): Software 25 + 201-1000 employees 20 + revenue 50M-250M 10 + vp 18 + marketing
  10 + US 10 + referral 5 = fit 98, BANT complete. D1: no events, lead_score 49, but an MQL
  needs engagement (mql_min_engagement_score 10): lead. D2: demo_requested 25 + contact_sales 25
  on D2 = engagement 50, lead_score 74 -> SQL and hot, handed off.
- H2 (initech.io): Engineer -> individual contributor 3 + it_engineering 4, Education 0,
  5 employees 0, revenue 500k 0, IN 3, outbound 0 = fit 10; no events: lead_score 5 on both
  dates, so no second history row.
- H3 (initech.io): fit 10; demo_requested on D1: engagement 25, lead_score 17.5 (level 3).
  D2: 25 x 0.5^(10/45) = 21.4286..., lead_score 15.714...: moved by 1.79 >= 1 (the seed's
  history_min_score_change), so a second row, still a lead.
- H4 (acme.com): created between the builds, fit 98 without budget and no events: lead_score 49,
  a lead on D2.
"""

from __future__ import annotations

import duckdb
import pytest

from helpers import build, copy_project, dbt, load_raw, query
from leadscore.scratch import build_models

D1, D2 = "2026-03-31", "2026-04-10"
H3_ENGAGEMENT_D2 = 25 * 0.5 ** (10 / 45)

ICP = dict(job_title="VP, Marketing", industry="SaaS", employee_count=500,
           annual_revenue_usd=60_000_000, country="United States", lead_source="Referral",
           purchase_timeline="0-3 months", use_case="lead routing")
LOW = dict(job_title="Engineer", industry="Education", employee_count=5,
           annual_revenue_usd=500_000, country="IN", lead_source="outbound")


def lead(lead_id, created_at, **values):
    return {"lead_id": lead_id, "created_at": created_at, "updated_at": created_at, **values}


def event(event_id, event_type, occurred_at, lead_id):
    return {"event_id": event_id, "lead_id": lead_id, "email": None, "event_type": event_type,
            "occurred_at": occurred_at}


LEADS_1 = [
    lead("H1", "2026-01-10 09:00:00", email="ada@acme.com", company_domain="acme.com",
         company_name="Acme", budget_confirmed=True, **ICP),
    lead("H2", "2026-01-11 09:00:00", email="bo@initech.io", company_domain="initech.io",
         company_name="Initech", **LOW),
    lead("H3", "2026-01-12 09:00:00", email="cy@initech.io", company_domain="initech.io",
         company_name="Initech", **LOW),
]
EVENTS_1 = [event("x1", "demo_requested", "2026-03-31 10:00:00", "H3")]
LEADS_2 = LEADS_1 + [
    lead("H4", "2026-04-05 09:00:00", email="di@acme.com", company_domain="acme.com",
         company_name="Acme Corp", budget_confirmed=False, **ICP),
]
EVENTS_2 = EVENTS_1 + [
    event("x2", "demo_requested", "2026-04-10 10:00:00", "H1"),
    event("x3", "contact_sales", "2026-04-10 11:00:00", "H1"),
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    project = copy_project(root / "project")
    db = root / "history.duckdb"
    load_raw(db, LEADS_1, EVENTS_1, [])
    # Seeds and models: test_lifecycle_daily and make test run the data tests.
    build_models(project, db, {"score_as_of": D1})
    first = {
        "history": query(db, "select lead_id, cast(valid_from_date as varchar) from "
                             "marts.lead_score_history order by 1, 2"),
        "handoff": query(db, "select lead_id, lifecycle_stage, cast(stage_entered_date as varchar) "
                             "from marts.sales_handoff order by handoff_rank"),
    }
    load_raw(db, LEADS_2, EVENTS_2, [])
    build_models(project, db, {"score_as_of": D2})
    return project, db, first


def test_first_build_logs_every_lead_and_hands_off_nobody_on_fit_alone(builds):
    _, _, first = builds
    assert first["history"] == [("H1", D1), ("H2", D1), ("H3", D1)]
    assert first["handoff"] == []


def test_second_build_appends_only_the_changes(builds):
    _, db, _ = builds
    rows = query(db, """
        select lead_id, cast(valid_from_date as varchar), cast(valid_to_date as varchar),
               is_current, fit_score, engagement_score, lead_score, lead_score_change,
               fit_grade, engagement_level, lifecycle_stage, previous_lifecycle_stage,
               is_stage_change, is_hot
        from marts.lead_score_history order by lead_id, valid_from_date
    """)
    expected = [
        ("H1", D1, D2, False, 98, 0, 49, None, "A", 4, "lead", None, True, False),
        ("H1", D2, None, True, 98, 50, 74, 25, "A", 2, "sql", "lead", True, True),
        ("H2", D1, None, True, 10, 0, 5, None, "D", 4, "lead", None, True, False),
        ("H3", D1, D2, False, 10, 25, 17.5, None, "D", 3, "lead", None, True, False),
        ("H3", D2, None, True, 10, H3_ENGAGEMENT_D2, 5 + H3_ENGAGEMENT_D2 / 2,
         5 + H3_ENGAGEMENT_D2 / 2 - 17.5, "D", 3, "lead", "lead", False, False),
        ("H4", D2, None, True, 98, 0, 49, None, "A", 4, "lead", None, True, False),
    ]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got[:4] == want[:4], got
        for g, w in zip(got[4:8], want[4:8]):
            assert g == (None if w is None else pytest.approx(w, abs=1e-9)), got
        assert got[8:] == want[8:], got


def test_stage_changes_give_the_hand_off_dates_and_scores(builds):
    _, db, _ = builds
    rows = query(db, """
        select lead_id, lifecycle_stage, cast(stage_entered_date as varchar), stage_change_count,
               cast(became_mql_date as varchar), cast(became_mql_at as varchar), lead_score_at_mql,
               cast(became_sql_date as varchar), cast(became_sql_at as varchar), lead_score_at_sql
        from marts.lead_stage_changes order by lead_id
    """)
    assert rows == [
        # H1 went from lead straight to SQL on D2: its first MQL-or-better date is D2 too.
        ("H1", "sql", D2, 2, D2, "2026-04-10 11:00:00", 74.0, D2, "2026-04-10 11:00:00", 74.0),
        ("H2", "lead", D1, 1, None, None, None, None, None, None),
        ("H3", "lead", D1, 1, None, None, None, None, None, None),
        ("H4", "lead", D2, 1, None, None, None, None, None, None),
    ]


def test_handoff_lists_this_builds_mql_and_sql_with_reasons_in_plain_words(builds):
    _, db, _ = builds
    rows = query(db, """
        select handoff_rank, lead_id, lifecycle_stage, is_hot, reason_1, reason_2, reason_3
        from marts.sales_handoff order by handoff_rank
    """)
    # H1: contact_sales and demo_requested add 25 x 0.5 each to the lead score, Software
    # 25 x 0.5 too; ties go by component id (engagement before fit, then rule name).
    assert rows == [
        (1, "H1", "sql", True, "Asked to be contacted by sales, 1 time (+25.0 engagement points)",
         "Requested a demo, 1 time (+25.0 engagement points)",
         "Industry: Software (+25.0 fit points)"),
    ]


def test_account_scores(builds):
    _, db, _ = builds
    rows = query(db, """
        select account_domain, company_name, known_contacts, qualified_contacts,
               engaged_contacts, mql_contacts, sql_contacts, engaged_seniorities,
               engaged_departments, best_lead_score, average_lead_score, account_fit_score,
               engagement_score_total, account_engagement_score, account_score, account_stage
        from marts.account_scores order by account_domain
    """)
    h3 = 5 + H3_ENGAGEMENT_D2 / 2
    expected = [
        # Engagement 50 + 0 of a cap of 150 -> 33.33; 0.5 x 98 + 0.5 x 33.33. One engaged
        # contact in one seniority and one department: aware (25, 1, 1, 1), not engaged (2).
        ("acme.com", "Acme", 2, 2, 1, 1, 1, 1, 1, 74, 61.5, 98, 50, 100 * 50 / 150,
         49 + 50 * 50 / 150, "aware"),
        # H3 engaged (21.43 >= 10), H2 not; 0.5 x 10 + 0.5 x 14.29 = 12.14 < 25: target.
        ("initech.io", "Initech", 2, 2, 1, 0, 0, 1, 1, h3, (5 + h3) / 2, 10, H3_ENGAGEMENT_D2,
         100 * H3_ENGAGEMENT_D2 / 150, 5 + 50 * H3_ENGAGEMENT_D2 / 150, "target"),
    ]
    assert len(rows) == 2
    for got, want in zip(rows, expected):
        assert got[:9] == want[:9], got
        assert got[9:15] == pytest.approx(want[9:15], abs=1e-9), got
        assert got[15] == want[15]


def test_rebuilding_the_same_date_or_full_refresh_keeps_the_history(builds):
    project, db, _ = builds
    # logged_at left out: a rebuild of the latest date writes that date's rows again.
    history = "select * exclude (logged_at) from marts.lead_score_history order by history_id"
    before = query(db, history)
    build_models(project, db, {"score_as_of": D2})
    dbt(project, db, "run", "--full-refresh", "--vars", f'{{"score_as_of": "{D2}"}}')
    after = query(db, history)
    assert after == before
    # An older scoring date appends nothing: history moves forward only (every data test runs).
    build(project, db, D1)
    assert query(db, "select count(*) from intermediate.score_log") == [(6,)]


def test_the_score_log_of_an_earlier_release_is_carried_over(builds):
    """Before the score log was named score_log it was int_lead_states_logged: a warehouse
    holding only the old table keeps every row of it (the log cannot be recomputed)."""
    project, db, _ = builds
    # logged_at left out: the run rewrites the latest logged date's rows, as every rebuild does.
    log = "select * exclude (logged_at) from intermediate.score_log order by lead_id, score_as_of"
    logged = query(db, log)
    assert len(logged) == 6
    con = duckdb.connect(str(db))
    con.execute("alter table intermediate.score_log rename to int_lead_states_logged")
    con.close()
    run = dbt(project, db, "run", "--vars", f'{{"score_as_of": "{D2}"}}')
    assert ("Score log of an earlier release: \"history\".\"intermediate\".\"int_lead_states_logged\""
            " copied into \"history\".\"intermediate\".\"score_log\"") in run.output
    assert query(db, log) == logged
    assert query(db, "select count(*) from intermediate.int_lead_states_logged") == [(6,)]
    assert query(db, "select count(*) from marts.lead_score_history") == [(6,)]
    # Once carried over, later runs leave both tables alone and say nothing.
    run = dbt(project, db, "run", "-s", "stg_crm__leads", "--vars", f'{{"score_as_of": "{D2}"}}')
    assert "earlier release" not in run.output
