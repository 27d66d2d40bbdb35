{#-
    The lead references (ids, and the emails of their versions) the leads of only_leads can
    have, for resolved_event_days (CTEs leads and event_days in scope). DuckDB and Spark: from
    the leads asked alone; DuckDB reads no event day for it (at 1M leads the filter form made a
    day's run 59 s -> 73 s); Spark failed to run the filter form inside a unit test (a plan
    shipped to its tasks).
-#}
{% macro asked_lead_refs(only_leads) -%}
    {{ return(adapter.dispatch('asked_lead_refs', 'leadscore')(only_leads)) }}
{%- endmacro %}

{% macro default__asked_lead_refs(only_leads) -%}
    select distinct
        'lead_id' as lead_ref_type,
        asked_ids.lead_id as lead_ref
    from ({{ only_leads }}) as asked_ids

    union

    select distinct
        'email' as lead_ref_type,
        leads.email as lead_ref
    from leads
    inner join ({{ only_leads }}) as asked_emails
        on
            leads.score_as_of = asked_emails.score_as_of
            and leads.lead_id = asked_emails.lead_id
    where leads.email is not null
{%- endmacro %}

{#-
    Postgres: the same references as a filter of the event days; it planned the union form into
    a join order that ran for minutes on 3,000 leads (0.3 s this way).
-#}
{% macro postgres__asked_lead_refs(only_leads) -%}
    select distinct
        event_days.lead_ref_type,
        event_days.lead_ref
    from event_days
    where
        (
            event_days.lead_ref_type = 'lead_id'
            and event_days.lead_ref in (
                select asked_ids.lead_id from ({{ only_leads }}) as asked_ids
            )
        )
        or (
            event_days.lead_ref_type = 'email'
            and event_days.lead_ref in (
                select leads.email
                from leads
                inner join ({{ only_leads }}) as asked_emails
                    on
                        leads.score_as_of = asked_emails.score_as_of
                        and leads.lead_id = asked_emails.lead_id
            )
        )
{%- endmacro %}
