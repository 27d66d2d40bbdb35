{#-
    The columns of a CRM table as its loader landed it, named by the contract fields they fill:
    a mapping from contract_field to a column expression, read from the source_fields seed's rows
    for one system and table. The seed names a field by its API name (NumberOfEmployees,
    Budget_Confirmed__c); the loaded column matches it whatever the loader's spelling, compared
    in lower case without underscores (Fivetran's number_of_employees and budget_confirmed_c,
    Airbyte's NumberOfEmployees). Several names separated by | : the first the table has.
    A blank source_field gives null (the system has no such field); a name the table lacks stops
    the build with one line naming the seed row and the fix, unless the row is optional.

    fields: ref('source_fields'); system: the var source_system value; table: the name the seed
    rows give (lead); relation: the source() it reads. At parse time every field is null.
-#}
{% macro source_columns(fields, system, table, relation) -%}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select contract_field, source_field, optional from " ~ fields
        ~ " where system = '" ~ system ~ "' and source_table = '" ~ table ~ "'"
    ) -%}
    {%- set loaded = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set key = column.name | lower | replace('_', '') -%}
        {%- if key in loaded -%}
            {{ exceptions.raise_compiler_error(
                relation ~ ' has columns ' ~ loaded[key] ~ ' and ' ~ column.name
                ~ ' that differ only in case or underscores: rename one in the loader'
            ) }}
        {%- endif -%}
        {%- do loaded.update({key: column.name}) -%}
    {%- endfor -%}
    {%- if not loaded -%}
        {{ exceptions.raise_compiler_error(
            relation ~ ' does not exist or has no columns: load ' ~ system ~ "'s " ~ table
            ~ ' table, or set var ' ~ system ~ '_schema to the schema the loader writes to'
        ) }}
    {%- endif -%}
    {%- set mapped = {} -%}
    {%- for row in rows -%}
        {%- set names = (row['source_field'] or '') | trim -%}
        {#- A namespace: a plain set inside the loop below would not outlive it. -#}
        {%- set found = namespace(expression=none) -%}
        {%- if names in ['', 'None'] -%}
            {%- set found.expression = 'null' -%}
        {%- else -%}
            {%- for name in names.split('|') if found.expression is none -%}
                {%- set key = name | trim | lower | replace('_', '') -%}
                {%- if key in loaded -%}
                    {%- set found.expression = adapter.quote(loaded[key]) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if found.expression is none and row['optional'] in [true, 'true', 'True'] -%}
            {%- set found.expression = 'null' -%}
        {%- endif -%}
        {%- if found.expression is none -%}
            {{ exceptions.raise_compiler_error(
                'seeds/mappings/source_fields.csv, row ' ~ system ~ ',' ~ table ~ ','
                ~ row['contract_field'] ~ ': ' ~ relation ~ ' has no column ' ~ names
                ~ ': write the field as the loader landed it (its API name, say Budget_Confirmed__c),'
                ~ ' or leave source_field blank to score without ' ~ row['contract_field']
            ) }}
        {%- endif -%}
        {%- do mapped.update({row['contract_field']: found.expression}) -%}
    {%- endfor -%}
    {{ return(mapped) }}
{%- endmacro %}
