-- HubSpot's deal table in the columns of the raw contract's crm_opportunities, plus is_deleted.
-- A deal names no contact: it is the lead's of the contact associated with it
-- (base_hubspot__deal_contacts); of several, the contact created first (the lowest id on a
-- tie), so that a deal counts once. Won and lost come from its stage's closed_won and is_closed
-- (deal_pipeline_stage); closed_at is the close date of a closed deal.
{%- set deal = source_columns(
    ref('source_fields'), 'hubspot', 'deal', source('hubspot', 'deal')
) %}

with

source as (

    select * from {{ source('hubspot', 'deal') }}

),

contacts as (

    select * from {{ ref('base_hubspot__contacts') }}

),

deal_contacts as (

    select * from {{ ref('base_hubspot__deal_contacts') }}

),

deal_stages as (

    select * from {{ ref('base_hubspot__deal_stages') }}

),

renamed as (

    select
        cast({{ deal.opportunity_id }} as {{ dbt.type_string() }}) as opportunity_id,
        cast({{ deal.stage_id }} as {{ dbt.type_string() }}) as stage_id,
        cast({{ deal.amount_usd }} as decimal(18, 2)) as amount_usd,
        cast({{ deal.created_at }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ deal.closed_at }} as {{ dbt.type_timestamp() }}) as close_date,
        coalesce(
            cast({{ deal.is_deleted }} as {{ dbt.type_boolean() }})
            or cast({{ deal.is_deleted_by_loader }} as {{ dbt.type_boolean() }}),
            false
        ) as is_deleted
    from source

),

-- The contact created first among those associated with the deal.
first_contacts as (

    select
        deal_contacts.opportunity_id,
        deal_contacts.contact_id as lead_id,
        row_number() over (
            partition by deal_contacts.opportunity_id
            order by contacts.created_at, deal_contacts.contact_id
        ) as contact_rank
    from deal_contacts
    inner join contacts
        on deal_contacts.contact_id = contacts.lead_id

),

final as (

    select
        renamed.opportunity_id,
        first_contacts.lead_id,
        renamed.created_at,
        case
            when deal_stages.is_won then 'closed_won'
            when deal_stages.is_closed then 'closed_lost'
            else 'open'
        -- The raw contract's column name (a keyword to sqlfluff).
        end as stage,  -- noqa: RF04
        case when deal_stages.is_closed then renamed.close_date end as closed_at,
        renamed.amount_usd,
        renamed.is_deleted
    from renamed
    left join deal_stages
        on renamed.stage_id = deal_stages.stage_id
    left join first_contacts
        on
            renamed.opportunity_id = first_contacts.opportunity_id
            and first_contacts.contact_rank = 1

)

select * from final
