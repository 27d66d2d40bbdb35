-- The single-valued settings and BANT requirements as one row, for joining onto every lead.

with

scoring_settings as (

    select * from {{ ref('scoring_settings') }}

),

bant_criteria as (

    select * from {{ ref('bant_criteria') }}

),

settings as (

    select
        max(case when setting = 'fit_weight' then setting_value end) as fit_weight,
        max(case when setting = 'engagement_weight' then setting_value end) as engagement_weight,
        max(case when setting = 'mql_min_lead_score' then setting_value end) as mql_min_lead_score,
        max(case when setting = 'mql_min_fit_score' then setting_value end) as mql_min_fit_score,
        max(case when setting = 'mql_min_engagement_score' then setting_value end)
            as mql_min_engagement_score,
        max(case when setting = 'sql_min_lead_score' then setting_value end) as sql_min_lead_score,
        max(case when setting = 'hot_min_lead_score' then setting_value end) as hot_min_lead_score,
        max(case when setting = 'hot_max_days_since_engaged' then setting_value end)
            as hot_max_days_since_engaged,
        max(case when setting = 'handoff_lookback_days' then setting_value end)
            as handoff_lookback_days,
        max(case when setting = 'history_min_score_change' then setting_value end)
            as history_min_score_change,
        max(case when setting = 'history_max_days_beyond_data' then setting_value end)
            as history_max_days_beyond_data,
        max(case when setting = 'recycle_max_engagement_score' then setting_value end)
            as recycle_max_engagement_score,
        max(case when setting = 'recycle_after_days' then setting_value end)
            as recycle_after_days,
        max(case when setting = 'raw_min_lead_rows' then setting_value end) as raw_min_lead_rows,
        max(case when setting = 'raw_max_shrink_share' then setting_value end)
            as raw_max_shrink_share
    from scoring_settings

),

bant as (

    select
        coalesce(
            max(case when bant_criterion = 'budget' and is_required_for_sql then 1 end), 0
        ) = 1 as is_budget_required,
        coalesce(
            max(case when bant_criterion = 'authority' and is_required_for_sql then 1 end), 0
        ) = 1 as is_authority_required,
        coalesce(
            max(case when bant_criterion = 'need' and is_required_for_sql then 1 end), 0
        ) = 1 as is_need_required,
        coalesce(
            max(case when bant_criterion = 'timeline' and is_required_for_sql then 1 end), 0
        ) = 1 as is_timeline_required
    from bant_criteria

),

final as (

    select
        1 as settings_id,
        settings.*,
        bant.*
    from settings
    cross join bant

)

select * from final
