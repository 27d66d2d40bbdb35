-- One row per raw lead row (version), with the seed lookups that depend only on the version:
-- canonical industry, ISO country, seniority and department from the title, the company domain
-- (the email's domain stands in unless it is free-mail) and the BANT criteria. Computed once per
-- version, so every scoring date reuses it.

{{ config(
    unique_key='lead_row_id',
    pre_hook="{{ delete_versions_not_in(ref('stg_crm__leads')) }}"
) }}

with

lead_versions as (

    select * from {{ ref('stg_crm__leads') }}
    -- Incremental: the versions not computed yet with these seeds and this SQL.
    where {{ only_versions_to_compute('lead_row_id') }}

),

industry_keys as (

    select * from {{ ref('int_industry_keys_listed') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

icp_seniorities as (

    select * from {{ ref('icp_seniorities') }}

),

icp_departments as (

    select * from {{ ref('icp_departments') }}

),

free_mail_domains as (

    select * from {{ ref('free_mail_domains') }}

),

bant_timelines as (

    select * from {{ ref('bant_timelines') }}

),

country_keys as (

    select
        {{ normalise_text('country_alias') }} as country_key,
        upper(trim(country_code)) as country_code
    from country_aliases

),

timeline_keys as (

    select
        {{ normalise_text('purchase_timeline') }} as purchase_timeline_key,
        is_qualifying
    from bant_timelines

),

-- Titles repeat across leads, so the title patterns are matched once per distinct title and
-- joined back on equality: a regular expression join of every lead version with every
-- pattern made this the slowest model at a million leads.
job_titles as (

    select distinct job_title_words
    from lead_versions
    where job_title_words is not null

),

seniority_matches as (

    select
        job_titles.job_title_words,
        icp_seniorities.seniority,
        icp_seniorities.has_buying_authority,
        row_number() over (
            partition by job_titles.job_title_words
            order by icp_seniorities.match_order
        ) as match_rank
    from job_titles
    inner join icp_seniorities
        on {{ regex_matches('job_titles.job_title_words', 'icp_seniorities.title_pattern') }}

),

department_matches as (

    select
        job_titles.job_title_words,
        icp_departments.department,
        row_number() over (
            partition by job_titles.job_title_words
            order by icp_departments.match_order
        ) as match_rank
    from job_titles
    inner join icp_departments
        on {{ regex_matches('job_titles.job_title_words', 'icp_departments.title_pattern') }}

),

joined as (

    select
        lead_versions.*,
        industry_keys.industry,
        coalesce(
            country_keys.country_code,
            -- A two-letter value that is no alias is read as an ISO code.
            case
                when {{ dbt.length('lead_versions.country_key') }} = 2
                    then upper(lead_versions.country_key)
            end
        ) as country_code,
        seniority_matches.seniority,
        department_matches.department,
        free_mail_domains.email_domain is not null as is_free_mail,
        coalesce(
            lead_versions.company_domain_cleaned,
            case when free_mail_domains.email_domain is null then lead_versions.email_domain end
        ) as company_domain,
        coalesce(lead_versions.is_budget_confirmed, false) as meets_bant_budget,
        coalesce(seniority_matches.has_buying_authority, false) as meets_bant_authority,
        lead_versions.use_case is not null as meets_bant_need,
        coalesce(timeline_keys.is_qualifying, false) as meets_bant_timeline
    from lead_versions
    left join industry_keys
        on lead_versions.industry_key = industry_keys.industry_key
    left join country_keys
        on lead_versions.country_key = country_keys.country_key
    left join seniority_matches
        on
            lead_versions.job_title_words = seniority_matches.job_title_words
            and seniority_matches.match_rank = 1
    left join department_matches
        on
            lead_versions.job_title_words = department_matches.job_title_words
            and department_matches.match_rank = 1
    left join free_mail_domains
        on lead_versions.email_domain = free_mail_domains.email_domain
    left join timeline_keys
        on lead_versions.purchase_timeline_key = timeline_keys.purchase_timeline_key

),

final as (

    select
        joined.*,
        {{ computed_with() }} as computed_with
    from joined

)

select * from final
