"""The benchmark's own views (routed only with BENCH_VIEWS on, so called here directly): the
bare floor renders base.html alone, the plain ListView reference is for administrators."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from pembinaan import views


def request_of(user):
    request = RequestFactory().get("/_bench/daftar-polos/")
    request.user = user
    return request


def test_the_plain_list_reference_counts_and_lists_every_pegawai_for_an_admin(cast):
    response = views.BenchPlainList.as_view()(request_of(cast.admin))
    response.render()
    assert response.context_data["paginator"].count == 3
    assert "Rina Luar" in response.content.decode()


def test_the_plain_list_reference_is_refused_to_anyone_else(cast):
    with pytest.raises(PermissionDenied):
        views.BenchPlainList.as_view()(request_of(cast.pengelola))


def test_the_floor_is_base_html_alone(cast):
    html = views.bench_floor(request_of(cast.admin)).content.decode()
    assert "<main" in html and "<table" not in html


@pytest.fixture
def write_table(db):
    from django.db import connection

    key = "id serial PRIMARY KEY" if connection.vendor == "postgresql" else "id integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {views.BENCH_WRITE_TABLE} ({key}, isi text NOT NULL)")
    yield views.BENCH_WRITE_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {views.BENCH_WRITE_TABLE}")


def test_the_write_floor_commits_one_row_and_renders_base_html(write_table):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    request = RequestFactory().post("/_bench/tulis/", {"isi": "Mohon loket dibuka lebih pagi."})
    request.user = AnonymousUser()
    html = views.bench_write_floor(request).content.decode()
    assert "<main" in html
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT isi FROM {write_table}")
        assert cursor.fetchall() == [("Mohon loket dibuka lebih pagi.",)]


def test_the_write_floor_takes_posts_only(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/_bench/tulis/")
    request.user = AnonymousUser()
    assert views.bench_write_floor(request).status_code == 405
