"""The calibration report (templates/calibration.md.j2), rendered from what the pipeline found:
which lead-dates it learned and judged on (Sample), what it learned (Learned), and how the
candidate seeds compare with the current ones (Judgement)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadscore.calibration.evaluation import verdict
from leadscore.calibration.fitting import EventShape, Points, SignCheck
from leadscore.calibration.proposal import Proposal
from leadscore.calibration.seeds import RULE_PREFIX, RULES_FILE, WEIGHTS_FILE, current_fit_points_or_weights, read_csv
from leadscore.formatting import templates


@dataclass
class Sample:
    """The lead-dates the model learned from and was judged on."""

    train_dates: list[dt.date]
    validation_date: dt.date
    horizon: int
    age_dates: list[dt.date]  # the validation-by-age scoring dates
    train_leads: int
    train_conversions: int
    val_leads: int
    val_conversions: int

    @property
    def base_rate(self) -> float:
        return self.train_conversions / self.train_leads


@dataclass
class Learned:
    """What the logistic regression found and how it became seed rows."""

    evidence: pd.DataFrame  # per feature: leads, conversions, rate, lift and its interval
    new_flags: pd.Series  # feature -> no seed row names it yet
    displays: dict[str, str]  # feature -> the value as the data writes it
    min_leads: int
    shapes: dict[str, EventShape]
    sign_checks: list[SignCheck]
    auc_unconstrained: float
    auc_guarded: float
    points: Points
    shifted: list[str]  # dimensions whose lowest value was moved to 0
    proposal: Proposal
    disqualified: pd.DataFrame  # per disqualification reason: leads, conversions, lift


@dataclass
class Judgement:
    """The candidate seeds against the current ones, on the validation leads."""

    current: dict  # evaluate(): auc, bands, settings, mqls, precision, recall, outcomes
    candidate: dict
    intervals: dict  # bootstrap intervals: current, candidate, difference
    age_table: list[dict]
    reliability: list[dict]
    clamped: dict  # side -> score -> share of validation leads at 0 or 100
    minimums: dict  # side -> share of training leads meeting the seeded MQL minimums
    thresholds: dict[str, int]
    fit_weight: float
    proportional_weight: float
    weight_auc: float
    proportional_auc: float
    every_lead_disqualified: bool
    changes: list[str]  # the seed diff, line by line


def feature_label(feature: str) -> str:
    """A model feature as the report names it: `country|de` -> country `de`."""
    dimension, value = feature.split("|", 1)
    if dimension == "event" and value.startswith(RULE_PREFIX):
        return f"attribute rule `{value[len(RULE_PREFIX):]}`"
    return f"{'event type' if dimension == 'event' else dimension.replace('_', ' ')} `{value}`"


def render(sample: Sample, learned: Learned, judgement: Judgement, seeds: Path, draft: Path,
           cal: dict) -> str:
    """calibration.md: `seeds` are the current seeds, `draft` the candidates, `cal` the
    calibration settings."""
    evidence, new_flags = learned.evidence, learned.new_flags
    current, candidate = judgement.current, judgement.candidate
    current_auc, candidate_auc = current["auc"]["lead_score"], candidate["auc"]["lead_score"]
    loss = learned.auc_unconstrained - candidate_auc
    gap = f"{abs(loss):.3f} {'below' if loss > 0 else 'above'} the unconstrained model"
    integer_loss_text = (
        f"{gap}; the integer points may lose at most 0.01." if loss <= 0.01 else
        f"{gap}, **more than the 0.01 the integer points may lose**: the clamps of the scores at "
        "0 and 100 or rounding cost ranking here; read the bands below first.")
    # Buying-intent events first; the hand-set points as a person reads them in the seed.
    sign_checks = sorted(learned.sign_checks, key=lambda c: (not c.is_intent, c.feature))
    hand = current_fit_points_or_weights(seeds)
    proposed = current_fit_points_or_weights(draft)
    for check in sign_checks:
        check.hand_points_text = str(hand.get(check.feature, "not set (buying intent)"))
        check.candidate_points = proposed.get(check.feature, 0)
    new_rows = []
    for file, name, points, feature in sorted(learned.proposal.new_descriptions,
                                              key=lambda d: -evidence.loc[d[3], "leads"]):
        row = evidence.loc[feature]
        new_rows.append({"file": file, "name": name, "points": points, **row.to_dict()})
    candidate_weights = {r["event_type"].strip().lower(): r
                         for r in read_csv(draft / WEIGHTS_FILE)[1]}
    if (draft / RULES_FILE).exists():
        candidate_weights |= {RULE_PREFIX + r["rule_id"].strip(): r
                              for r in read_csv(draft / RULES_FILE)[1]}
    events = []
    for event_type in sorted(learned.shapes):
        row = evidence.loc[f"event|{event_type}"]
        shape = learned.shapes[event_type]
        weight = candidate_weights.get(event_type, {})
        events.append({"name": event_type, **row.to_dict(), "half_life": shape.half_life,
                       "cap_events": shape.cap_events, "from_data": shape.chosen_from_data,
                       "points": weight.get("points", ""), "max_points": weight.get("max_points_per_lead", "")})
    fit_rows = evidence[~evidence.index.str.startswith("event|")]
    common = fit_rows[fit_rows["leads"] >= learned.min_leads]
    fit_values = [{"dimension": f.split("|", 1)[0], "value": learned.displays.get(f, f.split("|", 1)[1]),
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

    template = templates().get_template("calibration.md.j2")
    j = judgement
    return template.render(
        verdict=verdict(current_auc, candidate_auc, j.intervals["difference"], j.age_table),
        age_table=j.age_table, reliability=j.reliability, clamped=j.clamped,
        settings=learned.points.settings, minimums=j.minimums, current_settings=current["settings"],
        clamp_share=float(cal["max_clamped_share"]),
        age_dates=[str(d) for d in sorted(sample.age_dates)],
        train_dates=[str(d) for d in sorted(sample.train_dates)],
        d_val=str(sample.validation_date), horizon=sample.horizon,
        train_leads=sample.train_leads, train_conversions=sample.train_conversions,
        base_rate=sample.base_rate, val_leads=sample.val_leads,
        val_conversions=sample.val_conversions,
        sign_checks=sign_checks, new_rows=new_rows, min_leads=learned.min_leads,
        alias_needed=[f"`{d}`" for d in learned.proposal.alias_needed],
        bootstrap_samples=int(cal["bootstrap_samples"]),
        auc={"current": current["auc"], "candidate": candidate["auc"]},
        intervals=j.intervals, difference=candidate_auc - current_auc,
        current=dict(current, thresholds=thresholds_text(current)),
        candidate=dict(candidate, thresholds=thresholds_text(candidate)),
        auc_unconstrained=learned.auc_unconstrained, auc_guarded=learned.auc_guarded,
        integer_loss_text=integer_loss_text, bands=bands, shares=cal,
        thresholds=j.thresholds, fit_weight=j.fit_weight, events=events,
        changes=j.changes, fit_values=fit_values, zero_points=learned.proposal.zero_points,
        suggested_rules=learned.proposal.suggested_rules,
        places_tested=learned.proposal.places_tested,
        rare_values=sorted(learned.displays.get(f, f.split("|", 1)[1])
                           for f in fit_rows[fit_rows["leads"] < learned.min_leads].index),
        disqualified=[{"reason": r, **row.to_dict()} for r, row in learned.disqualified.iterrows()],
        disqualified_share=sum(int(r["leads"]) for _, r in learned.disqualified.iterrows())
        / sample.train_leads,
        every_lead_disqualified=j.every_lead_disqualified, shifted=learned.shifted,
        proportional_weight=j.proportional_weight, weight_auc=j.weight_auc,
        proportional_auc=j.proportional_auc, feature_label=feature_label,
    ).rstrip() + "\n"
