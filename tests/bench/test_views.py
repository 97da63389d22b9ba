"""The benchmark's own views, served by its URLconf (bench/settings.py, bench/urls.py): the bare
floor renders base.html alone, the write floor commits one row, the plain ListView reference is
for administrators; the product's URLconf routes none of them."""

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse

from bench import views


@pytest.fixture
def bench_urls(settings):
    """This test process served as the benchmark's settings serve gunicorn."""
    from bench import settings as bench_settings

    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.TEMPLATES = bench_settings.TEMPLATES


def test_the_product_routes_no_benchmark_view():
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")


def test_the_benchmark_urls_serve_the_product_too(bench_urls, client, db):
    assert reverse("masyarakat:warga") == "/warga/"
    assert client.get(reverse("masyarakat:warga")).status_code == 200


def test_the_plain_list_reference_counts_and_lists_every_pegawai_for_an_admin(
    bench_urls, client, cast
):
    client.force_login(cast.admin)
    response = client.get(reverse("bench_plain_list"))
    assert response.context["paginator"].count == 3
    assert "Rina Luar" in response.content.decode()


def test_the_plain_list_reference_is_refused_to_anyone_else(bench_urls, client, cast):
    client.force_login(cast.pengelola)
    assert client.get(reverse("bench_plain_list")).status_code == 403


def test_the_floor_is_base_html_alone(bench_urls, client, db):
    html = client.get(reverse("bench_floor")).content.decode()
    assert "<main" in html and "<table" not in html


@pytest.fixture
def write_table(db):
    key = "id serial PRIMARY KEY" if connection.vendor == "postgresql" else "id integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {views.WRITE_TABLE} ({key}, isi text NOT NULL)")
    yield views.WRITE_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {views.WRITE_TABLE}")


def test_the_write_floor_commits_one_row_and_renders_base_html(bench_urls, client, write_table):
    response = client.post(reverse("bench_write_floor"), {"isi": "Mohon loket dibuka lebih pagi."})
    assert "<main" in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT isi FROM {write_table}")
        assert cursor.fetchall() == [("Mohon loket dibuka lebih pagi.",)]


def test_the_write_floor_takes_posts_only(bench_urls, client, db):
    assert client.get(reverse("bench_write_floor")).status_code == 405
