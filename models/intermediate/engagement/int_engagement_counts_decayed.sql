-- One row per scoring date, lead and engagement rule the lead had events of by that date (an
-- attribute rule: a type on a page or campaign, or else the type's weight): its events and
-- their count after exponential decay to the scoring date (each event halved every
-- half_life_days of its rule). Points are not here: int_engagement_points_decayed applies them,
-- so an edit of points, caps or labels re-reads no event.
--
-- Counts are summed per lead reference (a lead id or an email) first, then given to the lead
-- the reference belongs to on the date (lead_ref_owners_ctes): events of no lead or of a
-- rejected lead count for nothing. Exponential decay only rescales a sum as it ages, so:
-- - on the current date the running sums of int_engagement_sums_rebased are decayed on from
--   the date they were taken to (a day of new events changes only the sums it touches);
-- - on the other dates counted now (the backtest date, health months, calibration dates), each
--   event day is summed once, into the first of those dates on or after it (its bucket), and a
--   date adds up its bucket and the earlier ones decayed on to it: one pass over the event days
--   for all dates, not one per date;
-- - a lead with events from before its creation day (which are not its) is counted day by day
--   (resolved_event_days, int_event_days_resolved's rule) on that date.
--
-- Incremental per scoring date: a run counts only the dates whose lead versions, event days or
-- half-lives changed since they were stored (events_fingerprint) or whose SQL changed; the
-- seeds are left out of scored_with, so a points edit recomputes nothing here.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

sums as (

    select * from {{ ref('int_engagement_sums_rebased') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'events_fingerprint', include_seeds=false) }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_selected') }}

),

rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

event_days as {{ leadscore.not_materialized() }} (

    select * from {{ ref('int_event_days_aggregated') }}

),

-- The other dates counted in this run, each with the one before it: its bucket holds the event
-- days after that one, up to it.
bucket_dates as (

    select
        score_as_of,
        lag(score_as_of) over (order by score_as_of) as previous_date
    from dates_to_score
    where not is_current

),

-- Each day with events, in its bucket (a join of the few days with the few dates: the event
-- days then meet them by equality, which every engine spills to disk when it must).
event_dates as (

    select distinct event_date
    from event_days

),

day_buckets as (

    select
        event_dates.event_date,
        bucket_dates.score_as_of as bucket_date
    from event_dates
    inner join bucket_dates
        on
            event_dates.event_date <= bucket_dates.score_as_of
            and event_dates.event_date > coalesce(
                bucket_dates.previous_date, cast('0001-01-01' as date)
            )

),

buckets as (

    select
        day_buckets.bucket_date,
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type,
        event_days.rule_key,
        min(event_days.event_date) as first_event_date,
        sum(event_days.event_count) as event_count,
        max(event_days.last_occurred_at) as last_occurred_at,
        max(rules.half_life_days) as half_life_days,
        {{ exact_sum('event_days.event_count * ' ~ half_life_decay(
            dbt.datediff('event_days.event_date', 'day_buckets.bucket_date', 'day'),
            'rules.half_life_days'
        )) }} as decayed_event_count
    from event_days
    inner join day_buckets
        on event_days.event_date = day_buckets.event_date
    left join rules
        on event_days.rule_key = rules.rule_key
    group by
        day_buckets.bucket_date,
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type,
        event_days.rule_key

),

-- Each bucket with the dates it adds up into: its own and the later ones.
bucket_spans as (

    select
        buckets_from.score_as_of as bucket_date,
        buckets_to.score_as_of
    from bucket_dates as buckets_from
    inner join bucket_dates as buckets_to
        on buckets_from.score_as_of <= buckets_to.score_as_of

),

-- Per reference and rule on each date: the sums to the current date, and on the others each
-- bucket up to the date, decayed on to it (added up per lead below).
reference_sums as (

    select
        dates_to_score.score_as_of,
        sums.lead_ref_type,
        sums.lead_ref,
        sums.event_type,
        sums.rule_key,
        sums.first_event_date,
        sums.event_count,
        sums.last_occurred_at,
        sums.half_life_days,
        sums.decayed_event_count * {{ half_life_decay(
            dbt.datediff('sums.sums_through', 'dates_to_score.score_as_of', 'day'),
            'sums.half_life_days'
        ) }} as decayed_event_count
    from sums
    inner join dates_to_score
        on dates_to_score.is_current

    union all

    select
        bucket_spans.score_as_of,
        buckets.lead_ref_type,
        buckets.lead_ref,
        buckets.event_type,
        buckets.rule_key,
        buckets.first_event_date,
        buckets.event_count,
        buckets.last_occurred_at,
        buckets.half_life_days,
        buckets.decayed_event_count * {{ half_life_decay(
            dbt.datediff('buckets.bucket_date', 'bucket_spans.score_as_of', 'day'),
            'buckets.half_life_days'
        ) }} as decayed_event_count
    from buckets
    inner join bucket_spans
        on buckets.bucket_date = bucket_spans.bucket_date

),

-- The references to find an owner for on each date, with their first event day: those summed
-- to the current date, and on the others every reference from its first bucket on.
first_buckets as (

    select
        lead_ref_type,
        lead_ref,
        min(bucket_date) as bucket_date,
        min(first_event_date) as first_event_date
    from buckets
    group by
        lead_ref_type,
        lead_ref

),

dated_refs as (

    select
        dates_to_score.score_as_of,
        sums.lead_ref_type,
        sums.lead_ref,
        min(sums.first_event_date) as first_event_date
    from sums
    inner join dates_to_score
        on dates_to_score.is_current
    group by
        dates_to_score.score_as_of,
        sums.lead_ref_type,
        sums.lead_ref

    union all

    select
        bucket_spans.score_as_of,
        first_buckets.lead_ref_type,
        first_buckets.lead_ref,
        first_buckets.first_event_date
    from first_buckets
    inner join bucket_spans
        on first_buckets.bucket_date = bucket_spans.bucket_date

),

{{ leadscore.lead_ref_owners_ctes(
    scoring_dates=none, leads='lead_versions', lead_refs='dated_refs', prefix='dated_',
    carry=['first_event_date']
) }},

-- Each reference's counts given to the lead it belongs to on the date (none: no lead, or a
-- rejected one).
owned_references as (

    select
        reference_sums.score_as_of,
        dated_ref_owners.lead_id,
        reference_sums.event_type,
        reference_sums.rule_key,
        reference_sums.event_count,
        reference_sums.last_occurred_at,
        reference_sums.half_life_days,
        reference_sums.decayed_event_count
    from reference_sums
    inner join dated_ref_owners
        on
            reference_sums.score_as_of = dated_ref_owners.score_as_of
            and reference_sums.lead_ref_type = dated_ref_owners.lead_ref_type
            and reference_sums.lead_ref = dated_ref_owners.lead_ref
    where
        dated_ref_owners.lead_id is not null
        and dated_ref_owners.lead_rejection_reason is null

),

-- Leads counted day by day on a date: those with events from before their creation day.
per_day_leads as (

    select distinct
        score_as_of,
        lead_id
    from dated_ref_owners
    where
        lead_id is not null
        and lead_rejection_reason is null
        and first_event_date < cast(lead_created_at as date)

),

resolved_days as (

    {{ resolved_event_days(
        ref('int_scoring_dates_listed'), ref('int_event_days_aggregated'),
        ref('int_lead_versions_selected'),
        only_leads='select score_as_of, lead_id from per_day_leads',
        dates='select score_as_of from dates_to_score'
    ) }}

),

per_day_references as (

    select
        resolved_days.score_as_of,
        resolved_days.lead_id,
        resolved_days.event_type,
        resolved_days.rule_key,
        resolved_days.event_count,
        resolved_days.last_occurred_at,
        rules.half_life_days,
        resolved_days.event_count * {{ half_life_decay(
            dbt.datediff('resolved_days.event_date', 'resolved_days.score_as_of', 'day'),
            'rules.half_life_days'
        ) }} as decayed_event_count
    from resolved_days
    left join rules
        on resolved_days.rule_key = rules.rule_key
    where resolved_days.rejection_reason is null

),

per_reference as (

    select owned_references.*
    from owned_references
    left join per_day_leads
        on
            owned_references.score_as_of = per_day_leads.score_as_of
            and owned_references.lead_id = per_day_leads.lead_id
    where per_day_leads.lead_id is null

    union all

    select * from per_day_references

),

per_lead as (

    select
        score_as_of,
        lead_id,
        event_type,
        rule_key,
        sum(event_count) as event_count,
        max(last_occurred_at) as last_occurred_at,
        max(half_life_days) as half_life_days,
        {{ exact_sum('decayed_event_count') }} as decayed_event_count
    from per_reference
    group by
        score_as_of,
        lead_id,
        event_type,
        rule_key

),

final as (

    select
        per_lead.*,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with
    from per_lead
    inner join dates_to_score
        on per_lead.score_as_of = dates_to_score.score_as_of

)

select * from final
