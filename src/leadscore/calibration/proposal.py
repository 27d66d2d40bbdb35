"""The candidate seed rows: updates, new rows, suggested attribute rules, written in the layout of seeds/."""

from __future__ import annotations

import re
import shutil

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leadscore.calibration.seeds import EVENT_TYPES_FILE, FIT_SEEDS, RULES_FILE, RULE_PREFIX, SETTINGS_FILE, WEIGHTS_FILE, normalise, read_csv, rewrite_csv
from leadscore.calibration.features import Features, page_pattern
from leadscore.calibration.fitting import EventShape, dimension_of


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
