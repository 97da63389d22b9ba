"""The whole database and the uploaded files as one comparable value, to prove that a refused
request changed nothing. Sessions and django-axes' login records are left out: they are written
by logging in, not by the views under test (snapshot after force_login)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

SKIPPED_APPS = {"sessions", "axes"}


def _tables() -> list[tuple[str, str]]:
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in SKIPPED_APPS or meta.proxy or not meta.managed:
            continue
        seen[meta.db_table] = meta.pk.column
    return sorted(seen.items())


def snapshot() -> dict:
    """Every row of every table (ordered by primary key) and every file under MEDIA_ROOT."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            rows[table] = cursor.fetchall()
    root = Path(settings.MEDIA_ROOT)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return {"tables": rows, "files": files}


def changed(before: dict, after: dict) -> list[str]:
    """The tables (and "files") that differ between two snapshots."""
    tables = [t for t in before["tables"] if before["tables"][t] != after["tables"].get(t)]
    return tables + (["files"] if before["files"] != after["files"] else [])
