{#-
    on-run-start of dbt run, build and test: the raw tables of the contract exist in var
    raw_schema with every column the sources declare (data_type in _*__sources.yml), of a
    compatible type. One message, one line per problem, naming table, column, expected and
    found type, instead of a binder error deep inside a staging model.
-#}
{% macro check_raw_contract() -%}
    {%- if not execute or flags.WHICH not in ['run', 'build', 'test'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for source in graph.sources.values() if source.package_name == project_name -%}
        {%- set relation = adapter.get_relation(
            database=source.database, schema=source.schema, identifier=source.identifier
        ) -%}
        {%- if relation is none -%}
            {%- do problems.append('raw table ' ~ source.schema ~ '.' ~ source.identifier
                ~ ' does not exist: load it (docs/RAW_CONTRACT.md), or set var raw_schema to'
                ~ ' the schema that holds it (now ' ~ var('raw_schema', 'raw') ~ ')') -%}
        {%- else -%}
            {%- set found = {} -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do found.update({column.name | lower: column.data_type | lower}) -%}
            {%- endfor -%}
            {%- set loaded_at = leadscore.raw_loaded_at_column(source.name) -%}
            {%- if loaded_at and loaded_at | lower not in found -%}
                {%- do problems.append(source.schema ~ '.' ~ source.identifier ~ '.' ~ loaded_at
                    ~ ' (var raw_loaded_at) is missing: name the column the loader writes its'
                    ~ ' load time to, or drop ' ~ source.name ~ ' from var raw_loaded_at') -%}
            {%- endif -%}
            {%- for name, column in source.columns.items() if column.data_type -%}
                {%- set expected = column.data_type | lower -%}
                {%- if name | lower not in found -%}
                    {%- do problems.append(source.schema ~ '.' ~ source.identifier ~ '.' ~ name
                        ~ ' is missing (expected ' ~ expected ~ '): add the column, null if the'
                        ~ ' loader has no value for it') -%}
                {%- elif not leadscore.raw_type_compatible(expected, found[name | lower]) -%}
                    {%- do problems.append(source.schema ~ '.' ~ source.identifier ~ '.' ~ name
                        ~ ' is ' ~ found[name | lower] ~ ', expected ' ~ expected
                        ~ ': cast it in the loader or in a view') -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            'The raw tables do not match the contract (docs/RAW_CONTRACT.md):\n  '
            ~ problems | join('\n  ')
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
