"""Reading and writing the seed CSVs calibration learns into, and the files it touches."""

from __future__ import annotations

import csv

from pathlib import Path

from leadscore import validate


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


def current_fit_points(seeds: Path) -> dict[str, int]:
    points = {}
    for dimension, (file, name_column) in FIT_SEEDS.items():
        for row in read_csv(seeds / file)[1]:
            points[f"{dimension}|{row[name_column].strip()}"] = int(row["fit_points"])
    return points


def current_fit_points_or_weights(seeds: Path) -> dict[str, int]:
    points = current_fit_points(seeds)
    for row in read_csv(seeds / WEIGHTS_FILE)[1]:
        points[f"event|{row['event_type'].strip().lower()}"] = int(row["points"])
    if (seeds / RULES_FILE).exists():
        for row in read_csv(seeds / RULES_FILE)[1]:
            points[f"event|{RULE_PREFIX}{row['rule_id'].strip()}"] = int(row["points"])
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
