"""The CRM adapters (var source_system): the demo written in Salesforce's shape, as Fivetran
lands it, gives the same scores as the raw contract's build of the same data, lead by lead; the
few deleted leads end up in rejected_rows and nowhere else; the raw contract's CRM tables are not
read at all (they are dropped before the Salesforce build)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import duckdb
import pytest

from helpers import assert_same_rows, build, copy_project, dbt, load_raw, query

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
        shapes.write_segment(con, "raw", "segment")
    finally:
        con.close()
    project = copy_project(root / "project")
    names = ("contract", "salesforce", "segment", "contract_latest", "hubspot")
    dbs = {name: root / f"{name}_build.duckdb" for name in names}
    # HubSpot holds each contact's latest version: its build is compared with the contract
    # build of those versions (contract_latest). Its shape moves some events out of the raw
    # contract's marketing_events.
    prepare = {"contract_latest": lambda con: shapes.keep_latest_versions(con, "raw"),
               "hubspot": lambda con: written.update(
                   {f"hubspot.{t}": n for t, n in shapes.write_hubspot(con, "raw", "hubspot").items()})}
    # Each shape's build finds only its own tables: the contract's are dropped.
    dropped = {"salesforce": ["raw.crm_leads", "raw.crm_opportunities"],
               "segment": ["raw.marketing_events"],
               "hubspot": ["raw.crm_leads", "raw.crm_opportunities"]}
    shape_vars = {"salesforce": {"source_system": "salesforce"},
                  "segment": {"event_source": "segment", "segment_user_id_is_lead_id": True},
                  "hubspot": {"source_system": "hubspot"}}
    skip_tests = ("--exclude", "resource_type:test", "resource_type:unit_test")
    for name, db in dbs.items():
        shutil.copy(raw, db)
        con = duckdb.connect(str(db))
        try:
            if name in prepare:
                prepare[name](con)
            for table in dropped.get(name, []):
                con.execute(f"drop table {table}")
        finally:
            con.close()
        # The HubSpot build runs every data test (the raw rows of its tables are accounted for).
        build(project, db, AS_OF, *(() if name == "hubspot" else skip_tests), "--vars",
              json.dumps({"score_as_of": AS_OF, **shape_vars.get(name, {})}))
    return {"written": written, **dbs}


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


@pytest.mark.parametrize("shape", ["salesforce", "segment", "hubspot"])
@pytest.mark.parametrize("mart", ["qualified_leads", "lead_score_components", "sales_handoff",
                                  "account_scores"])
def test_each_shape_scores_every_lead_as_the_contract_build(builds, shape, mart):
    contract = mart_rows(builds["contract_latest" if shape == "hubspot" else "contract"], mart)
    assert len(contract) > 0
    if shape == "hubspot":
        # A lead's email events are counted under its address, its other events under its id,
        # and the two sums added: the same terms in another grouping, which may land one unit
        # apart in the last of the published decimals.
        assert_same_rows({mart: mart_rows(builds[shape], mart)}, {mart: contract}, 1e-9)
    else:
        assert mart_rows(builds[shape], mart) == contract


def test_hubspot_shape_moves_form_submissions_and_email_events(builds):
    written = builds["written"]
    # Every contact (the latest version of each lead, and the rows without an id), every deal.
    assert written["hubspot.contact"] == query(
        builds["contract_latest"], "select count(*) from raw.crm_leads")[0][0]
    assert written["hubspot.deal"] == query(
        builds["contract"], "select count(*) from raw.crm_opportunities")[0][0]
    assert written["hubspot.contact_form_submission"] > 500
    # Opens, clicks and bounces, and as many DELIVERED rows as opens (no events).
    by_type = dict(query(builds["hubspot"], "select type, count(*) from hubspot.email_event "
                                            "group by 1"))
    assert by_type["OPEN"] > 1000 and by_type["CLICK"] > 300 and by_type["DELIVERED"] == by_type["OPEN"]
    # Each moved event is an event of the HubSpot build: used or rejected, as the contract's.
    moved = query(builds["hubspot"], "select count(*) from intermediate.int_events_deduplicated "
                                     "where event_id like 'email_event:%' "
                                     "or event_id like 'contact_form_submission:%'")[0][0]
    assert moved > 0


def test_segment_build_rejects_the_same_events_as_the_contract_build(builds):
    rejected = ("select rejection_reason, count(*) from marts.rejected_rows "
                "where source_table = 'marketing_events' group by 1 order by 1")
    contract = query(builds["contract"], rejected)
    assert len(contract) >= 3
    assert query(builds["segment"], rejected) == contract


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


# A hand-made Salesforce org, as Fivetran lands it (History Mode for lead). Worked out by hand:
# - L1 has two versions: a Student until 2026-03-01, a VP Marketing after; budget confirmed and
#   a use case in the custom fields Budget_Confirmed__c and Use_Case__c.
# - L2 was converted with its opportunity O1 (ConvertedOpportunityId): won on 2026-03-01.
# - L3 and L4 were converted into contacts C3 and C4 only. O2 has the primary role of C9 (no
#   lead) and a role of C3: it is L3's. O3 has roles of C3 and C4, C4 primary: it is L4's, lost.
# - O4 has only C9 (and a deleted role of C3): no lead, rejected. L5 is deleted: rejected.
# - Activities: L1 attended campaign WEB1 on 2026-02-20 (webinar_attended); C2 (L2's contact) was
#   merely Sent a campaign (no event); C9 (no lead) registered on 2026-02-21 (an event that names
#   no lead: rejected); a call with C2 on 2026-02-25 is L2's (sales_call); a plain task with L3
#   is no event; a meeting with L4 on 2026-03-05 (meeting_held); a deleted meeting with L1 is
#   not read.
SF_LEAD_COLUMNS = (
    "id", "is_deleted", "email", "first_name", "last_name", "title", "company", "website",
    "industry", "number_of_employees", "annual_revenue", "country", "lead_source",
    "has_opted_out_of_email", "budget_confirmed_c", "purchase_timeline_c", "use_case_c",
    "converted_contact_id", "converted_opportunity_id", "created_date", "last_modified_date",
    "_fivetran_start", "_fivetran_synced")
SF_LEADS = [
    ("L1", False, "ann@acme.com", "Ann", "Lee", "Student", "Acme", "acme.com", "Software", 500,
     5e7, "US", "webinar", False, True, "0-3 months", "Lead routing", None, None,
     "2026-01-05", "2026-01-10", "2026-01-10", "2026-01-10"),
    ("L1", False, "ann@acme.com", "Ann", "Lee", "VP Marketing", "Acme", "acme.com", "Software",
     500, 5e7, "US", "webinar", False, True, "0-3 months", "Lead routing", None, None,
     "2026-01-05", "2026-03-01", "2026-03-01", "2026-03-01"),
    ("L2", False, "bo@beta.io", "Bo", "Ng", "Engineer", "Beta", "beta.io", None, None, None,
     "DE", "referral", False, None, None, None, "C2", "O1", "2026-01-20", "2026-02-10",
     "2026-02-10", "2026-02-10"),
    ("L3", False, "cy@gamma.io", "Cy", "Ok", None, "Gamma", None, None, None, None, None, None,
     False, None, None, None, "C3", None, "2026-01-20", "2026-01-20", "2026-01-20", "2026-01-20"),
    ("L4", False, "di@delta.io", "Di", "Fu", None, "Delta", None, None, None, None, None, None,
     False, None, None, None, "C4", None, "2026-01-20", "2026-01-20", "2026-01-20", "2026-01-20"),
    ("L5", True, "ed@eps.io", "Ed", "Yu", "CEO", "Eps", None, None, None, None, None, None,
     False, None, None, None, None, None, "2026-01-20", "2026-01-25", "2026-01-25", "2026-01-25"),
]
SF_OPPORTUNITY_COLUMNS = ("id", "is_deleted", "is_closed", "is_won", "amount", "created_date",
                          "close_date", "_fivetran_synced")
SF_OPPORTUNITIES = [
    ("O1", False, True, True, 10000.0, "2026-02-10", "2026-03-01", "2026-03-01"),
    ("O2", False, False, False, 5000.0, "2026-02-12", "2026-05-01", "2026-02-12"),
    ("O3", False, True, False, 7000.0, "2026-02-14", "2026-03-10", "2026-03-10"),
    ("O4", False, False, False, None, "2026-02-14", "2026-05-01", "2026-02-14"),
]
SF_MEMBER_COLUMNS = ("id", "campaign_id", "lead_id", "contact_id", "status", "last_modified_date",
                     "is_deleted", "_fivetran_synced")
SF_MEMBERS = [
    ("CM1", "WEB1", "L1", None, "Attended", "2026-02-20 15:00:00", False, "2026-02-20 16:00:00"),
    ("CM2", "WEB1", None, "C2", "Sent", "2026-02-18 09:00:00", False, "2026-02-18 10:00:00"),
    ("CM3", "WEB1", None, "C9", "Registered", "2026-02-21 09:00:00", False, "2026-02-21 10:00:00"),
]
SF_TASK_COLUMNS = ("id", "who_id", "task_subtype", "created_date", "is_deleted", "_fivetran_synced")
SF_TASKS = [
    ("T1", "C2", "Call", "2026-02-25 11:00:00", False, "2026-02-25 12:00:00"),
    ("T2", "L3", "Task", "2026-02-26 11:00:00", False, "2026-02-26 12:00:00"),
]
SF_EVENT_COLUMNS = ("id", "who_id", "event_subtype", "start_date_time", "is_deleted",
                    "_fivetran_synced")
SF_EVENTS = [
    ("E1", "L4", "Event", "2026-03-05 14:00:00", False, "2026-03-01 12:00:00"),
    ("E2", "L1", "Event", "2026-03-06 14:00:00", True, "2026-03-01 12:00:00"),
]
SF_ROLE_COLUMNS = ("id", "opportunity_id", "contact_id", "is_primary", "is_deleted")
SF_ROLES = [
    ("R1", "O2", "C9", True, False), ("R2", "O2", "C3", False, False),
    ("R3", "O3", "C3", False, False), ("R4", "O3", "C4", True, False),
    ("R5", "O4", "C9", True, False), ("R6", "O4", "C3", True, True),
]
# Airbyte names its columns by the API name.
AIRBYTE_NAMES = {
    "id": "Id", "is_deleted": "IsDeleted", "email": "Email", "first_name": "FirstName",
    "last_name": "LastName", "title": "Title", "company": "Company", "website": "Website",
    "industry": "Industry", "number_of_employees": "NumberOfEmployees",
    "annual_revenue": "AnnualRevenue", "country": "Country", "lead_source": "LeadSource",
    "has_opted_out_of_email": "HasOptedOutOfEmail", "budget_confirmed_c": "Budget_Confirmed__c",
    "purchase_timeline_c": "Purchase_Timeline__c", "use_case_c": "Use_Case__c",
    "converted_contact_id": "ConvertedContactId",
    "converted_opportunity_id": "ConvertedOpportunityId", "created_date": "CreatedDate",
    "last_modified_date": "LastModifiedDate", "_fivetran_start": "_airbyte_start",
    "_fivetran_synced": "_airbyte_extracted_at", "is_closed": "IsClosed", "is_won": "IsWon",
    "amount": "Amount", "close_date": "CloseDate", "opportunity_id": "OpportunityId",
    "contact_id": "ContactId", "is_primary": "IsPrimary", "campaign_id": "CampaignId",
    "lead_id": "LeadId", "status": "Status", "who_id": "WhoId", "task_subtype": "TaskSubtype",
    "event_subtype": "EventSubtype", "start_date_time": "StartDateTime",
}


def load_crm(db, schema: str, tables: dict) -> None:
    """An empty raw.marketing_events, the raw contract's CRM tables dropped, and each CRM table
    in schema: {table: (column names, rows, the columns that are timestamps)}."""
    load_raw(db, [], [], [])
    con = duckdb.connect(str(db))
    try:
        con.execute("drop table raw.crm_leads")
        con.execute("drop table raw.crm_opportunities")
        con.execute(f"create schema {schema}")
        for table, (names, rows, timestamps) in tables.items():
            con.execute(f"create table {schema}.{table} as select * from (values "
                        + ", ".join("(" + ", ".join("?" for _ in names) + ")" for _ in rows)
                        + f") as t({', '.join(names)})", [v for row in rows for v in row])
            for name in timestamps:
                con.execute(f"alter table {schema}.{table} alter {name} type timestamp")
    finally:
        con.close()


def load_salesforce(db, airbyte: bool = False) -> None:
    tables = {}
    for table, columns, rows in (("lead", SF_LEAD_COLUMNS, SF_LEADS),
                                 ("opportunity", SF_OPPORTUNITY_COLUMNS, SF_OPPORTUNITIES),
                                 ("opportunity_contact_role", SF_ROLE_COLUMNS, SF_ROLES),
                                 ("campaign_member", SF_MEMBER_COLUMNS, SF_MEMBERS),
                                 ("task", SF_TASK_COLUMNS, SF_TASKS),
                                 ("event", SF_EVENT_COLUMNS, SF_EVENTS)):
        names = [f'"{AIRBYTE_NAMES.get(c, c) if airbyte else c}"' for c in columns]
        tables[table] = (names, rows, [name for name, column in zip(names, columns)
                                       if column.endswith(("_date", "_start", "_synced", "_time"))])
    load_crm(db, "salesforce", tables)


SF_VARS = {"source_system": "salesforce"}


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory):
    root = tmp_path_factory.mktemp("salesforce_by_hand")
    project = copy_project(root / "project")
    fivetran, airbyte = root / "fivetran.duckdb", root / "airbyte.duckdb"
    load_salesforce(fivetran)
    load_salesforce(airbyte, airbyte=True)
    build(project, fivetran, "2026-03-31", "--vars", json.dumps({**SF_VARS, "score_as_of": "2026-03-31"}))
    # The data tests ran on the first build; this one only needs the marts.
    build(project, airbyte, "2026-02-15", "--exclude", "resource_type:test", "resource_type:unit_test",
          "--vars", json.dumps({**SF_VARS, "score_as_of": "2026-02-15"}))
    return {"project": project, "fivetran": fivetran, "airbyte": airbyte}


LEAD_VIEW = ("select lead_id, job_title, meets_bant_budget, meets_bant_need, has_opportunity, "
             "opportunity_stage from marts.qualified_leads order by lead_id")


def test_conversion_links_and_versions_as_worked_out_by_hand(hand_made):
    assert query(hand_made["fivetran"], LEAD_VIEW) == [
        ("L1", "VP Marketing", True, True, False, None),
        ("L2", "Engineer", False, False, True, "closed won"),
        ("L3", None, False, False, True, "open"),
        ("L4", None, False, False, True, "closed lost"),
    ]
    assert query(hand_made["fivetran"], "select source_row_key, lead_id, rejection_reason "
                 "from marts.rejected_rows where source_table <> 'marketing_events' order by 1") == [
        ("L5", "L5", "deleted_in_crm"),
        ("O4#1", None, "missing_lead_id"),
    ]


def test_activities_are_events_of_the_lead_or_its_converted_contact(hand_made):
    assert query(hand_made["fivetran"], "select event_id, lead_id, event_type, occurred_at "
                 "from intermediate.int_events_deduplicated order by event_id") == [
        ("campaign_member:CM1:attended", "L1", "webinar_attended", datetime(2026, 2, 20, 15)),
        ("campaign_member:CM3:registered", None, "webinar_registered", datetime(2026, 2, 21, 9)),
        ("event:E1", "L4", "meeting_held", datetime(2026, 3, 5, 14)),
        ("task:T1", "L2", "sales_call", datetime(2026, 2, 25, 11)),
    ]
    assert query(hand_made["fivetran"], "select source_row_key, rejection_reason "
                 "from marts.rejected_rows where source_table = 'marketing_events'") == [
        ("campaign_member:CM3:registered#1", "missing_lead_reference")]
    # The one weighted type: webinar_attended, 8 points (frozen engagement_weights.csv).
    assert query(hand_made["fivetran"], "select lead_id, event_count, raw_points from "
                 "marts.lead_score_components where score_type = 'engagement' order by 1") == [
        ("L1", 1, 8.0)]


def test_airbyte_spelling_and_a_past_date_read_that_dates_version(hand_made):
    # As of 2026-02-15 L1 was still a Student and O1 and O3 were open.
    assert query(hand_made["airbyte"], LEAD_VIEW) == [
        ("L1", "Student", True, True, False, None),
        ("L2", "Engineer", False, False, True, "open"),
        ("L3", None, False, False, True, "open"),
        ("L4", None, False, False, True, "open"),
    ]


def test_a_mapped_field_the_table_lacks_is_named_in_one_line(hand_made, tmp_path):
    db = tmp_path / "missing.duckdb"
    shutil.copy(hand_made["fivetran"], db)
    con = duckdb.connect(str(db))
    try:
        con.execute("alter table salesforce.lead drop column use_case_c")
    finally:
        con.close()
    run = dbt(hand_made["project"], db, "run", "-s", "base_salesforce__leads", "--vars",
              json.dumps({**SF_VARS, "score_as_of": "2026-03-31"}), check=False)
    assert not run.success
    assert ("seeds/mappings/source_fields.csv, row salesforce,lead,use_case: "
            '"missing"."salesforce"."lead" has no column Use_Case__c: write the field as the '
            "loader landed it (its API name, say Budget_Confirmed__c), or leave source_field "
            "blank to score without use_case") in run.first_error()



# A hand-made HubSpot portal: the contact table as Airbyte lands it (properties_<name>,
# archived), the others as Fivetran does. Worked out by hand, as of 2026-03-31:
# - 101 (Ann): numemployees 100-500 -> 100 employees; source ORGANIC_SEARCH matches the seed's
#   organic_search (3 points); budget confirmed. 102 (Bo): 1000+ -> 1000; REFERRALS matches no
#   seed row (referral is another word): no source points. 103 is archived: rejected.
# - Deal D1 (won 2026-03-01) has contacts 102 and 101: it is 101's, created first. D3 (lost) is
#   102's. D2 has no contact: rejected, missing_lead_id.
# - Bo submitted a form on 02-15 (form_submit, 5 points). An email to ' ANN@acme.com' was
#   DELIVERED (no event) and OPENed on 02-10 (email_open, 1 point, Ann's by her address); a
#   click by nobody@x.io names no lead: rejected, unmatched_lead.
HS_CONTACT_COLUMNS = (
    "id", "archived", "properties_email", "properties_firstname", "properties_lastname",
    "properties_jobtitle", "properties_company", "properties_website", "properties_industry",
    "properties_numemployees", "properties_annualrevenue", "properties_country",
    "properties_hs_analytics_source", "properties_hs_email_optout",
    "properties_budget_confirmed", "properties_purchase_timeline", "properties_use_case",
    "properties_createdate", "properties_lastmodifieddate", "_airbyte_extracted_at")
HS_CONTACTS = [
    ("101", False, "ann@acme.com", "Ann", "Lee", "VP Marketing", "Acme", "acme.com", "Software",
     "100-500", 5e7, "US", "ORGANIC_SEARCH", False, True, "0-3 months", "Lead routing",
     "2026-01-05 09:00:00", "2026-03-01 09:00:00", "2026-03-01 10:00:00"),
    ("102", False, "bo@beta.io", "Bo", "Ng", "Engineer", "Beta", "beta.io", None, "1000+", None,
     "DE", "REFERRALS", False, None, None, None, "2026-01-10 09:00:00", "2026-01-10 09:00:00",
     "2026-01-10 10:00:00"),
    ("103", True, "cy@gamma.io", "Cy", "Ok", None, None, None, None, None, None, None, None,
     False, None, None, None, "2026-01-12 09:00:00", "2026-01-20 09:00:00",
     "2026-01-20 10:00:00"),
]
HS_TABLES = {
    "deal": (("deal_id", "is_deleted", "deal_pipeline_stage_id", "property_amount",
              "property_createdate", "property_closedate", "_fivetran_synced"), [
        ("D1", False, "closedwon", 1000.0, "2026-02-01 09:00:00", "2026-03-01 00:00:00",
         "2026-03-01 10:00:00"),
        ("D2", False, "appointmentscheduled", None, "2026-02-02 09:00:00", None,
         "2026-02-02 10:00:00"),
        ("D3", False, "closedlost", 500.0, "2026-02-05 09:00:00", "2026-02-20 00:00:00",
         "2026-02-20 10:00:00")]),
    "deal_contact": (("deal_id", "contact_id", "_fivetran_synced"), [
        ("D1", "102", "2026-02-01 10:00:00"), ("D1", "101", "2026-02-01 10:00:00"),
        ("D3", "102", "2026-02-05 10:00:00")]),
    "deal_pipeline_stage": (("stage_id", "label", "closed_won", "is_closed", "_fivetran_deleted"), [
        ("appointmentscheduled", "Appointment scheduled", False, False, False),
        ("closedwon", "Closed won", True, True, False),
        ("closedlost", "Closed lost", False, True, False)]),
    "contact_form_submission": (("conversion_id", "contact_id", "timestamp", "page_url", "title",
                                 "_fivetran_synced"), [
        ("F1", "102", "2026-02-15 10:00:00", "https://beta.io/contact", "Contact us",
         "2026-02-15 11:00:00")]),
    "email_event": (("id", "type", "recipient", "created", "email_campaign_id",
                     "_fivetran_synced"), [
        ("E1", "OPEN", " ANN@acme.com", "2026-02-10 09:00:00", "42", "2026-02-10 10:00:00"),
        ("E2", "DELIVERED", "ann@acme.com", "2026-02-10 08:59:00", "42", "2026-02-10 10:00:00"),
        ("E3", "CLICK", "nobody@x.io", "2026-02-11 09:00:00", "42", "2026-02-11 10:00:00")]),
}


@pytest.fixture(scope="module")
def hubspot_portal(tmp_path_factory):
    root = tmp_path_factory.mktemp("hubspot_by_hand")
    project = copy_project(root / "project")
    db = root / "portal.duckdb"
    load_crm(db, "hubspot", {
        table: (columns, rows, [c for c in columns if c.endswith("date") or c in (
            "created", "timestamp", "_fivetran_synced", "_airbyte_extracted_at")])
        for table, (columns, rows) in {"contact": (HS_CONTACT_COLUMNS, HS_CONTACTS),
                                       **HS_TABLES}.items()})
    # Every data test runs: the portal's rows are all accounted for.
    build(project, db, "2026-03-31", "--vars",
          json.dumps({"source_system": "hubspot", "score_as_of": "2026-03-31"}))
    return db


def test_hubspot_contacts_deals_and_events_as_worked_out_by_hand(hubspot_portal):
    db = hubspot_portal
    assert query(db, "select lead_id, employee_count from staging.base_hubspot__contacts "
                     "order by 1") == [("101", 100), ("102", 1000), ("103", None)]
    assert query(db, LEAD_VIEW) == [
        ("101", "VP Marketing", True, True, True, "closed won"),
        ("102", "Engineer", False, False, True, "closed lost"),
    ]
    assert query(db, "select source_table, source_row_key, rejection_reason "
                     "from marts.rejected_rows order by 1, 2") == [
        ("crm_leads", "103", "deleted_in_crm"),
        ("crm_opportunities", "D2#1", "missing_lead_id"),
        ("marketing_events", "email_event:E3#1", "unmatched_lead"),
    ]
    assert query(db, "select lead_id, rule_name, event_count, raw_points "
                     "from marts.lead_score_components where score_type = 'engagement' "
                     "order by 1") == [("101", "email_open", 1, 1.0), ("102", "form_submit", 1, 5.0)]
    assert query(db, "select lead_id, raw_points from marts.lead_score_components "
                     "where score_type = 'fit' and dimension = 'lead_source' order by 1") == [
        ("101", 3.0)]

def test_a_mistyped_source_system_is_named_in_one_line(hand_made):
    run = dbt(hand_made["project"], hand_made["fivetran"], "parse", "--vars",
              json.dumps({"source_system": "salesfroce"}), check=False)
    assert not run.success
    assert ("var source_system must be one of contract, salesforce, hubspot, got 'salesfroce': set it in "
            "dbt_project.yml or --vars '{source_system: salesforce}'") in run.first_error()


# A hand-made Segment workspace beside a contract CRM. Worked out by hand:
# - visitor A1 viewed the pricing page (P1, 2026-02-01) and requested a demo (T1, 2026-02-02)
#   anonymously, then an identify (2026-02-03) linked A1 to user U1 and the email Ann@Acme.com:
#   both earlier calls are L1's, as is T2 (Webinar Attended, logged in, 2026-02-05) and T4
#   (Button Clicked: no mapping, so the type button_clicked, which no weight knows);
# - visitor A2 was never identified: its page view (P2) names no lead;
# - user U2 is identified as zed@nowhere.io, which no lead has: its demo request (T3) is
#   unmatched.
SEG_TRACK_COLUMNS = ("id", "anonymous_id", "user_id", "event", "timestamp", "received_at",
                     "context_page_url", "context_campaign_name")
SEG_TRACKS = [
    ("T1", "A1", None, "Demo Requested", "2026-02-02 10:00:00", "2026-02-02 10:00:05", None, None),
    ("T2", "A1", "U1", "Webinar Attended", "2026-02-05 10:00:00", "2026-02-05 10:00:05", None,
     "spring"),
    ("T3", "A3", "U2", "Demo Requested", "2026-02-06 10:00:00", "2026-02-06 10:00:05", None, None),
    ("T4", "A1", "U1", "Button Clicked", "2026-02-07 10:00:00", "2026-02-07 10:00:05", None, None),
]
SEG_PAGE_COLUMNS = ("id", "anonymous_id", "user_id", "name", "url", "timestamp", "received_at",
                    "context_campaign_name")
SEG_PAGES = [
    ("P1", "A1", None, "Pricing", "https://acme.example/pricing", "2026-02-01 09:00:00",
     "2026-02-01 09:00:05", None),
    ("P2", "A2", None, None, "https://acme.example/blog", "2026-02-01 09:30:00",
     "2026-02-01 09:30:05", None),
]
SEG_IDENTIFY_COLUMNS = ("id", "anonymous_id", "user_id", "email", "timestamp")
SEG_IDENTIFIES = [
    ("I1", "A1", "U1", "Ann@Acme.com", "2026-02-03 12:00:00"),
    ("I2", "A3", "U2", "zed@nowhere.io", "2026-02-06 09:00:00"),
]


@pytest.fixture(scope="module")
def segment_by_hand(tmp_path_factory):
    root = tmp_path_factory.mktemp("segment_by_hand")
    db = root / "workspace.duckdb"
    load_raw(db, [{"lead_id": "L1", "email": "ann@acme.com", "created_at": "2026-01-05 00:00:00",
                   "updated_at": "2026-01-05 00:00:00"}], [], [])
    con = duckdb.connect(str(db))
    try:
        con.execute("drop table raw.marketing_events")
        con.execute("create schema segment")
        for table, columns, rows in (("tracks", SEG_TRACK_COLUMNS, SEG_TRACKS),
                                     ("pages", SEG_PAGE_COLUMNS, SEG_PAGES),
                                     ("identifies", SEG_IDENTIFY_COLUMNS, SEG_IDENTIFIES)):
            con.execute(f"create table segment.{table} as select * from (values "
                        + ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
                        + f") as t({', '.join(columns)})", [v for row in rows for v in row])
            for column in columns:
                if column in ("timestamp", "received_at"):
                    con.execute(f"alter table segment.{table} alter {column} type timestamp")
    finally:
        con.close()
    project = copy_project(root / "project")
    build(project, db, "2026-02-10", "--vars",
          json.dumps({"score_as_of": "2026-02-10", "event_source": "segment"}))
    return db


def test_an_anonymous_visitor_identified_later_brings_its_earlier_calls(segment_by_hand):
    assert query(segment_by_hand, "select event_id, email, event_type, occurred_at "
                 "from intermediate.int_events_deduplicated order by event_id") == [
        ("P1", "ann@acme.com", "pricing_page_view", datetime(2026, 2, 1, 9)),
        ("P2", None, "page_view", datetime(2026, 2, 1, 9, 30)),
        ("T1", "ann@acme.com", "demo_requested", datetime(2026, 2, 2, 10)),
        ("T2", "ann@acme.com", "webinar_attended", datetime(2026, 2, 5, 10)),
        ("T3", "zed@nowhere.io", "demo_requested", datetime(2026, 2, 6, 10)),
        ("T4", "ann@acme.com", "button_clicked", datetime(2026, 2, 7, 10)),
    ]
    assert query(segment_by_hand, "select source_row_key, rejection_reason from "
                 "marts.rejected_rows where source_table = 'marketing_events' order by 1") == [
        ("P2#1", "missing_lead_reference"), ("T3#1", "unmatched_lead")]
    # Frozen engagement_weights.csv: demo_requested 25, webinar_attended 8, pricing_page_view 5.
    assert query(segment_by_hand, "select rule_name, event_count, raw_points from "
                 "marts.lead_score_components where lead_id = 'L1' and score_type = 'engagement' "
                 "order by 1") == [
        ("demo_requested", 1, 25.0), ("pricing_page_view", 1, 5.0), ("webinar_attended", 1, 8.0)]


def test_a_segment_call_landing_late_is_read_by_the_next_run(segment_by_hand, tmp_path):
    # Segment's rows carry their load time (uuid_ts): the next run reads the rows landed since,
    # whatever their timestamp. T5 happened on 2026-02-04 but landed on 2026-02-11.
    db = tmp_path / "late.duckdb"
    shutil.copy(segment_by_hand, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("alter table segment.tracks add column uuid_ts timestamp")
        con.execute("update segment.tracks set uuid_ts = received_at")
        con.execute("insert into segment.tracks values ('T5', 'A1', 'U1', 'Whitepaper Downloaded', "
                    "'2026-02-04 10:00:00', '2026-02-04 10:00:05', null, null, '2026-02-11 08:00:00')")
    finally:
        con.close()
    project = copy_project(tmp_path / "project")
    build(project, db, "2026-02-11", "--exclude", "resource_type:test", "resource_type:unit_test",
          "--vars", json.dumps({"score_as_of": "2026-02-11", "event_source": "segment"}))
    assert query(db, "select event_id, email, event_type from intermediate.int_events_deduplicated "
                 "where event_id = 'T5'") == [("T5", "ann@acme.com", "content_download")]
    # Read by its load time, not by a census of deliveries per day (none is stored).
    assert query(db, "select count(delivery_day_count), max(loaded_until) "
                 "from intermediate.int_events_deduplicated") == [(0, datetime(2026, 2, 11, 8))]
    assert query(db, "select rule_name, event_count from marts.lead_score_components where "
                 "lead_id = 'L1' and score_type = 'engagement' order by 1") == [
        ("content_download", 1), ("demo_requested", 1), ("pricing_page_view", 1),
        ("webinar_attended", 1)]
