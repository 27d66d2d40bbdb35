"""The demo data generator: deterministic, contract-shaped, and as messy as the contract allows."""

from __future__ import annotations


import duckdb
import pytest

from helpers import EVENT_COLUMNS, LEAD_COLUMNS, OPPORTUNITY_COLUMNS

from leadscore import demo as generate_demo_data

# The events carry the loader's load time too (docs/RAW_CONTRACT.md, optional).
TABLES = {"crm_leads": LEAD_COLUMNS,
          "marketing_events": {**EVENT_COLUMNS, "_loaded_at": "timestamp"},
          "crm_opportunities": OPPORTUNITY_COLUMNS}


def table_digest(db, table: str) -> tuple:
    """Order-independent fingerprint of a table's content."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"select count(*), sum(hash(t)) from (select * from raw.{table}) as t"
        ).fetchone()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("gen") / "demo.duckdb"
    counts = generate_demo_data.generate(str(db), leads=3000, seed=7, quiet=True)
    return db, counts


def scalar(db, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_same_seed_same_data_other_seed_other_data(demo, tmp_path):
    db, _ = demo
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    generate_demo_data.generate(str(again), leads=3000, seed=7, quiet=True, threads=1)
    generate_demo_data.generate(str(other), leads=3000, seed=8, quiet=True)
    for table in TABLES:
        assert table_digest(db, table) == table_digest(again, table), table
        assert table_digest(db, table) != table_digest(other, table), table


def test_tables_have_exactly_the_contract_columns_and_types(demo):
    """The contract's columns in its order, and the events' optional load time last."""
    db, _ = demo
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table, columns in TABLES.items():
            got = con.execute(
                "select column_name, lower(data_type) from information_schema.columns "
                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            expected = list(columns.items())
            assert [name for name, _ in got] == [name for name, _ in expected], table
            for (name, kind), (_, want) in zip(got, expected):
                assert kind.replace(" ", "") == want.replace(" ", ""), (table, name, kind)
    finally:
        con.close()


def test_sizes_and_the_recorded_end_date(demo):
    db, counts = demo
    distinct_leads = scalar(db, "select count(distinct lead_id) from raw.crm_leads where trim(lead_id) <> ''")
    assert 2950 <= distinct_leads <= 3000
    # About 40 events per lead plus duplicate deliveries.
    assert 30 * 3000 <= counts["marketing_events"] <= 50 * 3000
    assert scalar(db, "select cast(end_date as varchar) from raw.demo_dataset") == generate_demo_data.DEFAULT_END_DATE
    # Nothing valid lies after the end date; only the deliberately broken rows do.
    late = scalar(db, "select count(*) from raw.marketing_events where occurred_at > timestamp '2026-07-01'")
    assert 0 < late < 0.002 * counts["marketing_events"]


MESS = {
    "lead without id": "select count(*) from raw.crm_leads where lead_id is null or trim(lead_id) = ''",
    "several versions of a lead": "select count(*) from (select lead_id from raw.crm_leads group by lead_id having count(*) > 1)",
    "two versions sharing updated_at": "select count(*) from (select lead_id, updated_at from raw.crm_leads where lead_id is not null group by all having count(distinct coalesce(purchase_timeline, '')) > 1)",
    "email in upper case with spaces": "select count(*) from raw.crm_leads where email like ' %' and email <> lower(email)",
    "malformed email": "select count(*) from raw.crm_leads where email in ('no-at-sign', 'a@b')",
    "free-mail email": "select count(*) from raw.crm_leads where email like '%@gmail.com'",
    "domain given as URL": "select count(*) from raw.crm_leads where company_domain like 'http%://%/%'",
    "domain with WWW": "select count(*) from raw.crm_leads where company_domain like 'WWW.%'",
    "industry alias with spaces": "select count(*) from raw.crm_leads where industry = ' SaaS '",
    "country as a name": "select count(*) from raw.crm_leads where country in ('Deutschland', 'United States')",
    "country as a lower-case code": "select count(*) from raw.crm_leads where country = 'us'",
    "absurd employee count": "select count(*) from raw.crm_leads where employee_count = 2000000000",
    "negative employee count": "select count(*) from raw.crm_leads where employee_count < 0",
    "negative revenue": "select count(*) from raw.crm_leads where annual_revenue_usd < 0",
    "SQL-looking name": "select count(*) from raw.crm_leads where last_name like '%drop table%' or first_name like '%DROP TABLE%'",
    "student title": "select count(*) from raw.crm_leads where job_title ilike '%student%'",
    "unknown lead source": "select count(*) from raw.crm_leads where lead_source in ('LinkedIn Ads', 'trade show', 'chatbot')",
    "created_at null": "select count(*) from raw.crm_leads where created_at is null",
    "created_at in the future": "select count(*) from raw.crm_leads where created_at > timestamp '2026-07-01'",
    "do_not_contact null": "select count(*) from raw.crm_leads where do_not_contact is null",
    "duplicate event delivery": "select count(*) from (select event_id from raw.marketing_events group by 1 having count(*) > 1)",
    "email-only event": "select count(*) from raw.marketing_events where lead_id is null and email is not null",
    "event email matching no lead": "select count(*) from raw.marketing_events where email like '%@nowhere.example'",
    "unknown event type": "select count(*) from raw.marketing_events where event_type in ('chat_started', 'video_played', 'sms_sent')",
    "event type in odd case": "select count(*) from raw.marketing_events where event_type in ('Page_View', 'EMAIL_OPEN')",
    "event before its lead was created": "select count(*) from raw.marketing_events as e join raw.crm_leads as l using (lead_id) where e.occurred_at < l.created_at",
    "opportunity for no lead": "select count(*) from raw.crm_opportunities where lead_id like 'L-UNKNOWN-%'",
    "opportunity amount null or zero": "select count(*) from raw.crm_opportunities where amount_usd is null or amount_usd = 0",
}


@pytest.mark.parametrize("what", sorted(MESS))
def test_every_kind_of_mess_occurs_at_a_low_rate(demo, what):
    db, counts = demo
    found = scalar(db, MESS[what])
    assert found > 0, what
    table = "marketing_events" if "event" in what else ("crm_opportunities" if "opportunit" in what else "crm_leads")
    assert found <= 0.2 * counts[table], f"{what}: {found} of {counts[table]}"


def test_every_stage_of_conversion_occurs(demo):
    db, _ = demo
    stages = {row for row in duckdb.connect(str(db), read_only=True).execute(
        "select distinct stage from raw.crm_opportunities").fetchall()}
    assert stages == {("open",), ("closed_won",), ("closed_lost",)}
    rate = scalar(db, "select count(distinct lead_id) / (select count(distinct lead_id) from raw.crm_leads) from raw.crm_opportunities")
    assert 0.03 < rate < 0.30


def test_if_missing_keeps_existing_raw_tables(demo, capsys):
    db, _ = demo
    before = table_digest(db, "crm_leads")
    assert generate_demo_data.main(["--db", str(db), "--leads", "10", "--if-missing"]) == 0
    assert "already present" in capsys.readouterr().out
    assert table_digest(db, "crm_leads") == before
