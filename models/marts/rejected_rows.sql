-- One row per raw row (or lead) that the scores as of score_as_of do not use, with the reason.
-- Together with qualified_leads and the events and opportunities used, it accounts for every raw
-- row: nothing is dropped silently (tested in data-tests/).

with

leads as (

    select * from {{ ref('int_lead_versions_selected') }}

),

-- Every raw lead row (version), from the enriched table rather than the staging view: Spark's
-- optimiser runs out of memory on the view's expressions inlined into this model's plan.
lead_rows as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

event_deliveries as (

    select * from {{ ref('stg_marketing__events') }}

),

event_days as (

    select * from {{ ref('int_event_days_resolved') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_checked') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates_listed') }}

),

current_date_row as (

    select * from scoring_dates
    where is_current

),

rejected_leads as (

    select
        'crm_leads' as source_table,
        leads.lead_key as source_row_key,
        leads.lead_id,
        leads.rejection_reason
    from leads
    inner join current_date_row
        on leads.score_as_of = current_date_row.score_as_of
    where leads.rejection_reason is not null

),

-- Leads none of whose versions is known on the scoring date (every updated_at after it: a lead
-- created later, or a clock far in the future) are reported too, so that every raw lead is
-- either scored or rejected whatever its timestamps.
known_lead_keys as (

    select leads.lead_key
    from leads
    inner join current_date_row
        on leads.score_as_of = current_date_row.score_as_of

),

unknown_leads as (

    select
        'crm_leads' as source_table,
        lead_keys.lead_key as source_row_key,
        min(lead_keys.lead_id) as lead_id,
        case
            when min(lead_keys.lead_id) is null then 'missing_lead_id'
            when min(lead_keys.created_at) >= min(current_date_row.known_before)
                then 'created_after_score_date'
            else 'known_after_score_date'
        end as rejection_reason
    from (
        select
            coalesce(lead_id, {{ dbt.concat(["'row:'", 'lead_row_id']) }}) as lead_key,
            lead_id,
            created_at
        from lead_rows
    ) as lead_keys
    cross join current_date_row
    left join known_lead_keys
        on lead_keys.lead_key = known_lead_keys.lead_key
    where known_lead_keys.lead_key is null
    group by lead_keys.lead_key

),

-- Why an event delivery is unusable before any lead is looked at.
checked_deliveries as (

    select
        event_deliveries.*,
        case
            when event_deliveries.event_id is null then 'missing_event_id'
            when event_deliveries.delivery_number > 1 then 'duplicate_delivery'
            when event_deliveries.occurred_at is null then 'missing_occurred_at'
            when event_deliveries.event_type is null then 'missing_event_type'
            when coalesce(event_deliveries.lead_id, event_deliveries.email) is null
                then 'missing_lead_reference'
            when event_deliveries.occurred_at >= current_date_row.known_before
                then 'occurred_after_score_date'
        end as delivery_rejection_reason
    from event_deliveries
    cross join current_date_row

),

rejected_deliveries as (

    select
        'marketing_events' as source_table,
        event_delivery_id as source_row_key,
        lead_id,
        delivery_rejection_reason as rejection_reason
    from checked_deliveries
    where delivery_rejection_reason is not null

),

-- Events that are fine in themselves but belong to no scorable lead on the scoring date (one
-- row per day: its engagement rules share the reason).
rejected_event_days as (

    select distinct
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type,
        event_days.event_date,
        event_days.rejection_reason
    from event_days
    inner join current_date_row
        on event_days.score_as_of = current_date_row.score_as_of
    where event_days.rejection_reason is not null

),

rejected_resolutions as (

    select
        'marketing_events' as source_table,
        checked_deliveries.event_delivery_id as source_row_key,
        checked_deliveries.lead_id,
        rejected_event_days.rejection_reason
    from checked_deliveries
    inner join rejected_event_days
        on
            coalesce(checked_deliveries.lead_id, checked_deliveries.email)
            = rejected_event_days.lead_ref
            and (case when checked_deliveries.lead_id is not null then 'lead_id' else 'email' end)
            = rejected_event_days.lead_ref_type
            and checked_deliveries.event_type = rejected_event_days.event_type
            and cast(checked_deliveries.occurred_at as date) = rejected_event_days.event_date
    where checked_deliveries.delivery_rejection_reason is null

),

known_lead_ids as (

    select distinct leads.lead_id
    from leads
    inner join current_date_row
        on leads.score_as_of = current_date_row.score_as_of
    where leads.rejection_reason is null

),

rejected_opportunities as (

    select
        'crm_opportunities' as source_table,
        opportunities.opportunity_row_id as source_row_key,
        opportunities.lead_id,
        -- The row's own defects first (the check the scores read), then this date's.
        case
            when opportunities.rejection_reason is not null then opportunities.rejection_reason
            when opportunities.created_at >= current_date_row.known_before
                then 'created_after_score_date'
            when known_lead_ids.lead_id is null then 'unmatched_lead'
        end as rejection_reason
    from opportunities
    cross join current_date_row
    left join known_lead_ids
        on opportunities.lead_id = known_lead_ids.lead_id

),

unioned as (

    select * from rejected_leads
    union all
    select * from unknown_leads
    union all
    select * from rejected_deliveries
    union all
    select * from rejected_resolutions
    union all
    select * from rejected_opportunities
    where rejection_reason is not null

),

final as (

    select
        {{ dbt.concat(['source_table', "':'", 'source_row_key']) }} as rejected_row_id,
        unioned.source_table,
        unioned.source_row_key,
        unioned.lead_id,
        unioned.rejection_reason,
        current_date_row.score_as_of
    from unioned
    cross join current_date_row

)

select * from final
