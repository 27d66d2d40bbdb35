{#-
    The settings of a settings seed (setting, setting_value rows) as columns of one row: one
    max(case ...) per setting named in the seed's config.meta.settings in seeds/_seeds.yml, the
    one list of setting names (leadscore validate and the valid_settings test read it too).
-#}
{% macro pivot_settings(seed_name) -%}
    {%- set settings = graph.nodes['seed.leadscore.' ~ seed_name].config.meta.settings
        if execute else {'parsing': none} -%}
    {%- for name in settings %}
        max(case when setting = '{{ name }}' then setting_value end) as {{ name }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
