"""make impact and make calibrate: the comparison on a hand-checked fixture, and the arithmetic
that turns fitted coefficients into integer seed points."""

from __future__ import annotations

import shutil
import sys

import pytest

import test_end_to_end_tiny as tiny
from helpers import FIXTURES, ROOT, load_raw

sys.path.insert(0, str(ROOT / "scripts"))
import calibrate  # noqa: E402
import impact  # noqa: E402


def test_impact_of_raising_the_mql_threshold(tmp_path):
    """Raising mql_min_lead_score from 45 to 55 moves T2 (lead_score 51.5) from mql to lead and
    changes no score; the other leads keep their stages (see test_end_to_end_tiny)."""
    raw = tmp_path / "source.duckdb"
    load_raw(raw, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    base_seeds = tmp_path / "base-seeds"
    shutil.copytree(FIXTURES / "frozen_seeds", base_seeds)
    head_seeds = tmp_path / "head-seeds"
    shutil.copytree(FIXTURES / "frozen_seeds", head_seeds)
    settings = head_seeds / "rules" / "scoring_settings.csv"
    settings.write_text(settings.read_text().replace("mql_min_lead_score,45", "mql_min_lead_score,55"))
    dbt_vars = {"score_as_of": tiny.AS_OF, "backtest_as_of": "2026-02-15"}
    base_db, base_auc = impact.build_side(tmp_path, "base", str(raw), dbt_vars, base_seeds)
    head_db, head_auc = impact.build_side(tmp_path, "head", str(raw), dbt_vars, head_seeds)
    text = impact.compare(base_db, head_db, "base", base_auc, head_auc)
    assert "6 leads as of 2026-03-31" in text
    assert "### Stage changes: 1 leads change stage" in text
    assert "| **disqualified** | 3 | 0 | 0 | 0 |" in text
    assert "| **lead** | 0 | 1 | 0 | 0 |" in text
    assert "| **mql** | 0 | **1** | 0 | 0 |" in text
    assert "| **sql** | 0 | 0 | 0 | 1 |" in text
    assert "- MQL or better: **+0** new, **-1** lost" in text
    assert "0 leads change score" in text
    assert "| MQL threshold | 45 | 55 |" in text


def test_fit_coefficients_become_points_with_the_best_fit_near_100():
    # Best rule per dimension: industry 1.0, country 1.0 -> scale 100 / 2 = 50.
    assert calibrate.fit_points_from({"industry|A": 1.0, "industry|B": -0.5, "country|US": 1.0}) == {
        "industry|A": 50, "industry|B": -25, "country|US": 50}


def test_engagement_coefficients_become_points_and_caps():
    # Positive caps sum to 0.6 + 1.5 = 2.1 -> scale 100 / 2.1. page_view's cap stands for 10
    # events (10 / 1): cap 0.6 x 47.62 = 28.6 -> 29, per event 2.86 -> 3. demo_requested's cap
    # is one event: 71.4 -> 71. email_bounced: -47.6 -> -48 per event, cap 48.
    points = calibrate.engagement_points_from(
        {"page_view": 0.6, "demo_requested": 1.5, "email_bounced": -1.0}, FIXTURES / "frozen_seeds")
    assert points == {"page_view": (3, 29), "demo_requested": (71, 71), "email_bounced": (-48, 48)}


def test_calibration_says_when_there_is_too_little_data(tmp_path, monkeypatch):
    raw = tmp_path / "source.duckdb"
    load_raw(raw, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    monkeypatch.setenv("SCORE_AS_OF", tiny.AS_OF)
    monkeypatch.setattr(calibrate, "TRAIN_DATES", 1)
    with pytest.raises(calibrate.TooLittleData, match="too little data: 0 conversions"):
        calibrate.calibrate(str(raw), tmp_path / "out", FIXTURES / "frozen_seeds")
    assert not (tmp_path / "out").exists()
