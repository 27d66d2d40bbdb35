"""dbt, run in this process through dbtRunner: its results objects say what passed and failed, its
full log goes to logs/dbt.log, and the terminal gets one line per run (a progress bar while it
runs, on a terminal). Every command and test that runs dbt goes through `invoke`."""

from __future__ import annotations

import collections
import contextlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from leadscore.paths import PROJECT

FAILED = {"error", "fail", "runtime error"}
# Vars the project reads only when it compiles SQL (macros, model bodies), never while parsing
# (configs, sources, schema names): runs that differ only in these can share one parsed
# manifest. Any other var (raw_schema, bi_role, production_targets, ...) is part of the key.
RUNTIME_VARS = {"score_as_of", "backtest_as_of", "backtest_horizon_days", "accept_raw_shrink",
                "allow_history_beyond_data", "backtest_min_leads_per_band",
                "backtest_sweep_step", "calibration_dates", "incremental_lookback_days",
                "expose_pii"}
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "data-tests",
                 "analyses", "snapshots")
# The last few parsed manifests (a pytest worker builds many project copies: keep memory flat).
_manifests: "collections.OrderedDict[tuple, object]" = collections.OrderedDict()
KEEP_MANIFESTS = 3
CHECK_LINE = re.compile(r"(FAIL|ERROR) [a-z0-9_]+: ")


@dataclass
class DbtRun:
    """What one dbt invocation did."""

    command: str
    success: bool
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)  # status -> nodes
    failures: list[str] = field(default_factory=list)  # "FAIL name: message", in run order
    warned: list[str] = field(default_factory=list)  # "WARN name: message" of tests that warned
    messages: list[str] = field(default_factory=list)  # what the project's macros logged
    warnings: list[str] = field(default_factory=list)  # dbt's warning-level messages
    error: str = ""  # an exception that stopped dbt (parsing, compilation, connection), one line
    error_text: str = ""  # the same, as dbt wrote it
    results: list = field(default_factory=list)  # dbt's own result objects
    # Model and seed name -> the relation it is built as for this run's target (so the schema
    # names a reader queries are the target's, never written in Python).
    relations: dict[str, str] = field(default_factory=dict)

    @property
    def returncode(self) -> int:
        return 0 if self.success else 1

    @property
    def output(self) -> str:
        """The run as text: macro messages, failures, error and the status counts."""
        return "\n".join([*self.messages, *self.failures, *self.warned, self.error_text,
                          self.counts()])

    def status_of(self, node_name: str) -> str | None:
        """The status of the node called node_name in this run ('pass', 'success', ...)."""
        for result in self.results:
            if result.node.name == node_name:
                return status_text(result)
        return None

    def counts(self) -> str:
        return " ".join(f"{status.upper()}={count}" for status, count in sorted(self.statuses.items()))

    def first_error(self) -> str:
        """The one line that says the most: a failed check's remedy (the on-run-end hook's
        line), else the exception, else the first failed node."""
        for message in self.messages:
            if CHECK_LINE.match(message):
                return message
        if self.error:
            return self.error
        return self.failures[0] if self.failures else "see logs/dbt.log"

    def line(self) -> str:
        return f"{self.command}: {self.counts() or 'nothing to run'} ({self.seconds:.0f} s)"


def status_text(result) -> str:
    return str(getattr(result.status, "value", result.status)).lower()


def one_line(text: str) -> str:
    """An exception's message on one line: its non-empty lines joined by '; '."""
    parts = [part.strip().rstrip(":") for part in str(text).splitlines() if part.strip()]
    return "; ".join(parts)


@contextlib.contextmanager
def environment(values: dict[str, str] | None):
    """os.environ with values set for the block (profiles.yml reads LEADSCORE_DUCKDB etc.)."""
    saved = {name: os.environ.get(name) for name in (values or {})}
    os.environ.update(values or {})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def release_duckdb() -> None:
    """dbt-duckdb keeps its database open for the life of the process; close it, so that this
    process (or another) can open the file read-only after a run."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # an environment without dbt-duckdb (the Spark one)
        return
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            with contextlib.suppress(Exception):
                DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


class Progress:
    """A dbt event callback: collects the project's log messages and, on a terminal, draws a
    progress bar over the nodes of the run."""

    def __init__(self, label: str, show: bool):
        self.label, self.show, self.bar, self.messages, self.warnings = label, show, None, [], []

    def __call__(self, event) -> None:
        name = event.info.name
        if name == "JinjaLogInfo":
            self.messages.append(event.data.msg)
        elif event.info.level == "warn":
            self.warnings.append(event.info.msg)
        elif self.show and name in {"LogModelResult", "LogTestResult", "LogSeedResult",
                                    "LogSnapshotResult", "LogNodeNoOpResult"}:
            if self.bar is None:
                from tqdm import tqdm
                self.bar = tqdm(total=event.data.total, desc=self.label, unit="node", leave=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def parse_key(args: list[str], project: Path, env: dict[str, str] | None) -> tuple | None:
    """What a parsed manifest depends on: the project's files (path, size, mtime), the target,
    and the vars that are not RUNTIME_VARS. None when the run must parse for itself."""
    import yaml

    if args and args[0] in {"parse", "docs", "seed"} or "--target-path" in args:
        return None
    dbt_vars = {}
    if "--vars" in args:
        dbt_vars = yaml.safe_load(args[args.index("--vars") + 1]) or {}
    files = []
    for part in PROJECT_FILES:
        root = project / part
        paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        files.extend((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                     for path in paths if path.is_file())
    settings = {**os.environ, **(env or {})}
    return (str(project), tuple(files),
            tuple(sorted((k, v) for k, v in settings.items() if k.startswith(("LEADSCORE_", "DBT_")))),
            repr(sorted((k, v) for k, v in dbt_vars.items() if k not in RUNTIME_VARS)),
            *(args[i + 1] for i, arg in enumerate(args) if arg in {"--target", "-t"}))


def parse_options(command: list[str]) -> list[str]:
    """The options of command that `dbt parse` takes too (vars, target, folders, logging)."""
    valued = {"--vars", "--target", "-t", "--project-dir", "--profiles-dir", "--log-path"}
    flags = {"--no-use-colors", "--no-send-anonymous-usage-stats"}
    options = []
    for index, arg in enumerate(command):
        if arg in valued or arg == "--log-level":
            options += [arg, command[index + 1]]
        elif arg in flags:
            options.append(arg)
    return options


def invoke(args: list[str], project: Path = PROJECT, env: dict[str, str] | None = None,
           label: str | None = None, progress: bool = False) -> DbtRun:
    """Run `dbt <args>` on project in this process; nothing on the terminal but the progress bar
    (when progress is asked for and stderr is a terminal). The full log: project/logs/dbt.log
    (dbt writes it at debug level whatever the terminal's level)."""
    from dbt.cli.main import dbtRunner

    label = label or f"dbt {args[0]}"
    callback = Progress(label, progress and os.isatty(2))
    command = [*args, "--project-dir", str(project), "--profiles-dir", str(project),
               "--log-path", str(project / "logs"), "--log-level", "none", "--no-use-colors",
               "--no-send-anonymous-usage-stats"]
    started = time.monotonic()
    key = parse_key(args, project, env)
    try:
        with environment(env):
            manifest = _manifests.get(key) if key else None
            if key and manifest is None:
                # Parse once for every later run of this project that differs only in runtime
                # vars (a history replay, a test's daily builds): dbt re-parses on any var change.
                parsed = dbtRunner().invoke(["parse", *parse_options(command)])
                if parsed.success:
                    manifest = _manifests[key] = parsed.result
                    while len(_manifests) > KEEP_MANIFESTS:
                        _manifests.popitem(last=False)
            outcome = dbtRunner(manifest=manifest, callbacks=[callback]).invoke(command)
    finally:
        callback.close()
        release_duckdb()
    run = DbtRun(label, bool(outcome.success), time.monotonic() - started,
                 messages=callback.messages, warnings=callback.warnings)
    results = getattr(outcome.result, "results", None) or []
    run.results = list(results)
    nodes = manifest.nodes.values() if manifest is not None else [r.node for r in results]
    run.relations = {node.name: node.relation_name for node in nodes
                     if node.resource_type in ("model", "seed") and node.relation_name}
    for result in results:
        status = status_text(result)
        run.statuses[status] = run.statuses.get(status, 0) + 1
        line = f"{result.node.name}: {one_line(result.message or '')}"
        if status in FAILED:
            run.failures.append(f"{'FAIL' if status == 'fail' else 'ERROR'} {line}")
        elif status == "warn":
            run.warned.append(f"WARN {line}")
    # A check's own line (the on-run-end hook's: figures and remedy) says more than dbt's.
    for index, line in enumerate(run.warned):
        name = line.split(":", 1)[0]
        run.warned[index] = next((m for m in run.messages if m.startswith(f"{name}:")), line)
    if outcome.exception is not None:
        run.error, run.error_text = one_line(outcome.exception), str(outcome.exception)
    elif not outcome.success and not run.failures:
        run.error = run.error_text = "dbt did not finish (see logs/dbt.log)"
    return run
