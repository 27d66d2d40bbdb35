-- One row: the newest day of raw facts (events, lead versions, opportunities opened or closed)
-- known on this build's scoring date, and whether the scoring date lies within
-- history_max_days_beyond_data days of it. The score log is not written for a scoring date
-- beyond that (a build run long after the data stopped arriving, or a mistyped date) unless
-- var allow_history_beyond_data is true.

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
    select leads.version_known_at from leads
    union all
    select opportunities.created_at from opportunities
    union all
    select opportunities.closed_at from opportunities

),

-- Facts per day up to the scoring date.
daily as (

    select
        cast(facts.fact_at as date) as fact_date,
        count(*) as fact_count
    from facts
    inner join current_date_row
        on facts.fact_at < current_date_row.known_before
    group by cast(facts.fact_at as date)

),

-- The newest day with at least 5 % of the busiest day's facts: a few rows with a broken clock in
-- the future do not count as data arriving.
busiest as (

    select max(fact_count) as busiest_count
    from daily

),

newest as (

    select max(daily.fact_date) as newest_data_date
    from daily
    cross join busiest
    where daily.fact_count >= 0.05 * busiest.busiest_count

),

final as (

    select
        current_date_row.score_as_of,
        newest.newest_data_date,
        {{ dbt.datediff(
            'newest.newest_data_date', 'current_date_row.score_as_of', 'day'
        ) }} as days_beyond_data,
        coalesce(
            {{ dbt.datediff('newest.newest_data_date', 'current_date_row.score_as_of', 'day') }}
            <= settings.history_max_days_beyond_data,
            false
        ) as is_within_data
    from current_date_row
    cross join newest
    cross join settings

)

select * from final
