{#-
    The project's vars, checked where they are read and all at once by the on-run-start hook, so
    that a typo fails first, in one line that names the var, what it must be and what it got.
-#}

{#- value as 'YYYY-MM-DD' if it is a real calendar date, else a one-line error naming it. -#}
{% macro checked_date(value, name) -%}
    {%- set parts = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', value) -%}
    {%- set valid = false -%}
    {%- if parts -%}
        {%- set year = parts.group(1) | int -%}
        {%- set month = parts.group(2) | int -%}
        {%- set day = parts.group(3) | int -%}
        {%- if year >= 1 and 1 <= month <= 12 and day >= 1 -%}
            {%- set first = modules.datetime.date(year, month, 1) -%}
            {%- set next_first = modules.datetime.date(
                year + (1 if month == 12 else 0), 1 if month == 12 else month + 1, 1
            ) -%}
            {%- set valid = day <= (next_first - first).days -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not valid -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be a real date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- Var name as a whole number of at least minimum, else a one-line error. -#}
{% macro whole_number_var(name, default, minimum) -%}
    {%- set value = var(name, default) | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', value) or value | int < minimum -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a whole number, at least " ~ minimum ~ ", got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value | int) }}
{%- endmacro %}

{#- Var name as true or false, else a one-line error. -#}
{% macro boolean_var(name, default) -%}
    {%- set value = var(name, default) | string | trim | lower -%}
    {%- if value in ['true', 'yes', '1'] -%}
        {{ return(true) }}
    {%- elif value in ['false', 'no', '0'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be true or false, got '" ~ value ~ "'"
    ) }}
{%- endmacro %}

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
