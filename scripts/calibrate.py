#!/usr/bin/env python3
"""Fit the scoring weights to past conversions and write candidate seeds for a person to adopt.

`make calibrate`, on a copy of the warehouse's raw tables (the warehouse is only read):

1. Time split. With horizon H (backtest_horizon_days) and the data's last date E (score_as_of):
   training leads are those scored as of D_train = E - 2H, labelled by an opportunity within
   (D_train, D_train + H]; validation leads are scored as of D_val = E - H, labelled within
   (D_val, E]. The training labels end where the validation window begins, so nothing of the
   validation period reaches the fit.
2. Features: exactly what the scoring model uses, as of D_train, from the same SQL models
   (int_leads_scored, int_fit_points_matched, int_engagement_points_decayed): one indicator per
   fit rule that matched (industry, size band, revenue band, seniority, department, country,
   lead source), and per weighted event type the decayed event count up to its cap, as a share
   of the cap.
3. Per block (fit, engagement) an L2-regularised logistic regression (scikit-learn; strength by
   cross-validated AUC with folds by lead). Its coefficients become integer points on the seeds'
   own scale: fit points so that the best possible fit is about 100, engagement caps so that the
   best possible engagement is about 100. Rules matched by fewer than MIN_SUPPORT training leads
   are not estimated: they get 0 points and are listed.
4. Not every fit beats a good hand-written block. An inner split, in time and by lead (fit on the
   older training dates and 4/5 of the leads, judge on the latest training date and the other
   1/5), decides per block whether the fitted points rank better than the current ones, and then
   picks fit_weight; what does not beat the current configuration there stays as it is.
   Thresholds (MQL, SQL, hot) are set so the candidate marks as many training leads as the
   current weights do.
5. Candidate CSVs (the same files and columns people edit) go to reports/calibrated_seeds/, and
   reports/calibration.md compares current and candidate weights on the validation period:
   AUC, conversion by band, precision and recall at the MQL threshold. Both are scored by the
   project's SQL, never by a re-implementation here.

Too little data (fewer than MIN_CONVERSIONS conversions in either period) stops it with a
message and writes no candidates.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build as build_script  # noqa: E402
import report  # noqa: E402
import scratch  # noqa: E402
import validate_seeds  # noqa: E402

MIN_CONVERSIONS = 30
MIN_SUPPORT = 20
# Training dates: TRAIN_DATES of them, TRAIN_DATE_STEP_DAYS apart, the latest one horizon days
# before the validation date.
TRAIN_DATES = 4
TRAIN_DATE_STEP_DAYS = 30
# Seed file per fit dimension, with the column holding the rule's name.
FIT_SEEDS = {
    "industry": ("icp/icp_industries.csv", "industry"),
    "company_size": ("icp/icp_company_size_bands.csv", "company_size_band"),
    "annual_revenue": ("icp/icp_revenue_bands.csv", "revenue_band"),
    "seniority": ("icp/icp_seniorities.csv", "seniority"),
    "department": ("icp/icp_departments.csv", "department"),
    "country": ("icp/icp_countries.csv", "country_code"),
    "lead_source": ("icp/lead_source_points.csv", "lead_source"),
}


class TooLittleData(Exception):
    pass


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def features(db: Path, as_of: str) -> tuple[pd.DataFrame, pd.Series]:
    """One row per backtest lead as of as_of: fit-rule indicators and capped decayed event
    shares, from the project's own models; and whether it converted within the horizon."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        leads = con.execute("""
            select outcomes.lead_id, scored.lead_row_id, outcomes.is_converted,
                   outcomes.fit_score as current_fit, outcomes.engagement_score as current_engagement
            from marts.backtest_lead_outcomes as outcomes
            inner join intermediate.int_leads_scored as scored
                on outcomes.lead_id = scored.lead_id and scored.score_as_of = outcomes.backtest_as_of
        """).df()
        fit = con.execute("""
            select scored.lead_id, 'fit|' || fit.fit_dimension || '|' || fit.fit_rule as feature,
                   1.0 as value
            from intermediate.int_leads_scored as scored
            inner join intermediate.int_fit_points_matched as fit using (lead_row_id)
            where scored.score_as_of = cast(? as date)
        """, [as_of]).df()
        engagement = con.execute("""
            select decayed.lead_id, 'engagement|' || decayed.event_type as feature,
                   least(abs(decayed.decayed_points) / weights.max_points_per_lead, 1.0) as value
            from intermediate.int_engagement_points_decayed as decayed
            inner join staging.engagement_weights as weights
                on decayed.event_type = lower(trim(weights.event_type))
            where decayed.score_as_of = cast(? as date)
              and weights.points <> 0 and weights.max_points_per_lead > 0
        """, [as_of]).df()
    finally:
        con.close()
    long = pd.concat([fit, engagement])
    wide = long.pivot_table(index="lead_id", columns="feature", values="value", aggfunc="sum")
    frame = leads.set_index("lead_id").join(wide).fillna(0.0)
    labels = frame.pop("is_converted").astype(int)
    frame = frame.drop(columns=["lead_row_id"]).reset_index()
    return frame, labels.reset_index(drop=True)


def fit_block(x: pd.DataFrame, y: pd.Series, groups: pd.Series):
    """L2 logistic regression on one block of features, C by 5-fold cross-validated AUC with
    folds by lead (a lead's rows at several dates never sit on both sides of a fold). Features
    matched by fewer than MIN_SUPPORT leads are left out (too little data to estimate)."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import GroupKFold

    support = (x > 0).sum()
    rare = sorted(support[support < MIN_SUPPORT].index)
    kept = [c for c in x.columns if c not in rare]
    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    model = LogisticRegressionCV(Cs=[0.01, 0.03, 0.1, 0.3, 1.0, 3.0], cv=folds, scoring="roc_auc",
                                 l1_ratios=(0,), max_iter=5000, use_legacy_attributes=False)
    model.fit(x[kept].to_numpy(), y.to_numpy())
    return model, kept, rare


def fit_points_from(coefficients: dict[str, float]) -> dict[str, int]:
    """Fit coefficients (log-odds per matched rule) -> integer points, the best possible fit
    (the best rule of every dimension) worth about 100."""
    best_by_dimension: dict[str, float] = {}
    for key, value in coefficients.items():
        dimension = key.split("|")[0]
        best_by_dimension[dimension] = max(best_by_dimension.get(dimension, 0.0), value)
    scale = 100.0 / (sum(best_by_dimension.values()) or 1.0)
    return {key: int(round(value * scale)) for key, value in coefficients.items()}


def engagement_points_from(coefficients: dict[str, float], seeds: Path) -> dict[str, tuple[int, int]]:
    """Engagement coefficients (log-odds per share of the current cap) -> integer points per
    event and cap, the best possible engagement (every positive type at its cap) worth about 100."""
    scale = 100.0 / (sum(max(0.0, v) for v in coefficients.values()) or 1.0)
    _, weights = read_csv(seeds / "engagement/engagement_weights.csv")
    result = {}
    for row in weights:
        event_type = row["event_type"].strip().lower()
        if event_type not in coefficients:
            continue
        cap_points = coefficients[event_type] * scale
        # The feature is the share of the current cap: keep the number of events the cap
        # stands for, and spread the calibrated cap over them.
        cap_events = int(row["max_points_per_lead"]) / abs(int(row["points"]))
        points = int(round(cap_points / cap_events))
        result[event_type] = (points, max(abs(points), int(round(abs(cap_points)))))
    return result


def current_fit_weight(seeds: Path) -> float:
    _, rows = read_csv(seeds / "rules/scoring_settings.csv")
    return round(float(next(r["setting_value"] for r in rows if r["setting"] == "fit_weight")), 2)


def block_points(block: str, coefficients: dict[str, float], seeds: Path) -> dict[str, float]:
    """Points per feature column (fit rule indicator, or share of an engagement cap) that the
    candidate seeds would give, for judging a fit the way the scores will use it."""
    if block == "fit":
        points = fit_points_from({c.split("|", 1)[1]: v for c, v in coefficients.items()})
        return {f"fit|{key}": float(value) for key, value in points.items()}
    points = engagement_points_from({c.split("|", 1)[1]: v for c, v in coefficients.items()}, seeds)
    return {f"engagement|{key}": float(cap if value >= 0 else -cap)
            for key, (value, cap) in points.items()}


def write_candidates(seeds: Path, out: Path, fit_points: dict | None,
                     engagement_points: dict | None, settings: dict) -> None:
    """Candidate CSVs; a block left as None keeps its current points."""
    for dimension, (file, name_column) in FIT_SEEDS.items():
        columns, rows = read_csv(seeds / file)
        if fit_points is not None:
            for row in rows:
                key = f"{dimension}|{row[name_column]}"
                # Rules the fit could not estimate (rare or unmatched in training) get 0 points.
                row["fit_points"] = str(fit_points.get(key, 0))
        write_csv(out / file, columns, rows)
    columns, rows = read_csv(seeds / "engagement/engagement_weights.csv")
    for row in rows:
        event_type = row["event_type"].strip().lower()
        if engagement_points is not None and event_type in engagement_points:
            row["points"], row["max_points_per_lead"] = map(str, engagement_points[event_type])
    write_csv(out / "engagement/engagement_weights.csv", columns, rows)
    columns, rows = read_csv(seeds / "rules/scoring_settings.csv")
    for row in rows:
        if row["setting"] in settings:
            row["setting_value"] = f"{settings[row['setting']]:g}"
    write_csv(out / "rules/scoring_settings.csv", columns, rows)


def share_at_or_above(db: Path, column_filter: str) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"""
            select avg(case when {column_filter} then 1.0 else 0.0 end)
            from marts.backtest_lead_outcomes as o
            cross join intermediate.int_scoring_settings_pivoted as s
        """).fetchone()[0]
    finally:
        con.close()


def matching_thresholds(current_db: Path, candidate_db: Path) -> dict:
    """Thresholds under which the candidate marks as many training leads as the current weights."""
    con = duckdb.connect(str(candidate_db), read_only=True)
    try:
        scores = np.array([r[0] for r in con.execute(
            "select lead_score from marts.backtest_lead_outcomes").fetchall()])
    finally:
        con.close()
    thresholds = {}
    for setting in ("mql_min_lead_score", "sql_min_lead_score", "hot_min_lead_score"):
        share = share_at_or_above(current_db, f"o.lead_score >= s.{setting}")
        value = float(np.quantile(scores, 1 - share)) if 0 < share < 1 else 100.0
        thresholds[setting] = max(1, min(100, math.ceil(value)))
    if thresholds["sql_min_lead_score"] <= thresholds["mql_min_lead_score"]:
        thresholds["sql_min_lead_score"] = min(100, thresholds["mql_min_lead_score"] + 1)
    return thresholds


def evaluate(project: Path, db: Path, dbt_vars: dict) -> dict:
    import os

    compiled = report.compile_analyses(project, dbt_vars, env=dict(os.environ, LEADSCORE_DUCKDB=str(db)))
    results = report.run_analyses(str(db), compiled, ["backtest_auc", "backtest_conversion_by_band"])
    con = duckdb.connect()
    con.execute(f"attach '{db}' as side (read_only)")
    at_threshold = report.backtest_at_threshold(con, "side")
    con.close()
    return {"auc": dict(zip(results["backtest_auc"]["score_name"], results["backtest_auc"]["auc"])),
            "bands": results["backtest_conversion_by_band"], "threshold": at_threshold}


def conversions(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*), count(*) filter (where is_converted) "
                           "from marts.backtest_lead_outcomes").fetchone()
    finally:
        con.close()


def markdown(context: dict, current: dict, candidate: dict, changes: list[str], rare: list[str]) -> str:
    def fmt(value, kind="pct"):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "n/a"
        return f"{value * 100:.1f} %" if kind == "pct" else f"{value:.3f}"

    dates = ", ".join(str(d) for d in context["train_dates"])
    lines = [
        "## Calibration of the scoring weights",
        "",
        f"Training: {context['train_leads']:,} lead-dates scored as of {dates}, "
        f"{context['train_conversions']:,} of them converted within {context['horizon']} days "
        f"(every training window ends by {context['d_val']}). Validation: "
        f"{context['val_leads']:,} leads scored as of {context['d_val']}, "
        f"{context['val_conversions']:,} converted within {context['horizon']} days.",
        "",
        "Per block (fit, engagement), an L2-regularised logistic regression (scikit-learn; C by "
        "5-fold cross-validated AUC, folds by lead) is fitted on the older training dates and four "
        "fifths of the leads and, turned into integer points, compared with the current points on "
        "the latest training date and the other fifth of the leads; the block is re-weighted only "
        "when the fit ranks better there. fit_weight (engagement_weight = 1 - fit_weight) is then "
        "chosen from 0.2 to 0.8 the same way on the combined lead_score.",
        "",
        "| block | current AUC (inner hold-out) | fitted AUC (inner hold-out) | decision |",
        "|---|---:|---:|---|",
        *[f"| {block} | {cur:.3f} | {fitted:.3f} | "
          + ((f"set to {value:g}" if block == "fit_weight"
              else f"re-weighted (C = {value:g}, refitted on all training dates)") if adopt
             else "kept as it is") + " |"
          for block, cur, fitted, adopt, value in context["decisions"]],
        "",
        "### Validation period",
        "",
        "| | current seeds | candidate seeds |",
        "|---|---:|---:|",
    ]
    for name in ("lead_score", "fit_score", "engagement_score"):
        lines.append(f"| AUC {name} | {fmt(current['auc'].get(name), 'auc')} | "
                     f"{fmt(candidate['auc'].get(name), 'auc')} |")
    for side_label, key in (("MQL threshold", "threshold"),):
        lines.append(f"| {side_label} | {current[key]['threshold']:g} | {candidate[key]['threshold']:g} |")
    lines += [
        f"| MQLs | {current['threshold']['mqls']:,} | {candidate['threshold']['mqls']:,} |",
        f"| precision at the MQL threshold | {fmt(current['threshold']['precision'])} | "
        f"{fmt(candidate['threshold']['precision'])} |",
        f"| recall at the MQL threshold | {fmt(current['threshold']['recall'])} | "
        f"{fmt(candidate['threshold']['recall'])} |",
        "",
        "### Conversion by score band (validation)",
        "",
        "| band | current: leads | conversion | candidate: leads | conversion |",
        "|---|---:|---:|---:|---:|",
    ]
    for (_, a), (_, b) in zip(current["bands"].iterrows(), candidate["bands"].iterrows()):
        lines.append(f"| {a['score_band']} | {a['leads']:,} | {fmt(a['conversion_rate'])} | "
                     f"{b['leads']:,} | {fmt(b['conversion_rate'])} |")
    lines += ["", "### What changes", ""] + [f"- {c}" for c in changes]
    if rare:
        lines += ["", f"Not estimated (fewer than {MIN_SUPPORT} training leads matched them; "
                      "set to 0 points): " + ", ".join(f"`{r}`" for r in rare)]
    lines += ["", "Adopt by copying `reports/calibrated_seeds/` over `seeds/`, then run "
                  "`make impact` to see the effect on today's leads."]
    return "\n".join(lines)


def diff_seeds(seeds: Path, candidates: Path) -> list[str]:
    changes = []
    for path in sorted(candidates.rglob("*.csv")):
        relative = path.relative_to(candidates)
        _, before = read_csv(seeds / relative)
        _, after = read_csv(path)
        for old, new in zip(before, after):
            moved = {k: (old[k], new[k]) for k in new if old.get(k) != new[k]}
            if moved:
                name = next(iter(new.values()))
                changes.append(f"`{relative}` {name}: " + ", ".join(
                    f"{k} {a} → {b}" for k, (a, b) in moved.items()))
    return changes


def calibrate(source_db: str, out_dir: Path, seeds: Path = ROOT / "seeds") -> str:
    from sklearn.metrics import roc_auc_score

    base_vars = build_script.scoring_vars(source_db)
    if "score_as_of" not in base_vars:
        raise TooLittleData("no scoring date: set SCORE_AS_OF to the last date of the data")
    horizon = int(base_vars.get("backtest_horizon_days", 90))
    end = dt.date.fromisoformat(base_vars["score_as_of"])
    d_val = end - dt.timedelta(days=horizon)
    # Training dates: each one's outcome window ends by d_val; the most recent one is also the
    # inner hold-out that decides, per block, whether the fit beats the current weights.
    train_dates = [d_val - dt.timedelta(days=horizon + TRAIN_DATE_STEP_DAYS * k)
                   for k in range(TRAIN_DATES)]
    val_vars = dict(base_vars, backtest_as_of=d_val.isoformat())

    with tempfile.TemporaryDirectory(prefix="leadscore-calibrate-") as tmp:
        work = Path(tmp)
        print(f"training as of {', '.join(map(str, train_dates))}; validating as of {d_val} "
              f"(horizon {horizon} days)", flush=True)
        frames, labels = [], []
        for k, as_of in enumerate(train_dates):
            _, db = scratch.build_copy(work, f"train-{k}", source_db,
                                  dict(base_vars, backtest_as_of=as_of.isoformat()), None)
            x, y = features(db, as_of.isoformat())
            frames.append(x.assign(training_date=k))
            labels.append(y)
        x_all = pd.concat(frames, ignore_index=True).fillna(0.0)
        y_all = pd.concat(labels, ignore_index=True)
        if y_all.sum() < MIN_CONVERSIONS:
            raise TooLittleData(f"too little data: {int(y_all.sum())} conversions among "
                                f"{len(y_all):,} training leads; at least {MIN_CONVERSIONS} are needed")
        current_project, current_val_db = scratch.build_copy(work, "val-current", source_db, val_vars, None)
        val_leads, val_conversions = conversions(current_val_db)
        if val_conversions < MIN_CONVERSIONS:
            raise TooLittleData(f"too little data: {val_conversions} conversions among {val_leads:,} "
                                f"validation leads as of {d_val}; at least {MIN_CONVERSIONS} are needed")

        # Inner split, in time and by lead: fit on the older training dates and four fifths of
        # the leads, judge on the latest training date and the other fifth (by a hash of the
        # lead id, so every run splits alike). Shared leads or a shared date would flatter the fit.
        held_leads = pd.util.hash_pandas_object(x_all["lead_id"], index=False) % 5 == 0
        holdout = held_leads & (x_all["training_date"] == 0)
        inner_train = ~held_leads & (x_all["training_date"] != 0)
        decisions, rare_all, blocks, held_scores = [], [], {}, {}
        for block, prefix, current_column in (("fit", "fit|", "current_fit"),
                                              ("engagement", "engagement|", "current_engagement")):
            columns = [c for c in x_all.columns if c.startswith(prefix)]
            inner, kept_inner, _ = fit_block(x_all.loc[inner_train, columns], y_all[inner_train],
                                             x_all.loc[inner_train, "lead_id"])
            # Judge the fit as the seeds would carry it: integer points, summed, clamped 0-100.
            inner_points = block_points(block, dict(zip(kept_inner, inner.coef_[0])), seeds)
            fitted_auc = roc_auc_score(y_all[holdout], (
                x_all.loc[holdout, list(inner_points)] * pd.Series(inner_points)
            ).sum(axis=1).clip(0, 100))
            current_auc = roc_auc_score(y_all[holdout], x_all.loc[holdout, current_column])
            adopt = fitted_auc > current_auc
            held_scores[block] = (
                (x_all.loc[holdout, list(inner_points)] * pd.Series(inner_points)).sum(axis=1).clip(0, 100)
                if adopt else x_all.loc[holdout, current_column])
            if adopt:
                model, kept, rare = fit_block(x_all[columns], y_all, x_all["lead_id"])
                blocks[block] = {c.split("|", 1)[1]: v for c, v in zip(kept, model.coef_[0])}
                rare_all += rare
                c_value = float(np.atleast_1d(model.C_)[0])
            decisions.append((block, current_auc, fitted_auc, adopt,
                              c_value if adopt else None))

        # The weight of fit against engagement in lead_score, chosen the same way: the one that
        # ranks the inner hold-out best, the current one unless another is better.
        current_weight = current_fit_weight(seeds)
        weight_aucs = {
            w: roc_auc_score(y_all[holdout], w * held_scores["fit"] + (1 - w) * held_scores["engagement"])
            for w in sorted({current_weight, *np.round(np.arange(0.2, 0.81, 0.05), 2)})
        }
        best_weight = max(weight_aucs, key=lambda w: (weight_aucs[w], w == current_weight))
        weights = {"fit_weight": float(best_weight), "engagement_weight": round(1 - float(best_weight), 2)}
        decisions.append(("fit_weight", weight_aucs[current_weight], weight_aucs[best_weight],
                          best_weight != current_weight, best_weight))

        fit_points = fit_points_from(blocks["fit"]) if "fit" in blocks else None
        engagement_points = (engagement_points_from(blocks["engagement"], seeds)
                             if "engagement" in blocks else None)
        draft = work / "draft-seeds"
        write_candidates(seeds, draft, fit_points, engagement_points, weights)
        train_current_db = work / "train-0.duckdb"
        _, train_candidate_db = scratch.build_copy(work, "train-candidate", source_db,
                                              dict(base_vars, backtest_as_of=train_dates[0].isoformat()),
                                              draft)
        settings = dict(weights, **matching_thresholds(train_current_db, train_candidate_db))
        candidates = work / "calibrated_seeds"
        write_candidates(seeds, candidates, fit_points, engagement_points, settings)
        problems = validate_seeds.validate(_merged_seeds(seeds, candidates, work / "merged"))
        if problems:
            raise RuntimeError("the candidate seeds do not validate:\n" + "\n".join(problems))

        candidate_project, candidate_val_db = scratch.build_copy(work, "val-candidate", source_db,
                                                            val_vars, candidates)
        current = evaluate(current_project, current_val_db, val_vars)
        candidate = evaluate(candidate_project, candidate_val_db, val_vars)
        context = {"train_dates": train_dates, "d_val": d_val, "horizon": horizon,
                   "train_leads": len(y_all), "train_conversions": int(y_all.sum()),
                   "val_leads": val_leads, "val_conversions": val_conversions,
                   "decisions": decisions}
        text = markdown(context, current, candidate, diff_seeds(seeds, candidates), rare_all)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(candidates, out_dir)
    return text


def _merged_seeds(seeds: Path, candidates: Path, dest: Path) -> Path:
    shutil.copytree(seeds, dest)
    shutil.copytree(candidates, dest, dirs_exist_ok=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports"))
    args = parser.parse_args(argv)
    source_db = build_script.checked_warehouse()
    if source_db is None:
        return 1
    out = Path(args.out)
    try:
        text = calibrate(source_db, out / "calibrated_seeds")
    except TooLittleData as error:
        print(f"calibration stopped, no candidates written: {error}", file=sys.stderr)
        return 1
    (out / "calibration.md").write_text(text + "\n", encoding="utf-8")
    print()
    print(text)
    print(f"\n(written to {out / 'calibration.md'} and {out / 'calibrated_seeds'}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
