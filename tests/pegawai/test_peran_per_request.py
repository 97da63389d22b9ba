"""A login's roles are read from the database for each request, never from a cache: every change
that moves a role, however it is made, shows on the very next request."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pegawai import services
from pegawai.models import ImporPegawai, UnitKerja, User, unit_pilihan
from tests import factories
from tests.pegawai.test_impor import csv_file, row


def fresh(user: User) -> User:
    """The login as the next request loads it (a new instance, nothing memoised on it)."""
    return User.objects.get(pk=user.pk)


def test_every_request_reads_the_managed_units_from_the_database(login, cast):
    client = login(cast.pengelola)
    for _ in range(2):
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("pegawai:list")).status_code == 200
        managed = [q["sql"] for q in page.captured_queries if "unitkerja_pengelola" in q["sql"]]
        assert len(managed) == 1  # once per request, the second request too


def test_a_withdrawn_unit_counts_at_once_even_after_a_raw_delete_of_the_through_row(login, cast):
    client = login(cast.pengelola)
    url = reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])
    assert client.get(url).status_code == 200
    # No signal fires for a raw delete, and the cache may still hold anything it held.
    through = UnitKerja.pengelola.through
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {through._meta.db_table}")
    assert client.get(url).status_code == 404


def test_a_withdrawn_unit_counts_at_once_even_with_the_cache_unreachable(
    login, cast, unreachable_cache
):
    client = login(cast.pengelola)
    url = reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])
    assert client.get(url).status_code == 200
    cast.dinkes.pengelola.remove(cast.pengelola)
    assert client.get(url).status_code == 404


def test_nothing_about_the_login_is_written_to_the_cache(login, cast, monkeypatch):
    written = []
    for name in ("set", "add", "set_many", "get_or_set"):
        original = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _o=original, **k: written.append(a[0]) or _o(*a, **k)
        )
    client = login(cast.pengelola)
    assert client.get(reverse("pegawai:list")).status_code == 200
    assert not [
        key for key in map(str, written) if f"-{cast.pengelola.pk}" in key or "peran" in key
    ]


def test_withdrawing_a_unit_from_a_pengelola_takes_effect_at_once(login, cast):
    client = login(cast.pengelola)
    assert client.get(reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])).status_code == 200
    cast.dinkes.pengelola.remove(cast.pengelola)
    assert not fresh(cast.pengelola).is_pengelola
    assert client.get(reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])).status_code == 404


def test_a_unit_added_below_a_managed_one_is_managed_at_once(cast):
    assert fresh(cast.pengelola).unit_kelolaan_ids == {cast.dinkes.pk, cast.yankes.pk}
    seksi = factories.unit("DINKES.YANKES.1", "Seksi Rujukan", parent=cast.yankes)
    assert seksi.pk in fresh(cast.pengelola).unit_kelolaan_ids


def test_a_first_subordinate_makes_an_atasan_at_once(cast):
    assert not fresh(cast.pegawai).is_atasan
    factories.pegawai(cast.yankes, nama="Staf Baru", atasan=cast.pegawai_pegawai)
    assert fresh(cast.pegawai).is_atasan


def test_moving_the_last_subordinate_away_ends_the_atasan_role_at_once(cast):
    assert fresh(cast.atasan).is_atasan
    cast.pegawai_pegawai.atasan = None
    cast.pegawai_pegawai.save()
    assert not fresh(cast.atasan).is_atasan


def test_a_bulk_import_that_adds_subordinates_makes_an_atasan_at_once(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert not fresh(cast.pegawai).is_atasan
    upload = csv_file([row(nip_atasan=cast.pegawai_pegawai.nip)])
    job = ImporPegawai(nama_berkas=upload.name, diunggah_oleh=cast.pengelola)
    job.file.save(upload.name, upload, save=False)
    job.save()
    services.impor_check(job=job)
    services.impor_commit(job=job)
    assert job.status == ImporPegawai.Status.SELESAI, job.kesalahan
    assert fresh(cast.pegawai).is_atasan


def test_a_unit_moved_to_another_subtree_moves_in_the_cached_tree_and_roles(cast):
    assert cast.yankes.pk in fresh(cast.pengelola).unit_kelolaan_ids
    before = {u.pk: u.path for u in unit_pilihan(cast.admin)}
    # treebeard rewrites the paths with plain UPDATEs: no post_save.
    UnitKerja.objects.move(cast.yankes, cast.bkd, pos="last-child")
    after = {u.pk: u.path for u in unit_pilihan(cast.admin)}
    assert after[cast.yankes.pk] != before[cast.yankes.pk]
    assert after[cast.yankes.pk].startswith(after[cast.bkd.pk])
    assert cast.yankes.pk not in fresh(cast.pengelola).unit_kelolaan_ids


def test_a_session_ended_elsewhere_ends_the_login_at_once(client, cast):
    from django.contrib.sessions.models import Session

    client.post(reverse("login"), {"username": "atasan", "password": "rahasia-123"})
    assert client.get(reverse("pegawai:list")).status_code == 200
    key = client.session.session_key
    from django.contrib.sessions.backends.db import SessionStore

    SessionStore(key).delete()  # e.g. an administrator ending it
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("pegawai:list")).status_code == 302
