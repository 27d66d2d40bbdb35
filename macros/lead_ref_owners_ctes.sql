{#-
    The lead each lead reference (a lead id, or an email) belongs to on each scoring date, as CTEs
    for a caller's WITH list: {prefix}valid_leads, {prefix}email_owners, {prefix}ref_leads and
    {prefix}ref_owners
    (score_as_of, lead_ref_type, lead_ref, lead_id, lead_created_at, lead_rejection_reason). An
    email belongs to the lead whose version in force on the date carries it (the most recently
    updated one when several do). The caller names its CTEs of scoring dates, of lead versions
    (int_lead_versions_selected) and of distinct (lead_ref_type, lead_ref); a prefix keeps the
    names apart from another copy in the same query (Spark refuses shadowed CTE names). With
    scoring_dates=none, lead_refs carries score_as_of itself: an owner is looked up only for
    the dates a reference is asked on (not for every date times every reference). carry: more
    columns of lead_refs to pass through.
-#}
{% macro lead_ref_owners_ctes(scoring_dates='scoring_dates', leads='leads', lead_refs='lead_refs', prefix='', carry=[]) -%}
{{ prefix }}valid_leads as {{ leadscore.not_materialized() }} (

    select
        score_as_of,
        lead_id,
        email,
        lead_created_at as created_at,
        version_known_at,
        rejection_reason
    from {{ leads }}
    where lead_id is not null

),

{{ prefix }}email_owners as (

    select
        score_as_of,
        email,
        lead_id,
        created_at,
        rejection_reason,
        row_number() over (
            partition by score_as_of, email
            order by version_known_at desc, lead_id asc
        ) as owner_rank
    from {{ prefix }}valid_leads
    where
        email is not null
        and rejection_reason is null

),

-- The lead each reference names on each date: its id, and the owner of each email.
{{ prefix }}ref_leads as (

    select
        score_as_of,
        'lead_id' as lead_ref_type,
        lead_id as lead_ref,
        lead_id,
        created_at,
        rejection_reason
    from {{ prefix }}valid_leads

    union all

    select
        score_as_of,
        'email' as lead_ref_type,
        email as lead_ref,
        lead_id,
        created_at,
        rejection_reason
    from {{ prefix }}email_owners
    where owner_rank = 1

),

{{ prefix }}ref_owners as (

    {%- set dated = 'scoring_dates' if scoring_dates else 'lead_refs' %}
    select
        {{ dated }}.score_as_of,
        lead_refs.lead_ref_type,
        lead_refs.lead_ref,
        {%- for column in carry %}
        lead_refs.{{ column }},
        {%- endfor %}
        ref_leads.lead_id,
        ref_leads.created_at as lead_created_at,
        ref_leads.rejection_reason as lead_rejection_reason
    from {{ lead_refs }} as lead_refs
    {%- if scoring_dates %}
    cross join {{ scoring_dates }} as scoring_dates
    {%- endif %}
    left join {{ prefix }}ref_leads as ref_leads
        on
            {{ dated }}.score_as_of = ref_leads.score_as_of
            and lead_refs.lead_ref_type = ref_leads.lead_ref_type
            and lead_refs.lead_ref = ref_leads.lead_ref

)
{%- endmacro %}
