{#-
    The event days known on each scoring date with the lead they belong to on that date, or why
    they belong to none: the body of int_event_days_resolved, defined once here. The caller
    passes its relations, so its model file shows what it reads: scoring_dates
    (ref('int_scoring_dates_listed')), event_days (ref('int_event_days_aggregated')) and
    lead_versions (ref('int_lead_versions_selected')). only_leads: a
    query of (score_as_of, lead_id) pairs; when given, only the event days of those leads are
    returned (rows without a lead are dropped), so a reader that needs a few leads
    (int_engagement_since_loss) does not resolve every event day again. window_days: a SQL
    expression of a whole number of days; when given, only the event days within that many days
    up to each scoring date (event_date > score_as_of - window_days) are returned. dates: a query
    of score_as_of values; when given, only those scoring dates are resolved (a per-date model's
    dates to score). Its CTE names do not repeat a caller's (Spark refuses a nested CTE that
    shadows an outer one).
-#}
{% macro resolved_event_days(scoring_dates, event_days, lead_versions, only_leads=none, window_days=none, dates=none) -%}
{%- set owners = 'kept_owners' if only_leads else 'ref_owners' -%}
with

scoring_dates as (

    select * from {{ scoring_dates }}
    {%- if dates %}
    where score_as_of in ({{ dates }})
    {%- endif %}

),

event_days as {{ leadscore.not_materialized() }} (

    select * from {{ event_days }}
    {%- if window_days %}
    where event_date > (
        select {{ dbt.dateadd('day', '-1 * (' ~ window_days ~ ')', 'min(score_as_of)') }}
        from scoring_dates
    )
    {%- endif %}

),

leads as (

    select * from {{ lead_versions }}
    {%- if dates %}
    where score_as_of in ({{ dates }})
    {%- endif %}

),

{% if window_days -%}
{%- if only_leads -%}
    {{ exceptions.raise_compiler_error('resolved_event_days: window_days with only_leads is not supported') }}
{%- endif -%}
-- Each event day paired with the scoring dates whose window holds it: the few days with events
-- meet the few dates first, then the event days meet those pairs by equality (an inequality
-- join of the event days themselves ran out of memory at 1M leads), and an owner is looked up
-- only for the dates a reference has days on.
window_dates as (

    select
        days_with_events.event_date,
        scoring_dates.score_as_of
    from (select distinct event_days.event_date from event_days) as days_with_events
    inner join scoring_dates
        on
            days_with_events.event_date <= scoring_dates.score_as_of
            and days_with_events.event_date > {{ dbt.dateadd(
                'day', '-1 * (' ~ window_days ~ ')', 'scoring_dates.score_as_of'
            ) }}

),

dated_days as {{ leadscore.not_materialized() }} (

    select
        window_dates.score_as_of,
        event_days.*
    from event_days
    inner join window_dates
        on event_days.event_date = window_dates.event_date

),

lead_refs as (

    select distinct
        score_as_of,
        lead_ref_type,
        lead_ref
    from dated_days

),

{{ leadscore.lead_ref_owners_ctes(scoring_dates=none) }},

resolved as (

    select
        dated_days.*,
        ref_owners.lead_id,
        ref_owners.lead_created_at,
        ref_owners.lead_rejection_reason
    from dated_days
    inner join ref_owners
        on
            dated_days.score_as_of = ref_owners.score_as_of
            and dated_days.lead_ref_type = ref_owners.lead_ref_type
            and dated_days.lead_ref = ref_owners.lead_ref

),

{% else -%}
-- Owners are resolved once per scoring date and lead reference (a few per lead), then joined
-- to the event days by equality: joining event days to dates by an inequality first misled
-- DuckDB's join planner into hashing the tens of millions of event days.
lead_refs as (

    {% if only_leads -%}
    {{ leadscore.asked_lead_refs(only_leads) }}
    {%- else -%}
    select distinct
        lead_ref_type,
        lead_ref
    from event_days
    {%- endif %}

),

{{ leadscore.lead_ref_owners_ctes() }},

{% if only_leads %}
-- Only the owners asked for: their event days are the only ones read in full.
kept_owners as (

    select ref_owners.*
    from ref_owners
    inner join (select distinct score_as_of, lead_id from ({{ only_leads }}) as asked) as only_leads
        on
            ref_owners.score_as_of = only_leads.score_as_of
            and ref_owners.lead_id = only_leads.lead_id

),
{% endif %}

resolved as (

    select
        ref_owners.score_as_of,
        event_days.*,
        ref_owners.lead_id,
        ref_owners.lead_created_at,
        ref_owners.lead_rejection_reason
    from event_days
    inner join {{ owners }} as ref_owners
        on
            event_days.lead_ref_type = ref_owners.lead_ref_type
            and event_days.lead_ref = ref_owners.lead_ref
    where
        event_days.event_date <= ref_owners.score_as_of

),

{% endif -%}

resolved_days as (

    select
        score_as_of,
        lead_ref_type,
        lead_ref,
        event_type,
        rule_key,
        event_date,
        event_count,
        last_occurred_at,
        lead_id,
        case
            when lead_id is null then 'unmatched_lead'
            when lead_rejection_reason is not null then 'lead_rejected'
            -- Whole days, like decay: an event on the day the lead was created counts.
            when event_date < cast(lead_created_at as date) then 'occurred_before_lead_created'
        end as rejection_reason
    from resolved

)

select * from resolved_days
{%- endmacro %}
