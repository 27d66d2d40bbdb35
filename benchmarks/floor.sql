-- The floor: one hand-written DuckDB query computing lead_id, fit_score, engagement_score,
-- lead_score and lifecycle_stage from the raw tables and the seed tables, as of $as_of. An
-- independent cross-check of the SQL scoring, written without the models: the benchmark's
-- yardstick for the dbt build (`leadscore bench`), and it must agree with
-- marts.qualified_leads (a disagreement is a bug in one of the two). Not used by the warehouse.
with
as_of as (select cast($as_of as date) as d, cast($as_of as timestamp) + interval 1 day as known_before),
settings as (
    select
        max(case when setting = 'fit_weight' then setting_value end) as fit_weight,
        max(case when setting = 'engagement_weight' then setting_value end) as engagement_weight,
        max(case when setting = 'mql_min_lead_score' then setting_value end) as mql_min,
        max(case when setting = 'sql_min_lead_score' then setting_value end) as sql_min,
        max(case when setting = 'mql_min_fit_score' then setting_value end) as mql_min_fit,
        max(case when setting = 'mql_min_engagement_score' then setting_value end) as mql_min_engagement
    from staging.scoring_settings
),
bant as (
    select
        bool_or(bant_criterion = 'budget' and is_required_for_sql) as need_budget,
        bool_or(bant_criterion = 'authority' and is_required_for_sql) as need_authority,
        bool_or(bant_criterion = 'need' and is_required_for_sql) as need_need,
        bool_or(bant_criterion = 'timeline' and is_required_for_sql) as need_timeline
    from staging.bant_criteria
),
versions as (
    select
        nullif(trim(l.lead_id), '') as lead_id,
        case when regexp_matches(trim(lower(l.email)), '^[^@ ]+@[^@ ]+[.][a-z]{2,}$') then trim(lower(l.email)) end as email,
        ' ' || trim(regexp_replace(lower(l.job_title), '[^\p{L}\p{M}\p{N}]+', ' ', 'g')) || ' ' as title_words,
        nullif(regexp_replace(regexp_replace(trim(lower(l.company_domain)), '^[a-z]+://', '', 'g'), '^www[.]|[/?#:].*$', '', 'g'), '') as domain,
        nullif(trim(regexp_replace(lower(l.industry), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')), '') as industry_key,
        nullif(trim(regexp_replace(lower(l.country), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')), '') as country_key,
        nullif(trim(regexp_replace(lower(l.lead_source), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')), '') as source_key,
        nullif(trim(regexp_replace(lower(l.purchase_timeline), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')), '') as timeline_key,
        nullif(trim(l.use_case), '') is not null as has_need,
        coalesce(l.budget_confirmed, false) as has_budget,
        coalesce(l.do_not_contact, false) as dnc,
        l.employee_count, cast(l.annual_revenue_usd as decimal(18, 2)) as revenue,
        l.created_at, coalesce(l.updated_at, l.created_at) as known_at,
        md5(concat_ws('|', coalesce(cast(l.lead_id as varchar), '~'), coalesce(cast(l.email as varchar), '~'),
            coalesce(cast(l.first_name as varchar), '~'), coalesce(cast(l.last_name as varchar), '~'),
            coalesce(cast(l.job_title as varchar), '~'), coalesce(cast(l.company_name as varchar), '~'),
            coalesce(cast(l.company_domain as varchar), '~'), coalesce(cast(l.industry as varchar), '~'),
            coalesce(cast(l.employee_count as varchar), '~'), coalesce(cast(l.annual_revenue_usd as varchar), '~'),
            coalesce(cast(l.country as varchar), '~'), coalesce(cast(l.lead_source as varchar), '~'),
            coalesce(cast(l.budget_confirmed as varchar), '~'), coalesce(cast(l.purchase_timeline as varchar), '~'),
            coalesce(cast(l.use_case as varchar), '~'), coalesce(cast(l.do_not_contact as varchar), '~'),
            coalesce(cast(l.created_at as varchar), '~'), coalesce(cast(l.updated_at as varchar), '~'))) as fingerprint
    from raw.crm_leads as l
),
current_versions as (
    select v.*
    from versions as v, as_of
    where v.lead_id is not null and (v.known_at < as_of.known_before or v.known_at is null)
    qualify row_number() over (
        partition by v.lead_id
        order by case when v.known_at is null then 1 else 0 end, v.known_at desc, v.fingerprint desc
    ) = 1
),
leads as (
    select
        c.*,
        split_part(c.email, '@', 2) as email_domain,
        coalesce(ca.country_code, case when length(c.country_key) = 2 then upper(c.country_key) end) as country_code
    from current_versions as c, as_of
    left join (select trim(regexp_replace(lower(country_alias), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')) as k, upper(trim(country_code)) as country_code
               from staging.country_aliases) as ca on c.country_key = ca.k
    where c.created_at is not null and c.created_at < as_of.known_before
),
industries as (
    select distinct k, industry from (
        select trim(regexp_replace(lower(industry_alias), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')) as k, industry from staging.industry_aliases
        union all
        select trim(regexp_replace(lower(industry), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')), industry from staging.icp_industries)
),
titles as (select distinct title_words from leads),
seniority as (
    select t.title_words, s.seniority, s.fit_points, s.has_buying_authority
    from titles as t join staging.icp_seniorities as s on regexp_matches(t.title_words, s.title_pattern)
    qualify row_number() over (partition by t.title_words order by s.match_order) = 1
),
department as (
    select t.title_words, d.fit_points
    from titles as t join staging.icp_departments as d on regexp_matches(t.title_words, d.title_pattern)
    qualify row_number() over (partition by t.title_words order by d.match_order) = 1
),
title_rules as (
    select distinct t.title_words
    from titles as t join staging.disqualification_rules as r
        on r.rule_type = 'title_pattern' and regexp_matches(t.title_words, r.match_value)
),
enriched as (
    select
        l.*,
        i.industry,
        fm.email_domain is not null as is_free_mail,
        coalesce(l.domain, case when fm.email_domain is null then l.email_domain end) as company_domain,
        coalesce(sn.has_buying_authority, false) as has_authority,
        coalesce(t.is_qualifying, false) as has_timeline,
        coalesce(ip.fit_points, 0) + coalesce(sz.fit_points, 0) + coalesce(rv.fit_points, 0)
        + coalesce(sn.fit_points, 0) + coalesce(dp.fit_points, 0) + coalesce(co.fit_points, 0)
        + coalesce(ls.fit_points, 0) as fit_points
    from leads as l
    left join industries as i on l.industry_key = i.k
    left join staging.icp_industries as ip on i.industry = ip.industry
    left join staging.icp_company_size_bands as sz on l.employee_count between sz.min_employees and sz.max_employees
    left join staging.icp_revenue_bands as rv on l.revenue >= rv.min_revenue_usd and l.revenue < rv.max_revenue_usd
    left join seniority as sn on l.title_words = sn.title_words
    left join department as dp on l.title_words = dp.title_words
    left join staging.icp_countries as co on l.country_code = upper(trim(co.country_code))
    left join staging.lead_source_points as ls on l.source_key = trim(regexp_replace(lower(ls.lead_source), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g'))
    left join staging.free_mail_domains as fm on l.email_domain = fm.email_domain
    left join (select trim(regexp_replace(lower(purchase_timeline), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')) as k, is_qualifying
               from staging.bant_timelines) as t on l.timeline_key = t.k
),
events as (
    select
        nullif(trim(e.lead_id), '') as lead_id,
        case when regexp_matches(trim(lower(e.email)), '^[^@ ]+@[^@ ]+[.][a-z]{2,}$') then trim(lower(e.email)) end as email,
        nullif(trim(lower(e.event_type)), '') as event_type,
        cast(e.occurred_at as date) as event_date,
        e.occurred_at,
        nullif(trim(e.event_id), '') as event_id,
        nullif(trim(e.page_url), '') as page_url,
        nullif(trim(e.campaign_id), '') as campaign_id
    from raw.marketing_events as e, as_of
    where nullif(trim(e.event_id), '') is not null and e.occurred_at < as_of.known_before
    qualify row_number() over (
        partition by nullif(trim(e.event_id), '')
        order by e.occurred_at, nullif(trim(lower(e.event_type)), ''), nullif(trim(e.lead_id), ''),
                 case when regexp_matches(trim(lower(e.email)), '^[^@ ]+@[^@ ]+[.][a-z]{2,}$') then trim(lower(e.email)) end
    ) = 1
),
email_owners as (
    select email, lead_id from enriched where email is not null
    qualify row_number() over (partition by email order by known_at desc, lead_id) = 1
),
attributed as (
    select coalesce(l.lead_id, o.lead_id) as lead_id, e.event_id, e.event_type, e.event_date, e.occurred_at,
        e.page_url, e.campaign_id
    from events as e
    left join enriched as l on e.lead_id = l.lead_id
    left join email_owners as o on e.lead_id is null and e.email = o.email
    where e.event_type is not null and coalesce(e.lead_id, e.email) is not null
),
-- Attribute rules: an event takes the first rule of its type that matches (both page and
-- campaign restricted first, then priority), else its type's weight.
attribute_rules as (
    select
        lower(trim(event_type)) as event_type, 'rule:' || trim(rule_id) as rule_key,
        nullif(trim(page_url_pattern), '') as pattern, lower(nullif(trim(campaign_id), '')) as campaign,
        points, max_points_per_lead, half_life_days,
        row_number() over (partition by lower(trim(event_type))
                           order by (nullif(trim(page_url_pattern), '') is not null
                                     and nullif(trim(campaign_id), '') is not null) desc, priority, rule_id) as ord
    from staging.engagement_attribute_rules
),
weights as (
    select 'type:' || lower(trim(event_type)) as rule_key, points, max_points_per_lead, half_life_days
    from staging.engagement_weights
    union all
    select rule_key, points, max_points_per_lead, half_life_days from attribute_rules
),
places as (
    select distinct event_type, coalesce(page_url, '') as url, coalesce(campaign_id, '') as campaign
    from attributed where event_type in (select event_type from attribute_rules)
),
first_rules as (
    select p.event_type, p.url, p.campaign, r.rule_key
    from places as p
    join attribute_rules as r
        on p.event_type = r.event_type
        and (r.pattern is null or (p.url <> '' and regexp_matches(lower(p.url), r.pattern)))
        and (r.campaign is null or lower(p.campaign) = r.campaign)
    qualify row_number() over (partition by p.event_type, p.url, p.campaign order by r.ord) = 1
),
typed as (
    select
        a.lead_id, a.event_type, coalesce(f.rule_key, 'type:' || a.event_type) as rule_key,
        sum(coalesce(w.points, 0) * power(0.5, date_diff('day', a.event_date, as_of.d) / w.half_life_days)) as decayed,
        max(w.max_points_per_lead) as cap,
        max(a.occurred_at) as last_at
    from attributed as a
    join enriched as l on a.lead_id = l.lead_id and a.event_date >= cast(l.created_at as date)
    cross join as_of
    left join first_rules as f
        on a.event_type = f.event_type and coalesce(a.page_url, '') = f.url
        and coalesce(a.campaign_id, '') = f.campaign
    left join weights as w on coalesce(f.rule_key, 'type:' || a.event_type) = w.rule_key
    group by a.lead_id, a.event_type, coalesce(f.rule_key, 'type:' || a.event_type)
),
engagement as (
    select lead_id,
        sum(case when cap is null then 0 else greatest(least(coalesce(decayed, 0), cap), -cap) end) as points,
        bool_or(event_type in (select lower(trim(match_value)) from staging.disqualification_rules where rule_type = 'event_type')) as dq_event
    from typed group by lead_id
),
scored as (
    select
        l.lead_id,
        least(greatest(l.fit_points, 0), 100) as fit_score,
        least(greatest(coalesce(g.points, 0), 0), 100) as engagement_score,
        l.dnc, coalesce(g.dq_event, false) as dq_event, l.title_words, l.country_code, l.industry,
        l.email_domain, l.company_domain, l.is_free_mail,
        l.has_budget, l.has_authority, l.has_need, l.has_timeline
    from enriched as l left join engagement as g on l.lead_id = g.lead_id
),
disqualified as (
    select distinct s.lead_id
    from scored as s join staging.disqualification_rules as r on
        (r.rule_type = 'do_not_contact' and s.dnc)
        or (r.rule_type = 'event_type' and s.dq_event)
        or (r.rule_type = 'email_domain' and lower(trim(r.match_value)) in (s.email_domain, s.company_domain))
        or (r.rule_type = 'free_mail_domain' and s.is_free_mail and s.company_domain is null)
        or (r.rule_type = 'title_pattern' and s.title_words in (select title_words from title_rules))
        or (r.rule_type = 'country' and s.country_code = upper(trim(r.match_value)))
        or (r.rule_type = 'industry' and trim(regexp_replace(lower(s.industry), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g'))
            = trim(regexp_replace(lower(r.match_value), '[^\p{L}\p{M}\p{N}&+]+', ' ', 'g')))
)
select
    s.lead_id,
    s.fit_score,
    s.engagement_score,
    st.fit_weight * s.fit_score + st.engagement_weight * s.engagement_score as lead_score,
    case
        when d.lead_id is not null then 'disqualified'
        -- An MQL or SQL needs the fit and engagement minimums too.
        when s.fit_score < st.mql_min_fit or s.engagement_score < st.mql_min_engagement then 'lead'
        when st.fit_weight * s.fit_score + st.engagement_weight * s.engagement_score >= st.sql_min
            and (not b.need_budget or s.has_budget) and (not b.need_authority or s.has_authority)
            and (not b.need_need or s.has_need) and (not b.need_timeline or s.has_timeline) then 'sql'
        when st.fit_weight * s.fit_score + st.engagement_weight * s.engagement_score >= st.mql_min then 'mql'
        else 'lead'
    end as lifecycle_stage
from scored as s
cross join settings as st
cross join bant as b
left join disqualified as d on s.lead_id = d.lead_id
