{#-
    Version-level models (int_lead_versions_enriched, int_fit_points_matched) depend only on a raw
    lead row and the seeds, never on the scoring date, so an incremental run computes only the
    versions it does not hold yet, or holds computed with other seeds or another version of the
    model's SQL (computed_with). Spark (a local session without Delta) rebuilds them.
-#}

{#-
    What this model's rows are computed with: the SQL of the model and of every model it reads,
    directly or through its parents, and the seeds among them (an edit of engagement_weights.csv
    recomputes no lead version): all of them (include_seeds true), none (false), or those named
    in a list. A compile-time literal: it depends on
    the project's files, never on what the warehouse holds.
-#}
{% macro computed_with(include_seeds=true) -%}
    {#- A dbt unit test has no graph: its rows are never compared with stored ones. -#}
    {%- if not execute or not graph.get('nodes') -%}
        {{ return("'unknown'") }}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- set queue = [model.unique_id] -%}
    {#- Breadth-first over the parents: the loop reads what it appends. The parents of
        int_scoring_inputs_fingerprinted are data its fingerprints cover, not what a date is
        scored with: the walk stops there (else a weight edit would rescore lead versions). -#}
    {%- for unique_id in queue -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- set parents = [] if unique_id.endswith('.int_scoring_inputs_fingerprinted')
            else (node.depends_on.nodes if node else []) -%}
        {%- for parent in parents if parent not in seen -%}
            {%- do seen.append(parent) -%}
            {%- do queue.append(parent) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for unique_id in seen | sort -%}
        {%- set is_seed_included = unique_id.startswith('seed.') and (
            include_seeds if include_seeds is boolean else unique_id.split('.')[-1] in include_seeds
        ) -%}
        {%- if is_seed_included or unique_id.startswith('model.') -%}
            {%- do parts.append(graph.nodes[unique_id].name ~ '=' ~ graph.nodes[unique_id].checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("'" ~ local_md5(parts | join('|') ~ '|' ~ model.checksum.checksum)[:12] ~ "'") }}
{%- endmacro %}
