#!/usr/bin/env python3
"""The Polars peer of the benchmark: a second independent cross-check of the SQL scoring, the way
a data engineer would write it in 2026 (lazy Polars over Parquet exports of the raw tables). The
same scoring as the warehouse and as pandas_peer.py, written without reading the models, as of a
date. Reads the raw and seed tables from the DuckDB file (the raw tables through Parquet files,
as a lake would hold them; the export is part of the time) and writes main.polars_result
(lead_id, fit_score, engagement_score, lead_score, lifecycle_stage) for `leadscore bench` to time
and compare with the mart. Not used by the warehouse.

    python benchmarks/polars_peer.py DB AS_OF
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import tempfile
from pathlib import Path

import duckdb
import polars as pl

EMAIL = r"^[^@ ]+@[^@ ]+[.][a-z]{2,}$"
RAW_COLUMNS = ["lead_id", "email", "first_name", "last_name", "job_title", "company_name",
               "company_domain", "industry", "employee_count", "annual_revenue_usd", "country",
               "lead_source", "budget_confirmed", "purchase_timeline", "use_case",
               "do_not_contact", "created_at", "updated_at"]


def null_if_empty(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr != "").then(expr)


def key(expr: pl.Expr) -> pl.Expr:
    """A free-text value as a matching key: lower case, runs of punctuation as one space."""
    return null_if_empty(expr.str.to_lowercase().str.replace_all(r"(?:[^\w&+]|_)+", " ")
                         .str.strip_chars())


def clean_email(expr: pl.Expr) -> pl.Expr:
    email = expr.str.strip_chars().str.to_lowercase()
    return pl.when(email.str.contains(EMAIL)).then(email)


def first_match(words: pl.Expr, patterns: pl.DataFrame, name: str) -> pl.Expr:
    """The name of the first pattern (by match_order) found in words; null when none is."""
    rows = patterns.sort("match_order").select("title_pattern", name).rows()
    if not rows:
        return pl.lit(None, dtype=pl.String)
    chain = pl.when(words.str.contains(rows[0][0])).then(pl.lit(rows[0][1]))
    for pattern, value in rows[1:]:
        chain = chain.when(words.str.contains(pattern)).then(pl.lit(value))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def mapped(expr: pl.Expr, mapping: dict, default=None) -> pl.Expr:
    return expr.replace_strict(mapping, default=default)


def as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A raw value as the fingerprint writes it ('~' for null)."""
    col = pl.col(column)
    if column == "employee_count":
        text = col.cast(pl.Int64).cast(pl.String)
    elif column == "annual_revenue_usd":
        text = col.cast(pl.Float64).map_elements(lambda v: f"{v:.2f}", return_dtype=pl.String)
    elif dtype == pl.Boolean:
        text = col.cast(pl.String)
    elif isinstance(dtype, pl.Datetime):
        text = (pl.when(col.dt.microsecond() != 0)
                .then(col.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
                .otherwise(col.dt.strftime("%Y-%m-%d %H:%M:%S")))
    else:
        text = col.cast(pl.String)
    return text.fill_null("~")


def main(db: str, as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    known_before = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    con = duckdb.connect(db)
    with tempfile.TemporaryDirectory(prefix="polars-peer-") as tmp:
        for table in ("crm_leads", "marketing_events"):
            con.execute(f"copy raw.{table} to '{Path(tmp) / table}.parquet' (format parquet)")

        def seed(name: str) -> pl.DataFrame:
            cursor = con.execute(f"select * from staging.{name}")
            names = [d[0] for d in cursor.description]
            return pl.DataFrame(cursor.fetchall(), schema=names, orient="row", infer_schema_length=None)

        leads = pl.read_parquet(Path(tmp) / "crm_leads.parquet")
        events = pl.scan_parquet(Path(tmp) / "marketing_events.parquet")
        result = score(leads, events, seed, day, known_before)
        out = Path(tmp) / "result.parquet"
        result.write_parquet(out)
        con.execute(f"create or replace table main.polars_result as select * from read_parquet('{out}')")
    con.close()


def score(leads: pl.DataFrame, events: pl.LazyFrame, seed, day: dt.date,
          known_before: dt.datetime) -> pl.DataFrame:
    settings = dict(seed("scoring_settings").select("setting", "setting_value").rows())
    criteria = seed("bant_criteria")
    required = set(criteria.filter(pl.col("is_required_for_sql"))["bant_criterion"])

    # Lead versions: the latest version known by the date; ties broken by the row fingerprint.
    joined = pl.concat_str([as_text(c, leads.schema[c]) for c in RAW_COLUMNS], separator="|")
    leads = leads.with_columns(
        fingerprint=joined.map_elements(lambda s: hashlib.md5(s.encode()).hexdigest(),
                                        return_dtype=pl.String),
        known_at=pl.coalesce("updated_at", "created_at"),
        lead_id=null_if_empty(pl.col("lead_id").str.strip_chars()))
    current = (
        leads.filter(pl.col("lead_id").is_not_null()
                     & ((pl.col("known_at") < known_before) | pl.col("known_at").is_null()))
        .sort(["lead_id", "known_at", "fingerprint"], descending=[False, True, True],
              nulls_last=True)
        .unique("lead_id", keep="first", maintain_order=True)
        .filter(pl.col("created_at").is_not_null() & (pl.col("created_at") < known_before))
    )

    industries, aliases = seed("icp_industries"), seed("industry_aliases")
    industry_map = dict(zip(aliases.select(key(pl.col("industry_alias")))[:, 0], aliases["industry"]))
    industry_map.update(zip(industries.select(key(pl.col("industry")))[:, 0], industries["industry"]))
    countries = seed("country_aliases")
    country_map = dict(zip(countries.select(key(pl.col("country_alias")))[:, 0],
                           countries["country_code"].str.strip_chars().str.to_uppercase()))
    free = seed("free_mail_domains")["email_domain"].to_list()
    seniorities, departments = seed("icp_seniorities"), seed("icp_departments")

    domain = (pl.col("company_domain").str.strip_chars().str.to_lowercase()
              .str.replace(r"^[a-z]+://", "").str.replace_all(r"^www[.]|[/?#:].*$", ""))
    current = current.with_columns(
        email_c=clean_email(pl.col("email")),
        title_words=" " + pl.col("job_title").str.to_lowercase()
        .str.replace_all(r"(?:\W|_)+", " ").str.strip_chars() + " ",
        industry_c=mapped(key(pl.col("industry")), industry_map),
        country_key=key(pl.col("country")),
        domain=null_if_empty(domain),
    ).with_columns(
        email_domain=pl.col("email_c").str.split("@").list.get(1, null_on_oob=True),
        country_code=pl.coalesce(
            mapped(pl.col("country_key"), country_map),
            pl.when(pl.col("country_key").str.len_chars() == 2)
            .then(pl.col("country_key").str.to_uppercase())),
        seniority=first_match(pl.col("title_words"), seniorities, "seniority"),
        department=first_match(pl.col("title_words"), departments, "department"),
    ).with_columns(
        is_free_mail=pl.col("email_domain").is_in(free).fill_null(False),
    ).with_columns(
        company_domain_c=pl.coalesce(
            "domain", pl.when(~pl.col("is_free_mail")).then(pl.col("email_domain"))),
    )

    points = lambda frame, column: dict(zip(frame[column], frame["fit_points"]))  # noqa: E731
    fit = mapped(pl.col("industry_c"), points(industries, "industry"), 0).cast(pl.Float64)
    employees = pl.col("employee_count").cast(pl.Float64)
    for band in seed("icp_company_size_bands").iter_rows(named=True):
        fit += pl.when(employees.is_between(band["min_employees"], band["max_employees"])) \
            .then(band["fit_points"]).otherwise(0)
    revenue = pl.col("annual_revenue_usd").cast(pl.Float64)
    for band in seed("icp_revenue_bands").iter_rows(named=True):
        fit += pl.when((revenue >= float(band["min_revenue_usd"]))
                       & (revenue < float(band["max_revenue_usd"]))).then(band["fit_points"]).otherwise(0)
    fit += mapped(pl.col("seniority"), points(seniorities, "seniority"), 0)
    fit += mapped(pl.col("department"), points(departments, "department"), 0)
    icp_countries = seed("icp_countries")
    fit += mapped(pl.col("country_code"), dict(zip(
        icp_countries["country_code"].str.strip_chars().str.to_uppercase(), icp_countries["fit_points"])), 0)
    sources = seed("lead_source_points")
    fit += mapped(key(pl.col("lead_source")), dict(zip(
        sources.select(key(pl.col("lead_source")))[:, 0], sources["fit_points"])), 0)
    current = current.with_columns(fit_score=fit.fill_null(0).clip(0, 100))

    # Events: the first delivery per id, attributed by lead id or the email's latest owner.
    owners = (current.filter(pl.col("email_c").is_not_null())
              .sort(["email_c", "known_at", "lead_id"], descending=[False, True, False], nulls_last=True)
              .unique("email_c", keep="first", maintain_order=True)
              .select("email_c", owner_by_email="lead_id"))
    valid = current.select(valid_id="lead_id", created_date=pl.col("created_at").dt.date())
    # Attribute rules: the first of the event's type that matches (page and campaign restricted
    # first, then priority), else the type's weight.
    columns = ["rule_key", "points", "max_points_per_lead", "half_life_days"]
    type_weights = seed("engagement_weights").with_columns(
        rule_key=pl.lit("type:") + pl.col("event_type").str.strip_chars().str.to_lowercase())
    rules = seed("engagement_attribute_rules").with_columns(
        event_type=pl.col("event_type").str.strip_chars().str.to_lowercase(),
        pattern=null_if_empty(pl.col("page_url_pattern").str.strip_chars()),
        campaign=null_if_empty(pl.col("campaign_id").str.strip_chars().str.to_lowercase()),
        rule_key=pl.lit("rule:") + pl.col("rule_id").str.strip_chars(),
    ).with_columns(both=pl.col("pattern").is_not_null() & pl.col("campaign").is_not_null()
                   ).sort(["both", "priority", "rule_id"], descending=[True, False, False])
    weights = pl.concat([type_weights.select(columns), rules.select(columns)])
    rule_key = pl.lit("type:") + pl.col("event_type")
    for rule in reversed(rules.rows(named=True)):
        hit = pl.col("event_type") == rule["event_type"]
        if rule["pattern"] is not None:
            hit = hit & pl.col("page_url").str.to_lowercase().str.contains(rule["pattern"]).fill_null(False)
        if rule["campaign"] is not None:
            hit = hit & (pl.col("campaign_id").str.to_lowercase() == rule["campaign"]).fill_null(False)
        rule_key = pl.when(hit).then(pl.lit(rule["rule_key"])).otherwise(rule_key)
    ev = (
        events.with_columns(
            event_id=null_if_empty(pl.col("event_id").str.strip_chars()),
            lead_id=null_if_empty(pl.col("lead_id").str.strip_chars()),
            email_c=clean_email(pl.col("email")),
            event_type=null_if_empty(pl.col("event_type").str.strip_chars().str.to_lowercase()),
            page_url=null_if_empty(pl.col("page_url").str.strip_chars()),
            campaign_id=null_if_empty(pl.col("campaign_id").str.strip_chars()))
        .filter(pl.col("event_id").is_not_null() & (pl.col("occurred_at") < known_before))
        .sort(["event_id", "occurred_at", "event_type", "lead_id", "email_c", "page_url",
               "campaign_id"], nulls_last=True)
        .unique("event_id", keep="first", maintain_order=True)
        .filter(pl.col("event_type").is_not_null()
                & (pl.col("lead_id").is_not_null() | pl.col("email_c").is_not_null()))
        .join(owners.lazy(), on="email_c", how="left")
        .join(valid.lazy().select("valid_id"), left_on="lead_id", right_on="valid_id", how="left",
              coalesce=False)
        .with_columns(owner=pl.when(pl.col("lead_id").is_not_null()).then(pl.col("valid_id"))
                      .otherwise(pl.col("owner_by_email")))
        .filter(pl.col("owner").is_not_null())
        .join(valid.lazy(), left_on="owner", right_on="valid_id", how="inner")
        .with_columns(event_date=pl.col("occurred_at").dt.date())
        .filter(pl.col("event_date") >= pl.col("created_date"))
        .with_columns(rule_key=rule_key)
        .join(weights.lazy(), on="rule_key", how="left")
        .with_columns(decayed=pl.col("points").fill_null(0) * pl.lit(0.5).pow(
            (pl.lit(day) - pl.col("event_date")).dt.total_days() / pl.col("half_life_days")))
    )
    per_type = (
        ev.group_by("owner", "event_type", "rule_key")
        .agg(decayed=pl.col("decayed").fill_nan(None).fill_null(0).sum(),
             cap=pl.col("max_points_per_lead").max())
        .with_columns(capped=pl.when(pl.col("cap").is_null()).then(0.0)
                      .otherwise(pl.col("decayed").clip(-pl.col("cap"), pl.col("cap"))))
        .collect()
    )
    engagement = per_type.group_by("owner").agg(engagement=pl.col("capped").sum())
    current = (current.join(engagement, left_on="lead_id", right_on="owner", how="left")
               .with_columns(engagement_score=pl.col("engagement").fill_null(0).clip(0, 100)))
    current = current.with_columns(
        lead_score=settings["fit_weight"] * pl.col("fit_score")
        + settings["engagement_weight"] * pl.col("engagement_score"))

    # Disqualification and stage.
    lead_types = per_type.select("owner", "event_type")
    dq = pl.lit(False)
    for rule in seed("disqualification_rules").iter_rows(named=True):
        value, kind = rule["match_value"], rule["rule_type"]
        if kind == "do_not_contact":
            dq = dq | pl.col("do_not_contact").fill_null(False)
        elif kind == "event_type":
            having = lead_types.filter(pl.col("event_type") == str(value).strip().lower())["owner"]
            dq = dq | pl.col("lead_id").is_in(having.implode())
        elif kind == "email_domain":
            v = str(value).strip().lower()
            dq = dq | (pl.col("email_domain") == v).fill_null(False) \
                | (pl.col("company_domain_c") == v).fill_null(False)
        elif kind == "free_mail_domain":
            dq = dq | (pl.col("is_free_mail") & pl.col("company_domain_c").is_null())
        elif kind == "title_pattern":
            dq = dq | pl.col("title_words").str.contains(value).fill_null(False)
        elif kind == "country":
            dq = dq | (pl.col("country_code") == str(value).strip().upper()).fill_null(False)
        elif kind == "industry":
            wanted = pl.select(key(pl.lit(value))).item()
            dq = dq | (key(pl.col("industry_c")) == wanted).fill_null(False)
    timelines = seed("bant_timelines")
    qualifying = dict(zip(timelines.select(key(pl.col("purchase_timeline")))[:, 0],
                          timelines["is_qualifying"]))
    met = {
        "budget": pl.col("budget_confirmed").fill_null(False),
        "authority": mapped(pl.col("seniority"), dict(zip(
            seniorities["seniority"], seniorities["has_buying_authority"])), False).fill_null(False),
        "need": null_if_empty(pl.col("use_case").str.strip_chars()).is_not_null(),
        "timeline": mapped(key(pl.col("purchase_timeline")), qualifying, False).fill_null(False),
    }
    bant = pl.lit(True)
    for criterion in required:
        bant = bant & met[criterion]
    # An MQL or SQL needs the fit and engagement minimums too.
    eligible = ((pl.col("fit_score") >= settings["mql_min_fit_score"])
                & (pl.col("engagement_score") >= settings["mql_min_engagement_score"]))
    stage = (pl.when(dq).then(pl.lit("disqualified"))
             .when(eligible & (pl.col("lead_score") >= settings["sql_min_lead_score"]) & bant)
             .then(pl.lit("sql"))
             .when(eligible & (pl.col("lead_score") >= settings["mql_min_lead_score"])).then(pl.lit("mql"))
             .otherwise(pl.lit("lead")))
    return current.select("lead_id", pl.col("fit_score").cast(pl.Float64),
                          pl.col("engagement_score").cast(pl.Float64),
                          pl.col("lead_score").cast(pl.Float64), lifecycle_stage=stage)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
