"""The program pages: managers read them, only administrators change them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pembinaan import services
from pembinaan.models import CapaianTarget, ProgramPembinaan
from pembinaan.tasks import capaian_program_task

ROLES = ["pegawai", "atasan", "outsider", "pengelola", "admin"]


@pytest.fixture
def program(cast):
    return services.program_create(tahun=2026, by=cast.admin)


@pytest.mark.parametrize("name", ["pembinaan:program_list", "pembinaan:program_detail"])
def test_managers_read_the_program_and_others_are_refused(client, cast, program, name):
    url = reverse(name, args=[program.pk] if name.endswith("detail") else [])
    seen = {}
    for role in ROLES:
        client.force_login(getattr(cast, role))
        seen[role] = client.get(url).status_code
    assert seen == {"pegawai": 403, "atasan": 403, "outsider": 403, "pengelola": 200, "admin": 200}
    client.logout()
    assert client.get(url).status_code == 302


def test_the_page_shows_each_target_against_its_actual(login, cast, program):
    page = login(cast.pengelola).get(reverse("pembinaan:program_detail", args=[program.pk]))
    body = page.content.decode()
    assert "Meningkatkan kompetensi ASN" in body and "PNS dengan ≥ 20 JP" in body
    assert len(page.context["rows"]) == program.target.count() and "<svg" in body


def test_an_administrator_creates_a_year_once(login, cast):
    client = login(cast.admin)
    client.post(reverse("pembinaan:program_create"), {"tahun": "2027"})
    client.post(reverse("pembinaan:program_create"), {"tahun": "2027"})
    client.post(reverse("pembinaan:program_create"), {"tahun": "dua ribu"})
    assert list(ProgramPembinaan.objects.values_list("tahun", flat=True)) == [2027]
    assert (
        login(cast.pengelola)
        .post(reverse("pembinaan:program_create"), {"tahun": "2028"})
        .status_code
        == 403
    )


def test_a_target_value_takes_the_indonesian_comma_and_refuses_words(login, cast, program):
    target = program.target.get(indikator="skor_iklim")
    url = reverse("pembinaan:target_update", args=[target.pk])
    login(cast.admin).post(url, {"nilai_target": "4,2"})
    target.refresh_from_db()
    assert target.nilai_target == Decimal("4.2")
    login(cast.admin).post(url, {"nilai_target": "tinggi"})
    target.refresh_from_db()
    assert target.nilai_target == Decimal("4.2")
    assert login(cast.pengelola).post(url, {"nilai_target": "1"}).status_code == 403


@pytest.mark.parametrize(
    "indikator, value, message",
    [
        ("pns_20_jp", "150", "Target persentase harus antara 0 dan 100."),
        ("pns_20_jp", "-5", "Target persentase harus antara 0 dan 100."),
        ("pegawai_dilatih", "-1", "Target jumlah orang tidak boleh negatif."),
        ("skor_iklim", "7", "Target skor 1–5 harus antara 1 dan 5."),
        ("ikm", "10", "Target nilai 25–100 harus antara 25 dan 100."),
    ],
)
def test_a_target_outside_its_indicators_range_is_refused(
    login, cast, program, indikator, value, message
):
    target = program.target.get(indikator=indikator)
    before = target.nilai_target
    url = reverse("pembinaan:target_update", args=[target.pk])
    page = login(cast.admin).post(url, {"nilai_target": value}, follow=True)
    assert message in [str(m) for m in page.context["messages"]]
    target.refresh_from_db()
    assert target.nilai_target == before


def test_a_refresh_queues_the_task_that_computes_this_months_figures(
    login, cast, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        login(cast.admin).post(reverse("pembinaan:capaian_refresh", args=[program.pk]))
    assert len(callbacks) == 1  # enqueued once the request's transaction commits
    capaian_program_task(program.pk)  # what the worker runs
    assert CapaianTarget.objects.filter(target__program=program).count() == program.target.count()


@pytest.mark.parametrize("name", ["program_create", "target_update", "capaian_refresh"])
def test_changes_are_post_only(login, cast, program, name):
    args = [] if name == "program_create" else [program.target.first().pk]
    if name == "capaian_refresh":
        args = [program.pk]
    assert login(cast.admin).get(reverse(f"pembinaan:{name}", args=args)).status_code == 405
