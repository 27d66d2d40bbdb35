"""Settled scoring dates: a past date (health month, backtest date) is stored and kept until raw
rows reach back before it or the seeds change; every incremental path equals --full-refresh; the
SQL a model compiles to does not depend on what the warehouse holds."""

from __future__ import annotations

import csv
import difflib
import json
import re
import shutil
from pathlib import Path

import duckdb

import test_end_to_end_tiny as tiny
from helpers import assert_same_rows, copy_project, dbt, load_raw, query
from leadscore import scratch

# On 2026-03-31 with the frozen seeds: the health months since the first lead of 2026-01-05 and
# the current date (the backtest date, 2025-12-31, is before every lead: no row).
DATES = ["2026-02-01", "2026-03-01", "2026-03-31"]
VARS = {"score_as_of": tiny.AS_OF}


def run(project: Path, db: Path, *extra: str) -> None:
    scratch.build_models(project, db, VARS, *extra)


def execute(db: Path, sql: str, params: list | None = None) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def add_event(db: Path, event_id: str, event_type: str, occurred_at: str, lead_id: str) -> None:
    execute(db, "insert into raw.marketing_events (event_id, lead_id, event_type, occurred_at) "
                "values (?, ?, ?, ?)", [event_id, lead_id, event_type, occurred_at])


def score_of(db: Path, date: str, lead_id: str) -> float:
    return query(db, "select lead_score from intermediate.int_leads_scored "
                     f"where score_as_of = '{date}' and lead_id = '{lead_id}'")[0][0]


def rounded(rows):
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]


def warehouse(db: Path) -> dict:
    """Every mart and the scores of every date, without run bookkeeping. lead_score_history is
    the append-only log of what each run scored (here five runs on one date against one), so it
    is the one mart a rebuild does not reproduce by design."""
    tables = [name for (name,) in query(
        db, "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' and table_name <> 'lead_score_history' order by 1")]
    found = {name: rounded(query(
        db, f"select * exclude (scoring_version) from marts.{name} order by all")
        if "scoring_version" in [c for (c,) in query(
            db, "select column_name from information_schema.columns "
                f"where table_schema = 'marts' and table_name = '{name}'")]
        else query(db, f"select * from marts.{name} order by all")) for name in tables}
    found["int_leads_scored"] = rounded(query(
        db, "select * exclude (inputs_fingerprint, scored_with) "
            "from intermediate.int_leads_scored order by all"))
    return found


def edit_seed(project: Path, path: str, change) -> None:
    target = project / "seeds" / path
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        change(row)
    with target.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_settled_dates_are_kept_and_every_incremental_path_equals_full_refresh(tmp_path):
    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    load_raw(db, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    run(project, db)
    assert [str(d) for (d,) in query(
        db, "select distinct score_as_of from intermediate.int_leads_scored order by 1")] == DATES

    # A day's events (on the current date only) score the current date and nothing else: a
    # stored past row marked by hand keeps its mark, the current date is scored again.
    execute(db, "update intermediate.int_leads_scored set lead_score = -1 "
                "where score_as_of = '2026-03-01' and lead_id = 'T2'")
    before = score_of(db, tiny.AS_OF, "T6")
    add_event(db, "n1", "demo_requested", "2026-03-31 15:00:00", "T6")
    run(project, db)
    assert score_of(db, "2026-03-01", "T2") == -1
    assert score_of(db, tiny.AS_OF, "T6") > before

    # A late event dated inside the judged month of February reaches back before 03-01: that
    # date (and the current one) are scored again, and the mark goes.
    add_event(db, "n2", "demo_requested", "2026-02-20 10:00:00", "T2")
    run(project, db)
    assert score_of(db, "2026-03-01", "T2") > 0

    # A new version of a lead created in January, known since 02-15 (a late CDC row), and a
    # seed edit between two runs (points and a half-life): incremental equals --full-refresh.
    execute(db, "insert into raw.crm_leads (lead_id, email, job_title, created_at, updated_at) "
                "values ('T6', 'frank@stark.com', 'Chief Executive Officer', "
                "'2026-01-15 08:00:00', '2026-02-15 08:00:00')")
    add_event(db, "n3", "email_click", "2026-02-25 10:00:00", "T6")

    def weights(row):
        if row["event_type"] == "demo_requested":
            row["points"] = str(float(row["points"]) * 1.2)
        if row["event_type"] == "email_click":
            row["half_life_days"] = "14"

    edit_seed(project, "engagement/engagement_weights.csv", weights)
    run(project, db)
    incremental = warehouse(db)

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(db, rebuilt)
    run(project, rebuilt, "--full-refresh")
    assert_same_rows(warehouse(rebuilt), incremental)
    assert incremental["int_leads_scored"], "nothing was compared"


def test_a_weight_edit_reads_no_event_again(tmp_path):
    """Points are applied to stored counts: after a points-only seed edit, the decayed counts
    (since the loss too) are not recomputed on any date, a value marked by hand stays, while
    the scores move. T1 lost a deal on 03-20, then requested a demo (25 points, capped at 25)
    and viewed 12 pages (1 point each, capped at 10) on 03-31."""
    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    load_raw(db, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    run(project, db)
    since_loss = ("select engagement_since_loss from intermediate.int_engagement_since_loss "
                  f"where score_as_of = '{tiny.AS_OF}' and lead_id = 'T1'")
    assert query(db, since_loss) == [(35.0,)]
    execute(db, "update intermediate.int_engagement_since_loss_counted set decayed_count = 3 "
                "where lead_id = 'T1' and rule_key = 'type:demo_requested'")
    execute(db, "update intermediate.int_engagement_counts_decayed set decayed_event_count = -1 "
                "where lead_id = 'T2'")

    def weights(row):
        if row["event_type"] == "demo_requested":
            row["points"] = "5"

    edit_seed(project, "engagement/engagement_weights.csv", weights)
    run(project, db)
    # The 3 marked demo requests x 5 points + the 10 of the page views (recounted: 1 x 5 + 10).
    assert query(db, since_loss) == [(25.0,)]
    assert {v for (v,) in query(db, "select decayed_event_count from "
                                    "intermediate.int_engagement_counts_decayed "
                                    "where lead_id = 'T2'")} == {-1}


def compiled_models(project: Path, db: Path) -> dict[str, str]:
    target = project / "target" / "compiled"
    shutil.rmtree(target, ignore_errors=True)
    dbt(project, db, "compile", "-s", "resource_type:model", "--vars", json.dumps(VARS))
    models = target / "leadscore" / "models"
    # The run's start time (processed_at, counted_at) differs between any two invocations.
    started = re.compile(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{6})?'")
    return {str(path.relative_to(models)): started.sub("'<run started>'", path.read_text())
            for path in models.rglob("*.sql") if ".yml" not in str(path)}


def test_compiled_sql_does_not_depend_on_the_warehouse_state(tmp_path):
    """The same project compiles to the same SQL on a warehouse where nothing is new and on one
    holding late raw events and seed tables loaded from other CSVs (what to recompute is
    decided in SQL when the query runs, not by run_query at compile time)."""
    project = copy_project(tmp_path / "project")
    # The same file name: DuckDB names the database after it, and relations carry the name.
    (tmp_path / "quiet").mkdir()
    (tmp_path / "busy").mkdir()
    quiet = tmp_path / "quiet" / "warehouse.duckdb"
    load_raw(quiet, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    run(project, quiet)
    busy = tmp_path / "busy" / "warehouse.duckdb"
    shutil.copy(quiet, busy)

    # busy: seeds loaded from an edited copy (another pricing pattern, other points), then
    # late events, one inside the judged month of February.
    edited = copy_project(tmp_path / "edited")

    def rules(row):
        row["page_url_pattern"] = "/pricing"
        row["points"] = "9"

    edit_seed(edited, "engagement/engagement_attribute_rules.csv", rules)
    dbt(edited, busy, "seed", "--vars", json.dumps(VARS))
    add_event(busy, "late1", "page_view", "2026-02-10 10:00:00", "T1")
    add_event(busy, "late2", "demo_requested", "2026-03-31 18:00:00", "T2")
    assert query(busy, "select count(*) from staging.engagement_attribute_rules "
                       "where page_url_pattern = '/pricing'")[0][0] > 0

    on_quiet = compiled_models(project, quiet)
    on_busy = compiled_models(project, busy)
    assert len(on_quiet) > 30
    assert sorted(on_busy) == sorted(on_quiet)
    differing = sorted(name for name in on_quiet if on_quiet[name] != on_busy[name])
    shown = "".join(difflib.unified_diff(
        on_quiet[differing[0]].splitlines(True), on_busy[differing[0]].splitlines(True),
        "quiet", "busy", n=1)) if differing else ""
    assert differing == [], shown
