"""What the scratch build knows about each training and validation lead: labels, fit values, event counts, places, evidence."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd


Z95 = 1.959964


@dataclass
class Features:
    leads: pd.DataFrame        # one row per (score_as_of, lead_id): label and current scores
    fit: pd.DataFrame          # (score_as_of, lead_id, feature, dimension, value, display, is_new)
    events: pd.DataFrame       # (score_as_of, lead_id, event_type, events, d<h> per half-life)


def dates_sql(dates: list[dt.date]) -> str:
    return ", ".join(f"date '{d.isoformat()}'" for d in dates)


def load_features(db: Path, dates: list[dt.date], half_lives: list[int]) -> Features:
    con = duckdb.connect(str(db), read_only=True)
    try:
        leads = con.execute(f"""
            select outcomes.score_as_of, outcomes.lead_id, outcomes.is_converted,
                   scored.lead_row_id, scored.fit_score, scored.engagement_score,
                   scored.lead_score, scored.lifecycle_stage, scored.disqualification_reason,
                   versions.lead_created_at,
                   datediff('day', versions.lead_created_at, outcomes.score_as_of) as age_days
            from intermediate.int_lead_outcomes_observed as outcomes
            inner join intermediate.int_leads_scored as scored
                on outcomes.score_as_of = scored.score_as_of and outcomes.lead_id = scored.lead_id
            inner join intermediate.int_lead_versions_selected as versions
                on outcomes.score_as_of = versions.score_as_of and outcomes.lead_id = versions.lead_id
            where outcomes.score_as_of in ({dates_sql(dates)})
            order by outcomes.score_as_of, outcomes.lead_id
        """).df()
        # A value the seeds matched is the rule's name; otherwise the value as the models read it
        # (industry text after aliases, country, lead source, or the whole title when neither a
        # seniority nor a department matched it), proposed as a new row.
        fit = con.execute(f"""
            with scored as (
                select score_as_of, lead_id, lead_row_id from intermediate.int_leads_scored
                where score_as_of in ({dates_sql(dates)})
            ),
            matched as (
                select scored.score_as_of, scored.lead_id, fit.fit_dimension as dimension,
                       fit.fit_rule as value, fit.fit_rule as display, false as is_new
                from scored
                inner join intermediate.int_fit_points_matched as fit using (lead_row_id)
            ),
            versions as (
                select scored.score_as_of, scored.lead_id, v.*
                from scored
                inner join intermediate.int_lead_versions_enriched as v using (lead_row_id)
            ),
            unmatched as (
                select score_as_of, lead_id, 'industry' as dimension, industry_key as value,
                       industry_raw as display
                from versions where industry is null and industry_key is not null
                union all
                select score_as_of, lead_id, 'country', coalesce(lower(country_code), country_key),
                       country_raw
                from versions where country_key is not null
                union all
                select score_as_of, lead_id, 'lead_source', lead_source_key, lead_source
                from versions where lead_source_key is not null
                union all
                select score_as_of, lead_id, 'title', trim(job_title_words), job_title
                from versions
                where seniority is null and department is null
                    and nullif(trim(job_title_words), '') is not null
            )
            select * from matched
            union all
            select unmatched.*, true as is_new
            from unmatched
            left join matched
                on unmatched.score_as_of = matched.score_as_of
                and unmatched.lead_id = matched.lead_id
                and unmatched.dimension = matched.dimension
            where matched.lead_id is null
        """).df()
        decayed = ",\n".join(
            f"sum(event_count * pow(0.5, datediff('day', event_date, score_as_of) / {h}.0)) as d{h}"
            for h in half_lives)
        # Events an attribute rule scores are its own feature ('rule:<rule_id>'), the others
        # their type's.
        events = con.execute(f"""
            select score_as_of, lead_id,
                   case when rule_key like 'rule:%' then rule_key else event_type end as event_type,
                   sum(event_count) as events,
                   {decayed}
            from intermediate.int_event_days_resolved
            where rejection_reason is null and score_as_of in ({dates_sql(dates)})
            group by all
        """).df()
    finally:
        con.close()
    fit["feature"] = fit["dimension"] + "|" + fit["value"]
    return Features(leads, fit, events)


def rule_candidates(db: Path, dates: list[dt.date]) -> pd.DataFrame:
    """(score_as_of, lead_id, event_type, kind, value) for every page section (the URL's first
    path segment, '/case-studies'), page (its first two, '/case-studies/acme') and campaign a
    lead's own events carry by each date: the places an attribute rule could name. A URL may be
    absolute or a bare path ('landing_page/40e6'). Events belong to leads as for the scores (the
    owners of int_event_days_resolved)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"""
            with owners as (
                select distinct score_as_of, lead_ref_type, lead_ref, lead_id
                from intermediate.int_event_days_resolved
                where rejection_reason is null and score_as_of in ({dates_sql(dates)})
            ),
            paths as (
                select
                    case when lead_id is not null then 'lead_id' else 'email' end as lead_ref_type,
                    coalesce(lead_id, email) as lead_ref, event_type, event_date,
                    -- The path without scheme, host and leading slashes: 'case-studies/acme?x'.
                    ltrim(regexp_replace(lower(page_url), '^[a-z]+://[^/]*', ''), '/') as path,
                    lower(campaign_id) as campaign
                from intermediate.int_events_deduplicated
                where event_type is not null and (page_url is not null or campaign_id is not null)
            ),
            events as (
                select *,
                    nullif(regexp_extract(path, '^([^/?#]+)', 1), '') as section,
                    nullif(regexp_extract(path, '^([^/?#]+/[^/?#]+)', 1), '') as page
                from paths
            ),
            places as (
                select lead_ref_type, lead_ref, event_type, event_date, 'page' as kind,
                       '/' || section as value
                from events where section is not null
                union all
                select lead_ref_type, lead_ref, event_type, event_date, 'page', '/' || page
                from events where page is not null
                union all
                select lead_ref_type, lead_ref, event_type, event_date, 'campaign', campaign
                from events where campaign is not null
            )
            select distinct owners.score_as_of, owners.lead_id, places.event_type, places.kind,
                   places.value
            from places
            inner join owners using (lead_ref_type, lead_ref)
            where places.event_date <= owners.score_as_of
        """).df()
    finally:
        con.close()


def portable_literal(text: str) -> str:
    """A path as a portable regular expression matching it literally ('.' -> '[.]')."""
    return "".join(f"[{c}]" if c in ".+*?()[]{}|^$" else c for c in text)


def page_pattern(path: str) -> str:
    """The attribute-rule pattern of a page path ('/demo'): the path at the start of the URL,
    after an optional scheme and host, with or without its leading slash, ending there or at
    '/', '?' or '#'."""
    return "^([a-z]+://[^/]*)?/?" + portable_literal(path.lstrip("/")) + "([/?#]|$)"


def covered_by_rules(event_type: str, kind: str, value: str, rules: list[dict]) -> bool:
    for rule in rules:
        if rule["event_type"].strip().lower() != event_type:
            continue
        pattern = (rule.get("page_url_pattern") or "").strip()
        campaign = (rule.get("campaign_id") or "").strip().lower()
        if kind == "page" and pattern and re.search(pattern, "https://x" + value + "/"):
            return True
        if kind == "campaign" and campaign == value:
            return True
    return False


def suggest_rules(candidates: pd.DataFrame, train: pd.DataFrame, min_leads: int,
                  rules: list[dict], limit: int = 5) -> pd.DataFrame:
    """Page sections and campaigns no attribute rule covers whose training leads convert above
    the base rate with strong evidence, the strongest first: the rows a person may add to
    engagement_attribute_rules.csv. With many places tested some clear 95 % by chance, so the
    interval is widened for their number (Bonferroni: 95 % for all of them together) and its
    lower end must lie above 1; each lead counts once, on its latest training date (the same
    lead on several dates is not independent evidence)."""
    if candidates.empty:
        empty = pd.DataFrame()
        empty.attrs["tested"] = 0
        return empty
    train = train.sort_values("score_as_of").drop_duplicates("lead_id", keep="last")
    base_rate = float(train["is_converted"].mean())
    keys = candidates.assign(feature=candidates["event_type"] + "|" + candidates["kind"] + "|"
                             + candidates["value"])[["score_as_of", "lead_id", "feature"]]
    counts = keys.drop_duplicates().merge(train, on=["score_as_of", "lead_id"])["feature"].value_counts()
    tested = max(1, int((counts >= min_leads).sum()))
    z = statistics.NormalDist().inv_cdf(1 - 0.025 / tested)
    table = evidence_table(keys, train, base_rate, z)
    table = table[(table["leads"] >= min_leads) & (table["lift_low"] > 1)]
    rows = []
    # Sections before the pages in them (the broader rule first), then the strongest evidence.
    table = table.assign(depth=[f.count("/") for f in table.index])
    for feature, row in table.sort_values(["depth", "lift_low"], ascending=[True, False]).iterrows():
        event_type, kind, value = feature.split("|", 2)
        # A page inside a section already suggested (or the section of a page) adds nothing.
        nested = any(r["event_type"] == event_type and r["kind"] == kind == "page"
                     and (r["value"].startswith(value + "/") or value.startswith(r["value"] + "/"))
                     for r in rows)
        if not nested and not covered_by_rules(event_type, kind, value, rules):
            rows.append({"feature": feature, "event_type": event_type, "kind": kind, "value": value,
                         **row.drop("depth").to_dict()})
    rows.sort(key=lambda r: -r["lift_low"])
    suggested = pd.DataFrame(rows[:limit])
    suggested.attrs["tested"] = tested  # places with enough leads to be judged
    return suggested


def wilson(conversions: float, leads: float, z: float = Z95) -> tuple[float, float]:
    if leads <= 0:
        return (0.0, 1.0)
    p = conversions / leads
    centre = (p + z * z / (2 * leads)) / (1 + z * z / leads)
    half = z * math.sqrt(p * (1 - p) / leads + z * z / (4 * leads * leads)) / (1 + z * z / leads)
    return (max(0.0, centre - half), min(1.0, centre + half))


def evidence_table(keys: pd.DataFrame, labels: pd.DataFrame, base_rate: float,
                   z: float = Z95) -> pd.DataFrame:
    """keys: (score_as_of, lead_id, feature) present; labels: (score_as_of, lead_id, is_converted).
    Per feature: training lead-dates, conversions, rate, lift over the base rate and its 95 %
    interval (Wilson interval of the rate over the base rate)."""
    joined = keys.drop_duplicates(["score_as_of", "lead_id", "feature"]).merge(
        labels, on=["score_as_of", "lead_id"])
    table = joined.groupby("feature").agg(leads=("lead_id", "size"),
                                          conversions=("is_converted", "sum")).reset_index()
    table["conversions"] = table["conversions"].astype(int)
    table["rate"] = table["conversions"] / table["leads"]
    bounds = [wilson(c, n, z) for c, n in zip(table["conversions"], table["leads"])]
    table["lift"] = table["rate"] / base_rate
    table["lift_low"] = [low / base_rate for low, _ in bounds]
    table["lift_high"] = [high / base_rate for _, high in bounds]
    return table.set_index("feature")


def disqualification_evidence(leads: pd.DataFrame, train: pd.DataFrame, base_rate: float) -> pd.DataFrame:
    """Per disqualification reason: the training leads it disqualified and how they converted."""
    reasons = leads.dropna(subset=["disqualification_reason"])
    keys = reasons.assign(feature=reasons["disqualification_reason"])[["score_as_of", "lead_id", "feature"]]
    if keys.empty:
        return pd.DataFrame(columns=["leads", "conversions", "rate", "lift", "lift_low", "lift_high"])
    return evidence_table(keys, train, base_rate).sort_values("leads", ascending=False)


def training_scores(db: Path, dates: list[dt.date]) -> pd.DataFrame:
    """Scores the build computed for the training leads, with their labels."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"""
            select scored.fit_score, scored.engagement_score, scored.lead_score,
                   scored.lifecycle_stage = 'disqualified' as is_disqualified,
                   scored.is_mql_eligible, outcomes.is_converted
            from intermediate.int_lead_outcomes_observed as outcomes
            inner join intermediate.int_leads_scored as scored
                on outcomes.score_as_of = scored.score_as_of and outcomes.lead_id = scored.lead_id
            where outcomes.score_as_of in ({dates_sql(dates)})
        """).df()
    finally:
        con.close()


def scored_outcomes(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""
            select lead_id, lead_score, lifecycle_stage, is_converted
            from marts.backtest_lead_outcomes order by lead_id
        """).df()
    finally:
        con.close()
