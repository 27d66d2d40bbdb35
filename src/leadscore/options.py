"""The command line's shared parts: the options several commands take, declared once, and how a
click command runs, from `leadscore <command>` or from Python as `main(argv)`.

A command module defines `command` (a click command built from these options) and
`main = options.main_for(command)`; `leadscore.cli` loads the module only when its command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from leadscore.userfacing import UserError

# -- options several commands take ---------------------------------------------------------------


def out_option(default: str, help: str) -> Callable:
    """--out: where a command writes (a file or a folder, said in `help`)."""
    return click.option("--out", default=default, show_default=True, help=help)


def db_option(default: str, help: str = "the DuckDB file") -> Callable:
    """--db: the DuckDB file a command reads or writes."""
    return click.option("--db", default=default, show_default=True, help=help)


def leads_option(default: int, help: str = "number of leads") -> Callable:
    """--leads: how many leads to generate."""
    return click.option("--leads", type=int, default=default, show_default=True, help=help)


def events_per_lead_option(default: float) -> Callable:
    """--events-per-lead: the mean number of events a generated lead has, before duplicates."""
    return click.option("--events-per-lead", type=float, default=default, show_default=True,
                        help="mean events per generated lead, before duplicates")


def seed_option(default: int) -> Callable:
    """--seed: the random seed of a generator (same seed, same rows)."""
    return click.option("--seed", type=int, default=default, show_default=True,
                        help="random seed (the same seed writes the same rows)")


def end_date_option(default: str) -> Callable:
    """--end-date: the fixed date generated data ends on."""
    return click.option("--end-date", default=default, show_default=True,
                        help="the date the generated data ends on (YYYY-MM-DD)")


def schema_option(default: str = "raw") -> Callable:
    """--schema: the schema of the raw tables."""
    return click.option("--schema", default=default, show_default=True,
                        help="schema of the raw tables")


def memory_limit_option(default: str = "3.5GB") -> Callable:
    """--memory-limit: DuckDB's memory limit for a benchmark."""
    return click.option("--memory-limit", default=default, show_default=True,
                        help="DuckDB's memory limit")


keep_option = click.option("--keep", is_flag=True, help="keep the scratch folder")


# -- running a command -----------------------------------------------------------------------------


def run(command: click.Command, argv: list[str] | None, prog_name: str) -> int:
    """Run a click command and return its exit code: the callback's return value, 2 for a usage
    mistake or a UserError (one line on stderr), 130 for Ctrl-C."""
    try:
        code = command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, click.Abort):
        print("interrupted", file=sys.stderr)
        return 130
    return code or 0


def main_for(command: click.Command) -> Callable[[list[str] | None], int]:
    """`main(argv)` for a command module: the command run on argv (sys.argv[1:] when None)."""
    def main(argv: list[str] | None = None) -> int:
        return run(command, argv, f"leadscore {command.name}")
    main.__doc__ = f"`leadscore {command.name}` from Python: returns the exit code."
    return main
