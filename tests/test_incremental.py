"""Incremental event models: a run after new (and late) events gives the qualified_leads,
components and rejected rows of a --full-refresh build on the same data (floats to 1e-9)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import test_end_to_end_tiny as tiny
from leadscore import scratch
from helpers import assert_same_rows, build, copy_project, load_raw, query

LATER_BATCH_IDS = {"e11", "e4"}  # a bounce that occurred 2026-03-30 but arrives late; a future event


def rounded(rows):
    """Sums of floats may differ in the last bits with the order of summation."""
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]


def snapshot(db):
    return {key: rounded(rows) for key, rows in {
        "leads": query(db, "select * exclude (scoring_version) from marts.qualified_leads order by lead_id"),
        "components": query(db, "select * from marts.lead_score_components order by component_id"),
        "rejected": query(db, "select * from marts.rejected_rows order by rejected_row_id"),
        "event_days": query(db, "select * exclude (processed_at, counted_at) "
                                "from intermediate.int_event_days_aggregated order by all"),
        # previous_* are bookkeeping of the run that moved an event.
        "events": query(db, "select * exclude (processed_at, previous_event_date, "
                            "previous_lead_ref_type, previous_lead_ref, previous_event_type) "
                            "from intermediate.int_events_deduplicated order by all"),
    }.items()}


def test_incremental_run_equals_full_refresh(tmp_path):
    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    first = [e for e in tiny.EVENTS if e["event_id"] not in LATER_BATCH_IDS]
    # The second delivery of e1 also arrives with the later batch.
    first.remove(next(e for e in first if e["event_id"] == "e1"))
    later = [e for e in tiny.EVENTS if e["event_id"] in LATER_BATCH_IDS] + [
        next(e for e in tiny.EVENTS if e["event_id"] == "e1")]
    load_raw(db, tiny.LEADS, first, tiny.OPPORTUNITIES)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF})
    t5_before = query(db, "select lifecycle_stage from marts.qualified_leads where lead_id = 'T5'")
    events_before = query(db, "select count(*) from intermediate.int_events_deduplicated")[0][0]

    con = duckdb.connect(str(db))
    for row in later:
        con.execute("insert into raw.marketing_events (event_id, lead_id, email, event_type, occurred_at) "
                    "values (?, ?, ?, ?, ?)",
                    [row["event_id"], row["lead_id"], row["email"], row["event_type"], row["occurred_at"]])
    con.close()

    # The incremental run with every data test: the reconciliation tests pass after it.
    build(project, db, tiny.AS_OF)
    # e11 and e4 are new events; the second delivery of e1 is not.
    assert query(db, "select count(*) from intermediate.int_events_deduplicated")[0][0] == events_before + 2
    incremental = snapshot(db)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF}, "--full-refresh")
    assert_same_rows(snapshot(db), incremental)

    # The late bounce was picked up: T5 is disqualified for it now, as in the hand computation.
    assert t5_before == [("lead",)]
    stages = dict(query(db, "select lead_id, lifecycle_stage from marts.qualified_leads"))
    assert stages == {lead_id: values[5] for lead_id, values in tiny.EXPECTED.items()}


# A schedule an operator runs: what is loaded before each build, and the date it scores.
# Events of 06-01..06-07 whose id ends in 3 or 7 are held back and loaded 30 days late.
SCHEDULE = [
    ("2026-06-02", "occurred_at < '2026-06-02'"),
    ("2026-06-09", "occurred_at < '2026-06-09'"),  # a weekly run
    ("2026-06-23", "occurred_at < '2026-06-23'"),  # two weeks later: one weekly run was missed
    ("2026-06-30", "true"),                          # everything, the late events included
]
LATE = ("occurred_at >= '2026-06-01' and occurred_at < '2026-06-08' "
        "and (event_id like '%3' or event_id like '%7')")


def counts_agree(db):
    """Independently of the models' own bookkeeping: every distinct raw event id is held once,
    and the event-day aggregate counts exactly the held events that carry a lead reference."""
    raw_ids, held, usable, counted = query(db, """
        select
            (select count(distinct event_id) from raw.marketing_events where event_id is not null),
            (select count(*) from intermediate.int_events_deduplicated),
            (select count(*) from intermediate.int_events_deduplicated
             where coalesce(lead_id, email) is not null and event_type is not null
               and occurred_at is not null),
            (select sum(event_count) from intermediate.int_event_days_aggregated)
    """)[0]
    return raw_ids == held and usable == counted, (raw_ids, held, usable, counted)


@pytest.mark.parametrize("load_time", [False, True], ids=["census", "load_time"])
def test_weekly_schedule_gap_late_events_and_redeliveries_equal_full_refresh(tmp_path, load_time):
    """Both ways of finding new raw rows: the per-day census, and the loader's load time (var
    raw_loaded_at; each batch stamped with the time it is loaded, as a loader does)."""
    from leadscore import demo as generate_demo_data

    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    generate_demo_data.main(["--db", str(db), "--leads", "400", "--threads", "1"])
    con = duckdb.connect(str(db))
    con.execute("create schema hold")
    con.execute("create table hold.events as select * from raw.marketing_events")
    con.execute("delete from raw.marketing_events")
    con.close()

    loaded_before = 0
    extra = {"raw_loaded_at": {"marketing_events": "_loaded_at"}} if load_time else {}
    for step, (score_as_of, loaded) in enumerate(SCHEDULE):
        con = duckdb.connect(str(db))
        late = "false" if score_as_of < "2026-06-30" else "true"
        stamp = f"timestamp '{score_as_of} 06:00:00'"
        con.execute(f"""
            insert into raw.marketing_events
            select * replace ({stamp} as _loaded_at) from hold.events
            where ({loaded}) and (not ({LATE}) or {late})
              and event_id not in (select event_id from raw.marketing_events
                                   where event_id is not null)
        """)
        if step == len(SCHEDULE) - 1:
            # Redeliveries: 40 events already loaded arrive again unchanged, and one arrives
            # again a day earlier than its first delivery (it moves to another day).
            con.execute(f"""
                insert into raw.marketing_events
                select * replace ({stamp} as _loaded_at) from raw.marketing_events
                where event_id is not null and occurred_at < '2026-06-20'
                order by event_id limit 40
            """)
            con.execute(f"""
                insert into raw.marketing_events
                select event_id, lead_id, email, event_type, occurred_at - interval 1 day,
                       page_url, campaign_id, {stamp}
                from raw.marketing_events
                where event_id is not null and lead_id is not null
                  and occurred_at < '2026-06-20'
                order by event_id desc limit 1
            """)
        loaded_now = con.execute("select count(*) from raw.marketing_events").fetchone()[0]
        con.close()
        assert loaded_now > loaded_before
        loaded_before = loaded_now
        scratch.build_models(project, db, {"score_as_of": score_as_of, **extra})
        agree, figures = counts_agree(db)
        assert agree, f"after the build of {score_as_of}: {figures}"

    late_count = query(db, f"select count(*) from hold.events where {LATE}")[0][0]
    assert late_count > 20
    if load_time:
        # The last run read the ids stamped with its load time, no other (the census reads
        # every event of a day whose count moved).
        loaded_last, read_last = query(db, """
            select
                (select count(distinct event_id) from raw.marketing_events
                 where event_id is not null and _loaded_at = timestamp '2026-06-30 06:00:00'),
                (select count(*) from intermediate.int_events_deduplicated
                 where processed_at = (select max(processed_at)
                                       from intermediate.int_events_deduplicated))
        """)[0]
        assert read_last == loaded_last > late_count
    incremental = snapshot(db)
    scratch.build_models(project, db, {"score_as_of": "2026-06-30", **extra}, "--full-refresh")
    assert_same_rows(snapshot(db), incremental)


def version_snapshot(db):
    """The version-level tables beside the marts (computed_with is the same on both sides)."""
    return {**snapshot(db), **{key: rounded(rows) for key, rows in {
        "enriched": query(db, "select * exclude (computed_with) "
                              "from intermediate.int_lead_versions_enriched order by lead_row_id"),
        "fit_points": query(db, "select * exclude (computed_with) "
                                "from intermediate.int_fit_points_matched order by all"),
    }.items()}}


def test_new_lead_versions_a_purge_and_a_seed_edit_between_runs_equal_full_refresh(tmp_path):
    """The version-level models compute only the versions they do not hold, unless the seeds
    (or their SQL) changed: a new version of T2 (a new title), a new lead T99, T6's raw row
    removed, and industry Software 25 -> 15 in icp_industries.csv, all before the second run.
    The incremental run equals a --full-refresh build, and T1 (Software) shows the new points:
    fit 98 -> 88 by hand (test_impact's fixture)."""
    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    load_raw(db, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF})
    assert query(db, "select fit_score from marts.qualified_leads where lead_id = 'T1'") == [(98.0,)]

    t2 = next(row for row in tiny.LEADS if row["lead_id"] == "T2")
    new_version = {**t2, "job_title": "Chief Executive Officer", "updated_at": "2026-03-20 10:00:00"}
    new_lead = {**t2, "lead_id": "T99", "email": "t99@globex.de", "updated_at": None}
    leads = [row for row in tiny.LEADS if row["lead_id"] != "T6"] + [new_version, new_lead]
    load_raw(db, leads, tiny.EVENTS, tiny.OPPORTUNITIES)
    industries = project / "seeds" / "icp" / "icp_industries.csv"
    text = industries.read_text()
    assert "Software,25" in text
    industries.write_text(text.replace("Software,25", "Software,15"))

    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF})
    assert query(db, "select fit_score from marts.qualified_leads where lead_id = 'T1'") == [(88.0,)]
    incremental = version_snapshot(db)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF}, "--full-refresh")
    assert_same_rows(version_snapshot(db), incremental)
    # T6 is gone from the version tables with its raw row; T2 has both versions, T99 one.
    enriched = dict(query(db, "select lead_id, count(*) from intermediate.int_lead_versions_enriched "
                              "group by lead_id"))
    assert "T6" not in enriched and enriched["T2"] == 2 and enriched["T99"] == 1


def running_sums_snapshot(db, as_of):
    """The marts and the running sums beside them, decayed to the scoring date (rows an
    incremental run did not touch keep the date they were taken to; the marks differ)."""
    return {**snapshot(db), "sums": rounded(query(
        db, "select * exclude (counted_until, processed_until, sums_through, decayed_event_count), "
            "decayed_event_count * pow(0.5, date_diff('day', sums_through, "
            f"date '{as_of}') / half_life_days) from intermediate.int_engagement_sums_rebased "
            "order by all"))}


def test_moved_events_and_a_half_life_change_between_runs_equal_full_refresh(tmp_path):
    """Between two runs on the same date: e13 arrives again for T4 instead of T6 (T6 keeps e14 on
    the same day, whose own delivery is old), e15 arrives again as another type (T6's only
    chat_started is gone), a new page view for T2, the half-lives of email_click 30 -> 15 days
    and of content_download 60 -> 30 (no day of it changed), demo_requested's points 25 -> 30.
    The running sums recompute only what changed, and the run equals --full-refresh. By hand on
    03-31: T6's one click of 03-01 is two half-lives old, 2 x 0.25 = 0.5 points (was 2 x 2 x 0.5
    = 2); T4's moved click the same 0.5; T6's download of 01-30, 5 x 0.25 = 1.25 (was 2.5); T1's
    demo of the day 30 points (capped at 25)."""
    project = copy_project(tmp_path / "project")
    db = tmp_path / "warehouse.duckdb"
    load_raw(db, tiny.LEADS, tiny.EVENTS, tiny.OPPORTUNITIES)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF})

    def points(lead_id):
        return dict(query(db, "select event_type, round(decayed_points, 9) "
                              "from intermediate.int_engagement_points_decayed "
                              f"where lead_id = '{lead_id}' and score_as_of = '{tiny.AS_OF}'"))

    assert points("T6")["email_click"] == 2.0 and "chat_started" in points("T6")
    assert points("T6")["content_download"] == 2.5
    versions_with = "select distinct computed_with from intermediate.int_lead_versions_enriched"
    versions_before = query(db, versions_with)
    con = duckdb.connect(str(db))
    for values in (("e13", "T4", "email_click", "2026-03-01 10:00:00"),
                   ("e15", "T6", "chat_abandoned", "2026-03-31 12:00:00"),
                   ("e21", "T2", "page_view", "2026-03-20 10:00:00")):
        con.execute("insert into raw.marketing_events (event_id, lead_id, event_type, occurred_at) "
                    "values (?, ?, ?, ?)", list(values))
    con.close()
    weights = project / "seeds" / "engagement" / "engagement_weights.csv"
    text = weights.read_text()
    assert "email_click,2,10,30" in text and "demo_requested,25,25,45" in text
    assert "content_download,5,15,60" in text
    weights.write_text(text.replace("email_click,2,10,30", "email_click,2,10,15")
                       .replace("content_download,5,15,60", "content_download,5,15,30")
                       .replace("demo_requested,25,25,45", "demo_requested,30,25,45"))

    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF})
    t6, t4 = points("T6"), points("T4")
    assert t6["email_click"] == 0.5 and "chat_started" not in t6 and t6["chat_abandoned"] == 0.0
    assert t6["content_download"] == 1.25
    assert t4["email_click"] == 0.5
    assert points("T1")["demo_requested"] == 30.0
    # The lead versions do not read the weights: none was recomputed for their edit.
    assert query(db, versions_with) == versions_before
    incremental = running_sums_snapshot(db, tiny.AS_OF)
    scratch.build_models(project, db, {"score_as_of": tiny.AS_OF}, "--full-refresh")
    assert_same_rows(running_sums_snapshot(db, tiny.AS_OF), incremental)

    # Back to an earlier date: the sums were taken to 03-31, so they are recomputed (the
    # events of 03-21..03-31 come out), as a --full-refresh build of 03-20 computes them.
    scratch.build_models(project, db, {"score_as_of": "2026-03-20"})
    earlier = running_sums_snapshot(db, "2026-03-20")
    assert query(db, "select max(sums_through) from intermediate.int_engagement_sums_rebased") == [
        (dt.date(2026, 3, 20),)]
    scratch.build_models(project, db, {"score_as_of": "2026-03-20"}, "--full-refresh")
    assert running_sums_snapshot(db, "2026-03-20") == earlier
