"""The province's HR officer makes the accounts of a whole unit: finds the unit by typing part
of its OPD path in the unit select's search box, checks what will happen, confirms, and the
invitations leave."""

import pytest
from django.core import mail

from pegawai.models import Pegawai
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_province_hr_finds_a_unit_by_its_path_and_makes_its_accounts(
    page, live_server, cast, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    factories.user("provinsi", pengelola_provinsi=True)
    # Two units with the same leaf name: only the path tells them apart.
    seksi = factories.unit("DINKES.YANKES.EV", "Seksi Evaluasi", parent=cast.yankes)
    factories.unit("BKD.EV", "Seksi Evaluasi", parent=cast.bkd)
    baru = factories.pegawai(seksi, nama="Rudi Baru", email="rudi@jambiprov.go.id")

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill("provinsi")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/akun/")

    search = page.get_by_label("Cari Unit kerja (termasuk sub-unit)")
    search.fill("kesehatan evaluasi")
    options = page.locator("#id_unit option")
    assert options.all_text_contents() == [
        "Semua unit",
        "Dinas Kesehatan › Bidang Pelayanan Kesehatan › Seksi Evaluasi",
    ]
    assert page.get_by_role("status").filter(has_text="1 unit cocok").count() == 1
    search.press("Enter")
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_role("link", name="Buat akun untuk 1 pegawai ini").click()
    page.get_by_role("button", name="Buat 1 akun dan kirim undangan").click()
    page.get_by_text("1 akun dibuat").wait_for()

    assert Pegawai.objects.get(pk=baru.pk).user.username == baru.nip
    assert [m.to for m in mail.outbox] == [["rudi@jambiprov.go.id"]]
