"""pembinaan.lib.cache: a value is kept until its group's generation moves on, the generation
moves only after a commit, nothing read inside a transaction is published, and a cache that
cannot be reached costs a computation, never an error."""

import logging
import pickle
import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.urls import reverse

from masyarakat.models import UnitLayanan
from pegawai.models import Jabatan, UnitKerja, jabatan_names, unit_tree
from pembinaan.lib import cache as shared_cache
from pembinaan.lib.cache import Group, guarded
from tests import factories

# Outside a transaction, as a request's reads are: inside one, nothing would be stored.
pytestmark = pytest.mark.django_db(transaction=True)


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"n": self.calls}


def test_a_value_is_computed_once_until_the_generation_moves_on():
    group, compute = Group("uji", timeout=60), Counter()
    assert group.get("a", compute) == {"n": 1}
    assert group.get("a", compute) == {"n": 1}
    group.stale()  # outside a transaction: at once
    assert group.get("a", compute) == {"n": 2}
    assert group.get("a", compute) == {"n": 2} and compute.calls == 2


def test_groups_and_keys_are_apart():
    one, other, compute = Group("satu", timeout=60), Group("dua", timeout=60), Counter()
    one.get("a", compute)
    other.get("a", compute)
    one.get("b", compute)
    other.stale()
    assert one.get("a", compute) == {"n": 1} and compute.calls == 3


def test_the_generation_moves_only_when_the_transaction_commits():
    group, compute = Group("uji", timeout=60), Counter()
    group.get("a", compute)
    with transaction.atomic():
        group.stale()
        assert group.get("a", compute) == {"n": 1}  # not yet: the change is not committed
    assert group.get("a", compute) == {"n": 2}


def test_a_rolled_back_change_moves_nothing():
    group, compute = Group("uji", timeout=60), Counter()
    group.get("a", compute)
    with pytest.raises(RuntimeError), transaction.atomic():
        group.stale()
        raise RuntimeError
    assert group.get("a", compute) == {"n": 1}


def test_a_unit_created_in_a_transaction_that_rolled_back_is_never_shown():
    factories.unit("DINKES", "Dinas Kesehatan")
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.unit("HANTU", "Unit Yang Dibatalkan")
        assert "Unit Yang Dibatalkan" in [u.nama for u in unit_tree()]  # its own transaction
        raise RuntimeError
    assert [u.nama for u in unit_tree()] == ["Dinas Kesehatan"]
    assert not UnitKerja.objects.filter(kode="HANTU").exists()


def test_a_committed_unit_is_shown_by_the_next_read():
    factories.unit("DINKES", "Dinas Kesehatan")
    assert [u.nama for u in unit_tree()] == ["Dinas Kesehatan"]  # now cached
    with transaction.atomic():
        factories.unit("BKD", "Badan Kepegawaian Daerah")
    assert [u.nama for u in unit_tree()] == ["Dinas Kesehatan", "Badan Kepegawaian Daerah"]


def test_jabatan_renamed_by_a_bulk_update_are_shown_at_once():
    jabatan = factories.jabatan("Analis Kepegawaian")
    assert jabatan_names()[jabatan.pk] == "Analis Kepegawaian"  # now cached
    Jabatan.objects.filter(pk=jabatan.pk).update(nama="Analis SDM Aparatur")
    assert jabatan_names()[jabatan.pk] == "Analis SDM Aparatur"


def test_a_move_lost_in_an_outage_keeps_old_values_no_longer_than_the_timeout(settings):
    group, compute = Group("uji", timeout=1), Counter()
    group.get("a", compute)
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                   "LOCATION": "redis://127.0.0.1:1/0"}  # fmt: skip
    reachable = settings.CACHES
    settings.CACHES = {"default": unreachable}
    group.stale()  # lost: nothing listens there
    settings.CACHES = reachable
    shared_cache._skip_until = 0.0
    assert group.get("a", compute) == {"n": 1}  # the old value, for now
    time.sleep(1.1)
    assert group.get("a", compute) == {"n": 2}


def test_an_unreachable_cache_computes_every_time(unreachable_cache):
    group, compute = Group("uji", timeout=60), Counter()
    group.get("a", compute)
    group.stale()  # skipped, not raised
    assert group.get("a", compute) == {"n": 2}


def test_after_a_failure_the_cache_is_left_alone_for_a_few_seconds(unreachable_cache, monkeypatch):
    calls = []

    def failing():
        calls.append(1)
        raise ConnectionError("refused")

    assert guarded(failing, fallback="tanpa cache") == "tanpa cache"
    assert guarded(failing, fallback="tanpa cache") == "tanpa cache"
    assert len(calls) == 1
    monkeypatch.setattr(shared_cache, "_skip_until", time.monotonic() - 1)
    guarded(failing)
    assert len(calls) == 2


def test_an_outage_is_logged_once_a_minute_not_per_call(caplog, monkeypatch):
    def failing():
        raise ConnectionError("refused")

    monkeypatch.setattr(shared_cache, "_logged_at", 0.0)
    with caplog.at_level(logging.WARNING, logger="pembinaan.lib.cache"):
        for _ in range(5):
            monkeypatch.setattr(shared_cache, "_skip_until", 0.0)  # every call tries again
            guarded(failing)
    assert len(caplog.records) == 1
    assert caplog.records[0].exc_info is None  # one line, no traceback


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in [*value.keys(), *value.values()]:
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)


def test_the_cache_holds_no_model_instance_and_html_only_in_the_form_fragment(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "uji-isi"}}  # fmt: skip
    rsud = factories.unit("RSUD", "RSUD Raden Mattaher")
    UnitLayanan.objects.create(unit=rsud, nama="Poli Umum")
    factories.jabatan("Analis Kepegawaian")
    assert client.get(reverse("masyarakat:masukan_create")).status_code == 200
    unit_tree(), jabatan_names()
    stored = {key: pickle.loads(value) for key, value in cache._cache.items()}  # noqa: S301, SLF001
    fragments = {key: value for key, value in stored.items() if "template.cache." in key}
    # The empty feedback fields, varying on the service units' generation; nobody's token in it.
    [(key, fragment)] = fragments.items()
    assert "masukan-kosong" in key and "Poli Umum" in fragment
    assert 'name="token"' not in fragment and "csrfmiddlewaretoken" not in fragment
    values = [value for key, value in stored.items() if key not in fragments]
    assert len(values) == 6  # three generations, the service units, the tree and the names
    for part in (part for value in values for part in _walk(value)):
        assert not isinstance(part, Model)
        assert not isinstance(part, str) or "<" not in part
