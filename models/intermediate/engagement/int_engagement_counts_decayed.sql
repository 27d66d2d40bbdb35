-- One row per scoring date, lead and engagement rule the lead had events of by that date (an
-- attribute rule: a type on a page or campaign, or else the type's weight): its events and
-- their count after exponential decay to the scoring date (each event halved every
-- half_life_days of its rule). Points are not here: int_engagement_points_decayed applies them,
-- so an edit of points, caps or labels re-reads no event.
--
-- Two paths, one rule. On the current scoring date, a lead's events come from the running sums
-- of int_engagement_sums_rebased (decayed on from the date they were taken to): a day of new
-- events changes only the sums it touches. On the other dates (the backtest date, health
-- months, calibration dates), and for a lead with events from before its creation day (which
-- are not its), they come from the event days resolved one by one (resolved_event_days,
-- int_event_days_resolved's rule). An email belongs to the lead that has it on the scoring date
-- (lead_ref_owners_ctes); events of no lead or of a rejected lead count for nothing.
--
-- Incremental per scoring date: a run counts only the dates whose lead versions, event days or
-- half-lives changed since they were stored (events_fingerprint) or whose SQL changed; the
-- seeds are left out of scored_with, so a points edit recomputes nothing here.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates() }}"
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

current_date_row as (

    select score_as_of from dates_to_score
    where is_current

),

lead_versions as (

    select * from {{ ref('int_lead_versions_selected') }}

),

rules as (

    select * from {{ ref('int_engagement_rules_listed') }}

),

sum_refs as (

    select distinct
        lead_ref_type,
        lead_ref
    from sums

),

{{ leadscore.lead_ref_owners_ctes(
    scoring_dates='current_date_row', leads='lead_versions', lead_refs='sum_refs', prefix='current_'
) }},

owned_sums as (

    select
        current_ref_owners.score_as_of,
        current_ref_owners.lead_id,
        cast(current_ref_owners.lead_created_at as date) as created_date,
        sums.*
    from sums
    inner join current_ref_owners
        on
            sums.lead_ref_type = current_ref_owners.lead_ref_type
            and sums.lead_ref = current_ref_owners.lead_ref
    where
        current_ref_owners.lead_id is not null
        and current_ref_owners.lead_rejection_reason is null

),

-- Leads whose events are resolved day by day: every lead on the other dates counted now, and
-- on the current one the leads with events before their creation day.
per_day_leads as (

    select
        lead_versions.score_as_of,
        lead_versions.lead_id
    from lead_versions
    inner join dates_to_score
        on lead_versions.score_as_of = dates_to_score.score_as_of
    where
        not dates_to_score.is_current
        and lead_versions.lead_id is not null

    union

    select
        score_as_of,
        lead_id
    from owned_sums
    where first_event_date < created_date

),

resolved_days as (

    {{ resolved_event_days(
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

sum_references as (

    select
        owned_sums.score_as_of,
        owned_sums.lead_id,
        owned_sums.event_type,
        owned_sums.rule_key,
        owned_sums.event_count,
        owned_sums.last_occurred_at,
        owned_sums.half_life_days,
        owned_sums.decayed_event_count * {{ half_life_decay(
            dbt.datediff('owned_sums.sums_through', 'owned_sums.score_as_of', 'day'),
            'owned_sums.half_life_days'
        ) }} as decayed_event_count
    from owned_sums
    left join per_day_leads
        on
            owned_sums.score_as_of = per_day_leads.score_as_of
            and owned_sums.lead_id = per_day_leads.lead_id
    where per_day_leads.lead_id is null

),

per_reference as (

    select * from sum_references
    union all
    select * from per_day_references

),

final as (

    select
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        per_reference.rule_key,
        sum(per_reference.event_count) as event_count,
        max(per_reference.last_occurred_at) as last_occurred_at,
        max(per_reference.half_life_days) as half_life_days,
        sum(per_reference.decayed_event_count) as decayed_event_count,
        max(dates_to_score.inputs_fingerprint) as inputs_fingerprint,
        max(dates_to_score.scored_with) as scored_with
    from per_reference
    inner join dates_to_score
        on per_reference.score_as_of = dates_to_score.score_as_of
    group by
        per_reference.score_as_of,
        per_reference.lead_id,
        per_reference.event_type,
        per_reference.rule_key

)

select * from final
