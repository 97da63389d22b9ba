"""The layers of the house (STYLE.md, Layout): the helpers in pembinaan/lib import no app of ours
and importing them starts nothing; the apps import one another one way only (evaluasi →
pelatihan → pegawai; masyarakat → pegawai), and of pembinaan only its helpers."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("pembinaan", "pegawai", "pelatihan", "evaluasi", "masyarakat")
# The apps of ours each app may import, besides pembinaan.lib.
MAY_IMPORT = {
    "pegawai": set(),
    "pelatihan": {"pegawai"},
    "evaluasi": {"pelatihan", "pegawai"},
    "masyarakat": {"pegawai"},
}
LIB_MODULES = sorted(f"pembinaan.lib.{p.stem}" for p in (ROOT / "pembinaan/lib").glob("[!_]*.py"))


def imported_names(source: str, module: str) -> list[tuple[int, str]]:
    """Every module (or module.name) that `source`, the text of `module`, imports, with its
    line; relative imports resolved."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def is_lib(name: str) -> bool:
    return name == "pembinaan.lib" or name.startswith("pembinaan.lib.")


def wrong_imports(top: str, allowed) -> list[str]:
    """The imports of our packages by the modules under `top` that `allowed(name)` refuses."""
    wrong = []
    for path in sorted((ROOT / top).rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts)
        if path.name == "__init__.py":
            module += ".__init__"
        for line, name in imported_names(path.read_text(), module):
            if name.split(".")[0] in OURS and not allowed(name):
                wrong.append(f"{relative}:{line} imports {name}")
    return wrong


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_app_imports_only_the_apps_below_it_and_of_pembinaan_only_its_helpers(app):
    def allowed(name: str) -> bool:
        top = name.split(".")[0]
        return top == app or top in MAY_IMPORT[app] or is_lib(name)

    assert wrong_imports(app, allowed) == []


def test_the_helpers_import_no_app_and_no_program_module():
    assert wrong_imports("pembinaan/lib", is_lib) == []


def test_the_guard_sees_relative_and_aliased_imports():
    source = "from .. import reports\nfrom . import cache\nimport pelatihan.models as m\n"
    assert imported_names(source, "pembinaan.lib.x") == [
        (1, "pembinaan.reports"),
        (2, "pembinaan.lib.cache"),
        (3, "pelatihan.models"),
    ]
    assert wrong_imports("pelatihan", lambda name: name.startswith("pelatihan.")) != []


LOADED = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
from django.apps import apps
print(json.dumps({"modules": sorted(sys.modules), "apps_ready": apps.ready}))
"""


@pytest.mark.parametrize("module", ["pembinaan", "pembinaan.lib", *LIB_MODULES])
def test_importing_pembinaan_or_a_helper_starts_nothing(module):
    """In a fresh process with the settings named but Django not set up, as an app's module
    importing a helper is: no Celery app, no app or program module, no settings read."""
    import json

    env = os.environ | {"DJANGO_SETTINGS_MODULE": "pembinaan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", LOADED, module],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    modules = loaded["modules"]
    assert [m for m in modules if m == "celery" or m.startswith("celery.")] == []
    ours = [m for m in modules if m.split(".")[0] in OURS]
    assert [m for m in ours if m != "pembinaan" and not is_lib(m)] == []
    assert not loaded["apps_ready"]


def test_a_django_process_sends_tasks_through_the_project_s_celery_app():
    """PembinaanConfig.ready() loads the Celery app: the apps' @shared_task functions are bound
    to it and read the CELERY_ settings."""
    from celery import current_app
    from django.conf import settings

    from pegawai.tasks import impor_check_task
    from pembinaan.celery import app

    assert current_app._get_current_object() is app
    assert impor_check_task.app is app
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is settings.CELERY_TASK_ACKS_LATE is True
