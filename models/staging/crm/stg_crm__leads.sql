-- One row per raw lead row (version), cleaned. No row is dropped here: versions are chosen per
-- scoring date downstream, and unusable rows are reported with a reason in rejected_rows. The
-- rows come from the raw contract's crm_leads, or from the CRM adapter var source_system names
-- (the same columns, plus is_deleted: the contract has no deleted leads).

with

source as (

    {% if source_system() == 'salesforce' %}
        select * from {{ ref('base_salesforce__leads') }}
    {% elif source_system() == 'hubspot' %}
        select * from {{ ref('base_hubspot__contacts') }}
    {% else %}
        select
            *,
            false as is_deleted
        from {{ source('crm', 'crm_leads') }}
    {% endif %}

),

fingerprinted as (

    select
        *,
        {{ row_fingerprint([
            'lead_id', 'email', 'first_name', 'last_name', 'job_title', 'company_name',
            'company_domain', 'industry', 'employee_count', 'annual_revenue_usd', 'country',
            'lead_source', 'budget_confirmed', 'purchase_timeline', 'use_case', 'do_not_contact',
            'created_at', 'updated_at'
        ]) }} as row_fingerprint
    from source

),

renamed as (

    select
        ---------- ids
        -- Identical raw rows (a loader replaying a batch) share a fingerprint: number them apart.
        {{ dbt.concat([
            'row_fingerprint',
            "'-'",
            'cast(row_number() over (partition by row_fingerprint order by row_fingerprint) as '
            ~ dbt.type_string() ~ ')'
        ]) }} as lead_row_id,
        {{ clean_text('lead_id') }} as lead_id,

        ---------- strings
        {{ clean_email('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('job_title') }} as job_title,
        {{ normalise_title('job_title') }} as job_title_words,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_domain('company_domain') }} as company_domain_cleaned,
        {{ clean_text('industry') }} as industry_raw,
        {{ normalise_text('industry') }} as industry_key,
        {{ clean_text('country') }} as country_raw,
        {{ normalise_text('country') }} as country_key,
        {{ clean_text('lead_source') }} as lead_source,
        {{ normalise_text('lead_source') }} as lead_source_key,
        {{ normalise_text('purchase_timeline') }} as purchase_timeline_key,
        {{ clean_text('use_case') }} as use_case,

        ---------- numerics
        cast(employee_count as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue_usd as decimal(18, 2)) as annual_revenue_usd,

        ---------- booleans
        budget_confirmed as is_budget_confirmed,
        coalesce(do_not_contact, false) as is_do_not_contact,
        is_deleted,

        ---------- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- When this version became known: its updated_at, else (broken rows) its created_at.
        cast(coalesce(updated_at, created_at) as {{ dbt.type_timestamp() }}) as version_known_at

    from fingerprinted

),

final as (

    select
        *,
        {{ dbt.split_part('email', "'@'", 2) }} as email_domain
    from renamed

)

select * from final
