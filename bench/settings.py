"""The application's settings plus the benchmark's own views (bench/urls.py): the bare floors
and the plain ListView reference. The benchmark serves with DJANGO_SETTINGS_MODULE=bench.settings
(bench/run.py); the product never routes these views."""

from pembinaan.settings import *  # noqa: F403
from pembinaan.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
# A copy: the product's TEMPLATES stay as they are in a process that imports both.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
