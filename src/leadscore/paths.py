"""Where the dbt project lives: the folder holding dbt_project.yml. By default the clone the
package is installed from (editable, by `make setup`); LEADSCORE_PROJECT names another copy."""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = Path(os.environ.get("LEADSCORE_PROJECT") or PACKAGE.parents[1]).resolve()
