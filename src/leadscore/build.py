"""Build the demo warehouse: demo raw data if missing, `dbt build` as of the data's date, summary.

Used by `make build` and `make test`. The scoring date is, in order: --score-as-of, the
SCORE_AS_OF environment variable, the end date recorded with the demo data (raw.demo_dataset),
or today (UTC) for a warehouse loaded with one's own raw data. BACKTEST_AS_OF and
BACKTEST_HORIZON_DAYS set the backtest's vars (default: score_as_of minus 90 days).

On demo data, a warehouse without a score history first replays --history-weeks weekly scoring
dates before the scoring date (`dbt run` of the score log and what it reads), so that
lead_score_history, lead_stage_changes and sales_handoff show what weeks of daily builds
would have recorded. A warehouse of one's own raw data starts its history with its first build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import click
import yaml

from leadscore.paths import PROJECT as ROOT

from leadscore import demo
from leadscore.contract import RAW_TABLES
from leadscore import runner
from leadscore.userfacing import UserError, checked_date, checked_whole_number, connect
from leadscore import validate
from leadscore.options import leads_option, main_for


def db_path() -> str:
    return os.environ.get("LEADSCORE_DUCKDB", str(ROOT / "warehouse" / "leadscore.duckdb"))


def raw_schema() -> str:
    """Var raw_schema as dbt_project.yml sets it (where the loader lands the raw tables)."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    return str(project.get("vars", {}).get("raw_schema", "raw"))


def table_exists(path: str, schema: str, table: str) -> bool:
    if not Path(path).exists():
        return False
    con = connect(path, read_only=True)
    try:
        return con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?", [schema, table]).fetchone()[0] > 0
    finally:
        con.close()


def recorded_end_date(path: str, schema: str | None = None) -> str | None:
    schema = schema or raw_schema()
    if not table_exists(path, schema, "demo_dataset"):
        return None
    con = connect(path, read_only=True)
    try:
        return str(con.execute(f"select max(end_date) from {schema}.demo_dataset").fetchone()[0])
    finally:
        con.close()


def checked_warehouse() -> str | None:
    """For the commands that read a built warehouse (impact, calibrate): valid seeds and an
    existing DuckDB file, else None after saying what is wrong."""
    if validate.main([]) != 0:
        return None
    path = db_path()
    if not Path(path).exists():
        raise UserError(f"{path} does not exist: run `make build` first (or set LEADSCORE_DUCKDB "
                        "to your warehouse)")
    connect(path).close()  # a file another program holds is named here, not in a traceback
    return path


def prepare_raw_data(path: str, leads: int) -> None:
    """Demo raw data goes only into a warehouse without tables of its own: a new or empty file
    gets it (and says so first); a file with raw tables is used as it is; a file that holds other
    tables but not the raw ones is refused, so fake leads never land in a real warehouse."""
    schema = raw_schema()
    con = connect(path)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()").fetchall()
    finally:
        con.close()
    present = {name for table_schema, name in tables if table_schema == schema}
    if set(RAW_TABLES) <= present:
        return
    if tables:
        missing = ", ".join(f"{schema}.{t}" for t in RAW_TABLES if t not in present)
        raise UserError(
            f"{path} holds {len(tables)} table{'' if len(tables) == 1 else 's'} but not {missing}: not writing demo data into "
            "it. Load the raw tables of docs/RAW_CONTRACT.md, set var raw_schema (dbt_project.yml)"
            " to the schema that holds them, or point LEADSCORE_DUCKDB at a new file for the demo")
    print(f"writing demo data ({leads:,} leads) into {path}: it has no tables yet", flush=True)
    started = time.monotonic()
    counts = demo.generate(path, leads, schema=schema, quiet=True)
    print("demo data: " + ", ".join(f"{table} {n:,} rows" for table, n in counts.items())
          + f" ({time.monotonic() - started:.0f} s)", flush=True)


def requested_vars(score_as_of: str | None = None) -> dict:
    """The dbt vars the user asked for (--score-as-of or SCORE_AS_OF, BACKTEST_AS_OF,
    BACKTEST_HORIZON_DAYS), each checked: a wrong value is a UserError before anything runs."""
    if score_as_of:
        score_as_of = checked_date(score_as_of, "--score-as-of")
    elif os.environ.get("SCORE_AS_OF", "").strip():
        score_as_of = checked_date(os.environ["SCORE_AS_OF"], "SCORE_AS_OF")
    dbt_vars = {"score_as_of": score_as_of} if score_as_of else {}
    backtest_as_of = os.environ.get("BACKTEST_AS_OF", "").strip()
    if backtest_as_of:
        dbt_vars["backtest_as_of"] = (
            "off" if backtest_as_of.lower() == "off" else checked_date(backtest_as_of, "BACKTEST_AS_OF"))
    if os.environ.get("BACKTEST_HORIZON_DAYS", "").strip():
        dbt_vars["backtest_horizon_days"] = checked_whole_number(
            os.environ["BACKTEST_HORIZON_DAYS"], "BACKTEST_HORIZON_DAYS", 1)
    return dbt_vars


def scoring_vars(path: str, score_as_of: str | None = None) -> dict:
    """The dbt vars of a build: requested_vars, the scoring date falling back to the end date
    recorded with the demo data (see the module docstring)."""
    dbt_vars = requested_vars(score_as_of)
    if "score_as_of" not in dbt_vars:
        recorded = recorded_end_date(path)
        if recorded:
            dbt_vars = {"score_as_of": recorded, **dbt_vars}
    return dbt_vars


def run_dbt(args: list[str], label: str | None = None) -> runner.DbtRun:
    """dbt in this process: one line with its counts and time (warnings named below it), or a
    UserError with the line that says the most (a failed check's remedy first)."""
    run = runner.invoke(args, label=label, progress=True)
    if not run.success:
        raise UserError(f"{run.command} failed: {run.first_error()} (full log: logs/dbt.log)")
    print(run.line(), flush=True)
    for line in run.warned:
        print(f"  {line}")
    return run


def replay_history(path: str, score_as_of: str, weeks: int) -> None:
    """Score the weeks before score_as_of into the score log, oldest first (models only)."""
    end = dt.date.fromisoformat(score_as_of)
    run_dbt(["seed"], label="seeds")
    for k in range(weeks, 0, -1):
        day = (end - dt.timedelta(weeks=k)).isoformat()
        run_dbt(["run", "-s", "+score_log", "--vars",
                 json.dumps({"score_as_of": day, "backtest_as_of": "off"})],
                label=f"history replay week {weeks - k + 1} of {weeks} ({day})")


def summary(path: str, relations: dict[str, str]) -> str:
    """Leads per stage, rejected leads, today's hand-off and the top 10, from the relations the
    build just built (runner.DbtRun.relations: the target's schemas)."""
    leads_table, stages_table = relations["qualified_leads"], relations["lifecycle_stages"]
    rejected_table, handoff_table = relations["rejected_rows"], relations["sales_handoff"]
    con = connect(path, read_only=True)
    try:
        lines = []
        as_of, version = con.execute(
            f"select max(score_as_of), max(scoring_version) from {leads_table}"
        ).fetchone()
        lines.append(f"Scored as of {as_of} with scoring_version {version}")
        lines.append("")
        lines.append(f"{'stage':<14}{'leads':>8}{'hot':>7}{'avg score':>11}")
        rows = con.execute(f"""
            select stages.lifecycle_stage, count(leads.lead_id),
                   coalesce(sum(case when leads.is_hot then 1 else 0 end), 0),
                   avg(leads.lead_score)
            from {stages_table} as stages
            left join {leads_table} as leads
                on leads.lifecycle_stage = stages.lifecycle_stage
            group by stages.lifecycle_stage, stages.stage_order
            order by stages.stage_order desc
        """).fetchall()
        for stage, leads, hot, avg in rows:
            average = f"{avg:>11.1f}" if avg is not None else f"{'-':>11}"
            lines.append(f"{stage:<14}{leads:>8,}{hot:>7,}{average}")
        rejected = con.execute(
            f"select count(*) from {rejected_table} where source_table = 'crm_leads'"
        ).fetchone()[0]
        lines.append(f"{'rejected':<14}{rejected:>8,}   (raw leads that could not be scored)")
        lines.append("")
        handoff = con.execute(f"select count(*) from {handoff_table}").fetchone()[0]
        lines.append(f"{handoff:,} leads handed to sales today ({handoff_table})")
        lines.append("")
        lines.append("Top 10 leads in the marketing funnel")
        lines.append(f"{'lead_id':<12}{'company_domain':<30}{'priority':>9}{'fit':>7}"
                     f"{'engage':>8}{'score':>7}  stage")
        top = con.execute(f"""
            select lead_id, coalesce(company_domain, ''), priority, fit_score, engagement_score,
                   lead_score, lifecycle_stage || case when is_hot then ' (hot)' else '' end
            from {leads_table}
            where lifecycle_stage in ('lead', 'mql', 'sql', 'recycled')
            order by lead_score desc, lead_id
            limit 10
        """).fetchall()
        for lead_id, domain, priority, fit, engagement, score, stage in top:
            lines.append(f"{lead_id:<12}{domain[:29]:<30}{priority:>9}{fit:>7.1f}"
                         f"{engagement:>8.1f}{score:>7.1f}  {stage}")
        return "\n".join(lines)
    finally:
        con.close()


# Everything this command does not know (--full-refresh, -s ...) is dbt's, in its order.
@click.command("build", help=__doc__.split("\n")[0],
               epilog="Any other argument goes to dbt build, in order: "
                      "leadscore build --full-refresh -s int_events_deduplicated+",
               context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True})
@click.option("--score-as-of", default=None, metavar="YYYY-MM-DD",
              help="the scoring date (default: SCORE_AS_OF, the demo data's end date, or today "
                   "in UTC)")
@leads_option(int(os.environ.get("DEMO_LEADS", "10000")),
              "demo leads to generate when the raw tables are missing (default: DEMO_LEADS, "
              "else 10000)")
@click.option("--history-weeks", type=int, default=int(os.environ.get("DEMO_HISTORY_WEEKS", "4")),
              show_default=True,
              help="on demo data without a score history, weekly dates to replay first")
@click.option("--no-summary", is_flag=True,
              help="skip the leads-per-stage, hand-off and top-10 summary")
@click.argument("dbt_args", nargs=-1, type=click.UNPROCESSED)
def command(score_as_of: str | None, leads: int, history_weeks: int, no_summary: bool,
            dbt_args: tuple[str, ...]) -> int:
    dbt_args = [arg for arg in dbt_args if arg != "--"]

    if validate.main([]) != 0:
        return 1
    path = db_path()
    requested_vars(score_as_of)  # checked before anything is written
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    prepare_raw_data(path, leads)
    dbt_vars = scoring_vars(path, score_as_of)
    if (history_weeks > 0 and recorded_end_date(path) and "score_as_of" in dbt_vars
            and not table_exists(path, "intermediate", "score_log")):
        replay_history(path, dbt_vars["score_as_of"], history_weeks)
    as_of = dbt_vars.get("score_as_of", "today")
    run = run_dbt(["build", "--vars", json.dumps(dbt_vars), *dbt_args],
                  label=f"dbt build as of {as_of} (models and tests)")
    if not no_summary:
        print()
        print(summary(path, run.relations))
    return 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
