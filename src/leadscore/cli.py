"""The one command-line entry point: `leadscore <command> [options]` (the Makefile calls it).
Each command's own options: `leadscore <command> --help`."""

from __future__ import annotations

import difflib
import importlib
import sys

import click

# command -> (module, one-line help). The module defines `command`, a click command whose options
# are in leadscore.options where several commands share them.
COMMANDS = {
    "build": ("leadscore.build", "Validate the seeds, write demo data into an empty warehouse, "
              "dbt build, summary (make build, make dbt-test)."),
    "validate": ("leadscore.validate", "Check the seed CSVs: file, line and reason for every "
                 "problem (make validate)."),
    "impact": ("leadscore.impact", "What a seed change does: seeds at BASE against the working "
               "tree, on a copy of the warehouse -> reports/impact.md (make impact)."),
    "calibrate": ("leadscore.calibrate", "Learn seeds from past conversions, validate them on "
                  "a later date, adopt or refuse (make calibrate)."),
    "report": ("leadscore.report", "Backtest and revenue pages from the warehouse -> reports/ "
               "(make report)."),
    "bench": ("leadscore.bench", "Benchmark: full and incremental build, rescore, impact, floor, "
              "pandas and Polars peers (make bench)."),
    "bench-spark": ("leadscore.bench_spark", "Benchmark the full build on a local Spark session "
                    "beside DuckDB, same data, marts compared (make bench-spark)."),
    "demo": ("leadscore.demo", "Write the demo raw tables (a B2B software company) into a "
             "DuckDB file."),
    "foreign": ("leadscore.foreign", "Write a second business (B2C courses, foreign "
                "vocabulary) into a DuckDB file (make foreign)."),
    "solar": ("leadscore.solar", "Write a third business (a home-solar installer: leads all "
              "year round, recency, negative signals) into a DuckDB file."),
    "olist": ("leadscore.olist", "Load the Olist marketing funnel (real leads) as raw tables "
              "into a DuckDB file."),
    "engine-test": ("leadscore.engines", "Build on Postgres or Spark and compare with DuckDB "
                    "(make test-postgres, make test-spark)."),
    "structure": ("leadscore.structure", "Check the project's structure rules on the dbt "
                  "manifest."),
}


class Commands(click.Group):
    """Commands loaded on use: `leadscore validate` does not import dbt or scikit-learn."""

    def resolve_command(self, ctx, args):
        """An unknown command is one line naming the closest one."""
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            close = difflib.get_close_matches(args[0], list(COMMANDS), n=1)
            hint = f"did you mean `leadscore {close[0]}`?" if close else "see `leadscore --help`"
            print(f"error: no command {args[0]!r}: {hint}", file=sys.stderr)
            sys.exit(2)
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        command = importlib.import_module(COMMANDS[name][0]).command
        command.short_help = COMMANDS[name][1].split(" (make ")[0].rstrip(".")
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
def commands():
    """leadscore: the lead-scoring warehouse's commands (dbt runs in this process)."""
    from leadscore.paths import INSTALLED_CLONE, PROJECT, PROJECT_ORIGIN

    if PROJECT != INSTALLED_CLONE:
        print(f"leadscore: the dbt project in {PROJECT} ({PROJECT_ORIGIN})", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """The `leadscore` executable: exits with the command's code."""
    from leadscore.options import run

    sys.exit(run(commands, argv, "leadscore"))


if __name__ == "__main__":
    main()
