-- One row per lead and period in which its scores, grade, level and stage held (a type-2
-- history, defined in score_log_periods): valid_from_date until valid_to_date
-- (exclusive; null while current), as the score log stood on this build's scoring date.

with

periods as (

    select * from {{ ref('score_log_periods') }}

)

select * from periods
