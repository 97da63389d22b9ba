import secrets
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from masyarakat import rekap
from masyarakat.models import ResponSurvei, UnitLayanan
from masyarakat.referensi import KEYS
from tests.queries import cold_queries


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum RSUD", kode="poli-umum")


def answers(**overrides) -> dict:
    """One form load's answers: each call has its own one-time token."""
    return {
        "token": secrets.token_urlsafe(16),
        "usia": "30_39",
        "jenis_kelamin": "P",
        "pendidikan": "s1",
        "pekerjaan": "swasta",
        **dict.fromkeys(KEYS, "4"),
        "saran": "",
    } | overrides


def test_a_citizen_fills_in_the_survey_without_an_account(client, layanan):
    url = reverse("masyarakat:survei", args=["poli-umum"])
    assert client.get(url).status_code == 200
    response = client.post(url, answers(u4=""))
    assert response["Location"] == reverse("masyarakat:survei_terima_kasih", args=["poli-umum"])
    respon = ResponSurvei.objects.get()
    assert (respon.u1, respon.u4, respon.sumber) == (4, None, "daring")


@pytest.mark.parametrize("value", ["5", "0", "-1", "empat"])
def test_answers_outside_1_to_4_are_rejected_and_nothing_saved(client, layanan, value):
    response = client.post(reverse("masyarakat:survei", args=["poli-umum"]), answers(u3=value))
    assert "Pilih salah satu jawaban 1–4" in response.content.decode()
    assert not ResponSurvei.objects.exists()


def test_an_unanswered_required_element_is_explained(client, layanan):
    response = client.post(reverse("masyarakat:survei", args=["poli-umum"]), answers(u1=""))
    assert response.status_code == 200 and "u1" in response.context["form"].errors


def test_one_form_load_counts_once_however_often_it_is_sent(client, layanan):
    url = reverse("masyarakat:survei", args=["poli-umum"])
    sent = answers()
    for _ in range(3):
        assert client.post(url, sent).status_code == 302  # a quiet thank-you each time
    assert ResponSurvei.objects.count() == 1


def test_a_survey_sent_without_its_form_token_asks_to_reload_and_saves_nothing(client, layanan):
    url = reverse("masyarakat:survei", args=["poli-umum"])
    response = client.post(url, answers(token=""))
    assert "Muat ulang halaman" in response.content.decode()
    assert not ResponSurvei.objects.exists()
    token = response.context["form"]["token"].value()
    assert client.post(url, answers(token=token)).status_code == 302  # the renewed token counts
    assert ResponSurvei.objects.count() == 1


def test_the_honeypot_pretends_success_and_saves_nothing(client, layanan):
    response = client.post(
        reverse("masyarakat:survei", args=["poli-umum"]), answers(situs_web="http://spam")
    )
    assert response.status_code == 302 and not ResponSurvei.objects.exists()


def test_more_than_five_submissions_an_hour_from_one_address_are_refused(client, layanan):
    url = reverse("masyarakat:survei", args=["poli-umum"])
    for _ in range(5):
        assert client.post(url, answers()).status_code == 302
    refused = client.post(url, answers())
    assert refused.status_code == 429 and "Terlalu banyak" in refused.content.decode()
    assert ResponSurvei.objects.count() == 5
    other = client.post(url, answers(), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302


def test_a_form_with_errors_is_not_counted_against_the_hourly_bound(client, layanan):
    url = reverse("masyarakat:survei", args=["poli-umum"])
    for _ in range(6):  # a citizen correcting their answers
        response = client.post(url, answers(u1=""))
        assert response.status_code == 200 and response.context["form"].errors
    for _ in range(5):
        assert client.post(url, answers()).status_code == 302
    assert client.post(url, answers()).status_code == 429
    assert ResponSurvei.objects.count() == 5


def test_a_refused_submission_says_how_long_to_wait(client, layanan, settings, time_machine):
    # A cache that expires by the moved clock (Redis, under CI, keeps its own).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PUBLIC_FORMS_PER_HOUR = 1
    time_machine.move_to("2026-05-04 09:00:00+07:00", tick=False)
    url = reverse("masyarakat:survei", args=["poli-umum"])
    assert client.post(url, answers()).status_code == 302
    time_machine.shift(20 * 60 + 30)
    refused = client.post(url, answers())
    assert refused.status_code == 429 and refused["Retry-After"] == str(39 * 60 + 30)
    assert "Silakan coba lagi dalam 40 menit." in refused.content.decode()
    time_machine.shift(39 * 60 + 30)
    assert client.post(url, answers()).status_code == 302


def test_what_a_citizen_writes_is_never_rendered_as_html(login, cast, layanan, client):
    client.post(
        reverse("masyarakat:survei", args=["poli-umum"]), answers(saran="<script>alert(1)</script>")
    )
    assert ResponSurvei.objects.get().saran == "<script>alert(1)</script>"
    page = login(cast.admin).get(
        f"/admin/masyarakat/responsurvei/{ResponSurvei.objects.get().pk}/change/"
    )
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_an_unknown_or_inactive_unit_has_no_survey(client, layanan):
    assert client.get(reverse("masyarakat:survei", args=["tidak-ada"])).status_code == 404
    layanan.aktif = False
    layanan.save()
    assert client.get(reverse("masyarakat:survei", args=["poli-umum"])).status_code == 404


def respond(layanan, day, value, n):
    """n responses written as the paper import writes them, rollup included."""
    rows = ResponSurvei.objects.bulk_create(
        ResponSurvei(
            unit_layanan=layanan,
            tanggal=day,
            usia="30_39",
            jenis_kelamin="L",
            pendidikan="s1",
            pekerjaan="swasta",
            **dict.fromkeys(KEYS, value),
        )
        for _ in range(n)
    )
    rekap.tambah(rows)


def test_hr_sees_the_ikm_of_a_unit_and_period(login, cast, layanan):
    respond(layanan, date(2026, 2, 10), 4, 30)
    respond(layanan, date(2026, 5, 10), 1, 10)  # the next quarter: not counted
    page = login(cast.pengelola).get(
        reverse("masyarakat:ikm"),
        {"unit": layanan.pk, "jenis": "triwulan", "tahun": 2026, "ke": 1, "populasi": 50},
    )
    hasil = page.context["hasil"]
    assert (hasil.responden, hasil.konversi, hasil.mutu) == (30, Decimal("100.00"), "A")
    assert page.context["minimum"] == 44 and not page.context["cukup"]
    assert "sampel belum memadai" in page.content.decode()


def test_the_ikm_exports_to_xlsx(login, cast, layanan):
    import io

    respond(layanan, date(2026, 2, 10), 3, 4)
    response = login(cast.pengelola).get(
        reverse("masyarakat:ikm"), {"unit": layanan.pk, "tahun": 2026, "ke": 1, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "U1" and sheet["C2"].value == 3
    assert [c.value for c in sheet["A"]].index("IKM konversi") > 9
    # Text as text and figures as numbers; nothing in it is a formula.
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s", "n"}
    assert all(isinstance(c.value, int | float) for c in cells if c.column == 3 and c.row > 1)
    # Two decimals shown as the page shows them (85,10, not 85,1).
    konversi = next(row for row in sheet.iter_rows() if row[0].value == "IKM konversi")[1]
    assert konversi.number_format == "#,##0.00"
    assert {c.number_format for c in cells if c.column == 3 and c.row > 1} == {"#,##0.00"}


def test_the_ikm_page_is_for_hr_of_the_unit(login, cast, layanan):
    assert login(cast.pegawai).get(reverse("masyarakat:ikm")).status_code == 403
    other = cast.admin.__class__.objects.create_user("pengelola_bkd", password="x")
    cast.bkd.pengelola.add(other)
    assert login(other).get(reverse("masyarakat:ikm")).context["units"] == []


def test_the_ikm_page_makes_the_same_queries_for_few_and_many_responses(
    login, cast, layanan, django_assert_max_num_queries
):

    client = login(cast.pengelola)
    params = {"unit": layanan.pk, "tahun": 2026, "ke": 1}
    respond(layanan, date(2026, 2, 1), 3, 5)
    with cold_queries() as few:
        client.get(reverse("masyarakat:ikm"), params)
    respond(layanan, date(2026, 2, 1), 2, 500)
    with django_assert_max_num_queries(8), cold_queries() as many:
        assert client.get(reverse("masyarakat:ikm"), params).status_code == 200
    assert len(many) == len(few)


def test_the_ikm_exports_to_pdf_with_its_figures(login, cast, layanan):
    import io

    from pypdf import PdfReader

    respond(layanan, date(2026, 2, 10), 4, 9)
    response = login(cast.pengelola).get(
        reverse("masyarakat:ikm"),
        {"unit": layanan.pk, "tahun": 2026, "ke": 1, "format": "pdf", "populasi": 50},
    )
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    for fact in (
        "Poli Umum RSUD",
        "01/01/2026 – 31/03/2026",
        "100,00",
        "9 responden",
        "sampel minimal 44",
        "sampel belum memadai",
        "U1 Persyaratan",
    ):
        assert fact in text, fact


def test_the_ikm_page_opens_on_the_current_quarter(login, cast, layanan):
    today = timezone.localdate()
    client = login(cast.pengelola)
    page = client.get(reverse("masyarakat:ikm"))
    assert page.context["jenis"] == "triwulan"
    assert page.context["ke"] == (today.month - 1) // 3 + 1
    assert page.context["start"] <= today <= page.context["end"]
    semester = client.get(reverse("masyarakat:ikm"), {"jenis": "semester"}).context
    assert semester["start"] <= today <= semester["end"]
    # Another year opens on its first quarter; a period asked for is kept.
    assert client.get(reverse("masyarakat:ikm"), {"tahun": today.year - 1}).context["ke"] == 1
    assert client.get(reverse("masyarakat:ikm"), {"ke": 2}).context["ke"] == 2


def test_the_ikm_chart_writes_each_nrr_with_two_decimals_and_a_comma(login, cast, layanan):
    respond(layanan, date(2026, 2, 10), 4, 3)
    respond(layanan, date(2026, 2, 11), 3, 2)  # NRR (3 × 4 + 2 × 3) / 5 = 3,60
    page = login(cast.pengelola).get(
        reverse("masyarakat:ikm"), {"unit": layanan.pk, "tahun": 2026, "ke": 1}
    )
    chart = str(page.context["grafik"])
    assert "3,60" in chart and "3.6" not in chart
