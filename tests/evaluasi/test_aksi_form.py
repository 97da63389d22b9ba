"""The project form offers the pegawai's trainings that require a project and have none yet."""

from datetime import date

from evaluasi.forms import AksiForm
from evaluasi.models import AksiPerubahan
from pelatihan import services as pelatihan_services
from tests import factories


def test_the_form_offers_the_trainings_still_without_a_project(cast):
    pkp = factories.pelatihan(nama="PKP", wajib_aksi_perubahan=True)
    first = pelatihan_services.peserta_nominate(
        angkatan=factories.angkatan(pkp), pegawai=cast.pegawai_pegawai
    )
    second = pelatihan_services.peserta_nominate(
        angkatan=factories.angkatan(pkp, mulai=date(2026, 5, 4), selesai=date(2026, 5, 8)),
        pegawai=cast.pegawai_pegawai,
    )
    fields = {
        "masalah": "m", "layanan": "l", "inovasi": "i", "manfaat": "m",
        "mentor": cast.atasan_pegawai, "tanggal_mulai": date(2026, 1, 1),
        "pegawai": cast.pegawai_pegawai, "unit": cast.yankes,
    }  # fmt: skip
    AksiPerubahan.objects.create(judul="Mandiri", **fields)  # an own innovation, no training
    AksiPerubahan.objects.create(judul="Untuk PKP", peserta=first, **fields)
    offered = list(AksiForm(pegawai=cast.pegawai_pegawai).fields["peserta"].queryset)
    assert offered == [second]
