-- Segment's track and page calls as engagement events, in the raw contract's marketing_events
-- columns (docs/RAW_CONTRACT.md) plus loaded_at (received_at). Event types: a track's name or a
-- page's name as seeds/mappings/source_event_types.csv maps it, else a track's name in lower
-- case with its words joined by _ (Demo Requested -> demo_requested) and a page a page_view.
-- The lead: the user id when var segment_user_id_is_lead_id is true; the email trait of the
-- user's latest identify, else of the anonymous visitor's, whichever the call was made as. An
-- anonymous visitor's calls reach a user once any identify (or logged-in call) links the two
-- ids, earlier calls included. A call that reaches neither names no lead: rejected_rows lists it
-- (missing_lead_reference). Identity is resolved once, with every identify loaded: a backtest as
-- of a date before a visitor's identify counts its calls as that lead's already.

with

tracks as (

    select * from {{ ref('base_segment__tracks') }}

),

pages as (

    select * from {{ ref('base_segment__pages') }}

),

identifies as (

    select * from {{ ref('base_segment__identifies') }}

),

source_event_types as (

    select * from {{ ref('source_event_types') }}
    where system = 'segment'

),

calls as (

    select
        'tracks' as source_table,
        *
    from tracks
    union all
    select
        'pages' as source_table,
        *
    from pages

),

-- The user of an anonymous visitor: the first one an identify or a logged-in call links to it.
anonymous_users as (

    select
        anonymous_id,
        user_id
    from (
        select
            anonymous_id,
            user_id,
            row_number() over (
                partition by anonymous_id order by occurred_at, user_id
            ) as link_number
        from (
            select
                anonymous_id,
                user_id,
                occurred_at
            from identifies
            union all
            select
                anonymous_id,
                user_id,
                occurred_at
            from calls
        ) as linked
        where anonymous_id is not null and user_id is not null
    ) as numbered
    where link_number = 1

),

-- The email trait of the latest identify that gives one, per user and per anonymous visitor.
user_emails as (

    select
        user_id,
        email
    from (
        select
            user_id,
            email,
            row_number() over (partition by user_id order by occurred_at desc, email) as newest
        from identifies
        where user_id is not null and email is not null
    ) as numbered
    where newest = 1

),

anonymous_emails as (

    select
        anonymous_id,
        email
    from (
        select
            anonymous_id,
            email,
            row_number() over (
                partition by anonymous_id order by occurred_at desc, email
            ) as newest
        from identifies
        where anonymous_id is not null and email is not null
    ) as numbered
    where newest = 1

),

typed as (

    select
        calls.*,
        coalesce(anonymous_users.user_id, calls.user_id) as linked_user_id,
        coalesce(
            source_event_types.event_type,
            case
                when calls.source_table = 'pages' then 'page_view'
                else lower({{ regex_replace_all('trim(calls.event_name)', "'[^A-Za-z0-9]+'", "'_'") }})
            end
        ) as event_type
    from calls
    left join source_event_types
        on
            calls.source_table = source_event_types.source_table
            and lower(trim(calls.event_name)) = lower(trim(source_event_types.source_value))
    left join anonymous_users
        on calls.anonymous_id = anonymous_users.anonymous_id

),

final as (

    select
        typed.event_id,
        {% if var('segment_user_id_is_lead_id', false) %}
            coalesce(typed.user_id, typed.linked_user_id) as lead_id,
        {% else %}
            cast(null as {{ dbt.type_string() }}) as lead_id,
        {% endif %}
        coalesce(user_emails.email, anonymous_emails.email) as email,
        typed.event_type,
        typed.occurred_at,
        typed.page_url,
        typed.campaign_id,
        typed.loaded_at
    from typed
    left join user_emails
        on coalesce(typed.user_id, typed.linked_user_id) = user_emails.user_id
    left join anonymous_emails
        on typed.anonymous_id = anonymous_emails.anonymous_id

)

select * from final
