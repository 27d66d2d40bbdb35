-- One row per lead-score band (seed score_bands) in the backtest: leads scored as of D and not
-- yet converted, how many converted within the horizon, the conversion rate, its lift over the
-- overall rate, and the share of all conversions captured from the top band down to this one.

with

outcomes as (

    select * from {{ ref('backtest_lead_outcomes') }}

),

bands as (

    select * from {{ ref('int_score_bands_ranked') }}

),

banded as (

    select
        bands.score_band,
        bands.min_lead_score,
        bands.band_rank_from_top,
        count(outcomes.lead_id) as leads,
        cast(sum(case when outcomes.is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as conversions,
        cast(sum(case when outcomes.is_won then 1 else 0 end) as {{ dbt.type_bigint() }}) as wins
    from bands
    left join outcomes
        on
            bands.min_lead_score <= outcomes.lead_score
            and (
                bands.next_min_lead_score > outcomes.lead_score
                or bands.next_min_lead_score is null
            )
    group by bands.score_band, bands.min_lead_score, bands.band_rank_from_top

),

totals as (

    select
        sum(leads) as all_leads,
        sum(conversions) as all_conversions
    from banded

),

final as (

    select
        banded.score_band,
        banded.min_lead_score,
        banded.band_rank_from_top,
        banded.leads,
        banded.conversions,
        banded.wins,
        case
            when banded.leads > 0
                then cast(banded.conversions as {{ type_double() }}) / banded.leads
        end as conversion_rate,
        case
            when totals.all_leads > 0
                then cast(totals.all_conversions as {{ type_double() }}) / totals.all_leads
        end as overall_conversion_rate,
        case
            when banded.leads > 0 and totals.all_conversions > 0
                then
                    (cast(banded.conversions as {{ type_double() }}) / banded.leads)
                    / (cast(totals.all_conversions as {{ type_double() }}) / totals.all_leads)
        end as lift,
        case
            when totals.all_conversions > 0
                then cast(sum(banded.conversions) over (
                    order by banded.band_rank_from_top
                    rows between unbounded preceding and current row
                ) as {{ type_double() }}) / totals.all_conversions
        end as cumulative_conversion_share
    from banded
    cross join totals

)

select * from final
