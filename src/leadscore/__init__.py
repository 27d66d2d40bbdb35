"""leadscore: the Python around the dbt project (build, validate, impact, calibrate, report,
bench, demo), one command-line entry point: `leadscore --help`."""
