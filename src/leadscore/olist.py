"""Load the public Olist marketing funnel into the raw contract, without leaking the outcome.

Olist (CC BY-NC-SA 4.0) published 8,000 marketing-qualified leads of its marketplace
(Jun 2017 - May 2018) and the 842 that closed a deal. Mapping:

- raw.crm_leads: one version per lead, known at first contact: lead_id = mql_id,
  lead_source = origin, created_at = updated_at = first_contact_date. Nothing else is known at
  first contact, so every other column is null. The deal-side columns (business segment, lead
  type, behaviour profile, business type, declared revenue and catalogue size, ...) exist only
  for leads that converted: using any of them would leak the outcome into the score.
- raw.marketing_events: the first contact itself, a form_submit on the landing page
  (page_url = landing page id) at first_contact_date.
- raw.crm_opportunities: one closed_won opportunity per closed deal, opened and closed at
  won_date (the data has no earlier date for it); no amount (the declared revenue is the seller's
  self-declared revenue, zero-filled, not a deal amount).

The CSVs were re-saved by a spreadsheet program: dates are DD-MM-YYYY (won_date DD-MM-YYYY
HH:MM) and lines end in CRLF; DuckDB's CSV reader takes both. Rows whose dates do not parse keep
a null timestamp, which the warehouse reports in rejected_rows rather than dropping.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import duckdb

from leadscore.paths import PROJECT as ROOT
from leadscore.options import db_option, main_for, schema_option
DATA_CANDIDATES = [
    ROOT.parent / "shared" / "data" / "olist_marketing_funnel",
    Path("/work/shared/data/olist_marketing_funnel"),
]


def default_data_dir() -> Path | None:
    """$LEADSCORE_OLIST_DIR, else the shared/ folder beside the checkout, else /work/shared."""
    if os.environ.get("LEADSCORE_OLIST_DIR"):
        return Path(os.environ["LEADSCORE_OLIST_DIR"])
    for candidate in DATA_CANDIDATES:
        if (candidate / "olist_marketing_qualified_leads_dataset.csv").exists():
            return candidate
    return None


DEFAULT_DATA = default_data_dir() or DATA_CANDIDATES[0]
LEADS_CSV = "olist_marketing_qualified_leads_dataset.csv"
DEALS_CSV = "olist_closed_deals_dataset.csv"


def sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def load(db_path: str, data_dir: Path = DEFAULT_DATA, schema: str = "raw") -> dict:
    leads_csv, deals_csv = data_dir / LEADS_CSV, data_dir / DEALS_CSV
    for csv in (leads_csv, deals_csv):
        if not csv.exists():
            raise FileNotFoundError(f"{csv} not found: pass --data-dir")
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(db_path)
    try:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"""
            create or replace temp table olist_leads as
            select * from read_csv('{sql_path(leads_csv)}', header = true, all_varchar = true)
        """)
        con.execute(f"""
            create or replace temp table olist_deals as
            select * from read_csv('{sql_path(deals_csv)}', header = true, all_varchar = true)
        """)
        con.execute(f"""
            create or replace table {schema}.crm_leads as
            select
                cast(mql_id as varchar) as lead_id,
                cast(null as varchar) as email,
                cast(null as varchar) as first_name,
                cast(null as varchar) as last_name,
                cast(null as varchar) as job_title,
                cast(null as varchar) as company_name,
                cast(null as varchar) as company_domain,
                cast(null as varchar) as industry,
                cast(null as integer) as employee_count,
                cast(null as decimal(18, 2)) as annual_revenue_usd,
                cast(null as varchar) as country,
                cast(origin as varchar) as lead_source,
                cast(null as boolean) as budget_confirmed,
                cast(null as varchar) as purchase_timeline,
                cast(null as varchar) as use_case,
                cast(null as boolean) as do_not_contact,
                try_strptime(trim(first_contact_date), '%d-%m-%Y') as created_at,
                try_strptime(trim(first_contact_date), '%d-%m-%Y') as updated_at
            from olist_leads
        """)
        con.execute(f"""
            create or replace table {schema}.marketing_events as
            select
                cast('first-contact-' || mql_id as varchar) as event_id,
                cast(mql_id as varchar) as lead_id,
                cast(null as varchar) as email,
                cast('form_submit' as varchar) as event_type,
                try_strptime(trim(first_contact_date), '%d-%m-%Y') as occurred_at,
                cast('landing_page/' || landing_page_id as varchar) as page_url,
                cast(null as varchar) as campaign_id
            from olist_leads
        """)
        con.execute(f"""
            create or replace table {schema}.crm_opportunities as
            select
                cast('deal-' || mql_id as varchar) as opportunity_id,
                cast(mql_id as varchar) as lead_id,
                try_strptime(trim(won_date), '%d-%m-%Y %H:%M') as created_at,
                cast('closed_won' as varchar) as stage,
                try_strptime(trim(won_date), '%d-%m-%Y %H:%M') as closed_at,
                cast(null as decimal(18, 2)) as amount_usd
            from olist_deals
        """)
        counts = {table: con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
                  for table in ("crm_leads", "marketing_events", "crm_opportunities")}
        counts["first_contact_until"], counts["won_until"] = con.execute(f"""
            select
                cast(cast((select max(created_at) from {schema}.crm_leads) as date) as varchar),
                cast(cast((select max(created_at) from {schema}.crm_opportunities) as date) as varchar)
        """).fetchone()
        return counts
    finally:
        con.close()


@click.command("olist", help=__doc__.split("\n")[0])
@db_option(os.environ.get("LEADSCORE_DUCKDB", "warehouse/olist.duckdb"),
           "the DuckDB file written (default: LEADSCORE_DUCKDB, else warehouse/olist.duckdb)")
@click.option("--data-dir", type=click.Path(path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="the folder of Olist's CSV files")
@schema_option()
def command(db: str, data_dir: Path, schema: str) -> int:
    counts = load(db, data_dir, schema)
    print(", ".join(f"{key}: {value}" for key, value in counts.items()))
    return 0


main = main_for(command)


if __name__ == "__main__":
    sys.exit(main())
