-- The load guard: one row per build and raw table, with its row count and whether the build may
-- publish from it. A build is refused (the data test assert_raw_loads_accepted fails and dbt
-- build skips every model after int_scoring_dates_listed, so the marts keep the last good
-- result) when crm_leads has fewer rows than raw_min_lead_rows, or when a raw table holds fewer
-- than raw_max_shrink_share times the rows of the last accepted build: a loader that truncated
-- a table, or pointed at an empty schema, must not publish empty marts. Var accept_raw_shrink:
-- true accepts one deliberate purge. Refused rows stay in the log, so the next build compares
-- with the last accepted load again. `--full-refresh` does not rebuild it (full_refresh=false):
-- a full refresh would forget the last accepted load and publish the truncated one it refused.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false
) }}

with

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

raw_counts as (

    select
        'crm_leads' as source_table,
        count(*) as row_count
    from {{ ref('stg_crm__leads') }}
    union all
    select
        'marketing_events' as source_table,
        count(*) as row_count
    from {{ ref('stg_marketing__events') }}
    union all
    select
        'crm_opportunities' as source_table,
        count(*) as row_count
    from {{ ref('stg_crm__opportunities') }}

),

-- The shape of this model's own rows, for the first run (when none are logged yet).
-- (Read by logged_rows on a first run only.)
no_checks as (  -- noqa: ST03

    select
        source_table,
        row_count,
        cast(null as {{ dbt.type_timestamp() }}) as checked_at,
        false as is_accepted
    from raw_counts
    where 1 = 0

),

logged_checks as (

    select *
    from {{ logged_rows(['source_table', 'row_count', 'checked_at', 'is_accepted'], 'no_checks') }}
        as logged_check_rows

),

accepted_checks as (

    select
        source_table,
        row_count,
        row_number() over (partition by source_table order by checked_at desc) as load_rank
    from logged_checks
    where is_accepted

),

last_accepted as (

    select
        source_table,
        row_count
    from accepted_checks
    where load_rank = 1

),

checked as (

    select
        raw_counts.source_table,
        raw_counts.row_count,
        last_accepted.row_count as last_accepted_row_count,
        case
            when
                raw_counts.source_table = 'crm_leads'
                and raw_counts.row_count < settings.raw_min_lead_rows
                then 'fewer rows than raw_min_lead_rows'
            when
                not {{ leadscore.boolean_var('accept_raw_shrink', false) }}
                and raw_counts.row_count
                < settings.raw_max_shrink_share * last_accepted.row_count
                then 'fewer rows than raw_max_shrink_share of the last accepted build'
        end as refusal_reason
    from raw_counts
    cross join settings
    left join last_accepted
        on raw_counts.source_table = last_accepted.source_table

),

final as (

    select
        {{ dbt.concat([
            'source_table', "'@'", "'" ~ run_started_at.strftime('%Y-%m-%dT%H:%M:%S.%f') ~ "'"
        ]) }} as raw_load_check_id,
        {{ run_started_timestamp() }}
            as checked_at,
        source_table,
        row_count,
        last_accepted_row_count,
        refusal_reason,
        refusal_reason is null as is_accepted
    from checked

)

select * from final
