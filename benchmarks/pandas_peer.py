#!/usr/bin/env python3
"""The pandas peer of the benchmark: an independent cross-check of the SQL scoring. The same
scoring as the warehouse, written again in plain pandas (the way a notebook would) without
reading the models, as of a date. Reads the raw and seed tables from the DuckDB file and writes
main.pandas_result (lead_id, fit_score, engagement_score, lead_score, lifecycle_stage) for
`leadscore bench` to time and compare with the mart: a disagreement is a bug in one of the two.
Not used by the warehouse.

    python benchmarks/pandas_peer.py DB AS_OF
"""

from __future__ import annotations

import re
import sys
import warnings

import duckdb
import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular expression")
EMAIL = re.compile(r"^[^@ ]+@[^@ ]+[.][a-z]{2,}$")


def key(series: pd.Series) -> pd.Series:
    out = series.str.lower().str.replace(r"(?:[^\w&+]|_)+", " ", regex=True).str.strip()
    return out.where(out != "")


def clean_email(series: pd.Series) -> pd.Series:
    s = series.str.strip().str.lower()
    return s.where(s.fillna("").str.match(EMAIL))


def first_match(words: pd.Series, patterns: pd.DataFrame, name: str) -> pd.Series:
    result = pd.Series(None, index=words.index, dtype=object)
    for _, row in patterns.sort_values("match_order").iterrows():
        hit = result.isna() & words.fillna("").str.contains(row["title_pattern"], regex=True)
        result[hit] = row[name]
    return result


def main(db: str, as_of: str) -> None:
    con = duckdb.connect(db)
    seed = lambda name: con.execute(f"select * from staging.{name}").df()  # noqa: E731
    leads = con.execute("select * from raw.crm_leads").df()
    events = con.execute("select * from raw.marketing_events").df()
    day = pd.Timestamp(as_of)
    known_before = day + pd.Timedelta(days=1)

    settings = dict(zip(seed("scoring_settings")["setting"], seed("scoring_settings")["setting_value"]))
    criteria = seed("bant_criteria")
    required = set(criteria.loc[criteria["is_required_for_sql"], "bant_criterion"])

    # Lead versions: latest known version per lead; ties broken by the row fingerprint.
    leads["known_at"] = leads["updated_at"].fillna(leads["created_at"])
    # The fingerprint of the raw row, as the SQL casts each value to text.
    def as_text(column: str) -> pd.Series:
        values = leads[column]
        if column == "employee_count":
            return values.map(lambda v: "~" if pd.isna(v) else str(int(v)))
        if column == "annual_revenue_usd":
            return values.map(lambda v: "~" if pd.isna(v) else f"{float(v):.2f}")
        if column in ("budget_confirmed", "do_not_contact"):
            return values.map(lambda v: "~" if pd.isna(v) else str(bool(v)).lower())
        return values.map(lambda v: "~" if pd.isna(v) else str(v))

    raw_columns = ["lead_id", "email", "first_name", "last_name", "job_title", "company_name",
                   "company_domain", "industry", "employee_count", "annual_revenue_usd", "country",
                   "lead_source", "budget_confirmed", "purchase_timeline", "use_case",
                   "do_not_contact", "created_at", "updated_at"]
    raw_lead_id = leads["lead_id"].copy()
    leads["lead_id"] = raw_lead_id
    import hashlib
    parts = [as_text(c).astype(object) for c in raw_columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "|" + part
    leads["fingerprint"] = joined.map(lambda s: hashlib.md5(s.encode()).hexdigest())
    leads["lead_id"] = raw_lead_id.str.strip().replace("", None)
    known = leads[leads["lead_id"].notna() & ((leads["known_at"] < known_before) | leads["known_at"].isna())]
    known = known.assign(_null=known["known_at"].isna()).sort_values(
        ["lead_id", "_null", "known_at", "fingerprint"], ascending=[True, True, False, False])
    current = known.drop_duplicates("lead_id")
    current = current[current["created_at"].notna() & (current["created_at"] < known_before)].copy()

    current["email_c"] = clean_email(current["email"])
    current["email_domain"] = current["email_c"].str.split("@").str[1]
    current["title_words"] = " " + current["job_title"].str.lower().str.replace(r"(?:\W|_)+", " ", regex=True).str.strip() + " "
    domain = (current["company_domain"].str.strip().str.lower()
              .str.replace(r"^[a-z]+://", "", regex=True).str.replace(r"^www[.]|[/?#:].*$", "", regex=True))
    domain = domain.where(domain != "")
    free = set(seed("free_mail_domains")["email_domain"])
    current["is_free_mail"] = current["email_domain"].isin(free)
    current["company_domain_c"] = domain.fillna(current["email_domain"].where(~current["is_free_mail"]))

    aliases = seed("industry_aliases")
    industries = seed("icp_industries")
    ind_map = dict(zip(key(aliases["industry_alias"]), aliases["industry"]))
    ind_map.update(dict(zip(key(industries["industry"]), industries["industry"])))
    current["industry_c"] = key(current["industry"]).map(ind_map)
    countries = seed("country_aliases")
    c_map = dict(zip(key(countries["country_alias"]), countries["country_code"].str.strip().str.upper()))
    ckey = key(current["country"])
    current["country_code"] = ckey.map(c_map).fillna(ckey.where(ckey.str.len() == 2).str.upper())

    sen = seed("icp_seniorities")
    current["seniority"] = first_match(current["title_words"], sen, "seniority")
    dep = seed("icp_departments")
    current["department"] = first_match(current["title_words"], dep, "department")

    fit = current["industry_c"].map(dict(zip(industries["industry"], industries["fit_points"]))).fillna(0)
    sizes = seed("icp_company_size_bands")
    employees = current["employee_count"].astype(float)
    for _, band in sizes.iterrows():
        fit += np.where(employees.between(band["min_employees"], band["max_employees"]), band["fit_points"], 0)
    revenue = seed("icp_revenue_bands")
    rev = current["annual_revenue_usd"].astype(float)
    for _, band in revenue.iterrows():
        fit += np.where((rev >= float(band["min_revenue_usd"])) & (rev < float(band["max_revenue_usd"])), band["fit_points"], 0)
    fit += current["seniority"].map(dict(zip(sen["seniority"], sen["fit_points"]))).fillna(0)
    fit += current["department"].map(dict(zip(dep["department"], dep["fit_points"]))).fillna(0)
    icp_c = seed("icp_countries")
    fit += current["country_code"].map(dict(zip(icp_c["country_code"].str.strip().str.upper(), icp_c["fit_points"]))).fillna(0)
    src = seed("lead_source_points")
    fit += key(current["lead_source"]).map(dict(zip(key(src["lead_source"]), src["fit_points"]))).fillna(0)
    current["fit_score"] = fit.clip(0, 100)

    # Events: first delivery per id, attributed by lead id or (latest owner of the) email.
    ev = events.assign(event_id=events["event_id"].str.strip().replace("", None),
                       lead_id=events["lead_id"].str.strip().replace("", None),
                       email_c=clean_email(events["email"]),
                       event_type=events["event_type"].str.strip().str.lower().replace("", None),
                       page_url=events["page_url"].str.strip().replace("", None),
                       campaign_id=events["campaign_id"].str.strip().replace("", None))
    ev = ev[ev["event_id"].notna() & (ev["occurred_at"] < known_before)]
    ev = ev.sort_values(["event_id", "occurred_at", "event_type", "lead_id", "email_c", "page_url", "campaign_id"],
                        na_position="last").drop_duplicates("event_id")
    ev = ev[ev["event_type"].notna() & (ev["lead_id"].notna() | ev["email_c"].notna())]
    owners = (current[current["email_c"].notna()].sort_values(["email_c", "known_at", "lead_id"], ascending=[True, False, True])
              .drop_duplicates("email_c").set_index("email_c")["lead_id"])
    valid = set(current["lead_id"])
    ev["owner"] = np.where(ev["lead_id"].notna(), ev["lead_id"].where(ev["lead_id"].isin(valid)),
                           ev["email_c"].map(owners))
    ev = ev[ev["owner"].notna()]
    created = current.set_index("lead_id")["created_at"].dt.normalize()
    ev["event_date"] = ev["occurred_at"].dt.normalize()
    ev = ev[ev["event_date"] >= ev["owner"].map(created)]
    # Attribute rules: the first of the event's type that matches (page and campaign restricted
    # first, then priority), else the type's weight.
    weights = seed("engagement_weights")
    weights["rule_key"] = "type:" + weights["event_type"].str.strip().str.lower()
    rules = seed("engagement_attribute_rules")
    rules["event_type"] = rules["event_type"].str.strip().str.lower()
    rules["pattern"] = rules["page_url_pattern"].str.strip().replace("", None)
    rules["campaign"] = rules["campaign_id"].str.strip().str.lower().replace("", None)
    rules["both"] = rules["pattern"].notna() & rules["campaign"].notna()
    rules = rules.sort_values(["both", "priority", "rule_id"], ascending=[False, True, True])
    ev["rule_key"] = None
    url = ev["page_url"].str.lower()
    campaign = ev["campaign_id"].str.lower()
    for _, rule in rules.iterrows():
        hit = ev["rule_key"].isna() & (ev["event_type"] == rule["event_type"])
        if isinstance(rule["pattern"], str):
            hit &= url.str.contains(rule["pattern"], regex=True, na=False)
        if isinstance(rule["campaign"], str):
            hit &= campaign == rule["campaign"]
        ev.loc[hit, "rule_key"] = "rule:" + str(rule["rule_id"]).strip()
    ev["rule_key"] = ev["rule_key"].fillna("type:" + ev["event_type"])
    rules["rule_key"] = "rule:" + rules["rule_id"].str.strip()
    columns = ["rule_key", "points", "max_points_per_lead", "half_life_days"]
    ev = ev.merge(pd.concat([weights[columns], rules[columns]]), on="rule_key", how="left")
    age = (day - ev["event_date"]).dt.days
    ev["decayed"] = ev["points"].fillna(0) * np.power(0.5, age / ev["half_life_days"])
    per_type = ev.groupby(["owner", "event_type", "rule_key"], dropna=False).agg(
        decayed=("decayed", lambda s: s.fillna(0).sum()), cap=("max_points_per_lead", "max")).reset_index()
    per_type["capped"] = np.where(per_type["cap"].isna(), 0,
                                  per_type["decayed"].clip(-per_type["cap"], per_type["cap"]))
    engagement = per_type.groupby("owner")["capped"].sum()
    current["engagement_score"] = current["lead_id"].map(engagement).fillna(0).clip(0, 100)
    current["lead_score"] = settings["fit_weight"] * current["fit_score"] + settings["engagement_weight"] * current["engagement_score"]

    # Disqualification and stage.
    rules = seed("disqualification_rules")
    dq = pd.Series(False, index=current.index)
    types_by_lead = per_type.groupby("owner")["event_type"].apply(set)
    lead_types = current["lead_id"].map(types_by_lead)
    for _, rule in rules.iterrows():
        value = rule["match_value"]
        kind = rule["rule_type"]
        if kind == "do_not_contact":
            dq |= current["do_not_contact"].fillna(False).astype(bool)
        elif kind == "event_type":
            dq |= lead_types.map(lambda s, v=str(value).strip().lower(): isinstance(s, set) and v in s)
        elif kind == "email_domain":
            v = str(value).strip().lower()
            dq |= (current["email_domain"] == v) | (current["company_domain_c"] == v)
        elif kind == "free_mail_domain":
            dq |= current["is_free_mail"] & current["company_domain_c"].isna()
        elif kind == "title_pattern":
            dq |= current["title_words"].fillna("").str.contains(value, regex=True) & current["title_words"].notna()
        elif kind == "country":
            dq |= current["country_code"] == str(value).strip().upper()
        elif kind == "industry":
            dq |= key(current["industry_c"]) == key(pd.Series([value])).iloc[0]
    timelines = seed("bant_timelines")
    qualifying = dict(zip(key(timelines["purchase_timeline"]), timelines["is_qualifying"]))
    met = {
        "budget": current["budget_confirmed"].fillna(False).astype(bool),
        "authority": current["seniority"].map(dict(zip(sen["seniority"], sen["has_buying_authority"]))).fillna(False).astype(bool),
        "need": current["use_case"].str.strip().replace("", None).notna(),
        "timeline": key(current["purchase_timeline"]).map(qualifying).fillna(False).astype(bool),
    }
    bant = pd.Series(True, index=current.index)
    for criterion in required:
        bant &= met[criterion]
    # An MQL or SQL needs the fit and engagement minimums too.
    eligible = ((current["fit_score"] >= settings["mql_min_fit_score"])
                & (current["engagement_score"] >= settings["mql_min_engagement_score"]))
    stage = np.select(
        [dq, eligible & (current["lead_score"] >= settings["sql_min_lead_score"]) & bant,
         eligible & (current["lead_score"] >= settings["mql_min_lead_score"])],
        ["disqualified", "sql", "mql"], "lead")
    result = pd.DataFrame({"lead_id": current["lead_id"], "fit_score": current["fit_score"].astype(float),
                           "engagement_score": current["engagement_score"].astype(float),
                           "lead_score": current["lead_score"].astype(float), "lifecycle_stage": stage})
    con.execute("create or replace table main.pandas_result as select * from result")
    con.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
