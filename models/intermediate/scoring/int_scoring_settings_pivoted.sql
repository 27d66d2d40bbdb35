-- The single-valued settings and BANT requirements as one row, for joining onto every lead.

with

scoring_settings as (

    select * from {{ ref('scoring_settings') }}

),

bant_criteria as (

    select * from {{ ref('bant_criteria') }}

),

settings as (

    -- One column per setting named in seeds/_seeds.yml (scoring_settings: meta.settings).
    select {{ pivot_settings('scoring_settings') }}
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
