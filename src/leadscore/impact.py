"""Preview what a change to the seeds does to the leads, before it is merged.

`make impact BASE=<git ref>` (default main) builds the project twice in a scratch folder, on a
copy of the warehouse's raw tables: once with the seeds as committed at BASE, once with the seeds
of the working tree. The SQL is the working tree's both times, so only the scoring configuration
differs. It writes markdown for the pull request to reports/impact.md and prints it: leads that
change stage (a from/to matrix), new and lost MQLs and SQLs, the distribution of score changes,
the ten biggest movers with the rules that moved them, and the backtest's precision and recall at
the MQL threshold and AUC under both versions. The user's warehouse is only read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import duckdb

from leadscore.paths import PROJECT as ROOT

from leadscore import build as build_script
from leadscore import report
from leadscore import scratch
from leadscore.userfacing import git_ref, main_guard, sql_string

STAGES = ["disqualified", "recycled", "lead", "mql", "sql", "opportunity", "customer"]


def build_side(work: Path, name: str, source_db: str, dbt_vars: dict, seeds_from: Path | None):
    project, db = scratch.build_copy(work, name, source_db, dbt_vars, seeds_from)
    compiled = report.compile_analyses(project, dbt_vars, env={"LEADSCORE_DUCKDB": str(db)})
    auc = report.run_analyses(str(db), compiled, ["backtest_auc"])["backtest_auc"]
    return db, dict(zip(auc["score_name"], auc["auc"]))


def pct(value) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def compare(base_db: Path, head_db: Path, base_ref: str, base_auc: dict, head_auc: dict) -> str:
    con = duckdb.connect()
    con.execute(f"attach {sql_string(base_db)} as base (read_only)")
    con.execute(f"attach {sql_string(head_db)} as head (read_only)")
    con.execute("""
        create temp table moves as
        select
            coalesce(h.lead_id, b.lead_id) as lead_id,
            coalesce(b.lifecycle_stage, '(not scored)') as from_stage,
            coalesce(h.lifecycle_stage, '(not scored)') as to_stage,
            b.lead_score as base_score,
            h.lead_score as head_score,
            coalesce(h.lead_score, 0) - coalesce(b.lead_score, 0) as score_change,
            b.priority as base_priority,
            h.priority as head_priority
        from base.marts.qualified_leads as b
        full outer join head.marts.qualified_leads as h using (lead_id)
    """)
    lines = []
    versions = con.execute("""
        select (select max(scoring_version) from base.marts.qualified_leads),
               (select max(scoring_version) from head.marts.qualified_leads),
               (select max(score_as_of) from head.marts.qualified_leads),
               (select count(*) from moves)
    """).fetchone()
    lines += [
        "## Lead-scoring impact preview",
        "",
        f"Seeds at `{base_ref}` (scoring_version `{versions[0]}`) against the working tree "
        f"(`{versions[1]}`), both scoring the same {versions[3]:,} leads as of {versions[2]}.",
        "",
    ]
    if versions[0] == versions[1]:
        lines += ["The seeds are identical: nothing changes.", ""]

    # Stage matrix.
    matrix = dict(((f, t), n) for f, t, n in con.execute(
        "select from_stage, to_stage, count(*) from moves group by all").fetchall())
    present = {s for pair in matrix for s in pair}
    stages = [s for s in STAGES if s in present] + sorted(present - set(STAGES))
    changed = sum(n for (f, t), n in matrix.items() if f != t)
    lines += [f"### Stage changes: {changed:,} leads change stage", "",
              "| from \\ to | " + " | ".join(stages) + " |",
              "|---|" + "---:|" * len(stages)]
    for f in stages:
        lines.append(f"| **{f}** | " + " | ".join(
            (f"**{matrix.get((f, t), 0):,}**" if f != t and matrix.get((f, t)) else f"{matrix.get((f, t), 0):,}")
            for t in stages) + " |")
    lines.append("")

    new_mql, lost_mql, new_sql, lost_sql = con.execute("""
        select
            count(*) filter (where to_stage in ('mql', 'sql') and from_stage not in ('mql', 'sql')),
            count(*) filter (where from_stage in ('mql', 'sql') and to_stage not in ('mql', 'sql')),
            count(*) filter (where to_stage = 'sql' and from_stage <> 'sql'),
            count(*) filter (where from_stage = 'sql' and to_stage <> 'sql')
        from moves
    """).fetchone()
    lines += [f"- MQL or better: **+{new_mql:,}** new, **-{lost_mql:,}** lost",
              f"- SQL: **+{new_sql:,}** new, **-{lost_sql:,}** lost", ""]

    # Score change distribution.
    stats = con.execute("""
        select count(*) filter (where abs(score_change) > 1e-9), avg(change),
               min(change), quantile_cont(change, 0.1), median(change),
               quantile_cont(change, 0.9), max(change)
        from (select *, round(score_change, 6) + 0.0 as change from moves)
        where base_score is not null and head_score is not null
    """).fetchone()
    lines += ["### lead_score changes", "",
              f"{stats[0]:,} leads change score. Mean {stats[1]:+.2f}, min {stats[2]:+.2f}, "
              f"p10 {stats[3]:+.2f}, median {stats[4]:+.2f}, p90 {stats[5]:+.2f}, max {stats[6]:+.2f}.",
              "", "| change | leads |", "|---|---:|"]
    bins = con.execute("""
        select bucket, count(*) from (
            select case
                when score_change <= -20 then 1 when score_change <= -10 then 2
                when score_change <= -5 then 3 when score_change < -1e-9 then 4
                when score_change <= 1e-9 then 5 when score_change < 5 then 6
                when score_change < 10 then 7 when score_change < 20 then 8 else 9 end as bucket
            from moves where base_score is not null and head_score is not null
        ) group by bucket order by bucket
    """).fetchall()
    labels = {1: "-20 or less", 2: "-20 to -10", 3: "-10 to -5", 4: "-5 to 0", 5: "no change",
              6: "0 to +5", 7: "+5 to +10", 8: "+10 to +20", 9: "+20 or more"}
    lines += [f"| {labels[b]} | {n:,} |" for b, n in bins] + [""]

    # Biggest movers and the rules that moved them.
    movers = con.execute("""
        select lead_id, from_stage, to_stage, base_score, head_score, score_change,
               base_priority, head_priority
        from moves
        where base_score is not null and head_score is not null and abs(score_change) > 1e-9
        order by abs(score_change) desc, lead_id
        limit 10
    """).fetchall()
    if movers:
        ids = [m[0] for m in movers]
        rules = con.execute("""
            with b as (select * from base.marts.lead_score_components where lead_id in (select unnest(?))),
                 h as (select * from head.marts.lead_score_components where lead_id in (select unnest(?)))
            select coalesce(h.lead_id, b.lead_id), coalesce(h.score_type, b.score_type),
                   coalesce(h.dimension, b.dimension), coalesce(h.rule_name, b.rule_name),
                   coalesce(b.capped_points, 0), coalesce(h.capped_points, 0)
            from b full outer join h
                on b.lead_id = h.lead_id and b.score_type = h.score_type
                and b.dimension = h.dimension and b.rule_name = h.rule_name
            where abs(coalesce(h.capped_points, 0) - coalesce(b.capped_points, 0)) > 1e-9
        """, [ids, ids]).fetchall()
        by_lead: dict[str, list] = {}
        for lead_id, score_type, dimension, rule, before, after in rules:
            by_lead.setdefault(lead_id, []).append((abs(after - before), score_type, dimension, rule, before, after))
        lines += ["### Ten biggest movers", "",
                  "| lead | lead_score | priority | stage | rules that moved it |", "|---|---|---|---|---|"]
        for lead_id, f, t, b, h, d, bp, hp in movers:
            top = sorted(by_lead.get(lead_id, []), reverse=True)[:3]
            why = "; ".join(
                f"{st if dim == st else st + ' ' + dim} `{rule}` {before:.1f} → {after:.1f}"
                for _, st, dim, rule, before, after in top) or "weights or thresholds"
            lines.append(f"| {lead_id} | {b:.1f} → {h:.1f} ({d:+.1f}) | {bp} → {hp} | {f} → {t} | {why} |")
        lines.append("")

    # Backtest.
    base_bt, head_bt = report.backtest_at_threshold(con, "base"), report.backtest_at_threshold(con, "head")
    lines += [f"### Backtest (scored as of {head_bt['as_of']}, conversions within {head_bt['horizon']} days)", "",
              "| | base | working tree |", "|---|---:|---:|",
              f"| MQL threshold | {base_bt['threshold']:g} | {head_bt['threshold']:g} |",
              f"| MQLs at the threshold | {base_bt['mqls']:,} | {head_bt['mqls']:,} |",
              f"| precision (conversion rate of MQLs) | {pct(base_bt['precision'])} | {pct(head_bt['precision'])} |",
              f"| recall (share of conversions that were MQLs) | {pct(base_bt['recall'])} | {pct(head_bt['recall'])} |"]
    for name in ("lead_score", "fit_score", "engagement_score"):
        b, h = base_auc.get(name), head_auc.get(name)
        lines.append(f"| AUC {name} | {'n/a' if b is None else f'{b:.3f}'} | {'n/a' if h is None else f'{h:.3f}'} |")
    lines.append("")
    con.close()
    return "\n".join(lines)


@main_guard
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadscore impact", description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="main", help="git ref whose seeds are compared (default: main)")
    parser.add_argument("--out", default=str(ROOT / "reports" / "impact.md"))
    args = parser.parse_args(argv)

    base = git_ref(args.base)
    source_db = build_script.checked_warehouse()
    if source_db is None:
        return 1
    dbt_vars = build_script.scoring_vars(source_db)
    with tempfile.TemporaryDirectory(prefix="leadscore-impact-") as tmp:
        work = Path(tmp)
        base_seeds = scratch.seeds_at_ref(base, work / "base-ref")
        print(f"building with the seeds of {args.base} ...", flush=True)
        base_db, base_auc = build_side(work, "base", source_db, dbt_vars, base_seeds)
        print("building with the seeds of the working tree ...", flush=True)
        head_db, head_auc = build_side(work, "head", source_db, dbt_vars, None)
        markdown = compare(base_db, head_db, args.base, base_auc, head_auc)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown + "\n", encoding="utf-8")
    print()
    print(markdown)
    print(f"\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
