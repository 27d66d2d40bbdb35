"""The calibration report (templates/calibration.md.j2)."""

from __future__ import annotations

import math

from leadscore.calibration.seeds import RULES_FILE, RULE_PREFIX, WEIGHTS_FILE, current_fit_points_or_weights, read_csv
from leadscore.calibration.evaluation import verdict
from leadscore.paths import PACKAGE


def _number(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _label(feature: str) -> str:
    dimension, value = feature.split("|", 1)
    if dimension == "event" and value.startswith(RULE_PREFIX):
        return f"attribute rule `{value[len(RULE_PREFIX):]}`"
    return f"{'event type' if dimension == 'event' else dimension.replace('_', ' ')} `{value}`"


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
