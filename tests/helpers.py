"""Shared helpers: a throw-away copy of the dbt project, raw fixtures, and running dbt on them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

from leadscore import scratch
from leadscore.contract import RAW_TABLES

LEAD_COLUMNS = RAW_TABLES["crm_leads"]
EVENT_COLUMNS = RAW_TABLES["marketing_events"]
OPPORTUNITY_COLUMNS = RAW_TABLES["crm_opportunities"]


def copy_project(dest: Path, frozen_seeds: bool = True) -> Path:
    """Copy the dbt project to dest; with frozen_seeds, the seed CSVs are the test's own copy,
    so that a revenue team editing seeds/ does not change hand-computed expectations. No table
    and column comments: nothing here reads them (make test's demo build and the engine tests
    write them)."""
    return scratch.copy_project(dest, FIXTURES / "frozen_seeds" if frozen_seeds else None,
                                persist_docs=False)


def dbt(project: Path, db: Path, *args: str, check: bool = True):
    return scratch.dbt(project, db, *args, check=check)


def build(project: Path, db: Path, score_as_of: str, *extra: str, check: bool = True):
    return dbt(project, db, "build", "--vars", json.dumps({"score_as_of": score_as_of}), *extra,
               check=check)


def load_raw(db: Path, leads: list[dict], events: list[dict], opportunities: list[dict],
             schema: str = "raw") -> None:
    """Create the three raw tables with the contract's types and insert the rows given."""
    con = duckdb.connect(str(db))
    try:
        con.execute(f"create schema if not exists {schema}")
        for table, columns, rows in (
            ("crm_leads", LEAD_COLUMNS, leads),
            ("marketing_events", EVENT_COLUMNS, events),
            ("crm_opportunities", OPPORTUNITY_COLUMNS, opportunities),
        ):
            ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
            con.execute(f"create or replace table {schema}.{table} ({ddl})")
            for row in rows:
                unknown = set(row) - set(columns)
                assert not unknown, f"{table}: unknown columns {unknown}"
                names = list(columns)
                con.execute(
                    f"insert into {schema}.{table} ({', '.join(names)}) values "
                    f"({', '.join('?' for _ in names)})",
                    [row.get(name) for name in names],
                )
    finally:
        con.close()


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_same_rows(found: dict, expected: dict, tolerance: float = 2e-9) -> None:
    """Two snapshots ({name: [row, ...]}) hold the same rows in the same order: equal values, and
    floats within tolerance (an incremental path adds the same terms in another grouping than a
    full refresh; values rounded to 9 decimals may then land one unit apart)."""
    assert found.keys() == expected.keys()
    for name in expected:
        assert len(found[name]) == len(expected[name]), name
        for got, want in zip(found[name], expected[name]):
            assert len(got) == len(want), (name, got, want)
            for a, b in zip(got, want):
                if isinstance(a, float) and isinstance(b, float):
                    assert abs(a - b) <= tolerance, (name, got, want)
                else:
                    assert a == b, (name, got, want)
