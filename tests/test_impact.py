"""make impact: the comparison on a hand-checked fixture (make calibrate: test_calibration.py)."""

from __future__ import annotations

import shutil

import test_end_to_end_tiny as tiny
from helpers import FIXTURES, load_raw

from leadscore import impact


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
