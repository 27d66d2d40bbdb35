{#- on-run-start: every var the project reads, checked before anything is built. -#}
{% macro check_vars() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- do leadscore.score_as_of_and_source() -%}
    {%- do leadscore.backtest_as_of_value() -%}
    {%- do leadscore.calibration_dates_value() -%}
    {%- do leadscore.whole_number_var('backtest_min_leads_per_band', 50, 1) -%}
    {%- do leadscore.whole_number_var('backtest_sweep_step', 5, 1) -%}
    {%- do leadscore.boolean_var('expose_pii', true) -%}
    {%- do leadscore.boolean_var('allow_history_beyond_data', false) -%}
    {%- do leadscore.boolean_var('accept_raw_shrink', false) -%}
    {%- if var('incremental_lookback_days', none) is not none -%}
        {%- do log('Note: var incremental_lookback_days is no longer read: the event models'
            ~ ' re-read every day whose raw delivery count changed, whatever the lookback.',
            info=True) -%}
    {%- endif -%}
    {%- do leadscore.raw_loaded_at_column('marketing_events') -%}
    {%- set loaded_at = var('raw_loaded_at', {}) or {} -%}
    {%- for table, column in loaded_at.items() -%}
        {%- if table != 'marketing_events' -%}
            {{ exceptions.raise_compiler_error(
                "var raw_loaded_at: only marketing_events is read by load time (crm_leads and"
                ~ " crm_opportunities are read whole on every run); remove '" ~ table ~ "'"
            ) }}
        {%- endif -%}
        {%- if not modules.re.match('^[A-Za-z_][A-Za-z0-9_$]*$', column | string) -%}
            {{ exceptions.raise_compiler_error(
                "var raw_loaded_at: the load-time column of " ~ table ~ " must be a column name"
                ~ " (letters, digits, _), got '" ~ column ~ "'"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', var('raw_schema', 'raw') | string) -%}
        {{ exceptions.raise_compiler_error(
            "var raw_schema must be a schema name (letters, digits, _), got '"
            ~ var('raw_schema', 'raw') ~ "'"
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
