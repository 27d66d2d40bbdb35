"""The one entry point: `leadscore --help` lists every command the Makefile calls, each command
answers --help with its own options, and no module edits the import path to reach another."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT

MAKEFILE_COMMANDS = {"build", "validate", "impact", "calibrate", "report", "bench", "bench-spark",
                     "foreign", "engine-test"}


def leadscore(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leadscore.cli", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_help_lists_the_commands_the_makefile_calls():
    result = leadscore("--help")
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^  ([a-z-]+)  ", result.stdout, flags=re.M))
    assert listed >= MAKEFILE_COMMANDS | {"demo"}
    called = set(re.findall(r"leadscore ([a-z-]+)", (ROOT / "Makefile").read_text()))
    assert called == MAKEFILE_COMMANDS


def test_each_command_has_its_own_options():
    result = leadscore("impact", "-h")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: leadscore impact [OPTIONS]")
    assert "--base" in result.stdout and "[default: main]" in result.stdout


def test_an_option_several_commands_take_is_declared_once():
    sources = {path.name: path.read_text() for path in (ROOT / "src" / "leadscore").glob("*.py")}
    for option in ("--out", "--db", "--leads", "--keep", "--seed", "--end-date"):
        declaration = re.compile(r'(option|add_argument)\(\s*"' + option + '"')
        declared = [name for name, text in sources.items() if declaration.search(text)]
        assert declared == ["options.py"], (option, declared)
    assert not [name for name, text in sources.items() if "argparse" in text]


def test_a_mistyped_option_value_is_one_usage_error():
    result = leadscore("demo", "--leads", "many")
    assert result.returncode == 2
    assert "Invalid value for '--leads': 'many' is not a valid integer." in result.stderr


def test_an_unknown_command_is_one_line_naming_it():
    result = leadscore("bulid")
    assert result.returncode == 2
    assert result.stderr == "error: no command 'bulid': did you mean `leadscore build`?\n"


def test_no_code_edits_the_import_path():
    import_path = "sys" + ".path"  # spelled apart, so that this file does not match itself
    offenders = [str(path.relative_to(ROOT)) for folder in ("src", "tests", "benchmarks")
                 for path in (ROOT / folder).rglob("*.py")
                 if import_path in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_command_acts_on_the_project_it_is_run_in_and_says_so(tmp_path):
    """Run from inside another copy of the project, `leadscore validate` checks that copy's
    seeds (a broken one there is found; the clone's own are fine) and names the copy first."""
    from helpers import copy_project

    project = copy_project(tmp_path / "other", frozen_seeds=False)
    weights = project / "seeds" / "engagement" / "engagement_weights.csv"
    weights.write_text(weights.read_text().replace("page_view,1,10,30", "page_view,1,10,0"))
    inside = project / "models"
    result = subprocess.run([sys.executable, "-m", "leadscore.cli", "validate"], cwd=inside,
                            capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"leadscore: the dbt project in {project.resolve()} (the nearest dbt_project.yml)")
    assert "engagement_weights.csv line 2 (event_type=page_view): half_life_days 0" in result.stderr
    # From the clone itself: nothing to say, and its seeds pass.
    assert leadscore("validate").returncode == 0
    assert "the dbt project in" not in leadscore("validate").stderr
