"""PostgreSQL unreachable (a restart, maintenance): the visitor gets 503 with Retry-After and the
maintenance page, the admins get no mail; any other error still gets the 500 page and a mail.
Against a real PostgreSQL stopped: tests/integration/test_faults.py."""

import logging

import psycopg2
import pytest
from django.contrib.auth.decorators import login_not_required
from django.core import mail
from django.db import InterfaceError, OperationalError
from django.urls import path

from pembinaan import urls as project_urls
from pembinaan.lib.database import SkipUnavailable, is_unavailable


@login_not_required
def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


@login_not_required
def a_bug(request):
    raise RuntimeError("a bug")


urlpatterns = [path("putus/", database_gone), path("bug/", a_bug), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.fixture
def site(settings, client):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Admin SIBINA", "admin@jambiprov.go.id")]
    client.raise_request_exception = False  # answered as in production, not raised in the test
    return client


def test_a_request_that_cannot_reach_the_database_gets_the_maintenance_page(site):
    # Without the db fixture any query raises: the page is made without touching the database.
    response = site.get("/putus/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "SIBINA sedang pemeliharaan" in response.content.decode()
    assert mail.outbox == []


def test_a_signed_in_visitor_gets_it_too_kept_by_no_cache(site, caplog, monkeypatch):
    def session_unreadable(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", session_unreadable)
    site.cookies["sessionid"] = "sesi-seorang-pengguna"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = site.get("/putus/")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    assert len(caplog.records) == 1  # the one error, not a second one from asking who this is


def test_any_other_error_still_gets_the_500_page_and_mails_the_admins(site):
    response = site.get("/bug/")
    assert response.status_code == 500
    assert "terjadi kesalahan" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["admin@jambiprov.go.id"]]


def wrapped(error: type, driver_error: Exception) -> Exception:
    """A driver's error as Django raises it: its own class, the driver's as the cause."""
    exc = error(str(driver_error))
    exc.__cause__ = driver_error
    return exc


class DriverError(psycopg2.OperationalError):
    """psycopg2's error with a SQLSTATE, as the server sends it."""

    def __init__(self, pgcode):
        super().__init__(pgcode)
        self._pgcode = pgcode

    @property
    def pgcode(self):
        return self._pgcode


@pytest.mark.parametrize(
    ("exc", "unavailable"),
    [
        (OperationalError("connection refused"), True),  # no server: no SQLSTATE
        (InterfaceError("connection already closed"), True),
        (wrapped(OperationalError, DriverError("57P01")), True),  # terminated by a shutdown
        (wrapped(OperationalError, DriverError("57P03")), True),  # starting up
        (wrapped(OperationalError, DriverError("08006")), True),  # connection failure
        (wrapped(OperationalError, DriverError("40P01")), False),  # a deadlock: a bug
        (wrapped(OperationalError, DriverError("57014")), False),  # a statement cancelled
        (RuntimeError("a bug"), False),
        (None, False),
    ],
)
def test_what_counts_as_the_database_being_unreachable(exc, unavailable):
    assert is_unavailable(exc) is unavailable


def test_the_mail_filter_drops_only_the_records_of_an_unreachable_database():
    def record(exc):
        exc_info = (type(exc), exc, None) if exc else None
        return logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), exc_info)

    skip = SkipUnavailable()
    assert not skip.filter(record(OperationalError("connection refused")))
    assert skip.filter(record(RuntimeError("a bug")))
    assert skip.filter(record(None))
