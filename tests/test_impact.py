"""make impact: the comparison on a hand-checked fixture (make calibrate: test_calibration.py)."""

from __future__ import annotations

import csv
import shutil

import pytest
import test_end_to_end_tiny as tiny
from helpers import FIXTURES, load_raw

from leadscore import impact, scratch


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def previewed(tmp_path_factory):
    """The tiny fixture (test_end_to_end_tiny: T1 sql 69, T2 mql 51.5, T3-T5 disqualified, T6
    lead 14.25) scored with the frozen seeds (base) and with four edits (head):
    mql_min_lead_score 45 -> 55, industry Software 25 -> 15, lead source partner 5 -> 9 and
    organic_search 3 -> 7. By hand, lead_score = (fit + engagement) / 2:
    - T1: fit 98 -> 88 (Software), 69 -> 64: under sql_min_lead_score 65, so sql -> mql (A2);
    - T2: no rule moves, 51.5 is under the new threshold 55: mql -> lead (B2);
    - T5: fit 53 -> 57 (partner), 26.5 -> 28.5, still disqualified (B4);
    - T6: fit 24 -> 28 (organic_search), 14.25 -> 16.25, still lead; grade D -> C (D4 -> C4);
    - T3, T4: unchanged.
    Score changes over the three leads whose score moved: -5, +2, +2."""
    return preview(tmp_path_factory.mktemp("impact"), tiny.AS_OF)


def preview(tmp_path, as_of: str, log_as_of: str | None = None):
    """The fixture's impact as of as_of; log_as_of: first build the source warehouse with the
    base seeds on that date, so that it holds a score log (the stage memory)."""
    raw = tmp_path / "source.duckdb"
    load_raw(raw, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    base_seeds = tmp_path / "base-seeds"
    shutil.copytree(FIXTURES / "frozen_seeds", base_seeds)
    head_seeds = tmp_path / "head-seeds"
    shutil.copytree(FIXTURES / "frozen_seeds", head_seeds)
    edit(head_seeds / "rules" / "scoring_settings.csv", "mql_min_lead_score,45", "mql_min_lead_score,55")
    edit(head_seeds / "icp" / "icp_industries.csv", "Software,25", "Software,15")
    edit(head_seeds / "icp" / "lead_source_points.csv", "partner,5", "partner,9")
    edit(head_seeds / "icp" / "lead_source_points.csv", "organic_search,3", "organic_search,7")
    if log_as_of:
        project = scratch.copy_project(tmp_path / "source", base_seeds)
        scratch.build_models(project, raw, {"score_as_of": log_as_of})
    dbt_vars = {"score_as_of": as_of, "backtest_as_of": "2026-02-15"}
    base = impact.build_side(tmp_path, "base", str(raw), dbt_vars, base_seeds)
    head = impact.build_side(tmp_path, "head", str(raw), dbt_vars, head_seeds, start_from=base)
    seeds = impact.seed_diff(base_seeds, head_seeds)
    result = impact.compare(base, head, "base", seeds,
                            stage_memory=scratch.has_score_log(str(raw)))
    csv_path = impact.write_outputs(result, tmp_path / "out" / "impact.md")
    return result, csv_path


def section(text: str, heading: str) -> str:
    """The markdown from `heading` to the next heading."""
    start = text.index(heading)
    end = text.find("\n### ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_verdict_comes_first(previewed):
    text = previewed[0].markdown
    assert text.splitlines()[:3] == [
        "## Lead-scoring impact preview",
        "",
        "**2 leads change stage: 1 mql → lead, 1 sql → mql; 3 scores move by a median of +2 "
        "(from -5 to +2).**",
    ]
    assert "6 leads as of 2026-03-31" in text


def test_without_a_score_log_the_stages_are_the_dates_own(previewed):
    assert "The warehouse has no score log yet" in previewed[0].markdown
    assert "Held by memory" not in previewed[0].markdown


def test_with_a_score_log_stages_are_held_as_the_next_build_holds_them(tmp_path):
    """The source warehouse was built on 2026-03-31 with the base seeds (T1 sql, T2 mql in its
    log); the preview scores 2026-04-01. Under the edits T1's scores alone make an MQL (fit 88:
    lead_score 64 minus a day's decay, under 65) and T2's a lead (51.5 minus a day's decay, under
    55), but the next build keeps both stages (an SQL stays SQL, an MQL stays MQL until its
    engagement falls under 5): no stage changes, two leads held. Scores move as on 03-31: only
    fit points changed (T1 -5, T5 +2, T6 +2)."""
    result, _ = preview(tmp_path, "2026-04-01", log_as_of=tiny.AS_OF)
    text = result.markdown
    assert text.splitlines()[2] == (
        "**No lead changes stage (2 more keep a stage the new seeds no longer give, until "
        "recycled); 3 scores move by a median of +2 (from -5 to +2).**")
    assert "Both builds start from the warehouse's score log" in text
    assert ("- Held by memory: 2 leads no longer qualify for their stage under the working "
            "tree's seeds but keep it until recycled, as the daily build keeps them (1 held as "
            "MQL whose scores alone make Lead, 1 held as SQL whose scores alone make MQL); a new "
            "lead with their scores would get the lower stage.") in text
    assert result.stage_changes == []
    # Handed off on 03-31, so not in 04-01's hand-off (handoff_lookback_days 0) on either side.
    assert "- Handed to sales today (`marts.sales_handoff`): 0 → 0" in text
    assert "first qualified on" not in text


def test_seed_diff_lists_the_changed_rows(previewed):
    seeds = section(previewed[0].markdown, "### Seed changes")
    assert seeds.splitlines()[0] == "### Seed changes: 4 rows in 3 files"
    assert "\n".join(line for line in seeds.splitlines() if line.startswith("| `")) == "\n".join([
        "| `icp/icp_industries.csv` | `Software` | changed: fit_points 25 → 15 |",
        "| `icp/lead_source_points.csv` | `partner` | changed: fit_points 5 → 9 |",
        "| `icp/lead_source_points.csv` | `organic_search` | changed: fit_points 3 → 7 |",
        "| `rules/scoring_settings.csv` | `mql_min_lead_score` | changed: setting_value 45 → 55 |",
    ])


def test_every_stage_change_is_listed_with_what_moved_it(previewed):
    changes = section(previewed[0].markdown, "### Stage changes")
    assert changes.splitlines()[0] == "### Stage changes: 2 leads change stage"
    rows = [line for line in changes.splitlines() if line.startswith("| T")]
    # Biggest transition first (a tie here), then funnel order of the from-stage.
    assert rows == [
        "| T2 |  | mql → lead | 51.5 | B2 | setting mql_min_lead_score 45 → 55 |",
        "| T1 |  | sql → mql | 69 → 64 (-5) | A2 | fit industry `Software` 25 → 15 |",
    ]
    assert "The same list is in `impact_stage_changes.csv` beside this file." in changes
    # The matrix over every lead: stages in funnel order, moves in bold.
    assert "| from \\ to | lead | mql | sql | disqualified |" in changes
    assert "| **lead** | 1 | 0 | 0 | 0 |" in changes
    assert "| **mql** | **1** | 0 | 0 | 0 |" in changes
    assert "| **sql** | 0 | **1** | 0 | 0 |" in changes
    assert "| **disqualified** | 0 | 0 | 0 | 3 |" in changes
    assert "- MQL or better: **+0** new, **-1** lost" in changes
    assert "- SQL: **+0** new, **-1** lost" in changes
    # The first build: both MQLs were handed off on 03-31; with the edits T1 (now an MQL, still
    # handed off) remains and T2 (lead) does not. T2 first qualified on the date scored.
    assert "- Handed to sales today (`marts.sales_handoff`): 2 → 1" in changes
    assert ("- 1 of the 1 lead that lose MQL or SQL first qualified on 2026-03-31, the date these "
            "builds score:") in changes


def test_score_statistics_are_over_changed_leads_only(previewed):
    stats = section(previewed[0].markdown, "### Lead score changes")
    assert stats.splitlines()[0] == "### Lead score changes: 3 of 6 leads change score"
    # -5, +2, +2: median +2 (not the 0 of all six leads), mean -1/3, p10 -5 + 0.2 x 7 = -3.6.
    assert ("Over those 3 leads only: median **+2**, mean -0.3, min -5, max +2 "
            "(p10 -3.6, p90 +2).") in stats
    assert "| -10 to -5 | 1 |" in stats and "| 0 to +5 | 2 |" in stats
    assert "no change" not in stats


def test_biggest_movers_are_leads_that_moved(previewed):
    movers = section(previewed[0].markdown, "### Biggest movers")
    rows = [line for line in movers.splitlines() if line.startswith("| T")]
    # Rises, then falls; T2 moved stage, not score: it is in the stage changes only.
    assert rows == [
        "| T5 | 26.5 → 28.5 (+2) | B4 | disqualified | fit lead source `partner` 5 → 9 |",
        "| T6 | 14.3 → 16.3 (+2) | D4 → C4 | lead | fit lead source `organic_search` 3 → 7 |",
        "| T1 | 69 → 64 (-5) | A2 | sql → mql | fit industry `Software` 25 → 15 |",
    ]


def test_backtest_compares_the_thresholds(previewed):
    text = previewed[0].markdown
    assert "| MQL threshold | 45 | 55 |" in text
    assert "| AUC lead score |" in text


def test_stage_changes_csv_holds_every_stage_change(previewed):
    result, csv_path = previewed
    assert csv_path.name == "impact_stage_changes.csv"
    assert (csv_path.parent / "impact.md").read_text(encoding="utf-8") == result.markdown
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["lead_id"], r["from_stage"], r["to_stage"], float(r["base_lead_score"]),
             float(r["head_lead_score"]), float(r["lead_score_change"]), r["base_priority"],
             r["head_priority"], r["what_moved_it"]) for r in rows] == [
        ("T2", "mql", "lead", 51.5, 51.5, 0.0, "B2", "B2", "setting mql_min_lead_score 45 → 55"),
        ("T1", "sql", "mql", 69.0, 64.0, -5.0, "A2", "A2", "fit industry Software 25 → 15"),
    ]


def test_seed_diff_pairs_rows_by_their_key_and_lists_added_and_removed(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    for folder, text in ((base, "industry,fit_points\nSoftware,25\nRetail,5\nGambling,0\n"),
                         (head, "\ufeffindustry,fit_points\nSoftware,25\nRetail,7\nMining,3\n")):
        (folder / "icp").mkdir(parents=True)
        (folder / "icp" / "icp_industries.csv").write_text(text, encoding="utf-8")
    (head / "icp" / "new_seed.csv").write_text("a,b\nx,1\n", encoding="utf-8")
    assert [(c.file, c.kind, c.key, c.detail) for c in impact.seed_diff(base, head)] == [
        ("icp/icp_industries.csv", "changed", "Retail", "fit_points 5 → 7"),
        ("icp/icp_industries.csv", "added", "Mining", "fit_points 3"),
        ("icp/icp_industries.csv", "removed", "Gambling", "fit_points 0"),
        ("icp/new_seed.csv", "added", "x", "b 1"),
    ]
