"""Where the dbt project lives: the folder holding the leadscore dbt_project.yml. In order:
LEADSCORE_PROJECT; the nearest such folder from the working directory up (a copy of the
project you run the command in); the clone the package is installed from (editable, by `make
setup`). `leadscore` says which when it is not the installed clone."""

import os
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSTALLED_CLONE = PACKAGE.parents[1].resolve()


def is_leadscore_project(folder: Path) -> bool:
    project_file = folder / "dbt_project.yml"
    try:
        text = project_file.read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r"^name:\s*['\"]?leadscore['\"]?\s*$", text, re.MULTILINE) is not None


def find_project() -> tuple[Path, str]:
    """(project folder, why that one)."""
    if os.environ.get("LEADSCORE_PROJECT"):
        return Path(os.environ["LEADSCORE_PROJECT"]).resolve(), "LEADSCORE_PROJECT"
    try:
        here = Path.cwd().resolve()
    except OSError:
        here = None
    for folder in ([here, *here.parents] if here else []):
        if is_leadscore_project(folder):
            return folder, "the nearest dbt_project.yml"
    return INSTALLED_CLONE, "the clone the package is installed from"


PROJECT, PROJECT_ORIGIN = find_project()
