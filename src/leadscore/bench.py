"""Benchmark the warehouse against the floor (one hand-written DuckDB query) and two peers.

    make bench                      # 100,000 leads, 50 events each
    leadscore bench --leads 1000000 --events-per-lead 50

In one run, on data generated at the requested scale (generation timed too), each step the
median of --repeat runs, each in its own process so its peak memory (max RSS) is its own:

- dbt full build of the scoring models (seeds + `dbt run --full-refresh -s +qualified_leads`),
  and, once, their tests (`dbt test -s +qualified_leads`);
- an incremental run after appending one more day of events (`dbt run -s +qualified_leads`);
- the floor: benchmarks/floor.sql, one DuckDB query over the raw and seed tables;
- a rescore after a weight change (demo_requested points x 1.2: seeds, then the models), and
  `leadscore impact` of that change (--no-impact skips it; one scratch build from raw, the
  other side a copy of it rescored);
- the peers: the same scoring in plain pandas (skipped above --peer-max-events) and in Polars
  (above --polars-max-events);

New raw events are found by their load time (var raw_loaded_at: the demo's `_loaded_at`), or
with --census by the per-day census of the raw contract's fallback.

the floor's and the peers' results are compared with marts.qualified_leads (they must agree).
Prints a table with times, ratios and memory and writes it to BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import click

from leadscore.paths import PROJECT as ROOT

from leadscore import demo
from leadscore import scratch
from leadscore.options import (
    main_for,
    events_per_lead_option,
    keep_option,
    leads_option,
    memory_limit_option,
    out_option,
)

MEASURE = r"""
import json, os, resource, subprocess, sys, time
command = json.loads(sys.argv[1])
started = time.perf_counter()
result = subprocess.run(command, env=json.loads(sys.argv[2]), cwd=sys.argv[3],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "returncode": result.returncode,
                  "tail": result.stdout[-3000:]}))
"""


def measure(command: list[str], env: dict, cwd: Path) -> dict:
    """Run command in a fresh process tree; wall time and the peak RSS of that tree's largest
    process (RUSAGE_CHILDREN of a dedicated parent)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(command), json.dumps(env),
                          str(cwd)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result['tail']}")
    return result


def attempt(command: list[str], env: dict, cwd: Path) -> dict:
    """measure(), but a failure (say, out of memory) is recorded instead of ending the run."""
    try:
        return measure(command, env, cwd)
    except RuntimeError as error:
        reason = "out of memory" if "Out of Memory" in str(error) else str(error).splitlines()[-1][:120]
        print(f"[bench] failed: {reason}", flush=True)
        return {"failed": reason}


def median_of(runs: list[dict]) -> dict:
    if any("failed" in r for r in runs):
        return {"seconds": None, "peak_kib": None, "failed": next(r["failed"] for r in runs if "failed" in r)}
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "peak_kib": max(r["peak_kib"] for r in runs), "runs": [r["seconds"] for r in runs]}


def append_one_day(db: Path, day: dt.date) -> int:
    """Events of one more day: the events of the busiest recent day, replayed a day later with
    new ids (same leads, same types), so the volume matches a real day."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        source_day = con.execute(
            "select cast(occurred_at as date) from raw.marketing_events "
            "where occurred_at < ? group by 1 order by 1 desc limit 1", [day]).fetchone()[0]
        shift = (day - source_day).days
        # Loaded at the end of that day: after every load time already there.
        con.execute(f"""
            insert into raw.marketing_events
            select 'inc-{day}-' || event_id, lead_id, email, event_type,
                   occurred_at + interval {shift} day, page_url, campaign_id,
                   cast(? as timestamp) + interval 23 hour
            from raw.marketing_events
            where cast(occurred_at as date) = ?
        """, [day, source_day])
        return con.execute("select count(*) from raw.marketing_events where event_id like ?",
                           [f"inc-{day}-%"]).fetchone()[0]
    finally:
        con.close()


PEERS = {"pandas": "plain pandas", "polars": "Polars (lazy, over Parquet exports)"}
WEIGHT_CHANGE = ("demo_requested", 1.2)  # the event type whose points change, and the factor
WEIGHT_CHANGE_NOTE = "demo_requested points x 1.2"


def changed_weights(text: str) -> str:
    """engagement_weights.csv with WEIGHT_CHANGE applied (header kept, other rows untouched)."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    event_type, factor = WEIGHT_CHANGE
    for row in rows:
        if row["event_type"].strip() == event_type:
            row["points"] = f"{float(row['points']) * factor:g}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def override_setting(seeds: Path, setting: str, value: str) -> None:
    """Set one row of the project copy's scoring_settings.csv (calibrate's seed editing: every
    other line keeps its bytes); a setting the file lacks is an error."""
    from leadscore import calibrate

    if setting not in calibrate.settings_of(seeds, calibrate.SETTINGS_FILE):
        raise SystemExit(f"bench: setting {setting} is not in {calibrate.SETTINGS_FILE}")
    calibrate.rewrite_csv(seeds / calibrate.SETTINGS_FILE, "setting",
                          {setting: {"setting_value": value}}, [])


def time_impact(project: Path, work: Path, env: dict) -> dict:
    """`leadscore impact` on the benchmark warehouse: the project copy as a git repository whose
    HEAD holds the shipped seeds, the working tree the changed weights."""
    weights = project / "seeds" / "engagement" / "engagement_weights.csv"
    changed = weights.read_text()
    shutil.copy2(ROOT / "profiles.example.yml", project / "profiles.example.yml")
    weights.write_bytes((ROOT / "seeds" / "engagement" / "engagement_weights.csv").read_bytes())
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "shipped seeds"]):
        subprocess.run(git + command, cwd=project, check=True, capture_output=True)
    weights.write_text(changed)
    leadscore = str(Path(sys.executable).with_name("leadscore"))
    result = attempt([leadscore, "impact", "--base", "HEAD", "--out", str(work / "impact.md")],
                     dict(env, LEADSCORE_PROJECT=str(project)), project)
    if "seconds" in result:
        print(f"[bench] leadscore impact: {result['seconds']:.1f} s", flush=True)
    return result


FLOOR_RUNNER = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute(f"set threads = {sys.argv[4]}")
con.execute(f"set memory_limit = '{sys.argv[5]}'")
sql = open(sys.argv[2]).read().replace('$as_of', "'" + sys.argv[3] + "'")
con.execute("create or replace table main.floor_result as " + sql)
"""


def compare_with_mart(db: Path, table: str) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        # Stages are compared for the leads without an opportunity: the peers score the
        # marketing funnel (lead, mql, sql, disqualified), not the CRM's opportunity stages.
        return dict(zip(["mart_rows", "other_rows", "missing", "extra", "score_mismatches",
                         "stage_mismatches", "stages_not_compared"], con.execute(f"""
            select
                (select count(*) from marts.qualified_leads),
                (select count(*) from {table}),
                count(*) filter (where o.lead_id is null),
                count(*) filter (where m.lead_id is null),
                count(*) filter (where abs(m.fit_score - o.fit_score) > 1e-6
                                    or abs(m.engagement_score - o.engagement_score) > 1e-6
                                    or abs(m.lead_score - o.lead_score) > 1e-6),
                count(*) filter (where m.lifecycle_stage <> o.lifecycle_stage
                                    and not m.has_opportunity),
                count(*) filter (where m.has_opportunity)
            from marts.qualified_leads as m
            full outer join {table} as o using (lead_id)
        """).fetchone()))
    finally:
        con.close()


SLOWEST_SHOWN = 6


def slowest_models(project: Path) -> str:
    """The slowest models of the last dbt run in project (its target/run_results.json), e.g.
    `int_engagement_points_decayed` 31.1 s; the per-model times behind a step's total."""
    path = project / "target" / "run_results.json"
    if not path.exists():
        return ""
    results = json.loads(path.read_text()).get("results", [])
    timed = sorted(((r.get("execution_time") or 0, r["unique_id"].split(".")[-1]) for r in results
                    if r["unique_id"].startswith("model.")), reverse=True)
    return "; ".join(f"`{name}` {seconds:.1f} s" for seconds, name in timed[:SLOWEST_SHOWN])


def agrees(check: dict) -> bool:
    return check["missing"] == check["extra"] == check["score_mismatches"] == check["stage_mismatches"] == 0


def verdict(check: dict) -> str:
    return f"{'agrees with' if agrees(check) else '**DISAGREES** with'} the mart: {check}"


def fmt_mem(kib: int) -> str:
    return f"{kib / 1024 / 1024:.2f} GiB"


@click.command("bench", help=__doc__.split("\n")[0])
@leads_option(100_000)
@events_per_lead_option(50.0)
@click.option("--repeat", type=int, default=3, show_default=True,
              help="full builds and floor queries timed")
@click.option("--peer-max-events", type=int, default=6_000_000, show_default=True,
              help="skip the pandas peer above this many raw events")
@click.option("--polars-max-events", type=int, default=60_000_000, show_default=True,
              help="skip the Polars peer above this many raw events")
@click.option("--census", is_flag=True,
              help="find new raw events by the per-day census, not by their load time (var "
                   "raw_loaded_at unset)")
@click.option("--health-months", type=int, default=None,
              help="score this many health months instead of the seeded value (0: the build "
                   "scores the current date only, as the floor does)")
@click.option("--impact/--no-impact", default=True,
              help="time `leadscore impact` (two more scratch builds: one from raw, one from it)")
@click.option("--threads", type=int, default=2, show_default=True,
              help="threads of the floor query and the Polars peer")
@memory_limit_option()
@out_option(str(ROOT / "BENCHMARKS.md"), "the markdown file the section is appended to")
@keep_option
def command(**options) -> int:
    args = SimpleNamespace(**options)  # the options by name, as click read them

    work = Path(tempfile.mkdtemp(prefix="leadscore-bench-"))
    db = work / "bench.duckdb"
    rows = []
    try:
        env = dict(os.environ, LEADSCORE_DUCKDB=str(db), LEADSCORE_DUCKDB_MEMORY=args.memory_limit,
                   DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        started = time.perf_counter()
        counts = demo.generate(str(db), leads=args.leads,
                                             events_per_lead=args.events_per_lead, quiet=False)
        generation = time.perf_counter() - started
        n_events = counts["marketing_events"]
        print(f"[bench] generated {args.leads:,} leads, {n_events:,} events in {generation:.1f} s", flush=True)

        project = scratch.copy_project(work / "project")
        if args.health_months is not None:
            override_setting(project / "seeds", "health_months", str(args.health_months))
        end = dt.date.fromisoformat(demo.DEFAULT_END_DATE)
        dbt_vars = {"score_as_of": end.isoformat(), "backtest_as_of": "off"}
        if not args.census:
            dbt_vars["raw_loaded_at"] = {"marketing_events": "_loaded_at"}
        # dbt in its own process per step (its peak memory is its own): this venv's dbt.
        dbt = [str(Path(sys.executable).with_name("dbt"))]
        where = ["--project-dir", str(project), "--profiles-dir", str(project)]
        measure(dbt + ["seed", "--vars", json.dumps(dbt_vars)] + where, env, project)

        full = []
        for k in range(args.repeat):
            full.append(measure(dbt + ["run", "--full-refresh", "-s", "+qualified_leads", "--vars",
                                       json.dumps(dbt_vars)] + where, env, project))
            print(f"[bench] dbt full build {k + 1}: {full[-1]['seconds']:.1f} s", flush=True)
        full_models = slowest_models(project)
        tests = measure(dbt + ["test", "-s", "+qualified_leads", "--indirect-selection", "cautious",
                               "--exclude", "test_type:unit",
                               "--vars", json.dumps(dbt_vars)] + where, env, project)
        print(f"[bench] dbt tests: {tests['seconds']:.1f} s", flush=True)

        floor_runs, floor_file = [], ROOT / "benchmarks" / "floor.sql"
        for k in range(args.repeat):
            floor_runs.append(attempt([sys.executable, "-c", FLOOR_RUNNER, str(db), str(floor_file),
                                       end.isoformat(), str(args.threads), args.memory_limit],
                                      env, project))
            if "failed" in floor_runs[-1]:
                break
            print(f"[bench] floor {k + 1}: {floor_runs[-1]['seconds']:.1f} s", flush=True)
        floor_check = None if "failed" in floor_runs[-1] else compare_with_mart(db, "main.floor_result")

        # The peers: each the median of --repeat runs in its own process, compared with the mart.
        peers = {}
        for name in PEERS:
            if n_events > (args.polars_max_events if name == "polars" else args.peer_max_events):
                peers[name] = None
                continue
            runs = []
            for k in range(args.repeat):
                runs.append(attempt([sys.executable, str(ROOT / "benchmarks" / f"{name}_peer.py"),
                                     str(db), end.isoformat()], env, project))
                if "failed" in runs[-1]:
                    break
                print(f"[bench] {name} {k + 1}: {runs[-1]['seconds']:.1f} s", flush=True)
            peers[name] = (median_of(runs),
                           None if "failed" in runs[-1] else compare_with_mart(db, f"main.{name}_result"))

        incremental, appended = [], []
        for k in range(args.repeat):
            day = end + dt.timedelta(days=k + 1)
            appended.append(append_one_day(db, day))
            day_vars = dict(dbt_vars, score_as_of=day.isoformat())
            incremental.append(measure(dbt + ["run", "-s", "+qualified_leads", "--vars",
                                              json.dumps(day_vars)] + where, env, project))
            print(f"[bench] incremental day {day} (+{appended[-1]:,} events): "
                  f"{incremental[-1]['seconds']:.1f} s", flush=True)
        incremental_models = slowest_models(project)

        # A weight change: the seeds edited, then `dbt seed` and the same incremental run as a
        # day's (the models that read the weights rebuild; the score log is not rewritten).
        weights = project / "seeds" / "engagement" / "engagement_weights.csv"
        weights.write_text(changed_weights(weights.read_text()))
        # A failure (out of memory at 1M leads) is recorded in the table, not the end of the run.
        rescore = attempt(dbt + ["build", "--resource-type", "seed", "--resource-type", "model",
                                 "-s", "+qualified_leads", "--vars", json.dumps(day_vars)] + where,
                          env, project)
        if "seconds" in rescore:
            print(f"[bench] rescore after a weight change: {rescore['seconds']:.1f} s", flush=True)
        rescore_models = slowest_models(project)
        impact_run = time_impact(project, work, env) if args.impact else None

        full_m, floor_m, inc_m = median_of(full), median_of(floor_runs), median_of(incremental)
        rows = [
            ("demo data generation", generation, None, ""),
            ("dbt full build (seeds loaded, `run --full-refresh -s +qualified_leads`)",
             full_m["seconds"], full_m["peak_kib"], f"slowest (last run): {full_models}"),
            ("dbt tests of those models (once)", tests["seconds"], tests["peak_kib"], ""),
            (f"dbt incremental run after one more day (+{statistics.median(appended):,.0f} events)",
             inc_m["seconds"], inc_m["peak_kib"], f"slowest (last run): {incremental_models}"),
            ("rescore after a weight change (seeds, then the models of `+qualified_leads`, once)",
             rescore.get("seconds"), rescore.get("peak_kib"),
             f"engagement_weights.csv: {WEIGHT_CHANGE_NOTE}; "
             + (f"**failed: {rescore['failed']}**; " if "failed" in rescore else "")
             + f"slowest: {rescore_models}"),
        ]
        if impact_run:
            rows.append(("`leadscore impact` of that weight change "
                         "(a scratch build from raw, then a copy rescored, once)",
                         impact_run.get("seconds"), impact_run.get("peak_kib"),
                         f"failed: {impact_run['failed']}" if impact_run.get("failed") else ""))
        rows.append(("floor: one DuckDB query", floor_m["seconds"], floor_m["peak_kib"],
                     f"failed: {floor_m['failed']}" if floor_m.get("failed")
                     else verdict(floor_check)))
        for name, found in peers.items():
            label = f"peer: {PEERS[name]}"
            if found is None:
                rows.append((label, None, None, f"not run: {n_events:,} events is above "
                             f"--{'polars' if name == 'polars' else 'peer'}-max-events"))
                continue
            runs_m, check = found
            rows.append((label, runs_m["seconds"], runs_m["peak_kib"],
                         f"failed: {runs_m['failed']}" if runs_m.get("failed")
                         else verdict(check)))
        ratios = [f"incremental / full: {inc_m['seconds'] / full_m['seconds'] * 100:.0f} %"]
        if floor_m["seconds"]:
            ratios.insert(0, f"dbt full / floor: {full_m['seconds'] / floor_m['seconds']:.2f}x")
        for name, found in peers.items():
            if found and found[0]["seconds"]:
                ratios.append(f"{name} / dbt full: {found[0]['seconds'] / full_m['seconds']:.2f}x")
        machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                   f"{platform.machine()}, Python {platform.python_version()}; DuckDB threads "
                   f"{args.threads}, memory_limit {args.memory_limit}")
        lines = [
            f"## {args.leads:,} leads, {n_events:,} events ({dt.date.today()})",
            "",
            "New raw events found by "
            + ("the per-day census (`--census`)." if args.census
               else "their load time (var `raw_loaded_at`).")
            + ("" if args.health_months is None
               else f" Setting `health_months` {args.health_months} (`--health-months`)."),
            "",
            f"Machine: {machine}. Median of {args.repeat} runs; peak memory is the largest "
            "process's max RSS.",
            "",
            "| step | seconds | peak memory | note |",
            "|---|---:|---:|---|",
        ] + [f"| {name} | {'' if s is None else f'{s:.1f}'} | {'' if m is None else fmt_mem(m)} | {note} |"
             for name, s, m, note in rows] + ["", "Ratios: " + "; ".join(ratios) + ".", ""]
        text = "\n".join(lines)
        print()
        print(text)
        out = Path(args.out)
        previous = out.read_text() if out.exists() else "# Benchmarks\n\nWritten by `leadscore bench`.\n\n"
        out.write_text(previous.rstrip() + "\n\n" + text + "\n")
        checks = [floor_check, *(found[1] for found in peers.values() if found)]
        ok = all(agrees(c) for c in checks if c) and "failed" not in rescore
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"[bench] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
