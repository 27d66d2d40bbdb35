{#-
    The dates a per-date model scores in this run, as a query over its CTE of
    int_scoring_inputs_fingerprinted (scoring_dates): every listed date it does not hold yet, or
    holds scored from other inputs (the fingerprint column named, stored as inputs_fingerprint)
    or with other seeds or SQL (computed_with(), stored as scored_with). Settled dates stay as
    stored; on a first run or --full-refresh every date is scored. With
    include_seeds=false the seeds are left out of computed_with (int_engagement_counts_decayed:
    a points edit recomputes no count).
-#}
{% macro dates_to_score(scoring_dates, fingerprint, include_seeds=true) -%}
    select
        {{ scoring_dates }}.score_as_of,
        {{ scoring_dates }}.known_before,
        {{ scoring_dates }}.is_current,
        {{ scoring_dates }}.{{ fingerprint }} as inputs_fingerprint,
        {{ leadscore.computed_with(include_seeds) }} as scored_with
    from {{ scoring_dates }}
    {#- A table written by a release without these columns is scored again, every date. -#}
    {%- if 'scored_with' in leadscore.incremental_columns() %}
    left join (
        select distinct
            score_as_of,
            inputs_fingerprint,
            scored_with
        from {{ this }}
    ) as stored_dates
        on
            {{ scoring_dates }}.score_as_of = stored_dates.score_as_of
            and {{ scoring_dates }}.{{ fingerprint }} = stored_dates.inputs_fingerprint
            and stored_dates.scored_with = {{ leadscore.computed_with(include_seeds) }}
    where stored_dates.score_as_of is null
    {%- endif %}
{%- endmacro %}
