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

-- Industry, seniority, department, country and lead source rows, matched by equality.
fit_rules as (

    select * from {{ ref('int_fit_rules_listed') }}

),

icp_company_size_bands as (

    select * from {{ ref('icp_company_size_bands') }}

),

icp_revenue_bands as (

    select * from {{ ref('icp_revenue_bands') }}

),

industry_points as (

    select
        lead_versions.lead_row_id,
        'industry' as fit_dimension,
        fit_rules.fit_rule,
        lead_versions.industry_raw as matched_value,
        fit_rules.fit_points
    from lead_versions
    inner join fit_rules
        on
            fit_rules.fit_dimension = 'industry'
            and lead_versions.industry = fit_rules.match_key

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
        fit_rules.fit_rule,
        lead_versions.job_title as matched_value,
        fit_rules.fit_points
    from lead_versions
    inner join fit_rules
        on
            fit_rules.fit_dimension = 'seniority'
            and lead_versions.seniority = fit_rules.match_key

),

department_points as (

    select
        lead_versions.lead_row_id,
        'department' as fit_dimension,
        fit_rules.fit_rule,
        lead_versions.job_title as matched_value,
        fit_rules.fit_points
    from lead_versions
    inner join fit_rules
        on
            fit_rules.fit_dimension = 'department'
            and lead_versions.department = fit_rules.match_key

),

country_points as (

    select
        lead_versions.lead_row_id,
        'country' as fit_dimension,
        fit_rules.fit_rule,
        lead_versions.country_raw as matched_value,
        fit_rules.fit_points
    from lead_versions
    inner join fit_rules
        on
            fit_rules.fit_dimension = 'country'
            and lead_versions.country_code = fit_rules.match_key

),

lead_source_matches as (

    select
        lead_versions.lead_row_id,
        'lead_source' as fit_dimension,
        fit_rules.fit_rule,
        lead_versions.lead_source as matched_value,
        fit_rules.fit_points
    from lead_versions
    inner join fit_rules
        on
            fit_rules.fit_dimension = 'lead_source'
            and lead_versions.lead_source_key = fit_rules.match_key

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
