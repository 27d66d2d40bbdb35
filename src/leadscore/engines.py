"""Build and test the project on another engine, and compare it with DuckDB.

    leadscore engine-test postgres   (make test-postgres)
    leadscore engine-test spark      (make test-spark)

Both: generate the demo raw tables (DuckDB, deterministic), build a DuckDB reference warehouse
from them in a scratch folder, load the same raw rows into the engine, run `dbt build` there with
every test, then run engine_tests/ (same lead ids, stages and scores, equal to 1e-6; on Postgres
also the reporting role's access). Postgres: Debian's postgresql is installed if missing, and a
throw-away server runs on 127.0.0.1 in a temporary folder, stopped whatever happens. Spark: a
local session (dbt-spark method: session) in the scratch folder.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from leadscore.paths import PROJECT as ROOT

import duckdb

from leadscore import demo, shapes
from leadscore.contract import RAW_TABLES
from leadscore import runner, scratch
from leadscore.options import keep_option, leads_option, main_for

def say(message: str) -> None:
    print(f"[engine] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def engine_tables(db: Path, shape: str) -> dict[str, dict[str, str]]:
    """The tables the engine gets ("schema.table" -> {column: type}): the raw contract's, or
    with --shape salesforce or hubspot the CRM's tables in that shape beside raw.marketing_events."""
    if shape == "contract":
        return {f"raw.{table}": columns for table, columns in RAW_TABLES.items()}
    import duckdb

    tables = {"raw.marketing_events": RAW_TABLES["marketing_events"]}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table, column, kind in con.execute(
                "select table_name, column_name, lower(data_type) from information_schema.columns "
                "where table_schema = ? order by table_name, ordinal_position", [shape]).fetchall():
            tables.setdefault(f"{shape}.{table}", {})[column] = kind
    finally:
        con.close()
    return tables


def export_csv(db: Path, out: Path, tables: dict[str, dict[str, str]]) -> dict[str, Path]:
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    files = {}
    try:
        # The declared columns only (the demo's events carry a load time besides: left out).
        for name, columns in tables.items():
            files[name] = out / f"{name}.csv"
            con.execute(f"copy (select {', '.join(columns)} from {name}) "
                        f"to '{files[name]}' (header, delimiter ',')")
    finally:
        con.close()
    return files


def compare(env: dict, reference_db: Path, engine: str, cwd: Path, pytest_args: list) -> int:
    """engine_tests/ against the engine's build and the DuckDB reference."""
    env = dict(env, LEADSCORE_COMPARE_DUCKDB=str(reference_db), LEADSCORE_COMPARE_ENGINE=engine)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", str(ROOT / "engine_tests"),
                           *pytest_args], cwd=cwd, env=env).returncode


# ------------------------------------------------------------------------------------ postgres

def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        if os.geteuid() != 0:
            sys.exit("PostgreSQL is not installed and this is not root: apt-get install postgresql")
        say("installing Debian's postgresql")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent


def as_postgres_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    def __init__(self, work: Path):
        self.bin = pg_bin()
        self.dir = work / "pgdata"
        self.sock = work / "pgsock"
        self.port = free_port()

    def __enter__(self):
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir.parent, "postgres")
            shutil.chown(self.sock, "postgres")
        subprocess.run(as_postgres_user([str(self.bin / "initdb"), "-D", str(self.dir), "-U",
                                         "postgres", "--auth=trust", "--locale=C", "-E", "UTF8"]),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_postgres_user([
            str(self.bin / "pg_ctl"), "-D", str(self.dir), "-l", str(self.dir / "server.log"), "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock}", "-w", "start"]),
            check=True, stdout=subprocess.DEVNULL)
        say(f"postgres running on 127.0.0.1:{self.port}")
        return self

    def __exit__(self, *exc):
        subprocess.run(as_postgres_user([str(self.bin / "pg_ctl"), "-D", str(self.dir), "-m", "fast",
                                         "-w", "stop"]), stdout=subprocess.DEVNULL)
        say("postgres stopped")

    def connect(self, dbname="postgres", user="postgres"):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=user, dbname=dbname)


def run_postgres(work: Path, reference_db: Path, tables: dict, csvs: dict, dbt_vars: dict,
                 pytest_args: list) -> int:
    with PostgresServer(work) as server:
        con = server.connect()
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute("create database leadscore")
            cur.execute(f"create role {dbt_vars.get('bi_role', 'bi_reader')} login")
        con.close()
        con = server.connect("leadscore")
        with con, con.cursor() as cur:
            for schema in sorted({name.split(".")[0] for name in tables}):
                cur.execute(f"create schema {schema}")
            for table, columns in tables.items():
                # DuckDB's double is Postgres's double precision; every other type is spelled alike.
                ddl = ", ".join(f"{name} {'double precision' if kind == 'double' else kind}"
                                for name, kind in columns.items())
                cur.execute(f"create table {table} ({ddl})")
                with open(csvs[table], encoding="utf-8") as handle:
                    cur.copy_expert(f"copy {table} from stdin with (format csv, header true)", handle)
        con.close()
        say("raw tables loaded; dbt build on postgres")
        env = dict(LEADSCORE_TARGET="postgres", LEADSCORE_PG_PORT=str(server.port),
                   LEADSCORE_PG_HOST="127.0.0.1", LEADSCORE_PG_USER="postgres",
                   LEADSCORE_PG_DATABASE="leadscore")
        project = scratch.copy_project(work / "project-postgres")
        run = runner.invoke(["build", "--vars", json.dumps(dbt_vars)], project=project, env=env,
                            label="dbt build on postgres", progress=True)
        say(run.line())
        if not run.success:
            say(f"dbt build on postgres failed: {run.first_error()} (log: {project}/logs/dbt.log)")
            return 1
        return compare(dict(os.environ, **env), reference_db, "postgres", ROOT, pytest_args)


# --------------------------------------------------------------------------------------- spark

def run_spark(work: Path, reference_db: Path, tables: dict, csvs: dict, dbt_vars: dict,
              pytest_args: list) -> int:
    project = scratch.copy_project(work / "project-spark")
    env = dict(os.environ, LEADSCORE_TARGET="spark", SPARK_LOCAL_IP="127.0.0.1",
               LEADSCORE_SPARK_DIR=str(project))
    loader = """
import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master('local[2]').config('spark.sql.shuffle.partitions', '4') \\
    .enableHiveSupport().getOrCreate()
tables = json.loads(sys.argv[1]); files = json.loads(sys.argv[2])
for schema in sorted({name.split('.')[0] for name in tables}):
    spark.sql(f'create database if not exists {schema}')
for table, columns in tables.items():
    schema = ', '.join(f'{n} {"string" if t == "varchar" else t}' for n, t in columns.items())
    frame = spark.read.csv(files[table], header=True, schema=schema,
                           timestampFormat='yyyy-MM-dd HH:mm:ss[.SSSSSS]')
    frame.write.mode('overwrite').saveAsTable(table)
spark.stop()
"""
    say("loading raw tables into spark")
    subprocess.run([sys.executable, "-c", loader, json.dumps(tables),
                    json.dumps({k: str(v) for k, v in csvs.items()})], cwd=project, env=env, check=True)
    say("dbt build on spark")
    # Its own process, unlike every other dbt run: the Spark session (a JVM) holds the Derby
    # metastore's lock until the process ends, and engine_tests/ opens the same metastore next.
    result = subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--vars", json.dumps(dbt_vars),
                             "--project-dir", str(project), "--profiles-dir", str(project)],
                            cwd=project, env=env)
    if result.returncode != 0:
        return result.returncode
    # The comparison reads Spark's tables from the same folder (its metastore_db).
    return compare(env, reference_db, "spark", project, pytest_args)


@click.command("engine-test", help=__doc__.split("\n")[0])
@click.argument("engine", type=click.Choice(["postgres", "spark"]))
@leads_option(int(os.environ.get("ENGINE_DEMO_LEADS", "3000")),
              "demo leads (default: ENGINE_DEMO_LEADS, else 3000)")
@keep_option
@click.option("--shape", type=click.Choice(("contract", *shapes.CRM_SHAPES)), default="contract",
              show_default=True, help="the CRM tables as this system's loader lands them, built on both engines"
                   " with var source_system set to it")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def command(engine: str, leads: int, keep: bool, shape: str, pytest_args: tuple[str, ...]) -> int:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"leadscore-{engine}-"))
    try:
        raw_db = work / "demo.duckdb"
        demo.generate(str(raw_db), leads=leads, quiet=True)
        dbt_vars = {"score_as_of": demo.DEFAULT_END_DATE}
        if shape != "contract":
            con = duckdb.connect(str(raw_db))
            try:
                shapes.WRITERS[shape](con, "raw", shape)
            finally:
                con.close()
            dbt_vars["source_system"] = shape
        tables = engine_tables(raw_db, shape)
        reference = work / "reference.duckdb"
        scratch.copy_raw(str(raw_db), reference)
        if shape != "contract":
            con = duckdb.connect(str(reference))
            try:
                con.execute(f"attach '{raw_db}' as generated (read_only)")
                con.execute(f"create schema {shape}")
                for name in tables:
                    if name.startswith(f"{shape}."):
                        con.execute(f"create table {name} as select * from generated.{name}")
            finally:
                con.close()
        say(f"reference build on duckdb ({leads:,} demo leads, {shape} shape)")
        scratch.build_models(scratch.copy_project(work / "project-duckdb"), reference, dbt_vars)
        csvs = export_csv(raw_db, work / "csv", tables)
        run_engine = run_postgres if engine == "postgres" else run_spark
        code = run_engine(work, reference, tables, csvs, dbt_vars, list(pytest_args))
        say(f"{engine}: {'passed' if code == 0 else 'FAILED'} in {time.perf_counter() - started:.0f} s")
        return code
    finally:
        if keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
