"""The model: event shapes, the design matrix, the (sign-guarded) logistic regression, and its coefficients as integer points on a scale that keeps its ranking."""

from __future__ import annotations

import math
import warnings

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadscore.userfacing import UserError
from leadscore.calibration.features import Features


# Candidate half-lives (days) and caps (events) tried per event type with the evidence.
HALF_LIVES = (7, 14, 30, 60, 90, 180, 365)


CAP_EVENTS = (1, 2, 3, 5, 10, 20)


DEFAULT_HALF_LIFE = 30


DEFAULT_CAP_EVENTS = 5


# Regularisation strengths tried by cross-validation.
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


# A fit dimension with a value for at least this share of the training leads is treated as
# complete (its lowest value is moved to 0 points, see to_points).
FULL_COVERAGE = 0.99


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
            raise UserError("no value or event type keeps a sign its evidence supports")
    return model, columns, list(checks.values())


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
