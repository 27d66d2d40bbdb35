"""Benchmark the warehouse against the floor (one hand-written DuckDB query) and a pandas peer.

    make bench                      # 100,000 leads, 50 events each
    leadscore bench --leads 1000000 --events-per-lead 50

In one run, on data generated at the requested scale (generation timed too), each step the
median of --repeat runs, each in its own process so its peak memory (max RSS) is its own:

- dbt full build of the scoring models (seeds + `dbt run --full-refresh -s +qualified_leads`),
  and, once, their tests (`dbt test -s +qualified_leads`);
- an incremental run after appending one more day of events (`dbt run -s +qualified_leads`);
- the floor: benchmarks/floor.sql, one DuckDB query over the raw and seed tables;
- the peer: the same scoring in plain pandas (skipped above --pandas-max-events);

the floor's and the peer's results are compared with marts.qualified_leads (they must agree).
Prints a table with times, ratios and memory and writes it to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
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

from leadscore.paths import PROJECT as ROOT

from leadscore import demo
from leadscore import scratch

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
        con.execute(f"""
            insert into raw.marketing_events
            select 'inc-{day}-' || event_id, lead_id, email, event_type,
                   occurred_at + interval {shift} day, page_url, campaign_id
            from raw.marketing_events
            where cast(occurred_at as date) = ?
        """, [source_day])
        return con.execute("select count(*) from raw.marketing_events where event_id like ?",
                           [f"inc-{day}-%"]).fetchone()[0]
    finally:
        con.close()


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
        return dict(zip(["mart_rows", "other_rows", "missing", "extra", "score_mismatches",
                         "stage_mismatches"], con.execute(f"""
            select
                (select count(*) from marts.qualified_leads),
                (select count(*) from {table}),
                count(*) filter (where o.lead_id is null),
                count(*) filter (where m.lead_id is null),
                count(*) filter (where abs(m.fit_score - o.fit_score) > 1e-6
                                    or abs(m.engagement_score - o.engagement_score) > 1e-6
                                    or abs(m.lead_score - o.lead_score) > 1e-6),
                count(*) filter (where m.lifecycle_stage <> o.lifecycle_stage)
            from marts.qualified_leads as m
            full outer join {table} as o using (lead_id)
        """).fetchone()))
    finally:
        con.close()


def fmt_mem(kib: int) -> str:
    return f"{kib / 1024 / 1024:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadscore bench", description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--events-per-lead", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pandas-max-events", type=int, default=6_000_000,
                        help="skip the pandas peer above this many raw events (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="3.5GB")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

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
        end = dt.date.fromisoformat(demo.DEFAULT_END_DATE)
        dbt_vars = {"score_as_of": end.isoformat(), "backtest_as_of": "off"}
        dbt = [scratch.dbt_executable()]
        where = ["--project-dir", str(project), "--profiles-dir", str(project)]
        measure(dbt + ["seed", "--vars", json.dumps(dbt_vars)] + where, env, project)

        full = []
        for k in range(args.repeat):
            full.append(measure(dbt + ["run", "--full-refresh", "-s", "+qualified_leads", "--vars",
                                       json.dumps(dbt_vars)] + where, env, project))
            print(f"[bench] dbt full build {k + 1}: {full[-1]['seconds']:.1f} s", flush=True)
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

        pandas_runs, pandas_check = [], None
        if n_events <= args.pandas_max_events:
            for k in range(args.repeat):
                pandas_runs.append(attempt([sys.executable, str(ROOT / "benchmarks" / "pandas_peer.py"),
                                            str(db), end.isoformat()], env, project))
                if "failed" in pandas_runs[-1]:
                    break
                print(f"[bench] pandas {k + 1}: {pandas_runs[-1]['seconds']:.1f} s", flush=True)
            pandas_check = None if "failed" in pandas_runs[-1] else compare_with_mart(db, "main.pandas_result")

        incremental, appended = [], []
        for k in range(args.repeat):
            day = end + dt.timedelta(days=k + 1)
            appended.append(append_one_day(db, day))
            day_vars = dict(dbt_vars, score_as_of=day.isoformat())
            incremental.append(measure(dbt + ["run", "-s", "+qualified_leads", "--vars",
                                              json.dumps(day_vars)] + where, env, project))
            print(f"[bench] incremental day {day} (+{appended[-1]:,} events): "
                  f"{incremental[-1]['seconds']:.1f} s", flush=True)

        full_m, floor_m, inc_m = median_of(full), median_of(floor_runs), median_of(incremental)
        pandas_m = median_of(pandas_runs) if pandas_runs else None
        rows = [
            ("demo data generation", generation, None, ""),
            ("dbt full build (seeds loaded, `run --full-refresh -s +qualified_leads`)",
             full_m["seconds"], full_m["peak_kib"], ""),
            ("dbt tests of those models (once)", tests["seconds"], tests["peak_kib"], ""),
            (f"dbt incremental run after one more day (+{statistics.median(appended):,.0f} events)",
             inc_m["seconds"], inc_m["peak_kib"], ""),
            ("floor: one DuckDB query", floor_m["seconds"], floor_m["peak_kib"],
             f"failed: {floor_m['failed']}" if floor_m.get("failed") else f"agrees with the mart: {floor_check}"),
        ]
        if pandas_m:
            rows.append(("peer: plain pandas", pandas_m["seconds"], pandas_m["peak_kib"],
                         f"failed: {pandas_m['failed']}" if pandas_m.get("failed")
                         else f"agrees with the mart: {pandas_check}"))
        else:
            rows.append(("peer: plain pandas", None, None,
                         f"not run: {n_events:,} events is above --pandas-max-events"))
        ratios = [f"incremental / full: {inc_m['seconds'] / full_m['seconds'] * 100:.0f} %"]
        if floor_m["seconds"]:
            ratios.insert(0, f"dbt full / floor: {full_m['seconds'] / floor_m['seconds']:.2f}x")
        if pandas_m and pandas_m["seconds"]:
            ratios.append(f"pandas / dbt full: {pandas_m['seconds'] / full_m['seconds']:.2f}x")
        machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                   f"{platform.machine()}, Python {platform.python_version()}; DuckDB threads "
                   f"{args.threads}, memory_limit {args.memory_limit}")
        lines = [
            f"## {args.leads:,} leads, {n_events:,} events ({dt.date.today()})",
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
        ok = all(c["missing"] == c["extra"] == c["score_mismatches"] == c["stage_mismatches"] == 0
                 for c in (floor_check, pandas_check) if c)
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"[bench] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
