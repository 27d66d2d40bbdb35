-- One row per scored lead and rule that gave it points as of score_as_of: fit dimensions,
-- engagement event types and attribute rules (a type on a page or campaign), the seeded base
-- a score starts from when it is not 0 (scoring_settings: fit_base_points,
-- engagement_base_points), and the clamp of a score to 0-100 when it applied. Per lead, the
-- points of the fit rows sum to fit_score and those of the engagement rows to engagement_score.

with

-- This build's scoring date only: the scores qualified_leads shows.
current_totals as (

    select * from {{ ref('int_lead_stages_tracked') }}

),

fit_points as (

    select * from {{ ref('int_fit_points_matched') }}

),

engagement as (

    select * from {{ ref('int_engagement_points_decayed') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

settings as (

    select * from {{ ref('int_scoring_settings_pivoted') }}

),

fit_rows as (

    select
        current_totals.score_as_of,
        current_totals.lead_id,
        'fit' as score_type,
        fit_points.fit_dimension as dimension,
        fit_points.fit_rule as rule_name,
        fit_points.matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        fit_points.fit_points as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        fit_points.fit_points as capped_points,
        cast(null as {{ dbt.type_string() }}) as rule_label
    from current_totals
    inner join fit_points
        on current_totals.lead_row_id = fit_points.lead_row_id
    where fit_points.fit_points <> 0

),

engagement_rows as (

    select
        current_totals.score_as_of,
        current_totals.lead_id,
        'engagement' as score_type,
        case when engagement.rule_id is null then 'engagement' else 'engagement_rule' end
            as dimension,
        coalesce(engagement.rule_id, engagement.event_type) as rule_name,
        cast(engagement.event_count as {{ dbt.type_string() }}) as matched_value,
        cast(engagement.event_count as {{ dbt.type_bigint() }}) as event_count,
        engagement.raw_points,
        engagement.decay_factor,
        engagement.capped_points,
        coalesce(engagement.rule_label, event_types.description) as rule_label
    from current_totals
    inner join engagement
        on
            current_totals.score_as_of = engagement.score_as_of
            and current_totals.lead_id = engagement.lead_id
    left join event_types
        on
            engagement.rule_id is null
            and engagement.event_type = lower(trim(event_types.event_type))
    where engagement.capped_points <> 0

),

-- The base is a score_range row like the clamp: a reason of no seed row (sales_handoff skips both).
base_rows as (

    select
        current_totals.score_as_of,
        current_totals.lead_id,
        'fit' as score_type,
        'score_range' as dimension,
        'base points' as rule_name,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(settings.fit_base_points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(settings.fit_base_points as {{ type_double() }}) as capped_points,
        cast(null as {{ dbt.type_string() }}) as rule_label
    from current_totals
    cross join settings
    where settings.fit_base_points <> 0

    union all

    select
        current_totals.score_as_of,
        current_totals.lead_id,
        'engagement' as score_type,
        'score_range' as dimension,
        'base points' as rule_name,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(settings.engagement_base_points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(settings.engagement_base_points as {{ type_double() }}) as capped_points,
        cast(null as {{ dbt.type_string() }}) as rule_label
    from current_totals
    cross join settings
    where settings.engagement_base_points <> 0

),

clamp_rows as (

    {% for score_type in ['fit', 'engagement'] %}
        select
            score_as_of,
            lead_id,
            '{{ score_type }}' as score_type,
            'score_range' as dimension,
            case
                when {{ score_type }}_points_total > 100 then 'capped at 100' else 'floored at 0'
            end as rule_name,
            -- Rounded first: a sum of doubles may differ in its last bit from run to run.
            cast(
                cast({{ score_type }}_points_total as decimal(18, 4)) as {{ dbt.type_string() }}
            ) as matched_value,
            cast(null as {{ dbt.type_bigint() }}) as event_count,
            {{ score_type }}_points_total as raw_points,
            cast(1 as {{ type_double() }}) as decay_factor,
            {{ score_type }}_score - {{ score_type }}_points_total as capped_points,
            cast(null as {{ dbt.type_string() }}) as rule_label
        from current_totals
        where {{ score_type }}_score <> {{ score_type }}_points_total
        {% if not loop.last %}
            union all
        {% endif %}
    {% endfor %}

),

unioned as (

    select * from fit_rows
    union all
    select * from engagement_rows
    union all
    select * from base_rows
    union all
    select * from clamp_rows

),

final as (

    select
        {{ dbt.concat(['lead_id', "'|'", 'score_type', "'|'", 'dimension', "'|'", 'rule_name']) }}
            as component_id,
        *
    from unioned

)

select * from final
