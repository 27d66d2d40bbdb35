-- One row per engagement rule: each event type's weight (rule_key 'type:<event_type>', rule_id
-- null) and each attribute rule (rule_key 'rule:<rule_id>': a type restricted by page URL
-- pattern and/or campaign), keys normalised once for every reader: the event-day aggregate
-- matches events to rules here, the sums take their half-lives, the scores their points and
-- caps. An event takes the first attribute rule of its type that
-- matches it in match_order (the most specific first, then the lowest priority), else its
-- type's weight row.
-- A view: the sums' recompute check reads it with run_query before the models of a run.
{{ config(materialized='view') }}

with

engagement_weights as (

    select * from {{ ref('engagement_weights') }}

),

attribute_rules as (

    select * from {{ ref('engagement_attribute_rules') }}

),

type_rules as (

    select
        {{ dbt.concat(["'type:'", 'lower(trim(event_type))']) }} as rule_key,
        lower(trim(event_type)) as event_type,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as {{ dbt.type_string() }}) as page_url_pattern,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as integer) as match_order,
        points,
        max_points_per_lead,
        half_life_days,
        cast(null as {{ dbt.type_string() }}) as rule_label
    from engagement_weights

),

-- dbt-spark loads an empty CSV field as the text 'None': empty, null and 'None' are no value.
cleaned_rules as (

    select
        lower(trim(event_type)) as event_type,
        trim(rule_id) as rule_id,
        nullif(nullif(trim(page_url_pattern), ''), 'None') as page_url_pattern,
        lower(nullif(nullif(trim(campaign_id), ''), 'None')) as campaign_id,
        priority,
        points,
        max_points_per_lead,
        half_life_days,
        trim(label) as rule_label
    from attribute_rules

),

ordered_rules as (

    select
        {{ dbt.concat(["'rule:'", 'rule_id']) }} as rule_key,
        event_type,
        rule_id,
        page_url_pattern,
        campaign_id,
        cast(row_number() over (
            partition by event_type
            order by
                case
                    when page_url_pattern is not null and campaign_id is not null then 0
                    else 1
                end,
                priority,
                rule_id
        ) as integer) as match_order,
        points,
        max_points_per_lead,
        half_life_days,
        rule_label
    from cleaned_rules

),

final as (

    select * from type_rules
    union all
    select * from ordered_rules

)

select * from final
