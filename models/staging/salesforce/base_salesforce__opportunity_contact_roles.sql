-- Salesforce's opportunity_contact_role: which contacts have a role on an opportunity. Rows in
-- the recycle bin are left out (a role removed from the opportunity links nothing).
{%- set role = source_columns(
    ref('source_fields'), 'salesforce', 'opportunity_contact_role',
    source('salesforce', 'opportunity_contact_role')
) %}

with

source as (

    select * from {{ source('salesforce', 'opportunity_contact_role') }}

),

renamed as (

    select
        cast({{ role.opportunity_id }} as {{ dbt.type_string() }}) as opportunity_id,
        cast({{ role.contact_id }} as {{ dbt.type_string() }}) as contact_id,
        coalesce(cast({{ role.is_primary }} as {{ dbt.type_boolean() }}), false) as is_primary,
        coalesce(cast({{ role.is_deleted }} as {{ dbt.type_boolean() }}), false) as is_deleted
    from source

)

select
    opportunity_id,
    contact_id,
    is_primary
from renamed
where not is_deleted
