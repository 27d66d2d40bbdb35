-- One row per lead version and fit dimension that matched a seed row: the rule, the value it
-- matched and its points. Fit depends only on the version, so it is computed once per version and
-- every scoring date picks the version in force. Dimensions that match nothing give no row.

{{ config(
    unique_key='lead_row_id',
    pre_hook="{{ delete_versions_not_in(ref('int_lead_versions_enriched')) }}"
) }}

with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}
    -- Incremental: the versions not computed yet with these seeds and this SQL.
    where {{ only_versions_to_compute('lead_row_id') }}

),

icp_industries as (

    select * from {{ ref('icp_industries') }}

),

icp_company_size_bands as (

    select * from {{ ref('icp_company_size_bands') }}

),

icp_revenue_bands as (

    select * from {{ ref('icp_revenue_bands') }}

),

icp_seniorities as (

    select * from {{ ref('icp_seniorities') }}

),

icp_departments as (

    select * from {{ ref('icp_departments') }}

),

icp_countries as (

    select * from {{ ref('icp_countries') }}

),

lead_source_points as (

    select * from {{ ref('lead_source_points') }}

),

industry_points as (

    select
        lead_versions.lead_row_id,
        'industry' as fit_dimension,
        icp_industries.industry as fit_rule,
        lead_versions.industry_raw as matched_value,
        icp_industries.fit_points
    from lead_versions
    inner join icp_industries
        on lead_versions.industry = icp_industries.industry

),

company_size_points as (

    select
        lead_versions.lead_row_id,
        'company_size' as fit_dimension,
        icp_company_size_bands.company_size_band as fit_rule,
        cast(lead_versions.employee_count as {{ dbt.type_string() }}) as matched_value,
        icp_company_size_bands.fit_points
    from lead_versions
    inner join icp_company_size_bands
        on
            lead_versions.employee_count >= icp_company_size_bands.min_employees
            and lead_versions.employee_count <= icp_company_size_bands.max_employees

),

revenue_points as (

    select
        lead_versions.lead_row_id,
        'annual_revenue' as fit_dimension,
        icp_revenue_bands.revenue_band as fit_rule,
        cast(lead_versions.annual_revenue_usd as {{ dbt.type_string() }}) as matched_value,
        icp_revenue_bands.fit_points
    from lead_versions
    inner join icp_revenue_bands
        on
            lead_versions.annual_revenue_usd >= icp_revenue_bands.min_revenue_usd
            and lead_versions.annual_revenue_usd < icp_revenue_bands.max_revenue_usd

),

seniority_points as (

    select
        lead_versions.lead_row_id,
        'seniority' as fit_dimension,
        icp_seniorities.seniority as fit_rule,
        lead_versions.job_title as matched_value,
        icp_seniorities.fit_points
    from lead_versions
    inner join icp_seniorities
        on lead_versions.seniority = icp_seniorities.seniority

),

department_points as (

    select
        lead_versions.lead_row_id,
        'department' as fit_dimension,
        icp_departments.department as fit_rule,
        lead_versions.job_title as matched_value,
        icp_departments.fit_points
    from lead_versions
    inner join icp_departments
        on lead_versions.department = icp_departments.department

),

country_points as (

    select
        lead_versions.lead_row_id,
        'country' as fit_dimension,
        icp_countries.country_code as fit_rule,
        lead_versions.country_raw as matched_value,
        icp_countries.fit_points
    from lead_versions
    inner join icp_countries
        on lead_versions.country_code = upper(trim(icp_countries.country_code))

),

lead_source_matches as (

    select
        lead_versions.lead_row_id,
        'lead_source' as fit_dimension,
        lead_source_points.lead_source as fit_rule,
        lead_versions.lead_source as matched_value,
        lead_source_points.fit_points
    from lead_versions
    inner join lead_source_points
        on lead_versions.lead_source_key = {{ normalise_text('lead_source_points.lead_source') }}

),

unioned as (

    select * from industry_points
    union all
    select * from company_size_points
    union all
    select * from revenue_points
    union all
    select * from seniority_points
    union all
    select * from department_points
    union all
    select * from country_points
    union all
    select * from lead_source_matches

),

final as (

    select
        lead_row_id,
        fit_dimension,
        fit_rule,
        matched_value,
        cast(fit_points as {{ type_double() }}) as fit_points,
        {{ computed_with() }} as computed_with
    from unioned

)

select * from final
