-- Every raw opportunity belongs to a scored lead or is listed in rejected_rows.

with

raw_opportunities as (

    select count(*) as raw_count
    {% if source_system() == 'salesforce' %}
        -- The CRM adapter's rows: one per row of Salesforce's opportunity table.
        from {{ ref('base_salesforce__opportunities') }}
    {% elif source_system() == 'hubspot' %}
        -- One per row of HubSpot's deal table.
        from {{ ref('base_hubspot__deals') }}
    {% else %}
        from {{ source('crm', 'crm_opportunities') }}
    {% endif %}

),

matched as (

    select count(*) as matched_count
    from {{ ref('stg_crm__opportunities') }} as opportunities
    inner join {{ ref('qualified_leads') }} as scored
        on opportunities.lead_id = scored.lead_id
    where opportunities.opportunity_row_id not in (
        select rejected.source_row_key from {{ ref('rejected_rows') }} as rejected
        where rejected.source_table = 'crm_opportunities'
    )

),

rejected as (

    select count(*) as rejected_count
    from {{ ref('rejected_rows') }}
    where source_table = 'crm_opportunities'

)

select
    raw_opportunities.raw_count,
    matched.matched_count,
    rejected.rejected_count
from raw_opportunities
cross join matched
cross join rejected
where raw_opportunities.raw_count <> matched.matched_count + rejected.rejected_count
