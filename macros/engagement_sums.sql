{#-
    Whether int_engagement_sums_rebased computes every lead reference from the event days
    instead of adding to what it holds: on a first run or --full-refresh, on a table written
    before the columns existed, and when the scoring date is earlier than the date the sums were
    taken to (rebuilding an earlier date: events after it must come out). Asked by the pre-hook
    and by the model (a max over the table's sums_through, each time).
-#}
{% macro engagement_sums_recompute_all() -%}
    {%- if not is_incremental() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if 'sums_through' not in leadscore.incremental_columns() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query('select max(sums_through) from ' ~ this) -%}
    {%- set through = found.columns[0].values()[0] -%}
    {{ return(through is none or (through | string)[:10] > leadscore.score_as_of_value()) }}
{%- endmacro %}

{#- Pre-hook: an incremental run that recomputes everything starts from an empty table. -#}
{% macro empty_engagement_sums_if_recomputed() -%}
    {%- if is_incremental() and leadscore.engagement_sums_recompute_all() -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}

{#-
    The lead references (with type) int_engagement_sums_rebased recomputes from their event
    days, as one query: those with a summed day counted again since its last run (late events,
    redeliveries), those a redelivered event left since (int_events_deduplicated's previous_*),
    and those of a type whose half-life changed or that gained or lost its weight row. Used by
    the model and, once per run, to skip that work when there is none.
-#}
{% macro engagement_sums_recomputed_refs_sql() -%}
    select distinct
        event_days.lead_ref_type,
        event_days.lead_ref,
        event_days.event_type
    from {{ ref('int_event_days_aggregated') }} as event_days
    where
        event_days.counted_at > (
            select coalesce(max(marks.counted_until), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
            from {{ this }} as marks
        )
        and event_days.event_date <= (select max(marks.sums_through) from {{ this }} as marks)

    union

    select distinct
        events.previous_lead_ref_type as lead_ref_type,
        events.previous_lead_ref as lead_ref,
        events.previous_event_type as event_type
    from {{ ref('int_events_deduplicated') }} as events
    where
        events.processed_at > (
            select coalesce(max(marks.processed_until), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
            from {{ this }} as marks
        )
        and events.previous_lead_ref is not null
        and events.previous_event_type is not null

    union

    select distinct
        stored.lead_ref_type,
        stored.lead_ref,
        stored.event_type
    from {{ this }} as stored
    left join (
        select
            lower(trim(event_type)) as event_type,
            max(half_life_days) as half_life_days
        from {{ ref('engagement_weights') }}
        group by lower(trim(event_type))
    ) as weights
        on stored.event_type = weights.event_type
    where not (
        stored.half_life_days = weights.half_life_days
        or (stored.half_life_days is null and weights.half_life_days is null)
    )
{%- endmacro %}

{#- Whether an incremental run has references to recompute (asked once, before the model runs). -#}
{% macro engagement_sums_recompute_some() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) from (' ~ leadscore.engagement_sums_recomputed_refs_sql() ~ ') as refs'
    ) -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}
