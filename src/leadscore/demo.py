"""Write deterministic, realistic and messy demo data into the raw tables of the contract.

The three tables of docs/RAW_CONTRACT.md (crm_leads, marketing_events, crm_opportunities) are
generated set-based in DuckDB SQL: every random draw is a hash of (row key, draw number, seed), so
the same --seed gives the same rows on any machine and at any thread count, and 50M events take
seconds per million leads rather than a Python loop per row.

Conversions follow a hidden propensity driven by the companies' and people's "true" fit and by
each lead's interest, which also drives how many and which events it produces. The hidden effects
resemble the seeded ICP but are not equal to it, so the backtest shows real signal with noise and a
calibration has something to learn.

The data is anchored to a fixed end date (--end-date), recorded in raw.demo_dataset, so the demo
means the same whatever day it is built: `make build` scores as of that date.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click
import duckdb

from leadscore import shapes
from leadscore.paths import PACKAGE
from leadscore.userfacing import checked_date
from leadscore.options import (
    db_option,
    end_date_option,
    events_per_lead_option,
    leads_option,
    main_for,
    schema_option,
    seed_option,
)

DEFAULT_END_DATE = "2026-06-30"
DEFAULT_DB = os.environ.get("LEADSCORE_DUCKDB", "warehouse/leadscore.duckdb")
RAW_TABLES = ("crm_leads", "marketing_events", "crm_opportunities")


# The vocabulary (spellings, weights and hidden effects on conversion) is data:
# vocabulary/demo_business.json.
VOCABULARY = json.loads((PACKAGE / "vocabulary" / "demo_business.json").read_text(encoding="utf-8"))
INDUSTRIES = VOCABULARY["industries"]
COUNTRIES = VOCABULARY["countries"]
LEAD_SOURCES = VOCABULARY["lead_sources"]
SENIORITIES = VOCABULARY["seniorities"]
DEPARTMENTS = VOCABULARY["departments"]
FIRST_NAMES = VOCABULARY["first_names"]
LAST_NAMES = VOCABULARY["last_names"]
COMPANY_WORDS_A = VOCABULARY["company_words_a"]
COMPANY_WORDS_B = VOCABULARY["company_words_b"]
FREE_MAIL = VOCABULARY["free_mail"]
COMPETITOR_DOMAINS = VOCABULARY["competitor_domains"]
TIMELINES = VOCABULARY["timelines"]
USE_CASES = VOCABULARY["use_cases"]
LOW_INTENT_EVENTS = VOCABULARY["low_intent_events"]
HIGH_INTENT_EVENTS = VOCABULARY["high_intent_events"]


# ---------------------------------------------------------------------------------------------
# SQL helpers
# ---------------------------------------------------------------------------------------------

def lit(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def pick_weighted(u: str, items: list[tuple]) -> str:
    """CASE choosing items[k][0] with probability proportional to items[k][1], from uniform u."""
    total = float(sum(item[1] for item in items))
    cumulative, whens = 0.0, []
    for value, weight, *_ in items[:-1]:
        cumulative += weight / total
        whens.append(f"when {u} < {cumulative:.9f} then {lit(value)}")
    return f"case {' '.join(whens)} else {lit(items[-1][0])} end"


def pick_index(u: str, items: list[tuple]) -> str:
    """Index (0-based) of the item drawn with probability proportional to its weight."""
    return pick_weighted(u, [(k, item[1]) for k, item in enumerate(items)])


def list_sql(values: list) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]"


def nested_list_sql(groups: list[tuple]) -> str:
    """A list of lists (the spellings of each group), as a typed DuckDB literal."""
    return "[" + ", ".join(
        "cast(" + list_sql(group[0]) + " as varchar[])" for group in groups
    ) + "]"


def spelled(index: str, u: str, groups: list[tuple]) -> str:
    """One spelling of group `index`, chosen uniformly by u."""
    lists = nested_list_sql(groups)
    return f"list_extract({lists}[{index} + 1], 1 + cast(floor({u} * len({lists}[{index} + 1])) as int))"


def effects_sql(groups: list[tuple]) -> str:
    return list_sql([float(group[2]) for group in groups])


class Generator:
    def __init__(self, con: duckdb.DuckDBPyConnection, seed: int, schema: str):
        self.con = con
        self.seed = seed
        self.schema = schema
        # u(key, draw): uniform in [0, 1), a pure function of (key, draw, seed).
        con.execute(
            f"create or replace temp macro u(k, draw) as "
            f"(hash(k, draw, {int(seed)}) % 1000003) / 1000003.0"
        )
        # Approximately standard normal: the sum of four uniforms, centred and scaled.
        con.execute(
            "create or replace temp macro z(k, draw) as "
            "(u(k, draw) + u(k, draw + 1000) + u(k, draw + 2000) + u(k, draw + 3000) - 2.0) * sqrt(3.0)"
        )

    def sql(self, statement: str) -> None:
        self.con.execute(statement)

    def companies(self, n_companies: int) -> None:
        ind = pick_index("u_ind", INDUSTRIES)
        ctry = pick_index("u_ctry", COUNTRIES)
        self.sql(f"""
            create or replace temp table companies as
            with draws as (
                select
                    c as company_index,
                    u(c, 1) as u_ind, u(c, 2) as u_ind_spelling,
                    u(c, 3) as u_ctry, u(c, 4) as u_ctry_spelling,
                    u(c, 5) as u_size, u(c, 6) as u_rev, u(c, 7) as u_broken,
                    u(c, 8) as u_name_a, u(c, 9) as u_name_b, u(c, 10) as u_competitor
                from range({n_companies}) as t(c)
            ),
            chosen as (
                select *, {ind} as industry_index, {ctry} as country_index,
                    -- Log-uniform from 2 to about 60,000 employees.
                    cast(round(exp(0.7 + 10.3 * u_size)) as bigint) as true_employees
                from draws
            )
            select
                company_index,
                {spelled('industry_index', 'u_ind_spelling', INDUSTRIES)} as industry,
                {effects_sql(INDUSTRIES)}[industry_index + 1] as industry_effect,
                {spelled('country_index', 'u_ctry_spelling', COUNTRIES)} as country,
                {effects_sql(COUNTRIES)}[country_index + 1] as country_effect,
                case
                    when u_broken < 0.006 then null
                    when u_broken < 0.009 then 0
                    when u_broken < 0.011 then -cast(true_employees as bigint)
                    when u_broken < 0.012 then 2000000000
                    else true_employees
                end as employee_count,
                case
                    when u_broken between 0.5 and 0.52 then null
                    when u_broken between 0.52 and 0.525 then 0
                    when u_broken between 0.525 and 0.528 then -1000
                    else cast(round(true_employees * (60000 + 240000 * u_rev), -3) as decimal(18, 2))
                end as annual_revenue_usd,
                case
                    when true_employees between 200 and 5000 then 0.5
                    when true_employees between 50 and 199 then 0.2
                    when true_employees > 5000 then 0.1
                    when true_employees < 11 then -0.4
                    else 0.0
                end as size_effect,
                {list_sql(COMPANY_WORDS_A)}[1 + cast(floor(u_name_a * {len(COMPANY_WORDS_A)}) as int)]
                    || ' ' || {list_sql(COMPANY_WORDS_B)}[1 + cast(floor(u_name_b * {len(COMPANY_WORDS_B)}) as int)]
                    as company_name,
                case
                    when u_competitor < 0.002 then {list_sql(COMPETITOR_DOMAINS)}[1 + cast(floor(u_competitor * 1000) as int) % 2]
                    else lower({list_sql(COMPANY_WORDS_A)}[1 + cast(floor(u_name_a * {len(COMPANY_WORDS_A)}) as int)])
                        || lower({list_sql(COMPANY_WORDS_B)}[1 + cast(floor(u_name_b * {len(COMPANY_WORDS_B)}) as int)])
                        || cast(company_index as varchar) || '.com'
                end as domain
            from chosen
        """)

    def leads(self, n_leads: int, n_companies: int, end_date: str) -> None:
        sen = pick_index("u_sen", SENIORITIES)
        dep = pick_index("u_dep", DEPARTMENTS)
        src = pick_index("u_src", LEAD_SOURCES)
        self.sql(f"""
            create or replace temp table leads as
            with draws as (
                select
                    i as lead_index,
                    cast(floor(u(i, 101) * {n_companies}) as bigint) as company_index,
                    u(i, 102) as u_sen, u(i, 103) as u_sen_spelling,
                    u(i, 104) as u_dep, u(i, 105) as u_dep_spelling,
                    u(i, 106) as u_src, u(i, 107) as u_src_spelling,
                    u(i, 108) as u_first, u(i, 109) as u_last,
                    u(i, 110) as u_mail, u(i, 111) as u_mail_noise,
                    u(i, 112) as u_created, u(i, 113) as u_active,
                    u(i, 114) as u_events, u(i, 115) as u_convert, u(i, 116) as u_convert_time,
                    u(i, 117) as u_broken, u(i, 118) as u_dnc, u(i, 119) as u_domain_noise,
                    u(i, 120) as u_budget, u(i, 121) as u_timeline, u(i, 122) as u_use_case,
                    u(i, 123) as u_versions, u(i, 124) as u_freemail_pick,
                    z(i, 130) as fit_noise, z(i, 140) as interest_noise
                from range({n_leads}) as t(i)
            ),
            chosen as (
                select d.*, c.*,
                    {sen} as seniority_index, {dep} as department_index, {src} as source_index
                from draws as d
                inner join companies as c using (company_index)
            ),
            latent as (
                select *,
                    industry_effect + country_effect + size_effect
                        + {effects_sql(SENIORITIES)}[seniority_index + 1]
                        + {effects_sql(DEPARTMENTS)}[department_index + 1]
                        + {effects_sql(LEAD_SOURCES)}[source_index + 1]
                        + 0.4 * fit_noise as true_fit,
                    {spelled('department_index', 'u_dep_spelling', DEPARTMENTS)} as department_word,
                    {spelled('seniority_index', 'u_sen_spelling', SENIORITIES)} as title_template
                from chosen
            ),
            people as (
                select *,
                    0.5 * (true_fit - 1.4) + interest_noise as interest,
                    timestamp '{end_date} 00:00:00'
                        - to_seconds(cast(floor((5 + 540 * u_created) * 86400) as bigint))
                        as true_created_at
                from latent
            )
            select
                lead_index,
                'L' || lpad(cast(lead_index as varchar), 8, '0') as lead_id,
                company_index, company_name, domain, industry, country, employee_count,
                annual_revenue_usd, true_fit, interest, true_created_at,
                replace(title_template, '{{d}}', department_word) as job_title,
                {spelled('source_index', 'u_src_spelling', LEAD_SOURCES)} as lead_source,
                {list_sql(FIRST_NAMES)}[1 + cast(floor(u_first * {len(FIRST_NAMES)}) as int)] as first_name,
                {list_sql(LAST_NAMES)}[1 + cast(floor(u_last * {len(LAST_NAMES)}) as int)] as last_name,
                -- Email: work address, free-mail, or broken.
                case
                    when u_mail < 0.010 then null
                    when u_mail < 0.012 then 'no-at-sign'
                    when u_mail < 0.013 then 'a@b'
                    when u_mail < 0.090 then 'user' || cast(lead_index as varchar) || '@'
                        || {list_sql(FREE_MAIL)}[1 + cast(floor(u_freemail_pick * {len(FREE_MAIL)}) as int)]
                    else 'p' || cast(lead_index as varchar) || '@' || domain
                end as clean_email,
                u_mail, u_mail_noise, u_domain_noise, u_broken, u_dnc, u_budget, u_timeline,
                u_use_case, u_versions, u_active, u_events, u_convert, u_convert_time
            from people
        """)

    def lead_rows(self, end_date: str) -> None:
        timeline = pick_weighted("u_timeline", TIMELINES)
        self.sql(f"""
            create or replace temp table lead_rows as
            with base as (
                select *,
                    case
                        when u_mail_noise < 0.04 then '  ' || upper(clean_email) || ' '
                        when u_mail_noise < 0.08 then upper(substr(clean_email, 1, 1)) || substr(clean_email, 2)
                        else clean_email
                    end as email,
                    case
                        -- Free-mail leads without a company domain are disqualified downstream.
                        when u_mail between 0.013 and 0.050 and u_domain_noise < 0.6 then null
                        when u_domain_noise < 0.04 then null
                        when u_domain_noise < 0.10 then 'WWW.' || upper(substr(domain, 1, 1)) || substr(domain, 2)
                        when u_domain_noise < 0.16 then 'https://' || domain || '/'
                        when u_domain_noise < 0.18 then 'http://www.' || domain || '/about?ref=crm'
                        else domain
                    end as company_domain,
                    case
                        when u_dnc < 0.02 then true
                        when u_dnc < 0.07 then null
                        else false
                    end as do_not_contact,
                    case
                        when u_broken < 0.002 then null
                        when u_broken < 0.004 then timestamp '{end_date} 00:00:00' + interval 400 day
                        else true_created_at
                    end as created_at,
                    case when u_use_case < 0.25 + 0.05 * interest
                         then {list_sql(USE_CASES)}[1 + cast(floor(u_use_case * 1000) as int) % {len(USE_CASES)}]
                    end as use_case
                from leads
            ),
            version_1 as (
                select
                    lead_index, 1 as version_number,
                    case when u_broken between 0.004 and 0.006 then null
                         when u_broken between 0.006 and 0.007 then '  '
                         else lead_id end as lead_id,
                    email, first_name, last_name, job_title, company_name, company_domain,
                    industry, employee_count, annual_revenue_usd, country, lead_source,
                    -- BANT mostly unknown at first touch.
                    case when u_budget < 0.1 + 0.08 * interest then true
                         when u_budget > 0.75 then false end as budget_confirmed,
                    case when u_timeline < 0.5 then null else {timeline} end as purchase_timeline,
                    use_case, do_not_contact, created_at,
                    coalesce(created_at, true_created_at) as updated_at
                from base
            ),
            -- About a fifth of the leads change later (CDC): BANT firms up, titles and sizes move.
            version_2 as (
                select
                    lead_index, 2 as version_number, lead_id, email, first_name, last_name,
                    case when u_versions < 0.05 then 'VP Marketing' else job_title end as job_title,
                    company_name, company_domain, industry,
                    case when employee_count > 0 and employee_count < 100000000
                         then cast(round(employee_count * (0.9 + 0.4 * u_versions)) as bigint)
                         else employee_count end as employee_count,
                    annual_revenue_usd, country, lead_source,
                    case when u_budget < 0.35 + 0.2 * interest then true
                         when u_budget > 0.8 then false end as budget_confirmed,
                    case when u_timeline < 0.3 + 0.15 * interest then 'now' else {timeline} end
                        as purchase_timeline,
                    coalesce(use_case, case when u_use_case < 0.6 + 0.1 * interest then 'evaluating vendors' end) as use_case,
                    do_not_contact, created_at,
                    least(
                        timestamp '{end_date} 00:00:00',
                        coalesce(created_at, true_created_at)
                            + to_seconds(cast(floor((1 + 200 * u_versions * 5) * 86400) as bigint))
                    ) as updated_at
                from base
                where u_versions < 0.25 + 0.1 * interest and lead_id is not null
            ),
            -- A few leads get a second change written at the very same updated_at (a tie).
            version_3 as (
                select
                    lead_index, 3 as version_number, lead_id, email, first_name, last_name,
                    job_title, company_name, company_domain, industry, employee_count,
                    annual_revenue_usd, country, lead_source, budget_confirmed,
                    'now' as purchase_timeline, use_case, do_not_contact, created_at, updated_at
                from version_2
                where lead_index % 20 = 3
            ),
            -- A loader replay: an exact copy of a few rows.
            replayed as (
                select * from version_1 where lead_index % 500 = 7
            )
            select * from version_1
            union all select * from version_2
            union all select * from version_3
            union all select * from replayed
        """)

    def write_leads(self) -> None:
        self.sql(f"""
            create or replace table {self.schema}.crm_leads as
            select
                cast(lead_id as varchar) as lead_id,
                cast(email as varchar) as email,
                cast(first_name as varchar) as first_name,
                cast(last_name as varchar) as last_name,
                cast(job_title as varchar) as job_title,
                cast(company_name as varchar) as company_name,
                cast(company_domain as varchar) as company_domain,
                cast(industry as varchar) as industry,
                cast(employee_count as integer) as employee_count,
                cast(annual_revenue_usd as decimal(18, 2)) as annual_revenue_usd,
                cast(country as varchar) as country,
                cast(lead_source as varchar) as lead_source,
                cast(budget_confirmed as boolean) as budget_confirmed,
                cast(purchase_timeline as varchar) as purchase_timeline,
                cast(use_case as varchar) as use_case,
                cast(do_not_contact as boolean) as do_not_contact,
                cast(created_at as timestamp) as created_at,
                cast(updated_at as timestamp) as updated_at
            from lead_rows
            order by lead_index, version_number
        """)

    def activity(self, end_date: str, events_per_lead: float) -> None:
        # Each lead is active over a window after creation; its interest sets how many events
        # it produces, and whether and when it converts.
        self.sql(f"""
            create or replace temp table activity as
            select
                lead_index, lead_id, clean_email, true_fit, interest,
                true_created_at as active_from,
                least(
                    timestamp '{end_date} 23:59:59',
                    true_created_at + to_seconds(cast(floor((20 + 340 * u_active) * 86400) as bigint))
                ) as active_until,
                cast(least(
                    600,
                    floor(-ln(1.0 - u_events * 0.999) * {events_per_lead} * exp(0.55 * interest) / 1.13)
                ) as integer) as n_events,
                u_convert < 1.0 / (1.0 + exp(-(-3.3 + 0.9 * true_fit + 0.85 * interest))) as will_convert,
                true_created_at
                    + to_seconds(cast(floor((3 + -ln(1.0 - u_convert_time * 0.999) * 60) * 86400) as bigint))
                    as converts_at,
                u_convert_time
            from leads
        """)

    def events(self, end_date: str, chunk_leads: int, progress) -> int:
        self.sql(f"""
            create or replace table {self.schema}.marketing_events (
                event_id varchar, lead_id varchar, email varchar, event_type varchar,
                occurred_at timestamp, page_url varchar, campaign_id varchar,
                -- The loader's load time (var raw_loaded_at, marketing_events: _loaded_at).
                _loaded_at timestamp
            )
        """)
        n_leads = self.con.execute("select count(*) from activity").fetchone()[0]
        low = pick_weighted("u_type", [(name, w) for name, w in LOW_INTENT_EVENTS])
        high = pick_weighted("u_type", [(name, w) for name, w in HIGH_INTENT_EVENTS])
        start = 0
        while start < n_leads:
            stop = min(n_leads, start + chunk_leads)
            self.sql(f"""
                insert into {self.schema}.marketing_events
                with exploded as (
                    select a.*, unnest(range(a.n_events)) as k
                    from activity as a
                    where a.lead_index >= {start} and a.lead_index < {stop}
                ),
                draws as (
                    select *,
                        lead_index * 1000 + k as event_key,
                        u(lead_index * 1000 + k, 201) as u_intent,
                        u(lead_index * 1000 + k, 202) as u_type,
                        u(lead_index * 1000 + k, 203) as u_time,
                        u(lead_index * 1000 + k, 204) as u_identity,
                        u(lead_index * 1000 + k, 205) as u_broken,
                        u(lead_index * 1000 + k, 206) as u_dup,
                        u(lead_index * 1000 + k, 207) as u_misc,
                        u(lead_index * 1000 + k, 208) as u_page
                    from exploded
                ),
                typed as (
                    select *,
                        case
                            when u_intent < greatest(0.005, least(0.25, 0.035 + 0.03 * interest))
                                then {high} else {low}
                        end as event_type,
                        case
                            when u_broken < 0.0005 then timestamp '{end_date} 00:00:00'
                                + to_seconds(cast(floor((10 + 400 * u_misc) * 86400) as bigint))
                            when u_broken < 0.0010 then active_from
                                - to_seconds(cast(floor((2 + 60 * u_misc) * 86400) as bigint))
                            else active_from + to_seconds(cast(floor(
                                -- Activity thickens towards the end of the window for engaged leads.
                                pow(u_time, greatest(0.5, 1.0 - 0.15 * interest))
                                    * epoch(active_until - active_from)
                            ) as bigint))
                        end as occurred_at
                    from draws
                ),
                shaped as (
                    select
                        'E' || cast(event_key as varchar) as event_id,
                        case when u_identity < 0.08 then null else lead_id end as lead_id,
                        case
                            when u_identity >= 0.08 then null
                            when u_identity < 0.001 then 'stranger' || cast(event_key as varchar) || '@nowhere.example'
                            when u_identity < 0.02 then '  ' || upper(clean_email) || ' '
                            else clean_email
                        end as email,
                        -- A second tracking script sends 40 % of the pricing-page visits as
                        -- plain page views with the URL: the pricing_page rule scores them.
                        case when lower(typed.event_type) = 'pricing_page_view' and u_page < 0.4
                             then 'page_view' else typed.event_type end as event_type,
                        occurred_at,
                        -- Known page effects (engagement_attribute_rules): leads that will
                        -- convert read case studies (12 % of their page views, against 3 %)
                        -- and the demo page (4 %, against 0.5 %) more often.
                        case when lower(typed.event_type) in ('page_view', 'pricing_page_view')
                             then 'https://example.com/'
                                || case
                                    when lower(typed.event_type) = 'pricing_page_view'
                                        then case when u_page < 0.4 then 'pricing?ref=nav' else 'pricing' end
                                    when u_page < case when will_convert then 0.12 else 0.03 end
                                        then 'case-studies/customer-' || cast(cast(floor(u_misc * 20) as int) as varchar)
                                    when u_page < case when will_convert then 0.16 else 0.035 end
                                        then 'demo'
                                    else 'blog/post-' || cast(cast(floor(u_misc * 200) as int) as varchar) end
                        end as page_url,
                        -- The ROI webinar (campaign WBN-ROI): half the webinars converting
                        -- leads attend, a tenth of the others'.
                        case
                            when lower(typed.event_type) = 'webinar_attended'
                                and u_page < case when will_convert then 0.5 else 0.1 end
                                then 'WBN-ROI'
                            when lower(typed.event_type) like 'email%' or lower(typed.event_type) like 'webinar%'
                                then 'CMP-' || cast(cast(floor(u_misc * 60) as int) as varchar)
                        end as campaign_id,
                        u_dup
                    from typed
                )
                -- Loaded an hour after the event (the demo's last day at the latest: clocks
                -- that run ahead send events from the future).
                select event_id, lead_id, email, event_type, occurred_at, page_url, campaign_id,
                    least(occurred_at, timestamp '{end_date} 22:00:00') + interval 1 hour
                from shaped
                -- At-least-once delivery: about 1.5 % of events arrive twice, the second
                -- copy loaded a minute later.
                union all
                select event_id, lead_id, email, event_type, occurred_at, page_url, campaign_id,
                    least(occurred_at, timestamp '{end_date} 22:00:00') + interval 61 minute
                from shaped
                where u_dup < 0.015
            """)
            start = stop
            progress(start, n_leads)
        return self.con.execute(
            f"select count(*) from {self.schema}.marketing_events"
        ).fetchone()[0]

    def opportunities(self, end_date: str) -> None:
        self.sql(f"""
            create or replace table {self.schema}.crm_opportunities as
            with converted as (
                select *,
                    u(lead_index, 301) as u_won, u(lead_index, 302) as u_amount,
                    u(lead_index, 303) as u_close
                from activity
                where will_convert and converts_at <= timestamp '{end_date} 00:00:00'
            ),
            shaped as (
                select
                    'OPP' || lpad(cast(lead_index as varchar), 8, '0') as opportunity_id,
                    lead_id,
                    converts_at as created_at,
                    converts_at + to_seconds(cast(floor((14 + 90 * u_close) * 86400) as bigint)) as would_close_at,
                    u_won < 0.25 + 0.1 * greatest(-2, least(2, true_fit)) as is_won,
                    u_amount
                from converted
            )
            select
                cast(opportunity_id as varchar) as opportunity_id,
                cast(lead_id as varchar) as lead_id,
                cast(created_at as timestamp) as created_at,
                cast(case
                    when would_close_at > timestamp '{end_date} 00:00:00' then 'open'
                    when is_won then 'closed_won'
                    else 'closed_lost'
                end as varchar) as stage,
                cast(case when would_close_at <= timestamp '{end_date} 00:00:00' then would_close_at end
                    as timestamp) as closed_at,
                cast(case
                    when u_amount < 0.03 then null
                    when u_amount < 0.05 then 0
                    else round(5000 + 95000 * u_amount * u_amount, -2)
                end as decimal(18, 2)) as amount_usd
            from shaped
            -- A few opportunities point at no known lead (typos in the CRM).
            union all
            select
                'OPPX' || lpad(cast(i as varchar), 6, '0'),
                'L-UNKNOWN-' || cast(i as varchar),
                timestamp '{end_date} 00:00:00' - interval 30 day,
                'open', null, null
            from range(greatest(1, (select count(*) from converted) // 200)) as t(i)
            order by opportunity_id
        """)


def raw_tables_present(con: duckdb.DuckDBPyConnection, schema: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name in (?, ?, ?)",
        [schema, *RAW_TABLES],
    ).fetchone()[0]
    return found == len(RAW_TABLES)


def generate(
    db_path: str,
    leads: int = 10_000,
    events_per_lead: float = 40.0,
    seed: int = 42,
    end_date: str = DEFAULT_END_DATE,
    schema: str = "raw",
    threads: int | None = None,
    quiet: bool = False,
) -> dict:
    """Generate the demo raw tables into db_path; returns row counts."""
    if leads < 1:
        raise ValueError("--leads must be at least 1")
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)

    def progress(done: int, total: int) -> None:
        if total > 50_000:
            say(f"events: {done:,} / {total:,} leads")

    con = duckdb.connect(db_path)
    try:
        if threads:
            con.execute(f"set threads = {int(threads)}")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"create schema if not exists {schema}")
        gen = Generator(con, seed, schema)
        n_companies = max(1, leads // 3)
        gen.companies(n_companies)
        gen.leads(leads, n_companies, end_date)
        gen.lead_rows(end_date)
        gen.write_leads()
        say(f"crm_leads: {con.execute(f'select count(*) from {schema}.crm_leads').fetchone()[0]:,} rows")
        gen.activity(end_date, events_per_lead)
        chunk = 250_000
        n_events = gen.events(end_date, chunk, progress)
        say(f"marketing_events: {n_events:,} rows")
        gen.opportunities(end_date)
        counts = {
            table: con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
            for table in RAW_TABLES
        }
        con.execute(f"""
            create or replace table {schema}.demo_dataset as
            select
                cast(? as date) as end_date,
                {int(seed)} as seed,
                {int(leads)} as leads,
                {float(events_per_lead)} as events_per_lead
        """, [str(end_date)])
        say(f"crm_opportunities: {counts['crm_opportunities']:,} rows; done")
        return counts
    finally:
        con.close()


@click.command("demo", help=__doc__.split("\n")[0])
@db_option(DEFAULT_DB, "the DuckDB file written")
@leads_option(10_000)
@events_per_lead_option(40.0)
@seed_option(42)
@end_date_option(DEFAULT_END_DATE)
@schema_option()
@click.option("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
@click.option("--if-missing", is_flag=True, help="do nothing when the raw tables already exist")
@click.option("--shape", type=click.Choice(shapes.SHAPES), default="contract", show_default=True,
              help="also write the CRM tables as this system's loader lands them (schema: the"
                   " system's name); build them with --vars '{source_system: <shape>}'")
def command(db: str, leads: int, events_per_lead: float, seed: int, end_date: str, schema: str,
            threads: int | None, if_missing: bool, shape: str) -> int:
    # The date is written into SQL: only a real date gets that far.
    end_date = checked_date(end_date, "--end-date")
    if if_missing and Path(db).exists():
        con = duckdb.connect(db, read_only=True)
        try:
            present = raw_tables_present(con, schema)
        finally:
            con.close()
        if present:
            print(f"raw tables already present in {db}: not regenerating")
            return 0
    counts = generate(db, leads, events_per_lead, seed, end_date, schema, threads)
    print(", ".join(f"{table}: {n:,}" for table, n in counts.items()))
    if shape != "contract":
        con = duckdb.connect(db)
        try:
            written = shapes.WRITERS[shape](con, schema, shape)
        finally:
            con.close()
        print(", ".join(f"{shape}.{table}: {n:,}" for table, n in written.items()))
    return 0


main = main_for(command)

if __name__ == "__main__":
    sys.exit(main())
