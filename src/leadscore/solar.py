"""Write a third business into the raw contract, unlike the demo and Lernwerk: proof that
calibration keeps a model's ranking where recency and negative signals carry it.

Helio (vocabulary/solar_business.json) installs solar roofs for households. Leads arrive all year
round for two years and go quiet as they age; none of its event types but page_view is known to
the shipped seeds. Whether a lead signs follows a daily hazard whose log-odds the vocabulary
states:

    daily log-odds = base + occupation + lead source + 0.3 x interest
                     + sum over types of effect x min(decayed count, cap)

with each type's count decayed by its own half-life (0.5 ** (days / half-life), as the warehouse
decays), so the last quote view weighs most and fades within weeks, and returned mail, unanswered
chats and a "not interested" form pull down for long. interest (never in the data) also drives
how often a lead acts. A lead that signs gets an opportunity that day (won or lost later) and
acts no more. Deterministic for a given --seed.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from leadscore.foreign import draw, generator_command, write_raw_tables
from leadscore.options import main_for
from leadscore.paths import PACKAGE

VOCABULARY = json.loads((PACKAGE / "vocabulary" / "solar_business.json").read_text())
DEFAULT_END_DATE = "2026-06-30"


def generate(db_path: str, leads: int = 6000, seed: int = 5, end_date: str = DEFAULT_END_DATE,
             schema: str = "raw") -> dict:
    rng = np.random.default_rng(seed)
    span = int(VOCABULARY["span_days"])
    end = pd.Timestamp(end_date)
    first_day = end.normalize() - pd.Timedelta(days=span - 1)
    created_day = np.sort(rng.integers(0, span, leads))
    created = first_day + pd.to_timedelta(created_day, unit="D") \
        + pd.to_timedelta(rng.integers(0, 86400, leads), unit="s")
    occupation, occupation_effect = draw(rng, VOCABULARY["occupations"], leads)
    source, source_effect = draw(rng, VOCABULARY["lead_sources"], leads)
    country, _ = draw(rng, VOCABULARY["countries"], leads)
    interest = rng.normal(0.0, 1.0, leads)
    fixed = VOCABULARY["daily_base_log_odds"] + occupation_effect + source_effect + 0.3 * interest
    kinds = VOCABULARY["event_types"]
    rates = np.array([[k["daily_rate"] for k in kinds]]) * np.exp(
        np.outer(interest, [k["interest_slope"] for k in kinds]))
    keep = np.array([0.5 ** (1.0 / k["half_life_days"]) for k in kinds])
    caps = np.array([k["cap_events"] for k in kinds], dtype=float)
    effects = np.array([k["effect"] for k in kinds])
    quieting = np.log(2) / VOCABULARY["activity_half_life_days"]

    state = np.zeros((leads, len(kinds)))
    signed_day = np.full(leads, -1)
    owners, types, days = [], [], []
    for day in range(span):
        active = (created_day <= day) & (signed_day < 0)
        # Signing today depends on what the lead did before today.
        log_odds = fixed + (effects * np.minimum(state, caps)).sum(axis=1)
        signs = active & (created_day < day) & (rng.uniform(size=leads) < 1 / (1 + np.exp(-log_odds)))
        signed_day[signs] = day
        active &= ~signs
        age = np.maximum(day - created_day, 0)
        counts = rng.poisson(rates * np.exp(-quieting * age)[:, None]) * active[:, None]
        state = state * keep + counts
        lead_index, type_index = np.nonzero(counts)
        for n in range(1, int(counts.max(initial=0)) + 1):
            many = counts[lead_index, type_index] >= n
            owners.append(lead_index[many])
            types.append(type_index[many])
            days.append(np.full(int(many.sum()), day))
    owners, types, days = (np.concatenate(a) if a else np.array([], dtype=int)
                           for a in (owners, types, days))
    at = first_day + pd.to_timedelta(days, unit="D") + pd.to_timedelta(
        rng.integers(0, 86400, len(days)), unit="s")
    # An event of the lead's first day happens after its creation.
    at = np.maximum(at, created[owners] + pd.Timedelta(seconds=1))
    lead_ids = np.array([f"HE{i:06d}" for i in range(leads)])
    events = pd.DataFrame({"lead_id": lead_ids[owners],
                           "event_type": np.array([k["value"] for k in kinds], dtype=object)[types],
                           "occurred_at": pd.DatetimeIndex(at).floor("s")})
    events = events[events["occurred_at"] <= end].sort_values(["lead_id", "occurred_at"],
                                                               kind="stable")
    events["event_id"] = [f"HEE{i:08d}" for i in range(len(events))]
    events["page_url"] = np.where(events["event_type"] == "page_view", "https://helio.example/roof", None)

    signed = np.flatnonzero(signed_day >= 0)
    opened = first_day + pd.to_timedelta(signed_day[signed], unit="D") + pd.to_timedelta(
        rng.integers(0, 86400, len(signed)), unit="s")
    closes = opened + pd.to_timedelta(rng.uniform(1, 30, len(signed)), unit="D")
    won = rng.uniform(size=len(signed)) < VOCABULARY["won_share"]
    opportunities = pd.DataFrame({
        "opportunity_id": [f"HEO{i:06d}" for i in signed],
        "lead_id": lead_ids[signed],
        "created_at": pd.DatetimeIndex(opened).floor("s"),
        "stage": np.where(closes > end, "open", np.where(won, "closed_won", "closed_lost")),
        "closed_at": pd.Series(pd.DatetimeIndex(closes).floor("s")).where(closes <= end).to_numpy(),
        "amount_usd": 14000.0,
    })
    lead_rows = pd.DataFrame({
        "lead_id": lead_ids, "email": [f"household{i}@helio-mail.example" for i in range(leads)],
        "first_name": "Kim", "last_name": "Berger", "job_title": occupation, "country": country,
        "lead_source": source, "created_at": pd.DatetimeIndex(created).floor("s"),
        "updated_at": pd.DatetimeIndex(created).floor("s"),
    })
    return write_raw_tables(db_path, schema, {
        "crm_leads": lead_rows, "marketing_events": events, "crm_opportunities": opportunities})


command = generator_command("solar", __doc__.split("\n")[0], generate, "warehouse/solar.duckdb",
                            6000, 5, DEFAULT_END_DATE)
main = main_for(command)


if __name__ == "__main__":
    sys.exit(main())
