-- One row per date this build scores leads as of (score_as_of, and the backtest date). Every
-- event and lead version up to the end of that day (UTC) is known; nothing after it is.
-- Every scoring model reads this one, so the load guard (int_raw_loads_checked and its test)
-- runs first: a refused load stops the build here.
-- depends_on: {{ ref('int_raw_loads_checked') }}

with

scoring_dates as (

    {{ scoring_dates_sql() }}

),

final as (

    select
        score_as_of,
        is_current,
        is_backtest,
        -- The first instant after the scoring date: "known" means strictly before it.
        {{ dbt.dateadd('day', 1, 'cast(score_as_of as ' ~ dbt.type_timestamp() ~ ')') }}
            as known_before
    from scoring_dates

)

select * from final
