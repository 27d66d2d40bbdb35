-- The scoring date lies more than history_max_days_beyond_data days after the newest raw fact:
-- the marts describe that date, but the score log was not written. Build for the data's date
-- (SCORE_AS_OF=YYYY-MM-DD make build, or --vars '{score_as_of: YYYY-MM-DD}'), or set var
-- allow_history_beyond_data: true when the date is right and the data is merely quiet.
{{ config(severity='warn', meta={'remedy': 'The score log was not written for this date. Build'
    ~ ' for the data\'s date (SCORE_AS_OF=YYYY-MM-DD make build, or --vars'
    ~ ' \'{score_as_of: YYYY-MM-DD}\'), or set var allow_history_beyond_data: true when the'
    ~ ' date is right and the data is merely quiet.'}) }}

select
    score_as_of,
    newest_data_date,
    days_beyond_data
from {{ ref('int_raw_data_freshness') }}
where not is_within_data
