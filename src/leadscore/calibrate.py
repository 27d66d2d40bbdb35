"""Learn the scoring seeds from a business's own conversions; write candidates for a person to adopt.

`make calibrate`, on a copy of the warehouse's raw tables (the warehouse itself is only read):

1. Time split. With horizon H (var backtest_horizon_days) and the data's last date E
   (score_as_of): validation leads are scored as of D_val = E - H and labelled by an opportunity
   within (D_val, E]; training leads are scored as of training_dates dates, the latest D_val - H,
   each training_date_step_days before the next, so every training label is known by D_val.
   One scratch build scores all of these dates with the current seeds (var calibration_dates),
   through the same models as the marts; labels come from int_lead_outcomes_observed.
2. Discovery. Every fit value as the models see it (canonical industry, or the industry text
   when no alias matches; size and revenue band; seniority and department from the title, or the
   title itself when neither matches; country; lead source) and every event type in the raw data
   gets its evidence on the training dates: leads, conversions, rate, lift with a 95 % interval.
   Values the seeds do not name yet, with at least min_value_leads training leads, become
   candidate seed rows.
3. Fitting. Per event type with the evidence, the half-life and the cap (in events) that best
   explain conversion on their own, every age band of the training lead-dates weighted alike;
   then one L2-regularised logistic regression (scikit-learn, strength by 5-fold cross-validated
   AUC, folds by lead) on every fit value (one-hot) and every event type (decayed count up to
   its cap); the events an attribute rule scores (a page or a campaign,
   engagement_attribute_rules.csv) are a feature of their own, and the rule's row gets the
   points. Its coefficients become integer points on a scale per score (to_points): each score
   is its features' log-odds times a scale plus a seeded base (fit_base_points,
   engagement_base_points), the scale putting all but max_clamped_share of the training leads
   inside 0-100, and fit_weight makes lead_score the model's log-odds times one factor (or,
   where another weight ranks the training leads clearly better on the candidate build's own
   scores, that weight).
4. Signs. A coefficient that flips the sign of a hand-set weight, or makes a buying-intent event
   (event_types.is_buying_intent) negative, is kept only when the value's own lift interval lies
   entirely on the new side of 1 (strong evidence); otherwise the value is held at 0 points and
   the model refitted without it. Both kinds are listed first in the report.
5. Thresholds. MQL, SQL and hot thresholds are set so that mql/sql/hot_target_share of the
   training leads (disqualified leads excluded) reach them; only leads at the seeded MQL fit
   and engagement minimums can, so the threshold is taken among those. Always 1 <= MQL < SQL
   <= 100.
6. Evidence. Current and candidate seeds are both scored by the project's dbt models on the
   validation date (a second scratch build); AUC with a paired bootstrap interval, conversion by
   band, MQL precision and recall by stage, the unconstrained model beside the integer points.
   By age: the leads created after the last training date are scored every
   validation_step_days days up to the validation date and judged per age band, as the daily
   run meets them. A reliability table puts the conversion a lead_score stands for (a logistic
   curve fitted on the training leads) beside what the validation leads did. The verdict says
   adopt only when the interval of the AUC difference lies above 0 and no age band with
   min_band_conversions conversions ranks worse.

Candidates land in reports/calibrated_seeds/ in the layout of seeds/ (files that do not change
are byte-identical copies), the report in reports/calibration.md. Every way the data can fall
short ends in a one-line refusal (CalibrationRefused), never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import re
import shutil
import statistics
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from leadscore.paths import PACKAGE, PROJECT as ROOT

from leadscore import build as build_script
from leadscore import report
from leadscore import scratch
from leadscore.userfacing import UserError, main_guard
from leadscore import validate

# Candidate half-lives (days) and caps (events) tried per event type with the evidence.
HALF_LIVES = (7, 14, 30, 60, 90, 180, 365)
CAP_EVENTS = (1, 2, 3, 5, 10, 20)
DEFAULT_HALF_LIFE = 30
DEFAULT_CAP_EVENTS = 5
# Regularisation strengths tried by cross-validation.
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
Z95 = 1.959964
# A fit dimension with a value for at least this share of the training leads is treated as
# complete (its lowest value is moved to 0 points, see to_points).
FULL_COVERAGE = 0.99
# fit_weight leaves the model's proportional value only for a training AUC at least this much
# higher: a smaller gain is what a one-parameter search finds by chance (on the demo, 0.001 on
# training came with 0.011 less on validation).
WEIGHT_MIN_GAIN = 0.005
# Fit dimension -> (seed file, name column). "title" values become icp_seniorities rows.
FIT_SEEDS = {
    "industry": ("icp/icp_industries.csv", "industry"),
    "company_size": ("icp/icp_company_size_bands.csv", "company_size_band"),
    "annual_revenue": ("icp/icp_revenue_bands.csv", "revenue_band"),
    "seniority": ("icp/icp_seniorities.csv", "seniority"),
    "department": ("icp/icp_departments.csv", "department"),
    "country": ("icp/icp_countries.csv", "country_code"),
    "lead_source": ("icp/lead_source_points.csv", "lead_source"),
}
WEIGHTS_FILE = "engagement/engagement_weights.csv"
# Attribute rules are estimated like event types, under the key 'rule:<rule_id>'.
RULES_FILE = "engagement/engagement_attribute_rules.csv"
RULE_PREFIX = "rule:"
EVENT_TYPES_FILE = "mappings/event_types.csv"
SETTINGS_FILE = "rules/scoring_settings.csv"
BANDS_FILE = "rules/score_bands.csv"
CALIBRATION_FILE = "rules/calibration_settings.csv"


class CalibrationRefused(Exception):
    """Calibration cannot be done on this data; the message says why and what would fix it."""


# ---------------------------------------------------------------------------------------------
# Seeds: read, and write back with the smallest diff a reviewer can read
# ---------------------------------------------------------------------------------------------

def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def csv_line(values: list) -> str:
    """One CSV line; values with a comma, quote or surrounding space are quoted (seed patterns
    such as ' (vp|svp) ' carry meaningful spaces)."""
    cells = []
    for value in values:
        text = "" if value is None else str(value)
        if any(c in text for c in ',"\n') or text != text.strip():
            text = '"' + text.replace('"', '""') + '"'
        cells.append(text)
    return ",".join(cells)


def rewrite_csv(path: Path, key: str, updates: dict[str, dict], new_rows: list[dict]) -> bool:
    """Change the rows whose `key` value is in updates, append new_rows; every other line keeps
    its bytes. Returns whether the file changed."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header = next(csv.reader([lines[0]]))
    out, changed = [lines[0]], False
    for line in lines[1:]:
        cells = next(csv.reader([line]), [])
        row = dict(zip(header, cells))
        change = updates.get(row.get(key, "").strip()) if cells else None
        if change and any(str(row[c]).strip() != str(v) for c, v in change.items()):
            row.update({c: str(v) for c, v in change.items()})
            out.append(csv_line([row[c] for c in header]))
            changed = True
        else:
            out.append(line)
    for row in new_rows:
        out.append(csv_line([row.get(c, "") for c in header]))
        changed = True
    if changed:
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


def settings_of(seeds: Path, file: str) -> dict[str, float]:
    _, rows = read_csv(seeds / file)
    return {r["setting"].strip(): float(r["setting_value"]) for r in rows}


def normalise(text: str) -> str:
    return validate.normalise(text)


# ---------------------------------------------------------------------------------------------
# Features, from the models of one scratch build
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------------------------

@dataclass
class EventShape:
    half_life: int
    cap_events: int
    chosen_from_data: bool


def choose_shapes(events: pd.DataFrame, labels: pd.DataFrame, types: list[str],
                  current: dict[str, EventShape], min_leads: int,
                  weights: np.ndarray | None = None) -> dict[str, EventShape]:
    """Per event type, the half-life and cap (in events) whose capped decayed count explains
    conversion best on its own (training log-likelihood of a one-feature logistic regression,
    each lead-date weighted so that every age band counts as much as any other: a shape must
    hold for young leads as for old ones); types with fewer than min_leads leads or 10
    converting leads keep the current shape."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    shapes = {}
    y = labels["is_converted"].to_numpy().astype(int)
    index = pd.MultiIndex.from_frame(labels[["score_as_of", "lead_id"]])
    for event_type in types:
        rows = events[events["event_type"] == event_type].set_index(["score_as_of", "lead_id"])
        converted = labels.set_index(["score_as_of", "lead_id"]).loc[
            rows.index.intersection(index), "is_converted"].sum() if len(rows) else 0
        if len(rows) < min_leads or converted < 10:
            shapes[event_type] = current.get(event_type,
                                             EventShape(DEFAULT_HALF_LIFE, DEFAULT_CAP_EVENTS, False))
            continue
        best = None
        for h in HALF_LIVES:
            x_full = rows[f"d{h}"].reindex(index).fillna(0.0).to_numpy()
            for k in CAP_EVENTS:
                x = np.minimum(x_full, k).reshape(-1, 1) / k
                model = LogisticRegression(C=100.0, solver="newton-cholesky", max_iter=100).fit(
                    x, y, sample_weight=weights)
                loss = log_loss(y, model.predict_proba(x)[:, 1], sample_weight=weights)
                if best is None or loss < best[0] - 1e-12:
                    best = (loss, h, k)
        shapes[event_type] = EventShape(best[1], best[2], True)
    return shapes


def design(features: Features, labels: pd.DataFrame, fit_columns: list[str],
           shapes: dict[str, EventShape]) -> pd.DataFrame:
    """One row per labelled lead-date: 0/1 per fit value, and per event type its decayed count
    up to the cap as a share of the cap (what integer seed points can carry exactly)."""
    index = pd.MultiIndex.from_frame(labels[["score_as_of", "lead_id"]])
    columns = {}
    fit = features.fit[features.fit["feature"].isin(fit_columns)]
    present = fit.assign(one=1.0).pivot_table(index=["score_as_of", "lead_id"], columns="feature",
                                               values="one", aggfunc="max")
    present = present.reindex(index).fillna(0.0)
    for column in fit_columns:
        columns[column] = present[column].to_numpy() if column in present else np.zeros(len(index))
    for event_type, shape in shapes.items():
        rows = features.events[features.events["event_type"] == event_type].set_index(
            ["score_as_of", "lead_id"])
        x = rows[f"d{shape.half_life}"].reindex(index).fillna(0.0).to_numpy()
        columns[f"event|{event_type}"] = np.minimum(x, shape.cap_events) / shape.cap_events
    return pd.DataFrame(columns, index=index)


def fit_model(x: pd.DataFrame, y: np.ndarray, groups: np.ndarray, c_value: float | None = None):
    """L2 logistic regression; its strength by 5-fold cross-validated AUC (folds by lead, so a
    lead's rows at several dates never sit on both sides), or c_value when given."""
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.model_selection import GroupKFold

    if c_value is None:
        folds = list(GroupKFold(n_splits=5).split(x, y, groups))
        model = LogisticRegressionCV(Cs=list(CS), cv=folds, scoring="roc_auc", l1_ratios=(0,),
                                     max_iter=5000, use_legacy_attributes=False)
    else:
        model = LogisticRegression(C=c_value, max_iter=5000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(x.to_numpy(), y)
    if c_value is not None:
        model.C_ = np.array([c_value])
    return model


@dataclass
class SignCheck:
    feature: str
    hand_points: int
    fitted: float
    lift: float
    lift_low: float
    lift_high: float
    is_intent: bool
    kept: bool


def guarded_fit(x: pd.DataFrame, y: np.ndarray, groups: np.ndarray, hand_signs: dict[str, int],
                evidence: pd.DataFrame, intent: set[str],
                c_value: float | None = None) -> tuple[object, list[str], list[SignCheck]]:
    """Fit; where a coefficient has the other sign than the hand-set one (or a buying-intent
    event goes negative) and the value's lift interval does not lie wholly on the new side of 1,
    hold it at 0 (leave it out) and refit, until every sign is either kept or supported."""
    columns, checks = list(x.columns), {}
    for _ in range(len(hand_signs) + 1):
        model = fit_model(x[columns], y, groups, c_value)
        flipped = []
        for column, coefficient in zip(columns, model.coef_[0]):
            sign = hand_signs.get(column)
            if sign is None or coefficient * sign >= 0 or abs(coefficient) < 1e-9:
                continue
            row = evidence.loc[column] if column in evidence.index else None
            strong = row is not None and (row["lift_high"] < 1 if coefficient < 0 else row["lift_low"] > 1)
            checks[column] = SignCheck(column, sign, float(coefficient),
                                       *(float(row[c]) if row is not None else float("nan")
                                         for c in ("lift", "lift_low", "lift_high")),
                                       is_intent=column in intent, kept=bool(strong))
            if not strong:
                flipped.append(column)
        if not flipped:
            return model, columns, list(checks.values())
        columns = [c for c in columns if c not in flipped]
        if not columns:
            raise CalibrationRefused("no value or event type keeps a sign its evidence supports")
    return model, columns, list(checks.values())


# ---------------------------------------------------------------------------------------------
# Points on the seeds' scale
# ---------------------------------------------------------------------------------------------

def dimension_of(feature: str) -> str:
    dimension = feature.split("|", 1)[0]
    # A title proposed as a literal pattern is a seniority row: a lead matches one of them.
    return "seniority" if dimension == "title" else dimension


@dataclass
class Points:
    fit: dict            # fit feature -> points
    events: dict         # event type -> (points per event, max points per lead)
    settings: dict       # fit_weight, engagement_weight, fit_base_points, engagement_base_points
    clamped_share: dict  # score -> share of the training leads whose points fall outside 0-100


def score_scale(log_odds: np.ndarray, clamp_share: float) -> tuple[float | None, float]:
    """(points per unit of log-odds, base points) that put the central 1 - clamp_share of the
    training leads' log-odds of one score onto 0-100 (clamp_share / 2 below 0, as many above
    100); (None, 0) when the score tells no lead apart."""
    if len(log_odds) == 0:
        return None, 0.0
    low, high = np.quantile(log_odds, [clamp_share / 2, 1 - clamp_share / 2])
    if high - low < 1e-9:
        return None, 0.0
    scale = 100.0 / (high - low)
    return scale, -scale * low


def to_points(coefficients: dict[str, float], shapes: dict[str, EventShape], x: pd.DataFrame,
              full_dimensions: frozenset[str] = frozenset(), clamp_share: float = 0.01) -> Points:
    """Coefficients -> integer points on a scale that keeps the model's ranking.

    Each score is the model's log-odds of its own features (fit values, event types) times a
    scale plus a seeded base (fit_base_points, engagement_base_points), so that the training
    leads x (the design matrix) fall inside 0-100 but for clamp_share of them: a clamp ties
    leads the model tells apart, and only those few are tied. fit_weight = s_e / (s_f + s_e)
    for the two scales s, so that fit_weight x fit_score + engagement_weight x engagement_score
    is the model's log-odds times one factor plus a constant: lead_score ranks as the model does.

    In a dimension every lead has a value of (full_dimensions), adding the same number to each
    value changes no ranking: its lowest value is moved to 0 points (the base takes the rest),
    so a seed lists what a value adds, not a negative for every lead.

    An event type's points per event are its coefficient times the scale over its cap in events,
    rounded; a type worth less than one point per event but at least one in all gets 1 point per
    event up to its total (it then reaches its cap in fewer events)."""
    fit = {k: v for k, v in coefficients.items() if not k.startswith("event|")}
    lowest: dict[str, float] = {}
    for feature, value in fit.items():
        lowest[dimension_of(feature)] = min(lowest.get(dimension_of(feature), 0.0), value)
    fit = {k: v - lowest[dimension_of(k)] if dimension_of(k) in full_dimensions else v
           for k, v in fit.items()}
    engagement = {k.split("|", 1)[1]: v for k, v in coefficients.items() if k.startswith("event|")}

    def log_odds(weights: dict[str, float], prefix: str) -> np.ndarray:
        total = np.zeros(len(x))
        for name, weight in weights.items():
            if prefix + name in x:
                total += weight * x[prefix + name].to_numpy()
        return total

    fit_scale, fit_base = score_scale(log_odds(fit, ""), clamp_share)
    engagement_scale, engagement_base = score_scale(log_odds(engagement, "event|"), clamp_share)
    fit_points = {k: int(round(v * fit_scale)) if fit_scale else 0 for k, v in fit.items()}
    event_points = {}
    for event_type, value in engagement.items():
        total = value * engagement_scale if engagement_scale else 0.0
        per_event = int(round(total / shapes[event_type].cap_events))
        if per_event == 0 and abs(total) >= 0.5:
            per_event = 1 if total > 0 else -1
        event_points[event_type] = (per_event, abs(per_event) and max(abs(per_event), int(round(abs(total)))))
    if fit_scale and engagement_scale:
        fit_weight = round(engagement_scale / (fit_scale + engagement_scale), 2)
    else:
        fit_weight = 1.0 if fit_scale else 0.0 if engagement_scale else 0.5
    settings = {"fit_weight": fit_weight, "engagement_weight": round(1 - fit_weight, 2),
                "fit_base_points": int(round(fit_base)),
                "engagement_base_points": int(round(engagement_base))}
    clamped = {}
    for name, points, base in (("fit", fit_points, settings["fit_base_points"]),
                               ("engagement", {k: p[0] for k, p in event_points.items()},
                                settings["engagement_base_points"])):
        # The integer points as the build adds them (events up to their cap in points).
        if name == "fit":
            total = base + sum(points[k] * x[k].to_numpy() for k in points if k in x)
        else:
            total = base + sum(np.sign(p) * np.minimum(abs(p) * x["event|" + k].to_numpy()
                                                       * shapes[k].cap_events, event_points[k][1])
                               for k, p in points.items() if "event|" + k in x)
        total = np.asarray(total, dtype=float) * np.ones(len(x))
        clamped[name] = float(((total < 0) | (total > 100)).mean()) if len(x) else 0.0
    return Points(fit_points, event_points, settings, clamped)


def thresholds_from(scores: np.ndarray, shares: dict[str, float]) -> dict[str, int]:
    """The lowest whole score at which at most share of the leads score at least it, for MQL,
    SQL and hot; then made valid: 1 <= MQL < SQL <= 100, 1 <= hot <= 100."""
    result = {}
    for setting, share in shares.items():
        if len(scores) == 0 or share <= 0:
            value = 100
        else:
            value = math.ceil(float(np.quantile(scores, 1 - share)) - 1e-9)
            # Ties at the quantile: move up until no more than the share is marked.
            while value < 100 and (scores >= value).mean() > share + 1e-12:
                value += 1
        result[setting] = int(min(100, max(1, value)))
    result["mql_min_lead_score"] = min(result["mql_min_lead_score"], 99)
    if result["sql_min_lead_score"] <= result["mql_min_lead_score"]:
        result["sql_min_lead_score"] = result["mql_min_lead_score"] + 1
    return result


# ---------------------------------------------------------------------------------------------
# Candidate seeds
# ---------------------------------------------------------------------------------------------

@dataclass
class Proposal:
    fit_updates: dict = field(default_factory=dict)      # file -> {name: {column: value}}
    new_rows: dict = field(default_factory=dict)         # file -> [row]
    new_descriptions: list = field(default_factory=list)  # (file, name, points, feature)
    alias_needed: list = field(default_factory=list)      # country names without a code
    zero_points: list = field(default_factory=list)       # new values estimated at 0 points
    suggested_rules: list = field(default_factory=list)   # attribute rules added (evidence)
    places_tested: int = 0                                # pages and campaigns judged


def slug(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_") or "title"


def display_of(features: Features) -> dict[str, str]:
    """The most frequent raw spelling of every feature (what a person would write in a seed)."""
    spelled = features.fit.dropna(subset=["display"])
    # One line of plain text per value, whatever the raw data held (a seed row is one line).
    spelled = spelled.assign(display=spelled["display"].astype(str)
                             .str.replace(r"[\x00-\x1f\s]+", " ", regex=True).str.strip())
    spelled = spelled[spelled["display"] != ""]
    counts = spelled.groupby(["feature", "display"]).size().reset_index(name="n")
    counts = counts.sort_values(["feature", "n", "display"], ascending=[True, False, True])
    return dict(counts.drop_duplicates("feature")[["feature", "display"]].itertuples(index=False))


def propose(seeds: Path, fit_points: dict[str, int], event_points: dict[str, tuple[int, int]],
            shapes: dict[str, EventShape], new_features: set[str], displays: dict[str, str],
            evidence: pd.DataFrame, known_types: set[str], min_leads: int,
            new_names: set[str]) -> Proposal:
    """new_features: the new values estimated; new_names: every value the seeds do not name."""
    proposal = Proposal()
    for dimension, (file, name_column) in FIT_SEEDS.items():
        updates = {}
        for feature, points in fit_points.items():
            if dimension_of(feature) == dimension and feature not in new_features:
                updates[feature.split("|", 1)[1]] = {"fit_points": points}
        proposal.fit_updates[file] = updates
    _, seniorities = read_csv(seeds / FIT_SEEDS["seniority"][0])
    next_order = max([int(r["match_order"]) for r in seniorities] or [0]) + 1
    taken = {normalise(r["seniority"]) for r in seniorities}
    # Titles with more words first: seniority takes the first pattern that matches, and
    # ' student ' would otherwise shadow ' graduate student '.
    ordered = sorted(new_features, key=lambda f: (-len(f.split("|", 1)[1].split()) if f.startswith("title|")
                                                  else 0, -evidence.loc[f, "leads"], f))
    for feature in ordered:
        dimension, value = feature.split("|", 1)
        points = fit_points.get(feature, 0)
        display = displays.get(feature, value)
        if points == 0:
            # A new row worth 0 points changes nothing; the report names the value.
            proposal.zero_points.append(display)
            continue
        if dimension == "industry":
            row = {"industry": display, "fit_points": points}
        elif dimension == "lead_source":
            row = {"lead_source": display, "fit_points": points}
        elif dimension == "country":
            row = {"country_code": value.upper(), "country_name": "", "region": "",
                   "fit_points": points}
        elif dimension == "title":
            name = slug(value)
            while normalise(name) in taken:
                name += "_title"
            taken.add(normalise(name))
            row = {"seniority": name, "match_order": next_order, "title_pattern": f" {value} ",
                   "fit_points": points, "has_buying_authority": "false"}
            next_order += 1
        else:
            continue
        file = FIT_SEEDS["seniority" if dimension == "title" else dimension][0]
        proposal.new_rows.setdefault(file, []).append(row)
        proposal.new_descriptions.append((file, next(iter(row.values())), points, feature))
    # A country name no alias maps to an ISO code cannot become a row: a person must name it.
    proposal.alias_needed = [displays.get(f, f) for f in evidence.index
                             if f in new_names and f.startswith("country|") and not re.fullmatch(r"country\|[a-z]{2}", f)
                             and evidence.loc[f, "leads"] >= min_leads]
    weight_updates, rule_updates = {}, {}
    for event_type, (points, cap) in event_points.items():
        shape = shapes[event_type]
        if event_type.startswith(RULE_PREFIX):
            rule_updates[event_type[len(RULE_PREFIX):]] = {
                "points": points, "max_points_per_lead": cap, "half_life_days": shape.half_life}
        elif event_type in known_types:
            weight_updates[event_type] = {"points": points, "max_points_per_lead": cap,
                                          "half_life_days": shape.half_life}
        else:
            leads = int(evidence.loc[f"event|{event_type}", "leads"])
            proposal.new_rows.setdefault(EVENT_TYPES_FILE, []).append(
                {"event_type": event_type, "is_buying_intent": "false",
                 "description": f"Found in the raw data by make calibrate ({leads:,} training leads)"})
            proposal.new_rows.setdefault(WEIGHTS_FILE, []).append(
                {"event_type": event_type, "points": points, "max_points_per_lead": cap,
                 "half_life_days": shape.half_life})
            proposal.new_descriptions.append((WEIGHTS_FILE, event_type, points, f"event|{event_type}"))
    proposal.fit_updates[WEIGHTS_FILE] = weight_updates
    if rule_updates:
        proposal.fit_updates[RULES_FILE] = rule_updates
    return proposal


def add_suggested_rules(proposal: Proposal, suggestions: pd.DataFrame, rules: list[dict],
                        type_weights: dict[str, list[dict]]) -> None:
    """Suggested attribute rules become candidate rows with their type's candidate weight, so
    adopting them changes little by itself: the next `make calibrate` estimates their own points
    (they are then features of their own)."""
    taken = {r["rule_id"].strip() for r in rules}
    priorities: dict[str, int] = {}
    for rule in rules:
        event_type = rule["event_type"].strip().lower()
        priorities[event_type] = max(priorities.get(event_type, 0), int(rule["priority"]))
    for row in suggestions.to_dict("records") if not suggestions.empty else []:
        # Its type's candidate weight, else its current one: the one that gives points (the
        # evidence is positive); without either the suggestion stays in the report only.
        weight = next((w for w in type_weights.get(row["event_type"], []) if int(w["points"]) > 0),
                      None)
        if weight is None:
            proposal.suggested_rules.append({**row, "rule_id": "(not added: its type gives no points)"})
            continue
        rule_id = slug(f"{row['kind']}_{row['value']}")
        while rule_id in taken:
            rule_id += "_2"
        taken.add(rule_id)
        priorities[row["event_type"]] = priorities.get(row["event_type"], 0) + 1
        is_page = row["kind"] == "page"
        proposal.new_rows.setdefault(RULES_FILE, []).append({
            "rule_id": rule_id, "event_type": row["event_type"],
            "page_url_pattern": page_pattern(row["value"]) if is_page else "",
            "campaign_id": "" if is_page else row["value"],
            "priority": priorities[row["event_type"]], "points": weight["points"],
            "max_points_per_lead": weight["max_points_per_lead"],
            "half_life_days": weight["half_life_days"],
            "label": ("Viewed " + row["value"] if is_page and row["event_type"] == "page_view"
                      else row["event_type"].replace("_", " ").capitalize()
                      + (" on " if is_page else " in campaign ") + row["value"])})
        proposal.suggested_rules.append({**row, "rule_id": rule_id})


def write_candidates(seeds: Path, out: Path, proposal: Proposal, settings: dict) -> list[str]:
    """seeds/ copied byte for byte to out, then the proposal applied; returns the changed files."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(seeds, out, ignore=shutil.ignore_patterns("*.yml", "*.yaml"))
    changed = []
    files = set(proposal.fit_updates) | set(proposal.new_rows)
    for file in sorted(files):
        key = "event_type" if file in (WEIGHTS_FILE, EVENT_TYPES_FILE) else "rule_id" \
            if file == RULES_FILE else FIT_SEEDS[next(d for d, (f, _) in FIT_SEEDS.items() if f == file)][1]
        if rewrite_csv(out / file, key, proposal.fit_updates.get(file, {}),
                       proposal.new_rows.get(file, [])):
            changed.append(file)
    updates = {name: {"setting_value": f"{value:g}"} for name, value in settings.items()}
    if rewrite_csv(out / SETTINGS_FILE, "setting", updates, []):
        changed.append(SETTINGS_FILE)
    return changed


# ---------------------------------------------------------------------------------------------
# Evaluation: both seed sets scored by the dbt models on the validation date
# ---------------------------------------------------------------------------------------------

def scored_outcomes(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""
            select lead_id, lead_score, lifecycle_stage, is_converted
            from marts.backtest_lead_outcomes order by lead_id
        """).df()
    finally:
        con.close()


def auc(y: np.ndarray, score: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, score))


def bootstrap_aucs(y: np.ndarray, current: np.ndarray, candidate: np.ndarray, samples: int,
                   seed: int = 7) -> dict[str, tuple[float, float]]:
    """Paired bootstrap over the validation leads: 95 % intervals of each AUC and of the
    difference (candidate - current)."""
    rng = np.random.default_rng(seed)
    draws = {"current": [], "candidate": [], "difference": []}
    n = len(y)
    for _ in range(samples):
        pick = rng.integers(0, n, n)
        if y[pick].min() == y[pick].max():
            continue
        a, b = auc(y[pick], current[pick]), auc(y[pick], candidate[pick])
        draws["current"].append(a)
        draws["candidate"].append(b)
        draws["difference"].append(b - a)
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if v else (math.nan, math.nan)
            for k, v in draws.items()}


def evaluate(project: Path, db: Path, dbt_vars: dict) -> dict:
    """The backtest analyses, compiled against this side's warehouse (the relation names carry
    the file's name), and the stage figures of one side."""
    compiled = report.compile_analyses(project, dbt_vars, env={"LEADSCORE_DUCKDB": str(db)})
    results = report.run_analyses(str(db), compiled, ["backtest_auc", "backtest_conversion_by_band"])
    outcomes = scored_outcomes(db)
    qualified = outcomes["lifecycle_stage"].isin(["mql", "sql"])
    converted = outcomes["is_converted"].astype(bool)
    return {
        "auc": dict(zip(results["backtest_auc"]["score_name"], results["backtest_auc"]["auc"])),
        "bands": results["backtest_conversion_by_band"],
        "outcomes": outcomes,
        "mqls": int(qualified.sum()),
        "precision": (qualified & converted).sum() / qualified.sum() if qualified.sum() else None,
        "recall": (qualified & converted).sum() / converted.sum() if converted.sum() else None,
        "settings": settings_of(project / "seeds", SETTINGS_FILE),
    }


# ---------------------------------------------------------------------------------------------
# The whole run
# ---------------------------------------------------------------------------------------------

def raw_conversions_upper_bound(source_db: str) -> int:
    """Leads with any opportunity in the raw table: no period can have more conversions."""
    con = duckdb.connect(source_db, read_only=True)
    try:
        found = con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                            "and table_name = 'crm_opportunities'").fetchone()[0]
        if not found:
            raise CalibrationRefused(f"{source_db} has no raw.crm_opportunities table: load the "
                                     "raw tables of the contract first (README, 'Pointing the project at your own raw schema')")
        return con.execute("select count(distinct lead_id) from raw.crm_opportunities "
                           "where lead_id is not null").fetchone()[0]
    finally:
        con.close()


def build_side(work: Path, name: str, source_db: str, dbt_vars: dict,
               seeds_from: Path | None) -> tuple[Path, Path]:
    try:
        return scratch.build_copy(work, name, source_db, dbt_vars, seeds_from)
    except RuntimeError as error:
        lines = [l for l in str(error).splitlines() if "Error" in l or "error" in l]
        raise CalibrationRefused(f"the scratch build of the {name} seeds failed "
                                 f"({(lines or ['see make build'])[0].strip()}): run `make build` "
                                 "to see the whole message") from None


def calibrate(source_db: str, out_dir: Path, seeds: Path = ROOT / "seeds") -> "Calibration":
    cal = settings_of(seeds, CALIBRATION_FILE)
    min_train, min_val = int(cal["min_training_conversions"]), int(cal["min_validation_conversions"])
    min_leads = int(cal["min_value_leads"])
    try:
        base_vars = build_script.scoring_vars(source_db)
    except UserError as error:
        raise CalibrationRefused(str(error)) from None
    if "score_as_of" not in base_vars:
        raise CalibrationRefused("no scoring date: set SCORE_AS_OF to the last date of the data")
    try:
        horizon = int(base_vars.get("backtest_horizon_days", 90))
    except ValueError:
        raise CalibrationRefused(f"BACKTEST_HORIZON_DAYS {base_vars['backtest_horizon_days']!r} is "
                                 "not a whole number of days") from None
    try:
        end = dt.date.fromisoformat(str(base_vars["score_as_of"]))
    except ValueError:
        raise CalibrationRefused(f"the scoring date {base_vars['score_as_of']!r} is not a real date "
                                 "written YYYY-MM-DD: set SCORE_AS_OF to the last date of the data") from None
    if horizon < 1:
        raise CalibrationRefused(f"BACKTEST_HORIZON_DAYS {horizon} must be at least 1")
    d_val = end - dt.timedelta(days=horizon)
    train_dates = [d_val - dt.timedelta(days=horizon + int(cal["training_date_step_days"]) * k)
                   for k in range(int(cal["training_dates"]))]
    available = raw_conversions_upper_bound(source_db)
    if available < min_train:
        raise CalibrationRefused(
            f"too little data: raw.crm_opportunities names {available:,} converted lead(s) in all; "
            f"calibration needs at least {min_train:,} conversions on its training dates "
            f"(min_training_conversions in seeds/{CALIBRATION_FILE})")
    # Validation by age: the leads created after the last training date (the fit never saw
    # them) are scored every validation_step_days days up to d_val, at the ages the daily run
    # meets them.
    step = int(cal["validation_step_days"])
    age_dates = [d_val - dt.timedelta(days=step * k) for k in range(horizon // step + 1)
                 if d_val - dt.timedelta(days=step * k) > max(train_dates)]
    dbt_vars = dict(base_vars, backtest_as_of=d_val.isoformat(),
                    calibration_dates=[d.isoformat() for d in train_dates + age_dates[1:]])
    _, weights = read_csv(seeds / WEIGHTS_FILE)
    _, vocabulary = read_csv(seeds / EVENT_TYPES_FILE)
    known_types = {r["event_type"].strip().lower() for r in vocabulary}
    intent_types = {r["event_type"].strip().lower() for r in vocabulary
                    if r.get("is_buying_intent", "").strip().lower() == "true"}
    rules = read_csv(seeds / RULES_FILE)[1] if (seeds / RULES_FILE).exists() else []
    # An attribute rule is weighted like a type of its own, buying intent when its type is.
    weights = weights + [{**r, "event_type": RULE_PREFIX + r["rule_id"].strip()} for r in rules]
    known_types |= {RULE_PREFIX + r["rule_id"].strip() for r in rules}
    intent_types |= {RULE_PREFIX + r["rule_id"].strip() for r in rules
                     if r["event_type"].strip().lower() in intent_types}
    current_shapes = {r["event_type"].strip().lower(): EventShape(
        int(r["half_life_days"]), max(1, round(int(r["max_points_per_lead"]) / max(1, abs(int(r["points"]))))),
        False) for r in weights}
    half_lives = sorted(set(HALF_LIVES) | {s.half_life for s in current_shapes.values()})

    with tempfile.TemporaryDirectory(prefix="leadscore-calibrate-") as tmp:
        work = Path(tmp)
        print(f"calibrate: training as of {', '.join(map(str, sorted(train_dates)))}; validating as of "
              f"{d_val} (horizon {horizon} days); building the current seeds", flush=True)
        # The current side is built with the seeds given (the project's by default).
        current_project, current_db = build_side(work, "current", source_db, dbt_vars,
                                                 None if seeds == ROOT / "seeds" else seeds)
        features = load_features(current_db, train_dates + age_dates, half_lives)
        labels = features.leads[["score_as_of", "lead_id", "is_converted", "age_days"]].copy()
        labels["is_converted"] = labels["is_converted"].astype(bool)
        labels["age_band"] = age_band_of(labels["age_days"], cal)
        dates = pd.to_datetime(labels["score_as_of"]).dt.date
        train = labels[dates.isin(train_dates)].reset_index(drop=True)
        val = labels[dates == d_val].reset_index(drop=True)
        # Lead-dates of leads created after the last training date, at every age date.
        created = pd.to_datetime(features.leads["lead_created_at"]).dt.date
        by_age = labels[dates.isin(age_dates) & (created > max(train_dates))].reset_index(drop=True)
        n_train, n_val = int(train["is_converted"].sum()), int(val["is_converted"].sum())
        if n_train < min_train:
            raise CalibrationRefused(
                f"too little data: {n_train:,} conversions among {len(train):,} training leads "
                f"(scored as of {', '.join(map(str, sorted(train_dates)))}, horizon {horizon} days); "
                f"at least {min_train:,} are needed (min_training_conversions in seeds/{CALIBRATION_FILE})")
        if n_val < min_val:
            raise CalibrationRefused(
                f"too little data: {n_val:,} conversions among {len(val):,} validation leads as of "
                f"{d_val}; at least {min_val:,} are needed (min_validation_conversions in "
                f"seeds/{CALIBRATION_FILE})")
        if len(train) - n_train < min_train:
            raise CalibrationRefused(f"nothing to tell apart: {n_train:,} of {len(train):,} training "
                                     "leads converted")
        base_rate = n_train / len(train)

        # Discovery: evidence for every fit value and every event type on the training dates.
        train_keys = train[["score_as_of", "lead_id"]]
        fit_train = features.fit.merge(train_keys, on=["score_as_of", "lead_id"])
        event_train = features.events.merge(train_keys, on=["score_as_of", "lead_id"])
        evidence = pd.concat([
            evidence_table(fit_train[["score_as_of", "lead_id", "feature"]], train, base_rate),
            evidence_table(event_train.assign(feature="event|" + event_train["event_type"])[
                ["score_as_of", "lead_id", "feature"]], train, base_rate),
        ])
        new_flags = features.fit.drop_duplicates("feature").set_index("feature")["is_new"]
        estimable = evidence[evidence["leads"] >= min_leads].index
        fit_columns = sorted(f for f in estimable if not f.startswith("event|")
                             # A country name without an ISO code cannot become a seed row.
                             and not (f.startswith("country|") and new_flags.get(f, False)
                                      and not re.fullmatch(r"country\|[a-z]{2}", f)))
        event_types = sorted(f.split("|", 1)[1] for f in estimable if f.startswith("event|"))
        if not fit_columns and not event_types:
            raise CalibrationRefused(
                f"no fit value or event type has {min_leads} training leads (min_value_leads in "
                f"seeds/{CALIBRATION_FILE}): nothing to learn the weights from")

        print(f"calibrate: {len(train):,} training lead-dates, {n_train:,} conversions; fitting "
              f"{len(fit_columns)} fit values and {len(event_types)} event types", flush=True)
        shapes = choose_shapes(features.events.merge(train_keys, on=["score_as_of", "lead_id"]),
                               train, event_types, current_shapes, min_leads,
                               age_weights(train["age_band"]))
        x_train = design(features, train, fit_columns, shapes)
        x_val = design(features, val, fit_columns, shapes)
        y_train, y_val = train["is_converted"].to_numpy().astype(int), val["is_converted"].to_numpy().astype(int)
        groups = train["lead_id"].to_numpy()

        unconstrained = fit_model(x_train, y_train, groups)
        auc_unconstrained = auc(y_val, unconstrained.decision_function(x_val.to_numpy()))
        x_age = design(features, by_age, fit_columns, shapes)
        by_age["unconstrained"] = unconstrained.decision_function(x_age.to_numpy())
        current_points = current_fit_points(seeds)
        hand_signs = {c: int(np.sign(p)) for c, p in current_points.items() if p != 0 and c in x_train}
        for event_type in event_types:
            w = next((r for r in weights if r["event_type"].strip().lower() == event_type), None)
            if w is not None and int(w["points"]) != 0:
                hand_signs[f"event|{event_type}"] = int(np.sign(int(w["points"])))
            elif event_type in intent_types:
                hand_signs[f"event|{event_type}"] = 1
        intent = {f"event|{t}" for t in intent_types}
        for column in intent & set(x_train.columns):
            hand_signs[column] = 1
        # The sign-guarded refits keep the strength the unconstrained fit chose.
        model, kept_columns, sign_checks = guarded_fit(x_train, y_train, groups, hand_signs,
                                                       evidence, intent,
                                                       float(np.atleast_1d(unconstrained.C_)[0]))
        auc_guarded = auc(y_val, model.decision_function(x_val[kept_columns].to_numpy()))
        coefficients = dict(zip(kept_columns, model.coef_[0]))
        for check in sign_checks:
            if not check.kept:
                coefficients[check.feature] = 0.0
        # Dimensions (nearly) every training lead has a value of: their lowest value may be 0.
        covered = {dimension_of(c) for c in fit_columns if x_train[
            [f for f in fit_columns if dimension_of(f) == dimension_of(c)]].max(axis=1).mean() >= FULL_COVERAGE}
        learned = to_points(coefficients, shapes, x_train, frozenset(covered),
                            float(cal["max_clamped_share"]))
        fit_points, event_points = learned.fit, learned.events
        fit_weight = learned.settings["fit_weight"]
        new_features = {f for f in fit_columns if new_flags.get(f, False)}
        proposal = propose(seeds, fit_points, event_points, shapes, new_features,
                           display_of(features), evidence, known_types, min_leads,
                           set(new_flags[new_flags].index))
        # Page sections and campaigns with strong evidence that no attribute rule names yet.
        suggestions = suggest_rules(rule_candidates(current_db, train_dates), train, min_leads,
                                    rules)
        # Per type, its candidate weight first, then its current one.
        type_weights = {r["event_type"].strip().lower(): [r] for r in weights
                        if not r["event_type"].startswith(RULE_PREFIX)}
        for event_type, (points, cap) in event_points.items():
            if event_type in type_weights:
                type_weights[event_type].insert(0, {
                    "points": points, "max_points_per_lead": cap,
                    "half_life_days": shapes[event_type].half_life})
        add_suggested_rules(proposal, suggestions, rules, type_weights)
        proposal.places_tested = int(suggestions.attrs.get("tested", 0))

        # Candidate seeds, first with the current thresholds; the thresholds follow from the
        # candidate scores of the training leads, then only the models they touch are rebuilt.
        kept_flips = {c.feature for c in sign_checks if c.kept}
        for event_type, (points, _) in event_points.items():
            # The guard above makes this impossible; a negative intent event must be reported.
            assert points >= 0 or event_type not in intent_types or f"event|{event_type}" in kept_flips, \
                f"buying-intent event {event_type} went negative without being flagged"
        weights_setting = dict(learned.settings)
        draft = work / "candidate-seeds"
        write_candidates(seeds, draft, proposal, weights_setting)
        print("calibrate: building the candidate seeds", flush=True)
        candidate_project, candidate_db = build_side(work, "candidate", source_db, dbt_vars, draft)

        def rescore(settings: dict) -> list[str]:
            """Write the settings into the candidates and rebuild only the models they touch."""
            changed = write_candidates(seeds, draft, proposal, settings)
            problems = validate.validate(draft)
            if problems:
                raise RuntimeError("the candidate seeds do not validate (a bug):\n" + "\n".join(problems))
            scratch.copy_project(candidate_project, draft)
            scratch.build_models(candidate_project, candidate_db, dbt_vars, "--select", "scoring_settings",
                                 "int_scoring_settings_pivoted+", "--exclude", "int_lead_states_logged+")
            return changed

        # fit_weight: the proportional one above is exact only where neither score is clamped
        # at 0 or 100; the weight that ranks the training leads best, on the fit and engagement
        # scores the candidate build computed, is taken instead when it does clearly better.
        proportional_weight = fit_weight
        scores = training_scores(candidate_db, train_dates)
        y_scores = scores["is_converted"].to_numpy().astype(int)
        weight_aucs = {w: auc(y_scores, w * scores["fit_score"] + (1 - w) * scores["engagement_score"])
                       for w in sorted({fit_weight, *np.round(np.arange(0.05, 0.96, 0.05), 2)})}
        best_weight = max(weight_aucs, key=lambda w: (round(weight_aucs[w], 6), w == fit_weight))
        if weight_aucs[best_weight] - weight_aucs[fit_weight] >= WEIGHT_MIN_GAIN:
            fit_weight = float(best_weight)
            weights_setting = dict(learned.settings, fit_weight=fit_weight,
                                   engagement_weight=round(1 - fit_weight, 2))
            rescore(weights_setting)
            scores = training_scores(candidate_db, train_dates)
        # The MQL minimums stay as seeded (a person's rule, like the disqualifications); the
        # report says how many training leads pass them on either scale.
        minimums = {"current": passing_share(training_scores(current_db, train_dates),
                                             settings_of(seeds, SETTINGS_FILE)),
                    "candidate": passing_share(scores, settings_of(seeds, SETTINGS_FILE))}
        # Disqualified leads cannot become MQLs; when every one is, the rule still needs scores
        # to stand on, and the report says to review the disqualification rules.
        every_lead_disqualified = bool(scores["is_disqualified"].all())
        if not every_lead_disqualified:
            scores = scores[~scores["is_disqualified"]]
        # Only MQL-eligible leads (fit and engagement at the seeded minimums, int_leads_scored)
        # can reach a threshold: the shares of all leads become shares of the eligible ones.
        eligible = scores if every_lead_disqualified else scores[scores["is_mql_eligible"].astype(bool)]
        scale = len(scores) / len(eligible) if len(eligible) else 1.0
        thresholds = thresholds_from(eligible["lead_score"].to_numpy(), {
            setting: min(1.0, cal[share] * scale) for setting, share in (
                ("mql_min_lead_score", "mql_target_share"), ("sql_min_lead_score", "sql_target_share"),
                ("hot_min_lead_score", "hot_target_share"))})
        changed = rescore(dict(weights_setting, **thresholds))

        current = evaluate(current_project, current_db, dbt_vars)
        candidate = evaluate(candidate_project, candidate_db, dbt_vars)
        by_age = by_age.merge(age_scores(current_db, age_dates, "current"),
                              on=["score_as_of", "lead_id"]).merge(
            age_scores(candidate_db, age_dates, "candidate"), on=["score_as_of", "lead_id"])
        age_table = age_band_table(by_age, cal)
        reliability = reliability_table(training_scores(candidate_db, train_dates),
                                        candidate["outcomes"], read_csv(draft / BANDS_FILE)[1])
        clamped = {"current": clamped_shares(current_db, d_val), "candidate": clamped_shares(candidate_db, d_val)}
        y = current["outcomes"]["is_converted"].to_numpy().astype(int)
        assert (current["outcomes"]["lead_id"].to_numpy() == candidate["outcomes"]["lead_id"].to_numpy()).all()
        intervals = bootstrap_aucs(y, current["outcomes"]["lead_score"].to_numpy(),
                                   candidate["outcomes"]["lead_score"].to_numpy(),
                                   int(cal["bootstrap_samples"]))
        context = {
            "train_dates": sorted(train_dates), "d_val": d_val, "horizon": horizon,
            "train_leads": len(train), "train_conversions": n_train, "base_rate": base_rate,
            "val_leads": len(val), "val_conversions": n_val, "min_leads": min_leads,
            "auc_unconstrained": auc_unconstrained, "auc_guarded": auc_guarded,
            "c_value": float(np.atleast_1d(model.C_)[0]), "shapes": shapes,
            "sign_checks": sign_checks, "proposal": proposal, "evidence": evidence,
            "new_flags": new_flags, "displays": display_of(features), "thresholds": thresholds,
            "shares": cal, "intervals": intervals, "changed": changed, "fit_weight": fit_weight,
            "fit_columns": fit_columns, "event_types": event_types, "known_types": known_types,
            "seeds": seeds, "every_lead_disqualified": every_lead_disqualified,
            "shifted": sorted(covered), "proportional_weight": proportional_weight, "draft": draft,
            "weight_auc": weight_aucs[fit_weight], "proportional_auc": weight_aucs[proportional_weight],
            "disqualified": disqualification_evidence(features.leads, train, base_rate),
            "age_table": age_table, "reliability": reliability, "clamped": clamped,
            "points": learned, "age_dates": age_dates, "cal": cal, "minimums": minimums,
        }
        text = render(context, current, candidate, diff_seeds(seeds, draft, changed))
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(draft, out_dir)
    figures = {
        "auc_current": current["auc"]["lead_score"], "auc_candidate": candidate["auc"]["lead_score"],
        "auc_unconstrained": auc_unconstrained, "auc_guarded": auc_guarded,
        "difference_interval": intervals["difference"], "thresholds": thresholds,
        "fit_weight": fit_weight, "changed_files": changed, "sign_checks": sign_checks,
        "train_conversions": n_train, "val_conversions": n_val,
        "suggested_rules": [(r["event_type"], r["kind"], r["value"]) for r in proposal.suggested_rules],
        "verdict": verdict(current["auc"]["lead_score"], candidate["auc"]["lead_score"],
                           intervals["difference"], age_table)["word"],
        "age_bands": age_table, "reliability": reliability, "clamped": clamped,
        "settings": learned.settings, "validation_by_age": by_age,
        "train_dates": sorted(train_dates), "d_val": d_val,
    }
    return Calibration(text, figures)


@dataclass
class Calibration:
    text: str
    figures: dict


def disqualification_evidence(leads: pd.DataFrame, train: pd.DataFrame, base_rate: float) -> pd.DataFrame:
    """Per disqualification reason: the training leads it disqualified and how they converted."""
    reasons = leads.dropna(subset=["disqualification_reason"])
    keys = reasons.assign(feature=reasons["disqualification_reason"])[["score_as_of", "lead_id", "feature"]]
    if keys.empty:
        return pd.DataFrame(columns=["leads", "conversions", "rate", "lift", "lift_low", "lift_high"])
    return evidence_table(keys, train, base_rate).sort_values("leads", ascending=False)


def passing_share(scores: pd.DataFrame, settings: dict) -> float:
    """Share of the training leads at both MQL minimums (fit and engagement)."""
    if scores.empty:
        return float("nan")
    return float(((scores["fit_score"] >= settings["mql_min_fit_score"])
                  & (scores["engagement_score"] >= settings["mql_min_engagement_score"])).mean())


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


AGE_BANDS = ("age_band_1_days", "age_band_2_days", "age_band_3_days")


def age_band_of(age_days: pd.Series, cal: dict) -> pd.Series:
    """'0-14 days', '15-45 days', '46-90 days', 'over 90 days' from the calibration settings."""
    edges = [int(cal[name]) for name in AGE_BANDS]
    names, low = [], 0
    for edge in edges:
        names.append(f"{low}-{edge} days")
        low = edge + 1
    names.append(f"over {edges[-1]} days")
    index = np.searchsorted(np.array(edges), age_days.fillna(0).to_numpy(), side="left")
    return pd.Series(np.array(names, dtype=object)[index], index=age_days.index)


def age_weights(bands: pd.Series) -> np.ndarray:
    """Per lead-date, 1 / (lead-dates of its band) x lead-dates / bands: every band weighs the same."""
    counts = bands.map(bands.value_counts())
    return (len(bands) / bands.nunique() / counts).to_numpy(dtype=float)


def age_scores(db: Path, dates: list[dt.date], side: str) -> pd.DataFrame:
    """lead_score per (score_as_of, lead_id) on the age dates, as `<side>`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"""
            select score_as_of, lead_id, lead_score as {side}
            from intermediate.int_leads_scored where score_as_of in ({dates_sql(dates)})
        """).df()
    finally:
        con.close()


def age_band_table(by_age: pd.DataFrame, cal: dict) -> list[dict]:
    """Per age band: lead-dates, conversions, and the AUC of the unconstrained model, the current
    and the candidate seeds; judged when it has min_band_conversions conversions."""
    rows = []
    names = list(dict.fromkeys(age_band_of(pd.Series([0, *[int(cal[n]) + 1 for n in AGE_BANDS]]), cal)))
    for band in names:
        part = by_age[by_age["age_band"] == band]
        y = part["is_converted"].to_numpy().astype(int)
        conversions = int(y.sum())
        row = {"band": band, "leads": len(part), "conversions": conversions,
               "judged": conversions >= int(cal["min_band_conversions"]) and conversions < len(part)}
        for side in ("unconstrained", "current", "candidate"):
            row[side] = auc(y, part[side].to_numpy()) if row["judged"] else float("nan")
        rows.append(row)
    return rows


def reliability_table(train_scores: pd.DataFrame, validation: pd.DataFrame,
                      bands: list[dict]) -> list[dict]:
    """Predicted against observed conversion per lead_score band of the validation leads: the
    prediction is a logistic curve of lead_score fitted on the training leads' candidate scores
    (lead_score is the model's log-odds on a scale, so one slope and one intercept carry it)."""
    from sklearn.linear_model import LogisticRegression

    y = train_scores["is_converted"].to_numpy().astype(int)
    if y.min() == y.max():
        return []
    curve = LogisticRegression(C=1e6, max_iter=1000).fit(train_scores[["lead_score"]].to_numpy(), y)
    scores = validation["lead_score"].to_numpy(dtype=float)
    predicted = curve.predict_proba(scores.reshape(-1, 1))[:, 1]
    observed = validation["is_converted"].to_numpy().astype(float)
    floors = sorted((float(b["min_lead_score"]), b["score_band"].strip()) for b in bands)
    rows = []
    for i, (low, name) in enumerate(floors):
        high = floors[i + 1][0] if i + 1 < len(floors) else math.inf
        inside = (scores >= low) & (scores < high)
        n = int(inside.sum())
        rows.append({"band": name, "leads": n,
                     "predicted": float(predicted[inside].mean()) if n else float("nan"),
                     "observed": float(observed[inside].mean()) if n else float("nan"),
                     "conversions": int(observed[inside].sum())})
    return rows


def clamped_shares(db: Path, day: dt.date) -> dict[str, float]:
    """Share of the leads scored on day whose fit or engagement points fall outside 0-100."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        fit, engagement = con.execute(f"""
            select avg(case when fit_points_total < 0 or fit_points_total > 100 then 1.0 else 0 end),
                   avg(case when engagement_points_total < 0 or engagement_points_total > 100
                            then 1.0 else 0 end)
            from intermediate.int_leads_scored where score_as_of = date '{day.isoformat()}'
        """).fetchone()
    finally:
        con.close()
    return {"fit": float(fit or 0.0), "engagement": float(engagement or 0.0)}


def current_fit_points(seeds: Path) -> dict[str, int]:
    points = {}
    for dimension, (file, name_column) in FIT_SEEDS.items():
        for row in read_csv(seeds / file)[1]:
            points[f"{dimension}|{row[name_column].strip()}"] = int(row["fit_points"])
    return points


def diff_seeds(seeds: Path, candidates: Path, changed: list[str]) -> list[str]:
    """Changed values of existing rows, as 'file name: column a -> b'."""
    changes = []
    for file in changed:
        columns, before = read_csv(seeds / file)
        _, after = read_csv(candidates / file)
        for old, new in zip(before, after):
            moved = {k: (old[k], new[k]) for k in columns if old[k].strip() != new[k].strip()}
            if moved:
                name = next(iter(new.values())).strip()
                changes.append(f"`{file}` {name}: " + ", ".join(
                    f"{k} {a.strip()} → {b.strip()}" for k, (a, b) in moved.items()))
    return changes


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

def _number(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _label(feature: str) -> str:
    dimension, value = feature.split("|", 1)
    if dimension == "event" and value.startswith(RULE_PREFIX):
        return f"attribute rule `{value[len(RULE_PREFIX):]}`"
    return f"{'event type' if dimension == 'event' else dimension.replace('_', ' ')} `{value}`"


def verdict(current_auc: float, candidate_auc: float, interval: tuple[float, float],
            age_table: list[dict] | None = None) -> dict:
    """Adopt only when the candidate ranks the validation leads clearly better (the interval of
    the AUC difference above 0) and no judged age band ranks worse with it."""
    difference = candidate_auc - current_auc
    span = f"AUC {current_auc:.3f} → {candidate_auc:.3f}, difference {difference:+.3f}, " \
           f"95 % interval {interval[0]:+.3f} to {interval[1]:+.3f}"
    losing = [row for row in age_table or [] if row["judged"] and row["candidate"] < row["current"]]
    if interval[0] > 0 and losing:
        bands = "; ".join(f"{row['band']} after creation: AUC {row['current']:.3f} → "
                          f"{row['candidate']:.3f}" for row in losing)
        return {"word": "do not adopt", "reason": f"The candidate seeds rank the validation leads "
                                                  f"better on the whole ({span}), but worse at an "
                                                  f"age the daily run scores them: {bands}."}
    if interval[0] > 0:
        return {"word": "adopt", "reason": f"The candidate seeds rank the validation leads better "
                                           f"than the current ones ({span})."}
    if difference > 0:
        return {"word": "do not adopt", "reason": f"The candidate seeds are not clearly better than "
                                                  f"the current ones: the interval includes 0 ({span})."}
    return {"word": "do not adopt", "reason": f"The candidate seeds are not better than the current "
                                              f"ones ({span}): keep the current seeds."}


def render(context: dict, current: dict, candidate: dict, changes: list[str]) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["thousands"] = lambda v: "n/a" if v is None else f"{int(v):,}"
    env.filters["pct"] = lambda v: "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) \
        else f"{100 * v:.1f} %"
    env.filters["num"] = _number
    env.filters["signed"] = lambda v, d=3: f"{v:+.{d}f}"
    env.filters["label"] = _label
    evidence, new_flags = context["evidence"], context["new_flags"]
    current_auc, candidate_auc = current["auc"]["lead_score"], candidate["auc"]["lead_score"]
    loss = context["auc_unconstrained"] - candidate_auc
    gap = f"{abs(loss):.3f} {'below' if loss > 0 else 'above'} the unconstrained model"
    integer_loss_text = (
        f"{gap}; the integer points may lose at most 0.01." if loss <= 0.01 else
        f"{gap}, **more than the 0.01 the integer points may lose**: the clamps of the scores at "
        "0 and 100 or rounding cost ranking here; read the bands below first.")
    # Buying-intent events first; the hand-set points as a person reads them in the seed.
    sign_checks = sorted(context["sign_checks"], key=lambda c: (not c.is_intent, c.feature))
    hand = current_fit_points_or_weights(context["seeds"])
    proposed = current_fit_points_or_weights(context["draft"])
    for check in sign_checks:
        check.hand_points_text = str(hand.get(check.feature, "not set (buying intent)"))
        check.candidate_points = proposed.get(check.feature, 0)
    new_rows = []
    for file, name, points, feature in sorted(context["proposal"].new_descriptions,
                                              key=lambda d: -evidence.loc[d[3], "leads"]):
        row = evidence.loc[feature]
        new_rows.append({"file": file, "name": name, "points": points, **row.to_dict()})
    candidate_weights = {r["event_type"].strip().lower(): r
                         for r in read_csv(context["draft"] / WEIGHTS_FILE)[1]}
    if (context["draft"] / RULES_FILE).exists():
        candidate_weights |= {RULE_PREFIX + r["rule_id"].strip(): r
                              for r in read_csv(context["draft"] / RULES_FILE)[1]}
    events = []
    for event_type in sorted(context["shapes"]):
        row = evidence.loc[f"event|{event_type}"]
        shape = context["shapes"][event_type]
        weight = candidate_weights.get(event_type, {})
        events.append({"name": event_type, **row.to_dict(), "half_life": shape.half_life,
                       "cap_events": shape.cap_events, "from_data": shape.chosen_from_data,
                       "points": weight.get("points", ""), "max_points": weight.get("max_points_per_lead", "")})
    fit_rows = evidence[~evidence.index.str.startswith("event|")]
    common = fit_rows[fit_rows["leads"] >= context["min_leads"]]
    fit_values = [{"dimension": f.split("|", 1)[0], "value": context["displays"].get(f, f.split("|", 1)[1]),
                   "is_new": bool(new_flags.get(f, False)), **r.to_dict()}
                  for f, r in common.sort_values("leads", ascending=False).sort_index(
                      key=lambda i: i.str.split("|").str[0], kind="stable").iterrows()]
    bands = []
    for (_, a), (_, b) in zip(current["bands"].iterrows(), candidate["bands"].iterrows()):
        bands.append({"band": a["score_band"], "current_leads": a["leads"], "current_rate": a["conversion_rate"],
                      "candidate_leads": b["leads"], "candidate_rate": b["conversion_rate"]})

    def thresholds_text(side: dict) -> str:
        s = side["settings"]
        return f"{s['mql_min_lead_score']:g} / {s['sql_min_lead_score']:g} / {s['hot_min_lead_score']:g}"

    template = env.get_template("calibration.md.j2")
    return template.render(
        verdict=verdict(current_auc, candidate_auc, context["intervals"]["difference"],
                        context["age_table"]),
        age_table=context["age_table"], reliability=context["reliability"],
        clamped=context["clamped"], settings=context["points"].settings,
        minimums=context["minimums"], current_settings=current["settings"],
        clamp_share=float(context["cal"]["max_clamped_share"]),
        age_dates=[str(d) for d in sorted(context["age_dates"])],
        train_dates=[str(d) for d in context["train_dates"]], d_val=str(context["d_val"]),
        horizon=context["horizon"], train_leads=context["train_leads"],
        train_conversions=context["train_conversions"], base_rate=context["base_rate"],
        val_leads=context["val_leads"], val_conversions=context["val_conversions"],
        sign_checks=sign_checks, new_rows=new_rows, min_leads=context["min_leads"],
        alias_needed=[f"`{d}`" for d in context["proposal"].alias_needed],
        bootstrap_samples=int(context["shares"]["bootstrap_samples"]),
        auc={"current": current["auc"], "candidate": candidate["auc"]},
        intervals=context["intervals"], difference=candidate_auc - current_auc,
        current=dict(current, thresholds=thresholds_text(current)),
        candidate=dict(candidate, thresholds=thresholds_text(candidate)),
        auc_unconstrained=context["auc_unconstrained"], auc_guarded=context["auc_guarded"],
        integer_loss_text=integer_loss_text, bands=bands, shares=context["shares"],
        thresholds=context["thresholds"], fit_weight=context["fit_weight"], events=events,
        changes=changes, fit_values=fit_values, zero_points=context["proposal"].zero_points,
        suggested_rules=context["proposal"].suggested_rules,
        places_tested=context["proposal"].places_tested,
        rare_values=sorted(context["displays"].get(f, f.split("|", 1)[1])
                           for f in fit_rows[fit_rows["leads"] < context["min_leads"]].index),
        disqualified=[{"reason": r, **row.to_dict()} for r, row in context["disqualified"].iterrows()],
        disqualified_share=sum(int(r["leads"]) for _, r in context["disqualified"].iterrows()) / context["train_leads"],
        every_lead_disqualified=context["every_lead_disqualified"], shifted=context["shifted"],
        proportional_weight=context["proportional_weight"], weight_auc=context["weight_auc"],
        proportional_auc=context["proportional_auc"],
    ).rstrip() + "\n"


def current_fit_points_or_weights(seeds: Path) -> dict[str, int]:
    points = current_fit_points(seeds)
    for row in read_csv(seeds / WEIGHTS_FILE)[1]:
        points[f"event|{row['event_type'].strip().lower()}"] = int(row["points"])
    if (seeds / RULES_FILE).exists():
        for row in read_csv(seeds / RULES_FILE)[1]:
            points[f"event|{RULE_PREFIX}{row['rule_id'].strip()}"] = int(row["points"])
    return points


@main_guard
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadscore calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports"))
    args = parser.parse_args(argv)
    source_db = build_script.checked_warehouse()
    if source_db is None:
        return 1
    out = Path(args.out)
    try:
        text = calibrate(source_db, out / "calibrated_seeds").text
    except CalibrationRefused as error:
        print(f"calibration stopped, no candidates written: {error}", file=sys.stderr)
        return 1
    except duckdb.IOException as error:
        print(f"calibration stopped, no candidates written: cannot open {source_db} "
              f"({str(error).splitlines()[0]}); close the program holding it and run again",
              file=sys.stderr)
        return 1
    (out / "calibration.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"(written to {out / 'calibration.md'} and {out / 'calibrated_seeds'}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
