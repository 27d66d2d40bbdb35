"""Scratch warehouses: a copy of the dbt project and of the raw tables in a temporary folder, so
that impact previews, calibration and tests build without touching the user's warehouse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from userfacing import sql_string

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["dbt_project.yml", "models", "macros", "data-tests", "analyses", "seeds"]
RAW_TABLES = ("crm_leads", "marketing_events", "crm_opportunities", "demo_dataset")


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def copy_project(dest: Path, seeds_from: Path | None = None) -> Path:
    """Copy the dbt project to dest (with a profiles.yml); seeds_from replaces its seed CSVs."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / part)
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


def dbt(project: Path, db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, LEADSCORE_DUCKDB=str(db), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    command = [dbt_executable(), *args, "--project-dir", str(project), "--profiles-dir", str(project)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return result


def build_models(project: Path, db: Path, dbt_vars: dict, *select: str) -> None:
    """Seeds and models only (one dbt process): a scratch build needs the numbers, the tests run
    in make test. select: extra node-selection arguments."""
    dbt(project, db, "build", "--resource-type", "seed", "--resource-type", "model", *select,
        "--vars", json.dumps(dbt_vars))


def build_copy(work: Path, name: str, source_db: str, dbt_vars: dict,
               seeds_from: Path | None = None) -> tuple[Path, Path]:
    """A project copy (seeds optionally replaced) built on a copy of source_db's raw tables,
    both under work/; returns (project, db)."""
    project = copy_project(work / name, seeds_from)
    db = work / f"{name}.duckdb"
    copy_raw(source_db, db)
    build_models(project, db, dbt_vars)
    return project, db
