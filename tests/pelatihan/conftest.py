import pytest

from pelatihan import services
from tests import factories


@pytest.fixture
def batch(cast):
    return factories.angkatan(kuota=3)


@pytest.fixture
def finished(cast):
    """A batch under way with the pegawai registered, present every day, post-test passed."""
    batch = factories.angkatan(kuota=5)
    participant = services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    batch.status = "berjalan"
    batch.save()
    for sesi in batch.sesi.all():
        services.kehadiran_record(sesi=sesi, hadir={participant.pk})
    participant.nilai_post = 85
    participant.save()
    return participant
