"""Counting a request's queries the way the suite compares two data sizes."""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def cold_queries():
    """The queries of what runs inside, with nothing cached beforehand (a login's roles, the
    unit tree), so that two measurements count the same work whatever ran before them."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        yield captured
