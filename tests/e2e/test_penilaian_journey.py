"""An atasan rates five subordinates in one go, in headless Chromium: nothing is chosen at first,
a row saved alone (htmx) leaves the other rows' unsaved choices in place, a half-filled row
saves nothing, and "Simpan semua" saves the rest."""

import pytest

from evaluasi.models import PenilaianKinerja
from tests import factories
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_atasan_rates_five_subordinates_in_one_go(page, live_server, cast):
    more = [
        factories.pegawai(cast.yankes, nama=nama, atasan=cast.atasan_pegawai)
        for nama in ["Ani Satu", "Citra Dua", "Dodi Tiga", "Eka Empat"]
    ]
    bawahan = [cast.pegawai_pegawai, *more]
    periode = factories.periode(cast)
    refused = []  # the row saved in place goes through htmx, under the enforced policy
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, live_server, "atasan")
    page.goto(f"{live_server.url}/evaluasi/periode/{periode.pk}/nilai/")

    def hasil(p):
        return page.get_by_label(f"Hasil kerja {p.nama_lengkap}", exact=True)

    def perilaku(p):
        return page.get_by_label(f"Perilaku kerja {p.nama_lengkap}", exact=True)

    for person in bawahan:  # nothing chosen: an unrated pegawai is not silently "Baik"
        assert hasil(person).input_value() == "" and perilaku(person).input_value() == ""

    choices = {
        bawahan[0]: ("di_atas", "di_atas"),
        bawahan[1]: ("sesuai", "sesuai"),
        bawahan[2]: ("di_bawah", "sesuai"),
        bawahan[3]: ("sesuai", "di_atas"),
        bawahan[4]: ("di_atas", "sesuai"),
    }
    for person, (h, p) in list(choices.items())[:4]:
        hasil(person).select_option(h)
        perilaku(person).select_option(p)

    # One row saved alone: answered in place, the others keep what was chosen.
    last = bawahan[4]
    hasil(last).select_option(choices[last][0])
    perilaku(last).select_option(choices[last][1])
    page.get_by_role("button", name=f"Simpan baris ini ({last.nama_lengkap})").click()
    page.locator(f"#baris-{last.pk}").get_by_text("Tersimpan: Baik").wait_for()
    assert [r.pegawai for r in PenilaianKinerja.objects.all()] == [last]
    assert hasil(bawahan[0]).input_value() == "di_atas"

    # A half-filled row: nothing is saved, and the choices are still there.
    perilaku(bawahan[1]).select_option("")
    page.get_by_role("button", name="Simpan semua").click()
    page.get_by_text("Tidak ada yang disimpan; perbaiki baris berikut:").wait_for()
    assert PenilaianKinerja.objects.count() == 1
    assert hasil(bawahan[0]).input_value() == "di_atas"

    perilaku(bawahan[1]).select_option("sesuai")
    page.get_by_role("button", name="Simpan semua").click()
    page.get_by_text("4 penilaian disimpan").wait_for()
    saved = {r.pegawai: (r.hasil_kerja, r.perilaku_kerja) for r in PenilaianKinerja.objects.all()}
    assert saved == choices
    assert page.locator(".baris-penilaian", has_text="belum dinilai").count() == 0
    assert refused == []
