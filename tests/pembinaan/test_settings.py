"""Settings come from the environment and fail loudly on malformed values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from pembinaan.celery import app
from pembinaan.settings import (
    envbool,
    envint,
    envlist,
    envnetworks,
    redis_database,
    redis_next_database,
)

ROOT = Path(__file__).resolve().parents[2]


def test_envbool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert envbool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert envbool("X_FLAG", True) is True


def test_malformed_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "mungkin")
    with pytest.raises(ImproperlyConfigured):
        envbool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "dua")
    with pytest.raises(ImproperlyConfigured):
        envint("X_NUM", 1)


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.go.id, b.go.id,")
    assert envlist("X_LIST", []) == ["a.go.id", "b.go.id"]


def test_envnetworks_reads_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("X_NETS", "172.28.0.1, 10.20.0.0/16,fd00::/8")
    assert [str(n) for n in envnetworks("X_NETS")] == ["172.28.0.1/32", "10.20.0.0/16", "fd00::/8"]
    monkeypatch.delenv("X_NETS")
    assert envnetworks("X_NETS") == []


@pytest.mark.parametrize(
    "value", ["proxy.local", "10.0.0.1/8", "10.0.0.300", "172.28.0.1;10.0.0.2"]
)
def test_malformed_trusted_proxies_fail_loudly(monkeypatch, value):
    monkeypatch.setenv("X_NETS", value)
    with pytest.raises(ImproperlyConfigured, match="X_NETS must be comma-separated addresses"):
        envnetworks("X_NETS")


def test_the_cache_is_on_the_next_redis_database_of_the_broker_s_server():
    assert redis_next_database("R", "redis://redis:6379/0") == "redis://redis:6379/1"
    assert redis_next_database("R", "redis://:geheim@10.0.0.5/8") == "redis://:geheim@10.0.0.5/9"
    assert redis_next_database("R", "redis://127.0.0.1:6379") == "redis://127.0.0.1:6379/1"
    assert (
        redis_next_database("R", "rediss://redis:6380/3?ssl_cert_reqs=required")
        == "rediss://redis:6380/4?ssl_cert_reqs=required"
    )
    assert redis_database("R", "rediss://redis:6380/3") == ("rediss://redis:6380", 3)


@pytest.mark.parametrize(
    "value", ["redis", "redis://", "http://redis:6379/0", "redis://redis:6379/satu",
              "unix:///run/redis.sock", "redis://redis:6379/15"],
)  # fmt: skip
def test_a_malformed_redis_url_fails_loudly(value):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        redis_next_database("REDIS_URL", value)


def test_a_cache_on_the_broker_s_database_stops_the_application_from_starting():
    result = manage(
        "check", REDIS_URL="redis://127.0.0.1:6379/0", CACHE_URL="redis://127.0.0.1:6379"
    )
    assert result.returncode != 0 and "CACHE_URL must not be the Celery broker" in result.stderr


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server)")
def test_emptying_the_cache_keeps_the_tasks_waiting_in_the_broker():
    """Every test empties the cache (tests/conftest.py); a task queued meanwhile for the test's
    worker must still be there for it."""
    queue = f"sibina-uji-tak-didengar-{os.getpid()}"  # a queue no worker listens on
    app.send_task("pembinaan.tasks.antrean_sapu_task", queue=queue)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        assert broker.llen(queue) == 1
        cache.set("uji-isi", 1)
        cache.clear()
        assert cache.get("uji-isi") is None
        assert broker.llen(queue) == 1
    finally:
        broker.delete(queue, f"_kombu.binding.{queue}")
        broker.close()


def test_a_malformed_trusted_proxy_stops_the_application_from_starting():
    result = manage("check", TRUSTED_PROXIES="nginx")
    assert result.returncode != 0 and "TRUSTED_PROXIES must be" in result.stderr


def manage(*args, **env) -> subprocess.CompletedProcess:
    # A clean production-like environment: the browser tests' async escape hatch stays out too.
    skip = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_debug_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="sibina.jambiprov.go.id",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_behind_a_proxy_nobody_trusts():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "sibina.jambiprov.go.id",
        "BEHIND_TLS_PROXY": "1",
    }
    untrusted = manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert untrusted.returncode != 0 and "pembinaan.W001" in untrusted.stderr
    trusted = manage(
        "check", "--deploy", "--fail-level", "WARNING", **production, TRUSTED_PROXIES="172.28.0.1"
    )
    assert trusted.returncode == 0, trusted.stderr


def _cache_prefix(env: dict[str, str]) -> str:
    read = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", read],
        cwd=ROOT, env=os.environ | {"REDIS_URL": "redis://127.0.0.1:6379/0"} | env,
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.strip()  # fmt: skip


def test_the_cache_keys_of_each_database_are_apart():
    """Two instances on one Redis (a benchmark and CI, staging and production) must not read
    each other's cached units."""
    prefixes = {
        _cache_prefix({"DATABASE_URL": f"postgres://u@127.0.0.1:5432/{name}", "RELEASE": "1"})
        for name in ("sibina", "sibina_bench_100k")
    }
    assert prefixes == {"sibina:1", "sibina_bench_100k:1"}


def test_a_release_starts_with_an_empty_cache():
    """The prefix carries the release: values stored by the previous one are never read."""
    db = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/sibina"}
    assert _cache_prefix(db | {"RELEASE": "2026.12.1"}) == "sibina:2026.12.1"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    default = _cache_prefix(db | {"RELEASE": ""})
    assert default == f"sibina:0.1.0+{commit}" if commit else "sibina:0.1.0"


def test_check_refuses_impact_settings_that_would_measure_nothing():
    typo = manage("check", DAMPAK_JENIS_PERIODE="kuartal")
    assert typo.returncode != 0 and "pembinaan.E001" in typo.stderr
    assert "triwulan" in typo.stderr  # the hint names the kinds
    too_small = manage("check", DAMPAK_MIN_KELOMPOK="1")
    assert too_small.returncode != 0 and "pembinaan.E002" in too_small.stderr
    assert manage("check", DAMPAK_JENIS_PERIODE="tahunan").returncode == 0
