"""Writes to performance evaluation: opening and closing periods, ratings, acknowledgements."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pegawai.models import Pegawai, UnitKerja, User

from .models import PenilaianKinerja, PeriodePenilaian, PeriodeUnit
from .reports import pegawai_dalam_periode


@transaction.atomic
def periode_open(
    *, periode: PeriodePenilaian, units: list[UnitKerja], by: User
) -> PeriodePenilaian:
    if not units:
        raise ValidationError("Pilih paling sedikit satu unit.")
    outside = [u for u in units if not by.can_manage_unit(u)]
    if outside:
        raise ValidationError(f"{outside[0].nama} bukan unit kelolaan Anda.")
    periode.dibuka_oleh = by
    periode.status = PeriodePenilaian.Status.DIBUKA
    periode.full_clean()
    periode.save()
    PeriodeUnit.objects.bulk_create(PeriodeUnit(periode=periode, unit=unit) for unit in units)
    return periode


def periode_close(*, periode: PeriodePenilaian) -> PeriodePenilaian:
    periode.status = PeriodePenilaian.Status.DITUTUP
    periode.save(update_fields=["status"])
    return periode


@transaction.atomic
def penilaian_save(
    *,
    periode: PeriodePenilaian,
    pegawai: Pegawai,
    penilai: Pegawai,
    hasil_kerja: str,
    perilaku_kerja: str,
    catatan: str = "",
) -> PenilaianKinerja:
    """The direct atasan rates a subordinate. Rating again replaces the rating and asks the
    pegawai to acknowledge it anew."""
    periode = PeriodePenilaian.objects.select_for_update().get(pk=periode.pk)
    if not periode.is_open:
        raise ValidationError("Periode ini sudah ditutup; penilaian tidak dapat diubah.")
    if pegawai.atasan_id != penilai.pk:
        raise ValidationError("Hanya atasan langsung yang dapat menilai pegawai ini.")
    if not pegawai_dalam_periode(periode).filter(pk=pegawai.pk).exists():
        raise ValidationError(f"{pegawai.nama_lengkap} tidak termasuk unit periode ini.")
    penilaian = PenilaianKinerja.objects.filter(periode=periode, pegawai=pegawai).first()
    penilaian = penilaian or PenilaianKinerja(periode=periode, pegawai=pegawai)
    penilaian.penilai = penilai
    penilaian.hasil_kerja = hasil_kerja
    penilaian.perilaku_kerja = perilaku_kerja
    penilaian.catatan = catatan
    penilaian.jabatan_id = pegawai.jabatan_id
    penilaian.diketahui_at = None
    penilaian.full_clean(exclude=["predikat"])
    penilaian.save()
    return penilaian


def penilaian_acknowledge(*, penilaian: PenilaianKinerja) -> PenilaianKinerja:
    if penilaian.diketahui_at is None:
        penilaian.diketahui_at = timezone.now()
        penilaian.save(update_fields=["diketahui_at"])
    return penilaian
