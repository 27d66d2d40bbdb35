-- Salesforce's opportunity table in the columns of the raw contract's crm_opportunities, plus
-- is_deleted. An opportunity names no lead: it is the lead's whose ConvertedOpportunityId it is
-- (opened at conversion), else the lead's converted into a contact with a role on it (opened
-- later on that contact; the primary role first). Won and lost come from IsWon and IsClosed;
-- CloseDate is a date, so a closed opportunity closed at midnight UTC of that day.
{%- set opportunity = source_columns(
    ref('source_fields'), 'salesforce', 'opportunity', source('salesforce', 'opportunity')
) %}

with

source as (

    select * from {{ source('salesforce', 'opportunity') }}

),

leads as (

    select * from {{ ref('base_salesforce__leads') }}

),

converted_contacts as (

    select * from {{ ref('base_salesforce__converted_contacts') }}

),

contact_roles as (

    select * from {{ ref('base_salesforce__opportunity_contact_roles') }}

),

renamed as (

    select
        cast({{ opportunity.opportunity_id }} as {{ dbt.type_string() }}) as opportunity_id,
        coalesce(cast({{ opportunity.is_won }} as {{ dbt.type_boolean() }}), false) as is_won,
        coalesce(cast({{ opportunity.is_closed }} as {{ dbt.type_boolean() }}), false) as is_closed,
        cast({{ opportunity.amount_usd }} as decimal(18, 2)) as amount_usd,
        cast({{ opportunity.created_at }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ opportunity.closed_at }} as {{ dbt.type_timestamp() }}) as close_date,
        coalesce(cast({{ opportunity.is_deleted }} as {{ dbt.type_boolean() }}), false)
            as is_deleted
    from source

),

-- Opened at conversion: the lead names it (one lead per opportunity; the lowest id if a merge
-- left two).
opened_at_conversion as (

    select
        converted_opportunity_id as opportunity_id,
        min(lead_id) as lead_id
    from leads
    where converted_opportunity_id is not null and lead_id is not null
    group by converted_opportunity_id

),


-- Opened on a converted lead's contact: the lead of the primary role, else of the lowest
-- contact id.
opened_on_contact as (

    select
        contact_roles.opportunity_id,
        converted_contacts.lead_id,
        row_number() over (
            partition by contact_roles.opportunity_id
            order by
                case when contact_roles.is_primary then 0 else 1 end,
                contact_roles.contact_id
        ) as role_rank
    from contact_roles
    inner join converted_contacts
        on contact_roles.contact_id = converted_contacts.contact_id

),

final as (

    select
        renamed.opportunity_id,
        coalesce(opened_at_conversion.lead_id, opened_on_contact.lead_id) as lead_id,
        renamed.created_at,
        case
            when renamed.is_won then 'closed_won'
            when renamed.is_closed then 'closed_lost'
            else 'open'
        -- The raw contract's column name (a keyword to sqlfluff).
        end as stage,  -- noqa: RF04
        case when renamed.is_closed then renamed.close_date end as closed_at,
        renamed.amount_usd,
        renamed.is_deleted
    from renamed
    left join opened_at_conversion
        on renamed.opportunity_id = opened_at_conversion.opportunity_id
    left join opened_on_contact
        on
            renamed.opportunity_id = opened_on_contact.opportunity_id
            and opened_on_contact.role_rank = 1

)

select * from final
