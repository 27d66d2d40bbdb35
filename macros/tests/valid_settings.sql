{#-
    A settings seed: one row per setting, its name in column_name and its value in value_column.
    settings maps every setting the project reads to the values it may take: min_value and
    max_value (inclusive), greater_than (exclusive), whole_number (true). Fails with each
    unknown setting, each setting without a row, each value outside its range, the settings of
    sum_to_one.settings when they do not sum to 1, and each in_order pair whose lower setting is
    not below its higher one. (why: texts are for `leadscore validate`'s messages.)
-#}
{% test valid_settings(model, column_name, value_column, settings, sum_to_one=none, in_order=none) %}

    {%- set double = type_double() -%}

    with

    actual as (

        select
            {{ column_name }} as setting_name,
            {{ value_column }} as setting_value
        from {{ model }}

    ),

    expected as (

        {%- for name, rule in settings.items() %}
            {%- set rule = rule or {} %}
            {%- if not loop.first %}

        union all
            {%- endif %}

        select
            '{{ name }}' as setting_name,
            cast({{ rule.get('min_value', 'null') }} as {{ double }}) as min_value,
            cast({{ rule.get('max_value', 'null') }} as {{ double }}) as max_value,
            cast({{ rule.get('greater_than', 'null') }} as {{ double }}) as greater_than,
            {{ 'true' if rule.get('whole_number') else 'false' }} as is_whole_number
        {%- endfor %}

    ),

    checked as (

        select
            coalesce(actual.setting_name, expected.setting_name) as setting_name,
            actual.setting_value,
            case
                when expected.setting_name is null then 'unknown setting'
                when actual.setting_name is null then 'missing setting'
                when actual.setting_value < expected.min_value then 'below min_value'
                when actual.setting_value > expected.max_value then 'above max_value'
                when actual.setting_value <= expected.greater_than then 'not above greater_than'
                when
                    expected.is_whole_number
                    and actual.setting_value <> floor(actual.setting_value)
                    then 'not a whole number'
            end as problem
        from actual
        full outer join expected
            on actual.setting_name = expected.setting_name

    )

    select
        setting_name,
        setting_value,
        problem
    from checked
    where problem is not null

    {% if sum_to_one %}
        union all

        select
            '{{ sum_to_one.settings | join(" + ") }}' as setting_name,
            sum(setting_value) as setting_value,
            'does not sum to 1' as problem
        from actual
        where setting_name in ('{{ sum_to_one.settings | join("', '") }}')
        having abs(sum(setting_value) - 1) > 0.000000001
    {% endif %}

    {% for pair in in_order or [] %}
        union all

        select
            '{{ pair.lower }} < {{ pair.higher }}' as setting_name,
            max(case when setting_name = '{{ pair.lower }}' then setting_value end)
                as setting_value,
            'not below {{ pair.higher }}' as problem
        from actual
        having not (
            max(case when setting_name = '{{ pair.lower }}' then setting_value end)
            < max(case when setting_name = '{{ pair.higher }}' then setting_value end)
        )
    {% endfor %}

{% endtest %}
