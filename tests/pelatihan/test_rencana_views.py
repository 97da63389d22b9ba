"""The plan pages: the pegawai drafts from the proposal and submits their own plan only; the
direct atasan agrees, changes or returns it (never their own); HR read and see the states per
unit; query counts do not grow with the rows."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pelatihan import services
from pelatihan.models import (
    BarisRencana,
    Kompetensi,
    PelatihanKompetensi,
    PenilaianKompetensi,
    RencanaPengembangan,
    StandarKompetensi,
)
from pelatihan.referensi import tahun_rencana_bawaan
from tests import factories
from tests.queries import cold_queries


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


@pytest.fixture
def gap(cast):
    StandarKompetensi.objects.create(
        jabatan=cast.pegawai_pegawai.jabatan, kompetensi=kompetensi("M.04"), level=3
    )
    PenilaianKompetensi.objects.create(
        pegawai=cast.pegawai_pegawai, kompetensi=kompetensi("M.04"), level=2,
        tanggal=date(2026, 1, 5), sumber="uji_kompetensi",
    )  # fmt: skip
    training = factories.pelatihan(nama="Orientasi Hasil", jp=32)
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    return training


@pytest.fixture
def plan(cast, gap):
    return services.rencana_create(pegawai=cast.pegawai_pegawai, tahun=timezone.localdate().year)


def line_data(**extra):
    return {"kompetensi": kompetensi("M.03").pk, "level_target": 3, "bentuk": 22, "jp": 6,
            "biaya": 150000, "catatan": "MOOC komunikasi"} | extra  # fmt: skip


def test_the_pegawai_sees_the_proposal_and_drafts_from_it(login, cast, gap):
    client = login(cast.pegawai)
    year = timezone.localdate().year
    page = client.get(reverse("pelatihan:rencana_saya"), {"tahun": year})
    assert [b.kompetensi.kode for b in page.context["usulan"]] == ["M.04"]
    assert "Orientasi Hasil" in page.content.decode()
    response = client.post(reverse("pelatihan:rencana_create"), {"tahun": year})
    rencana = RencanaPengembangan.objects.get(pegawai=cast.pegawai_pegawai)
    assert response["Location"] == rencana.get_absolute_url()
    assert (rencana.tahun, rencana.status, rencana.baris.get().pelatihan) == (year, "draf", gap)


def test_the_pegawai_adds_changes_and_removes_lines_of_their_draft(login, cast, plan):
    client = login(cast.pegawai)
    client.post(reverse("pelatihan:baris_create", args=[plan.pk]), line_data())
    added = plan.baris.get(kompetensi__kode="M.03")
    assert (added.bentuk, added.jp, added.biaya) == (22, 6, 150000)
    response = client.post(
        reverse("pelatihan:baris_update", args=[added.pk]), line_data(jp=12, biaya=0)
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.jp, added.biaya) == (12, 0)
    client.post(reverse("pelatihan:baris_delete", args=[added.pk]))
    assert not plan.baris.filter(pk=added.pk).exists()


def test_a_wrong_line_is_refused_with_a_message_and_nothing_saved(login, cast, plan):
    client = login(cast.pegawai)
    response = client.post(
        reverse("pelatihan:baris_create", args=[plan.pk]), line_data(jp=0, bentuk=99), follow=True
    )
    assert plan.baris.count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("bukan salah satu pilihan" in m or "pilihan" in m for m in messages)
    response = client.post(
        reverse("pelatihan:baris_create", args=[plan.pk]),
        line_data(bentuk=14, pelatihan=BarisRencana.objects.get().pelatihan_id),
        follow=True,
    )
    assert plan.baris.count() == 1
    assert "klasikal" in response.content.decode()


def test_the_pegawai_submits_and_the_atasan_agrees_after_the_one_on_one(login, cast, plan):
    login(cast.pegawai).post(reverse("pelatihan:rencana_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "diajukan"
    client = login(cast.atasan)
    page = client.get(plan.get_absolute_url())
    assert page.context["can_decide"] and page.context["can_edit"]
    meeting = timezone.localdate().isoformat()
    client.post(
        reverse("pelatihan:rencana_decide", args=[plan.pk]),
        {"keputusan": "setujui", "tanggal_pertemuan": meeting, "catatan": "Sepakat."},
    )
    plan.refresh_from_db()
    assert (plan.status, plan.tanggal_pertemuan, plan.catatan_atasan) == (
        "disetujui", timezone.localdate(), "Sepakat.",
    )  # fmt: skip
    # Agreed: locked for the pegawai.
    response = login(cast.pegawai).post(
        reverse("pelatihan:baris_create", args=[plan.pk]), line_data()
    )
    assert response.status_code == 403
    assert plan.baris.count() == 1


def test_agreeing_without_a_meeting_date_is_refused_with_a_message(login, cast, plan):
    services.rencana_submit(rencana=plan, by=cast.pegawai)
    response = login(cast.atasan).post(
        reverse("pelatihan:rencana_decide", args=[plan.pk]),
        {"keputusan": "setujui", "tanggal_pertemuan": ""},
        follow=True,
    )
    assert "Isi tanggal pertemuan empat mata" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "diajukan"


def test_the_atasan_changes_a_line_of_a_submitted_plan(login, cast, plan):
    services.rencana_submit(rencana=plan, by=cast.pegawai)
    line = plan.baris.get()
    login(cast.atasan).post(
        reverse("pelatihan:baris_update", args=[line.pk]),
        line_data(kompetensi=line.kompetensi_id, bentuk=3, pelatihan=line.pelatihan_id, jp=40),
    )
    line.refresh_from_db()
    assert line.jp == 40
    # The pegawai waits: their submitted plan is not theirs to change.
    response = login(cast.pegawai).post(reverse("pelatihan:baris_delete", args=[line.pk]))
    assert response.status_code == 403


def test_an_atasan_never_decides_their_own_plan(login, cast):
    boss = factories.pegawai(cast.yankes, nama="Kepala Bidang", user=factories.user("kabid"))
    cast.atasan_pegawai.atasan = boss
    cast.atasan_pegawai.save()
    own = services.baris_rencana_add(
        pegawai=cast.atasan_pegawai, tahun=2026, kompetensi=kompetensi("M.03"), level_target=3,
        bentuk=22, jp=4,
    ).rencana  # fmt: skip
    services.rencana_submit(rencana=own, by=cast.atasan)
    data = {"keputusan": "setujui", "tanggal_pertemuan": "2026-11-20"}
    assert login(cast.atasan).post(reverse("pelatihan:rencana_decide", args=[own.pk]), data)
    own.refresh_from_db()
    assert own.status == "diajukan"
    login(boss.user).post(reverse("pelatihan:rencana_decide", args=[own.pk]), data)
    own.refresh_from_db()
    assert own.status == "disetujui"


@pytest.mark.parametrize(
    ("role", "status"),
    [("rekan", 404), ("outsider", 404), ("pengelola", 403), ("provinsi", 403), ("admin", 403)],
)
def test_only_the_direct_atasan_decides(login, cast_lengkap, plan, role, status):
    services.rencana_submit(rencana=plan, by=cast_lengkap.pegawai)
    response = login(getattr(cast_lengkap, role)).post(
        reverse("pelatihan:rencana_decide", args=[plan.pk]),
        {"keputusan": "setujui", "tanggal_pertemuan": "2026-11-20"},
    )
    assert response.status_code == status
    plan.refresh_from_db()
    assert plan.status == "diajukan"


def test_hr_read_a_plan_but_change_nothing(login, cast, plan):
    client = login(cast.pengelola)
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert not page.context["can_edit"] and not page.context["can_submit"]
    line = plan.baris.get()
    assert client.post(reverse("pelatihan:baris_delete", args=[line.pk])).status_code == 403
    assert client.post(reverse("pelatihan:rencana_submit", args=[plan.pk])).status_code == 403
    assert plan.baris.count() == 1


def test_hr_see_the_states_per_unit_with_progress(login, cast, plan):
    year = plan.tahun
    other = factories.pegawai(cast.yankes, nama="Zaenal", atasan=cast.atasan_pegawai)
    agreed = services.baris_rencana_add(
        pegawai=other, tahun=year, kompetensi=kompetensi("M.03"), level_target=3, bentuk=22, jp=6
    ).rencana
    RencanaPengembangan.objects.filter(pk=agreed.pk).update(
        status="disetujui", tanggal_pertemuan=date(year, 1, 5), disetujui_at=timezone.now()
    )
    BarisRencana.objects.filter(rencana=agreed).update(status="selesai", ditutup_at=timezone.now())
    factories.pegawai(cast.bkd, nama="Di Luar")  # another OPD: not counted
    page = login(cast.pengelola).get(reverse("pelatihan:rencana_unit"), {"tahun": year})
    counts = {label: n for _, label, n in page.context["per_status"]}
    assert counts == {"Belum mulai": 1, "Draf": 1, "Diajukan, menunggu atasan": 0,
                      "Dikembalikan atasan": 0, "Disetujui atasan": 1}  # fmt: skip
    rows = {r["nama"]: r for r in page.context["page"]}
    assert set(rows) == {"Budi Pegawai", "Siti Atasan", "Zaenal"}
    progres = rows["Zaenal"]["progres"]
    assert (progres.selesai, progres.total, progres.jp_selesai, progres.jp_total) == (1, 1, 6, 6)
    assert rows["Siti Atasan"]["rencana_id"] is None
    assert "1 dari 1 baris terlaksana · 6 dari 6 JP" in page.content.decode()


def test_the_unit_list_says_which_plan_year_it_shows_for_one_it_does_not_offer(login, cast):
    client, url = login(cast.pengelola), reverse("pelatihan:rencana_unit")
    shown = tahun_rencana_bawaan(timezone.localdate())
    for asked in ("2010", "abc"):
        page = client.get(url, {"tahun": asked})
        assert page.context["tahun"] == shown
        text = page.content.decode()
        assert f"Tahun “{asked}” tidak tersedia; ditampilkan tahun {shown}." in text
    last_year = timezone.localdate().year - 1  # offered, not the default
    full_width = str(last_year).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for written in (f" {last_year} ", full_width):  # a pasted address, a phone's digits
        offered = client.get(url, {"tahun": written})
        assert offered.context["tahun"] == last_year
        assert "tidak tersedia" not in offered.content.decode()
    # An address's long value is said in short, not echoed whole.
    text = client.get(url, {"tahun": "9" * 5000}).content.decode()
    assert f"Tahun “{'9' * 12}…” tidak tersedia" in text and "9" * 13 not in text


def test_the_unit_list_is_for_managers(login, cast):
    assert login(cast.pegawai).get(reverse("pelatihan:rencana_unit")).status_code == 403


def test_the_unit_list_queries_do_not_grow_with_the_rows(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.pengelola)
    url = reverse("pelatihan:rencana_unit")
    year = timezone.localdate().year

    def staff(n):
        for _ in range(n):
            person = factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai)
            services.baris_rencana_add(
                pegawai=person, tahun=year, kompetensi=kompetensi("M.03"), level_target=3,
                bentuk=22, jp=6,
            )  # fmt: skip

    staff(3)
    with cold_queries() as small:
        assert client.get(url, {"tahun": year}).status_code == 200
    staff(40)
    with django_assert_max_num_queries(14), cold_queries() as large:
        assert client.get(url, {"tahun": year}).status_code == 200
    assert len(large) == len(small)


def test_the_atasan_sees_their_subordinates_plans(login, cast, plan):
    page = login(cast.atasan).get(reverse("pelatihan:rencana_saya"), {"tahun": plan.tahun})
    rows = {p.nama: p.rencana_status for p in page.context["bawahan"]}
    assert rows == {"Budi Pegawai": "draf"}


def test_the_plan_page_is_for_pegawai(login, cast):
    assert login(cast.pengelola).get(reverse("pelatihan:rencana_saya")).status_code == 403
    assert login(cast.admin).post(reverse("pelatihan:rencana_create")).status_code == 403
    assert not RencanaPengembangan.objects.exists()


def test_province_hr_see_every_units_plans(login, cast_lengkap, plan):
    cast = cast_lengkap
    factories.pegawai(cast.bkd, nama="Di BKD")
    page = login(cast.provinsi).get(reverse("pelatihan:rencana_unit"), {"tahun": plan.tahun})
    names = {r["nama"] for r in page.context["page"]}
    assert {"Budi Pegawai", "Rina Luar", "Di BKD"} <= names
    own = login(cast.pengelola_lain).get(reverse("pelatihan:rencana_unit"), {"tahun": plan.tahun})
    assert "Budi Pegawai" not in {r["nama"] for r in own.context["page"]}
