-- HubSpot's contact table in the columns of the raw contract's crm_leads (docs/RAW_CONTRACT.md),
-- plus is_deleted and loaded_at. One row per contact, as it stands today. Which property fills
-- which column: seeds/mappings/source_fields.csv (source_columns finds each under the loader's
-- spelling, Fivetran's property_jobtitle or Airbyte's properties_jobtitle). HubSpot's default
-- numemployees property is a range (100-500, 1000+): its lower bound is the employee count; a
-- number is taken as it is.
{%- set contact = source_columns(
    ref('source_fields'), 'hubspot', 'contact', source('hubspot', 'contact')
) %}

with

source as (

    select * from {{ source('hubspot', 'contact') }}

),

renamed as (

    select
        cast({{ contact.lead_id }} as {{ dbt.type_string() }}) as lead_id,
        cast({{ contact.email }} as {{ dbt.type_string() }}) as email,
        cast({{ contact.first_name }} as {{ dbt.type_string() }}) as first_name,
        cast({{ contact.last_name }} as {{ dbt.type_string() }}) as last_name,
        cast({{ contact.job_title }} as {{ dbt.type_string() }}) as job_title,
        cast({{ contact.company_name }} as {{ dbt.type_string() }}) as company_name,
        cast({{ contact.company_domain }} as {{ dbt.type_string() }}) as company_domain,
        cast({{ contact.industry }} as {{ dbt.type_string() }}) as industry,
        cast({{ contact.employee_count }} as {{ dbt.type_string() }}) as employee_range,
        cast({{ contact.annual_revenue_usd }} as decimal(18, 2)) as annual_revenue_usd,
        cast({{ contact.country }} as {{ dbt.type_string() }}) as country,
        cast({{ contact.lead_source }} as {{ dbt.type_string() }}) as lead_source,
        cast({{ contact.budget_confirmed }} as {{ dbt.type_boolean() }}) as budget_confirmed,
        cast({{ contact.purchase_timeline }} as {{ dbt.type_string() }}) as purchase_timeline,
        cast({{ contact.use_case }} as {{ dbt.type_string() }}) as use_case,
        cast({{ contact.do_not_contact }} as {{ dbt.type_boolean() }}) as do_not_contact,
        cast({{ contact.created_at }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ contact.updated_at }} as {{ dbt.type_timestamp() }}) as updated_at,
        -- Deleted in HubSpot (Fivetran keeps the row and flags it; Airbyte: archived): the lead
        -- leaves the scores, and rejected_rows lists it.
        coalesce(cast({{ contact.is_deleted }} as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast({{ contact.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

),

final as (

    select
        lead_id,
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        company_domain,
        industry,
        -- The first whole number of the value: 500 -> 500, 100-500 -> 100, 1000+ -> 1000.
        cast(
            nullif({{ regex_replace_all("trim(employee_range)", "'[^0-9].*$'", "''") }}, '')
            as {{ dbt.type_int() }}
        ) as employee_count,
        annual_revenue_usd,
        country,
        lead_source,
        budget_confirmed,
        purchase_timeline,
        use_case,
        do_not_contact,
        created_at,
        updated_at,
        is_deleted,
        loaded_at
    from renamed

)

select * from final
