-- One row per fit seed row that a lead matches by equality, in one shape: the dimension, the
-- seed row's name, the key a lead version's value is compared with, and its points. The bands
-- (company size, revenue) match by range and are read from their seeds directly.

with

icp_industries as (

    select * from {{ ref('icp_industries') }}

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

final as (

    -- A version's canonical industry (int_lead_versions_enriched) is the seed's name.
    select
        'industry' as fit_dimension,
        industry as fit_rule,
        industry as match_key,
        fit_points
    from icp_industries

    union all

    -- Seniority and department are the names the title patterns gave the version.
    select
        'seniority' as fit_dimension,
        seniority as fit_rule,
        seniority as match_key,
        fit_points
    from icp_seniorities

    union all

    select
        'department' as fit_dimension,
        department as fit_rule,
        department as match_key,
        fit_points
    from icp_departments

    union all

    -- A version's country_code is upper case, without spaces.
    select
        'country' as fit_dimension,
        country_code as fit_rule,
        upper(trim(country_code)) as match_key,
        fit_points
    from icp_countries

    union all

    -- A version's lead_source_key is its lead source normalised.
    select
        'lead_source' as fit_dimension,
        lead_source as fit_rule,
        {{ normalise_text('lead_source') }} as match_key,
        fit_points
    from lead_source_points

)

select * from final
