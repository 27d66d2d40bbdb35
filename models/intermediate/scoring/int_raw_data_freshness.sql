-- One row: the newest raw fact (event, lead version or opportunity) known on this build's scoring
-- date, and whether the scoring date lies within history_max_days_beyond_data days of it. The
-- score log is not written for a scoring date beyond that (a build run long after the data
-- stopped arriving, or a mistyped date) unless var allow_history_beyond_data is true.

with

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

current_date_row as (

    select * from scoring_dates
    where is_current

),

facts as (

    select events.occurred_at as fact_at from events
    union all
    select leads.created_at from leads
    union all
    select leads.updated_at from leads
    union all
    select opportunities.created_at from opportunities
    union all
    select opportunities.closed_at from opportunities

),

newest as (

    select max(facts.fact_at) as newest_data_at
    from facts
    inner join current_date_row
        on facts.fact_at < current_date_row.known_before

),

final as (

    select
        current_date_row.score_as_of,
        newest.newest_data_at,
        {{ dbt.datediff('cast(newest.newest_data_at as date)', 'current_date_row.score_as_of', 'day') }}
            as days_beyond_data,
        coalesce(
            {{ dbt.datediff(
                'cast(newest.newest_data_at as date)', 'current_date_row.score_as_of', 'day'
            ) }} <= settings.history_max_days_beyond_data,
            false
        ) as is_within_data
    from current_date_row
    cross join newest
    cross join settings

)

select * from final
