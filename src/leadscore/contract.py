"""The three raw tables of the contract (docs/RAW_CONTRACT.md): columns and types, read from the
dbt sources (models/staging/*/_*__sources.yml, `data_type` of each column), the one place they
are written down, for every script and test that creates or checks them."""

from __future__ import annotations


import yaml

from leadscore.paths import PROJECT as ROOT


# The sources of the raw contract; the others are CRM adapters' (models/staging/salesforce/).
CONTRACT_SOURCES = ("crm", "marketing")


def _read_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if source["name"] not in CONTRACT_SOURCES:
                continue  # a CRM adapter's source (var source_system): no columns declared
            for table in source["tables"]:
                tables[table["name"]] = {
                    column["name"]: column["data_type"] for column in table["columns"]}
    return tables


RAW_TABLES = _read_tables()
