"""Write the backtest page and the revenue page from the warehouse into reports/.

`make report` calls this (`leadscore report [--out FOLDER]`; the folder defaults to $OUT, else
reports/). It builds the warehouse first when the marts are missing, compiles the SQL in
analyses/ with dbt, runs it read-only against the DuckDB file, queries the revenue marts, and
writes, from the Jinja2 templates in templates/:

- index.html: the backtest (conversion by score band and by priority, gains by decile, the MQL
  threshold sweep, AUC) with conversion_by_band.png and gains_lift.png, and the score health
  month by month (score_health_monthly: AUC, MQL precision and recall; score_health.png);
- revenue.html: stage x priority, new MQLs and SQLs by week, the funnel by week of creation,
  leads by source, the hot list with its reasons, the score distribution (score_distribution.png);
- one CSV per table (the backtest analyses and the revenue tables, the whole hot list);

and prints the band table and the AUCs in the terminal. Every threshold shown (MQL, SQL, hot)
is read from the warehouse (int_scoring_settings_pivoted, else the scoring_settings seed), never
written here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import duckdb
import pandas as pd

from leadscore import build as build_script
from leadscore import runner
from leadscore.formatting import day, missing, number, pct, stage, templates
from leadscore.paths import PROJECT as ROOT
from leadscore.userfacing import UserError, connect
from leadscore.options import main_for, out_option

ANALYSES = [
    "backtest_conversion_by_band",
    "backtest_conversion_by_priority",
    "backtest_gains_by_decile",
    "backtest_threshold_sweep",
    "backtest_auc",
]
# What the pages read besides the backtest: analyses/report/ (dbt analyses, so the schemas are
# the target's). Keyed by file name in the results.
REPORT_QUERIES = [
    "report/report_scoring_settings",
    "report/report_backtest_summary",
    "report/report_revenue_totals",
    "report/report_stage_by_priority",
    "report/report_new_mqls_sqls_by_week",
    "report/report_funnel_by_week",
    "report/report_leads_by_source",
    "report/report_hot_list",
    "report/report_score_distribution",
]

# Funnel order of lifecycle_stages.csv; a stage the seed adds later is shown after these.
STAGES = ["lead", "mql", "sql", "opportunity", "customer", "recycled", "disqualified"]
STAGE_COLOURS = {"lead": "#a9c4e8", "mql": "#2f6db5", "sql": "#7b3294", "opportunity": "#6cbf6c",
                 "customer": "#2e7d32", "recycled": "#f0ad4e", "disqualified": "#c9c9c9"}
SCORE_NAMES = {"lead_score": "Lead score", "fit_score": "Fit score",
               "engagement_score": "Engagement score"}
HOT_LIST_ROWS = 50
FUNNEL_WEEKS = 12
SCORE_BIN = 5  # points per bar of the score distribution (analyses/report/report_score_distribution)


@dataclass(frozen=True)
class Column:
    """A table column: the row's key, its header for people, how its values are written."""

    key: str
    header: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "label", "date", "stage")


# --- reading the warehouse ---------------------------------------------------------------------

def compile_analyses(project_dir: Path, dbt_vars: dict, env: dict | None = None) -> Path:
    """Compile analyses/ with dbt; returns the folder holding the compiled SQL."""
    run = runner.invoke(["compile", "--select", "path:analyses", "--vars", json.dumps(dbt_vars)],
                        project=project_dir, env=env)
    if not run.success:
        raise UserError(f"dbt compile of the analyses failed: {run.first_error()} "
                        "(full log: logs/dbt.log)")
    return project_dir / "target" / "compiled" / "leadscore" / "analyses"


def whole_numbers_as_integers(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB sums are 128-bit integers, which pandas reads as floats: counts back to integers."""
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and not column.endswith(
                ("rate", "share", "lift", "auc", "score", "threshold")):
            present = values.dropna()
            if (present == present.round()).all():
                frame[column] = values.astype("Int64")
    return frame


def run_analyses(db: str, compiled_dir: Path, names: list[str] = ANALYSES) -> dict[str, pd.DataFrame]:
    """Run compiled analyses (names relative to analyses/, without .sql) read-only on `db`;
    results keyed by file name."""
    con = connect(db, read_only=True)
    try:
        return {
            Path(name).name: whole_numbers_as_integers(
                con.execute((compiled_dir / f"{name}.sql").read_text()).df())
            for name in names
        }
    finally:
        con.close()


def settings_from(frame: pd.DataFrame) -> dict:
    """The scoring settings (report_scoring_settings): setting name -> value."""
    settings = frame.iloc[0].to_dict() if len(frame) else {}
    settings.pop("settings_id", None)
    return settings


def backtest_summary(frame: pd.DataFrame, settings: dict) -> dict:
    """The backtest in one row (report_backtest_summary) as the pages and the impact preview
    show it: its date, horizon, leads, conversions and the MQLs' precision and recall."""
    row = frame.iloc[0]
    leads, conversions = int(row["leads"]), int(row["conversions"] or 0)
    mqls, converted_mqls = int(row["mqls"] or 0), int(row["converted_mqls"] or 0)
    return {"backtest_as_of": day(row["backtest_as_of"]), "horizon_days": row["horizon_days"],
            "leads": leads, "conversions": conversions,
            "horizon_observed": bool(row["is_horizon_observed"]),
            "conversion_rate": conversions / leads if leads else None,
            "at_threshold": {
                "threshold": settings["mql_min_lead_score"], "mqls": mqls,
                "converted": conversions, "as_of": day(row["backtest_as_of"]),
                "horizon": row["horizon_days"],
                "precision": converted_mqls / mqls if mqls else None,
                "recall": converted_mqls / conversions if conversions else None}}


def marts_present(db: str) -> bool:
    """Whether the warehouse holds the marts the pages read (in whichever schema the target
    builds them)."""
    if not Path(db).exists():
        return False
    con = connect(db, read_only=True)
    try:
        return con.execute(
            "select count(distinct table_name) from information_schema.tables "
            "where table_name in ('backtest_score_bands', 'sales_handoff', 'funnel_conversion')"
        ).fetchone()[0] == 3
    finally:
        con.close()


def ordered_stages(present) -> list[str]:
    present = set(present)
    return [s for s in STAGES if s in present] + sorted(present - set(STAGES))


def revenue_data(results: dict[str, pd.DataFrame]) -> dict:
    """What the revenue page shows, from the report analyses (qualified_leads,
    lead_stage_changes, sales_handoff, funnel_conversion, lead_score_components)."""
    totals = results["report_revenue_totals"].iloc[0].to_dict()
    for date_column in ("score_as_of", "first_build"):
        value = totals[date_column]
        totals[date_column] = None if missing(value) else pd.Timestamp(value).date()
    return {"settings": settings_from(results["report_scoring_settings"]), "totals": totals,
            "cells": results["report_stage_by_priority"],
            "by_week": results["report_new_mqls_sqls_by_week"],
            "funnel": results["report_funnel_by_week"],
            "by_source": results["report_leads_by_source"],
            "hot_list": results["report_hot_list"],
            "scores": results["report_score_distribution"]}


# --- charts ------------------------------------------------------------------------------------

def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.spines.top": False, "axes.spines.right": False,
                         "axes.titleweight": "bold", "axes.titlesize": 11})
    return plt


def band_chart(bands: pd.DataFrame, context: dict, path: Path) -> None:
    plt = pyplot()
    ordered = bands.iloc[::-1]  # lowest band on the left
    fig, ax = plt.subplots(figsize=(8, 4.2))
    rates = ordered["conversion_rate"].fillna(0) * 100
    bars = ax.bar(ordered["score_band"], rates, color="#2f6db5")
    overall = float(bands["overall_conversion_rate"].dropna().iloc[0]) * 100 if len(bands) else 0
    ax.axhline(overall, color="#d9534f", linestyle="--", label=f"all leads: {overall:.1f} %")
    for bar, leads, conversions in zip(bars, ordered["leads"], ordered["conversions"]):
        ax.annotate(f"{int(conversions):,} of {int(leads):,}",
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.set_xlabel(f"Lead score on {context['backtest_as_of']}")
    ax.set_ylabel(f"Converted within {context['horizon_days']} days (%)")
    ax.set_title("Conversion by lead-score band")
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def gains_chart(deciles: pd.DataFrame, path: Path) -> None:
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    x = [0.0, *(deciles["cumulative_lead_share"] * 100)]
    y = [0.0, *(deciles["cumulative_conversion_share"].fillna(0) * 100)]
    left.plot(x, y, marker="o", color="#2f6db5", label="highest lead score first")
    left.plot([0, 100], [0, 100], linestyle="--", color="grey", label="random order")
    left.set_xlabel("Leads contacted (%)")
    left.set_ylabel("Conversions captured (%)")
    left.set_title("Cumulative gains")
    left.legend(frameon=False)
    right.bar(deciles["decile"].astype(str), deciles["lift"].fillna(0), color="#5cb85c")
    right.axhline(1.0, linestyle="--", color="grey")
    right.set_xlabel("Score decile (1 = highest scores)")
    right.set_ylabel("Conversion rate ÷ overall rate")
    right.set_title("Lift by decile")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def health_data(db: str, compiled_dir: Path) -> pd.DataFrame | None:
    """score_health_monthly, oldest month first; None for a warehouse built before it."""
    try:
        return run_analyses(db, compiled_dir, ["report/report_score_health"])["report_score_health"]
    except duckdb.CatalogException:
        return None


def health_status(row: dict) -> str:
    if row["is_auc_drop"]:
        return "AUC dropped" + (" (latest judged month: warning)" if row["is_latest_judged"] else "")
    if not row["is_horizon_observed"]:
        return "horizon not over yet"
    if not row["is_judged"]:
        return "too few conversions to judge"
    return "latest judged month" if row["is_latest_judged"] else ""


def health_chart(health: pd.DataFrame, settings: dict, path: Path) -> None:
    """AUC per month (filled markers: judged months), the median of the judged months before
    each and the margin below it that warns; MQL precision and recall beside."""
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    months = [str(value)[:7] for value in health["month_start"]]
    judged = health["is_judged"].astype(bool)
    left.plot(months, health["auc"], color="#2f6db5", label="AUC of the lead score")
    left.scatter([m for m, j in zip(months, judged) if j], health["auc"][judged],
                 color="#2f6db5", zorder=3, label="judged month")
    left.scatter([m for m, j in zip(months, judged) if not j], health["auc"][~judged],
                 facecolors="white", edgecolors="#2f6db5", zorder=3,
                 label="not judged (horizon open or few conversions)")
    margin = float(settings.get("health_max_auc_drop", 0) or 0)
    left.plot(months, health["median_auc_before"] - margin, color="#d9534f", linestyle="--",
              label=f"warning line: median before − {margin:g}")
    drops = health["is_auc_drop"].astype(bool)
    if drops.any():
        left.scatter([m for m, d in zip(months, drops) if d], health["auc"][drops], marker="x",
                     s=80, color="#d9534f", zorder=4, label="AUC dropped")
    left.axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    left.set_ylim(0.4, 1.0)
    left.set_ylabel("AUC (0.5 = random order)")
    left.set_title("Does the score still rank conversions?")
    left.legend(frameon=False, fontsize=8, loc="lower left")
    for column, colour, text in (("mql_precision", "#7b3294", "MQL precision (conversion rate of MQLs)"),
                                 ("mql_recall", "#5cb85c", "MQL recall (share of conversions that were MQLs)")):
        values = health[column] * 100
        right.plot(months, values, color=colour, label=text)
        right.scatter([m for m, j in zip(months, judged) if j], values[judged], color=colour, zorder=3)
        # Months whose horizon is still open: conversions are still coming in.
        right.scatter([m for m, j in zip(months, judged) if not j], values[~judged],
                      facecolors="white", edgecolors=colour, zorder=3)
    right.set_ylabel("%")
    right.set_title("The MQL stage month by month")
    right.legend(frameon=False, fontsize=8)
    for axis in (left, right):
        axis.set_xlabel("Scored as of the first day of")
        axis.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def score_chart(scores: pd.DataFrame, settings: dict, path: Path) -> None:
    """Leads per SCORE_BIN-point band of lead score, stacked by stage, with the MQL and SQL
    thresholds of the warehouse's settings."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10.5, 4.2))
    starts = list(range(0, 100, SCORE_BIN))
    bottom = [0] * len(starts)
    for name in ordered_stages(scores["lifecycle_stage"].unique()):
        counts = scores[scores["lifecycle_stage"] == name].set_index("score_from")["leads"]
        heights = [int(counts.get(start, 0)) for start in starts]
        ax.bar([s + SCORE_BIN / 2 for s in starts], heights, width=SCORE_BIN * 0.92, bottom=bottom,
               color=STAGE_COLOURS.get(name, "#888888"), label=stage(name))
        bottom = [b + h for b, h in zip(bottom, heights)]
    top = max(bottom) if bottom else 1
    for key, label, colour in (("mql_min_lead_score", "MQL", "#d9534f"),
                               ("sql_min_lead_score", "SQL", "#7b3294")):
        value = float(settings[key])
        ax.axvline(value, color=colour, linestyle="--", linewidth=1.2)
        ax.annotate(f"{label} threshold {number(value, 2)}", (value, top), xytext=(4, -2),
                    textcoords="offset points", color=colour, fontsize=9, va="top")
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10))
    ax.yaxis.set_major_formatter(lambda v, _: f"{int(v):,}")
    ax.set_xlabel("Lead score")
    ax.set_ylabel("Leads")
    ax.set_title(f"Lead score distribution ({SCORE_BIN}-point bands), by stage")
    ax.legend(frameon=False, fontsize=9, title="Stage today", loc="upper left",
              bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- pages -------------------------------------------------------------------------------------

BAND_COLUMNS = [Column("score_band", "Lead-score band"), Column("leads", "Leads", "whole"),
                Column("conversions", "Converted", "whole"),
                Column("conversion_rate", "Conversion rate", "pct"),
                Column("lift", "Lift", "lift"),
                Column("cumulative_conversion_share", "Conversions at this band or above", "pct")]
DECILE_COLUMNS = [Column("decile", "Decile", "whole"), Column("score_range", "Lead scores"),
                  Column("leads", "Leads", "whole"), Column("conversions", "Converted", "whole"),
                  Column("conversion_rate", "Conversion rate", "pct"),
                  Column("lift", "Lift", "lift"),
                  Column("cumulative_lead_share", "Leads so far", "pct"),
                  Column("cumulative_conversion_share", "Conversions so far", "pct")]
SWEEP_COLUMNS = [Column("mql_threshold", "MQL threshold", "threshold"),
                 Column("mql_leads", "MQLs", "whole"),
                 Column("mql_conversions", "Converted", "whole"),
                 Column("precision_rate", "Precision (conversion rate of MQLs)", "pct"),
                 Column("recall_rate", "Recall (share of all conversions)", "pct"),
                 Column("current", "")]
AUC_COLUMNS = [Column("score", "Score"), Column("auc", "AUC", "auc"),
               Column("leads", "Leads", "whole"), Column("conversions", "Converted", "whole")]
HEALTH_COLUMNS = [Column("month_start", "Scored as of", "date"), Column("leads", "Leads", "whole"),
                  Column("conversions", "Converted", "whole"),
                  Column("conversion_rate", "Conversion rate", "pct"),
                  Column("auc", "AUC", "auc"),
                  Column("median_auc_before", "Median AUC before", "auc"),
                  Column("mql_precision", "MQL precision", "pct"),
                  Column("mql_recall", "MQL recall", "pct"),
                  Column("status", "")]
WEEK_COLUMNS = [Column("week", "Week of", "date"), Column("new_mqls", "New MQLs", "whole"),
                Column("new_sqls", "New SQLs", "whole"), Column("note", "")]
FUNNEL_COLUMNS = [Column("entry_week", "Week created", "date"), Column("leads", "Leads", "whole"),
                  Column("mqls", "Reached MQL", "whole"),
                  Column("lead_to_mql_rate", "Lead → MQL", "pct"),
                  Column("sqls", "Reached SQL", "whole"),
                  Column("mql_to_sql_rate", "MQL → SQL", "pct"),
                  Column("opportunities", "Opportunities", "whole"),
                  Column("customers", "Won", "whole"),
                  Column("opportunity_to_customer_rate", "Win rate", "pct")]
SOURCE_COLUMNS = [Column("lead_source", "Lead source", "label"), Column("leads", "Leads", "whole"),
                  Column("mqls", "Reached MQL", "whole"),
                  Column("mql_rate", "MQL rate (of leads)", "pct"),
                  Column("sqls", "Reached SQL", "whole"),
                  Column("sql_rate", "SQL rate (of MQLs)", "pct"),
                  Column("hot", "Hot now", "whole"), Column("customers", "Won", "whole")]


def records(frame: pd.DataFrame) -> list[dict]:
    return [{key: (None if missing(value) else value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def priority_grid(frame: pd.DataFrame) -> dict:
    """Conversion by fit grade (rows) x engagement level (columns)."""
    grades = sorted(frame["fit_grade"].dropna().unique())
    levels = sorted(int(v) for v in frame["engagement_level"].dropna().unique())
    cells = {(r["fit_grade"], int(r["engagement_level"])): r for r in records(frame)}
    return {"grades": grades, "levels": levels, "cells": cells}


def health_page(health: pd.DataFrame | None, settings: dict) -> dict:
    if health is None or health.empty:
        return {"health": None, "health_off": health is not None}
    rows = records(health)
    for row in rows:
        row["status"] = health_status(row)
    latest = next((row for row in reversed(rows) if row["is_latest_judged"]), None)
    return {"health": rows, "health_columns": HEALTH_COLUMNS, "health_latest": latest,
            "health_margin": settings.get("health_max_auc_drop"), "health_off": False}


def backtest_page(results: dict[str, pd.DataFrame], context: dict, settings: dict) -> dict:
    deciles = results["backtest_gains_by_decile"].copy()
    deciles["score_range"] = [f"{number(lo)}–{number(hi)}" for lo, hi in
                              zip(deciles["min_lead_score"], deciles["max_lead_score"])]
    sweep = results["backtest_threshold_sweep"].copy()
    sweep["current"] = ["current threshold" if flag else "" for flag in sweep["is_current_threshold"]]
    aucs = results["backtest_auc"].copy()
    aucs["score"] = [SCORE_NAMES.get(name, name) for name in aucs["score_name"]]
    lead_auc = dict(zip(aucs["score_name"], aucs["auc"])).get("lead_score")
    return {
        "bands": records(results["backtest_conversion_by_band"]), "band_columns": BAND_COLUMNS,
        "priority": priority_grid(results["backtest_conversion_by_priority"]),
        "deciles": records(deciles), "decile_columns": DECILE_COLUMNS,
        "sweep": records(sweep), "sweep_columns": SWEEP_COLUMNS,
        "aucs": records(aucs), "auc_columns": AUC_COLUMNS, "lead_auc": lead_auc,
        "backtest": context, "mql_threshold": settings["mql_min_lead_score"],
    }


def stage_priority_grid(cells: pd.DataFrame) -> dict:
    stages = ordered_stages(cells["lifecycle_stage"].unique())
    priorities = sorted(cells["priority"].dropna().unique())
    counts = {(r["lifecycle_stage"], r["priority"]): int(r["leads"]) for r in records(cells)}
    biggest = max(counts.values(), default=1)

    def shade(count: int) -> str:
        # Darker blue for more leads; the text turns white on the darkest cells.
        alpha = 0.06 + 0.74 * count / biggest if count else 0
        return f"background-color: rgba(47, 109, 181, {alpha:.2f});" + (
            " color: #fff;" if alpha > 0.45 else "")

    rows = [{"stage": s, "cells": [(counts.get((s, p), 0), shade(counts.get((s, p), 0)))
                                   for p in priorities],
             "total": sum(counts.get((s, p), 0) for p in priorities)} for s in stages]
    return {"priorities": priorities, "rows": rows,
            "totals": [sum(counts.get((s, p), 0) for s in stages) for p in priorities],
            "total": sum(counts.values())}


def revenue_page(data: dict) -> dict:
    totals, settings = data["totals"], data["settings"]
    first_build = totals["first_build"]
    first_week = (first_build - dt.timedelta(days=first_build.weekday())) if first_build else None
    by_week = data["by_week"].copy()
    by_week["week"] = pd.to_datetime(by_week["week"]).dt.date
    by_week["note"] = ["includes every lead already MQL or SQL at the first build "
                       f"({day(first_build)})" if first_week and week == first_week else ""
                       for week in by_week["week"]]
    funnel = data["funnel"]
    hot = records(data["hot_list"])
    for row in hot:
        row["reasons"] = [row[k] for k in ("reason_1", "reason_2", "reason_3") if row[k]]
    return {
        "totals": totals, "settings": settings, "grid": stage_priority_grid(data["cells"]),
        "by_week": records(by_week), "week_columns": WEEK_COLUMNS,
        "funnel": records(funnel.tail(FUNNEL_WEEKS)), "funnel_columns": FUNNEL_COLUMNS,
        "funnel_weeks": len(funnel), "funnel_unobserved": int((~funnel["is_stage_history_observed"]
                                                                .astype(bool)).sum()),
        "by_source": records(data["by_source"]), "source_columns": SOURCE_COLUMNS,
        "hot_list": hot[:HOT_LIST_ROWS], "hot_total": len(hot),
        "hot_hot": sum(1 for row in hot if row["is_hot"]),
        "score_bin": SCORE_BIN,
    }


def write_csvs(results: dict[str, pd.DataFrame], revenue: dict, out: Path) -> None:
    """One CSV per backtest analysis (named after it) and per revenue table."""
    for name in ANALYSES:
        results[name].to_csv(out / f"{name}.csv", index=False)
    revenue["cells"].pivot_table(index="lifecycle_stage", columns="priority", values="leads",
                                 fill_value=0, aggfunc="sum").to_csv(out / "stage_by_priority.csv")
    revenue["by_week"].to_csv(out / "mqls_sqls_by_week.csv", index=False)
    revenue["funnel"].to_csv(out / "funnel_by_week.csv", index=False)
    revenue["by_source"].to_csv(out / "leads_by_source.csv", index=False)
    revenue["hot_list"].to_csv(out / "hot_list.csv", index=False)
    revenue["scores"].to_csv(out / "score_distribution.csv", index=False)


def write_report(db: str, project: Path, out: Path, dbt_vars: dict,
                 env: dict | None = None) -> dict:
    """Compile and run the analyses of `project` on `db`, query the revenue marts and write both
    pages, their charts and CSVs into `out`. Returns what it read (for the terminal summary)."""
    compiled = compile_analyses(project, dbt_vars, env=env)
    results = run_analyses(db, compiled, ANALYSES + REPORT_QUERIES)
    revenue = revenue_data(results)
    context = backtest_summary(results["report_backtest_summary"], revenue["settings"])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot write the report into {out}: {error.strerror or error}; "
                        "name another folder with --out or OUT=") from None
    write_csvs(results, revenue, out)
    band_chart(results["backtest_conversion_by_band"], context, out / "conversion_by_band.png")
    gains_chart(results["backtest_gains_by_decile"], out / "gains_lift.png")
    score_chart(revenue["scores"], revenue["settings"], out / "score_distribution.png")
    health = health_data(db, compiled)
    if health is not None and not health.empty:
        health.to_csv(out / "score_health_monthly.csv", index=False)
        health_chart(health, revenue["settings"], out / "score_health.png")
    else:
        # Health months off (or an older warehouse): no chart of an earlier report left behind.
        for stale in ("score_health_monthly.csv", "score_health.png"):
            (out / stale).unlink(missing_ok=True)

    env_ = templates()
    common = {"score_as_of": day(revenue["totals"]["score_as_of"]),
              "scoring_version": revenue["totals"]["scoring_version"],
              "warehouse": Path(db).name,
              "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    pages = {
        "index.html": env_.get_template("index.html.j2").render(
            page="backtest", **common, **backtest_page(results, context, revenue["settings"]),
            **health_page(health, revenue["settings"])),
        "revenue.html": env_.get_template("revenue.html.j2").render(
            page="revenue", **common, **revenue_page(revenue)),
    }
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    return {"results": results, "context": context, "revenue": revenue}


def format_table(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if column.endswith(("rate", "share")):
            shown[column] = shown[column].map(pct)
        elif column in ("lift", "auc"):
            shown[column] = shown[column].map(lambda v: number(v, 3))
    return shown.to_string(index=False)


@click.command("report", help=__doc__.split("\n")[0])
@out_option(os.environ.get("OUT") or str(ROOT / "reports"),
            "folder for the pages, charts and CSVs (default: $OUT, else reports/)")
def command(out: str) -> int:

    db = build_script.db_path()
    if not Path(db).exists():
        # A mistyped LEADSCORE_DUCKDB must not become a demo warehouse with a plausible report.
        raise UserError(f"{db} does not exist: run `make build` first, or set LEADSCORE_DUCKDB "
                        "to your warehouse")
    if not marts_present(db):
        code = build_script.main(["--no-summary"])
        if code:
            return code
    out = Path(out)
    written = write_report(db, ROOT, out, build_script.scoring_vars(db))
    context, results = written["context"], written["results"]

    print(f"Backtest as of {context['backtest_as_of']}, horizon {context['horizon_days']} days: "
          f"{context['leads']:,} leads not yet converted, {context['conversions']:,} converted.")
    print()
    print(format_table(results["backtest_conversion_by_band"]))
    print()
    print(format_table(results["backtest_auc"]))
    print()
    print(f"Wrote {out / 'index.html'} (backtest), {out / 'revenue.html'} (revenue), "
          "their charts and the CSVs.")
    return 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
