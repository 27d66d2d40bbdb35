-- Salesforce's lead table in the columns of the raw contract's crm_leads (docs/RAW_CONTRACT.md),
-- plus what the contract has no column for: the deletion flags and the conversion links. One row
-- per row of the table: a lead, or in Fivetran's History Mode a version of it. Which field fills
-- which column: seeds/mappings/source_fields.csv (source_columns finds each field under the
-- loader's spelling); a field mapped to nothing is null for every lead.
{%- set lead = source_columns(
    ref('source_fields'), 'salesforce', 'lead', source('salesforce', 'lead')
) %}

with

source as (

    select * from {{ source('salesforce', 'lead') }}

),

renamed as (

    select
        cast({{ lead.lead_id }} as {{ dbt.type_string() }}) as lead_id,
        cast({{ lead.email }} as {{ dbt.type_string() }}) as email,
        cast({{ lead.first_name }} as {{ dbt.type_string() }}) as first_name,
        cast({{ lead.last_name }} as {{ dbt.type_string() }}) as last_name,
        cast({{ lead.job_title }} as {{ dbt.type_string() }}) as job_title,
        cast({{ lead.company_name }} as {{ dbt.type_string() }}) as company_name,
        cast({{ lead.company_domain }} as {{ dbt.type_string() }}) as company_domain,
        cast({{ lead.industry }} as {{ dbt.type_string() }}) as industry,
        cast({{ lead.employee_count }} as {{ dbt.type_int() }}) as employee_count,
        cast({{ lead.annual_revenue_usd }} as decimal(18, 2)) as annual_revenue_usd,
        cast({{ lead.country }} as {{ dbt.type_string() }}) as country,
        cast({{ lead.lead_source }} as {{ dbt.type_string() }}) as lead_source,
        cast({{ lead.budget_confirmed }} as {{ dbt.type_boolean() }}) as budget_confirmed,
        cast({{ lead.purchase_timeline }} as {{ dbt.type_string() }}) as purchase_timeline,
        cast({{ lead.use_case }} as {{ dbt.type_string() }}) as use_case,
        cast({{ lead.do_not_contact }} as {{ dbt.type_boolean() }}) as do_not_contact,
        cast({{ lead.created_at }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ lead.updated_at }} as {{ dbt.type_timestamp() }}) as updated_at,
        -- Deleted in Salesforce (the recycle bin) or by the loader: the lead leaves the scores
        -- from the date a version says so, and rejected_rows lists it.
        coalesce(
            cast({{ lead.is_deleted }} as {{ dbt.type_boolean() }})
            or cast({{ lead.is_deleted_by_loader }} as {{ dbt.type_boolean() }}),
            false
        ) as is_deleted,
        cast({{ lead.converted_contact_id }} as {{ dbt.type_string() }}) as converted_contact_id,
        cast({{ lead.converted_opportunity_id }} as {{ dbt.type_string() }})
            as converted_opportunity_id,
        cast({{ lead.loaded_at }} as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
