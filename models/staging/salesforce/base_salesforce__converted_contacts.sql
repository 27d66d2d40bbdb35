-- Which lead each Salesforce contact was converted from (the lead's ConvertedContactId): the
-- one definition of a contact's lead, read for the opportunities opened on the contact and the
-- contact's activities. A contact two leads were merged into belongs to the lowest lead id.
-- A table: the views reading it would otherwise chain four deep down to the staging models.
{{ config(materialized='table') }}

with

leads as (

    select * from {{ ref('base_salesforce__leads') }}

),

final as (

    select
        converted_contact_id as contact_id,
        min(lead_id) as lead_id
    from leads
    where converted_contact_id is not null and lead_id is not null
    group by converted_contact_id

)

select * from final
