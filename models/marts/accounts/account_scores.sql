-- One row per account (company domain; free-mail domains are people, not companies) as of
-- score_as_of: its contacts, how many of them engage and in how many roles, the best and
-- average lead score, and an account fit, engagement, score and stage from the seeds.
-- Disqualified contacts are counted but do not score: an account of competitors or students
-- only is disqualified.

with

scored_leads as (

    select * from {{ ref('qualified_leads') }}

),

free_mail_domains as (

    select * from {{ ref('free_mail_domains') }}

),

account_settings as (

    select * from {{ ref('account_settings') }}

),

account_stages as (

    select * from {{ ref('account_stages') }}

),

settings as (

    -- One column per setting named in seeds/_seeds.yml (account_settings: meta.settings).
    select {{ pivot_settings('account_settings') }}
    from account_settings

),

contacts as (

    select
        scored_leads.*,
        scored_leads.lifecycle_stage <> 'disqualified' as is_qualified,
        scored_leads.lifecycle_stage <> 'disqualified'
        and scored_leads.engagement_score >= settings.engaged_contact_min_engagement_score
            as is_engaged,
        row_number() over (
            partition by scored_leads.company_domain
            order by
                case when scored_leads.lifecycle_stage = 'disqualified' then 1 else 0 end asc,
                scored_leads.lead_score desc,
                scored_leads.lead_id asc
        ) as contact_rank
    from scored_leads
    cross join settings
    left join free_mail_domains
        on scored_leads.company_domain = free_mail_domains.email_domain
    where
        scored_leads.company_domain is not null
        and free_mail_domains.email_domain is null

),

aggregated as (

    select
        company_domain as account_domain,
        max(score_as_of) as score_as_of,
        count(*) as known_contacts,
        cast(sum(case when is_qualified then 1 else 0 end) as {{ dbt.type_bigint() }})
            as qualified_contacts,
        cast(sum(case when is_engaged then 1 else 0 end) as {{ dbt.type_bigint() }})
            as engaged_contacts,
        cast(
            sum(case when lifecycle_stage in ('mql', 'sql') then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as mql_contacts,
        cast(sum(case when lifecycle_stage = 'sql' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as sql_contacts,
        cast(sum(case when has_opportunity then 1 else 0 end) as {{ dbt.type_bigint() }})
            as contacts_with_opportunity,
        count(distinct case when is_engaged then seniority end) as engaged_seniorities,
        count(distinct case when is_engaged then department end) as engaged_departments,
        max(case when is_qualified then lead_score end) as best_lead_score,
        -- Exact sums (macros/exact_sum.sql): the same leads give the same average every build.
        {{ exact_sum('case when is_qualified then lead_score end') }}
        / nullif(sum(case when is_qualified then 1 else 0 end), 0) as average_lead_score,
        max(case when is_qualified then fit_score end) as account_fit_score,
        {{ exact_sum('case when is_qualified then engagement_score else 0 end') }}
            as engagement_score_total,
        max(case when is_engaged then last_engaged_at end) as last_engaged_at
    from contacts
    group by company_domain

),

scored as (

    select
        aggregated.*,
        -- Contacts' engagement adds up to the seed's cap, rescaled to 0-100.
        case
            when aggregated.engagement_score_total > settings.account_engagement_cap then 100
            else 100 * aggregated.engagement_score_total / settings.account_engagement_cap
        end as account_engagement_score,
        settings.account_fit_weight,
        settings.account_engagement_weight
    from aggregated
    cross join settings

),

account_scores as (

    select
        *,
        account_fit_weight * coalesce(account_fit_score, 0)
        + account_engagement_weight * account_engagement_score as account_score
    from scored

),

stage_matches as (

    select
        account_scores.account_domain,
        account_stages.account_stage,
        row_number() over (
            partition by account_scores.account_domain
            order by account_stages.stage_order desc
        ) as stage_rank
    from account_scores
    inner join account_stages
        on
            account_scores.account_score >= account_stages.min_account_score
            and account_scores.engaged_contacts >= account_stages.min_engaged_contacts
            and account_scores.engaged_seniorities >= account_stages.min_engaged_seniorities
            and account_scores.engaged_departments >= account_stages.min_engaged_departments

),

final as (

    select
        ---------- ids
        account_scores.account_domain,

        ---------- the account, from its best-scoring contact
        best_contacts.company_name,
        best_contacts.industry,
        best_contacts.country_code,

        ---------- contacts
        account_scores.known_contacts,
        account_scores.qualified_contacts,
        account_scores.engaged_contacts,
        account_scores.mql_contacts,
        account_scores.sql_contacts,
        account_scores.contacts_with_opportunity,
        account_scores.engaged_seniorities,
        account_scores.engaged_departments,

        ---------- scores
        account_scores.best_lead_score,
        account_scores.average_lead_score,
        account_scores.account_fit_score,
        account_scores.engagement_score_total,
        account_scores.account_engagement_score,
        account_scores.account_score,
        case
            when account_scores.qualified_contacts = 0 then 'disqualified'
            else stage_matches.account_stage
        end as account_stage,

        ---------- timestamps
        account_scores.last_engaged_at,
        account_scores.score_as_of
    from account_scores
    inner join contacts as best_contacts
        on
            account_scores.account_domain = best_contacts.company_domain
            and best_contacts.contact_rank = 1
    left join stage_matches
        on
            account_scores.account_domain = stage_matches.account_domain
            and stage_matches.stage_rank = 1

)

select * from final
