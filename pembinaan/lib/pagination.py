"""Keyset pagination and capped counts for large lists.

OFFSET walks every skipped row and an exact COUNT(*) over 100,000 rows costs ten times the page
itself (performance.md). A keyset page starts at an index position instead, so page 2,000 costs what
page 1 costs; the count stops at a cap, above which the page says "more than".
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .params import BIGINT_MAX

COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    per_page: int = 50
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def encode_cursor(values: list) -> str:
    # Dates and times travel as ISO text, which the ORM compares like the values themselves.
    raw = json.dumps(values, separators=(",", ":"), default=lambda v: v.isoformat()).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, size: int) -> list | None:
    """The key values in a cursor, or None for a missing or tampered one (the first page)."""
    if not token:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values


def _cursor_for(model, key: str, token: str | None) -> list | None:
    """The cursor's values when the database can compare them with the key's column and the
    id; None (the first page) for a tampered one, which would otherwise fail inside the query: a
    date that is no date, text with a NUL byte, an id beyond its column."""
    values = decode_cursor(token, 2)
    if values is None:
        return None
    value, pk = values
    if not isinstance(pk, int) or not 0 <= pk <= BIGINT_MAX:
        return None
    if isinstance(value, int) and not -BIGINT_MAX <= value <= BIGINT_MAX:
        return None
    if isinstance(value, str):
        if "\x00" in value:
            return None
        try:
            value.encode("utf-8")  # a lone surrogate cannot reach the database
        except UnicodeEncodeError:
            return None
    try:  # as the key's type: a number where the key is text would fail in raw SQL
        value = model._meta.get_field(key).to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None
    return [value, pk]


def keyset_paginate(
    queryset: QuerySet,
    *,
    key: str,
    after: str | None = None,
    before: str | None = None,
    per_page: int = 50,
) -> KeysetPage:
    """One page of `queryset` (of instances or of .values() rows with "pk") ordered by (key, pk),
    starting after or ending before a cursor.

    The condition is written `key >= v AND (key > v OR pk > id)` so that PostgreSQL can start an
    index range scan at v instead of filtering from the first row.
    """

    def fetch(start: list | None, backwards: bool, limit: int) -> list:
        if start is None:
            return list(queryset.order_by(key, "pk")[:limit])
        value, pk = start
        if backwards:
            rows = (
                queryset.filter(Q(**{f"{key}__lte": value}))
                .filter(Q(**{f"{key}__lt": value}) | Q(pk__lt=pk))
                .order_by(f"-{key}", "-pk")
            )
        else:
            rows = (
                queryset.filter(Q(**{f"{key}__gte": value}))
                .filter(Q(**{f"{key}__gt": value}) | Q(pk__gt=pk))
                .order_by(key, "pk")
            )
        return list(rows[:limit])

    return keyset_read(
        fetch, model=queryset.model, key=key, after=after, before=before, per_page=per_page
    )


def keyset_read(
    fetch, *, model, key: str, after: str | None, before: str | None, per_page: int
) -> KeysetPage:
    """keyset_paginate's page for rows read some other way (raw SQL): `fetch(start, backwards,
    limit)` returns at most `limit` rows (instances or dicts with "pk") ordered by (key, pk) after
    the values `start` (all from the first when None), or, `backwards`, the rows before `start` in
    descending order."""
    after_values = _cursor_for(model, key, after)
    before_values = _cursor_for(model, key, before) if after_values is None else None

    def cursor_of(obj) -> str:
        if isinstance(obj, dict):
            return encode_cursor([obj[key], obj["pk"]])
        return encode_cursor([getattr(obj, key), obj.pk])

    if before_values is not None:
        rows = fetch(before_values, True, per_page + 1)
        has_more_before = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        return KeysetPage(
            object_list=rows,
            next_cursor=cursor_of(rows[-1]) if rows else None,
            previous_cursor=cursor_of(rows[0]) if rows and has_more_before else None,
            per_page=per_page,
        )

    rows = fetch(after_values, False, per_page + 1)
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        next_cursor=cursor_of(rows[-1]) if rows and has_more else None,
        previous_cursor=cursor_of(rows[0]) if rows and after_values is not None else None,
        per_page=per_page,
    )


def page_count(page: KeysetPage) -> tuple[int, bool]:
    """What a page alone tells of its list's size, as capped_count answers: (its rows, False)
    when it is the whole list, (a page's worth, True) when there are pages beside it."""
    if page.has_next or page.has_previous:
        return page.per_page, True
    return len(page.object_list), False


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counting no further than `cap`: (count, True) when there are more."""
    # Neither the columns, the joins of select_related nor the ordering change a count; they
    # cost time (the key alone can be counted from an index).
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap
