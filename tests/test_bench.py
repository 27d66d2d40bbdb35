"""leadscore bench at a tiny scale: every step runs and the floor and both peers agree with the
mart (the impact step is left out, as in the guide's budget command: leadscore impact has tests of
its own). Speed is measured by the benchmark itself, never asserted here."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

LEADSCORE = str(Path(sys.executable).with_name("leadscore"))


def test_bench_runs_every_step_and_the_cross_checks_agree_with_the_mart(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    run = subprocess.run([LEADSCORE, "bench", "--leads", "300", "--events-per-lead", "10",
                          "--repeat", "1", "--no-impact", "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table = out.read_text()
    steps = [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()
             if line.startswith("| ") and not line.startswith("| step")]
    assert steps == [
        "demo data generation",
        "dbt full build (seeds loaded, `run --full-refresh -s +qualified_leads`)",
        "dbt tests of those models (once)",
        "dbt incremental run after one more day (+29 events)",
        "rescore after a weight change (seeds, then the models of `+qualified_leads`, once)",
        "floor: one DuckDB query",
        "peer: plain pandas",
        "peer: Polars (lazy, over Parquet exports)",
    ]
    checks = [ast.literal_eval(found) for found in re.findall(r"agrees with the mart: (\{.*?\})", table)]
    assert len(checks) == 3
    for check in checks:
        # 300 generated leads, one of them without a usable lead_id or creation date.
        assert check["mart_rows"] == check["other_rows"] == 299
        assert check["missing"] == check["extra"] == check["score_mismatches"] == 0
        assert check["stage_mismatches"] == 0
        assert check["stages_not_compared"] > 0  # leads with an opportunity: CRM stages


def test_health_months_override_replaces_one_setting(tmp_path):
    from leadscore.bench import override_setting

    settings = tmp_path / "rules" / "scoring_settings.csv"
    settings.parent.mkdir()
    settings.write_text("setting,setting_value\nfit_weight,0.5\nhealth_months,12\n"
                        "health_min_conversions,20\n")
    override_setting(tmp_path, "health_months", "0")
    assert settings.read_text() == (
        "setting,setting_value\nfit_weight,0.5\nhealth_months,0\nhealth_min_conversions,20\n")
    with pytest.raises(SystemExit, match="health_month is not in rules/scoring_settings.csv"):
        override_setting(tmp_path, "health_month", "0")
