-- Every lead known on the scoring date is scored or rejected, never both, never neither.
-- Counted from the raw table itself, independently of the models' own keys.

with

scoring_date as (

    select * from {{ ref('int_scoring_dates_listed') }}
    where is_current

),

raw_leads as (

    select raw_rows.lead_id
    from {{ source('crm', 'crm_leads') }} as raw_rows
    cross join scoring_date
    where
        coalesce(raw_rows.updated_at, raw_rows.created_at) < scoring_date.known_before
        or coalesce(raw_rows.updated_at, raw_rows.created_at) is null

),

expected as (

    select
        count(distinct nullif(trim(lead_id), ''))
        + sum(case when nullif(trim(lead_id), '') is null then 1 else 0 end) as raw_lead_count
    from raw_leads

),

scored_and_rejected as (

    select count(*) as lead_count
    from {{ ref('qualified_leads') }} as scored
    inner join {{ ref('rejected_rows') }} as rejected
        on
            scored.lead_id = rejected.lead_id
            and rejected.source_table = 'crm_leads'

),

actual as (

    select
        (select count(*) from {{ ref('qualified_leads') }})
        + (
            select count(*) from {{ ref('rejected_rows') }}
            where source_table = 'crm_leads'
        ) as accounted_lead_count,
        (select lead_count from scored_and_rejected) as both_scored_and_rejected

)

select
    expected.raw_lead_count,
    actual.accounted_lead_count,
    actual.both_scored_and_rejected
from expected
cross join actual
where
    expected.raw_lead_count <> actual.accounted_lead_count
    or actual.both_scored_and_rejected > 0
