"""Judging the candidate against the current seeds: AUC with intervals, by lead age, reliability, clamps, the verdict."""

from __future__ import annotations

import datetime as dt
import math

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from leadscore.calibration.seeds import SETTINGS_FILE, settings_of
from leadscore.calibration.features import dates_sql, scored_outcomes
from leadscore import report


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


def passing_share(scores: pd.DataFrame, settings: dict) -> float:
    """Share of the training leads at both MQL minimums (fit and engagement)."""
    if scores.empty:
        return float("nan")
    return float(((scores["fit_score"] >= settings["mql_min_fit_score"])
                  & (scores["engagement_score"] >= settings["mql_min_engagement_score"])).mean())


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
