"""Benchmark the full build on a local Spark session beside DuckDB, on the same generated data.

    make bench-spark LEADS=1000000
    leadscore bench-spark --leads 1000000 --raw /tmp/raw.duckdb   # reuse generated raw data

The path for a team that outgrows one machine: the same models, unchanged, on Spark. Steps,
each in its own process (peak memory is the largest process's max RSS, the JVM's on Spark):

- the DuckDB full build (seeds, then `dbt run --full-refresh -s +qualified_leads`), the reference;
- the raw tables exported to Parquet and loaded into a local[N] session's Hive tables;
- the same dbt commands on target spark (tables, no incremental models: a local session has
  no Delta);
- marts.qualified_leads of both compared lead by lead (score to 1e-9, stage, grade).

Prints a table and appends it to BENCHMARKS.md. Needs dbt-spark and pyspark (the
.venv-spark environment of `make test-spark`; `make bench-spark` uses it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import click

from leadscore.paths import PROJECT as ROOT

from leadscore import demo, scratch
from leadscore.bench import fmt_mem, measure
from leadscore.contract import RAW_TABLES
from leadscore.options import (
    main_for,
    events_per_lead_option,
    keep_option,
    leads_option,
    memory_limit_option,
    out_option,
)

LOADER = r"""
import json, sys
from pyspark.sql import SparkSession
from pyspark.sql.functions import col
spark = SparkSession.builder.master(sys.argv[3]).enableHiveSupport().getOrCreate()
spark.sql('create database if not exists raw')
tables = json.loads(sys.argv[1]); folder = sys.argv[2]
for table, columns in tables.items():
    frame = spark.read.parquet(f'{folder}/{table}.parquet')
    frame = frame.select([col(n).cast('string' if t == 'varchar' else t).alias(n)
                          for n, t in columns.items()])
    frame.write.mode('overwrite').saveAsTable(f'raw.{table}')
spark.stop()
"""

EXPORTER = r"""
import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master(sys.argv[2]).enableHiveSupport().getOrCreate()
spark.sql('select lead_id, lead_score, lifecycle_stage, fit_grade, engagement_score '
          'from marts.qualified_leads').write.mode('overwrite').parquet(sys.argv[1])
spark.stop()
"""

COMPARE = """
select
    count(*) as leads,
    count(*) filter (where s.lead_id is null) as missing_on_spark,
    count(*) filter (where d.lead_id is null) as missing_on_duckdb,
    count(*) filter (where abs(d.lead_score - s.lead_score) > 1e-9
                        or abs(d.engagement_score - s.engagement_score) > 1e-9) as scores_differ,
    count(*) filter (where d.lifecycle_stage is distinct from s.lifecycle_stage
                        or d.fit_grade is distinct from s.fit_grade) as labels_differ
from duck.marts.qualified_leads as d
full join read_parquet('{path}/*.parquet') as s using (lead_id)
"""


def descendants(pid: int) -> list[int]:
    """The process and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_tree(command: list[str], env: dict, cwd: Path) -> dict:
    """Wall time and the peak resident memory of the largest process of the command's tree,
    sampled every 0.2 s: Spark's JVM is started by the Python process and not waited for, so
    the rusage of finished children (bench.measure) does not see it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    peak = 0
    output: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    while process.poll() is None:
        peak = max([peak] + [rss_kib(pid) for pid in descendants(process.pid)])
        time.sleep(0.2)
    reader.join(timeout=5)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{''.join(output)[-3000:]}")
    return {"seconds": seconds, "peak_kib": peak}


@click.command("bench-spark", help=__doc__.split("\n")[0])
@leads_option(100_000)
@events_per_lead_option(50.0)
@click.option("--raw", default=None,
              help="a DuckDB file with raw tables to use instead of generating them")
@click.option("--cores", type=int, default=2, show_default=True, help="local[N]")
@click.option("--driver-memory", default="8g", show_default=True,
              help="the Spark driver's heap, the whole of a local session")
@click.option("--shuffle-partitions", type=int, default=8, show_default=True,
              help="spark.sql.shuffle.partitions")
@memory_limit_option()
@out_option(str(ROOT / "BENCHMARKS.md"), "the markdown file the section is appended to")
@keep_option
def command(**options) -> int:
    args = SimpleNamespace(**options)  # the options by name, as click read them
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("error: pyspark is not installed here: run `make bench-spark` (it uses .venv-spark)",
              file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="leadscore-bench-spark-"))
    db = work / "bench.duckdb"
    try:
        if args.raw:
            scratch.copy_raw(args.raw, db)
        else:
            demo.generate(str(db), leads=args.leads, events_per_lead=args.events_per_lead, quiet=False)
        import duckdb

        con = duckdb.connect(str(db))
        n_leads, n_events = con.execute(
            "select (select count(*) from raw.crm_leads), (select count(*) from raw.marketing_events)"
        ).fetchone()
        parquet = work / "parquet"
        parquet.mkdir()
        for table in RAW_TABLES:
            con.execute(f"copy raw.{table} to '{parquet / table}.parquet' (format parquet)")
        con.close()
        print(f"[bench-spark] {n_leads:,} raw lead rows, {n_events:,} raw events", flush=True)

        dbt_vars = json.dumps({"score_as_of": demo.DEFAULT_END_DATE, "backtest_as_of": "off"})
        dbt = [str(Path(sys.executable).with_name("dbt"))]
        steps = []

        duck_project = scratch.copy_project(work / "project-duckdb")
        duck_env = dict(os.environ, LEADSCORE_DUCKDB=str(db), LEADSCORE_DUCKDB_MEMORY=args.memory_limit,
                        DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        where = ["--project-dir", str(duck_project), "--profiles-dir", str(duck_project)]
        measure(dbt + ["seed", "--vars", dbt_vars] + where, duck_env, duck_project)
        duck = measure(dbt + ["run", "--full-refresh", "-s", "+qualified_leads", "--vars", dbt_vars]
                       + where, duck_env, duck_project)
        steps.append(("DuckDB full build (`run --full-refresh -s +qualified_leads`)", duck))
        print(f"[bench-spark] duckdb full build: {duck['seconds']:.1f} s", flush=True)

        project = scratch.copy_project(work / "project-spark")
        master = f"local[{args.cores}]"
        env = dict(os.environ, LEADSCORE_TARGET="spark", SPARK_LOCAL_IP="127.0.0.1",
                   LEADSCORE_SPARK_DIR=str(project), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
                   PYSPARK_SUBMIT_ARGS=(f"--master {master} --driver-memory {args.driver_memory} "
                                        f"--conf spark.sql.shuffle.partitions={args.shuffle_partitions} "
                                        "--conf spark.sql.session.timeZone=UTC pyspark-shell"))
        load = measure_tree([sys.executable, "-c", LOADER, json.dumps(RAW_TABLES), str(parquet), master],
                       env, project)
        steps.append(("load the raw Parquet files into Spark tables", load))
        print(f"[bench-spark] spark load: {load['seconds']:.1f} s", flush=True)
        where = ["--project-dir", str(project), "--profiles-dir", str(project)]
        seed = measure_tree(dbt + ["seed", "--vars", dbt_vars] + where, env, project)
        steps.append(("Spark `dbt seed`", seed))
        spark = measure_tree(dbt + ["run", "--full-refresh", "-s", "+qualified_leads", "--vars", dbt_vars]
                        + where, env, project)
        steps.append(("Spark full build (`run --full-refresh -s +qualified_leads`)", spark))
        print(f"[bench-spark] spark full build: {spark['seconds']:.1f} s", flush=True)

        exported = work / "spark_qualified_leads"
        measure_tree([sys.executable, "-c", EXPORTER, str(exported), master], env, project)
        con = duckdb.connect()
        con.execute(f"attach '{db}' as duck (read_only)")
        names = ["leads", "missing_on_spark", "missing_on_duckdb", "scores_differ", "labels_differ"]
        check = dict(zip(names, con.execute(COMPARE.format(path=exported)).fetchone()))
        con.close()
        agree = all(check[name] == 0 for name in names[1:])
        machine = (f"{os.cpu_count()} cores, "
                   f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                   f"{platform.machine()}, Python {platform.python_version()}; Spark {master}, "
                   f"driver memory {args.driver_memory}, {args.shuffle_partitions} shuffle "
                   f"partitions; DuckDB memory_limit {args.memory_limit}")
        lines = [
            f"## Spark: {n_leads:,} lead rows, {n_events:,} events ({dt.date.today()})",
            "",
            f"Machine: {machine}. One run each; peak memory is the largest process's resident "
            "memory (DuckDB: max RSS; Spark: sampled every 0.2 s, the JVM).",
            "",
            "| step | seconds | peak memory |",
            "|---|---:|---:|",
        ] + [f"| {name} | {result['seconds']:.1f} | {fmt_mem(result['peak_kib'])} |"
             for name, result in steps] + [
            "",
            f"Spark / DuckDB full build: {spark['seconds'] / duck['seconds']:.1f}x. "
            f"qualified_leads compared lead by lead: {check['leads']:,} leads, "
            + ("all agree (scores to 1e-9, stage, grade)." if agree else
               "DISAGREE: " + ", ".join(f"{name} {check[name]:,}" for name in names[1:])),
            "",
        ]
        text = "\n".join(lines)
        print()
        print(text)
        out = Path(args.out)
        previous = out.read_text().rstrip() + "\n\n" if out.exists() else ""
        out.write_text(previous + text + "\n")
        return 0 if agree else 1
    finally:
        if args.keep:
            print(f"[bench-spark] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
