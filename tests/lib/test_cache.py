"""pembinaan.lib.cache.VersionedCache: a value is kept until its group's version moves on, and
a cache that cannot be reached means computing every time, never an error."""

import os

import pytest
from django.core.cache import cache

from pembinaan.lib.cache import RedisCache, VersionedCache


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"n": self.calls}


def test_a_value_is_computed_once_until_the_version_moves_on():
    group, compute = VersionedCache("uji"), Counter()
    assert group.get("a", compute, timeout=60) == {"n": 1}
    assert group.get("a", compute, timeout=60) == {"n": 1}
    group.bump()
    assert group.get("a", compute, timeout=60) == {"n": 2}
    assert group.get("a", compute, timeout=60) == {"n": 2} and compute.calls == 2


def test_groups_and_keys_are_apart():
    one, other, compute = VersionedCache("satu"), VersionedCache("dua"), Counter()
    one.get("a", compute, timeout=60)
    other.get("a", compute, timeout=60)
    one.get("b", compute, timeout=60)
    other.bump()
    assert one.get("a", compute, timeout=60) == {"n": 1} and compute.calls == 3


def test_an_unreachable_cache_computes_every_time(unreachable_cache):
    group, compute = VersionedCache("uji"), Counter()
    assert group.get("a", compute, timeout=60) == {"n": 1}
    assert group.get("a", compute, timeout=60) == {"n": 2}  # nothing could be kept
    group.bump()  # logged, not raised


def test_an_in_process_copy_is_kept_until_the_version_moves_on():
    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    first = group.get("a", compute, timeout=60)
    assert group.get("a", compute, timeout=60) is first  # the copy itself, not unpickled anew
    group.bump()
    assert group.get("a", compute, timeout=60) == {"n": 2} and compute.calls == 2


def test_an_in_process_copy_is_read_from_the_cache_by_another_process():
    compute = Counter()
    VersionedCache("uji-proses", in_process=True).get("a", compute, timeout=60)
    other_process = VersionedCache("uji-proses", in_process=True)
    assert other_process.get("a", compute, timeout=60) == {"n": 1} and compute.calls == 1


def test_an_in_process_copy_does_not_outlive_an_emptied_cache():
    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    group.get("a", compute, timeout=60)
    cache.clear()  # a Redis restart: the versions start again, never where they were
    assert group.get("a", compute, timeout=60) == {"n": 2}


def test_an_in_process_copy_expires_with_its_timeout():
    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    group.get("a", compute, timeout=0)
    assert group.get("a", compute, timeout=60) == {"n": 2}


def test_an_unreachable_cache_uses_no_in_process_copy(unreachable_cache):
    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    group.get("a", compute, timeout=60)
    assert group.get("a", compute, timeout=60) == {"n": 2}


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server)")
def test_the_redis_cache_reads_and_writes_through_one_client_per_pool():
    redis_cache = RedisCache(os.environ["REDIS_URL"], {})
    redis_cache.set("uji-klien", {"a": 1})
    assert redis_cache.get("uji-klien") == {"a": 1}
    assert redis_cache.get_many(["uji-klien", "tidak-ada"]) == {"uji-klien": {"a": 1}}
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
    redis_cache.delete("uji-klien")
    assert redis_cache.get("uji-klien") is None


class CountingCache:
    """The cache, counting its round trips and the version keys each one read."""

    def __init__(self, real):
        self.real, self.trips, self.version_reads = real, 0, 0

    def __getattr__(self, name):
        attr = getattr(self.real, name)
        if name not in ("get", "get_many", "get_or_set", "set", "add", "incr"):
            return attr

        def counted(key, *args, **kwargs):
            self.trips += 1
            keys = key if isinstance(key, list) else [key]
            self.version_reads += any(k.endswith(":versi") for k in keys) and name != "incr"
            return attr(key, *args, **kwargs)

        return counted


@pytest.fixture
def counting(monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr("pembinaan.lib.cache.cache", counting)
    return counting


def test_inside_a_request_the_versions_are_read_once_in_the_first_round_trip(counting):
    from pembinaan.lib.cache import versions_per_request

    tree = VersionedCache("uji-pohon", in_process=True)
    names = VersionedCache("uji-nama", in_process=True)
    plain, compute = VersionedCache("uji-biasa"), Counter()

    def read_all():
        for group in (tree, names, plain, tree):
            group.get("a", compute, timeout=60)

    read_all()  # stored and copied
    counting.trips = 0
    read_all()
    assert counting.trips == 4  # outside a request: a version read each
    counting.trips = counting.version_reads = 0
    with versions_per_request():
        read_all()
    assert (counting.trips, counting.version_reads) == (2, 1)  # the versions, the plain value
    assert compute.calls == 3


def test_a_bump_inside_a_request_is_seen_by_its_later_reads():
    from pembinaan.lib.cache import versions_per_request

    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    with versions_per_request():
        group.get("a", compute, timeout=60)
        group.bump()
        assert group.get("a", compute, timeout=60) == {"n": 2}


def test_another_process_bump_is_seen_from_the_next_request():
    from pembinaan.lib.cache import versions_per_request

    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    with versions_per_request():
        group.get("a", compute, timeout=60)
        cache.incr(group.version_key)  # another process's bump
        assert group.get("a", compute, timeout=60) == {"n": 1}  # as of the request's start
    with versions_per_request():
        assert group.get("a", compute, timeout=60) == {"n": 2}


def test_an_unreachable_cache_inside_a_request_computes_every_time(unreachable_cache):
    from pembinaan.lib.cache import versions_per_request

    group, compute = VersionedCache("uji-proses", in_process=True), Counter()
    with versions_per_request():
        group.get("a", compute, timeout=60)
        group.bump()
        assert group.get("a", compute, timeout=60) == {"n": 2}


def test_a_page_reads_the_versions_in_one_round_trip(counting, login, cast):
    from django.urls import reverse

    login(cast.pengelola).get(reverse("pegawai:list"))  # unit tree, counts, roles cached
    counting.version_reads = 0
    login(cast.pengelola).get(reverse("pegawai:list"), {"unit": cast.dinkes.pk})
    assert counting.version_reads == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server)")
def test_a_counter_in_a_window_counts_in_one_round_trip_and_keeps_its_first_expiry():
    redis_cache = RedisCache(os.environ["REDIS_URL"], {})
    redis_cache.delete("uji-jendela")
    assert [redis_cache.count_in_window("uji-jendela", 60) for _ in range(3)] == [1, 2, 3]
    client = redis_cache._cache.get_client()
    key = redis_cache.make_and_validate_key("uji-jendela")
    client.expire(key, 30)  # as if 30 s of the window had passed
    redis_cache.count_in_window("uji-jendela", 60)
    assert 0 < client.ttl(key) <= 30  # not moved on by later counts
    assert redis_cache.get("uji-jendela") == 4  # read back through the cache API
    redis_cache.delete("uji-jendela")
