-- One row per scoring date, lead and disqualification rule the lead meets on that date.
--
-- Incremental per scoring date: a run matches the dates whose inputs changed since they were
-- stored (inputs_fingerprint), or whose seeds or SQL changed.
{{ config(
    unique_key='score_as_of',
    post_hook="{{ delete_unlisted_scoring_dates(ref('int_scoring_inputs_fingerprinted')) }}"
) }}

with

scoring_dates as (

    select * from {{ ref('int_scoring_inputs_fingerprinted') }}

),

dates_to_score as (

    {{ dates_to_score('scoring_dates', 'inputs_fingerprint') }}

),

leads as (

    select lead_versions.*
    from {{ ref('int_lead_versions_selected') }} as lead_versions
    inner join dates_to_score
        on lead_versions.score_as_of = dates_to_score.score_as_of

),

engagement as (

    select engagement_points.*
    from {{ ref('int_engagement_points_decayed') }} as engagement_points
    inner join dates_to_score
        on engagement_points.score_as_of = dates_to_score.score_as_of

),

disqualification_rules as (

    select * from {{ ref('disqualification_rules') }}

),

scorable_leads as (

    select * from leads
    where rejection_reason is null

),

-- Title patterns are matched once per distinct title (titles repeat across leads and dates),
-- then joined back on equality.
title_rule_matches as (

    select
        titles.job_title_words,
        disqualification_rules.rule_id
    from (
        select distinct job_title_words
        from scorable_leads
        where job_title_words is not null
    ) as titles
    inner join disqualification_rules
        on
            disqualification_rules.rule_type = 'title_pattern'
            and {{ regex_matches('titles.job_title_words', 'disqualification_rules.match_value') }}

),

version_rule_matches as (

    select
        scorable_leads.score_as_of,
        scorable_leads.lead_id,
        disqualification_rules.rule_id,
        disqualification_rules.disqualification_reason
    from scorable_leads
    inner join disqualification_rules
        on
            (
                disqualification_rules.rule_type = 'do_not_contact'
                and scorable_leads.is_do_not_contact
            )
            or (
                disqualification_rules.rule_type = 'email_domain'
                and lower(trim(disqualification_rules.match_value))
                in (scorable_leads.email_domain, scorable_leads.company_domain)
            )
            or (
                disqualification_rules.rule_type = 'free_mail_domain'
                and scorable_leads.is_free_mail
                and scorable_leads.company_domain is null
            )
            or (
                disqualification_rules.rule_type = 'country'
                and scorable_leads.country_code = upper(trim(disqualification_rules.match_value))
            )
            or (
                disqualification_rules.rule_type = 'industry'
                and {{ normalise_text('scorable_leads.industry') }}
                = {{ normalise_text('disqualification_rules.match_value') }}
            )

),

title_matches as (

    select
        scorable_leads.score_as_of,
        scorable_leads.lead_id,
        disqualification_rules.rule_id,
        disqualification_rules.disqualification_reason
    from scorable_leads
    inner join title_rule_matches
        on scorable_leads.job_title_words = title_rule_matches.job_title_words
    inner join disqualification_rules
        on title_rule_matches.rule_id = disqualification_rules.rule_id

),

-- (One row per rule: a type's events may be split over several engagement rules.)
event_rule_matches as (

    select distinct
        engagement.score_as_of,
        engagement.lead_id,
        disqualification_rules.rule_id,
        disqualification_rules.disqualification_reason
    from engagement
    inner join disqualification_rules
        on
            disqualification_rules.rule_type = 'event_type'
            and engagement.event_type = lower(trim(disqualification_rules.match_value))

),

matches as (

    select * from version_rule_matches
    union all
    select * from title_matches
    union all
    select * from event_rule_matches

),

final as (

    select
        matches.*,
        dates_to_score.inputs_fingerprint,
        dates_to_score.scored_with
    from matches
    inner join dates_to_score
        on matches.score_as_of = dates_to_score.score_as_of

)

select * from final
