"""Write a second, foreign business into the raw contract: proof that calibration learns from data
the seeds were not written for.

Lernwerk (vocabulary/foreign_business.json) sells online courses to people: the job
title holds an occupation ("Working Professional", "Unemployed"), there is no industry, company
size or revenue, every address is free-mail, and its lead sources ("Reference", "Olark Chat")
and event types ("free_class_attended", "counsellor_call_answered") are unknown to the shipped
seeds. Its base rate is far above the demo's. Whether a lead enrols follows a logistic model
whose effects the vocabulary file states, so a test can check that calibration finds them:

    log-odds = base + occupation + lead source + sum over types of effect x min(events, 2)
               + 0.3 x interest

Events happen within 45 days of the lead's creation, more of the engaged kinds for interested
leads; an enrolment (an opportunity, won or lost) is opened 5 + Exp(25) days after creation.
Deterministic for a given --seed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import duckdb
import numpy as np
import pandas as pd

from leadscore.paths import PACKAGE

from leadscore.contract import RAW_TABLES
from leadscore.userfacing import checked_date
from leadscore.options import db_option, end_date_option, leads_option, main_for, seed_option

VOCABULARY = json.loads((PACKAGE / "vocabulary" / "foreign_business.json").read_text())
DEFAULT_END_DATE = "2026-06-30"


def draw(rng: np.random.Generator, items: list[dict], n: int) -> tuple[np.ndarray, np.ndarray]:
    weights = np.array([item["weight"] for item in items], dtype=float)
    index = rng.choice(len(items), size=n, p=weights / weights.sum())
    values = np.array([item["value"] for item in items], dtype=object)[index]
    effects = np.array([item.get("effect", 0.0) for item in items])[index]
    return values, effects


def write_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame) -> None:
    columns = RAW_TABLES[table]
    for name in columns:
        if name not in frame:
            frame[name] = None
    con.register("frame", frame[list(columns)])
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns.items())
    con.execute(f"create or replace table {schema}.{table} as select {casts} from frame")
    con.unregister("frame")


def write_raw_tables(db_path: str, schema: str, tables: dict[str, pd.DataFrame]) -> dict:
    """Write the raw tables of the contract into a DuckDB file (created if missing); returns
    their row counts. Shared by the synthetic businesses (Lernwerk here, Helio in solar.py)."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(db_path)
    try:
        con.execute(f"create schema if not exists {schema}")
        for table, frame in tables.items():
            write_table(con, schema, table, frame)
    finally:
        con.close()
    return {table: len(frame) for table, frame in tables.items()}


def generator_command(name: str, description: str, generate, db: str, leads: int, seed: int,
                      end_date: str) -> click.Command:
    """The command of a synthetic business: --db, --leads, --seed, --end-date; prints the row
    counts written."""
    @click.command(name, help=description)
    @db_option(db, "the DuckDB file written")
    @leads_option(leads)
    @seed_option(seed)
    @end_date_option(end_date)
    def command(db: str, leads: int, seed: int, end_date: str) -> int:
        counts = generate(db, leads, seed, checked_date(end_date, "--end-date"))
        print(", ".join(f"{table}: {n:,}" for table, n in counts.items()))
        return 0
    return command


def generate(db_path: str, leads: int = 8000, seed: int = 11, end_date: str = DEFAULT_END_DATE,
             span_days: int = 500, schema: str = "raw") -> dict:
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(end_date)
    created = end - pd.to_timedelta(rng.uniform(1, span_days, leads), unit="D")
    created = created.floor("s")
    occupation, occupation_effect = draw(rng, VOCABULARY["occupations"], leads)
    source, source_effect = draw(rng, VOCABULARY["lead_sources"], leads)
    country, _ = draw(rng, VOCABULARY["countries"], leads)
    interest = rng.normal(0.0, 1.0, leads)
    lead_ids = np.array([f"LW{i:06d}" for i in range(leads)])
    log_odds = VOCABULARY["base_log_odds"] + occupation_effect + source_effect + 0.3 * interest

    events = []
    for kind in VOCABULARY["event_types"]:
        counts = rng.poisson(kind["rate"] * np.exp(kind["interest_slope"] * interest))
        log_odds = log_odds + kind["effect_per_event"] * np.minimum(counts, 2)
        owners = np.repeat(np.arange(leads), counts)
        at = created[owners] + pd.to_timedelta(rng.uniform(0, 45, len(owners)), unit="D")
        events.append(pd.DataFrame({"owner": owners, "event_type": kind["value"], "occurred_at": at}))
    events = pd.concat(events, ignore_index=True)
    events = events[events["occurred_at"] <= end].sort_values(["owner", "occurred_at"])
    events["occurred_at"] = events["occurred_at"].dt.floor("s")
    events = events.assign(event_id=[f"LWE{i:08d}" for i in range(len(events))],
                           lead_id=lead_ids[events["owner"].to_numpy()])

    enrols = rng.uniform(size=leads) < 1.0 / (1.0 + np.exp(-log_odds))
    opened = created + pd.to_timedelta(5 + rng.exponential(25, leads), unit="D")
    closes = opened + pd.to_timedelta(rng.uniform(1, 20, leads), unit="D")
    won = rng.uniform(size=leads) < 0.7
    chosen = enrols & (opened <= end)
    opportunities = pd.DataFrame({
        "opportunity_id": [f"LWO{i:06d}" for i in np.flatnonzero(chosen)],
        "lead_id": lead_ids[chosen],
        "created_at": opened[chosen].floor("s"),
        "stage": np.where(closes[chosen] > end, "open", np.where(won[chosen], "closed_won", "closed_lost")),
        "closed_at": pd.Series(closes[chosen].floor("s")).where(closes[chosen] <= end).to_numpy(),
        "amount_usd": 490.0,
    })
    lead_rows = pd.DataFrame({
        "lead_id": lead_ids, "email": [f"learner{i}@gmail.com" for i in range(leads)],
        "first_name": "Asha", "last_name": "Rao", "job_title": occupation, "country": country,
        "lead_source": source, "created_at": created, "updated_at": created,
    })
    return write_raw_tables(db_path, schema, {
        "crm_leads": lead_rows, "marketing_events": events.drop(columns=["owner"]),
        "crm_opportunities": opportunities})


command = generator_command("foreign", __doc__.split("\n")[0], generate,
                            "warehouse/foreign.duckdb", 8000, 11, DEFAULT_END_DATE)
main = main_for(command)


if __name__ == "__main__":
    sys.exit(main())
