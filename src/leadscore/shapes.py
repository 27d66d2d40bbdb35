"""The demo's raw tables written again in the shape a loader lands a CRM in.

`leadscore demo --shape salesforce` writes, beside the raw contract's tables, Salesforce's
lead (in Fivetran's History Mode: one row per version), contact, opportunity,
opportunity_contact_role and the (empty) activity tables campaign_member, task and event as
Fivetran names their columns (snake_case; custom fields with a
`_c` suffix). Every contract field is written, so a build with var source_system: salesforce
must give the same scores as the contract build of the same data; what Salesforce cannot hold
is named here:
- an opportunity names no lead: half the converted leads name their opportunity
  (converted_opportunity_id), the other half were converted into a contact that has the primary
  role on it (opportunity_contact_role), the two ways Salesforce links them;
- CloseDate is a date: a closed opportunity closes at midnight UTC of its day (the comparison
  build of the contract truncates closed_at the same way);
- a few leads were deleted (is_deleted, Fivetran's soft delete): copies of existing leads under
  ids of their own, which must end up in rejected_rows and nowhere else.

`--shape hubspot` writes HubSpot's contact, deal, deal_contact, deal_pipeline_stage,
contact_form_submission and email_event as Fivetran lands them (property_<name>). HubSpot holds
a contact as it stands today, so the contract's crm_leads is first cut to each lead's latest
version (keep_latest_versions), and the two agree; a deal is associated with its lead's
contact; the contract's form submissions and marketing email opens, clicks and bounces of a
known lead move into HubSpot's tables (an email event by the lead's address, where no other
lead has it), the other events stay in raw.marketing_events.
"""

from __future__ import annotations

import duckdb

# One lead in this many has a deleted copy in the Salesforce shape.
DELETED_EVERY = 500


def write_salesforce(con: duckdb.DuckDBPyConnection, raw_schema: str, schema: str) -> dict:
    """Salesforce's tables in `schema` from the contract tables in `raw_schema`; row counts."""
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"""
        create or replace temp table conversions as
        select
            lead_id,
            opportunity_id,
            created_at,
            'C' || lead_id as contact_id,
            -- Half the leads name their opportunity, the others reach it through their contact.
            hash(lead_id) % 2 = 0 as names_opportunity
        from (
            select *, row_number() over (partition by lead_id order by created_at, opportunity_id) as n
            from {raw_schema}.crm_opportunities
            where lead_id in (select lead_id from {raw_schema}.crm_leads)
        )
        where n = 1
    """)
    con.execute(f"""
        create or replace table {schema}.lead as
        with versions as (
            select
                crm_leads.*,
                conversions.contact_id,
                case when conversions.names_opportunity then conversions.opportunity_id end
                    as opportunity_id,
                conversions.created_at as converted_at,
                false as deleted
            from {raw_schema}.crm_leads
            left join conversions on crm_leads.lead_id = conversions.lead_id
            union all
            -- Deleted leads: a copy of a lead's first version under an id of its own.
            select
                crm_leads.* replace (
                    'DEL-' || crm_leads.lead_id as lead_id,
                    -- An address of its own: events sent to the lead's email stay the lead's.
                    'deleted.' || crm_leads.email as email
                ),
                null, null, null,
                true
            from {raw_schema}.crm_leads
            where hash(crm_leads.lead_id) % {DELETED_EVERY} = 0
            qualify row_number() over (partition by crm_leads.lead_id order by crm_leads.updated_at) = 1
        )
        select
            cast(lead_id as varchar) as id,
            deleted as is_deleted,
            cast(first_name as varchar) as first_name,
            cast(last_name as varchar) as last_name,
            cast(job_title as varchar) as title,
            cast(company_name as varchar) as company,
            cast(company_domain as varchar) as website,
            cast(email as varchar) as email,
            cast(industry as varchar) as industry,
            cast(employee_count as integer) as number_of_employees,
            cast(annual_revenue_usd as double) as annual_revenue,
            cast(country as varchar) as country,
            cast(lead_source as varchar) as lead_source,
            cast(do_not_contact as boolean) as has_opted_out_of_email,
            cast(budget_confirmed as boolean) as budget_confirmed_c,
            cast(purchase_timeline as varchar) as purchase_timeline_c,
            cast(use_case as varchar) as use_case_c,
            cast(case when converted_at is not null then 'Qualified' else 'Open' end as varchar)
                as status,
            converted_at is not null as is_converted,
            cast(contact_id as varchar) as converted_contact_id,
            cast(opportunity_id as varchar) as converted_opportunity_id,
            cast(converted_at as date) as converted_date,
            cast(created_at as timestamp) as created_date,
            cast(updated_at as timestamp) as last_modified_date,
            -- History Mode: each version from its change until the next one.
            cast(coalesce(updated_at, created_at) as timestamp) as _fivetran_start,
            cast(lead(coalesce(updated_at, created_at)) over version_order as timestamp)
                as _fivetran_end,
            lead(lead_id) over version_order is null as _fivetran_active,
            cast(coalesce(updated_at, created_at) as timestamp) + interval 1 hour as _fivetran_synced
        from versions
        window version_order as (partition by lead_id order by coalesce(updated_at, created_at))
    """)
    con.execute(f"""
        create or replace table {schema}.contact as
        select
            cast(contact_id as varchar) as id,
            false as is_deleted,
            cast(crm_leads.email as varchar) as email,
            cast(crm_leads.first_name as varchar) as first_name,
            cast(crm_leads.last_name as varchar) as last_name,
            cast(conversions.created_at as timestamp) as created_date,
            cast(conversions.created_at as timestamp) as last_modified_date,
            cast(conversions.created_at as timestamp) + interval 1 hour as _fivetran_synced
        from conversions
        inner join {raw_schema}.crm_leads on conversions.lead_id = crm_leads.lead_id
        qualify row_number() over (partition by contact_id order by crm_leads.updated_at desc) = 1
    """)
    con.execute(f"""
        create or replace table {schema}.opportunity as
        select
            cast(opportunity_id as varchar) as id,
            false as is_deleted,
            cast('Opportunity ' || opportunity_id as varchar) as name,
            cast(case stage
                when 'closed_won' then 'Closed Won'
                when 'closed_lost' then 'Closed Lost'
                else 'Prospecting'
            end as varchar) as stage_name,
            stage in ('closed_won', 'closed_lost') as is_closed,
            stage = 'closed_won' as is_won,
            cast(amount_usd as double) as amount,
            cast(created_at as timestamp) as created_date,
            -- The close date; an open opportunity's is the expected one.
            cast(coalesce(closed_at, created_at + interval 60 day) as date) as close_date,
            cast(coalesce(closed_at, created_at) as timestamp) + interval 1 hour as _fivetran_synced
        from {raw_schema}.crm_opportunities
    """)
    con.execute(f"""
        create or replace table {schema}.opportunity_contact_role as
        select
            cast('R' || opportunity_id as varchar) as id,
            cast(opportunity_id as varchar) as opportunity_id,
            cast(contact_id as varchar) as contact_id,
            true as is_primary,
            cast('Decision Maker' as varchar) as role,
            false as is_deleted,
            cast(created_at as timestamp) as created_date,
            cast(created_at as timestamp) + interval 1 hour as _fivetran_synced
        from conversions
        where not names_opportunity
    """)
    # The activity tables, empty: the demo's engagement is all in raw.marketing_events (the
    # hand-made org of tests/test_source_systems.py has activities).
    con.execute(f"""
        create or replace table {schema}.campaign_member (
            id varchar, campaign_id varchar, lead_id varchar, contact_id varchar, status varchar,
            has_responded boolean, created_date timestamp, last_modified_date timestamp,
            is_deleted boolean, _fivetran_synced timestamp)
    """)
    con.execute(f"""
        create or replace table {schema}.task (
            id varchar, who_id varchar, what_id varchar, subject varchar, task_subtype varchar,
            status varchar, activity_date date, created_date timestamp, is_deleted boolean,
            _fivetran_synced timestamp)
    """)
    con.execute(f"""
        create or replace table {schema}.event (
            id varchar, who_id varchar, what_id varchar, subject varchar, event_subtype varchar,
            start_date_time timestamp, end_date_time timestamp, created_date timestamp,
            is_deleted boolean, _fivetran_synced timestamp)
    """)
    return row_counts(con, schema, ("lead", "contact", "opportunity", "opportunity_contact_role",
                                    "campaign_member", "task", "event"))


def write_segment(con: duckdb.DuckDBPyConnection, raw_schema: str, schema: str) -> dict:
    """Segment's tracks, pages and identifies in `schema` from raw.marketing_events: every
    contract event as the call Segment would have received. Page views are page calls (the
    pricing page named Pricing), every other event a track call named by its type. An event
    with a lead id was made by that user (build with var segment_user_id_is_lead_id: true); an
    email-only event by an anonymous visitor whom an identify links to that email; an event
    with neither by a visitor never identified."""
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"""
        create or replace temp table segment_calls as
        select
            *,
            case
                when lead_id is not null then 'a-' || lead_id
                when email is not null then 'e-' || md5(email)
                else 'x-' || coalesce(event_id, 'none')
            end as anonymous_id,
            event_type in ('page_view', 'pricing_page_view') as is_page
        from {raw_schema}.marketing_events
    """)
    con.execute(f"""
        create or replace table {schema}.tracks as
        select
            cast(event_id as varchar) as id,
            cast(anonymous_id as varchar) as anonymous_id,
            cast(lead_id as varchar) as user_id,
            cast(event_type as varchar) as event,
            cast(event_type as varchar) as event_text,
            cast(occurred_at as timestamp) as timestamp,
            cast(_loaded_at as timestamp) as received_at,
            cast(_loaded_at as timestamp) as uuid_ts,
            cast(page_url as varchar) as context_page_url,
            cast(campaign_id as varchar) as context_campaign_name
        from segment_calls
        where not coalesce(is_page, false)
    """)
    con.execute(f"""
        create or replace table {schema}.pages as
        select
            cast(event_id as varchar) as id,
            cast(anonymous_id as varchar) as anonymous_id,
            cast(lead_id as varchar) as user_id,
            cast(case when event_type = 'pricing_page_view' then 'Pricing' end as varchar) as name,
            cast(page_url as varchar) as url,
            cast(regexp_extract(page_url, '^https?://[^/]+(/[^?#]*)', 1) as varchar) as path,
            cast(occurred_at as timestamp) as timestamp,
            cast(_loaded_at as timestamp) as received_at,
            cast(_loaded_at as timestamp) as uuid_ts,
            cast(campaign_id as varchar) as context_campaign_name
        from segment_calls
        where is_page
    """)
    con.execute(f"""
        create or replace table {schema}.identifies as
        select distinct
            cast('i-' || anonymous_id as varchar) as id,
            cast(anonymous_id as varchar) as anonymous_id,
            cast(null as varchar) as user_id,
            cast(email as varchar) as email,
            timestamp '2000-01-01 00:00:00' as timestamp,
            timestamp '2000-01-01 00:00:00' as received_at
        from segment_calls
        where lead_id is null and email is not null
    """)
    return row_counts(con, schema, ("tracks", "pages", "identifies"))


def row_counts(con, schema: str, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows of each table written, by name."""
    return {table: con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
            for table in tables}


# Event types HubSpot holds in its own tables, with the type it writes for each.
HUBSPOT_EMAIL_TYPES = {"email_open": "OPEN", "email_click": "CLICK", "email_bounced": "BOUNCE"}


def keep_latest_versions(con: duckdb.DuckDBPyConnection, raw_schema: str) -> None:
    """Cut crm_leads to each lead's latest version (rows without a lead_id stay), as a CRM that
    holds only the current state of a record would deliver it."""
    con.execute(f"""
        create or replace table {raw_schema}.crm_leads as
        select * from {raw_schema}.crm_leads
        qualify lead_id is null or row_number() over (
            partition by lead_id order by updated_at desc nulls last, created_at desc nulls last,
                email, job_title) = 1
    """)


def write_hubspot(con: duckdb.DuckDBPyConnection, raw_schema: str, schema: str) -> dict:
    """HubSpot's tables in `schema` from the contract tables in `raw_schema` (crm_leads cut to
    the latest versions first, marketing_events without the events moved); row counts."""
    keep_latest_versions(con, raw_schema)
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"""
        create or replace table {schema}.contact as
        select
            cast(lead_id as varchar) as id,
            cast(email as varchar) as property_email,
            cast(first_name as varchar) as property_firstname,
            cast(last_name as varchar) as property_lastname,
            cast(job_title as varchar) as property_jobtitle,
            cast(company_name as varchar) as property_company,
            cast(company_domain as varchar) as property_website,
            cast(industry as varchar) as property_industry,
            cast(employee_count as varchar) as property_numemployees,
            cast(annual_revenue_usd as double) as property_annualrevenue,
            cast(country as varchar) as property_country,
            cast(lead_source as varchar) as property_hs_analytics_source,
            cast(budget_confirmed as boolean) as property_budget_confirmed,
            cast(purchase_timeline as varchar) as property_purchase_timeline,
            cast(use_case as varchar) as property_use_case,
            cast(do_not_contact as boolean) as property_hs_email_optout,
            cast(created_at as timestamp) as property_createdate,
            cast(updated_at as timestamp) as property_lastmodifieddate,
            false as _fivetran_deleted,
            cast(coalesce(updated_at, created_at) as timestamp) + interval 1 hour as _fivetran_synced
        from {raw_schema}.crm_leads
    """)
    con.execute(f"""
        create or replace table {schema}.deal_pipeline_stage as
        select * from (values
            ('appointmentscheduled', 'Appointment scheduled', false, false),
            ('closedwon', 'Closed won', true, true),
            ('closedlost', 'Closed lost', false, true)
        ) as stages(stage_id, label, closed_won, is_closed)
    """)
    con.execute(f"""
        create or replace table {schema}.deal as
        select
            cast(opportunity_id as varchar) as deal_id,
            false as is_deleted,
            cast(case stage when 'closed_won' then 'closedwon' when 'closed_lost' then 'closedlost'
                 else 'appointmentscheduled' end as varchar) as deal_pipeline_stage_id,
            cast('Deal ' || opportunity_id as varchar) as property_dealname,
            cast(amount_usd as double) as property_amount,
            cast(created_at as timestamp) as property_createdate,
            cast(closed_at as timestamp) as property_closedate,
            false as _fivetran_deleted,
            cast(coalesce(closed_at, created_at) as timestamp) + interval 1 hour as _fivetran_synced
        from {raw_schema}.crm_opportunities
    """)
    con.execute(f"""
        create or replace table {schema}.deal_contact as
        select distinct
            cast(opportunity_id as varchar) as deal_id,
            cast(lead_id as varchar) as contact_id
        from {raw_schema}.crm_opportunities
        where lead_id in (select lead_id from {raw_schema}.crm_leads)
    """)
    email_types = ", ".join(f"('{event}', '{kind}')" for event, kind in HUBSPOT_EMAIL_TYPES.items())
    # The events that move: delivered once, of a known lead; an email event only where the
    # lead's address is its own (no other lead holds it), so that it resolves to that lead.
    con.execute(f"""
        create or replace temp table moved as
        with once as (
            select * from {raw_schema}.marketing_events
            qualify count(*) over (partition by event_id) = 1
        ),
        addresses as (
            select lead_id, any_value(lower(trim(email))) as email
            from {raw_schema}.crm_leads
            where lead_id is not null
            group by lead_id
            having count(distinct lower(trim(email))) = 1
        ),
        own_addresses as (
            select * from addresses
            qualify count(*) over (partition by email) = 1
        ),
        email_types(event_type, hubspot_type) as (values {email_types})
        select once.*, own_addresses.email as recipient, email_types.hubspot_type
        from once
        left join own_addresses on once.lead_id = own_addresses.lead_id
        left join email_types on lower(once.event_type) = email_types.event_type
        where once.event_id is not null and once.occurred_at is not null and once.lead_id in (
            select lead_id from {raw_schema}.crm_leads)
            and (lower(once.event_type) = 'form_submit'
                 or (email_types.hubspot_type is not null and own_addresses.email is not null))
    """)
    con.execute(f"""
        create or replace table {schema}.contact_form_submission as
        select
            cast(event_id as varchar) as conversion_id,
            cast(lead_id as varchar) as contact_id,
            cast(occurred_at as timestamp) as timestamp,
            cast(page_url as varchar) as page_url,
            cast('Form' as varchar) as title,
            cast(_loaded_at as timestamp) as _fivetran_synced
        from moved
        where lower(event_type) = 'form_submit'
    """)
    con.execute(f"""
        create or replace table {schema}.email_event as
        select
            cast(event_id as varchar) as id,
            cast(hubspot_type as varchar) as type,
            cast(recipient as varchar) as recipient,
            cast(occurred_at as timestamp) as created,
            cast(campaign_id as varchar) as email_campaign_id,
            false as filtered_event,
            cast(_loaded_at as timestamp) as _fivetran_synced
        from moved
        where hubspot_type is not null
        union all
        -- A delivery is no engagement event: the adapter must leave it out.
        select
            'delivered-' || event_id, 'DELIVERED', recipient, occurred_at - interval 1 minute,
            campaign_id, false, _loaded_at
        from moved
        where hubspot_type = 'OPEN'
    """)
    con.execute(f"delete from {raw_schema}.marketing_events where event_id in (select event_id from moved)")
    return row_counts(con, schema, ("contact", "deal", "deal_contact", "deal_pipeline_stage",
                                    "contact_form_submission", "email_event"))


# The writer of each shape, by the name of the system (the var's value): `leadscore demo
# --shape` offers them all, `leadscore engine-test --shape` the CRMs (CRM_SHAPES).
WRITERS = {"salesforce": write_salesforce, "hubspot": write_hubspot, "segment": write_segment}
SHAPES = ("contract", *WRITERS)
CRM_SHAPES = ("salesforce", "hubspot")
