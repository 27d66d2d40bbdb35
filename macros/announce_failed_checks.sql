{#-
    on-run-end: one line per failed data test that carries meta.remedy, naming what failed,
    the figures its query returns and what to do, so an operator does not have to read the
    compiled SQL to act. Runs for every dbt invocation (dbt build, dbt test, make build).
-#}
{% macro announce_failed_checks(results) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- for result in results
        if result.node.resource_type == 'test'
        and result.status in ['fail', 'error', 'warn']
        and result.node.config.meta.get('remedy') -%}
        {%- set figures = [] -%}
        {%- if result.status != 'error' and result.node.compiled_code -%}
            {%- set found = run_query(result.node.compiled_code) -%}
            {%- if found is not none and found.rows | length > 0 -%}
                {%- for column in found.column_names -%}
                    {%- do figures.append(column ~ ' ' ~ found.rows[0][loop.index0]) -%}
                {%- endfor -%}
                {%- if found.rows | length > 1 -%}
                    {#- The other rows by their first column (a table, an event type), five at most. -#}
                    {%- set others = [] -%}
                    {%- for row in found.rows[1:6] -%}
                        {%- do others.append(row[0] | string) -%}
                    {%- endfor -%}
                    {%- do figures.append('and ' ~ (found.rows | length - 1) ~ ' more row'
                        ~ ('s' if found.rows | length > 2 else '') ~ ' like it ('
                        ~ found.column_names[0] ~ ' ' ~ others | join(', ')
                        ~ (', ...' if found.rows | length > 6 else '') ~ ')') -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
        {%- do log(result.status | upper ~ ' ' ~ result.node.name
            ~ (': ' ~ figures | join(', ') if figures else '')
            ~ '. ' ~ result.node.config.meta['remedy'], info=True) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
