-- One row per scoring date and lead: the latest version known on that date (ties on updated_at
-- broken by the row fingerprint, so every engine picks the same row), and why it cannot be
-- scored when it cannot. lead_created_at is the earliest created_at of the versions known. Rows
-- without a lead id are leads of their own, keyed by their row id. The versions are put in
-- order once (not once per date): a date picks, per lead, the version known by then whose next
-- one was not.
--
-- Incremental per scoring date (delete+insert by score_as_of): a run selects the versions of
-- the dates whose lead versions changed since they were stored (leads_fingerprint), or whose
-- seeds or SQL changed (scored_with); a settled date keeps its rows.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
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

-- Each version with what is known once it is: versions in the order they became known (rows
-- with neither timestamp first: they are known on every date; ties on updated_at broken by the
-- row id), how many are known with it, the earliest created_at among them (a CDC stream may
-- drop or rewrite created_at in a later version: the lead was created when the earliest
-- version says), and when the next one became known.
versions_in_order as (

    select
        coalesce(lead_versions.lead_id, {{ dbt.concat(["'row:'", 'lead_versions.lead_row_id']) }})
            as lead_key,
        lead_versions.*,
        row_number() over versions_known as known_version_count,
        -- (The default frame: every version up to this one, the order being unique.)
        min(lead_versions.created_at) over versions_known as lead_created_at,
        -- Deleted in the CRM by this version or an earlier one (a CRM adapter's flag).
        max(case when lead_versions.is_deleted then 1 else 0 end) over versions_known
            as deleted_versions_known,
        lead(lead_versions.lead_row_id) over versions_known as next_row_id,
        lead(lead_versions.version_known_at) over versions_known as next_known_at
    from lead_versions
    window versions_known as (
        partition by
            coalesce(
                lead_versions.lead_id, {{ dbt.concat(["'row:'", 'lead_versions.lead_row_id']) }}
            )
        order by
            case when lead_versions.version_known_at is null then 0 else 1 end,
            lead_versions.version_known_at,
            lead_versions.lead_row_id
    )

),

-- On each date, the version in force: known by then, and the last so (no next version, or
-- the next one became known later).
final as (

    select
        dates_to_score.score_as_of,
        dates_to_score.known_before,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with,
        versions_in_order.*,
        case
            when versions_in_order.lead_id is null then 'missing_lead_id'
            when versions_in_order.deleted_versions_known > 0 then 'deleted_in_crm'
            when versions_in_order.lead_created_at is null then 'missing_created_at'
            when versions_in_order.lead_created_at >= dates_to_score.known_before
                then 'created_after_score_date'
        end as rejection_reason
    from versions_in_order
    inner join dates_to_score
        on
            (
                versions_in_order.version_known_at < dates_to_score.known_before
                or versions_in_order.version_known_at is null
            )
            and (
                versions_in_order.next_row_id is null
                or versions_in_order.next_known_at >= dates_to_score.known_before
            )

)

select * from final
