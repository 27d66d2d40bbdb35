-- One side of `leadscore impact` in one row: the scoring version and date its marts were built
-- with, the leads scored and today's hand-off.

with

leads as (

    select * from {{ ref('qualified_leads') }}

),

handoff as (

    select count(*) as handed_off from {{ ref('sales_handoff') }}

),

totals as (

    select
        max(scoring_version) as scoring_version,
        max(score_as_of) as score_as_of,
        count(*) as leads
    from leads

),

final as (

    select
        totals.*,
        handoff.handed_off
    from totals
    cross join handoff

)

select * from final
