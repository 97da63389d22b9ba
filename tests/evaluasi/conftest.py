import pytest

from evaluasi import services
from evaluasi.models import LaporanPascaPelatihan
from pelatihan import services as pelatihan_services
from tests import factories


@pytest.fixture
def laporan(cast, finished):
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    services.laporan_sync(pegawai=cast.pegawai_pegawai)
    return LaporanPascaPelatihan.objects.get()


@pytest.fixture
def finished(cast):
    batch = factories.angkatan(kuota=5)
    participant = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    batch.status = "berjalan"
    batch.save()
    for sesi in batch.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={participant.pk})
    participant.nilai_post = 90
    participant.save()
    return participant
