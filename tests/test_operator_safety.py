"""Safe to run by anyone, on any schedule: user mistakes end in one line that names the fix,
a dev target never touches production, a broken load is not published, and paths and refs
reach SQL and the shell as data. Each case asserts the exact message or the corrected result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers import ROOT, build, copy_project, dbt, load_raw, query
from leadscore import build as build_script
from leadscore import impact
from leadscore import scratch
import test_end_to_end_tiny as tiny

# One more lead: a NUL byte in its name (a CSV export or a Postgres load breaks on it) and a
# country written in Cyrillic, which the shipped alias "россия" must match.
UNICODE_LEAD = tiny.lead("T20", "2026-02-01 08:00:00", email="zoe@yandex-corp.ru",
                         first_name="Zo\x00ë", last_name="Ива\x00нова", country=" РОССИЯ ",
                         job_title="Директор по маркетингу")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    work = tmp_path_factory.mktemp("safety")
    project = copy_project(work / "project")
    db = work / "prod.duckdb"
    load_raw(db, tiny.LEADS + [UNICODE_LEAD], tiny.EVENTS, tiny.OPPORTUNITIES)
    build(project, db, tiny.AS_OF)
    return project, db


def fresh_copy(warehouse, tmp_path):
    project, db = warehouse
    copy = tmp_path / "copy.duckdb"
    shutil.copy2(db, copy)
    return project, copy


def output(result) -> str:
    """What a dbt run (runner.DbtRun) or a command (subprocess) said."""
    text = result.output if hasattr(result, "output") else result.stdout + result.stderr
    return scratch_text(text)


def scratch_text(text: str) -> str:
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_nul_bytes_are_stripped_and_non_latin_aliases_match(warehouse):
    _, db = warehouse
    first, last, country = query(db, "select first_name, last_name, country_code "
                                     "from marts.qualified_leads where lead_id = 'T20'")[0]
    assert (first, last, country) == ("Zoë", "Иванова", "RU")


def test_a_dev_target_builds_its_own_schemas_and_never_writes_the_production_log(warehouse,
                                                                                  tmp_path):
    project, db = fresh_copy(warehouse, tmp_path)
    profile = project / "profiles.yml"
    original = profile.read_text()
    dev = tmp_path / "dev_project"
    shutil.copytree(project, dev)
    (dev / "profiles.yml").write_text(original + """
    dev:
      type: duckdb
      path: "{{ env_var('LEADSCORE_DUCKDB') }}"
      schema: dev_alice
      threads: 2
""")
    before = query(db, "select count(*), max(score_as_of) from intermediate.score_log")
    prod_leads = query(db, "select lead_id, lead_score, score_as_of from marts.qualified_leads "
                           "order by lead_id")
    dbt(dev, db, "build", "--target", "dev", "--resource-type", "seed", "--resource-type", "model",
        "--vars", json.dumps({"score_as_of": "2026-04-02"}))
    # Production is exactly as it was: its marts still score 2026-03-31, its log is untouched.
    assert query(db, "select lead_id, lead_score, score_as_of from marts.qualified_leads "
                     "order by lead_id") == prod_leads
    assert query(db, "select count(*), max(score_as_of) "
                     "from intermediate.score_log") == before
    # The dev build is complete, in schemas of its own.
    assert query(db, "select count(*), max(cast(score_as_of as varchar)) "
                     "from dev_alice_marts.qualified_leads") == [(len(prod_leads), "2026-04-02")]
    assert query(db, "select max(cast(score_as_of as varchar)) "
                     "from dev_alice_intermediate.score_log") == [("2026-04-02",)]


def test_empty_raw_tables_are_not_published(warehouse, tmp_path):
    project, db = fresh_copy(warehouse, tmp_path)
    published = query(db, "select count(*) from marts.qualified_leads")[0][0]
    con = duckdb.connect(str(db))
    for table in ("crm_leads", "marketing_events", "crm_opportunities"):
        con.execute(f"delete from raw.{table}")
    con.close()
    result = build(project, db, tiny.AS_OF, check=False)
    text = output(result)
    assert result.returncode == 1
    assert ("FAIL assert_raw_loads_accepted: source_table crm_leads, row_count 0, "
            f"last_accepted_row_count {len(tiny.LEADS) + 1}, refusal_reason fewer rows than raw_min_lead_rows, "
            "and 2 more rows like it (source_table crm_opportunities, marketing_events). "
            "Nothing was published") in text
    # The marts still hold the last good build.
    assert query(db, "select count(*) from marts.qualified_leads")[0][0] == published


def test_a_raw_table_that_shrank_sharply_is_refused_unless_accepted(warehouse, tmp_path):
    project, db = fresh_copy(warehouse, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("delete from raw.marketing_events where event_id <> 'e1'")
    con.close()
    # Only the guard and what it reads: test_empty_raw_tables_are_not_published shows that a
    # refusal leaves the marts alone.
    guard = ["-s", "+int_raw_loads_checked", "--indirect-selection", "cautious"]
    refused = dbt(project, db, "build", *guard, "--vars", json.dumps({"score_as_of": tiny.AS_OF}),
                  check=False)
    assert refused.returncode == 1
    assert ("refusal_reason fewer rows than raw_max_shrink_share of the last accepted build"
            in output(refused))
    # An operator who retries with --full-refresh is refused the same way: the guard's memory
    # of the last accepted load is not rebuilt (an operator trial published the truncated load).
    retried = dbt(project, db, "build", *guard, "--full-refresh", "--vars",
                  json.dumps({"score_as_of": tiny.AS_OF}), check=False)
    assert retried.returncode == 1
    assert ("refusal_reason fewer rows than raw_max_shrink_share of the last accepted build"
            in output(retried))
    accepted = dbt(project, db, "build", *guard, "--vars",
                   json.dumps({"score_as_of": tiny.AS_OF, "accept_raw_shrink": True}), check=False)
    assert accepted.returncode == 0, output(accepted)[-3000:]
    assert accepted.status_of("assert_raw_loads_accepted") == "pass"
    # The purged events leave the incremental event models too (they re-read everything): one
    # raw event id, one event held, and the day aggregate counts exactly the usable ones.
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF, "accept_raw_shrink": True})
    assert query(db, """
        select
            (select count(distinct event_id) from raw.marketing_events),
            (select count(*) from intermediate.int_events_deduplicated),
            (select sum(event_count) from intermediate.int_event_days_aggregated)
    """) == [(1, 1, 1)]


def test_raw_tables_that_break_the_contract_are_named_table_column_and_type(warehouse, tmp_path):
    project, db = fresh_copy(warehouse, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("create or replace table raw.crm_leads as "
                "select * replace (cast(null as integer) as lead_id) from raw.crm_leads")
    con.execute("alter table raw.marketing_events drop column campaign_id")
    con.execute("drop table raw.crm_opportunities")
    con.close()
    result = build(project, db, tiny.AS_OF, check=False)
    text = output(result)
    assert result.returncode != 0
    assert "The raw tables do not match the contract (docs/RAW_CONTRACT.md):" in text
    assert ("raw.crm_leads.lead_id is integer, expected varchar: cast it in the loader or in a "
            "view") in text
    assert ("raw.marketing_events.campaign_id is missing (expected varchar): add the column, null "
            "if the loader has no value for it") in text
    assert ("raw table raw.crm_opportunities does not exist: load it (docs/RAW_CONTRACT.md), or "
            "set var raw_schema to the schema that holds it (now raw)") in text


@pytest.mark.parametrize("dbt_vars, message", [
    ({"score_as_of": "2026-02-30"},
     "var score_as_of must be a real date written YYYY-MM-DD, got '2026-02-30'"),
    ({"score_as_of": tiny.AS_OF, "backtest_horizon_days": "three"},
     "var backtest_horizon_days must be a whole number, at least 1, got 'three'"),
    ({"score_as_of": tiny.AS_OF, "raw_loaded_at": "_fivetran_synced"},
     "var raw_loaded_at must map a raw table to its load-time column, e.g. "
     "{marketing_events: _fivetran_synced}; got '_fivetran_synced'"),
    ({"score_as_of": tiny.AS_OF, "raw_loaded_at": {"crm_leads": "_fivetran_synced"}},
     "var raw_loaded_at: only marketing_events is read by load time (crm_leads and "
     "crm_opportunities are read whole on every run); remove 'crm_leads'"),
    # The tiny warehouse's events have no load-time column: the contract check names it.
    ({"score_as_of": tiny.AS_OF, "raw_loaded_at": {"marketing_events": "_fivetran_synced"}},
     "raw.marketing_events._fivetran_synced (var raw_loaded_at) is missing: name the column the "
     "loader writes its load time to, or drop marketing_events from var raw_loaded_at"),
])
def test_a_bad_var_fails_first_naming_the_var(warehouse, tmp_path, dbt_vars, message):
    project, db = fresh_copy(warehouse, tmp_path)
    result = dbt(project, db, "run", "-s", "stg_crm__leads", "--vars", json.dumps(dbt_vars),
                 check=False)
    assert result.returncode != 0
    assert message in output(result)


def run_script(name: str, *args: str, env: dict | None = None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "leadscore.cli", name, *args],
                          capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})


def test_a_wrong_date_is_one_line(tmp_path):
    result = run_script("build", env={"SCORE_AS_OF": "2026-13-45",
                                         "LEADSCORE_DUCKDB": str(tmp_path / "w.duckdb")})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "error: SCORE_AS_OF must be a real date written YYYY-MM-DD, got '2026-13-45'")
    assert "Traceback" not in result.stderr


def test_a_locked_warehouse_names_its_holder(tmp_path):
    db = tmp_path / "held.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = run_script("build", env={"LEADSCORE_DUCKDB": str(db)})
    finally:
        holder.kill()
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: {db} is open in another program ({Path(os.path.realpath(sys.executable)).name}, "
        f"PID {holder.pid}): "
        "DuckDB allows one writer per file, so close it (a BI tool, a notebook, another build) "
        "and run again")


def test_demo_data_never_lands_in_a_warehouse_with_tables_of_its_own(tmp_path):
    db = tmp_path / "real.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema crm_raw")
    con.execute("create table crm_raw.crm_leads (lead_id varchar)")
    con.close()
    result = run_script("build", env={"LEADSCORE_DUCKDB": str(db)})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: {db} holds 1 table but not raw.crm_leads, raw.crm_opportunities, "
        "raw.marketing_events: not writing demo data into it. Load the raw tables of "
        "docs/RAW_CONTRACT.md, set var raw_schema (dbt_project.yml) to the schema that holds "
        "them, or point LEADSCORE_DUCKDB at a new file for the demo")
    assert query(db, "select count(*) from information_schema.tables") == [(1,)]


def test_an_empty_new_file_says_it_writes_demo_data_first(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    build_script.prepare_raw_data(str(db), 60)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"writing demo data (60 leads) into {db}: it has no tables yet"
    assert query(db, "select count(distinct lead_id) from raw.crm_leads")[0][0] >= 60


def test_an_unknown_base_is_one_line(capsys):
    assert impact.main(["--base", "no-such-branch"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: BASE 'no-such-branch' is not a branch, tag or commit of this clone: fetch it "
        "(`git fetch origin no-such-branch:no-such-branch`) or name one that exists, e.g. "
        "`make impact BASE=origin/main` or `make impact BASE=HEAD~1`"]


def test_a_base_with_shell_syntax_reaches_git_as_data(tmp_path):
    marker = tmp_path / "pwned"
    result = subprocess.run(["make", "-s", "impact", f"BASE=x\"; touch {marker}; echo \""],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "is not a branch, tag or commit of this clone" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("folder", ["o'brien", "x' as s (read_only); copy (select 1) to 'pwned.csv'; --"])
def test_a_warehouse_path_with_an_apostrophe_is_a_path_not_sql(tmp_path, folder):
    source = tmp_path / folder / "w.duckdb"
    source.parent.mkdir(parents=True)
    load_raw(source, tiny.LEADS[:2], tiny.EVENTS[:3], [])
    dest = tmp_path / "copy.duckdb"
    scratch.copy_raw(str(source), dest)
    assert query(dest, "select count(*) from raw.crm_leads") == [(2,)]
    assert not list(tmp_path.rglob("pwned.csv")) and not (ROOT / "pwned.csv").exists()


def test_a_failed_dbt_run_is_summed_up_in_its_own_words():
    from leadscore.runner import DbtRun, one_line

    contract = ("The raw tables do not match the contract (docs/RAW_CONTRACT.md):\n"
                "    raw.crm_leads.lead_id is integer, expected varchar: cast it\n"
                "    raw table raw.x does not exist: load it\n  \n")
    assert one_line(contract) == (
        "The raw tables do not match the contract (docs/RAW_CONTRACT.md); raw.crm_leads.lead_id "
        "is integer, expected varchar: cast it; raw table raw.x does not exist: load it")
    stopped = DbtRun("dbt build", False, 1.0, error=one_line(contract), error_text=contract)
    assert stopped.first_error() == one_line(contract)
    # A failed check with a remedy (the on-run-end hook's line) says more than dbt's own line.
    guard = DbtRun("dbt build", False, 1.0, messages=[
        "Scoring as of 2026-03-31", "FAIL assert_raw_loads_accepted: source_table crm_leads, "
        "row_count 0. Fix."], failures=["FAIL assert_raw_loads_accepted: Got 1 result, "
                                        "configured to fail if != 0"])
    assert guard.first_error() == ("FAIL assert_raw_loads_accepted: source_table crm_leads, "
                                   "row_count 0. Fix.")
    plain = DbtRun("dbt build", False, 1.0, failures=["ERROR int_x: Binder Error: no column y"])
    assert plain.first_error() == "ERROR int_x: Binder Error: no column y"


def test_a_mistyped_warehouse_path_is_refused_not_filled_with_demo_data(tmp_path):
    missing = tmp_path / "nope" / "x.duckdb"
    result = run_script("report", env={"LEADSCORE_DUCKDB": str(missing)})
    assert result.returncode == 2
    assert result.stderr == (f"error: {missing} does not exist: run `make build` first, or set "
                             "LEADSCORE_DUCKDB to your warehouse\n")
    assert not missing.parent.exists()
