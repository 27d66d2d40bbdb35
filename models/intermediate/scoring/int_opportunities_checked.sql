-- One row per raw opportunity row (stg_crm__opportunities) and why it cannot be used whatever
-- the date, else null: deleted in the CRM, no opportunity_id, no lead_id, no created_at. The
-- one check both the scores (int_opportunities_dated reads the usable rows) and rejected_rows
-- (the others, with this reason) read, so a row is used or rejected, never both.

with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

final as (

    select
        *,
        case
            when is_deleted then 'deleted_in_crm'
            when opportunity_id is null then 'missing_opportunity_id'
            when lead_id is null then 'missing_lead_id'
            when created_at is null then 'missing_created_at'
        end as rejection_reason
    from opportunities

)

select * from final
