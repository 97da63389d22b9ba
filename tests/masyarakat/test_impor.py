from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masyarakat.impor import KOLOM
from masyarakat.models import ResponSurvei, UnitLayanan
from tests.files import xlsx_by_hand, xlsx_row

URL = reverse("masyarakat:survei_impor")


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")


def csv(*rows: str, header: str = ",".join(KOLOM)) -> SimpleUploadedFile:
    return SimpleUploadedFile("kertas.csv", "\n".join([header, *rows]).encode())


GOOD = "34,P,s1,swasta,4,3,3,,4,4,4,3,3,Bagus"


def post(client, layanan, upload):
    return client.post(URL, {"unit_layanan": layanan.pk, "tanggal": "2026-03-15", "file": upload})


def test_paper_responses_are_imported_into_the_chosen_unit_and_date(login, cast, layanan):
    response = post(login(cast.pengelola), layanan, csv(GOOD, "65,L,sma,petani,3,3,3,3,3,3,3,3,3,"))
    assert response.status_code == 302
    rows = list(ResponSurvei.objects.order_by("pk"))
    assert [(r.usia, r.u4, r.sumber, r.tanggal) for r in rows] == [
        ("30_39", None, "kertas", date(2026, 3, 15)),
        ("60", 3, "kertas", date(2026, 3, 15)),
    ]


def test_every_bad_row_is_named_and_nothing_is_saved(login, cast, layanan):
    response = post(
        login(cast.pengelola),
        layanan,
        csv(GOOD, "abc,X,s1,swasta,4,4,4,4,5,4,4,4,4,", "40,L,kuliah,swasta,4,4,4,4,4,4,4,4,0,"),
    )
    assert [(b, k) for b, k, _ in response.context["kesalahan"]] == [
        (3, "usia"),
        (3, "jenis_kelamin"),
        (3, "u5"),
        (4, "pendidikan"),
        (4, "u9"),
    ]
    assert not ResponSurvei.objects.exists()


def test_a_missing_column_is_reported_on_the_header(login, cast, layanan):
    response = post(login(cast.pengelola), layanan, csv(GOOD, header="usia,jenis_kelamin"))
    assert (1, "pendidikan") in [(b, k) for b, k, _ in response.context["kesalahan"]]


def test_a_unit_outside_the_officers_scope_cannot_be_chosen(login, cast, layanan):
    other = UnitLayanan.objects.create(unit=cast.bkd, nama="Layanan BKD", kode="bkd")
    response = post(login(cast.pengelola), other, csv(GOOD))
    assert "unit_layanan" in response.context["form"].errors and not ResponSurvei.objects.exists()


def test_the_import_is_for_hr(login, cast):
    assert login(cast.pegawai).get(URL).status_code == 403
    assert login(cast.pengelola).get(reverse("masyarakat:survei_impor_templat")).status_code == 200


def test_a_workbook_declaring_the_whole_sheet_is_refused_before_it_is_read(
    login, cast, layanan, monkeypatch
):
    monkeypatch.setattr("pembinaan.lib.tabular.load_workbook", None)  # never reached
    bomb = SimpleUploadedFile(
        "kertas.xlsx", xlsx_by_hand(xlsx_row(1, *KOLOM), dimension="A1:XFD1048576")
    )
    response = post(login(cast.pengelola), layanan, bomb)
    assert "menyatakan ukuran A1:XFD1048576" in response.context["form"].errors["file"][0]
    assert not ResponSurvei.objects.exists()


def test_a_workbook_of_more_rows_than_allowed_is_refused(login, cast, layanan):
    rows = "".join(xlsx_row(n, "34") for n in range(2, 5003))
    bomb = SimpleUploadedFile("kertas.xlsx", xlsx_by_hand(xlsx_row(1, *KOLOM) + rows))
    response = post(login(cast.pengelola), layanan, bomb)
    assert "lebih dari 5.000 baris" in response.context["form"].errors["file"][0]
