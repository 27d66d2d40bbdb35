"""Check the scoring seeds the way a reviewer would, before dbt loads them.

Revenue teams edit seeds/*.csv by hand in pull requests. Every mistake found here is reported
with the file, the line and what is wrong, e.g.

    seeds/engagement/engagement_weights.csv line 4 (event_type=email_open): half_life_days -3
    must be greater than 0

`make build` and `make test` run it before dbt (leadscore build); it exits 1 when it finds an
error. What it checks comes from seeds/_seeds.yml, the one schema of the seeds, which dbt reads
as well: the seeds and their columns (the header, in that order), each column's type
(config.column_types, or data_type, as dbt renders it for DuckDB), and the data tests. This
module knows kinds of check, never which seed or column gets one:

- not_null: the value is required (with a `where`, only on the rows it selects);
- unique, unique_combination_of_columns: no duplicate keys, text compared after normalisation
  (the way the SQL compares it);
- relationships, accepted_values, values_are_exactly: references and allowed values, compared
  exactly as dbt's tests compare them;
- value_between, value_at_least, value_above: ranges;
- matches_pattern: a regular expression every value matches;
- portable_regex: regular expressions that compile (in Python and in DuckDB's RE2) and use only
  the dialect DuckDB, Postgres and Spark share;
- bands_are_contiguous: bands without gaps or overlaps; lower_bounds_cover: grade, level and
  score bands that start at their lowest value and stay within the range;
- expression_is_true, expression_is_true_for_some_row: SQL expressions, evaluated by DuckDB on
  the rows of the file;
- valid_settings: settings seeds (one row per setting): every setting known and present, each
  value within its range, the weights summing to 1, thresholds in order.

A test's `where` (SQL, evaluated by DuckDB) selects the rows it applies to, config.meta.message
replaces the wording of its failure, and tests with severity warn (or kinds this module does
not know) are left to dbt.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from leadscore.paths import PROJECT as ROOT
from leadscore.options import main_for

# How a cell is read, by the type dbt gives the column (rendered for DuckDB).
TYPE_KINDS = [
    (r"(tiny|small|big|huge)?int(eger)?[0-9]*", "int"),
    (r"(decimal|numeric|double|double precision|float|real)([0-9]*|\(.*\))", "number"),
    (r"bool(ean)?", "bool"),
    (r"(varchar|char|character varying|string|text)(\(.*\))?", "text"),
]
# Backslash classes, \b and look-around read differently (or not at all) on DuckDB, Postgres
# and Spark.
NON_PORTABLE = [(r"\\", "a backslash (write [0-9] or [ ] instead of \\d or \\s; no \\b)"),
                (r"\(\?", "a (?...) group (look-around and flags are not portable)")]


def normalise(value: str) -> str:
    """The SQL's normalise_text: lower case, runs of other characters than letters and digits
    of any script, & and + as one space. Keys compared in SQL after it must be unique after it
    too."""
    return re.sub(r"(?:[^\w&+]|_)+", " ", value.replace("\0", "").lower()).strip()


# --- the schema: seeds/_seeds.yml -------------------------------------------------------------

@dataclass
class Check:
    """One data test of the YAML: its generic test name and what it was given."""
    name: str
    column: str | None
    args: dict
    where: str | None = None
    message: str | None = None


@dataclass
class Seed:
    name: str
    schema_file: str
    columns: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # column -> dbt type (for DuckDB)
    kinds: dict[str, str] = field(default_factory=dict)  # column -> int, number, bool, text
    required: set[str] = field(default_factory=set)
    required_messages: dict[str, str] = field(default_factory=dict)  # column -> meta.message
    checks: list[Check] = field(default_factory=list)
    file: str = ""  # the CSV, relative to the seeds folder

    @property
    def label(self) -> str:
        """The column that names a row in messages: the first one."""
        return self.columns[0]


def schema_files(seeds_dir: Path) -> list[Path]:
    """The YAML files describing the seeds: those in the seeds folder, or, for a folder of CSVs
    only (calibrate's candidate seeds), the project's."""
    for folder in (seeds_dir, ROOT / "seeds"):
        files = sorted(p for pattern in ("*.yml", "*.yaml") for p in folder.rglob(pattern))
        if files:
            return files
    return []


def render_type(text: str) -> str:
    """A column type as dbt renders it on DuckDB ("{{ 'string' if target.type == 'spark' else
    'varchar' }}" -> varchar)."""
    import jinja2

    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(str(text))
    return template.render(target={"type": "duckdb", "name": "duckdb"}).strip().lower()


def kind_of(data_type: str) -> str | None:
    for pattern, kind in TYPE_KINDS:
        if re.fullmatch(pattern, data_type):
            return kind
    return None


def tests_of(node: dict) -> list:
    return node.get("data_tests") or node.get("tests") or []


def parse_test(test, column: str | None) -> Check:
    if isinstance(test, str):
        name, body = test, {}
    else:
        ((name, body),) = test.items()
        body = body or {}
    config = body.get("config") or {}
    args = dict(body.get("arguments") or {})
    # dbt before 1.10 took the arguments beside config; still accepted.
    args.update({k: v for k, v in body.items()
                 if k not in ("arguments", "config", "name", "description")})
    name = name.split(".")[-1]  # dbt_utils.expression_is_true checks what ours does
    if str(config.get("severity", "error")).lower() == "warn":
        name = "warn:" + name  # a warning does not stop dbt: not checked here
    return Check(name, column, args, config.get("where"),
                 (config.get("meta") or {}).get("message"))


def load_schema(files: list[Path], report: "Report") -> dict[str, Seed]:
    seeds: dict[str, Seed] = {}
    for path in files:
        where = f"seeds/{path.name}" if path.parent.name == "seeds" else str(path)
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            report.errors.append(f"{where}: is not valid YAML: {str(error).splitlines()[0]}")
            continue
        if not isinstance(document, dict):
            continue
        for entry in document.get("seeds") or []:
            seed = Seed(entry["name"], where)
            column_types = (entry.get("config") or {}).get("column_types") or {}
            for column in entry.get("columns") or []:
                name = column["name"]
                seed.columns.append(name)
                data_type = column_types.get(name) or column.get("data_type")
                if data_type is None:
                    report.schema(seed, f"column {name} has no type: give it one in "
                                  "config.column_types")
                    data_type = "varchar"
                try:
                    seed.types[name] = render_type(data_type)
                except Exception as error:  # jinja2 raises several types
                    report.schema(seed, f"type of column {name} does not render: {error}")
                    seed.types[name] = "varchar"
                seed.kinds[name] = kind_of(seed.types[name]) or "text"
                if kind_of(seed.types[name]) is None:
                    report.schema(seed, f"column {name}: type {seed.types[name]!r} is not one "
                                  "the validator reads (integer, decimal, double, boolean, varchar)")
                for test in tests_of(column):
                    check = parse_test(test, name)
                    if check.name == "not_null" and not check.where:
                        seed.required.add(name)
                        if check.message:
                            seed.required_messages[name] = check.message
                    else:
                        seed.checks.append(check)
            for test in tests_of(entry):
                seed.checks.append(parse_test(test, None))
            for name in column_types:
                if name not in seed.columns:
                    report.schema(seed, f"column_types names {name}, which is not under columns")
            if not seed.columns:
                report.schema(seed, "lists no columns")
                continue
            seeds[seed.name] = seed
    return seeds


# --- reading the CSVs -------------------------------------------------------------------------

@dataclass
class Row:
    line: int
    raw: dict[str, str]  # the cells as written
    values: dict = field(default_factory=dict)  # the cells read by type; None when empty


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)

    def add(self, file: str, row: Row | None, key: str | None, message: str) -> None:
        where = f"seeds/{file}"
        if row is not None:
            where += f" line {row.line}"
            if key and row.raw.get(key):
                where += f" ({key}={row.raw[key]})"
        self.errors.append(f"{where}: {message}")

    def schema(self, seed: Seed, message: str) -> None:
        self.errors.append(f"{seed.schema_file}: seed {seed.name}: {message}")


def read(seeds_dir: Path, seed: Seed, report: Report) -> list[Row] | None:
    file, columns = seed.file, seed.columns
    path = seeds_dir / file
    # Excel's "CSV UTF-8" starts the file with a byte-order mark: utf-8-sig reads past it (dbt
    # seeds do as well).
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        report.add(file, Row(line, {}), None,
                   "is not UTF-8 text: save the file as 'CSV UTF-8' (Excel) or UTF-8")
        return None
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        report.add(file, Row(line, {}), None,
                   "contains a NUL character: save the file again as plain CSV text")
        return None
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            report.add(file, None, None, "file is empty")
            return None
        header = [name.strip() for name in header]
        if header != columns:
            missing = [c for c in columns if c not in header]
            extra = [c for c in header if c not in columns]
            detail = "; ".join(filter(None, [
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                "columns out of order" if not missing and not extra else "",
            ]))
            report.add(file, None, None, f"header must be {','.join(columns)} ({detail})")
            return None
        rows = []
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                report.add(file, Row(line_number, {}), None,
                           f"has {len(cells)} values, the header has {len(columns)} columns "
                           "(a comma inside a value needs double quotes)")
                continue
            rows.append(Row(line_number, dict(zip(columns, cells))))
        return rows


def parse_number(text: str, kind: str):
    text = text.strip()
    if kind == "int":
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise ValueError("is not a whole number")
        return int(text)
    try:
        return float(text)
    except ValueError:
        raise ValueError("is not a number") from None


def check_cells(seed: Seed, rows: list[Row], report: Report) -> list[Row]:
    """Types and required values; returns the rows whose values all parsed. Empty cells are
    None, as dbt loads them (null)."""
    good = []
    for row in rows:
        ok = True
        for column in seed.columns:
            raw = row.raw[column]
            value = raw.strip()
            kind = seed.kinds[column]
            row.values[column] = None
            if value == "":
                if column in seed.required:
                    report.add(seed.file, row, seed.label,
                               seed.required_messages.get(column, f"{column} is empty"))
                    ok = False
            elif kind in ("int", "number"):
                try:
                    row.values[column] = parse_number(value, kind)
                except ValueError as error:
                    report.add(seed.file, row, seed.label, f"{column} {raw!r} {error}")
                    ok = False
            elif kind == "bool":
                if value.lower() not in ("true", "false"):
                    report.add(seed.file, row, seed.label, f"{column} {raw!r} must be true or false")
                    ok = False
                else:
                    row.values[column] = value.lower() == "true"
            else:
                row.values[column] = raw
        if ok:
            good.append(row)
    return good


def check_regex(pattern: str) -> str | None:
    for token, why in NON_PORTABLE:
        if re.search(token, pattern):
            return f"pattern {pattern!r} uses {why}"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"pattern {pattern!r} does not compile: {error}"
    try:
        import duckdb

        duckdb.execute("select regexp_matches('', ?)", [pattern]).fetchone()
    except Exception as error:  # duckdb raises its own exception types
        return f"pattern {pattern!r} does not compile in DuckDB: {str(error).splitlines()[0]}"
    return None


# --- the checks -------------------------------------------------------------------------------

class Context:
    """The seeds read so far, the report, and SQL over the rows (DuckDB, in memory)."""

    def __init__(self, seeds: dict[str, Seed], report: Report):
        self.seeds = seeds
        self.report = report
        self.data: dict[str, list[Row]] = {}  # the rows whose values all parsed
        self.every_row: dict[str, list[Row]] = {}  # with the rows that failed, for references
        self._connection = None
        self._tables: set[str] = set()

    def rows(self, seed: str) -> list[Row]:
        return self.data.get(seed, [])

    def fail(self, seed: Seed, row: Row | None, check: Check, default: str,
             key: str | None = None, **fields) -> None:
        """Report a failed check in its own wording (config.meta.message) or the default."""
        message = default
        if check.message:
            values = dict(row.raw) if row is not None else {}
            if check.column:
                values.update(column=check.column,
                              value=row.raw.get(check.column) if row is not None else None)
            values.update(fields)
            try:
                message = check.message.format_map(values)
            except (KeyError, ValueError, IndexError, AttributeError) as error:
                self.report.schema(seed, f"{check.name} test: message {check.message!r} does "
                                   f"not format ({error!r}); fields are column, value, the "
                                   "seed's columns and to (relationships)")
        self.report.add(seed.file, row, key or seed.label, message)

    def lines_where(self, seed: Seed, condition: str) -> set[int]:
        """The lines of the seed's rows on which the SQL condition is true."""
        import duckdb

        if self._connection is None:
            self._connection = duckdb.connect()
        table = f'"{seed.name}"'
        if seed.name not in self._tables:
            columns = ", ".join(f'"{c}" {seed.types[c]}' for c in seed.columns)
            self._connection.execute(f"create table {table} (_line integer, {columns})")
            records = [[row.line] + [row.values[c] for c in seed.columns]
                       for row in self.rows(seed.name)]
            if records:
                self._connection.executemany(
                    f"insert into {table} values ({', '.join('?' * (len(seed.columns) + 1))})",
                    records)
            self._tables.add(seed.name)
        try:
            found = self._connection.execute(
                f"select _line from {table} where {condition}").fetchall()
        except duckdb.Error as error:
            self.report.schema(seed, f"SQL {condition!r} fails on DuckDB: "
                               f"{str(error).splitlines()[0]}")
            return set()
        return {line for (line,) in found}

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def number(value, what: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise ValueError(f"{what} must be a number, not {value!r}")


def check_not_null(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    for row in rows:
        if row.values[check.column] is None:
            ctx.fail(seed, row, check, f"{check.column} is empty")


def check_unique(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    column = check.column
    seen: dict = {}
    for row in rows:
        value = row.values[column]
        if value is None:
            continue
        comparable = normalise(value) if isinstance(value, str) else value
        if comparable in seen:
            ctx.fail(seed, row, check, f"duplicate {column} {value!r} (already on line "
                     f"{seen[comparable]})", key=column)
        else:
            seen[comparable] = row.line


def check_unique_combination(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    columns = list(check.args["combination"])
    seen: dict = {}
    for row in rows:
        values = tuple(row.values[c] for c in columns)
        comparable = tuple(normalise(v) if isinstance(v, str) else v for v in values)
        if comparable in seen:
            ctx.fail(seed, row, check, f"duplicate {', '.join(columns)} "
                     f"{', '.join(repr(v) for v in values)} (already on line {seen[comparable]})")
        else:
            seen[comparable] = row.line


def check_accepted_values(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    known = [str(v) for v in check.args["values"]]
    for row in rows:
        value = row.values[check.column]
        if value is not None and row.raw[check.column] not in known:
            ctx.fail(seed, row, check, f"unknown {check.column} {row.raw[check.column]!r}; "
                     f"known: {', '.join(sorted(known))}")


def check_values_are_exactly(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    check_accepted_values(ctx, seed, check, rows)
    present = {row.raw[check.column] for row in rows}
    for value in sorted(str(v) for v in check.args["values"]):
        if value not in present:
            ctx.fail(seed, None, check, f"{check.column} {value!r} is missing")


def check_relationships(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    target = re.fullmatch(r"""\s*ref\(\s*['"](\w+)['"]\s*\)\s*""", str(check.args["to"]))
    if not target or target.group(1) not in ctx.seeds:
        return  # a model: dbt checks it
    parent = ctx.seeds[target.group(1)]
    field_name = check.args["field"]
    # A parent row with a bad value in another column still names its key: the row's own error
    # is reported once, not again as a missing reference in every file that points at it.
    allowed = {row.values.get(field_name) for row in ctx.every_row.get(parent.name, [])}
    for row in rows:
        value = row.values[check.column]
        if value is not None and value not in allowed:
            ctx.fail(seed, row, check, f"{check.column} {value!r} is not in {parent.file}",
                     to=parent.file)


def check_range(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    low = number(check.args.get("min_value"), f"{check.name} min_value")
    high = number(check.args["max_value"], "max_value") if check.name == "value_between" else None
    for row in rows:
        value = row.values[check.column]
        if value is None:
            continue
        if check.name == "value_between" and not low <= value <= high:
            ctx.fail(seed, row, check, f"{check.column} {value:g} is outside {low:g}-{high:g}")
        elif check.name == "value_at_least" and value < low:
            ctx.fail(seed, row, check, f"{check.column} {value:g} is below "
                     + ("zero" if low == 0 else f"{low:g}"))
        elif check.name == "value_above" and value <= low:
            ctx.fail(seed, row, check, f"{check.column} {value:g} must be greater than {low:g}")


def check_matches_pattern(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    pattern = check.args["pattern"]
    for row in rows:
        value = row.values[check.column]
        if value is not None and not re.search(pattern, str(value)):
            ctx.fail(seed, row, check, f"{check.column} {value!r} does not match {pattern!r}")


def check_portable_regex(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    for row in rows:
        if row.values[check.column] is not None:
            problem = check_regex(row.raw[check.column])
            if problem:
                ctx.fail(seed, row, check, problem)


def check_bands(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    """Bands sorted by their lower bound must touch: the next band starts where this one ends
    (+1 for inclusive integer bounds)."""
    low, high = check.args["lower_bound"], check.args["upper_bound"]
    inclusive = bool(check.args.get("inclusive_upper_bound", True))
    label = seed.label
    ordered = sorted((r for r in rows if r.values[low] is not None and r.values[high] is not None),
                     key=lambda r: r.values[low])
    for row in ordered:
        if row.values[low] > row.values[high] or (not inclusive and row.values[low] == row.values[high]):
            ctx.fail(seed, row, check,
                     f"{low} {row.values[low]:g} is not below {high} {row.values[high]:g}")
    for previous, current in zip(ordered, ordered[1:]):
        expected = previous.values[high] + (1 if inclusive else 0)
        if current.values[low] > expected:
            ctx.fail(seed, current, check,
                     f"gap: {low} {current.values[low]:g} leaves "
                     f"{expected:g}..{current.values[low] - (1 if inclusive else 0):g} uncovered "
                     f"after band {previous.raw[label]!r} (line {previous.line})")
        elif current.values[low] < expected:
            ctx.fail(seed, current, check,
                     f"overlap: {low} {current.values[low]:g} falls inside band "
                     f"{previous.raw[label]!r} (line {previous.line}), which ends at "
                     f"{previous.values[high]:g}")


def check_lower_bounds(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    column = check.column
    lowest = number(check.args["lowest"], "lowest")
    highest = number(check.args["highest"], "highest")
    values = [row.values[column] for row in rows if row.values[column] is not None]
    for row in rows:
        value = row.values[column]
        if value is not None and not lowest <= value <= highest:
            ctx.fail(seed, row, check, f"{column} {value:g} is outside {lowest:g}-{highest:g}")
    if values and min(values) != lowest:
        ctx.fail(seed, None, check,
                 f"no row has {column} {lowest:g}: scores below the lowest bound would get no "
                 f"{seed.label} (the bands must cover {lowest:g}-{highest:g})")


def check_expression(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    expression = check.args["expression"]
    true_on = ctx.lines_where(seed, f"coalesce(({expression}), false)")
    if check.name == "expression_is_true":
        for row in rows:
            if row.line not in true_on:
                ctx.fail(seed, row, check, f"{expression} is not true")
    elif rows and not any(row.line in true_on for row in rows):
        ctx.fail(seed, None, check, f"no row has {expression}")


def check_settings(ctx: Context, seed: Seed, check: Check, rows: list[Row]) -> None:
    """A settings seed: one row per setting (check.column) and its value (value_column)."""
    rules = check.args["settings"]
    value_column = check.args["value_column"]
    settings = {}
    for row in rows:
        name, value = row.values[check.column], row.values[value_column]
        settings[name] = (row, value)
        if name not in rules:
            ctx.fail(seed, row, check, f"unknown {check.column} {name!r}; known: "
                     f"{', '.join(sorted(rules))}")
            continue
        rule = rules[name] or {}
        why = f" {rule['why']}" if rule.get("why") else ""
        low, high, above = rule.get("min_value"), rule.get("max_value"), rule.get("greater_than")
        if value is None:
            continue
        if rule.get("whole_number") and value != int(value):
            ctx.fail(seed, row, check, f"{name} {value:g} must be a whole number{why}")
        if above is not None and value <= above:
            ctx.fail(seed, row, check, f"{name} must be greater than {above:g}{why}")
        if low is not None and high is not None:
            if not low <= value <= high:
                ctx.fail(seed, row, check, f"{name} {value:g} is outside {low:g}-{high:g}{why}")
        elif low is not None and value < low:
            bound = "is below zero" if low == 0 else f"must be at least {low:g}"
            ctx.fail(seed, row, check, f"{name} {value:g} {bound}{why}")
        elif high is not None and value > high:
            ctx.fail(seed, row, check, f"{name} {value:g} is above {high:g}{why}")
    for name in sorted(set(rules) - set(settings)):
        ctx.fail(seed, None, check, f"{check.column} {name!r} is missing")

    def present(names):
        return all(settings.get(n, (None, None))[1] is not None for n in names)

    total_rule = check.args.get("sum_to_one") or {}
    names = total_rule.get("settings") or []
    if names and present(names):
        total = sum(settings[n][1] for n in names)
        if abs(total - 1) > 1e-9:
            why = f" {total_rule['why']}" if total_rule.get("why") else ""
            ctx.fail(seed, settings[names[0]][0], check,
                     f"{' + '.join(names)} = {total:g}; they must sum to 1{why}")
    for pair in check.args.get("in_order") or []:
        lower, higher = pair["lower"], pair["higher"]
        if present([lower, higher]) and not settings[lower][1] < settings[higher][1]:
            why = f" {pair['why']}" if pair.get("why") else ""
            ctx.fail(seed, settings[lower][0], check,
                     f"{lower} {settings[lower][1]:g} must be below {higher} "
                     f"{settings[higher][1]:g}{why}")


CHECKS = {
    "not_null": check_not_null,
    "unique": check_unique,
    "unique_combination_of_columns": check_unique_combination,
    "accepted_values": check_accepted_values,
    "values_are_exactly": check_values_are_exactly,
    "relationships": check_relationships,
    "value_between": check_range,
    "value_at_least": check_range,
    "value_above": check_range,
    "matches_pattern": check_matches_pattern,
    "portable_regex": check_portable_regex,
    "bands_are_contiguous": check_bands,
    "lower_bounds_cover": check_lower_bounds,
    "expression_is_true": check_expression,
    "expression_is_true_for_some_row": check_expression,
    "valid_settings": check_settings,
}
# Checked with the cell types, before the checks that read other files.
FIRST = ("unique", "unique_combination_of_columns")


def run_check(ctx: Context, seed: Seed, check: Check) -> None:
    rows = ctx.rows(seed.name)
    if check.where:
        selected = ctx.lines_where(seed, check.where)
        rows = [row for row in rows if row.line in selected]
    try:
        CHECKS[check.name](ctx, seed, check, rows)
    except (KeyError, TypeError, ValueError) as error:
        ctx.report.schema(seed, f"{check.name} test on {check.column or 'the seed'} cannot be "
                          f"checked: {error!r} (see its arguments)")


def locate(seeds_dir: Path, seeds: dict[str, Seed], report: Report) -> bool:
    """Find each seed's CSV (dbt names a seed after its file, in any folder); False when one
    is missing or ambiguous."""
    found: dict[str, list[Path]] = {}
    for path in sorted(seeds_dir.rglob("*.csv")):
        found.setdefault(path.stem, []).append(path.relative_to(seeds_dir))
    ok = True
    for name, seed in seeds.items():
        paths = found.pop(name, [])
        if len(paths) == 1:
            seed.file = paths[0].as_posix()
            continue
        ok = False
        if paths:
            report.add(paths[1].as_posix(), None, None, f"seed {name} is also at "
                       f"seeds/{paths[0].as_posix()} (dbt needs one file per seed name)")
        else:
            shipped = next((ROOT / "seeds").rglob(f"{name}.csv"), None)
            where = shipped.relative_to(ROOT / "seeds").as_posix() if shipped else f"{name}.csv"
            report.add(where, None, None, "file is missing")
    for name, paths in found.items():
        for path in paths:
            report.add(path.as_posix(), None, None,
                       f"no seed {name} in seeds/_seeds.yml: describe it there (column_types, "
                       "a description per column, tests) so that dbt and this check know it")
    return ok


def validate(seeds_dir: Path, schema: list[Path] | None = None) -> list[str]:
    report = Report()
    seeds = load_schema(schema or schema_files(seeds_dir), report)
    if report.errors or not seeds:
        if not seeds:
            report.errors.append(f"no seeds described in {schema or 'seeds/*.yml'}")
        return report.errors
    readable = locate(seeds_dir, seeds, report)
    ctx = Context(seeds, report)
    try:
        for seed in seeds.values():
            if not seed.file:
                continue
            rows = read(seeds_dir, seed, report)
            if rows is None:
                readable = False
                continue
            ctx.data[seed.name] = check_cells(seed, rows, report)
            ctx.every_row[seed.name] = rows
            for check in seed.checks:
                if check.name in FIRST:
                    run_check(ctx, seed, check)
        if not readable:
            # Checks across files would blame every row that refers to the unreadable one.
            return report.errors
        for seed in seeds.values():
            for check in seed.checks:
                if check.name in CHECKS and check.name not in FIRST:
                    run_check(ctx, seed, check)
    finally:
        ctx.close()
    return report.errors


@click.command("validate", help=__doc__.split("\n")[0])
@click.option("--seeds-dir", type=click.Path(path_type=Path), default=ROOT / "seeds",
              show_default=True, help="the folder of seed CSVs")
@click.option("--schema", type=click.Path(path_type=Path), multiple=True,
              help="the YAML describing the seeds (repeatable; default: the *.yml files in "
                   "--seeds-dir, else the project's seeds/_seeds.yml)")
def command(seeds_dir: Path, schema: tuple[Path, ...]) -> int:
    errors = validate(seeds_dir, list(schema) or None)
    if errors:
        print(f"{len(errors)} problem(s) in the seeds:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    count = sum(1 for _ in seeds_dir.rglob("*.csv"))
    print(f"seeds OK: {count} files checked")
    return 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
