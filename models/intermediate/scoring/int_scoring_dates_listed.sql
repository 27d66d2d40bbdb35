-- One row per date this build scores leads as of (score_as_of, the backtest date, calibration
-- dates, and the first day of each of the last health_months months since the first lead was
-- created: the monthly score-health backtest). Every event and lead version up to the end of
-- that day (UTC) is known; nothing after it is.
-- Every scoring model reads this one, so the load guard (int_raw_loads_checked and its test)
-- runs first: a refused load stops the build here.
-- depends_on: {{ ref('int_raw_loads_checked') }}

with

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

scoring_dates as (

    {{ scoring_dates_sql() }}

),

units as (

    {{ digits_sql(10) }}

),

tens as (

    {{ digits_sql(6) }}

),

-- 0 to 59: the months back from the scoring date's month (health_months is at most 60).
month_offsets as (

    select tens.digit * 10 + units.digit as months_back
    from units
    cross join tens

),

current_date_row as (

    select score_as_of from scoring_dates
    where is_current

),

first_lead as (

    select min(cast(created_at as date)) as first_created_date
    from leads

),

health_dates as (

    select
        {{ dbt.dateadd(
            'month',
            '-1 * month_offsets.months_back',
            dbt.date_trunc('month', 'current_date_row.score_as_of')
        ) }} as score_as_of
    from month_offsets
    cross join settings
    cross join first_lead
    cross join current_date_row
    where month_offsets.months_back < settings.health_months

),

all_dates as (

    select
        score_as_of,
        case when is_current then 1 else 0 end as is_current,
        case when is_backtest then 1 else 0 end as is_backtest,
        0 as is_health_check
    from scoring_dates

    union all

    select
        cast(health_dates.score_as_of as date) as score_as_of,
        0 as is_current,
        0 as is_backtest,
        1 as is_health_check
    from health_dates
    cross join first_lead
    -- Months that begin after the first lead was created: earlier ones have no leads to judge.
    where cast(health_dates.score_as_of as date) > first_lead.first_created_date

),

final as (

    select
        score_as_of,
        max(is_current) = 1 as is_current,
        max(is_backtest) = 1 as is_backtest,
        max(is_health_check) = 1 as is_health_check,
        -- The first instant after the scoring date: "known" means strictly before it.
        {{ dbt.dateadd('day', 1, 'cast(score_as_of as ' ~ dbt.type_timestamp() ~ ')') }}
            as known_before
    from all_dates
    group by score_as_of

)

select * from final
