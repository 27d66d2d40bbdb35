{#-
    A short hash of every seed's file checksum: the scoring configuration that produced a row.
    Two builds with byte-identical seeds share a version; any edit to any seed changes it.
-#}
{% macro scoring_version() -%}
    {%- if not execute -%}
        {{ return("'unknown'") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.resource_type == 'seed' -%}
            {%- do parts.append(node.name ~ '=' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("'" ~ local_md5(parts | join('|'))[:12] ~ "'") }}
{%- endmacro %}
