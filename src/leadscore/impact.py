"""Preview what a change to the seeds does to the leads, before it is merged.

`make impact BASE=<git ref>` (default main) builds the project in a scratch folder on a copy of
the warehouse's raw tables with the seeds as committed at BASE, then a copy of that scratch
warehouse with the seeds of the working tree: its incremental models recompute only what the
seed edit changes (as a daily run after the edit does; every incremental path equals a full
build, tests/test_settled_dates.py). The SQL is the working tree's both times, so only the
scoring configuration differs. It writes markdown for the pull request to reports/impact.md (from
templates/impact.md.j2) and prints it: a one-line verdict, the seed rows that changed, every lead
that changes stage with the rules that moved it (the first 50; all of them in
impact_stage_changes.csv beside the markdown), the from/to stage matrix, new and lost MQLs and
SQLs, the lead_score change over the leads whose score changed, the biggest movers, and the
backtest's precision and recall at the MQL threshold and AUC under both versions. The user's
warehouse is only read.
"""

from __future__ import annotations

import collections
import csv
import io
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

from leadscore import build as build_script
from leadscore import report, scratch
from leadscore.paths import PROJECT as ROOT
from leadscore.formatting import day, number, signed, templates
from leadscore.report import ordered_stages
from leadscore.userfacing import UserError, git_ref, sql_string
from leadscore.options import main_for, out_option

STAGE_CHANGES_SHOWN = 50
MOVERS_SHOWN = 10
RULES_SHOWN = 3
SEED_ROWS_SHOWN = 50
EPSILON = 1e-9  # score differences below this are float noise, not a change


@dataclass
class Side:
    """One side of the preview: its scratch warehouse, its compiled analyses (the relation names
    carry the warehouse file's name: base or head) and what it reports on its own."""

    db: Path
    compiled: Path
    auc: dict[str, float]
    settings: dict
    backtest: dict  # report.backtest_summary: the MQLs' precision and recall
    summary: dict  # impact_side_summary: scoring_version, score_as_of, leads, handed_off


def build_side(work: Path, name: str, source_db: str, dbt_vars: dict, seeds_from: Path | None,
               start_from: Side | None = None) -> Side:
    """One side of the preview. From the warehouse's score log: stages held by memory are held
    in both builds. start_from: the other side (same raw rows, same SQL), so this side
    recomputes only what its seeds change instead of building from the raw tables."""
    project, db = scratch.build_copy(work, name, source_db, dbt_vars, seeds_from, score_log=True,
                                     start_from=start_from.db if start_from else None)
    compiled = report.compile_analyses(project, dbt_vars, env={"LEADSCORE_DUCKDB": str(db)})
    results = report.run_analyses(str(db), compiled, [
        "backtest_auc", "report/report_scoring_settings", "report/report_backtest_summary",
        "impact/impact_side_summary"])
    settings = report.settings_from(results["report_scoring_settings"])
    auc = results["backtest_auc"]
    return Side(db=db, compiled=compiled, auc=dict(zip(auc["score_name"], auc["auc"])),
                settings=settings,
                backtest=report.backtest_summary(results["report_backtest_summary"], settings),
                summary=dict(results["impact_side_summary"].iloc[0].to_dict(),
                             score_as_of=day(results["impact_side_summary"]["score_as_of"][0])))


# --- the seed diff -----------------------------------------------------------------------------

@dataclass
class SeedChange:
    """One seed row that differs: changed (same key, other values), added or removed."""

    file: str
    kind: str
    key: str
    detail: str


def read_seed(path: Path) -> list[dict]:
    """A seed CSV as rows (column -> value); a byte-order mark is accepted, as dbt accepts it."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    return [dict(zip(header, (cell.strip() for cell in row))) for row in rows[1:]
            if any(cell.strip() for cell in row)]


def seed_rows_diff(name: str, before: list[dict], after: list[dict]) -> list[SeedChange]:
    """Rows removed and added, paired into 'changed' when they share their first column's value
    (the seed's key: a setting, an industry, an event type) and it is unique on both sides."""
    frozen = lambda row: tuple(sorted(row.items()))  # noqa: E731
    removed_left = collections.Counter(map(frozen, before)) - collections.Counter(map(frozen, after))
    added_left = collections.Counter(map(frozen, after)) - collections.Counter(map(frozen, before))
    removed, added = [], []
    for rows, left, out in ((before, removed_left, removed), (after, added_left, added)):
        for row in rows:
            if left[frozen(row)] > 0:
                left[frozen(row)] -= 1
                out.append(row)
    key_of = lambda row: next(iter(row.values()), "")  # noqa: E731
    removed_keys = collections.Counter(map(key_of, removed))
    added_keys = collections.Counter(map(key_of, added))
    paired = {key for key in removed_keys if removed_keys[key] == 1 and added_keys[key] == 1}
    changes = []
    for row in added:
        key = key_of(row)
        if key in paired:
            old = next(r for r in removed if key_of(r) == key)
            moved = [f"{column} {old.get(column, '') or '(empty)'} → {row.get(column, '') or '(empty)'}"
                     for column in dict.fromkeys([*old, *row]) if old.get(column) != row.get(column)]
            changes.append(SeedChange(name, "changed", key, ", ".join(moved)))
        else:
            changes.append(SeedChange(name, "added", key, values_text(row)))
    changes += [SeedChange(name, "removed", key_of(row), values_text(row))
                for row in removed if key_of(row) not in paired]
    return changes


def values_text(row: dict) -> str:
    return ", ".join(f"{column} {value}" for column, value in list(row.items())[1:] if value != "")


def seed_diff(base: Path, head: Path) -> list[SeedChange]:
    """Every seed row that differs between the seed folders base and head, file by file."""
    names = sorted({p.relative_to(base).as_posix() for p in Path(base).rglob("*.csv")}
                   | {p.relative_to(head).as_posix() for p in Path(head).rglob("*.csv")})
    changes = []
    for name in names:
        before = read_seed(base / name) if (base / name).exists() else []
        after = read_seed(head / name) if (head / name).exists() else []
        changes += seed_rows_diff(name, before, after)
    return changes


# --- the comparison ----------------------------------------------------------------------------

@dataclass
class Impact:
    markdown: str
    stage_changes: list[dict] = field(default_factory=list)  # every lead that changes stage


def rule_text(score_type: str, dimension: str, rule: str, before: float, after: float) -> str:
    """fit industry `Software` 25 → 15; engagement `demo_requested` 25 → 0; engagement rule
    `pricing_page` 12.5 → 0."""
    if dimension == "score_range":
        label = f"{score_type} score {rule}"
    elif dimension == "engagement_rule":
        label = f"engagement rule `{rule}`"
    elif dimension == score_type:
        label = f"{score_type} `{rule}`"
    else:
        label = f"{score_type} {dimension.replace('_', ' ')} `{rule}`"
    return f"{label} {number(before)} → {number(after)}"


def setting_text(name: str, before, after) -> str:
    show = lambda v: str(v).lower() if isinstance(v, bool) else number(v, 2)  # noqa: E731
    return f"setting {name} {show(before)} → {show(after)}"


def score_move(before, after) -> str:
    """69 → 64 (-5); 51.5 when it did not move; – when a side did not score the lead."""
    if before is None or after is None:
        return f"{number(before)} → {number(after)}"
    if abs(after - before) <= EPSILON:
        return number(after)
    return f"{number(before)} → {number(after)} ({signed(after - before)})"


def arrow(before, after) -> str:
    return str(after) if before == after else f"{before} → {after}"


def md_cell(value) -> str:
    """A markdown table cell: pipes escaped, one line."""
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def compare(base: Side, head: Side, base_ref: str, seeds: list[SeedChange] | None = None,
            csv_name: str = "impact_stage_changes.csv",
            stage_memory: bool | None = None) -> Impact:
    """stage_memory: whether both builds started from the warehouse's score log (None: not said).
    The queries across both sides are head's compiled analyses/impact/ (the base's relations
    are those of the database attached as `base`)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_string(base.db)} as base (read_only)")
        con.execute(f"attach {sql_string(head.db)} as head (read_only)")
        return compared(con, base, head, base_ref, seeds or [], csv_name, stage_memory)
    finally:
        con.close()


def compared(con, base: Side, head: Side, base_ref, seeds, csv_name, stage_memory=None) -> Impact:
    def analysis(name: str) -> str:
        return (head.compiled / "impact" / f"{name}.sql").read_text()

    con.execute(f"create temp table moves as {analysis('impact_lead_moves')}")
    base_version, head_version = base.summary["scoring_version"], head.summary["scoring_version"]
    as_of, leads = head.summary["score_as_of"], con.execute("select count(*) from moves").fetchone()[0]
    base_settings, head_settings = base.settings, head.settings
    settings_changed = [setting_text(name, base_settings.get(name), head_settings.get(name))
                        for name in dict.fromkeys([*base_settings, *head_settings])
                        if base_settings.get(name) != head_settings.get(name)]

    # The rules that moved each lead whose stage or score changed, biggest effect on the lead
    # score first (points x the weight of their score on each side).
    moved_by: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for lead_id, score_type, dimension, rule, before, after in con.execute(
            analysis("impact_rules_moved")).fetchall():
        effect = (after * float(head_settings.get(f"{score_type}_weight", 1))
                  - before * float(base_settings.get(f"{score_type}_weight", 1)))
        moved_by[lead_id].append((abs(effect), rule_text(score_type, dimension, rule, before, after)))

    # A changed stage threshold (mql_min_fit_score, sql_min_lead_score, ...) moved a lead when
    # the lead's new score lies between the old and the new threshold.
    thresholds = [(name, found.group(1), base_settings[name], head_settings[name])
                  for name in base_settings
                  if (found := re.fullmatch(r"(?:mql|sql)_min_(lead|fit|engagement)_score", name))
                  and name in head_settings and base_settings[name] != head_settings[name]]

    def why(row: dict) -> str:
        rules = [text for _, text in sorted(moved_by.get(row["lead_id"], []),
                                            key=lambda r: (-r[0], r[1]))]
        more = len(rules) - RULES_SHOWN
        parts = rules[:RULES_SHOWN] + ([f"{more} more"] if more > 0 else [])
        if row["is_stage_change"]:
            parts += [setting_text(name, before, after) for name, score, before, after in thresholds
                      if (value := row[f"head_{score}_score"]) is not None
                      and (value >= before) != (value >= after)]
        # Nothing above: a setting moved it (a weight), else a seed that decides stages
        # without points (BANT, disqualification, lifecycle stages).
        return "; ".join(parts or settings_changed or ["stage rules (see the seed changes)"])

    columns = ["lead_id", "company_name", "from_stage", "to_stage", "base_score", "head_score",
               "score_change", "base_priority", "head_priority", "is_stage_change",
               "head_fit_score", "head_engagement_score"]
    changed = [dict(zip(columns, row)) for row in con.execute(f"""
        select {', '.join(columns)} from moves where is_stage_change or is_score_change
    """).fetchall()]
    for row in changed:
        row["score_change"] = (None if row["base_score"] is None or row["head_score"] is None
                               else row["head_score"] - row["base_score"])
        row["head_lead_score"] = row["head_score"]
        row["why"] = why(row)

    # Stage changes: the biggest transitions first, then the biggest score moves.
    transitions = collections.Counter((r["from_stage"], r["to_stage"]) for r in changed
                                      if r["is_stage_change"])
    stage_rank = {s: i for i, s in enumerate(ordered_stages({s for pair in transitions for s in pair}))}
    transition_list = sorted(transitions.items(),
                             key=lambda item: (-item[1], stage_rank[item[0][0]], stage_rank[item[0][1]]))
    stage_changes = sorted(
        (r for r in changed if r["is_stage_change"]),
        key=lambda r: (-transitions[(r["from_stage"], r["to_stage"])], stage_rank[r["from_stage"]],
                       stage_rank[r["to_stage"]], -shown_size(r), r["lead_id"]))

    # Stage matrix over every lead.
    matrix = dict(((f, t), n) for f, t, n in con.execute(
        "select from_stage, to_stage, count(*) from moves group by all").fetchall())
    stages = ordered_stages({s for pair in matrix for s in pair})
    new_mql, lost_mql, new_sql, lost_sql = con.execute("""
        select
            count(*) filter (where to_stage in ('mql', 'sql') and from_stage not in ('mql', 'sql')),
            count(*) filter (where from_stage in ('mql', 'sql') and to_stage not in ('mql', 'sql')),
            count(*) filter (where to_stage = 'sql' and from_stage <> 'sql'),
            count(*) filter (where from_stage = 'sql' and to_stage <> 'sql')
        from moves
    """).fetchone()

    # Today's hand-off on each side, and the leads that lose MQL or SQL although they first
    # qualified on the date scored: the rebuild of that date is what drops them (a later build
    # would hold them by memory once a build has logged them).
    handoff_base, handoff_head = base.summary["handed_off"], head.summary["handed_off"]
    lost_today = con.execute(analysis("impact_lost_today")).fetchone()[0]

    # Leads that no longer qualify for their stage under the working tree's seeds but keep it,
    # as the daily build does, while the base's seeds qualify them on the facts.
    held = con.execute(analysis("impact_stages_held")).fetchall()

    # lead_score changes over the leads whose score changed (the others would pull every
    # statistic to 0).
    stats = dict(zip(["count", "mean", "median", "min", "p10", "p90", "max"], con.execute("""
        select count(*), avg(score_change), median(score_change), min(score_change),
               quantile_cont(score_change, 0.1), quantile_cont(score_change, 0.9),
               max(score_change)
        from moves where is_score_change
    """).fetchone()))
    stats["scored"] = con.execute(
        "select count(*) from moves where base_score is not null and head_score is not null"
    ).fetchone()[0]
    labels = {1: "-20 or less", 2: "-20 to -10", 3: "-10 to -5", 4: "-5 to 0", 6: "0 to +5",
              7: "+5 to +10", 8: "+10 to +20", 9: "+20 or more"}
    buckets = [(labels[b], n) for b, n in con.execute("""
        select bucket, count(*) from (
            select case
                when score_change <= -20 then 1 when score_change <= -10 then 2
                when score_change <= -5 then 3 when score_change < 0 then 4
                when score_change < 5 then 6 when score_change < 10 then 7
                when score_change < 20 then 8 else 9 end as bucket
            from moves where is_score_change
        ) group by bucket order by bucket
    """).fetchall()]

    # Biggest movers: the largest rises and the largest falls of lead score, a stage change first
    # among moves equal as shown; the leads beyond the table that moved by the same are counted.
    rises, rises_note = biggest([r for r in changed if (r["score_change"] or 0) > EPSILON], "rose")
    falls, falls_note = biggest([r for r in changed if (r["score_change"] or 0) < -EPSILON], "fell")
    movers = rises + falls
    movers_notes = [note for note in (rises_note, falls_note) if note]

    held_total = sum(n for _, _, n in held)
    verdict = verdict_line(transition_list, stats, base_version == head_version, held_total)

    base_bt, head_bt = base.backtest["at_threshold"], head.backtest["at_threshold"]
    aucs = [(report.SCORE_NAMES.get(name, name), base.auc.get(name), head.auc.get(name))
            for name in ("lead_score", "fit_score", "engagement_score")]

    env = templates()
    env.filters.update({"cell": md_cell, "move": score_move, "arrow": arrow})
    markdown = env.get_template("impact.md.j2").render(
        base_ref=base_ref, base_version=base_version, head_version=head_version, leads=leads,
        as_of=as_of, verdict=verdict, identical=base_version == head_version,
        seeds=seeds[:SEED_ROWS_SHOWN], seeds_total=len(seeds),
        seed_files=len({s.file for s in seeds}), settings_changed=settings_changed,
        stage_changes=stage_changes[:STAGE_CHANGES_SHOWN], stage_changes_total=len(stage_changes),
        csv_name=csv_name, stages=stages, matrix=matrix,
        new_mql=new_mql, lost_mql=lost_mql, new_sql=new_sql, lost_sql=lost_sql,
        stats=stats, buckets=buckets, movers=movers, movers_notes=movers_notes,
        base_bt=base_bt, head_bt=head_bt, aucs=aucs, stage_memory=stage_memory,
        held=held, held_total=held_total, handoff_base=handoff_base,
        handoff_head=handoff_head, lost_today=lost_today)
    return Impact(markdown.rstrip("\n") + "\n", stage_changes)


def shown_size(row: dict) -> float:
    """The size of a lead's score move as the tables show it (one decimal)."""
    return round(abs(row["score_change"] or 0), 1)


def biggest(rows: list[dict], verb: str) -> tuple[list[dict], str]:
    """The MOVERS_SHOWN // 2 biggest moves of rows, and a note counting the leads left out that
    moved by as much as the last one shown."""
    ranked = sorted(rows, key=lambda r: (-shown_size(r), not r["is_stage_change"], r["lead_id"]))
    shown = ranked[:MOVERS_SHOWN // 2]
    tied = [r for r in ranked[len(shown):] if shown and shown_size(r) == shown_size(shown[-1])]
    if not tied:
        return shown, ""
    kept = sum(1 for r in tied if not r["is_stage_change"])
    return shown, (f"…and {len(tied):,} more lead{'s' if len(tied) != 1 else ''} {verb} by "
                   f"{number(shown_size(shown[-1]))} ({kept:,} of them kept their stage).")


def verdict_line(transitions: list[tuple[tuple[str, str], int]], stats: dict,
                 identical: bool, held: int = 0) -> str:
    """e.g. 12 leads change stage: 9 mql → lead, 3 lead → mql; 130 scores move by a median of
    +2.5 (from -5 to +10). transitions: ((from, to), leads), the biggest first."""
    if identical:
        return "Nothing changes: the seeds are identical."
    moved = sum(n for _, n in transitions)
    if moved:
        stage_part = (f"{moved:,} lead{'s change' if moved != 1 else ' changes'} stage: "
                      + ", ".join(f"{n:,} {f} → {t}" for (f, t), n in transitions))
    else:
        stage_part = "No lead changes stage"
    if held:
        stage_part += (f" ({held:,} more keep{'s' if held == 1 else ''} a stage "
                       "the new seeds no longer give, until recycled)")
    count = stats["count"]
    if count == 1:
        score_part = f"1 score moves by {signed(stats['median'])}"
    elif count:
        score_part = (f"{count:,} scores move by a median of {signed(stats['median'])} "
                      f"(from {signed(stats['min'])} to {signed(stats['max'])})")
    else:
        score_part = "no score moves"
    return f"{stage_part}; {score_part}."


CSV_COLUMNS = ["lead_id", "company_name", "from_stage", "to_stage", "base_lead_score",
               "head_lead_score", "lead_score_change", "base_priority", "head_priority",
               "what_moved_it"]


def write_stage_changes(rows: list[dict], path: Path) -> None:
    """Every lead that changes stage, one CSV row each (the markdown lists the first 50)."""
    rounded = lambda v: "" if v is None else round(v, 4)  # noqa: E731
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow([r["lead_id"], r["company_name"] or "", r["from_stage"], r["to_stage"],
                             rounded(r["base_score"]), rounded(r["head_score"]),
                             rounded(r["score_change"]), r["base_priority"] or "",
                             r["head_priority"] or "", r["why"].replace("`", "")])


def stage_changes_path(markdown_path: Path) -> Path:
    return markdown_path.with_name(f"{markdown_path.stem}_stage_changes.csv")


def write_outputs(impact: Impact, markdown_path: Path) -> Path:
    """impact.md and the stage-change CSV beside it; returns the CSV's path."""
    csv_path = stage_changes_path(markdown_path)
    try:
        markdown_path.parent.mkdir(parents=True, exist_ok=True)
        markdown_path.write_text(impact.markdown, encoding="utf-8")
        write_stage_changes(impact.stage_changes, csv_path)
    except OSError as error:
        raise UserError(f"cannot write {markdown_path}: {error.strerror or error}; name another "
                        "file with --out") from None
    return csv_path


@click.command("impact", help=__doc__.split("\n")[0])
@click.option("--base", "base_name", default="main", show_default=True,
              help="git ref whose seeds are compared")
@out_option(str(ROOT / "reports" / "impact.md"),
            "the markdown file; the stage changes go beside it as <name>_stage_changes.csv")
def command(base_name: str, out: str) -> int:
    base = git_ref(base_name)
    source_db = build_script.checked_warehouse()
    if source_db is None:
        return 1
    dbt_vars = build_script.scoring_vars(source_db)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="leadscore-impact-") as tmp:
        work = Path(tmp)
        base_seeds = scratch.seeds_at_ref(base, work / "base-ref")
        seeds = seed_diff(base_seeds, ROOT / "seeds")
        print(f"building with the seeds of {base_name} ...", flush=True)
        base_side = build_side(work, "base", source_db, dbt_vars, base_seeds)
        print("building with the seeds of the working tree ...", flush=True)
        head_side = build_side(work, "head", source_db, dbt_vars, None, start_from=base_side)
        impact = compare(base_side, head_side, base_name, seeds,
                         stage_changes_path(out).name, scratch.has_score_log(source_db))
    csv_path = write_outputs(impact, out)
    print()
    print(impact.markdown)
    print(f"(written to {out}; every stage change in {csv_path})")
    return 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
