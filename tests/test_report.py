"""make report: both pages rendered from the tiny fixture (test_end_to_end_tiny), read as people
would read them: human headers, rates as percentages, thresholds without trailing zeros."""

from __future__ import annotations

import csv
import re

import markupsafe
import pytest
import test_end_to_end_tiny as tiny
from helpers import FIXTURES, load_raw, query

from leadscore import formatting, report, scratch

DBT_VARS = {"score_as_of": tiny.AS_OF, "backtest_as_of": "2026-02-15"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    raw = root / "source.duckdb"
    load_raw(raw, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    project, db = scratch.build_copy(root, "tiny", str(raw), DBT_VARS, FIXTURES / "frozen_seeds")
    out = root / "reports"
    report.write_report(str(db), project, out, DBT_VARS, env={"LEADSCORE_DUCKDB": str(db)})
    return out, db


def headers(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]


def test_both_pages_link_to_each_other_and_use_human_headers(pages):
    out, _ = pages
    for name in ("index.html", "revenue.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert 'href="index.html"' in html and 'href="revenue.html"' in html
        found = headers(html)
        assert found, name
        assert not [h for h in found if "_" in h], (name, found)
        # No pandas dump: no raw ratios with four decimals, no 45.0000 thresholds.
        assert not re.search(r">\s*-?\d+\.\d{4,}\s*<", html), name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Conversion rate" in headers(index) and "MQL threshold" in headers(index)
    # The sweep marks the threshold in force (45 in the frozen seeds), written without zeros.
    current = re.search(r'<tr class="current">(.*?)</tr>', index, re.S).group(1)
    assert '<td class="num">45</td>' in current and "current threshold" in current


def test_revenue_page_counts_stages_and_shows_rates_as_percentages(pages):
    out, db = pages
    html = (out / "revenue.html").read_text(encoding="utf-8")
    # 6 scored leads: T1 sql (A2), T2 mql (B2), T6 lead (D4), T3/T4 (D4) and T5 (B4)
    # disqualified; 1 MQL of 6 leads = 16.7 %.
    assert re.search(r'Leads scored</div><div class="value">6<', html)
    assert re.search(r'MQLs now</div><div class="value">1</div><div class="sub">16.7 % of leads', html)
    assert re.search(r"<b>Disqualified</b></td>(.*?)</tr>", html, re.S).group(1).count(">2<") == 1
    # T2 (webinar) and T1 (referral) reached MQL: 1 of 1 lead of their source = 100.0 %.
    webinar = re.search(r"<td>Webinar</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', webinar) == [
        "1", "1", "100.0 %", "0", "0.0 %", "0", "0"]
    # The hot list: both hand-offs, T1 first (SQL before MQL), names escaped, reasons shown.
    assert html.index("T1") < html.index("T2")
    assert "Ada O&#39;Brien" in html
    reason = query(db, "select reason_1 from marts.sales_handoff where lead_id = 'T1'")[0][0]
    assert f"<li>{markupsafe.escape(reason)}</li>" in html
    assert (out / "score_distribution.png").stat().st_size > 0
    with (out / "hot_list.csv").open(newline="", encoding="utf-8") as handle:
        assert [row["lead_id"] for row in csv.DictReader(handle)] == ["T1", "T2"]
    # One CSV per backtest table and per revenue table, each once.
    assert sorted(path.stem for path in out.glob("*.csv")
                  if path.stem != "score_health_monthly") == [
        "backtest_auc", "backtest_conversion_by_band", "backtest_conversion_by_priority",
        "backtest_gains_by_decile", "backtest_threshold_sweep", "funnel_by_week", "hot_list",
        "leads_by_source", "mqls_sqls_by_week", "score_distribution", "stage_by_priority"]
    # T1 and T2 first became MQLs on the first build (2026-03-31, a Tuesday: week of 03-30);
    # T1 also became an SQL. Counts are whole numbers, as a spreadsheet should read them.
    with (out / "mqls_sqls_by_week.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [["week", "new_mqls", "new_sqls"], ["2026-03-30", "2", "1"]]


def test_numbers_are_written_for_people():
    assert formatting.pct(0.1121) == "11.2 %"
    assert formatting.whole(12345) == "12,345"
    assert formatting.number(45.0, 2) == "45" and formatting.number(47.5, 2) == "47.5"
    assert formatting.number(14.25) == "14.3"
    assert formatting.signed(2.5) == "+2.5" and formatting.signed(-5.0) == "-5" and formatting.signed(0) == "0"
    assert formatting.signed(0.004) == "+0.004"
    assert formatting.lift(1.85) == "1.85×"
    assert formatting.stage("mql") == "MQL" and formatting.stage("disqualified") == "Disqualified"
    assert formatting.label("organic_search") == "Organic search"
    assert formatting.label("LinkedIn Ads") == "LinkedIn Ads"
    assert formatting.fixed(0.7) == "0.700" and formatting.fixed(None) == "–"
    assert formatting.fixed_signed(0.046) == "+0.046" and formatting.fixed_signed(-0.01) == "-0.010"
