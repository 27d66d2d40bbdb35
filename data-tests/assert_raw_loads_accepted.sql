-- The raw tables of this build are neither empty nor sharply smaller than at the last accepted
-- build (int_raw_loads_checked). Failing, it stops dbt build before anything is published.
{{ config(meta={'remedy': 'Nothing was published; the marts still hold the last good build.'
    ~ ' Check the loader (an empty or truncated raw table, or var raw_schema pointing at the'
    ~ ' wrong schema). If the rows were removed on purpose, build once with'
    ~ ' --vars \'{accept_raw_shrink: true}\'; thresholds: raw_min_lead_rows and'
    ~ ' raw_max_shrink_share in seeds/rules/scoring_settings.csv.'}) }}

with

checks as (

    select * from {{ ref('int_raw_loads_checked') }}

),

this_build as (

    select * from checks
    where checked_at = (select max(latest.checked_at) from checks as latest)

)

select
    source_table,
    row_count,
    last_accepted_row_count,
    refusal_reason
from this_build
where not is_accepted
-- crm_leads first: the failure message names the first row
order by source_table
