-- Conversion by fit grade x engagement level cell (seeds fit_grades, engagement_levels) in the
-- backtest, with lift over the overall rate.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

totals as (

    select
        cast(sum(case when is_converted then 1 else 0 end) as {{ type_double() }})
        / nullif(count(*), 0) as overall_conversion_rate
    from outcomes

),

cells as (

    select
        fit_grade,
        engagement_level,
        priority,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as conversions
    from outcomes
    group by fit_grade, engagement_level, priority

),

final as (

    select
        cells.fit_grade,
        cells.engagement_level,
        cells.priority,
        cells.leads,
        cells.conversions,
        cast(cells.conversions as {{ type_double() }}) / cells.leads as conversion_rate,
        cast(cells.conversions as {{ type_double() }}) / cells.leads
        / nullif(totals.overall_conversion_rate, 0) as lift
    from cells
    cross join totals

)

select * from final
order by fit_grade, engagement_level
