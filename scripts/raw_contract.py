"""The three raw tables of ../shared/RAW_CONTRACT.md: columns and types, in one place for every
script and test that creates or checks them."""

RAW_TABLES = {
    "crm_leads": {
        "lead_id": "varchar", "email": "varchar", "first_name": "varchar", "last_name": "varchar",
        "job_title": "varchar", "company_name": "varchar", "company_domain": "varchar",
        "industry": "varchar", "employee_count": "integer", "annual_revenue_usd": "decimal(18,2)",
        "country": "varchar", "lead_source": "varchar", "budget_confirmed": "boolean",
        "purchase_timeline": "varchar", "use_case": "varchar", "do_not_contact": "boolean",
        "created_at": "timestamp", "updated_at": "timestamp"},
    "marketing_events": {
        "event_id": "varchar", "lead_id": "varchar", "email": "varchar", "event_type": "varchar",
        "occurred_at": "timestamp", "page_url": "varchar", "campaign_id": "varchar"},
    "crm_opportunities": {
        "opportunity_id": "varchar", "lead_id": "varchar", "created_at": "timestamp",
        "stage": "varchar", "closed_at": "timestamp", "amount_usd": "decimal(18,2)"},
}
