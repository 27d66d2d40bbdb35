"""The CRM adapters (var source_system): the demo written in Salesforce's shape, as Fivetran
lands it, gives the same scores as the raw contract's build of the same data, lead by lead; the
few deleted leads end up in rejected_rows and nowhere else; the raw contract's CRM tables are not
read at all (they are dropped before the Salesforce build)."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from helpers import build, copy_project, query

from leadscore import demo, shapes

AS_OF = "2026-06-30"
# Every column of qualified_leads but the run's own time.
RUN_COLUMNS = {"scored_at", "run_started_at"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("source_systems")
    raw = root / "generated.duckdb"
    demo.generate(str(raw), leads=2_000, events_per_lead=20, quiet=True)
    con = duckdb.connect(str(raw))
    try:
        # Salesforce holds a close date, not a time: the contract build gets the same dates.
        con.execute("update raw.crm_opportunities set closed_at = date_trunc('day', closed_at)")
        written = shapes.write_salesforce(con, "raw", "salesforce")
    finally:
        con.close()
    project = copy_project(root / "project")
    contract_db, salesforce_db = root / "contract_build.duckdb", root / "salesforce_build.duckdb"
    shutil.copy(raw, contract_db)
    shutil.copy(raw, salesforce_db)
    con = duckdb.connect(str(salesforce_db))
    try:
        con.execute("drop table raw.crm_leads")
        con.execute("drop table raw.crm_opportunities")
    finally:
        con.close()
    skip_tests = ("--exclude", "resource_type:test", "resource_type:unit_test")
    build(project, contract_db, AS_OF, *skip_tests)
    build(project, salesforce_db, AS_OF, *skip_tests, "--vars",
          json.dumps({"score_as_of": AS_OF, "source_system": "salesforce"}))
    return {"written": written, "contract": contract_db, "salesforce": salesforce_db}


def mart_rows(db, mart: str) -> list[tuple]:
    columns = [row[0] for row in query(db, (
        "select column_name from information_schema.columns where table_schema = 'marts' "
        f"and table_name = '{mart}' order by ordinal_position"))
        if row[0] not in RUN_COLUMNS]
    return query(db, f"select {', '.join(columns)} from marts.{mart} order by all")


def test_salesforce_shape_holds_the_demo(builds):
    written = builds["written"]
    contract_leads = query(builds["contract"], "select count(*) from raw.crm_leads")[0][0]
    deleted = query(builds["salesforce"], "select count(*) from salesforce.lead where is_deleted")[0][0]
    # Every contract version, plus the deleted copies.
    assert written["lead"] == contract_leads + deleted
    assert 1 <= deleted <= 20
    # Both ways Salesforce links an opportunity to its lead are present.
    by_lead = query(builds["salesforce"],
                    "select count(*) from salesforce.lead where converted_opportunity_id is not null"
                    " and _fivetran_active")[0][0]
    assert by_lead > 50 and written["opportunity_contact_role"] > 50


@pytest.mark.parametrize("mart", ["qualified_leads", "lead_score_components", "sales_handoff",
                                  "account_scores"])
def test_salesforce_build_scores_every_lead_as_the_contract_build(builds, mart):
    contract = mart_rows(builds["contract"], mart)
    salesforce = mart_rows(builds["salesforce"], mart)
    assert len(contract) > 0
    assert salesforce == contract


def test_deleted_leads_are_rejected_and_scored_nowhere(builds):
    deleted = {row[0] for row in query(
        builds["salesforce"], "select id from salesforce.lead where is_deleted")}
    rejected = dict(query(builds["salesforce"],
                          "select lead_id, rejection_reason from marts.rejected_rows "
                          "where source_table = 'crm_leads' and lead_id like 'DEL-%'"))
    assert rejected == {lead_id: "deleted_in_crm" for lead_id in deleted}
    scored = query(builds["salesforce"],
                   "select count(*) from marts.qualified_leads where lead_id like 'DEL-%'")[0][0]
    assert scored == 0
