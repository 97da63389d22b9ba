"""The task inbox: everything that waits for the signed-in login, across the apps (issue 19).
Each app names its kinds in its own `tugas.py` (pembinaan.lib.inbox explains the shape)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from evaluasi.tugas import JENIS as EVALUASI
from masyarakat.tugas import JENIS as MASYARAKAT
from pegawai.models import tanggal_libur
from pegawai.tugas import JENIS as PEGAWAI
from pelatihan.tugas import JENIS as PELATIHAN

from .lib.inbox import PERAN, Jenis, Tugas
from .models import LaporanMonitoring

# How many items of each kind the inbox lists; the rest are behind the kind's own list.
PER_JENIS = 25


def _laporan_gagal(user, today):
    if not user.manages_province:
        return None
    return LaporanMonitoring.objects.filter(status=LaporanMonitoring.Status.GAGAL).order_by(
        "created_at"
    )


def _laporan_gagal_item(laporan, today):
    return Tugas(
        judul=f"Laporan monitoring gagal dibuat: {laporan}",
        url=laporan.get_absolute_url(),
        sejak=timezone.localdate(laporan.created_at),
        keterangan=laporan.pesan_gagal[:200] if laporan.pesan_gagal else "",
    )


JENIS: list[Jenis] = [
    *PEGAWAI,
    *PELATIHAN,
    *EVALUASI,
    *MASYARAKAT,
    Jenis("monitoring_gagal", "Laporan monitoring gagal", "pengelola", _laporan_gagal,
          _laporan_gagal_item),
]  # fmt: skip


@dataclass
class Kelompok:
    jenis: Jenis
    jumlah: int
    items: list[tuple[Tugas, bool]]  # each with whether it is overdue
    terlambat: int

    @property
    def peran_label(self) -> str:
        return PERAN[self.jenis.peran]

    @property
    def lainnya(self) -> int:
        return self.jumlah - len(self.items)


def jumlah_tugas(user, today: date) -> int:
    """The top bar's count: one query, whatever the number of kinds and items (the kinds that
    apply to this login, counted together as one UNION ALL of their keys)."""
    keys = []
    for jenis in JENIS:
        rows = None if jenis.ikuti else jenis.rows(user, today)
        if rows is not None:
            keys.append(rows.order_by().values_list("pk"))
    if not keys:
        return 0
    first, *rest = keys
    return first.union(*rest, all=True).count()


def daftar_tugas(user, today: date, *, per_jenis: int = PER_JENIS) -> list[Kelompok]:
    """The inbox: the kinds with items, those with overdue items first, then the oldest."""
    groups = []
    libur = None
    for jenis in JENIS:
        rows = jenis.rows(user, today)
        if rows is None:
            continue
        count = rows.count()
        if not count:
            continue
        if jenis.hari_kerja:
            libur = tanggal_libur() if libur is None else libur
            items = [jenis.item(row, today, libur) for row in rows[:per_jenis]]
        else:
            items = [jenis.item(row, today) for row in rows[:per_jenis]]
        flagged = [(item, item.terlambat(today)) for item in items]
        groups.append(Kelompok(jenis, count, flagged, sum(late for _, late in flagged)))
    groups.sort(key=lambda group: (group.jenis.ikuti, not group.terlambat, _oldest(group)))
    return groups


def _oldest(group: Kelompok) -> date:
    days = [item.jatuh_tempo or item.sejak for item, _ in group.items]
    return min((day for day in days if day is not None), default=date.max)
