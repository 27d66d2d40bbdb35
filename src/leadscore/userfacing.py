"""What every command does with user input and user mistakes: one line naming the fix, never a
traceback. Quoting of paths and refs that SQL or git sees lives here, once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import duckdb

from leadscore.paths import PROJECT as ROOT


class UserError(Exception):
    """A mistake the user can fix; the message is one line that says how."""


def sql_string(value: object) -> str:
    """value as a SQL string literal: apostrophes doubled, so a path like /data/o'brien.duckdb
    (or a crafted one) is a string and never SQL."""
    return "'" + str(value).replace("'", "''") + "'"


def checked_date(value: str, name: str) -> str:
    """value if it is a real date written YYYY-MM-DD, else a UserError naming it."""
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{name} must be a real date written YYYY-MM-DD, got {text!r}") from None
    return text


def checked_whole_number(value: str, name: str, minimum: int = 0) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text) or int(text) < minimum:
        raise UserError(f"{name} must be a whole number, at least {minimum}, got {text!r}")
    return int(text)


def lock_holder(error: Exception) -> str:
    """The program and PID DuckDB names in a lock conflict, else ''."""
    found = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", str(error))
    return f"{Path(found.group(1)).name}, PID {found.group(2)}" if found else ""


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, or a UserError saying who holds the file and what to do."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        holder = lock_holder(error)
        if holder or "lock" in str(error).lower():
            raise UserError(
                f"{path} is open in another program ({holder or 'see `lsof ' + str(path) + '`'}): "
                "DuckDB allows one writer per file, so close it (a BI tool, a notebook, another "
                "build) and run again") from None
        raise UserError(f"cannot open {path}: {str(error).splitlines()[0]}") from None


def git_ref(ref: str) -> str:
    """ref if git knows it as a commit here, else a UserError saying what to fetch."""
    if ref.startswith("-") or not ref.strip():
        raise UserError(f"BASE {ref!r} is not a git branch, tag or commit")
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           cwd=ROOT, capture_output=True, text=True)
    if found.returncode != 0:
        raise UserError(
            f"BASE {ref!r} is not a branch, tag or commit of this clone: fetch it "
            f"(`git fetch origin {ref}:{ref}`) or name one that exists, e.g. "
            "`make impact BASE=origin/main` or `make impact BASE=HEAD~1`")
    return ref

