"""Scratch warehouses: a copy of the dbt project and of the raw tables in a temporary folder, so
that impact previews, calibration and tests build without touching the user's warehouse."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb

from leadscore import runner
from leadscore.userfacing import UserError, sql_string

from leadscore.paths import PROJECT as ROOT
PROJECT_PARTS = ["dbt_project.yml", "models", "macros", "data-tests", "analyses", "seeds"]
RAW_TABLES = ("crm_leads", "marketing_events", "crm_opportunities", "demo_dataset")


# A scratch warehouse of an impact preview, a calibration or a test is read by the code that
# built it, never in a BI tool: its copy of dbt_project.yml writes no table and column comments
# (a quarter of a small build's time). Benchmarks and engine tests keep them.
PERSISTED_DOCS = "    +persist_docs:\n      relation: true\n      columns: true\n"
NO_PERSISTED_DOCS = "    +persist_docs:\n      relation: false\n      columns: false\n"


def copy_project(dest: Path, seeds_from: Path | None = None, persist_docs: bool = True) -> Path:
    """Copy the dbt project to dest (with a profiles.yml); seeds_from replaces its seed CSVs.
    persist_docs=False: the copy writes no table and column comments (see PERSISTED_DOCS)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / part)
    if not persist_docs:
        config = (ROOT / "dbt_project.yml").read_text()
        if PERSISTED_DOCS not in config:
            raise RuntimeError(f"dbt_project.yml no longer holds {PERSISTED_DOCS!r}: update "
                               "leadscore.scratch.PERSISTED_DOCS")
        (dest / "dbt_project.yml").write_text(config.replace(PERSISTED_DOCS, NO_PERSISTED_DOCS))
    if seeds_from is not None:
        for csv in Path(seeds_from).rglob("*.csv"):
            target = dest / "seeds" / csv.relative_to(seeds_from)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(csv, target)
    shutil.copy2(ROOT / "profiles.example.yml", dest / "profiles.yml")
    return dest


def seeds_at_ref(ref: str, dest: Path) -> Path:
    """The seeds/ folder as committed at a git ref, written to dest."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref, "--", "seeds"], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {ref} seeds failed: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "seeds"


def copy_raw(source_db: str, dest_db: Path, schema: str = "raw") -> None:
    """Copy the raw tables (and the demo's metadata, when present) into a new DuckDB file."""
    con = duckdb.connect(str(dest_db))
    try:
        con.execute(f"attach {sql_string(source_db)} as source_db (read_only)")
        con.execute(f"create schema if not exists {schema}")
        present = {row[0] for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'source_db' and table_schema = ?", [schema]).fetchall()}
        for table in RAW_TABLES:
            if table in present:
                con.execute(f"create table {schema}.{table} as select * from source_db.{schema}.{table}")
        con.execute("detach source_db")
    finally:
        con.close()


SCORE_LOG = ("intermediate", "score_log")  # the production score log


def has_score_log(source_db: str) -> bool:
    """Whether the warehouse holds the production score log."""
    con = duckdb.connect(str(source_db), read_only=True)
    try:
        return con.execute("select count(*) from information_schema.tables "
                           "where table_schema = ? and table_name = ?", list(SCORE_LOG)).fetchone()[0] > 0
    finally:
        con.close()


def copy_score_log(source_db: str, dest_db: Path) -> bool:
    """Copy the warehouse's production score log into a scratch DuckDB file, so that a scratch
    build remembers each lead's stage as production does (an MQL below the threshold stays an
    MQL until recycled). False when the warehouse has no log yet."""
    if not has_score_log(source_db):
        return False
    schema, table = SCORE_LOG
    con = duckdb.connect(str(dest_db))
    try:
        con.execute(f"attach {sql_string(source_db)} as source_db (read_only)")
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {schema}.{table} as select * from source_db.{schema}.{table}")
        con.execute("detach source_db")
        return True
    finally:
        con.close()


def dbt(project: Path, db: Path, *args: str, check: bool = True) -> runner.DbtRun:
    """`dbt <args>` on a project copy and its DuckDB file, in this process (see runner)."""
    run = runner.invoke(list(args), project=project, env={"LEADSCORE_DUCKDB": str(db)})
    if check and not run.success:
        raise RuntimeError(f"dbt {' '.join(args)} failed on {project}: {run.first_error()}\n"
                           f"{run.output[-6000:]}")
    return run


# Where a scratch warehouse records the seeds it holds (their fingerprint), so that a build with
# the same seed files loads none again (31 seed tables, a few seconds a build).
SEEDS_LOADED = ("scratch_state", "seeds_loaded")


def seeds_fingerprint(project: Path) -> str:
    """A hash of the project's seed files and dbt_project.yml (which configures the seeds)."""
    digest = hashlib.sha256((project / "dbt_project.yml").read_bytes())
    for path in sorted((project / "seeds").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def loaded_seeds(db: Path) -> str | None:
    """The fingerprint of the seeds db holds, as the last build_models recorded it."""
    if not db.exists():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select fingerprint from {'.'.join(SEEDS_LOADED)}").fetchone()[0]
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


def build_models(project: Path, db: Path, dbt_vars: dict, *extra: str) -> None:
    """Seeds and models only (one dbt process): a scratch build needs the numbers, the tests run
    in make test. extra: more dbt arguments (a selection, --full-refresh). The seeds are loaded
    unless db already holds these very seed files (a selection given loads what it selects)."""
    fingerprint = seeds_fingerprint(project)
    selecting = any(arg in ("-s", "--select", "--exclude", "--selector") for arg in extra)
    same_seeds = not selecting and loaded_seeds(db) == fingerprint
    resources = ["--resource-type", "model"] if same_seeds else [
        "--resource-type", "seed", "--resource-type", "model"]
    dbt(project, db, "build", *resources, *extra, "--vars", json.dumps(dbt_vars))
    if not same_seeds and not selecting:
        con = duckdb.connect(str(db))
        try:
            con.execute(f"create schema if not exists {SEEDS_LOADED[0]}")
            con.execute(f"create or replace table {'.'.join(SEEDS_LOADED)} as "
                        f"select {sql_string(fingerprint)} as fingerprint")
        finally:
            con.close()


def build_copy(work: Path, name: str, source_db: str, dbt_vars: dict,
               seeds_from: Path | None = None, score_log: bool = False,
               start_from: Path | None = None) -> tuple[Path, Path]:
    """A project copy (seeds optionally replaced) built on a copy of source_db's raw tables,
    both under work/; returns (project, db). score_log: start from a copy of the warehouse's
    score log (the stage memory), when it has one. start_from: a scratch warehouse built from
    the same raw tables with the same SQL (another side of an impact preview): copied instead
    of the raw tables, so the build recomputes only what these seeds change (the incremental
    models store what each date and version was computed with), as a daily run after a seed
    edit does; its score log is replaced by the warehouse's (or emptied). A failed build is a
    UserError naming the side and dbt's first error."""
    project = copy_project(work / name, seeds_from, persist_docs=False)
    db = work / f"{name}.duckdb"
    if start_from is None:
        copy_raw(source_db, db)
    else:
        copy_database(start_from, db)
        drop_score_log(db)
    if score_log:
        copy_score_log(source_db, db)
    try:
        build_models(project, db, dbt_vars)
    except RuntimeError as error:
        lines = [line for line in str(error).splitlines() if "error" in line.lower()]
        raise UserError(f"the scratch build of the {name} seeds failed "
                        f"({(lines or ['see make build'])[0].strip()}): run `make build` to see "
                        "the whole message") from None
    return project, db


def copy_database(source: Path, dest: Path) -> None:
    """A file copy of a DuckDB warehouse, checkpointed first (its write-ahead log folded in)."""
    con = duckdb.connect(str(source))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    shutil.copy2(source, dest)


def drop_score_log(db: Path) -> None:
    """Drop the score log a scratch build wrote (the stages it logged are its own)."""
    schema, table = SCORE_LOG
    con = duckdb.connect(str(db))
    try:
        con.execute(f"drop table if exists {schema}.{table}")
    finally:
        con.close()
