"""Check the scoring seeds the way a reviewer would, before dbt loads them.

Revenue teams edit seeds/*.csv by hand in pull requests. Every mistake found here is reported
with the file, the line and what is wrong, e.g.

    seeds/engagement/engagement_weights.csv line 4 (event_type=email_open): half_life_days '-3'
    must be greater than 0

`make build` and `make test` run it before dbt (scripts/build.py); it exits 1 when it finds an
error. It checks: the header; empty and non-numeric values; duplicate keys (compared the way the
SQL compares them); references between seeds (aliases to industries, weights to event types,
rule types, settings, BANT criteria); size and revenue bands without gaps or overlaps; grade,
level and score bands that start at 0 and stay within 0-100; the MQL threshold below the SQL
threshold and the weights summing to 1; positive half-lives and caps not below zero; regular
expressions that compile (in Python and in DuckDB's RE2) and use only the dialect every engine
shares.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from leadscore.paths import PROJECT as ROOT

# file: (columns, key columns, {column: kind}); kinds: int, number, bool, text (required),
# optional (may be empty).
SPECS: dict[str, tuple[list[str], list[str], dict[str, str]]] = {
    "icp/icp_industries.csv": (["industry", "fit_points"], ["industry"],
                               {"industry": "text", "fit_points": "int"}),
    "mappings/industry_aliases.csv": (["industry_alias", "industry"], ["industry_alias"],
                                      {"industry_alias": "text", "industry": "text"}),
    "icp/icp_company_size_bands.csv": (
        ["company_size_band", "min_employees", "max_employees", "fit_points"], ["company_size_band"],
        {"company_size_band": "text", "min_employees": "int", "max_employees": "int",
         "fit_points": "int"}),
    "icp/icp_revenue_bands.csv": (
        ["revenue_band", "min_revenue_usd", "max_revenue_usd", "fit_points"], ["revenue_band"],
        {"revenue_band": "text", "min_revenue_usd": "number", "max_revenue_usd": "number",
         "fit_points": "int"}),
    "icp/icp_seniorities.csv": (
        ["seniority", "match_order", "title_pattern", "fit_points", "has_buying_authority"],
        ["seniority"],
        {"seniority": "text", "match_order": "int", "title_pattern": "regex", "fit_points": "int",
         "has_buying_authority": "bool"}),
    "icp/icp_departments.csv": (
        ["department", "match_order", "title_pattern", "fit_points"], ["department"],
        {"department": "text", "match_order": "int", "title_pattern": "regex", "fit_points": "int"}),
    "icp/icp_countries.csv": (
        ["country_code", "country_name", "region", "fit_points"], ["country_code"],
        {"country_code": "country", "country_name": "optional", "region": "optional",
         "fit_points": "int"}),
    "mappings/country_aliases.csv": (["country_alias", "country_code"], ["country_alias"],
                                     {"country_alias": "text", "country_code": "country"}),
    "icp/lead_source_points.csv": (["lead_source", "fit_points"], ["lead_source"],
                                   {"lead_source": "text", "fit_points": "int"}),
    "mappings/event_types.csv": (["event_type", "description", "is_buying_intent"], ["event_type"],
                                 {"event_type": "text", "description": "optional",
                                  "is_buying_intent": "bool"}),
    "engagement/engagement_weights.csv": (
        ["event_type", "points", "max_points_per_lead", "half_life_days"], ["event_type"],
        {"event_type": "text", "points": "int", "max_points_per_lead": "int",
         "half_life_days": "int"}),
    "rules/disqualification_rules.csv": (
        ["rule_id", "rule_type", "match_value", "disqualification_reason"], ["rule_id"],
        {"rule_id": "int", "rule_type": "text", "match_value": "optional",
         "disqualification_reason": "text"}),
    "mappings/free_mail_domains.csv": (["email_domain"], ["email_domain"], {"email_domain": "text"}),
    "rules/fit_grades.csv": (["fit_grade", "min_fit_score"], ["fit_grade"],
                             {"fit_grade": "text", "min_fit_score": "number"}),
    "rules/engagement_levels.csv": (["engagement_level", "min_engagement_score"],
                                    ["engagement_level"],
                                    {"engagement_level": "int", "min_engagement_score": "number"}),
    "rules/score_bands.csv": (["score_band", "min_lead_score"], ["score_band"],
                              {"score_band": "text", "min_lead_score": "number"}),
    "rules/scoring_settings.csv": (["setting", "setting_value"], ["setting"],
                                   {"setting": "text", "setting_value": "number"}),
    "rules/calibration_settings.csv": (["setting", "setting_value"], ["setting"],
                                       {"setting": "text", "setting_value": "number"}),
    "rules/account_settings.csv": (["setting", "setting_value"], ["setting"],
                                   {"setting": "text", "setting_value": "number"}),
    "rules/account_stages.csv": (
        ["account_stage", "stage_order", "min_account_score", "min_engaged_contacts",
         "min_engaged_seniorities", "min_engaged_departments"], ["account_stage", "stage_order"],
        {"account_stage": "text", "stage_order": "int", "min_account_score": "number",
         "min_engaged_contacts": "int", "min_engaged_seniorities": "int",
         "min_engaged_departments": "int"}),
    "mappings/score_dimensions.csv": (["dimension", "label"], ["dimension"],
                                      {"dimension": "text", "label": "text"}),
    "rules/bant_criteria.csv": (["bant_criterion", "is_required_for_sql"], ["bant_criterion"],
                                {"bant_criterion": "text", "is_required_for_sql": "bool"}),
    "rules/bant_timelines.csv": (["purchase_timeline", "is_qualifying"], ["purchase_timeline"],
                                 {"purchase_timeline": "text", "is_qualifying": "bool"}),
    "rules/lifecycle_stages.csv": (
        ["lifecycle_stage", "stage_order", "is_marketing_funnel", "is_handed_off", "description"],
        ["lifecycle_stage", "stage_order"],
        {"lifecycle_stage": "text", "stage_order": "int", "is_marketing_funnel": "bool",
         "is_handed_off": "bool", "description": "optional"}),
}
# The stages the scoring model assigns (int_leads_scored): each needs its row.
LIFECYCLE_STAGES = {"lead", "mql", "sql", "opportunity", "customer", "recycled", "disqualified"}

SETTINGS = {"fit_weight", "engagement_weight", "mql_min_lead_score", "sql_min_lead_score",
            "mql_min_fit_score", "mql_min_engagement_score",
            "hot_min_lead_score", "hot_max_days_since_engaged", "handoff_lookback_days",
            "history_min_score_change", "history_max_days_beyond_data",
            "recycle_max_engagement_score", "recycle_after_days", "raw_min_lead_rows",
            "raw_max_shrink_share"}
# setting: (lowest, highest, whole number)
CALIBRATION_SETTINGS = {
    "min_training_conversions": (1, None, True), "min_validation_conversions": (1, None, True),
    "min_value_leads": (1, None, True), "training_dates": (1, 24, True),
    "training_date_step_days": (1, None, True), "mql_target_share": (0, 1, False),
    "sql_target_share": (0, 1, False), "hot_target_share": (0, 1, False),
    "bootstrap_samples": (10, None, True),
}
ACCOUNT_SETTINGS = {"engaged_contact_min_engagement_score", "account_engagement_cap",
                    "account_fit_weight", "account_engagement_weight"}
RULE_TYPES = {"do_not_contact", "event_type", "email_domain", "free_mail_domain",
              "title_pattern", "country", "industry"}
BANT_CRITERIA = {"budget", "authority", "need", "timeline"}
# Backslash classes, \b and look-around read differently (or not at all) on DuckDB, Postgres
# and Spark.
NON_PORTABLE = [(r"\\", "a backslash (write [0-9] or [ ] instead of \\d or \\s; no \\b)"),
                (r"\(\?", "a (?...) group (look-around and flags are not portable)")]


def normalise(value: str) -> str:
    """The SQL's normalise_text: lower case, runs of other characters than letters and digits
    of any script, & and + as one space. Keys compared in SQL after it must be unique after it
    too."""
    return re.sub(r"(?:[^\w&+]|_)+", " ", value.replace("\0", "").lower()).strip()


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)

    def add(self, file: str, row: Row | None, key: str | None, message: str) -> None:
        where = f"seeds/{file}"
        if row is not None:
            where += f" line {row.line}"
            if key and row.values.get(key):
                where += f" ({key}={row.values[key]})"
        self.errors.append(f"{where}: {message}")


def read(seeds_dir: Path, file: str, report: Report) -> list[Row] | None:
    path = seeds_dir / file
    columns, _, _ = SPECS[file]
    if not path.exists():
        report.add(file, None, None, "file is missing")
        return None
    # Excel's "CSV UTF-8" starts the file with a byte-order mark: utf-8-sig reads past it (dbt
    # seeds do as well).
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        report.add(file, Row(line, {}), None,
                   "is not UTF-8 text: save the file as 'CSV UTF-8' (Excel) or UTF-8")
        return None
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        report.add(file, Row(line, {}), None,
                   "contains a NUL character: save the file again as plain CSV text")
        return None
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            report.add(file, None, None, "file is empty")
            return None
        header = [name.strip() for name in header]
        if header != columns:
            missing = [c for c in columns if c not in header]
            extra = [c for c in header if c not in columns]
            detail = "; ".join(filter(None, [
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                "columns out of order" if not missing and not extra else "",
            ]))
            report.add(file, None, None, f"header must be {','.join(columns)} ({detail})")
            return None
        rows = []
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                report.add(file, Row(line_number, {}), None,
                           f"has {len(cells)} values, the header has {len(columns)} columns "
                           "(a comma inside a value needs double quotes)")
                continue
            rows.append(Row(line_number, dict(zip(columns, cells))))
        return rows


def parse_number(text: str, kind: str):
    text = text.strip()
    if kind == "int":
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise ValueError("is not a whole number")
        return int(text)
    try:
        return float(text)
    except ValueError:
        raise ValueError("is not a number") from None


def check_regex(pattern: str) -> str | None:
    for token, why in NON_PORTABLE:
        if re.search(token, pattern):
            return f"pattern {pattern!r} uses {why}"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"pattern {pattern!r} does not compile: {error}"
    try:
        import duckdb

        duckdb.execute("select regexp_matches('', ?)", [pattern]).fetchone()
    except Exception as error:  # duckdb raises its own exception types
        return f"pattern {pattern!r} does not compile in DuckDB: {str(error).splitlines()[0]}"
    return None


def check_cells(file: str, rows: list[Row], report: Report) -> list[Row]:
    """Types and required values; returns the rows whose values all parsed."""
    _, keys, kinds = SPECS[file]
    key = keys[0]
    good = []
    for row in rows:
        ok = True
        for column, kind in kinds.items():
            raw = row.values[column]
            value = raw.strip()
            if kind == "optional":
                continue
            if value == "":
                report.add(file, row, key, f"{column} is empty")
                ok = False
            elif kind in ("int", "number"):
                try:
                    row.values[column] = parse_number(value, kind)
                except ValueError as error:
                    report.add(file, row, key, f"{column} {raw!r} {error}")
                    ok = False
            elif kind == "bool":
                if value.lower() not in ("true", "false"):
                    report.add(file, row, key, f"{column} {raw!r} must be true or false")
                    ok = False
                else:
                    row.values[column] = value.lower() == "true"
            elif kind == "country":
                if not re.fullmatch(r"[A-Za-z]{2}", value):
                    report.add(file, row, key,
                               f"{column} {raw!r} is not a two-letter ISO 3166 code")
                    ok = False
            elif kind == "regex":
                problem = check_regex(raw)
                if problem:
                    report.add(file, row, key, problem)
                    ok = False
        if ok:
            good.append(row)
    return good


def check_unique(file: str, rows: list[Row], report: Report, columns: list[str] | None = None,
                 compare=normalise) -> None:
    for column in columns or SPECS[file][1]:
        seen: dict = {}
        for row in rows:
            value = row.values[column]
            comparable = compare(value) if isinstance(value, str) else value
            if comparable in seen:
                report.add(file, row, column,
                           f"duplicate {column} {value!r} (already on line {seen[comparable]})")
            else:
                seen[comparable] = row.line


def check_bands(file: str, rows: list[Row], report: Report, low: str, high: str,
                inclusive: bool, label: str) -> None:
    """Bands sorted by their lower bound must touch: the next band starts where this one ends
    (+1 for inclusive integer bounds)."""
    ordered = sorted(rows, key=lambda r: r.values[low])
    for row in ordered:
        if row.values[low] > row.values[high] or (not inclusive and row.values[low] == row.values[high]):
            report.add(file, row, label,
                       f"{low} {row.values[low]:g} is not below {high} {row.values[high]:g}")
    for previous, current in zip(ordered, ordered[1:]):
        expected = previous.values[high] + (1 if inclusive else 0)
        if current.values[low] > expected:
            report.add(file, current, label,
                       f"gap: {low} {current.values[low]:g} leaves "
                       f"{expected:g}..{current.values[low] - (1 if inclusive else 0):g} uncovered "
                       f"after band {previous.values[label]!r} (line {previous.line})")
        elif current.values[low] < expected:
            report.add(file, current, label,
                       f"overlap: {low} {current.values[low]:g} falls inside band "
                       f"{previous.values[label]!r} (line {previous.line}), which ends at "
                       f"{previous.values[high]:g}")


def check_lower_bounds(file: str, rows: list[Row], report: Report, column: str, label: str) -> None:
    check_unique(file, rows, report, [column], compare=lambda v: v)
    for row in rows:
        if not 0 <= row.values[column] <= 100:
            report.add(file, row, label, f"{column} {row.values[column]:g} is outside 0-100")
    if rows and min(row.values[column] for row in rows) != 0:
        report.add(file, None, None,
                   f"no row has {column} 0: scores below the lowest bound would get no "
                   f"{label} (the bands must cover 0-100)")


def check_account_seeds(data: dict, rows_of, report: Report) -> None:
    file = "rules/account_settings.csv"
    settings = {}
    for row in rows_of(file):
        name = row.values["setting"].strip()
        if name not in ACCOUNT_SETTINGS:
            report.add(file, row, "setting", f"unknown setting {name!r}; known: "
                       f"{', '.join(sorted(ACCOUNT_SETTINGS))}")
        settings[name] = (row, row.values["setting_value"])
    if file in data:
        for name in sorted(ACCOUNT_SETTINGS - set(settings)):
            report.add(file, None, None, f"setting {name!r} is missing")
    if "account_engagement_cap" in settings and settings["account_engagement_cap"][1] <= 0:
        report.add(file, settings["account_engagement_cap"][0], "setting",
                   "account_engagement_cap must be greater than 0 (engagement is divided by it)")
    name = "engaged_contact_min_engagement_score"
    if name in settings and not 0 <= settings[name][1] <= 100:
        report.add(file, settings[name][0], "setting", f"{name} {settings[name][1]:g} is outside 0-100")
    weights = [settings.get(n) for n in ("account_fit_weight", "account_engagement_weight")]
    if all(weights):
        for row, value in weights:
            if value < 0:
                report.add(file, row, "setting", f"{row.values['setting']} {value:g} is below zero")
        if abs(weights[0][1] + weights[1][1] - 1) > 1e-9:
            report.add(file, weights[0][0], "setting",
                       f"account_fit_weight + account_engagement_weight = "
                       f"{weights[0][1] + weights[1][1]:g}; they must sum to 1")

    file = "rules/account_stages.csv"
    minimums = ["min_account_score", "min_engaged_contacts", "min_engaged_seniorities",
                "min_engaged_departments"]
    for row in rows_of(file):
        for column in minimums:
            if row.values[column] < 0:
                report.add(file, row, "account_stage", f"{column} {row.values[column]:g} is below zero")
        if row.values["min_account_score"] > 100:
            report.add(file, row, "account_stage",
                       f"min_account_score {row.values['min_account_score']:g} is above 100")
    if rows_of(file) and not any(all(r.values[c] == 0 for c in minimums) for r in rows_of(file)):
        report.add(file, None, None, "no stage has every minimum at 0: an account meeting none "
                   "of the stages would get no account_stage")


def check_calibration_settings(data: dict, rows_of, report: Report) -> None:
    file = "rules/calibration_settings.csv"
    settings = {}
    for row in rows_of(file):
        name = row.values["setting"].strip()
        settings[name] = (row, row.values["setting_value"])
        if name not in CALIBRATION_SETTINGS:
            report.add(file, row, "setting", f"unknown setting {name!r}; known: "
                       f"{', '.join(sorted(CALIBRATION_SETTINGS))}")
            continue
        low, high, whole = CALIBRATION_SETTINGS[name]
        value = row.values["setting_value"]
        if whole and value != int(value):
            report.add(file, row, "setting", f"{name} {value:g} must be a whole number")
        if value < low or (high is not None and value > high):
            bounds = f"{low}-{high}" if high is not None else f"at least {low}"
            report.add(file, row, "setting", f"{name} {value:g} must be {bounds}")
    if file in data:
        for name in sorted(set(CALIBRATION_SETTINGS) - set(settings)):
            report.add(file, None, None, f"setting {name!r} is missing")
    shares = [settings.get(n) for n in ("mql_target_share", "sql_target_share")]
    if all(shares) and not shares[1][1] < shares[0][1]:
        report.add(file, shares[1][0], "setting",
                   f"sql_target_share {shares[1][1]:g} must be below mql_target_share "
                   f"{shares[0][1]:g} (an SQL threshold above the MQL one marks fewer leads)")


def validate(seeds_dir: Path) -> list[str]:
    report = Report()
    data: dict[str, list[Row]] = {}
    unreadable = False
    for file in SPECS:
        rows = read(seeds_dir, file, report)
        if rows is None:
            unreadable = True
            continue
        data[file] = check_cells(file, rows, report)
        check_unique(file, data[file], report)
    if unreadable:
        # Checks across files would blame every row that refers to the unreadable one.
        return report.errors

    def rows_of(file: str) -> list[Row]:
        return data.get(file, [])

    industries = {normalise(r.values["industry"]) for r in rows_of("icp/icp_industries.csv")}
    for row in rows_of("mappings/industry_aliases.csv"):
        if normalise(row.values["industry"]) not in industries:
            report.add("mappings/industry_aliases.csv", row, "industry_alias",
                       f"industry {row.values['industry']!r} is not in icp/icp_industries.csv")

    event_types = {r.values["event_type"].strip().lower() for r in rows_of("mappings/event_types.csv")}
    for row in rows_of("engagement/engagement_weights.csv"):
        file = "engagement/engagement_weights.csv"
        if row.values["event_type"].strip().lower() not in event_types:
            report.add(file, row, "event_type",
                       f"unknown event type {row.values['event_type']!r}: not in "
                       "mappings/event_types.csv (add it there if the marketing tool sends it)")
        if row.values["half_life_days"] <= 0:
            report.add(file, row, "event_type",
                       f"half_life_days {row.values['half_life_days']} must be greater than 0")
        if row.values["max_points_per_lead"] < 0:
            report.add(file, row, "event_type",
                       f"max_points_per_lead {row.values['max_points_per_lead']} is below zero "
                       "(the cap bounds the absolute value; write it positive)")

    for file in ("icp/icp_seniorities.csv", "icp/icp_departments.csv"):
        check_unique(file, rows_of(file), report, ["match_order"], compare=lambda v: v)

    if "icp/icp_company_size_bands.csv" in data:
        rows = rows_of("icp/icp_company_size_bands.csv")
        check_bands("icp/icp_company_size_bands.csv", rows, report, "min_employees",
                    "max_employees", inclusive=True, label="company_size_band")
    if "icp/icp_revenue_bands.csv" in data:
        check_bands("icp/icp_revenue_bands.csv", rows_of("icp/icp_revenue_bands.csv"), report,
                    "min_revenue_usd", "max_revenue_usd", inclusive=False, label="revenue_band")

    check_lower_bounds("rules/fit_grades.csv", rows_of("rules/fit_grades.csv"), report,
                       "min_fit_score", "fit_grade")
    check_lower_bounds("rules/engagement_levels.csv", rows_of("rules/engagement_levels.csv"),
                       report, "min_engagement_score", "engagement_level")
    check_lower_bounds("rules/score_bands.csv", rows_of("rules/score_bands.csv"), report,
                       "min_lead_score", "score_band")

    file = "rules/scoring_settings.csv"
    settings = {}
    for row in rows_of(file):
        name = row.values["setting"].strip()
        if name not in SETTINGS:
            report.add(file, row, "setting",
                       f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}")
        settings[name] = (row, row.values["setting_value"])
    if file in data:
        for name in sorted(SETTINGS - set(settings)):
            report.add(file, None, None, f"setting {name!r} is missing")
    if "mql_min_lead_score" in settings and "sql_min_lead_score" in settings:
        (mql_row, mql), (_, sql) = settings["mql_min_lead_score"], settings["sql_min_lead_score"]
        if not mql < sql:
            report.add(file, mql_row, "setting",
                       f"mql_min_lead_score {mql:g} must be below sql_min_lead_score {sql:g}")
    for name in ("mql_min_lead_score", "sql_min_lead_score", "hot_min_lead_score",
                 "mql_min_fit_score", "mql_min_engagement_score"):
        if name in settings and not 0 <= settings[name][1] <= 100:
            report.add(file, settings[name][0], "setting", f"{name} {settings[name][1]:g} is outside 0-100")
    for name in ("fit_weight", "engagement_weight", "hot_max_days_since_engaged",
                 "handoff_lookback_days", "history_min_score_change",
                 "history_max_days_beyond_data", "recycle_max_engagement_score",
                 "recycle_after_days", "raw_min_lead_rows"):
        if name in settings and settings[name][1] < 0:
            report.add(file, settings[name][0], "setting", f"{name} {settings[name][1]:g} is below zero")
    if "raw_max_shrink_share" in settings and not 0 <= settings["raw_max_shrink_share"][1] <= 1:
        report.add(file, settings["raw_max_shrink_share"][0], "setting",
                   f"raw_max_shrink_share {settings['raw_max_shrink_share'][1]:g} must be a share "
                   "between 0 and 1")
    if "fit_weight" in settings and "engagement_weight" in settings:
        total = settings["fit_weight"][1] + settings["engagement_weight"][1]
        if abs(total - 1) > 1e-9:
            report.add(file, settings["fit_weight"][0], "setting",
                       f"fit_weight + engagement_weight = {total:g}; they must sum to 1 so that "
                       "lead_score stays within 0-100")

    check_account_seeds(data, rows_of, report)
    check_calibration_settings(data, rows_of, report)

    file = "rules/lifecycle_stages.csv"
    stages = {}
    for row in rows_of(file):
        name = row.values["lifecycle_stage"].strip()
        if name not in LIFECYCLE_STAGES:
            report.add(file, row, "lifecycle_stage", f"unknown stage {name!r}: the scoring model "
                       f"assigns only {', '.join(sorted(LIFECYCLE_STAGES))}")
        stages[name] = row
    if file in data:
        for name in sorted(LIFECYCLE_STAGES - set(stages)):
            report.add(file, None, None, f"stage {name!r} is missing")
    for name in ("opportunity", "customer", "disqualified", "lead", "recycled"):
        if name in stages and stages[name].values["is_handed_off"] is True:
            report.add(file, stages[name], "is_handed_off",
                       f"{name} cannot be handed off: only mql and sql are qualified leads")

    file = "rules/disqualification_rules.csv"
    for row in rows_of(file):
        rule_type, value = row.values["rule_type"].strip(), row.values["match_value"].strip()
        if rule_type not in RULE_TYPES:
            report.add(file, row, "rule_id",
                       f"unknown rule_type {rule_type!r}; known: {', '.join(sorted(RULE_TYPES))}")
        elif rule_type in ("do_not_contact", "free_mail_domain"):
            if value:
                report.add(file, row, "rule_id", f"a {rule_type} rule takes no match_value")
        elif not value:
            report.add(file, row, "rule_id", f"a {rule_type} rule needs a match_value")
        elif rule_type == "title_pattern":
            problem = check_regex(row.values["match_value"])
            if problem:
                report.add(file, row, "rule_id", problem)
        elif rule_type == "event_type" and value.lower() not in event_types:
            report.add(file, row, "rule_id",
                       f"unknown event type {value!r}: not in mappings/event_types.csv")
        elif rule_type == "industry" and normalise(value) not in industries:
            report.add(file, row, "rule_id",
                       f"industry {value!r} is not in icp/icp_industries.csv")
        elif rule_type == "country" and not re.fullmatch(r"[A-Za-z]{2}", value):
            report.add(file, row, "rule_id", f"country {value!r} is not a two-letter ISO code")

    for row in rows_of("rules/bant_criteria.csv"):
        if row.values["bant_criterion"].strip() not in BANT_CRITERIA:
            report.add("rules/bant_criteria.csv", row, "bant_criterion",
                       f"unknown criterion; known: {', '.join(sorted(BANT_CRITERIA))}")
    return report.errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadscore validate", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds-dir", type=Path, default=ROOT / "seeds")
    args = parser.parse_args(argv)
    errors = validate(args.seeds_dir)
    if errors:
        print(f"{len(errors)} problem(s) in the seeds:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"seeds OK: {len(SPECS)} files checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
