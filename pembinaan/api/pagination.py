"""Keyset (cursor) pagination for every list of the API: a page starts at a position of a
unique key instead of an OFFSET, so the ten-thousandth page costs what the first costs, and no
COUNT(*) is made (performance.md). DRF's CursorPagination, in Indonesian."""

from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class KursorPagination(CursorPagination):
    cursor_query_param = "kursor"
    page_size = 50
    page_size_query_param = "ukuran"
    max_page_size = 200
    # A unique key: no row is skipped or repeated between pages. Views with another unique key
    # set `ordering` themselves.
    ordering = "pk"
    invalid_cursor_message = "Kursor tidak valid; mulai lagi dari halaman pertama."

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("berikutnya", self.get_next_link()),
                    ("sebelumnya", self.get_previous_link()),
                    ("hasil", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["hasil"],
            "properties": {"berikutnya": link, "sebelumnya": link, "hasil": schema},
        }

    def get_ordering(self, request, queryset, view):
        return (getattr(view, "ordering", None) or self.ordering,)

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """A cursor is base64 a caller can rewrite: its position must be a value of the ordering
        field (a number for an id, no NUL for text), or the query would fail as a 500."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        try:
            field = self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return cursor
        try:
            if "\x00" in cursor.position:
                raise ValidationError("NUL")
            field.run_validators(field.to_python(cursor.position))
        except (ValidationError, TypeError, ValueError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor
