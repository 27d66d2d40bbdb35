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
short ends in a one-line refusal (a UserError, as every command's), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import duckdb
import numpy as np
import pandas as pd

from leadscore.paths import PROJECT as ROOT

from leadscore import build as build_script
from leadscore import scratch
from leadscore.options import main_for, out_option
from leadscore.userfacing import UserError
from leadscore import validate

from leadscore.calibration.seeds import (  # noqa: F401 (re-exported: tests, bench)
    FIT_SEEDS,
    WEIGHTS_FILE,
    RULES_FILE,
    RULE_PREFIX,
    EVENT_TYPES_FILE,
    SETTINGS_FILE,
    BANDS_FILE,
    CALIBRATION_FILE,
    read_csv,
    csv_line,
    rewrite_csv,
    settings_of,
    normalise,
    current_fit_points,
    current_fit_points_or_weights,
    diff_seeds,
)
from leadscore.calibration.features import (  # noqa: F401 (re-exported: tests, bench)
    Z95,
    Features,
    dates_sql,
    load_features,
    rule_candidates,
    portable_literal,
    page_pattern,
    covered_by_rules,
    suggest_rules,
    wilson,
    evidence_table,
    disqualification_evidence,
    training_scores,
    scored_outcomes,
)
from leadscore.calibration.fitting import (  # noqa: F401 (re-exported: tests, bench)
    HALF_LIVES,
    CAP_EVENTS,
    DEFAULT_HALF_LIFE,
    DEFAULT_CAP_EVENTS,
    CS,
    FULL_COVERAGE,
    EventShape,
    choose_shapes,
    design,
    fit_model,
    SignCheck,
    guarded_fit,
    dimension_of,
    Points,
    score_scale,
    to_points,
    thresholds_from,
)
from leadscore.calibration.proposal import (  # noqa: F401 (re-exported: tests, bench)
    Proposal,
    slug,
    display_of,
    propose,
    add_suggested_rules,
    write_candidates,
)
from leadscore.calibration.evaluation import (  # noqa: F401 (re-exported: tests, bench)
    auc,
    bootstrap_aucs,
    evaluate,
    AGE_BANDS,
    age_band_of,
    age_weights,
    age_scores,
    age_band_table,
    reliability_table,
    clamped_shares,
    passing_share,
    verdict,
)
from leadscore.calibration.report import Judgement, Learned, Sample, render

# fit_weight leaves the model's proportional value only for a training AUC at least this much
# higher: a smaller gain is what a one-parameter search finds by chance (on the demo, 0.001 on
# training came with 0.011 less on validation).
WEIGHT_MIN_GAIN = 0.005


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
            raise UserError(f"{source_db} has no raw.crm_opportunities table: load the "
                                     "raw tables of the contract first (README, 'Pointing the project at your data')")
        return con.execute("select count(distinct lead_id) from raw.crm_opportunities "
                           "where lead_id is not null").fetchone()[0]
    finally:
        con.close()


def calibrate(source_db: str, out_dir: Path, seeds: Path = ROOT / "seeds") -> "Calibration":
    cal = settings_of(seeds, CALIBRATION_FILE)
    min_train, min_val = int(cal["min_training_conversions"]), int(cal["min_validation_conversions"])
    min_leads = int(cal["min_value_leads"])
    base_vars = build_script.scoring_vars(source_db)
    if "score_as_of" not in base_vars:
        raise UserError("no scoring date: set SCORE_AS_OF to the last date of the data")
    try:
        horizon = int(base_vars.get("backtest_horizon_days", 90))
    except ValueError:
        raise UserError(f"BACKTEST_HORIZON_DAYS {base_vars['backtest_horizon_days']!r} is "
                                 "not a whole number of days") from None
    try:
        end = dt.date.fromisoformat(str(base_vars["score_as_of"]))
    except ValueError:
        raise UserError(f"the scoring date {base_vars['score_as_of']!r} is not a real date "
                                 "written YYYY-MM-DD: set SCORE_AS_OF to the last date of the data") from None
    if horizon < 1:
        raise UserError(f"BACKTEST_HORIZON_DAYS {horizon} must be at least 1")
    d_val = end - dt.timedelta(days=horizon)
    train_dates = [d_val - dt.timedelta(days=horizon + int(cal["training_date_step_days"]) * k)
                   for k in range(int(cal["training_dates"]))]
    available = raw_conversions_upper_bound(source_db)
    if available < min_train:
        raise UserError(
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
        current_project, current_db = scratch.build_copy(work, "current", source_db, dbt_vars,
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
            raise UserError(
                f"too little data: {n_train:,} conversions among {len(train):,} training leads "
                f"(scored as of {', '.join(map(str, sorted(train_dates)))}, horizon {horizon} days); "
                f"at least {min_train:,} are needed (min_training_conversions in seeds/{CALIBRATION_FILE})")
        if n_val < min_val:
            raise UserError(
                f"too little data: {n_val:,} conversions among {len(val):,} validation leads as of "
                f"{d_val}; at least {min_val:,} are needed (min_validation_conversions in "
                f"seeds/{CALIBRATION_FILE})")
        if len(train) - n_train < min_train:
            raise UserError(f"nothing to tell apart: {n_train:,} of {len(train):,} training "
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
            raise UserError(
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
        candidate_project, candidate_db = scratch.build_copy(work, "candidate", source_db, dbt_vars, draft)

        def rescore(settings: dict) -> list[str]:
            """Write the settings into the candidates and rebuild only the models they touch."""
            changed = write_candidates(seeds, draft, proposal, settings)
            problems = validate.validate(draft)
            if problems:
                raise RuntimeError("the candidate seeds do not validate (a bug):\n" + "\n".join(problems))
            scratch.copy_project(candidate_project, draft, persist_docs=False)
            scratch.build_models(candidate_project, candidate_db, dbt_vars, "--select", "scoring_settings",
                                 "int_scoring_settings_pivoted+", "--exclude", "score_log+")
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
        sample = Sample(
            train_dates=sorted(train_dates), validation_date=d_val, horizon=horizon,
            age_dates=age_dates, train_leads=len(train), train_conversions=n_train,
            val_leads=len(val), val_conversions=n_val)
        found = Learned(
            evidence=evidence, new_flags=new_flags, displays=display_of(features),
            min_leads=min_leads, shapes=shapes, sign_checks=sign_checks,
            auc_unconstrained=auc_unconstrained, auc_guarded=auc_guarded, points=learned,
            shifted=sorted(covered), proposal=proposal,
            disqualified=disqualification_evidence(features.leads, train, base_rate))
        judgement = Judgement(
            current=current, candidate=candidate, intervals=intervals, age_table=age_table,
            reliability=reliability, clamped=clamped, minimums=minimums, thresholds=thresholds,
            fit_weight=fit_weight, proportional_weight=proportional_weight,
            weight_auc=weight_aucs[fit_weight], proportional_auc=weight_aucs[proportional_weight],
            every_lead_disqualified=every_lead_disqualified,
            changes=diff_seeds(seeds, draft, changed))
        text = render(sample, found, judgement, seeds, draft, cal)
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


@click.command("calibrate", help=__doc__.split("\n")[0])
@out_option(str(ROOT / "reports"), "the folder for calibration.md and calibrated_seeds/")
def command(out: str) -> int:
    source_db = build_script.checked_warehouse()
    if source_db is None:
        return 1
    out = Path(out)
    try:
        text = calibrate(source_db, out / "calibrated_seeds").text
    except UserError as error:
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


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
