"""The training page shows whom the training is for."""

from django.urls import reverse

from pegawai.models import Golongan
from tests import factories


def test_the_training_page_shows_its_target_units_with_their_path_and_criteria(login, cast):
    pelatihan = factories.pelatihan()
    pelatihan.sasaran_unit.set([cast.yankes])
    pelatihan.sasaran_golongan.set([Golongan.objects.get(kode=32)])
    pelatihan.sasaran_jabatan.set([cast.pegawai_pegawai.jabatan])
    page = login(cast.pegawai).get(reverse("pelatihan:detail", args=[pelatihan.pk]))
    html = page.content.decode()
    assert "Sasaran peserta" in html
    assert "Dinas Kesehatan › Bidang Pelayanan Kesehatan" in html
    assert str(cast.pegawai_pegawai.jabatan) in html
    assert "III/b" in html
    assert "Terbuka untuk semua ASN" not in html


def test_a_training_without_criteria_says_it_is_open_to_all(login, cast):
    pelatihan = factories.pelatihan()
    page = login(cast.pegawai).get(reverse("pelatihan:detail", args=[pelatihan.pk]))
    assert "Terbuka untuk semua ASN" in page.content.decode()
