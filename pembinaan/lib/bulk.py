"""Updating many rows, each with its own values, in one statement per batch:

    WITH v (id, a, b) AS (VALUES (%s, %s, %s), …) UPDATE t SET a = v.a, b = v.b FROM v
    WHERE t.id = v.id

which PostgreSQL and SQLite (3.33 and later) both run. Django's bulk_update writes a CASE per
column with a branch per row: building it cost ~3.5 ms a row (2,000 talent placements: 7–11 s
on PostgreSQL, bench/talenta.py), where this costs the statement. Knows no models: the caller
names the table and columns, and passes values the database adapter converts."""

from django.db import connection

BATCH = 1000


def update_from_values(table: str, key: str, columns: list[str], rows: list[tuple]) -> None:
    """Set `columns` of the rows of `table` whose `key` is each tuple's first value to the
    tuple's other values. (No count: SQLite reports none for a statement that starts WITH.)"""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in [key, *columns])
    sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
    placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {values}) UPDATE {quote(table)} SET {sets} "
                f"FROM v WHERE {quote(table)}.{quote(key)} = v.{quote(key)}",
                [value for row in chunk for value in row],
            )
