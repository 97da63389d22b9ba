from datetime import date

import pytest

from evaluasi import services
from evaluasi.models import PeriodePenilaian


@pytest.fixture
def periode(cast):
    """Triwulan III 2026, opened for Dinkes by its pengelola."""
    periode = PeriodePenilaian(
        nama="Triwulan III 2026",
        jenis="triwulan",
        tanggal_mulai=date(2026, 7, 1),
        tanggal_selesai=date(2026, 9, 30),
    )
    return services.periode_open(periode=periode, units=[cast.dinkes], by=cast.pengelola)
