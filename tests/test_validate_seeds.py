"""Every way a person can break a seed by hand fails the build with a message naming the seed
file, the line and what is wrong. Each case edits one CSV in a temporary copy of the project."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import copy_project

CASES = {
    "attribute rule restricting nothing": (
        "engagement/engagement_attribute_rules.csv", ("page_view,/demo([/?#]|$),,2", "page_view,,,2"),
        "seeds/engagement/engagement_attribute_rules.csv line 3 (rule_id=demo_page): rule demo_page "
        "restricts nothing: give a page_url_pattern, a campaign_id or both"),
    "attribute rule pattern in capitals": (
        "engagement/engagement_attribute_rules.csv", ("/case-studies/", "/Case-Studies/"),
        "seeds/engagement/engagement_attribute_rules.csv line 4 (rule_id=case_study_pages): "
        "page_url_pattern '/Case-Studies/' has capital letters"),
    "attribute rule non-portable pattern": (
        "engagement/engagement_attribute_rules.csv", ("/pricing([/?#]|$)", r"/pricing\b"),
        "seeds/engagement/engagement_attribute_rules.csv line 2 (rule_id=pricing_page): pattern "
        "'/pricing\\\\b' uses a backslash"),
    "attribute rules sharing a priority": (
        "engagement/engagement_attribute_rules.csv", ("page_view,/demo([/?#]|$),,2", "page_view,/demo([/?#]|$),,1"),
        "seeds/engagement/engagement_attribute_rules.csv line 3 (rule_id=demo_page): duplicate "
        "event_type, priority 'page_view', 1 (already on line 2)"),
    "attribute rule without a label": (
        "engagement/engagement_attribute_rules.csv", (",Read a case study", ","),
        "seeds/engagement/engagement_attribute_rules.csv line 4 (rule_id=case_study_pages): label "
        "is empty: write what the lead did as a sales rep reads it"),
    "duplicate key": (
        "icp/icp_industries.csv", ("Retail,5", "Retail,5\n software ,3"),
        "seeds/icp/icp_industries.csv line 11 (industry= software ): duplicate industry ' software ' (already on line 2)"),
    "non-numeric points": (
        "engagement/engagement_weights.csv", ("page_view,1,10,30", "page_view,one,10,30"),
        "seeds/engagement/engagement_weights.csv line 2 (event_type=page_view): points 'one' is not a whole number"),
    "empty points": (
        "icp/lead_source_points.csv", ("referral,5", "referral,"),
        "seeds/icp/lead_source_points.csv line 2 (lead_source=referral): fit_points is empty"),
    "unknown event type in the weights": (
        "engagement/engagement_weights.csv", ("page_view,1,10,30", "page_veiw,1,10,30"),
        "seeds/engagement/engagement_weights.csv line 2 (event_type=page_veiw): unknown event type 'page_veiw'"),
    "unknown dimension (rule type)": (
        "rules/disqualification_rules.csv", ("7,country,KP", "7,nationality,KP"),
        "seeds/rules/disqualification_rules.csv line 8 (rule_id=7): unknown rule_type 'nationality'"),
    "unknown setting": (
        "rules/scoring_settings.csv", ("hot_min_lead_score,60", "hot_min_score,60"),
        "seeds/rules/scoring_settings.csv line 8 (setting=hot_min_score): unknown setting 'hot_min_score'"),
    "overlapping size bands": (
        "icp/icp_company_size_bands.csv", ("51-200,51,200,12", "51-200,45,200,12"),
        "seeds/icp/icp_company_size_bands.csv line 4 (company_size_band=51-200): overlap: min_employees 45 falls inside band '11-50' (line 3), which ends at 50"),
    "gapped revenue bands": (
        "icp/icp_revenue_bands.csv", ("10M-50M,10000000,50000000,7", "10M-50M,12000000,50000000,7"),
        "seeds/icp/icp_revenue_bands.csv line 4 (revenue_band=10M-50M): gap: min_revenue_usd 1.2e+07 leaves 1e+07..1.2e+07 uncovered after band '1M-10M' (line 3)"),
    "grade bands not covering 0-100": (
        "rules/fit_grades.csv", ("D,0", "D,10"),
        "seeds/rules/fit_grades.csv: no row has min_fit_score 0: scores below the lowest bound would get no fit_grade"),
    "grade bound above 100": (
        "rules/fit_grades.csv", ("A,75", "A,175"),
        "seeds/rules/fit_grades.csv line 2 (fit_grade=A): min_fit_score 175 is outside 0-100"),
    "MQL threshold not below SQL threshold": (
        "rules/scoring_settings.csv", ("mql_min_lead_score,45", "mql_min_lead_score,65"),
        "seeds/rules/scoring_settings.csv line 4 (setting=mql_min_lead_score): mql_min_lead_score 65 must be below sql_min_lead_score 65"),
    "weights not summing to 1": (
        "rules/scoring_settings.csv", ("fit_weight,0.5", "fit_weight,0.6"),
        "seeds/rules/scoring_settings.csv line 2 (setting=fit_weight): fit_weight + engagement_weight = 1.1; they must sum to 1"),
    "negative half-life": (
        "engagement/engagement_weights.csv", ("email_open,1,5,30", "email_open,1,5,-30"),
        "seeds/engagement/engagement_weights.csv line 5 (event_type=email_open): half_life_days -30 must be greater than 0"),
    "cap below zero": (
        "engagement/engagement_weights.csv", ("email_bounced,-20,20,365", "email_bounced,-20,-20,365"),
        "seeds/engagement/engagement_weights.csv line 14 (event_type=email_bounced): max_points_per_lead -20 is below zero"),
    "regex that does not compile": (
        "icp/icp_seniorities.csv", ('" (director|head of|head) "', '" (director|head of|head "'),
        "seeds/icp/icp_seniorities.csv line 4 (seniority=director): pattern ' (director|head of|head ' does not compile"),
    "non-portable regex": (
        "rules/disqualification_rules.csv", ('" (student|intern|trainee|apprentice) "', r'"\bstudent\b"'),
        "seeds/rules/disqualification_rules.csv line 7 (rule_id=6): pattern '\\\\bstudent\\\\b' uses a backslash"),
    "not true or false": (
        "rules/bant_criteria.csv", ("budget,true", "budget,yes"),
        "seeds/rules/bant_criteria.csv line 2 (bant_criterion=budget): is_required_for_sql 'yes' must be true or false"),
    "alias to an unknown industry": (
        "mappings/industry_aliases.csv", ("saas,Software", "saas,Sofware"),
        "seeds/mappings/industry_aliases.csv line 3 (industry_alias=saas): industry 'Sofware' is not in icp/icp_industries.csv"),
    "missing column": (
        "icp/icp_countries.csv", ("country_code,country_name,region,fit_points", "country_code,country_name,fit_points"),
        "seeds/icp/icp_countries.csv: header must be country_code,country_name,region,fit_points (missing region)"),
    "account weights not summing to 1": (
        "rules/account_settings.csv", ("account_engagement_weight,0.5", "account_engagement_weight,0.6"),
        "seeds/rules/account_settings.csv line 4 (setting=account_fit_weight): account_fit_weight + account_engagement_weight = 1.1; they must sum to 1"),
    "no account stage for every account": (
        "rules/account_stages.csv", ("target,1,0,0,0,0", "target,1,10,0,0,0"),
        "seeds/rules/account_stages.csv: no stage has every minimum at 0"),
    "account engagement cap of zero": (
        "rules/account_settings.csv", ("account_engagement_cap,150", "account_engagement_cap,0"),
        "seeds/rules/account_settings.csv line 3 (setting=account_engagement_cap): account_engagement_cap must be greater than 0"),
    "unquoted comma": (
        "icp/icp_industries.csv", ("Retail,5", "Retail, Wholesale,5"),
        "seeds/icp/icp_industries.csv line 10: has 3 values, the header has 2 columns"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("seeds") / "project", frozen_seeds=False)


def validate(project):
    return subprocess.run([sys.executable, "-m", "leadscore.cli", "validate",
                           "--seeds-dir", str(project / "seeds")], capture_output=True, text=True)


def test_the_shipped_seeds_pass(project):
    result = validate(project)
    assert result.returncode == 0, result.stderr
    assert "seeds OK" in result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_seed_fails_with_file_line_and_reason(project, case):
    file, (old, new), message = CASES[case]
    path = project / "seeds" / file
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"fixture text not found once in {file}: {old}"
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        result = validate(project)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert message in result.stderr, result.stderr


# seeds/_seeds.yml is the one schema: a change there (old -> new, in the YAML) changes what the
# validator checks, with no change to Python. Each case passes the shipped CSVs before the edit.
YAML_CASES = {
    "a column type": (
        "icp_industries\n    description: Fit points per canonical industry. One row per industry.\n"
        "    config:\n      column_types: {industry: \"{{ 'string' if target.type == 'spark' else "
        "'varchar' }}\", fit_points: integer}",
        "icp_industries\n    description: Fit points per canonical industry. One row per industry.\n"
        "    config:\n      column_types: {industry: \"{{ 'string' if target.type == 'spark' else "
        "'varchar' }}\", fit_points: boolean}",
        "seeds/icp/icp_industries.csv line 2 (industry=Software): fit_points '25' must be true or false"),
    "an allowed value removed": (
        "values: [do_not_contact, event_type, email_domain, free_mail_domain, title_pattern, country, industry]",
        "values: [do_not_contact, event_type, email_domain, free_mail_domain, title_pattern, country]",
        "seeds/rules/disqualification_rules.csv line 12 (rule_id=11): unknown rule_type 'industry'; known: "
        "country, do_not_contact, email_domain, event_type, free_mail_domain, title_pattern"),
    "a new setting": (
        "          raw_min_lead_rows: {min_value: 0}\n",
        "          raw_min_lead_rows: {min_value: 0}\n          lead_decay_floor: {min_value: 0}\n",
        "seeds/rules/scoring_settings.csv: setting 'lead_decay_floor' is missing"),
    "a range": (
        "      - name: half_life_days\n        description: Days after which an event is worth half its "
        "points.\n        data_tests:\n          - not_null\n          - value_above:\n"
        "              arguments: {min_value: 0}",
        "      - name: half_life_days\n        description: Days after which an event is worth half its "
        "points.\n        data_tests:\n          - not_null\n          - value_above:\n"
        "              arguments: {min_value: 45}",
        "seeds/engagement/engagement_weights.csv line 2 (event_type=page_view): half_life_days 30 must be "
        "greater than 45"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_the_yaml_schema_drives_the_checks(project, case):
    old, new, message = YAML_CASES[case]
    path = project / "seeds" / "_seeds.yml"
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"fixture text not found once in _seeds.yml: {old}"
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        result = validate(project)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "  " + message in result.stderr.splitlines(), result.stderr


def test_a_schema_given_with_schema_is_the_one_read(project, tmp_path):
    """--schema names the YAML; a seeds folder of CSVs only (as `make calibrate` writes its
    candidates) is checked against it."""
    schema = tmp_path / "schema.yml"
    schema.write_text((project / "seeds" / "_seeds.yml").read_text(encoding="utf-8").replace(
        "  - name: score_dimensions\n", "  - name: score_dimension\n"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "leadscore.cli", "validate", "--seeds-dir",
                             str(project / "seeds"), "--schema", str(schema)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "  seeds/score_dimension.csv: file is missing",
        "  seeds/mappings/score_dimensions.csv: no seed score_dimensions in seeds/_seeds.yml: "
        "describe it there (column_types, a description per column, tests) so that dbt and this "
        "check know it",
    ]


def test_a_seed_the_yaml_does_not_describe_fails(project):
    extra = project / "seeds" / "icp" / "job_level_points.csv"
    extra.write_text("job_level,fit_points\nsenior,5\n", encoding="utf-8")
    try:
        result = validate(project)
    finally:
        extra.unlink()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "1 problem(s) in the seeds:",
        "  seeds/icp/job_level_points.csv: no seed job_level_points in seeds/_seeds.yml: describe "
        "it there (column_types, a description per column, tests) so that dbt and this check know it"]


def test_build_stops_before_dbt_on_a_broken_seed(tmp_path):
    """`leadscore build`, which make build and make test run, refuses to build."""
    project = copy_project(tmp_path / "project", frozen_seeds=False)
    weights = project / "seeds" / "engagement" / "engagement_weights.csv"
    weights.write_text(weights.read_text().replace("page_view,1,10,30", "page_view,1,10,0"))
    result = subprocess.run([sys.executable, "-m", "leadscore.cli", "build"],
                            capture_output=True, text=True, cwd=project,
                            env={"PATH": "/usr/bin:/bin", "LEADSCORE_PROJECT": str(project),
                                 "LEADSCORE_DUCKDB": str(tmp_path / "x.duckdb")})
    assert result.returncode == 1
    assert "engagement_weights.csv line 2 (event_type=page_view): half_life_days 0 must be greater than 0" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_a_seed_saved_by_excel_with_a_byte_order_mark_passes(project):
    """Excel's "CSV UTF-8" writes a byte-order mark first: accepted (dbt seed reads past it too)."""
    path = project / "seeds" / "icp" / "icp_industries.csv"
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original)
    try:
        result = validate(project)
    finally:
        path.write_bytes(original)
    assert result.returncode == 0, result.stderr
    assert "seeds OK" in result.stdout


@pytest.mark.parametrize("damage, message", [
    (lambda text: text.replace(b"Retail,5", b"Ret\x00ail,5"),
     "seeds/icp/icp_industries.csv line 10: contains a NUL character: save the file again as plain CSV text"),
    (lambda text: text.replace(b"Retail,5", "Retail,5\nCafé,3".encode("latin-1")),
     "seeds/icp/icp_industries.csv line 11: is not UTF-8 text: save the file as 'CSV UTF-8' (Excel) or UTF-8"),
])
def test_a_seed_that_is_not_clean_utf8_text_is_named_in_one_line(project, damage, message):
    path = project / "seeds" / "icp" / "icp_industries.csv"
    original = path.read_bytes()
    path.write_bytes(damage(original))
    try:
        result = validate(project)
    finally:
        path.write_bytes(original)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["1 problem(s) in the seeds:", "  " + message]


def test_a_bad_value_in_a_referenced_row_is_reported_once(project):
    """Retail's fit_points written as a word: that row is the one problem. The aliases that
    point at Retail (industry_aliases.csv) are not reported as missing references (an operator
    trial got three such false lines besides the real one)."""
    path = project / "seeds" / "icp" / "icp_industries.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Retail,5", "Retail,five"), encoding="utf-8")
    try:
        result = validate(project)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    problems = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("seeds/")]
    assert problems == ["seeds/icp/icp_industries.csv line 10 (industry=Retail): fit_points 'five' "
                        "is not a whole number"], result.stderr
