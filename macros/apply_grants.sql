{#-
    A local Spark session has no access control (GRANT does not parse): grants belong to the
    catalog a deployment runs (Unity Catalog, Ranger, ...). Skipped here rather than failing.
-#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}
