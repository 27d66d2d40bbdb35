-- Every raw lead, whatever its timestamps, is scored or rejected, never both, never neither.
-- Counted from the raw table itself, independently of the models' own keys.
{{ config(meta={'remedy': 'Some raw leads are neither scored nor in rejected_rows (or both):'
    ~ ' report it as a bug with the lead ids; `dbt build --full-refresh` does not touch the'
    ~ ' score log and rebuilds everything else.'}) }}

with

raw_leads as (

    select raw_rows.lead_id
    {% if source_system() == 'salesforce' %}
        -- The CRM adapter's rows: one per row of Salesforce's lead table.
        from {{ ref('base_salesforce__leads') }} as raw_rows
    {% elif source_system() == 'hubspot' %}
        -- One per row of HubSpot's contact table.
        from {{ ref('base_hubspot__contacts') }} as raw_rows
    {% else %}
        from {{ source('crm', 'crm_leads') }} as raw_rows
    {% endif %}

),

expected as (

    select
        count(distinct nullif(trim(lead_id), ''))
        + coalesce(sum(case when nullif(trim(lead_id), '') is null then 1 else 0 end), 0)
            as raw_lead_count
    from raw_leads

),

scored_and_rejected as (

    select count(*) as lead_count
    from {{ ref('qualified_leads') }} as scored
    inner join {{ ref('rejected_rows') }} as rejected
        on
            scored.lead_id = rejected.lead_id
            and rejected.source_table = 'crm_leads'

),

actual as (

    select
        (select count(*) from {{ ref('qualified_leads') }})
        + (
            select count(*) from {{ ref('rejected_rows') }}
            where source_table = 'crm_leads'
        ) as accounted_lead_count,
        (select lead_count from scored_and_rejected) as both_scored_and_rejected

)

select
    expected.raw_lead_count,
    actual.accounted_lead_count,
    actual.both_scored_and_rejected
from expected
cross join actual
where
    expected.raw_lead_count <> actual.accounted_lead_count
    or actual.both_scored_and_rejected > 0
