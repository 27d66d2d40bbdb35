"""The structure rules of ../shared/CONVENTIONS.md, checked on dbt's manifest (and, when the demo
warehouse is built, the catalog of `dbt docs generate`) by leadscore.structure; and proof
that each rule names the offending node when broken."""

from __future__ import annotations

import copy
import json

import pytest

from helpers import ROOT

from leadscore import runner
from leadscore import structure as check_structure

WAREHOUSE = ROOT / "warehouse" / "leadscore.duckdb"


def run_dbt(*args: str, target: str) -> runner.DbtRun:
    result = runner.invoke([*args, "--target-path", target])
    assert result.success, result.output[-4000:]
    return result


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    target = tmp_path_factory.mktemp("target")
    run_dbt("parse", target=str(target))
    return json.loads((target / "manifest.json").read_text())


def test_the_project_follows_the_structure_rules(manifest):
    assert check_structure.violations(manifest) == []
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    marts = [n for n in models if n["original_file_path"].startswith("models/marts/")
             or n["original_file_path"].startswith(("models/history/lead_"))]
    # Every mart is public with an enforced contract, and declares a type for each column.
    assert {n["name"] for n in marts} >= {"qualified_leads", "lead_score_components",
                                          "rejected_rows", "lead_score_history",
                                          "lead_stage_changes", "account_scores", "sales_handoff"}
    for node in marts:
        assert all(c.get("data_type") for c in node["columns"].values()), node["name"]


@pytest.mark.parametrize("dbt_vars, adapter_models", [
    ({"source_system": "salesforce", "event_source": "segment"}, 12),
    ({"source_system": "hubspot"}, 7),
])
def test_the_source_adapters_follow_the_structure_rules(tmp_path, dbt_vars, adapter_models):
    # The adapters are disabled in the default parse: parse with them on.
    run_dbt("parse", "--vars", json.dumps(dbt_vars), target=str(tmp_path))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    adapters = {n["name"] for n in manifest["nodes"].values()
                if n["resource_type"] == "model" and n["name"].startswith(("base_salesforce__",
                                                                           "base_segment__",
                                                                           "base_hubspot__"))}
    assert len(adapters) == adapter_models
    assert check_structure.violations(manifest) == []


def test_docs_generate_is_clean_and_every_built_column_is_described(tmp_path):
    if not WAREHOUSE.exists():
        pytest.skip("the demo warehouse is not built (make build); the manifest test still ran")
    result = run_dbt("docs", "generate", target=str(tmp_path))
    assert result.warnings == []
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    assert check_structure.violations(manifest, catalog) == []


def test_the_semantic_layer_defines_the_three_metrics(manifest):
    metrics = {m["name"]: m for m in manifest["metrics"].values()}
    assert {"mql_count", "mql_to_opportunity_conversion_rate", "average_lead_score"} <= set(metrics)
    assert metrics["mql_to_opportunity_conversion_rate"]["type"] == "ratio"
    assert [s["name"] for s in manifest["semantic_models"].values()] == ["lead_stages"]


@pytest.mark.parametrize("breakage, expected", [
    (lambda m: m["nodes"]["model.leadscore.int_leads_scored"]["depends_on"]["nodes"].append(
        "source.leadscore.crm.crm_leads"),
     "model.leadscore.int_leads_scored: reads a source() outside staging"),
    (lambda m: m["nodes"]["model.leadscore.stg_crm__leads"]["depends_on"]["nodes"].append(
        "model.leadscore.stg_crm__opportunities"),
     "model.leadscore.stg_crm__leads: a staging model reads another model"),
    (lambda m: m["nodes"]["model.leadscore.account_scores"].update(description=" "),
     "model.leadscore.account_scores: no description"),
    (lambda m: m["nodes"]["model.leadscore.sales_handoff"]["columns"]["reason_1"].update(
        description=""),
     "model.leadscore.sales_handoff: column reason_1 has no description"),
    (lambda m: m["nodes"]["model.leadscore.qualified_leads"]["config"]["contract"].update(
        enforced=False),
     "model.leadscore.qualified_leads: a public model needs an enforced contract"),
    (lambda m: m["nodes"]["model.leadscore.backtest_lead_outcomes"].update(access="protected"),
     "model.leadscore.backtest_lead_outcomes: a mart must be public"),
    (lambda m: m["nodes"]["model.leadscore.int_fit_points_matched"].update(
        name="fit_points_matched"),
     "model.leadscore.int_fit_points_matched: an intermediate model must be"),
    (lambda m: m["nodes"]["model.leadscore.account_scores"].update(
        original_file_path="models/reporting/account_scores.sql",
        patch_path="leadscore://models/reporting/_reporting__models.yml"),
     "model.leadscore.account_scores: not under models/staging, intermediate, marts or history"),
    # The persisted score log is named as such and never rebuilt by --full-refresh.
    (lambda m: m["nodes"]["model.leadscore.score_log"]["config"].update(full_refresh=None),
     "model.leadscore.score_log: persisted history needs full_refresh=false"),
    (lambda m: m["nodes"]["model.leadscore.score_log"].update(name="lead_states_logged"),
     "model.leadscore.score_log: the persisted state is named score_log*"),
    (lambda m: m["nodes"]["model.leadscore.lead_stage_changes"]["config"]["contract"].update(
        enforced=False),
     "model.leadscore.lead_stage_changes: a public model needs an enforced contract"),
    (lambda m: [m["nodes"].pop(uid) for uid, node in list(m["nodes"].items())
                if node.get("attached_node") == "model.leadscore.account_scores"
                and node.get("column_name") == "account_domain"
                and node["test_metadata"]["name"] == "not_null"],
     "model.leadscore.account_scores: no primary key tested unique and not_null"),
    (lambda m: m["sources"]["source.leadscore.crm.crm_leads"].update(
        freshness={"warn_after": {"count": None}, "error_after": {"count": None}}),
     "source.leadscore.crm.crm_leads: source declares no freshness"),
    (lambda m: [m["nodes"][f"model.leadscore.{name}"]["config"].update(materialized="view")
                for name in ("int_events_deduplicated", "int_event_days_aggregated")],
     "model.leadscore.int_event_days_resolved: ends a chain of 4 views"),
    # sales_handoff reads marts (qualified_leads, lead_stage_changes): a mart reading it would
    # be two marts deep.
    (lambda m: m["nodes"]["model.leadscore.account_scores"]["depends_on"]["nodes"].append(
        "model.leadscore.sales_handoff"),
     "model.leadscore.account_scores: built on marts 2 deep (via "
     "model.leadscore.sales_handoff); at most 1"),
    (lambda m: m["exposures"]["exposure.leadscore.crm_sync"]["depends_on"]["nodes"].append(
        "model.leadscore.int_leads_scored"),
     "exposure.leadscore.crm_sync: depends on model.leadscore.int_leads_scored"),
    # int_leads_scored reads 6 relations; two more seeds make 8.
    (lambda m: m["nodes"]["model.leadscore.int_leads_scored"]["depends_on"]["nodes"].extend(
        ["seed.leadscore.score_bands", "seed.leadscore.icp_countries"]),
     "model.leadscore.int_leads_scored: joins 8 relations (at most 7)"),
    (lambda m: m["macros"]["macro.leadscore.exact_sum"].update(
        macro_sql=m["macros"]["macro.leadscore.exact_sum"]["macro_sql"]
        + "{{ ref('int_leads_scored') }}"),
     "macro.leadscore.exact_sum (macros/exact_sum.sql): a macro reads a relation"),
    (lambda m: m["macros"]["macro.leadscore.exact_sum"].update(
        original_file_path="macros/helpers.sql"),
     "macro.leadscore.exact_sum: lives in macros/helpers.sql, expected macros/.../exact_sum.sql"),
])
def test_each_rule_names_the_offending_node(manifest, breakage, expected):
    broken = copy.deepcopy(manifest)
    breakage(broken)
    problems = check_structure.violations(broken)
    assert any(p.startswith(expected) for p in problems), problems
    assert len(problems) == 1, problems
