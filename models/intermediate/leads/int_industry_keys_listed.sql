-- One row per industry spelling the seeds know, normalised, with its canonical industry: every
-- alias of industry_aliases.csv, and every canonical name of icp_industries.csv standing for
-- itself (so the alias seed need not repeat them).

with

industry_aliases as (

    select * from {{ ref('industry_aliases') }}

),

icp_industries as (

    select * from {{ ref('icp_industries') }}

),

final as (

    select
        {{ normalise_text('industry_alias') }} as industry_key,
        industry
    from industry_aliases

    union

    select
        {{ normalise_text('industry') }} as industry_key,
        industry
    from icp_industries

)

select * from final
