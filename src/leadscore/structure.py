"""Check the project's structure rules (../shared/CONVENTIONS.md, after dbt-project-evaluator)
on dbt's target/manifest.json, and optionally catalog.json, naming each offending node.

    leadscore structure [--manifest target/manifest.json] [--catalog target/catalog.json]

Rules:
- no source() outside staging; a staging model reads no other model but base models (dbt Labs'
  base models: a source adapter's models, base_<source>__<name>, that rename a loader's
  tables into the raw contract's columns and link them, read by the staging models);
- every model has a primary key tested unique and not_null (one column with both tests, or a
  unique_combination_of_columns test whose columns are each tested not_null), but a base model,
  which keeps a loaded table's rows as they are (the staging model reading it keys them);
- every model, column, source and source table described; every source declares freshness;
  with a catalog, every column the warehouse holds is described in YAML too;
- names and folders carry their layer: staging/<source>/stg_<source>__<name> (or base_),
  intermediate/<area>/int_<name>, marts/ without a layer prefix, history/ for the persisted
  score log (score_log*, the state no build may rebuild: full_refresh false) and the history
  marts read from it, utilities/ for the semantic layer's time spine only; one
  _<folder>__models.yml per folder;
- public marts (access public) have enforced contracts, and every mart (history's included)
  is public;
- exposures depend only on public models;
- no chain of more than MAX_VIEW_CHAIN views (each would be recomputed by every reader);
- marts at most one deep: a mart may read marts that read no mart (MAX_MART_DEPTH), so a
  rule lives in an intermediate model, not in a chain of marts;
- no model joins more than MAX_PARENTS relations (models, seeds, sources it depends on:
  dbt-project-evaluator's limit), so a reviewer can hold a model's inputs in mind;
- no macro refs a model or reads a source: a macro is a pure helper (an expression, a
  dispatch); whatever reads a relation is a model, where the lineage shows it;
- one macro per file, named after it (its engine implementations, <engine>__<name>, beside
  it), opening with a docstring ({#- ... -#}).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from leadscore.paths import PROJECT as ROOT
from leadscore.options import main_for
# The semantic layer requires a time spine; it is neither staging, intermediate nor a mart.
UTILITY_MODELS = {"metricflow_time_spine"}
MAX_VIEW_CHAIN = 3
MAX_MART_DEPTH = 1
MAX_PARENTS = 7
# Engine prefixes of dispatched implementations (default__x, postgres__x, ...).
ENGINES = {"default", "duckdb", "postgres", "spark", "snowflake", "bigquery"}
# ref('...') or source('...') in a macro's body (a comment or a docstring counts too: keep
# the words apart there).
REF_CALL = re.compile(r"\b(ref|source)\s*\(\s*['\"]")


def _tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    tests: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node"):
            tests.setdefault(node["attached_node"], []).append(node)
    return tests


def _has_primary_key_test(tests: list[dict]) -> bool:
    by_column: dict[str, set[str]] = {}
    combinations = []
    for test in tests:
        meta = test.get("test_metadata") or {}
        name = meta.get("name")
        column = test.get("column_name")
        if column:
            by_column.setdefault(column, set()).add(name)
        if name == "unique_combination_of_columns":
            combinations.append(meta.get("kwargs", {}).get("combination") or [])
    if any({"unique", "not_null"} <= names for names in by_column.values()):
        return True
    return any(columns and all("not_null" in by_column.get(c, set()) for c in columns)
               for columns in combinations)


def violations(manifest: dict, catalog: dict | None = None, project: str = "leadscore") -> list[str]:
    problems: list[str] = []
    nodes = manifest["nodes"]
    tests = _tests_by_model(manifest)
    models = {uid: n for uid, n in nodes.items()
              if n["resource_type"] == "model" and n["package_name"] == project}

    def is_mart(uid: str) -> bool:
        """A mart: under models/marts, or a history model other than the score log's."""
        if uid not in models:
            return False
        node = models[uid]
        layer = Path(node["original_file_path"]).parts[1:2]
        return layer == ("marts",) or (layer == ("history",)
                                       and not node["name"].startswith("score_log")
                                       and node["config"].get("full_refresh") is not False)

    for uid, node in sorted(models.items()):
        name = node["name"]
        path = Path(node["original_file_path"])
        parts = path.parts  # ('models', layer, ...)
        layer = parts[1] if len(parts) > 2 else ""
        depends = node["depends_on"]["nodes"]

        # Lineage.
        if layer != "staging" and any(d.startswith("source.") for d in depends):
            problems.append(f"{uid}: reads a source() outside staging")
        read_models = [d for d in depends if d.startswith("model.")
                       and not d.split(".")[-1].startswith("base_")]
        if layer == "staging" and read_models:
            problems.append(f"{uid}: a staging model reads another model "
                            f"({', '.join(read_models)}); only base_ models may be read there")

        parents = sorted({d for d in depends if d.split(".", 1)[0] in ("model", "seed", "source", "snapshot")})
        if len(parents) > MAX_PARENTS:
            problems.append(f"{uid}: joins {len(parents)} relations (at most {MAX_PARENTS}): "
                            "gather some of them in a model of their own")

        # Names and folders.
        if layer == "staging":
            source = parts[2] if len(parts) > 3 else ""
            if not re.fullmatch(rf"(stg|base)_{re.escape(source)}__[a-z0-9_]+", name):
                problems.append(f"{uid}: a staging model must be "
                                f"models/staging/<source>/stg_<source>__<entity>s.sql "
                                "(or base_<source>__<entity>s.sql for a base model)")
        elif layer == "intermediate":
            if len(parts) < 4 or not name.startswith("int_"):
                problems.append(f"{uid}: an intermediate model must be "
                                "models/intermediate/<area>/int_<entity>s_<verb>ed.sql")
        elif layer == "marts":
            if name.startswith(("stg_", "int_")):
                problems.append(f"{uid}: a mart is named after its entity, without a layer prefix")
        elif layer == "history":
            if name.startswith(("stg_", "int_")):
                problems.append(f"{uid}: a history model is named after what it holds: "
                                "score_log* for the log, the entity for a history mart")
            if (node["config"].get("materialized") == "incremental"
                    and node["config"].get("full_refresh") is not False):
                problems.append(f"{uid}: persisted history needs full_refresh=false "
                                "(--full-refresh must not wipe it)")
            if node["config"].get("full_refresh") is False and not name.startswith("score_log"):
                problems.append(f"{uid}: the persisted state is named score_log*")
        elif layer == "utilities":
            if name not in UTILITY_MODELS:
                problems.append(f"{uid}: only {', '.join(sorted(UTILITY_MODELS))} may live in "
                                "models/utilities")
        else:
            problems.append(f"{uid}: not under models/staging, intermediate, marts or history")
        patch = node.get("patch_path") or ""
        yml = patch.split("://", 1)[-1]
        if not yml:
            problems.append(f"{uid}: no YAML describes it")
        else:
            folder = path.parent.name
            expected = path.parent / f"_{folder}__models.yml"
            if Path(yml) != expected:
                problems.append(f"{uid}: described in {yml}, expected {expected}")

        # Documentation.
        if not (node.get("description") or "").strip():
            problems.append(f"{uid}: no description")
        for column, spec in sorted(node.get("columns", {}).items()):
            if not (spec.get("description") or "").strip():
                problems.append(f"{uid}: column {column} has no description")
        if catalog is not None:
            entry = catalog.get("nodes", {}).get(uid)
            if entry is None:
                problems.append(f"{uid}: not in the catalog (not built?)")
            else:
                declared = {c.lower() for c in node.get("columns", {})}
                for column in sorted(c.lower() for c in entry["columns"]):
                    if column not in declared:
                        problems.append(f"{uid}: column {column} is in the warehouse but not "
                                        "described in YAML")

        # Tests.
        # A base model keeps a loaded table's rows (versions, deliveries sent twice) as they
        # are: the staging model that reads it gives them their key.
        if not name.startswith("base_") and not _has_primary_key_test(tests.get(uid, [])):
            problems.append(f"{uid}: no primary key tested unique and not_null")

        # Contracts.
        if is_mart(uid):
            if node.get("access") != "public":
                problems.append(f"{uid}: a mart must be public (access: public)")
            if not node["config"].get("contract", {}).get("enforced"):
                problems.append(f"{uid}: a public model needs an enforced contract")

    depth: dict[str, int] = {}

    def view_chain(uid: str) -> int:
        """Length of the longest chain of views ending in uid (0 if uid is not a view)."""
        if uid not in depth:
            node = nodes.get(uid, {})
            if node.get("resource_type") != "model" or node["config"].get("materialized") != "view":
                depth[uid] = 0
            else:
                depth[uid] = 1 + max((view_chain(d) for d in node["depends_on"]["nodes"]), default=0)
        return depth[uid]

    for uid in sorted(models):
        if view_chain(uid) > MAX_VIEW_CHAIN:
            problems.append(f"{uid}: ends a chain of {view_chain(uid)} views "
                            f"(at most {MAX_VIEW_CHAIN}); materialize one of them")

    mart_depth: dict[str, int] = {}

    def marts_below(uid: str) -> int:
        """How many marts deep uid is built: 0 for a mart reading no mart."""
        if uid not in mart_depth:
            read = [d for d in models[uid]["depends_on"]["nodes"] if is_mart(d)]
            mart_depth[uid] = 1 + max(marts_below(d) for d in read) if read else 0
        return mart_depth[uid]

    for uid in sorted(u for u in models if is_mart(u)):
        if marts_below(uid) > MAX_MART_DEPTH:
            chain = [d for d in models[uid]["depends_on"]["nodes"] if is_mart(d) and marts_below(d)]
            problems.append(f"{uid}: built on marts {marts_below(uid)} deep (via "
                            f"{', '.join(chain)}); at most {MAX_MART_DEPTH}: read the "
                            "intermediate model they are built on")

    for uid, source in sorted(manifest.get("sources", {}).items()):
        if source["package_name"] != project:
            continue
        if not (source.get("description") or "").strip():
            problems.append(f"{uid}: source table has no description")
        if not (source.get("source_description") or "").strip():
            problems.append(f"{uid}: its source has no description")
        freshness = source.get("freshness") or {}
        if not (freshness.get("warn_after", {}).get("count")
                or freshness.get("error_after", {}).get("count")):
            problems.append(f"{uid}: source declares no freshness")

    for uid, macro in sorted(manifest.get("macros", {}).items()):
        if macro.get("package_name") != project:
            continue
        if REF_CALL.search(macro.get("macro_sql") or ""):
            problems.append(f"{uid} ({macro['original_file_path']}): a macro reads a relation "
                            "(ref or source): make that query a model")
        # A generic test {% test x %} is the macro test_x, in a file named x.sql.
        name = macro["name"].removeprefix("test_") if "/tests/" in macro["original_file_path"] \
            else macro["name"]
        engine, _, base = name.partition("__")
        expected = base if base and engine in ENGINES else name
        file = Path(macro["original_file_path"])
        if file.suffix == ".sql" and file.stem != expected:
            problems.append(f"{uid}: lives in {file}, expected macros/.../{expected}.sql "
                            "(one macro per file, named after it)")
    for path in sorted({Path(m["original_file_path"]) for m in manifest.get("macros", {}).values()
                        if m.get("package_name") == project and m["original_file_path"].endswith(".sql")}):
        full = (ROOT / path) if not path.is_absolute() else path
        if full.exists() and not full.read_text(encoding="utf-8").lstrip().startswith("{#"):
            problems.append(f"{path}: a macro file opens with a docstring ({{#- what it is for -#}})")

    for uid, exposure in sorted(manifest.get("exposures", {}).items()):
        for dependency in exposure["depends_on"]["nodes"]:
            node = nodes.get(dependency, {})
            if node.get("resource_type") != "model" or node.get("access") != "public":
                problems.append(f"{uid}: depends on {dependency}, which is not a public model")
    return problems


@click.command("structure", help=__doc__.split("\n")[0])
@click.option("--manifest", default=str(ROOT / "target" / "manifest.json"), show_default=True,
              help="dbt's manifest.json (written by any dbt build, compile or parse)")
@click.option("--catalog", default=None, help="dbt's catalog.json, for the column checks")
def command(manifest: str, catalog: str | None) -> int:
    manifest = json.loads(Path(manifest).read_text())
    catalog = json.loads(Path(catalog).read_text()) if catalog else None
    problems = violations(manifest, catalog)
    for problem in problems:
        print(problem)
    print(f"structure: {len(problems)} problem(s)" if problems else "structure OK")
    return 1 if problems else 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
