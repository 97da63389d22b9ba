"""The settings of a mutant's test run: the laptop's (SQLite) with a test database that is already
migrated. run.py migrates it once and gives each run a fresh copy, with `--reuse-db`, so the
seconds of migrations are paid once rather than once per mutant."""

import os

from pembinaan.settings import *  # noqa: F403
from pembinaan.settings import DATABASES

DATABASES["default"] = {
    **DATABASES["default"],
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": os.environ["MUTATION_DB"],
    "TEST": {"NAME": os.environ["MUTATION_DB"]},
}
