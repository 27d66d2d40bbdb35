-- One row per scoring date and lead: the latest version known on that date (ties on updated_at
-- broken by the row fingerprint, so every engine picks the same row), and why it cannot be
-- scored when it cannot. lead_created_at is the earliest created_at of the versions known. Rows
-- without a lead id are leads of their own, keyed by their row id.
--
-- Incremental per scoring date (delete+insert by score_as_of): a run selects the versions of
-- the dates whose lead versions changed since they were stored (leads_fingerprint), or whose
-- seeds or SQL changed (scored_with); a settled date keeps its rows.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates() }}"
) }}

with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'leads_fingerprint') }}

),

known_versions as (

    select
        dates_to_score.score_as_of,
        dates_to_score.known_before,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with,
        coalesce(lead_versions.lead_id, {{ dbt.concat(["'row:'", 'lead_versions.lead_row_id']) }})
            as lead_key,
        lead_versions.*
    from lead_versions
    inner join dates_to_score
        on
            lead_versions.version_known_at < dates_to_score.known_before
            -- A row with neither timestamp cannot be placed in time: it is reported every time.
            or lead_versions.version_known_at is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by score_as_of, lead_key
            order by
                case when version_known_at is null then 1 else 0 end,
                version_known_at desc,
                lead_row_id desc
        ) as version_rank,
        count(*) over (partition by score_as_of, lead_key) as known_version_count,
        -- A CDC stream may drop or rewrite created_at in a later version: the lead was created
        -- when the earliest version known on the date says.
        min(created_at) over (partition by score_as_of, lead_key) as lead_created_at
    from known_versions

),

final as (

    select
        *,
        case
            when lead_id is null then 'missing_lead_id'
            when lead_created_at is null then 'missing_created_at'
            when lead_created_at >= known_before then 'created_after_score_date'
        end as rejection_reason
    from ranked
    where version_rank = 1

)

select * from final
