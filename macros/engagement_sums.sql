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
    {%- set columns = leadscore.incremental_columns() -%}
    {%- if 'sums_through' not in columns or 'rule_key' not in columns -%}
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
    and those with a rule whose half-life changed or that gained or lost its weight row. Used by
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
    left join {{ ref('int_engagement_rules_listed') }} as rules
        on stored.rule_key = rules.rule_key
    where not (
        stored.half_life_days = rules.half_life_days
        or (stored.half_life_days is null and rules.half_life_days is null)
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

{#-
    Which events the attribute rules match, as a SQL literal: a hash of every attribute rule's
    type, URL pattern, campaign and match order (not of points, caps or labels, which are read
    when scoring). int_event_days_aggregated stores it on each row and recounts every day when
    it changes. 'unknown' without a graph (a dbt unit test) or before the view exists.
-#}
{% macro engagement_rules_fingerprint() -%}
    {%- if not execute or not graph.get('nodes') -%}
        {{ return("'unknown'") }}
    {%- endif -%}
    {%- set rules = ref('int_engagement_rules_listed') -%}
    {#- Not built yet (a model run alone on a new warehouse, sqlfluff's compile): 'unknown',
        which the next build with the view recounts. -#}
    {%- if adapter.get_relation(rules.database, rules.schema, rules.identifier) is none -%}
        {{ return("'unknown'") }}
    {%- endif -%}
    {%- set found = run_query(
        'select rule_key, event_type, page_url_pattern, campaign_id, match_order from '
        ~ rules ~ ' where rule_id is not null order by rule_key'
    ) -%}
    {%- set parts = [] -%}
    {%- for row in found.rows -%}
        {%- do parts.append(row.values() | map('string') | join('|')) -%}
    {%- endfor -%}
    {{ return("'" ~ local_md5(parts | join(';'))[:12] ~ "'") }}
{%- endmacro %}

{#- Whether the stored event days were counted with other attribute rules (or before rules). -#}
{% macro engagement_rules_changed(fingerprint) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if 'rules_fingerprint' not in leadscore.incremental_columns() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) from ' ~ this ~ ' where rules_fingerprint is null or rules_fingerprint <> ' ~ fingerprint
    ) -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}
