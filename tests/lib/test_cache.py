"""pembinaan.lib.cache.VersionedCache: a value is kept until its group's version moves on, and
a cache that cannot be reached means computing every time, never an error."""

from pembinaan.lib.cache import VersionedCache


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
