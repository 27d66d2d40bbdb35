{#-
    The dates a build scores leads as of: score_as_of (is_current: the marts), the backtest
    date (is_backtest) and any var calibration_dates (neither: `make calibrate` scores its
    training dates in the same build). Every scoring model carries score_as_of as a key, so the
    one scoring implementation serves all of them; a date listed twice gets one row.
-#}
{% macro scoring_dates_sql() -%}
    {%- set current = score_as_of_value() -%}
    {%- set backtest = backtest_as_of_value() -%}
    {%- set extra = [] -%}
    {%- for value in calibration_dates_value() -%}
        {%- if value not in [current, backtest] and value not in extra -%}
            {%- do extra.append(value) -%}
        {%- endif -%}
    {%- endfor %}
    select
        cast('{{ current }}' as date) as score_as_of,
        true as is_current,
        {{ 'true' if backtest == current else 'false' }} as is_backtest
    {%- if backtest is not none and backtest != current %}

    union all

    select
        cast('{{ backtest }}' as date) as score_as_of,
        false as is_current,
        true as is_backtest
    {%- endif %}
    {%- for value in extra %}

    union all

    select
        cast('{{ value }}' as date) as score_as_of,
        false as is_current,
        false as is_backtest
    {%- endfor %}
{%- endmacro %}

{#-
    Var calibration_dates as a list of 'YYYY-MM-DD' strings: a list, or one string of dates
    separated by commas; empty by default.
-#}
{% macro calibration_dates_value() -%}
    {%- set value = var('calibration_dates', []) -%}
    {%- if value is none -%}
        {%- set value = [] -%}
    {%- elif value is string -%}
        {%- set value = value.split(',') -%}
    {%- endif -%}
    {%- set dates = [] -%}
    {%- for item in value if item | string | trim != '' -%}
        {%- do dates.append(leadscore.checked_date(item | string | trim, 'var calibration_dates')) -%}
    {%- endfor -%}
    {{ return(dates) }}
{%- endmacro %}

{#- The whole numbers 0 to n - 1 as a one-column query (digit), for n up to 10. -#}
{% macro digits_sql(n) -%}
    {%- for value in range(n) %}
    select {{ value }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    The dates a per-date model scores in this run, as a query over its CTE of
    int_scoring_inputs_fingerprinted (scoring_dates): every listed date it does not hold yet, or
    holds scored from other inputs (the fingerprint column named, stored as inputs_fingerprint)
    or with other seeds or SQL (computed_with(), stored as scored_with). Settled dates stay as
    stored; on a first run or --full-refresh every date is scored. With
    include_seeds=false the seeds are left out of computed_with (int_engagement_counts_decayed:
    a points edit recomputes no count).
-#}
{% macro dates_to_score(scoring_dates, fingerprint, include_seeds=true) -%}
    select
        {{ scoring_dates }}.score_as_of,
        {{ scoring_dates }}.known_before,
        {{ scoring_dates }}.is_current,
        {{ scoring_dates }}.{{ fingerprint }} as inputs_fingerprint,
        {{ leadscore.computed_with(include_seeds) }} as scored_with
    from {{ scoring_dates }}
    {#- A table written by a release without these columns is scored again, every date. -#}
    {%- if 'scored_with' in leadscore.incremental_columns() %}
    left join (
        select distinct
            score_as_of,
            inputs_fingerprint,
            scored_with
        from {{ this }}
    ) as stored_dates
        on
            {{ scoring_dates }}.score_as_of = stored_dates.score_as_of
            and {{ scoring_dates }}.{{ fingerprint }} = stored_dates.inputs_fingerprint
            and stored_dates.scored_with = {{ leadscore.computed_with(include_seeds) }}
    where stored_dates.score_as_of is null
    {%- endif %}
{%- endmacro %}

{#-
    Post-hook of the per-date models: dates no longer listed in scoring_dates (the model's
    ref('int_scoring_inputs_fingerprinted'): last month's backtest date, a health month that
    left the window, a calibration date no longer asked for) are deleted.
-#}
{% macro delete_unlisted_scoring_dates(scoring_dates) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where score_as_of not in (
            select listed.score_as_of from {{ scoring_dates }} as listed
        )
    {%- endif -%}
{%- endmacro %}
