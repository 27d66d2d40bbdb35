"""Run the backtest analyses against the warehouse and write reports/.

`make report` calls this. It builds the warehouse first when the backtest marts are missing,
compiles the SQL in analyses/ with dbt, runs it read-only against the DuckDB file, and writes:

- reports/conversion_by_band.png: conversion rate by lead-score band, with the overall rate;
- reports/gains_lift.png: cumulative gains and lift by score decile;
- reports/index.html: the tables and charts; reports/*.csv: each analysis;

and prints the band table and the AUCs in the terminal.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from leadscore.paths import PROJECT as ROOT

from leadscore import build as build_script
from leadscore import runner
from leadscore.userfacing import main_guard

ANALYSES = [
    "backtest_conversion_by_band",
    "backtest_conversion_by_priority",
    "backtest_gains_by_decile",
    "backtest_threshold_sweep",
    "backtest_auc",
]


def compile_analyses(project_dir: Path, dbt_vars: dict, env: dict | None = None) -> Path:
    """Compile analyses/ with dbt; returns the folder holding the compiled SQL."""
    run = runner.invoke(["compile", "--select", "path:analyses", "--vars", json.dumps(dbt_vars)],
                        project=project_dir, env=env)
    if not run.success:
        raise RuntimeError(f"dbt compile of the analyses failed: {run.first_error()}")
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
    con = duckdb.connect(db, read_only=True)
    try:
        return {
            name: whole_numbers_as_integers(
                con.execute((compiled_dir / f"{name}.sql").read_text()).df())
            for name in names
        }
    finally:
        con.close()


def backtest_context(db: str) -> dict:
    con = duckdb.connect(db, read_only=True)
    try:
        row = con.execute("""
            select min(backtest_as_of), min(horizon_days), count(*),
                   sum(case when is_converted then 1 else 0 end),
                   bool_and(is_horizon_observed)
            from marts.backtest_lead_outcomes
        """).fetchone()
        return {"backtest_as_of": str(row[0]), "horizon_days": row[1], "leads": row[2],
                "conversions": row[3], "horizon_observed": bool(row[4])}
    finally:
        con.close()


def backtest_at_threshold(con: duckdb.DuckDBPyConnection, side: str) -> dict:
    """Backtest volume, precision and recall of the MQLs (stage mql or sql on the backtest date,
    as the marts define it) of the warehouse attached as `side` (a DuckDB catalog name)."""
    row = con.execute(f"""
        with settings as (select mql_min_lead_score from {side}.intermediate.int_scoring_settings_pivoted),
        outcomes as (select * from {side}.marts.backtest_lead_outcomes)
        select
            (select mql_min_lead_score from settings),
            count(*) filter (where lifecycle_stage in ('mql', 'sql')),
            count(*) filter (where is_converted and lifecycle_stage in ('mql', 'sql')),
            count(*) filter (where is_converted),
            min(backtest_as_of), min(horizon_days)
        from outcomes
    """).fetchone()
    threshold, above, converted_above, converted, as_of, horizon = row
    return {
        "threshold": threshold, "mqls": above, "converted": converted, "as_of": as_of,
        "horizon": horizon,
        "precision": converted_above / above if above else None,
        "recall": converted_above / converted if converted else None,
    }


def marts_present(db: str) -> bool:
    if not Path(db).exists():
        return False
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'backtest_score_bands'"
        ).fetchone()[0] == 1
    finally:
        con.close()


def band_chart(bands: pd.DataFrame, context: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ordered = bands.iloc[::-1]  # lowest band on the left
    fig, ax = plt.subplots(figsize=(8, 4.5))
    rates = ordered["conversion_rate"].fillna(0) * 100
    bars = ax.bar(ordered["score_band"], rates, color="#2f6db5")
    overall = float(bands["overall_conversion_rate"].dropna().iloc[0]) * 100 if len(bands) else 0
    ax.axhline(overall, color="#d9534f", linestyle="--", label=f"overall {overall:.1f} %")
    for bar, leads, conversions in zip(bars, ordered["leads"], ordered["conversions"]):
        ax.annotate(f"{int(conversions)}/{int(leads)}", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), ha="center", va="bottom", fontsize=8)
    ax.set_xlabel("lead_score band as of the backtest date")
    ax.set_ylabel(f"converted within {context['horizon_days']} days (%)")
    ax.set_title(f"Conversion by score band, scored as of {context['backtest_as_of']}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def gains_chart(deciles: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    x = [0.0, *(deciles["cumulative_lead_share"] * 100)]
    y = [0.0, *(deciles["cumulative_conversion_share"].fillna(0) * 100)]
    left.plot(x, y, marker="o", color="#2f6db5", label="by lead_score")
    left.plot([0, 100], [0, 100], linestyle="--", color="grey", label="random")
    left.set_xlabel("leads contacted, highest scores first (%)")
    left.set_ylabel("conversions captured (%)")
    left.set_title("Cumulative gains")
    left.legend()
    right.bar(deciles["decile"].astype(str), deciles["lift"].fillna(0), color="#5cb85c")
    right.axhline(1.0, linestyle="--", color="grey")
    right.set_xlabel("score decile (1 = highest)")
    right.set_ylabel("lift over the overall rate")
    right.set_title("Lift by decile")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def format_table(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if column.endswith(("rate", "share")):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v * 100:.1f} %")
        elif column in ("lift", "auc"):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
    return shown.to_string(index=False)


def write_html(results: dict[str, pd.DataFrame], context: dict, path: Path) -> None:
    titles = {
        "backtest_conversion_by_band": "Conversion by lead-score band",
        "backtest_conversion_by_priority": "Conversion by fit grade x engagement level",
        "backtest_gains_by_decile": "Gains by score decile",
        "backtest_threshold_sweep": "MQL threshold sweep",
        "backtest_auc": "AUC",
    }
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Lead-score backtest</title>",
        "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
        "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;"
        "padding:3px 8px;text-align:right}tr.current{background:#fff3cd}</style></head><body>",
        "<h1>Lead-score backtest</h1>",
        f"<p>Leads scored as of <b>{html.escape(context['backtest_as_of'])}</b> from the lead "
        f"versions and events known that day, not yet converted then: {context['leads']:,}; "
        f"converted within {context['horizon_days']} days: {context['conversions']:,}."
        + ("" if context["horizon_observed"] else
           " <b>The data ends before the horizon does: late conversions are missing.</b>")
        + "</p>",
        "<img src='conversion_by_band.png' alt='conversion by band'>",
        "<img src='gains_lift.png' alt='gains and lift'>",
    ]
    for name, frame in results.items():
        parts.append(f"<h2>{html.escape(titles.get(name, name))}</h2>")
        table = frame.to_html(index=False, float_format=lambda v: f"{v:.4f}", na_rep="")
        if name == "backtest_threshold_sweep":
            table = table.replace("<td>True</td>", "<td><b>current</b></td>").replace(
                "<td>False</td>", "<td></td>")
        parts.append(table)
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


@main_guard
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadscore report", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports"))
    args = parser.parse_args(argv)

    db = build_script.db_path()
    if not marts_present(db):
        build_script.main(["--no-summary"])
    compiled = compile_analyses(ROOT, build_script.scoring_vars(db))
    results = run_analyses(db, compiled)
    context = backtest_context(db)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in results.items():
        frame.to_csv(out / f"{name}.csv", index=False)
    band_chart(results["backtest_conversion_by_band"], context, out / "conversion_by_band.png")
    gains_chart(results["backtest_gains_by_decile"], out / "gains_lift.png")
    write_html(results, context, out / "index.html")

    print(f"Backtest as of {context['backtest_as_of']}, horizon {context['horizon_days']} days: "
          f"{context['leads']:,} leads not yet converted, {context['conversions']:,} converted.")
    print()
    print(format_table(results["backtest_conversion_by_band"]))
    print()
    print(format_table(results["backtest_auc"]))
    print()
    print(f"Wrote {out / 'index.html'}, conversion_by_band.png, gains_lift.png and the CSVs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
