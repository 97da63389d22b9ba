"""The fixed cast of every access test (STYLE.md): an admin, an HR officer (pengelola) of one unit,
an atasan, a pegawai who reports to that atasan and a colleague (rekan) with the same atasan, an
outsider pegawai of another unit, the HR officer of that other unit (pengelola_lain), a second HR
officer of the first unit who is also a pegawai there (pengelola_pegawai), the province's HR
officer (provinsi), a mentor of change projects in the other unit, and an anonymous citizen (the
plain `client`). The last five join through `cast_lengkap`, which the access matrices use: the
other tests count the pegawai of the small cast."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluasi import services as evaluasi_services
from evaluasi.models import LaporanPascaPelatihan
from pegawai.models import Pegawai, UnitKerja, User
from pelatihan import services as pelatihan_services
from pembinaan.lib import cache as shared_cache
from tests import factories
from tests.smtp import smtp  # noqa: F401 - shared fixture
from tests.workers import celery_worker, celery_worker_process  # noqa: F401 - shared fixtures

# `--jam=MOMENT`: the session with the clock moved (month ends, year ends, midnight WIB).
pytest_plugins = ["tests.jam"]


@dataclass
class Cast:
    dinkes: UnitKerja
    yankes: UnitKerja
    bkd: UnitKerja
    admin: User
    pengelola: User
    atasan: User
    pegawai: User
    outsider: User
    atasan_pegawai: Pegawai
    pegawai_pegawai: Pegawai
    outsider_pegawai: Pegawai
    rekan: User | None = None
    rekan_pegawai: Pegawai | None = None
    pengelola_lain: User | None = None
    pengelola_pegawai: User | None = None
    pengelola_pegawai_pegawai: Pegawai | None = None
    provinsi: User | None = None
    mentor: User | None = None
    mentor_pegawai: Pegawai | None = None


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite that logs in a cast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def dua_faktor_off(settings):
    # The suite's HR and administrators sign in with force_login and a password, as before the
    # second step existed; tests/pegawai/test_dua_faktor.py (and its browser journey) turn it on.
    settings.DUA_FAKTOR_WAJIB = False


@pytest.fixture(autouse=True)
def clear_rate_limits(monkeypatch):
    # Rate-limit counters live in the cache; each test starts with none, and with a cache that
    # no earlier test's outage left skipped (pembinaan.lib.cache.guarded).
    monkeypatch.setattr(shared_cache, "_skip_until", 0.0)
    cache.clear()


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded and generated files go to the test's own directory, not the project's media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test starts from the tables a previous one emptied: put back the
    reference rows that the migrations load."""
    from pegawai.kalender import hari_libur_ensure
    from pegawai.models import Golongan, HariLibur
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)
    from pelatihan.models import AturanKonversiJP
    from pelatihan.referensi import aturan_konversi_ensure

    aturan_konversi_ensure(AturanKonversiJP)
    hari_libur_ensure(HariLibur)


@pytest.fixture
def unreachable_cache(settings):
    """The cache (Redis) as during an outage: every call to it fails."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }


@pytest.fixture
def cast(db) -> Cast:
    dinkes = factories.unit("DINKES", "Dinas Kesehatan")
    yankes = factories.unit("DINKES.YANKES", "Bidang Pelayanan Kesehatan", parent=dinkes)
    bkd = factories.unit("BKD", "Badan Kepegawaian Daerah")
    admin = User.objects.create_superuser("admin", password="rahasia-123")
    pengelola = factories.user("pengelola")
    dinkes.pengelola.add(pengelola)
    atasan_user = factories.user("atasan")
    atasan = factories.pegawai(yankes, nama="Siti Atasan", user=atasan_user, gender="P")
    pegawai_user = factories.user("pegawai")
    pegawai = factories.pegawai(yankes, nama="Budi Pegawai", atasan=atasan, user=pegawai_user)
    outsider_user = factories.user("outsider")
    outsider = factories.pegawai(bkd, nama="Rina Luar", user=outsider_user, gender="P")
    return Cast(
        dinkes=dinkes,
        yankes=yankes,
        bkd=bkd,
        admin=admin,
        pengelola=pengelola,
        atasan=atasan_user,
        pegawai=pegawai_user,
        outsider=outsider_user,
        atasan_pegawai=atasan,
        pegawai_pegawai=pegawai,
        outsider_pegawai=outsider,
    )


@pytest.fixture
def cast_lengkap(cast) -> Cast:
    """The cast with the roles the access matrices need beside it."""
    cast.rekan = factories.user("rekan")
    cast.rekan_pegawai = factories.pegawai(
        cast.yankes, nama="Dedi Rekan", atasan=cast.atasan_pegawai, user=cast.rekan
    )
    cast.pengelola_lain = factories.user("pengelola_lain")
    cast.bkd.pengelola.add(cast.pengelola_lain)
    cast.pengelola_pegawai = factories.user("pengelola_pegawai")
    cast.dinkes.pengelola.add(cast.pengelola_pegawai)
    cast.pengelola_pegawai_pegawai = factories.pegawai(
        cast.dinkes, nama="Yani Kepegawaian", user=cast.pengelola_pegawai, gender="P"
    )
    cast.provinsi = factories.user("provinsi", pengelola_provinsi=True)
    cast.mentor = factories.user("mentor")
    cast.mentor_pegawai = factories.pegawai(cast.bkd, nama="Hadi Mentor", user=cast.mentor)
    return cast


@pytest.fixture
def login(client):
    """Log the client in as a user of the cast: `login(cast.pengelola)`."""

    def as_user(user: User):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def sign_in(client):
    """Log the client in through the real login form, as a person does (django-axes counts only
    logins that come with a request): `assert sign_in("pegawai", "rahasia-123")`."""

    def through_the_form(username: str, password: str) -> bool:
        client.logout()
        client.post(reverse("login"), {"username": username, "password": password})
        return "_auth_user_id" in client.session

    return through_the_form


@pytest.fixture
def laporan(cast, finished):
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    evaluasi_services.laporan_sync(pegawai=cast.pegawai_pegawai)
    return LaporanPascaPelatihan.objects.get()


@pytest.fixture
def finished(cast):
    """A batch under way with the pegawai registered, present every day, post-test passed."""
    batch = factories.angkatan(kuota=5)
    participant = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    batch.status = "berjalan"
    batch.save()
    for sesi in batch.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={participant.pk})
    participant.nilai_post = 85
    participant.save()
    return participant
