-- One row per scoring date and event day known on it (event_date on or before the scoring date):
-- the lead it belongs to on that date, or why it belongs to none. Emails resolve to the lead
-- whose version in force on the scoring date carries that email (the most recently updated one
-- when several do), so a later change to a lead cannot re-attribute earlier scores.
--
-- A view: at 50M events it has about as many rows as the day aggregate, and its readers
-- (int_engagement_points_decayed, rejected_rows) reduce it at once; materialising it first
-- needed more than DuckDB's 4 GB budget (BENCHMARKS.md).
{{ config(materialized='view') }}

{{ resolved_event_days(
    ref('int_scoring_dates_listed'), ref('int_event_days_aggregated'),
    ref('int_lead_versions_selected')
) }}
