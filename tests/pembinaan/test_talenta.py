"""Talent management (PermenPANRB 3/2020): each kinerja × potensial combination in its box, the
talent pool, successors only from the pool, the committee's calibration with its reason in the
audit log, who sees talent data, the pegawai's own box, the import and the exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluasi.models import PenilaianKinerja, PeriodePenilaian
from pegawai.models import Pegawai
from pegawai.widgets import UNIT_SEMUA_MAX
from pelatihan.models import Kompetensi
from pembinaan import audit, services, talenta
from pembinaan.models import (
    AnggotaKomiteTalenta,
    JabatanKritikal,
    KandidatSuksesi,
    PenempatanTalenta,
    Potensial,
)
from tests import factories
from tests.queries import cold_queries

# (hasil kerja, perilaku kerja) that give each predicate (PermenPANRB 6/2022's matrix).
RATING = {
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
}
# Two years of predicates for each performance level (pembinaan.talenta.ATURAN_KINERJA).
KINERJA = {
    "di_atas": ("sangat_baik", "sangat_baik"),
    "sesuai": ("baik", "sangat_baik"),
    "di_bawah": ("sangat_baik", "butuh_perbaikan"),
}
POTENSIAL = {"rendah": Decimal("45"), "menengah": Decimal("70"), "tinggi": Decimal("88.5")}


@pytest.fixture
def years():
    return talenta.tahun_kinerja(timezone.localdate())


@pytest.fixture
def periods(cast, years):
    return [
        PeriodePenilaian.objects.create(
            nama=f"Tahunan {y}",
            jenis="tahunan",
            tanggal_mulai=date(y, 1, 1),
            tanggal_selesai=date(y, 12, 31),
            dibuka_oleh=cast.admin,
            status="ditutup",
        )  # fmt: skip
        for y in years
    ]


@pytest.fixture
def place(cast, periods):
    """Give a pegawai two years of predicates and a potential score, and place them."""

    def placing(pegawai, kinerja="sesuai", potensial="menengah", *, compute=True):
        for periode, predikat in zip(periods, KINERJA[kinerja], strict=True):
            hasil, perilaku = RATING[predikat]
            penilai = (
                cast.atasan_pegawai if pegawai != cast.atasan_pegawai else cast.outsider_pegawai
            )
            PenilaianKinerja.objects.create(
                periode=periode, pegawai=pegawai, penilai=penilai, hasil_kerja=hasil,
                perilaku_kerja=perilaku, jabatan=pegawai.jabatan,
            )  # fmt: skip
        Potensial.objects.create(
            pegawai=pegawai, tanggal=date(2026, 3, 1), sumber="assessment_center",
            skor=POTENSIAL[potensial],
        )  # fmt: skip
        if compute:
            services.penempatan_hitung(today=timezone.localdate(), pegawai_ids=[pegawai.pk])
            return PenempatanTalenta.objects.get(pegawai=pegawai)
        return None

    return placing


@pytest.fixture
def komite(cast_lengkap):
    user = factories.user("komite")
    factories.pegawai(cast_lengkap.bkd, nama="Anggota Komite", user=user)
    AnggotaKomiteTalenta.objects.create(user=user, ditambah_oleh=cast_lengkap.admin)
    return user


# --- The rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinerja", "potensial", "kotak"),
    [
        ("di_bawah", "rendah", 1), ("di_bawah", "menengah", 3), ("di_bawah", "tinggi", 6),
        ("sesuai", "rendah", 2), ("sesuai", "menengah", 5), ("sesuai", "tinggi", 8),
        ("di_atas", "rendah", 4), ("di_atas", "menengah", 7), ("di_atas", "tinggi", 9),
    ],
)  # fmt: skip
def test_each_kinerja_and_potensial_lands_in_its_box(cast, place, kinerja, potensial, kotak):
    penempatan = place(cast.pegawai_pegawai, kinerja, potensial)
    assert (penempatan.kinerja, penempatan.potensial) == (kinerja, potensial)
    assert penempatan.kotak_hitung == penempatan.kotak == kotak
    assert penempatan.opd_id == cast.dinkes.pk  # counted with the OPD, not the bidang


def test_the_potential_thresholds_are_60_and_80():
    assert talenta.level_potensial(Decimal("59.99")) == "rendah"
    assert talenta.level_potensial(Decimal("60")) == "menengah"
    assert talenta.level_potensial(Decimal("79.99")) == "menengah"
    assert talenta.level_potensial(Decimal("80")) == "tinggi"


def test_kinerja_is_di_atas_only_when_both_years_are_sangat_baik():
    assert talenta.level_kinerja(["sangat_baik", "sangat_baik"]) == "di_atas"
    assert talenta.level_kinerja(["sangat_baik", "baik"]) == "sesuai"
    assert talenta.level_kinerja(["baik", "baik"]) == "sesuai"
    assert talenta.level_kinerja(["baik", "kurang"]) == "di_bawah"
    assert talenta.level_kinerja(["sangat_kurang", "sangat_baik"]) == "di_bawah"


def test_a_pegawai_without_both_years_or_without_potential_is_not_placed(cast, place, periods):
    place(cast.pegawai_pegawai, compute=False)
    PenilaianKinerja.objects.filter(pegawai=cast.pegawai_pegawai, periode=periods[0]).delete()
    Potensial.objects.create(
        pegawai=cast.atasan_pegawai, tanggal=date(2026, 1, 5), sumber="rekam_jejak", skor=90
    )
    assert services.penempatan_hitung(today=timezone.localdate()) == 0
    assert not PenempatanTalenta.objects.exists()


def test_the_latest_assessment_counts_and_a_recomputation_follows_it(cast, place):
    penempatan = place(cast.pegawai_pegawai, "di_atas", "rendah")
    assert penempatan.kotak == 4
    Potensial.objects.create(
        pegawai=cast.pegawai_pegawai, tanggal=date(2026, 6, 1), sumber="uji_kompetensi", skor=81
    )
    assert services.penempatan_hitung(today=timezone.localdate()) == 1
    assert PenempatanTalenta.objects.get(pegawai=cast.pegawai_pegawai).kotak == 9


def test_the_nightly_job_in_slices_places_as_in_one_piece_and_drops_who_left(
    cast, place, monkeypatch
):
    """The whole instance goes in slices of pegawai by id: with slices of one, every slice a
    query round of its own, the placements are those of one piece, and a pegawai who left
    (no longer active, in a slice of their own) loses their row."""
    place(cast.pegawai_pegawai, "di_atas", "tinggi", compute=False)  # 9
    place(cast.atasan_pegawai, "di_bawah", "rendah", compute=False)  # 1
    place(cast.outsider_pegawai, "sesuai", "menengah", compute=False)  # 5
    assert services.penempatan_hitung(today=timezone.localdate()) == 3
    whole = dict(PenempatanTalenta.objects.values_list("pegawai_id", "kotak"))
    PenempatanTalenta.objects.all().delete()
    monkeypatch.setattr(services, "PENEMPATAN_IRISAN", 1)
    assert services.penempatan_hitung(today=timezone.localdate()) == 3
    assert dict(PenempatanTalenta.objects.values_list("pegawai_id", "kotak")) == whole
    assert sorted(whole.values()) == [1, 5, 9]
    Pegawai.objects.filter(pk=cast.outsider_pegawai.pk).update(
        aktif=False, alasan_nonaktif="Pensiun"
    )
    assert services.penempatan_hitung(today=timezone.localdate()) == 2
    assert not PenempatanTalenta.objects.filter(pegawai=cast.outsider_pegawai).exists()


# --- Pool and successors ----------------------------------------------------------------------


def test_the_pool_lists_boxes_7_8_and_9_only(login, cast_lengkap, place):
    c = cast_lengkap
    place(c.pegawai_pegawai, "di_atas", "menengah")  # 7
    place(c.rekan_pegawai, "sesuai", "tinggi")  # 8
    place(c.atasan_pegawai, "sesuai", "menengah")  # 5
    page = login(c.admin).get(reverse("pembinaan:talenta_pool"))
    names = [row["nama"] for row in page.context["page"]]
    assert sorted(names) == sorted([c.pegawai_pegawai.nama, c.rekan_pegawai.nama])


@pytest.fixture
def kritikal(cast_lengkap):
    return JabatanKritikal.objects.create(
        jabatan=factories.jabatan("Kepala Bidang Pelayanan Kesehatan", "administrator"),
        unit=cast_lengkap.yankes, alasan="Pensiun 2027", ditetapkan_oleh=cast_lengkap.provinsi,
    )  # fmt: skip


def _kandidat_data(pegawai) -> dict:
    return {
        "pegawai": pegawai.nip, "kesiapan": "1_2_tahun",
        "kompetensi": Kompetensi.objects.order_by("pk").first().pk, "level_target": "4",
        "bentuk": "15", "jp": "20", "catatan": "Mentoring kepala bidang",
    }  # fmt: skip


def test_a_successor_comes_from_the_pool_only(client, login, cast_lengkap, place, kritikal):
    c = cast_lengkap
    place(c.pegawai_pegawai, "sesuai", "menengah")  # box 5
    place(c.rekan_pegawai, "di_atas", "tinggi")  # box 9
    login(c.provinsi)
    url = reverse("pembinaan:kandidat_add", args=[kritikal.pk])
    refused = client.post(url, _kandidat_data(c.pegawai_pegawai), follow=True)
    assert "tidak termasuk kelompok rencana suksesi (kotak 7, 8 dan 9); saat ini di kotak 5" in (
        refused.content.decode()
    )
    assert not KandidatSuksesi.objects.exists()
    client.post(url, _kandidat_data(c.rekan_pegawai))
    kandidat = KandidatSuksesi.objects.get()
    assert (kandidat.pegawai, kandidat.level_target, kandidat.bentuk, kandidat.jp) == (
        c.rekan_pegawai, 4, 15, 20,
    )  # fmt: skip


def test_a_successor_gets_a_line_in_their_development_plan_that_goes_with_them(
    client, login, cast_lengkap, place, kritikal
):
    from pelatihan.models import BarisRencana
    from pelatihan.referensi import tahun_rencana_bawaan

    c = cast_lengkap
    place(c.rekan_pegawai, "di_atas", "tinggi")  # box 9
    login(c.provinsi)
    client.post(
        reverse("pembinaan:kandidat_add", args=[kritikal.pk]), _kandidat_data(c.rekan_pegawai)
    )
    kandidat = KandidatSuksesi.objects.get()
    baris = kandidat.baris_rencana
    assert baris is not None
    assert (baris.rencana.pegawai, baris.rencana.tahun) == (
        c.rekan_pegawai, tahun_rencana_bawaan(timezone.localdate()),
    )  # fmt: skip
    assert (baris.kompetensi_id, baris.level_target, baris.bentuk, baris.jp) == (
        kandidat.kompetensi_id, 4, 15, 20,
    )  # fmt: skip
    page = client.get(kritikal.get_absolute_url()).content.decode()
    assert f"Baris rencana {baris.rencana.tahun}: belum terlaksana" in page

    # The plan is read by the pegawai, their atasan and unit HR: it does not tell them of the
    # succession, and neither the pegawai nor the atasan removes the province's line.
    assert baris.ditetapkan_provinsi and baris.catatan == "Ditetapkan BKD/BPSDM"
    for user in (c.atasan, c.rekan):
        login(user)
        plan = client.get(baris.rencana.get_absolute_url()).content.decode()
        assert kritikal.jabatan.nama not in plan and "uksesi" not in plan
        assert client.post(reverse("pelatihan:baris_delete", args=[baris.pk])).status_code == 403
    assert BarisRencana.objects.filter(pk=baris.pk).exists()

    login(c.provinsi)
    client.post(reverse("pembinaan:kandidat_remove", args=[kandidat.pk]))
    assert not BarisRencana.objects.filter(pk=baris.pk).exists()


@pytest.fixture
def provinsi_pegawai(cast_lengkap):
    """A province HR officer who is also a pegawai of BKD (as the demo's provinsi is)."""
    user = factories.user("provinsi2", pengelola_provinsi=True)
    return factories.pegawai(cast_lengkap.bkd, nama="Pengelola Provinsi", user=user)


def test_province_hr_neither_score_their_own_potential_nor_name_themselves_successor(
    client, login, cast_lengkap, place, kritikal, provinsi_pegawai
):
    place(provinsi_pegawai, "di_atas", "tinggi")  # in the pool, box 9
    before = Potensial.objects.count()
    login(provinsi_pegawai.user)
    form = client.post(reverse("pembinaan:potensial_create"), {
        "pegawai": provinsi_pegawai.nip, "tanggal": "02/03/2026", "sumber": "assessment_center",
        "skor": "100",
    })  # fmt: skip
    assert "tidak dapat mencatat potensial" in str(form.context["form"].errors)
    imported = client.post(reverse("pembinaan:potensial_import"), {"berkas": _upload([
        [provinsi_pegawai.nip, "15/03/2026", "assessment_center", "100", ""],
    ])})  # fmt: skip
    assert "ini potensial Anda sendiri" in imported.context["kesalahan"][0][1]
    assert Potensial.objects.count() == before
    refused = client.post(
        reverse("pembinaan:kandidat_add", args=[kritikal.pk]), _kandidat_data(provinsi_pegawai),
        follow=True,
    )  # fmt: skip
    assert "menjadikan diri sendiri kandidat suksesi" in refused.content.decode()
    assert not KandidatSuksesi.objects.exists()


def test_an_administrator_calibrates_a_placement(client, login, cast_lengkap, place):
    penempatan = place(cast_lengkap.pegawai_pegawai, "sesuai", "menengah")  # box 5
    login(cast_lengkap.admin)
    client.post(
        reverse("pembinaan:penempatan_calibrate", args=[penempatan.pk]),
        {"kotak": "8", "alasan": "Hasil sidang komite 2026"},
    )
    penempatan.refresh_from_db()
    assert (penempatan.kotak, penempatan.alasan_kalibrasi) == (8, "Hasil sidang komite 2026")


def test_a_critical_positions_reason_is_at_most_1000_characters(client, login, cast_lengkap):
    login(cast_lengkap.provinsi)
    data = {"jabatan": cast_lengkap.pegawai_pegawai.jabatan_id, "unit": "", "alasan": "x" * 1001}
    page = client.post(reverse("pembinaan:kritikal_create"), data, follow=True)
    assert "paling banyak 1.000 karakter" in page.content.decode()
    assert not JabatanKritikal.objects.exists()


def test_an_unplaced_pegawai_is_refused_as_a_successor(cast_lengkap, kritikal):
    with pytest.raises(ValidationError, match="belum dipetakan"):
        services.kandidat_add(
            jabatan_kritikal=kritikal, pegawai=cast_lengkap.pegawai_pegawai, kesiapan="siap",
            kompetensi=Kompetensi.objects.first(), level_target=3, bentuk=14, jp=10,
            by=cast_lengkap.provinsi,
        )  # fmt: skip


# --- Calibration ------------------------------------------------------------------------------


def test_a_calibration_needs_a_reason_and_is_in_the_audit_log(
    client, login, cast_lengkap, place, komite
):
    c = cast_lengkap
    penempatan = place(c.pegawai_pegawai, "sesuai", "menengah")
    url = reverse("pembinaan:penempatan_calibrate", args=[penempatan.pk])
    login(komite)
    client.post(url, {"kotak": "8", "alasan": "  "})
    penempatan.refresh_from_db()
    assert (penempatan.kotak, penempatan.kotak_kalibrasi) == (5, None)
    client.post(url, {"kotak": "8", "alasan": "Kepemimpinan terbukti di tim krisis"})
    penempatan.refresh_from_db()
    assert (penempatan.kotak, penempatan.kotak_kalibrasi, penempatan.kotak_hitung) == (8, 8, 5)
    entries = audit.audit_page(c.provinsi, audit.Filter(jenis="talenta")).entries
    assert [(e.jenis, e.alasan, e.oleh) for e in entries] == [
        ("Kalibrasi penempatan talenta", "Kepemimpinan terbukti di tim krisis", "Anggota Komite")
    ]
    assert audit.audit_page(c.pengelola, audit.Filter(jenis="talenta")).entries == []
    # The nightly recomputation keeps the committee's box.
    services.penempatan_hitung(today=timezone.localdate())
    assert PenempatanTalenta.objects.get(pk=penempatan.pk).kotak == 8


def test_the_service_refuses_a_calibration_without_reason(cast, place):
    penempatan = place(cast.pegawai_pegawai)
    with pytest.raises(ValidationError, match="alasan"):
        services.penempatan_calibrate(penempatan=penempatan, kotak=9, alasan="", by=cast.admin)


def test_a_committee_member_does_not_calibrate_their_own_placement(
    client, login, cast, place, komite
):
    penempatan = place(cast.pegawai_pegawai)
    AnggotaKomiteTalenta.objects.create(user=cast.pegawai, ditambah_oleh=cast.admin)
    login(cast.pegawai)
    url = reverse("pembinaan:penempatan_calibrate", args=[penempatan.pk])
    response = client.post(url, {"kotak": "9", "alasan": "Saya layak"})
    assert response.status_code == 403
    penempatan.refresh_from_db()
    assert penempatan.kotak_kalibrasi is None


# --- Who sees talent data --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("pegawai", 403), ("rekan", 403), ("atasan", 403), ("pengelola", 403),
     ("pengelola_pegawai", 403), ("pengelola_lain", 403), ("provinsi", 200), ("admin", 200),
     ("komite", 200)],
)  # fmt: skip
def test_talent_pages_are_for_admins_province_hr_and_the_committee(
    client, cast_lengkap, place, komite, role, status
):
    penempatan = place(cast_lengkap.pegawai_pegawai)
    user = komite if role == "komite" else getattr(cast_lengkap, role)
    client.force_login(user)
    for name, args in [("pembinaan:talenta_index", []), ("pembinaan:penempatan_list", []),
                       ("pembinaan:talenta_pool", []), ("pembinaan:kritikal_list", []),
                       ("pembinaan:penempatan_detail", [penempatan.pk])]:  # fmt: skip
        assert client.get(reverse(name, args=args)).status_code == status, name


def test_a_pegawai_sees_their_own_box_only_when_the_province_shows_it(login, cast, place, settings):
    place(cast.pegawai_pegawai, "di_atas", "tinggi")
    client = login(cast.pegawai)
    url = reverse("pembinaan:talenta_saya")
    settings.TALENTA_TERLIHAT_PEGAWAI = False
    hidden = client.get(url)
    assert hidden.status_code == 403
    assert "Kotak talenta saya" not in client.get("/").content.decode()
    settings.TALENTA_TERLIHAT_PEGAWAI = True
    shown = client.get(url)
    assert shown.status_code == 200 and "Kotak 9" in shown.content.decode()
    assert "Kotak talenta saya" in client.get("/").content.decode()
    # Their own box, never a colleague's list.
    assert client.get(reverse("pembinaan:penempatan_list")).status_code == 403


# --- Import, exports, chart -------------------------------------------------------------------


def _upload(rows: list[list[str]]) -> SimpleUploadedFile:
    text = "\n".join(";".join(row) for row in [talenta.KOLOM_IMPOR, *rows])  # Excel (id)
    return SimpleUploadedFile("potensial.csv", text.encode(), content_type="text/csv")


def test_the_import_saves_all_rows_or_none_and_names_each_bad_row(
    client, login, cast_lengkap, place
):
    c = cast_lengkap
    place(c.pegawai_pegawai, "di_atas", "rendah", compute=False)
    Potensial.objects.all().delete()
    login(c.provinsi)
    url = reverse("pembinaan:potensial_import")
    bad = client.post(url, {"berkas": _upload([
        [c.pegawai_pegawai.nip, "15/03/2026", "assessment_center", "82,5", ""],
        ["123", "31/02/2026", "wawancara", "120", ""],
    ])})  # fmt: skip
    assert bad.context["kesalahan"] == [
        (3, "NIP 123 bukan pegawai aktif yang terdaftar; tanggal harus berformat dd/mm/yyyy, "
            "mis. 15/03/2026; sumber harus salah satu dari: uji_kompetensi, assessment_center, "
            "rekam_jejak, lainnya; skor harus angka 0 sampai 100, mis. 82,5.")
    ]  # fmt: skip
    assert not Potensial.objects.exists()
    client.post(url, {"berkas": _upload([
        [c.pegawai_pegawai.nip, "15/03/2026", "Assessment center", "82,5", "Putaran I"],
    ])})  # fmt: skip
    assert Potensial.objects.get().skor == Decimal("82.50")
    assert PenempatanTalenta.objects.get(pegawai=c.pegawai_pegawai).kotak == 9  # placed at once


def test_the_placement_export_has_the_documented_columns(login, cast, place):
    penempatan = place(cast.pegawai_pegawai, "di_atas", "tinggi")
    services.penempatan_calibrate(penempatan=penempatan, kotak=8, alasan="Uji", by=cast.admin)
    response = login(cast.admin).get(reverse("pembinaan:penempatan_list") + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == talenta.EKSPOR_PENEMPATAN
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Kotak hasil hitung"], row["Kotak kalibrasi"], row["Kotak"]) == ("9", "8", "8")
    assert (row["Kinerja"], row["Potensial"], row["Talent pool"]) == (
        "Di atas ekspektasi", "Tinggi", "ya",
    )  # fmt: skip
    assert row["OPD"] == "Dinas Kesehatan" and row["Alasan kalibrasi"] == "Uji"


def test_the_succession_export_has_the_documented_columns(login, cast_lengkap, place, kritikal):
    c = cast_lengkap
    place(c.rekan_pegawai, "di_atas", "tinggi")
    services.kandidat_add(
        jabatan_kritikal=kritikal, pegawai=c.rekan_pegawai, kesiapan="siap",
        kompetensi=Kompetensi.objects.get(kode="M.01"), level_target=4, bentuk=15, jp=12,
        by=c.provinsi,
    )  # fmt: skip
    response = login(c.provinsi).get(reverse("pembinaan:kritikal_list") + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == talenta.EKSPOR_SUKSESI
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Jabatan kritikal"], row["Unit"], row["Kotak"], row["Kesiapan"]) == (
        "Kepala Bidang Pelayanan Kesehatan", "Bidang Pelayanan Kesehatan", "9", "Siap sekarang",
    )  # fmt: skip
    assert (row["Level target"], row["Bentuk pengembangan"], row["JP"]) == ("4", "Mentoring", "12")


def test_the_chart_is_the_same_svg_in_the_page_and_the_pdf(login, cast, place):
    place(cast.pegawai_pegawai, "di_atas", "tinggi")
    place(cast.atasan_pegawai, "sesuai", "menengah")
    client = login(cast.admin)
    page = client.get(reverse("pembinaan:talenta_index"), {"unit": cast.dinkes.pk})
    svg = str(page.context["grafik"])
    assert svg.startswith("<svg") and svg in page.content.decode()
    assert (
        "<title>Kotak 9: Kinerja di atas ekspektasi dan potensial tinggi: 1 pegawai</title>" in svg
    )
    pdf = client.get(reverse("pembinaan:talenta_index"), {"unit": cast.dinkes.pk, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Manajemen talenta · Dinas Kesehatan" in text
    assert "Kotak 9" in text and "Kotak 5" in text and "Potensial" in text


# --- Query counts --------------------------------------------------------------------------


def _grow(cast, place, n):
    for i in range(n):
        pegawai = factories.pegawai(
            cast.yankes, nama=f"Talenta {i:03d}", atasan=cast.atasan_pegawai
        )
        place(pegawai, "di_atas", "tinggi", compute=False)
    services.penempatan_hitung(today=timezone.localdate())


@pytest.mark.parametrize(
    "name",
    [
        "pembinaan:penempatan_list",
        "pembinaan:talenta_pool",
        "pembinaan:talenta_index",
        "pembinaan:kritikal_list",
    ],
)
def test_the_talent_pages_cost_the_same_queries_at_two_sizes(
    login, cast, place, name, django_assert_max_num_queries
):
    client = login(cast.admin)
    url = reverse(name)
    _grow(cast, place, 3)
    with django_assert_max_num_queries(20), cold_queries() as few:
        assert client.get(url).status_code == 200
    _grow(cast, place, 30)
    with django_assert_max_num_queries(len(few.captured_queries)), cold_queries():
        assert client.get(url).status_code == 200


def test_a_critical_positions_candidates_cost_the_same_queries_at_two_sizes(
    login, cast_lengkap, place, kritikal, django_assert_max_num_queries
):
    c = cast_lengkap
    client = login(c.provinsi)
    url = reverse("pembinaan:kritikal_detail", args=[kritikal.pk])

    def add(n):
        for i in range(n):
            pegawai = factories.pegawai(c.yankes, nama=f"Calon {i}-{n}")
            place(pegawai, "di_atas", "tinggi")
            services.kandidat_add(
                jabatan_kritikal=kritikal, pegawai=pegawai, kesiapan="siap",
                kompetensi=Kompetensi.objects.first(), level_target=3, bentuk=15, jp=10,
                by=c.provinsi,
            )  # fmt: skip

    add(2)
    with django_assert_max_num_queries(20), cold_queries() as few:
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)), cold_queries():
        assert client.get(url).status_code == 200


def test_a_critical_positions_successors_are_listed_readiest_first(
    login, cast_lengkap, place, kritikal
):
    c = cast_lengkap
    for pegawai, kesiapan in [(c.pegawai_pegawai, "lebih_2_tahun"), (c.rekan_pegawai, "siap"),
                              (c.atasan_pegawai, "1_2_tahun")]:  # fmt: skip
        place(pegawai, "di_atas", "tinggi")
        services.kandidat_add(
            jabatan_kritikal=kritikal, pegawai=pegawai, kesiapan=kesiapan,
            kompetensi=Kompetensi.objects.first(), level_target=4, bentuk=15, jp=8, by=c.provinsi,
        )  # fmt: skip
    page = login(c.provinsi).get(reverse("pembinaan:kritikal_detail", args=[kritikal.pk]))
    assert [k.kesiapan for k in page.context["kandidat"]] == ["siap", "1_2_tahun", "lebih_2_tahun"]


def test_a_critical_positions_unit_is_shown_with_its_path(client, login, cast_lengkap, kritikal):
    login(cast_lengkap.provinsi)
    page = client.get(reverse("pembinaan:kritikal_list")).content.decode()
    assert "<td>Dinas Kesehatan › Bidang Pelayanan Kesehatan</td>" in page
    assert str(kritikal).endswith("– Dinas Kesehatan › Bidang Pelayanan Kesehatan")


def test_without_script_the_unit_is_walked_down_to_and_nothing_is_saved(
    client, login, cast_lengkap
):
    """Over more units than a select lists, "Tampilkan sub-unit" brings the form back with the
    chosen unit's sub-units listed: the form is not saved, nor sent away to the empty list."""
    seksi = [
        factories.unit(f"BKD.S{n}", f"Seksi {n}", parent=cast_lengkap.bkd)
        for n in range(UNIT_SEMUA_MAX)
    ]
    login(cast_lengkap.provinsi)
    data = {
        "jabatan": cast_lengkap.pegawai_pegawai.jabatan_id,
        "unit": cast_lengkap.bkd.pk,
        "alasan": "Pensiun",
        "_telusuri_unit": "1",
    }
    response = client.post(reverse("pembinaan:kritikal_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    seksi_0 = ">Badan Kepegawaian Daerah › Seksi 0</option>"
    assert f'<option value="{seksi[0].pk}" data-cari-kata="BKD.S0"{seksi_0}' in page
    assert f'<option value="{cast_lengkap.bkd.pk}" selected' in page
    assert not JabatanKritikal.objects.exists()
