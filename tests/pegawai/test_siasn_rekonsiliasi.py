"""Reconciling SIASN's employee export with SIBINA (pegawai.siasn, docs/siasn.md): each kind of
difference, the uploader's scope, bad files, marking a difference handled, and query counts."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import reset_queries
from django.urls import reverse

from pegawai import siasn
from pegawai.models import Golongan, Pegawai, RekonsiliasiSiasn, SelisihSiasn
from tests import factories
from tests.queries import cold_queries

HEADER = ["PNS_ID", "NIP_BARU", "NAMA", "TANGGAL_LAHIR", "GOL_AKHIR_ID", "GOL_AKHIR_NAMA",
          "JABATAN_NAMA", "UNOR_NAMA", "UNOR_INDUK_NAMA"]  # fmt: skip
CREATE = reverse("pegawai:siasn_create")
LIST = reverse("pegawai:siasn_list")
NIP_ASING = "199001012015031001"  # nobody's in SIBINA


def row_of(pegawai: Pegawai, **changed) -> dict:
    """SIASN's row of a pegawai that agrees with SIBINA, but for `changed`."""
    values = {
        "PNS_ID": "A8ACA7",
        "NIP_BARU": pegawai.nip,
        "NAMA": pegawai.nama.upper(),
        "TANGGAL_LAHIR": f"{pegawai.tanggal_lahir:%d-%m-%Y}",
        "GOL_AKHIR_ID": str(pegawai.golongan_id),
        "GOL_AKHIR_NAMA": pegawai.golongan.ruang,
        "JABATAN_NAMA": pegawai.jabatan.nama,
        "UNOR_NAMA": pegawai.unit.nama,
        "UNOR_INDUK_NAMA": "Dinas Kesehatan",
    }
    return values | changed


def csv_upload(rows: list[dict], *, header=HEADER, delimiter=",", encoding="utf-8", name="s.csv"):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), "text/csv")


def upload(client, rows=None, *, unit=None, file=None):
    data = {"file": file or csv_upload(rows), "unit": "" if unit is None else unit.pk}
    return client.post(CREATE, data)


def kinds(rekonsiliasi: RekonsiliasiSiasn) -> set[tuple[str, str]]:
    return set(rekonsiliasi.selisih.values_list("jenis", "nip"))


@pytest.fixture
def baru(cast):
    """A pegawai of Dinas Kesehatan who is not in the SIASN file."""
    return factories.pegawai(cast.yankes, nama="Tono Baru", atasan=cast.atasan_pegawai)


# --- Each kind of difference ----------------------------------------------------------------


def test_it_lists_each_kind_of_difference_side_by_side(login, cast, baru):
    pegawai, atasan = cast.pegawai_pegawai, cast.atasan_pegawai
    pensiun = factories.pegawai(cast.yankes, nama="Purna Bakti")
    Pegawai.objects.filter(pk=pensiun.pk).update(aktif=False, alasan_nonaktif="pensiun")
    rows = [
        row_of(pegawai, GOL_AKHIR_ID="33", GOL_AKHIR_NAMA="III/c",
               JABATAN_NAMA="Perawat Ahli Pertama", TANGGAL_LAHIR="17-08-1985"),
        row_of(atasan, UNOR_NAMA="Seksi Pelayanan Kesehatan Rujukan"),
        row_of(pensiun),
        {"NIP_BARU": NIP_ASING, "NAMA": "ORANG BARU", "TANGGAL_LAHIR": "01-01-1990",
         "GOL_AKHIR_NAMA": "III/a", "JABATAN_NAMA": "Analis", "UNOR_NAMA": "Seksi Baru"},
    ]  # fmt: skip
    response = upload(login(cast.pengelola), rows, unit=cast.dinkes)

    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    assert response.status_code == 302 and response["Location"] == rekonsiliasi.get_absolute_url()
    J = SelisihSiasn.Jenis
    assert kinds(rekonsiliasi) == {
        (J.GOLONGAN, pegawai.nip), (J.JABATAN, pegawai.nip), (J.TANGGAL_LAHIR, pegawai.nip),
        (J.UNIT, atasan.nip), (J.NONAKTIF, pensiun.nip), (J.TIDAK_DI_SIBINA, NIP_ASING),
        (J.TIDAK_DI_SIASN, baru.nip),
    }  # fmt: skip
    side = {s.jenis: (s.nilai_sibina, s.nilai_siasn) for s in rekonsiliasi.selisih.all()}
    assert side[J.GOLONGAN] == ("III/b", "III/c")
    assert side[J.JABATAN] == ("Pengadministrasi Perkantoran", "Perawat Ahli Pertama")
    assert side[J.TANGGAL_LAHIR] == (f"{pegawai.tanggal_lahir:%d-%m-%Y}", "17-08-1985")
    assert side[J.UNIT] == (
        "Bidang Pelayanan Kesehatan",
        "Seksi Pelayanan Kesehatan Rujukan (Dinas Kesehatan)",
    )
    assert (rekonsiliasi.jumlah_baris, rekonsiliasi.jumlah_cocok) == (4, 3)
    assert rekonsiliasi.jumlah_pegawai == 3  # atasan, pegawai, baru: the retired one is not active


def test_names_differing_only_in_case_and_spacing_and_golongan_by_name_are_no_difference(
    login, cast
):
    pegawai = cast.pegawai_pegawai
    row = row_of(pegawai, GOL_AKHIR_ID="", GOL_AKHIR_NAMA=" iii/B ",
                 JABATAN_NAMA="  PENGADMINISTRASI   perkantoran", UNOR_NAMA="bidang pelayanan "
                 "KESEHATAN", TANGGAL_LAHIR=f"{pegawai.tanggal_lahir:%d/%m/%Y}")  # fmt: skip
    upload(login(cast.pengelola), [row, row_of(cast.atasan_pegawai)], unit=cast.dinkes)
    assert kinds(RekonsiliasiSiasn.objects.get()) == set()


def test_a_golongan_code_of_siasn_wins_over_its_name_and_a_pppk_grade_is_read_by_name(login, cast):
    pppk = factories.pegawai(cast.yankes, nama="Kontrak", status="pppk")
    rows = [
        row_of(cast.pegawai_pegawai, GOL_AKHIR_ID="34", GOL_AKHIR_NAMA=""),
        row_of(cast.atasan_pegawai),
        row_of(pppk, GOL_AKHIR_ID="A9", GOL_AKHIR_NAMA="X"),  # SIBINA has IX
    ]
    upload(login(cast.pengelola), rows, unit=cast.dinkes)
    golongan = dict(SelisihSiasn.objects.filter(jenis="golongan").values_list("nip", "nilai_siasn"))
    assert golongan == {cast.pegawai_pegawai.nip: "III/d", pppk.nip: "X"}


# --- Scope ---------------------------------------------------------------------------------


def test_a_unit_hr_learns_only_that_a_nip_of_another_unit_is_registered_elsewhere(login, cast):
    """BKD's HR uploads rows of Dinas Kesehatan's pegawai: they are told those NIPs are in
    another unit, and nothing of SIBINA's record (name, unit, jabatan, birth date) reaches them."""
    lain = factories.user("hr_bkd")
    cast.bkd.pengelola.add(lain)
    pegawai = cast.pegawai_pegawai
    rows = [
        row_of(pegawai, NAMA="B. PGW", UNOR_NAMA="Badan Kepegawaian Daerah", JABATAN_NAMA="X",
               TANGGAL_LAHIR="01-01-1960"),
        row_of(cast.outsider_pegawai, UNOR_NAMA="Badan Kepegawaian Daerah"),
    ]  # fmt: skip
    client = login(lain)
    upload(client, rows, unit=cast.bkd)

    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    assert kinds(rekonsiliasi) == {("unit_lain", pegawai.nip)}
    selisih = rekonsiliasi.selisih.get()
    assert (selisih.pegawai, selisih.nilai_sibina) == (None, "")
    page = client.get(rekonsiliasi.get_absolute_url()).content.decode()
    assert "terdaftar di unit lain" in page
    detail = reverse("pegawai:detail", args=[pegawai.pk])
    born = f"{pegawai.tanggal_lahir:%d-%m-%Y}"
    for secret in ["Budi Pegawai", "Bidang Pelayanan Kesehatan", "Pengadministrasi", born, detail]:
        assert secret not in page
    export = client.get(reverse("pegawai:siasn_export", args=[rekonsiliasi.pk]))
    assert "Budi Pegawai" not in export.getvalue().decode()


def test_the_province_compares_every_unit_and_links_only_what_its_login_may_open(login, cast):
    cast.provinsi = factories.user("provinsi", pengelola_provinsi=True)
    rows = [row_of(cast.outsider_pegawai, JABATAN_NAMA="Analis SDM Aparatur Ahli Muda")]
    client = login(cast.provinsi)
    upload(client, rows)  # the whole province

    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    assert (rekonsiliasi.unit, rekonsiliasi.cakupan) == (None, "Seluruh provinsi")
    J = SelisihSiasn.Jenis
    assert kinds(rekonsiliasi) == {
        (J.JABATAN, cast.outsider_pegawai.nip), (J.TIDAK_DI_SIASN, cast.pegawai_pegawai.nip),
        (J.TIDAK_DI_SIASN, cast.atasan_pegawai.nip),
    }  # fmt: skip
    # Pengelola provinsi do not open pegawai pages (Pegawai.objects.visible_to); the admin does.
    detail = reverse("pegawai:detail", args=[cast.outsider_pegawai.pk])
    assert detail not in client.get(rekonsiliasi.get_absolute_url()).content.decode()
    assert detail in login(cast.admin).get(rekonsiliasi.get_absolute_url()).content.decode()


def test_a_unit_hr_may_not_reconcile_another_unit_or_the_province(login, cast):
    client = login(cast.pengelola)
    for unit in [cast.bkd, None]:
        response = upload(client, [row_of(cast.pegawai_pegawai)], unit=unit)
        assert response.status_code == 200
        assert response.context["form"].errors["unit"]
    assert not RekonsiliasiSiasn.objects.exists()


def test_a_unit_hr_never_sees_another_units_reconciliation(login, cast):
    upload(login(cast.pengelola), [row_of(cast.pegawai_pegawai)], unit=cast.dinkes)
    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    selisih = rekonsiliasi.selisih.first()
    lain = factories.user("hr_bkd")
    cast.bkd.pengelola.add(lain)
    client = login(lain)
    assert "Dinas Kesehatan" not in client.get(LIST).content.decode()
    assert client.get(rekonsiliasi.get_absolute_url()).status_code == 404
    assert client.get(reverse("pegawai:siasn_export", args=[rekonsiliasi.pk])).status_code == 404
    url = reverse("pegawai:selisih_tindak_lanjut", args=[selisih.pk])
    assert client.post(url).status_code == 404
    assert not SelisihSiasn.objects.filter(ditindaklanjuti_at__isnull=False).exists()
    # A colleague of the same unit sees it and may act on it.
    rekan = factories.user("hr_dinkes_2")
    cast.dinkes.pengelola.add(rekan)
    assert login(rekan).get(rekonsiliasi.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ["pegawai", "atasan", "outsider"])
def test_pegawai_and_atasan_are_refused_every_page(login, cast, role):
    client = login(getattr(cast, role))
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert upload(client, [row_of(cast.pegawai_pegawai)], unit=cast.dinkes).status_code == 403
    assert not RekonsiliasiSiasn.objects.exists()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Bad files ------------------------------------------------------------------------------


def test_a_windows_1252_file_with_semicolons_as_siasn_downloads_open_in_excel_is_read(login, cast):
    header = ["PNS ID", "NIP BARU", "NAMA", "TANGGAL LAHIR", "GOL AKHIR ID", "GOL AKHIR NAMA",
              "JABATAN NAMA", "UNOR NAMA"]  # SIASN's own header, spaces and all  # fmt: skip
    rows = [{"NIP BARU": NIP_ASING, "NAMA": "JOSÉ ÑOÑO", "TANGGAL LAHIR": "01-01-1990",
             "GOL AKHIR ID": "31", "GOL AKHIR NAMA": "III/a", "JABATAN NAMA": "Analis",
             "UNOR NAMA": "Seksi – Umum"}]  # fmt: skip
    file = csv_upload(rows, header=header, delimiter=";", encoding="cp1252")
    upload(login(cast.pengelola), file=file, unit=cast.dinkes)
    selisih = SelisihSiasn.objects.get(jenis="tidak_di_sibina")
    assert (selisih.nama, selisih.nilai_siasn) == ("JOSÉ ÑOÑO", "Seksi – Umum")


def test_missing_columns_are_named_and_nothing_is_saved(login, cast):
    header = ["NIP_BARU", "NAMA", "JABATAN_NAMA"]
    file = csv_upload([{"NIP_BARU": NIP_ASING, "NAMA": "A"}], header=header)
    response = upload(login(cast.pengelola), file=file, unit=cast.dinkes)
    message = " ".join(response.context["form"].errors["file"])
    assert "Kolom wajib tidak ditemukan: TANGGAL_LAHIR, UNOR_NAMA, GOL_AKHIR_ID atau " in message
    assert "Kolom yang terbaca: NIP_BARU, NAMA, JABATAN_NAMA" in message
    assert not RekonsiliasiSiasn.objects.exists() and not SelisihSiasn.objects.exists()


@pytest.mark.parametrize(
    "content, said",
    [
        (b"", "kosong"),
        (b"NIP_BARU,NAMA,TANGGAL_LAHIR,GOL_AKHIR_NAMA,JABATAN_NAMA,UNOR_NAMA\n", "baris data"),
        (b"PK\x03\x04 not really a workbook", "XLSX rusak"),
        ("NIP,NAMA\n".encode("utf-16"), "bukan CSV"),
    ],
)
def test_an_unreadable_file_gets_a_message_not_an_error_page(login, cast, content, said):
    file = SimpleUploadedFile("x.csv", content, "text/csv")
    response = upload(login(cast.pengelola), file=file, unit=cast.dinkes)
    assert response.status_code == 200
    assert said in " ".join(response.context["form"].errors["file"])
    assert not RekonsiliasiSiasn.objects.exists()


def test_a_file_over_the_size_limit_is_refused(login, cast, monkeypatch):
    monkeypatch.setattr(siasn, "MAX_BYTES", 100)
    file = csv_upload([row_of(cast.pegawai_pegawai)] * 3)
    response = upload(login(cast.pengelola), file=file, unit=cast.dinkes)
    assert "terlalu besar" in " ".join(response.context["form"].errors["file"])
    assert not RekonsiliasiSiasn.objects.exists()


def test_bad_rows_are_listed_and_the_other_rows_still_compared(login, cast):
    pegawai = cast.pegawai_pegawai
    rows = [
        row_of(pegawai, TANGGAL_LAHIR="31-02-1990", JABATAN_NAMA="Perawat"),  # row 2
        {"NIP_BARU": "1,99204E+17", "NAMA": "EXCEL"},  # row 3
        {"NIP_BARU": "12345", "NAMA": "PENDEK"},  # row 4
        row_of(pegawai),  # row 5, a duplicate
        row_of(cast.atasan_pegawai, GOL_AKHIR_ID="", GOL_AKHIR_NAMA="V/z"),  # row 6
    ]
    client = login(cast.pengelola)
    upload(client, rows, unit=cast.dinkes)
    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    errors = {(k["baris"], k["kolom"]) for k in rekonsiliasi.kesalahan}
    assert errors == {(2, "TANGGAL_LAHIR"), (3, "NIP_BARU"), (4, "NIP_BARU"), (5, "NIP_BARU"),
                      (6, "GOL_AKHIR_NAMA")}  # fmt: skip
    # The readable parts of rows 2 and 6 were compared; the date and golongan were not.
    assert kinds(rekonsiliasi) == {("jabatan", pegawai.nip)}
    page = client.get(rekonsiliasi.get_absolute_url()).content.decode()
    assert "ditulis Excel sebagai angka" in page and "sudah ada di baris 2" in page


# --- Acting on the list ---------------------------------------------------------------------


def test_hr_marks_a_difference_handled_and_can_undo_it(login, cast):
    client = login(cast.pengelola)
    upload(client, [row_of(cast.pegawai_pegawai, JABATAN_NAMA="Perawat"),
                    row_of(cast.atasan_pegawai)], unit=cast.dinkes)  # fmt: skip
    selisih = SelisihSiasn.objects.get()
    url = reverse("pegawai:selisih_tindak_lanjut", args=[selisih.pk])

    response = client.post(url, {"selesai": "1", "jenis": "jabatan"})
    assert response["Location"] == selisih.rekonsiliasi.get_absolute_url() + "?jenis=jabatan"
    selisih.refresh_from_db()
    assert selisih.ditindaklanjuti_oleh == cast.pengelola and selisih.ditindaklanjuti_at
    first = selisih.ditindaklanjuti_at
    client.post(url, {"selesai": "1"})  # a second click keeps the first
    selisih.refresh_from_db()
    assert selisih.ditindaklanjuti_at == first
    sudah = client.get(selisih.rekonsiliasi.get_absolute_url(), {"status": "sudah"})
    assert [s.pk for s in sudah.context["page"]] == [selisih.pk]

    client.post(url, {"selesai": "0"})
    selisih.refresh_from_db()
    assert (selisih.ditindaklanjuti_oleh, selisih.ditindaklanjuti_at) == (None, None)
    assert client.get(url).status_code == 405


def test_an_hr_officer_does_not_mark_a_difference_about_their_own_record(login, cast):
    hr = factories.user("hr_pegawai")
    cast.dinkes.pengelola.add(hr)
    sendiri = factories.pegawai(cast.dinkes, nama="Yani HR", user=hr, gender="P")
    others = [row_of(cast.pegawai_pegawai), row_of(cast.atasan_pegawai)]
    upload(login(cast.pengelola), [row_of(sendiri, JABATAN_NAMA="Kepala")] + others,
           unit=cast.dinkes)  # fmt: skip
    selisih = SelisihSiasn.objects.get()
    client = login(hr)
    page = client.get(selisih.rekonsiliasi.get_absolute_url()).content.decode()
    assert "tidak dapat menandai selisih SIASN pada data Anda sendiri" in page
    url = reverse("pegawai:selisih_tindak_lanjut", args=[selisih.pk])
    assert client.post(url, {"selesai": "1"}).status_code == 403
    assert not SelisihSiasn.objects.filter(ditindaklanjuti_at__isnull=False).exists()


def test_the_list_filters_by_kind_and_downloads_as_csv(login, cast, baru):
    client = login(cast.pengelola)
    upload(client, [row_of(cast.pegawai_pegawai, JABATAN_NAMA="Perawat", UNOR_NAMA="Seksi A"),
                    row_of(cast.atasan_pegawai)], unit=cast.dinkes)  # fmt: skip
    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    url = rekonsiliasi.get_absolute_url()
    only_unit = client.get(url, {"jenis": "unit"}).context["page"]
    assert [s.jenis for s in only_unit] == ["unit"]
    link = reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])
    assert link in client.get(url).content.decode()  # to the page where HR corrects it

    export = reverse("pegawai:siasn_export", args=[rekonsiliasi.pk])
    lines = list(csv.reader(io.StringIO(client.get(export).getvalue().decode("utf-8-sig"))))
    assert lines[0] == ["jenis selisih", "NIP", "nama", "di SIBINA", "di SIASN",
                        "baris berkas", "ditindaklanjuti oleh", "ditindaklanjuti pada"]  # fmt: skip
    assert {line[0] for line in lines[1:]} == {"Jabatan berbeda", "Unit kerja berbeda",
                                                "Aktif di SIBINA, tidak ada di SIASN"}  # fmt: skip
    filtered = client.get(export, {"jenis": "tidak_di_siasn"}).getvalue().decode("utf-8-sig")
    assert [line[1] for line in list(csv.reader(io.StringIO(filtered)))[1:]] == [baru.nip]


def test_the_sample_file_is_a_file_the_reconciliation_reads(login, cast):
    client = login(cast.pengelola)
    content = client.get(reverse("pegawai:siasn_contoh")).getvalue()
    file = SimpleUploadedFile("contoh.csv", content, "text/csv")
    upload(client, file=file, unit=cast.dinkes)
    assert RekonsiliasiSiasn.objects.get().kesalahan == []


# --- Queries at two sizes -------------------------------------------------------------------


def make_many(unit, count: int, start: int) -> list[Pegawai]:
    golongan = Golongan.objects.get(kode=32)
    jabatan = factories.jabatan()
    people = []
    for i in range(start, start + count):
        born = date(1975, 1 + i // 999 % 12, 1)
        people.append(Pegawai(
            nip=factories.nip_for(born, date(2005, 1, 1), "L", i % 999 + 1), nama=f"Massal {i}",
            status_kepegawaian="pns", jenis_kelamin="L", tempat_lahir="Jambi",
            tanggal_lahir=born, tmt_cpns=date(2005, 1, 1), tmt_pns=date(2006, 1, 1),
            golongan=golongan, tmt_golongan=date(2019, 1, 1), jabatan=jabatan,
            tmt_jabatan=date(2020, 1, 1), unit=unit, pendidikan_terakhir="s1",
        ))  # fmt: skip
    return Pegawai.objects.bulk_create(people)


def _file_of(people, unit) -> SimpleUploadedFile:
    """Every other one with a different jabatan, and as many NIPs unknown in the unit."""
    rows = []
    for i, p in enumerate(people):
        p.unit = unit
        p.golongan = Golongan(kode=32, ruang="III/b")
        p.jabatan = factories.jabatan()
        rows.append(row_of(p, JABATAN_NAMA="Perawat" if i % 2 else p.jabatan.nama))
        rows.append({"NIP_BARU": f"19{i:016d}", "NAMA": "Luar", "UNOR_NAMA": "X"})
    return csv_upload(rows)


def without_inserts(captured) -> list[str]:
    sqls = [q["sql"] for q in captured.captured_queries]
    return [
        sql.split(" WHERE ")[0] for sql in sqls if "INSERT INTO" not in sql or "selisih" not in sql
    ]


def test_an_upload_costs_the_same_queries_at_two_sizes(login, cast, django_assert_max_num_queries):
    client = login(cast.pengelola)
    file = _file_of(make_many(cast.yankes, 10, 0), cast.yankes)
    reset_queries()  # a capture counts from the log's length, which a request start empties
    with cold_queries() as small:
        upload(client, file=file, unit=cast.dinkes)
    small_count = len(without_inserts(small))  # now: the capture reads the log when asked
    Pegawai.objects.filter(nama__startswith="Massal").delete()
    file = _file_of(make_many(cast.yankes, 400, 0), cast.yankes)
    reset_queries()
    with django_assert_max_num_queries(25), cold_queries() as large:
        response = upload(client, file=file, unit=cast.dinkes)
    assert response.status_code == 302
    assert RekonsiliasiSiasn.objects.order_by("pk").last().selisih.count() == 200 + 400 + 2
    # Beside the differences' INSERTs, in batches (of 1,000 rows on PostgreSQL; SQLite's
    # parameter limit makes them smaller), the same statements whatever the size.
    assert len(without_inserts(large)) == small_count


def test_the_result_and_list_pages_cost_the_same_queries_at_two_sizes(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.pengelola)
    upload(client, file=_file_of(make_many(cast.yankes, 5, 0), cast.yankes), unit=cast.dinkes)
    small_pk = RekonsiliasiSiasn.objects.get().pk
    upload(client, file=_file_of(make_many(cast.yankes, 300, 5), cast.yankes), unit=cast.dinkes)
    large_pk = RekonsiliasiSiasn.objects.latest("pk").pk
    counts = []
    for pk in [small_pk, large_pk]:
        reset_queries()
        with django_assert_max_num_queries(16), cold_queries() as captured:
            response = client.get(reverse("pegawai:siasn_detail", args=[pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(response.context["page"]) == 50
    assert counts[0] == counts[1]
    reset_queries()  # a capture counts from the log's length, which a request start empties
    with cold_queries() as two:
        client.get(LIST)
    two = len(two)  # now: the capture reads the log when asked
    for _ in range(5):
        upload(client, [row_of(cast.pegawai_pegawai)], unit=cast.dinkes)
    reset_queries()
    with cold_queries() as seven:
        assert len(client.get(LIST).context["page"]) == 7
    assert len(seven) == two


def test_a_file_holding_fewer_than_half_of_the_scopes_pegawai_is_flagged(login, cast, baru):
    client = login(cast.pengelola)
    upload(client, [row_of(cast.pegawai_pegawai)], unit=cast.dinkes)  # 1 of 3
    partial = RekonsiliasiSiasn.objects.get()
    assert "Hanya 1 dari 3 pegawai aktif" in client.get(partial.get_absolute_url()).content.decode()
    upload(client, [row_of(cast.pegawai_pegawai), row_of(cast.atasan_pegawai)], unit=cast.dinkes)
    whole = RekonsiliasiSiasn.objects.exclude(pk=partial.pk).get()
    assert (whole.jumlah_cocok, whole.jumlah_pegawai) == (2, 3)
    assert (
        "pegawai aktif SIBINA di cakupan ini ada di berkas"
        not in client.get(whole.get_absolute_url()).content.decode()
    )
