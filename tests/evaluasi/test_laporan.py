"""The post-training self-report: every transition allowed and forbidden, who may make it, and
who may see which report."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluasi import services
from evaluasi.models import LaporanPascaPelatihan
from pelatihan import services as pelatihan_services
from tests import factories

S = LaporanPascaPelatihan.Status
FILLED = {
    "perubahan": "Rekam medis kini elektronik",
    "contoh": "Antrean poli 20 menit lebih cepat",
    "dampak": "Pasien menunggu lebih singkat",
}


def move(laporan, action, user, **data):
    return services.laporan_transition(laporan=laporan, action=action, by=user, data=data)


def at(laporan, status):
    """Put a report in a state directly (a verified one carries its rating, as the database
    requires)."""
    rating = 3 if status == S.DIVERIFIKASI else None
    LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
        status=status, nilai_perubahan=rating, **FILLED
    )
    laporan.refresh_from_db()
    return laporan


def test_passing_a_training_creates_one_report_due_90_days_after_it_ends(cast, laporan):
    assert laporan.status == S.BELUM_DIISI
    assert laporan.jatuh_tempo == date(2026, 3, 6) + timedelta(days=90)
    assert services.laporan_sync() == 0  # idempotent


ALLOWED = [
    ("simpan", S.BELUM_DIISI, S.DRAF, "pegawai"),
    ("simpan", S.DRAF, S.DRAF, "pegawai"),
    ("simpan", S.DIKEMBALIKAN, S.DIKEMBALIKAN, "pegawai"),
    ("ajukan", S.BELUM_DIISI, S.DIAJUKAN, "pegawai"),
    ("ajukan", S.DRAF, S.DIAJUKAN, "pegawai"),
    ("ajukan", S.DIKEMBALIKAN, S.DIAJUKAN, "pegawai"),
    ("kembalikan", S.DIAJUKAN, S.DIKEMBALIKAN, "atasan"),
    ("verifikasi", S.DIAJUKAN, S.DIVERIFIKASI, "atasan"),
]
DATA = {
    "simpan": FILLED,
    "ajukan": FILLED,
    "kembalikan": {"komentar": "Tambahkan angka"},
    "verifikasi": {"nilai": 3, "komentar": "Bagus"},
}


@pytest.mark.parametrize(("action", "before", "after", "who"), ALLOWED)
def test_every_allowed_transition(cast, laporan, action, before, after, who):
    moved = move(at(laporan, before), action, getattr(cast, who), **DATA[action])
    assert moved.status == after


# Written out here, not read from the production table, so that the two can disagree: every
# (action, state) that ALLOWED does not name is refused.
ACTIONS = ["simpan", "ajukan", "kembalikan", "verifikasi"]
STATES = ["belum_diisi", "draf", "diajukan", "dikembalikan", "diverifikasi"]
FORBIDDEN = [
    (action, state)
    for action in ACTIONS
    for state in STATES
    if (action, state) not in {(a, before) for a, before, _, _ in ALLOWED}
]


@pytest.mark.parametrize(("action", "state"), FORBIDDEN)
def test_every_forbidden_transition_is_refused(cast, laporan, action, state):
    who = cast.pegawai if action in LaporanPascaPelatihan.BY_PEGAWAI else cast.atasan
    with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
        move(at(laporan, state), action, who, **DATA[action])
    laporan.refresh_from_db()
    assert laporan.status == state


def test_the_lists_cover_every_action_and_state():
    assert len(ALLOWED) + len(FORBIDDEN) == len(ACTIONS) * len(STATES) == 20
    assert {s for s in STATES} == set(S.values)
    assert ("kembalikan", S.DIVERIFIKASI) in FORBIDDEN  # a verified report stays verified


@pytest.mark.parametrize(
    ("action", "who"),
    [
        ("simpan", "atasan"),
        ("ajukan", "pengelola"),
        ("kembalikan", "pegawai"),
        ("verifikasi", "pengelola"),
    ],
)
def test_only_the_pegawai_writes_and_only_the_atasan_decides(cast, laporan, action, who):
    state = S.DRAF if action in LaporanPascaPelatihan.BY_PEGAWAI else S.DIAJUKAN
    with pytest.raises(PermissionDenied):
        move(at(laporan, state), action, getattr(cast, who), **DATA[action])


def test_submitting_needs_the_change_an_example_and_the_impact(cast, laporan):
    with pytest.raises(ValidationError) as error:
        move(laporan, "ajukan", cast.pegawai, perubahan="Sesuatu")
    assert set(error.value.message_dict) == {"contoh", "dampak"}
    laporan.refresh_from_db()
    assert laporan.status == S.BELUM_DIISI


def test_returning_needs_a_reason_and_verifying_a_rating(cast, laporan):
    at(laporan, S.DIAJUKAN)
    with pytest.raises(ValidationError, match="perlu diperbaiki"):
        move(laporan, "kembalikan", cast.atasan, komentar=" ")
    with pytest.raises(ValidationError, match="1–4"):
        move(laporan, "verifikasi", cast.atasan, nilai=7)


def test_the_whole_journey_through_the_pages(login, cast, laporan):
    url = laporan.get_absolute_url()
    login(cast.pegawai).post(url, {**FILLED, "simpan": "1"})
    laporan.refresh_from_db()
    assert laporan.status == S.DRAF
    login(cast.pegawai).post(url, {**FILLED, "ajukan": "1"})
    decide = reverse("evaluasi:laporan_decide", args=[laporan.pk])
    login(cast.atasan).post(
        decide, {"keputusan": "kembalikan", "komentar": "Tambahkan data antrean"}
    )
    laporan.refresh_from_db()
    assert laporan.status == S.DIKEMBALIKAN
    page = login(cast.pegawai).get(url).content.decode()
    assert "Tambahkan data antrean" in page
    login(cast.pegawai).post(
        url, {**FILLED, "contoh": "Antrean turun dari 60 ke 40 menit", "ajukan": "1"}
    )
    login(cast.atasan).post(decide, {"keputusan": "verifikasi", "nilai": "4", "komentar": "Terasa"})
    laporan.refresh_from_db()
    assert (laporan.status, laporan.nilai_perubahan, laporan.penilai) == (
        S.DIVERIFIKASI,
        4,
        cast.atasan_pegawai,
    )


def test_an_incomplete_submission_shows_the_form_with_errors(login, cast, laporan):
    response = login(cast.pegawai).post(
        laporan.get_absolute_url(), {"perubahan": "x", "ajukan": "1"}
    )
    assert "contoh" in response.context["form"].errors
    laporan.refresh_from_db()
    assert laporan.status == S.BELUM_DIISI


@pytest.mark.parametrize(
    ("who", "status"),
    [("pegawai", 200), ("atasan", 200), ("pengelola", 200), ("admin", 200), ("outsider", 404)],
)
def test_who_may_see_a_report(login, cast, laporan, who, status):
    assert login(getattr(cast, who)).get(laporan.get_absolute_url()).status_code == status


def test_others_cannot_post_to_a_report(login, cast, laporan):
    assert login(cast.atasan).post(laporan.get_absolute_url(), FILLED).status_code == 403
    decide = reverse("evaluasi:laporan_decide", args=[laporan.pk])
    assert login(cast.outsider).post(decide, {"keputusan": "verifikasi"}).status_code == 404
    assert login(cast.atasan).get(decide).status_code == 405


def test_the_lists_show_each_role_its_reports(login, cast, laporan):
    assert list(
        login(cast.pegawai).get(reverse("evaluasi:laporan_list")).context["milik_saya"]
    ) == [laporan]
    at(laporan, S.DIAJUKAN)
    assert list(
        login(cast.atasan).get(reverse("evaluasi:laporan_list")).context["menunggu_saya"]
    ) == [laporan]
    LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
        status=S.DRAF, jatuh_tempo=date(2026, 1, 1)
    )
    assert list(
        login(cast.pengelola).get(reverse("evaluasi:laporan_list")).context["terlambat"]
    ) == [laporan]
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert list(login(other).get(reverse("evaluasi:laporan_list")).context["terlambat"]) == []


def test_the_atasan_downloads_the_attachment_the_pegawai_sent(
    login, cast, laporan, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    laporan.lampiran.save("waktu-tunggu.pdf", ContentFile(b"%PDF-1.4 data antrean"), save=True)
    client = login(cast.atasan)
    assert (
        reverse("evaluasi:laporan_lampiran", args=[laporan.pk])
        in client.get(laporan.get_absolute_url()).content.decode()
    )
    response = client.get(reverse("evaluasi:laporan_lampiran", args=[laporan.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data antrean"
    assert (
        login(cast.outsider)
        .get(reverse("evaluasi:laporan_lampiran", args=[laporan.pk]))
        .status_code
        == 404
    )


def test_the_list_writes_nothing_and_offers_a_training_passed_since_the_daily_job(
    login, cast, finished
):
    """Passed today, before the morning job made the report: the list (a GET) shows the training
    with a button, and only that POST makes the report."""
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    client = login(cast.pegawai)
    page = client.get(reverse("evaluasi:laporan_list"))
    assert not LaporanPascaPelatihan.objects.exists()
    assert list(page.context["belum_dibuat"]) == [finished]
    start = reverse("evaluasi:laporan_start", args=[finished.pk])
    assert f'action="{start}"' in page.content.decode()
    assert client.get(start).status_code == 405
    assert login(cast.atasan).post(start).status_code == 404  # not theirs
    assert not LaporanPascaPelatihan.objects.exists()
    response = login(cast.pegawai).post(start)
    laporan = LaporanPascaPelatihan.objects.get()
    assert response.url == laporan.get_absolute_url() and laporan.peserta == finished
    assert laporan.status == S.BELUM_DIISI
    assert login(cast.pegawai).post(start).url == laporan.get_absolute_url()  # once
    assert LaporanPascaPelatihan.objects.count() == 1
    page = client.get(reverse("evaluasi:laporan_list"))
    assert list(page.context["belum_dibuat"]) == [] and list(page.context["milik_saya"]) == [
        laporan
    ]


def test_the_daily_job_makes_the_reports_of_trainings_passed_since(cast, finished):
    from evaluasi.tasks import pengingat_laporan_task

    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    pengingat_laporan_task()
    assert LaporanPascaPelatihan.objects.get().peserta == finished


def test_a_report_sent_twice_to_the_atasan_lands_on_the_report_not_on_a_refusal(
    login, cast, laporan
):
    """A double click on "Ajukan ke atasan": the second POST finds it sent and says so."""
    client = login(cast.pegawai)
    url = reverse("evaluasi:laporan_detail", args=[laporan.pk])
    data = {**FILLED, "ajukan": "1"}
    first = client.post(url, data)
    assert first.status_code == 302, first.context and first.context["form"].errors
    laporan.refresh_from_db()
    submitted_at = laporan.diajukan_at
    again = client.post(url, data, follow=True)
    assert again.status_code == 200 and "sudah diajukan ke atasan" in again.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == S.DIAJUKAN and laporan.diajukan_at == submitted_at
