"""Writes to performance evaluation: opening and closing periods, ratings, acknowledgements, and
the post-training self-reports."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from pegawai.models import Pegawai, UnitKerja, User
from pelatihan.models import Peserta
from pembinaan.lib.pdf import render_pdf

from . import reports
from .models import (
    BerkasLaporan,
    LaporanPascaPelatihan,
    PartisipasiIklim,
    Pengingat,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    PutaranIklim,
    ResponIklim,
)
from .reports import pegawai_dalam_periode

logger = logging.getLogger(__name__)


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


# --- Post-training self-reports (L3) ---------------------------------------------------------

TEXT_FIELDS = ["perubahan", "contoh", "dampak", "kendala", "kebutuhan"]
REQUIRED_ON_SUBMIT = {
    "perubahan": "Tuliskan apa yang berubah dalam cara Anda bekerja.",
    "contoh": "Berikan paling sedikit satu contoh konkret.",
    "dampak": "Tuliskan dampaknya bagi pelayanan publik.",
}


def laporan_sync(*, pegawai: Pegawai | None = None) -> int:
    """Give every passed participation its self-report, due N days after the batch ends.
    Idempotent (one report per participation, by constraint): pages call it for their pegawai,
    and the daily job for everyone."""
    days = timedelta(days=settings.LAPORAN_PASCA_PELATIHAN_HARI)
    passed = Peserta.objects.filter(lulus=True, laporan__isnull=True).select_related("angkatan")
    if pegawai is not None:
        passed = passed.filter(pegawai=pegawai)
    rows = [
        LaporanPascaPelatihan(
            peserta=p, pegawai_id=p.pegawai_id, jatuh_tempo=p.angkatan.tanggal_selesai + days
        )
        for p in passed
    ]
    LaporanPascaPelatihan.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def laporan_transition(
    *, laporan: LaporanPascaPelatihan, action: str, by: User, data: dict | None = None
) -> LaporanPascaPelatihan:
    """Move a report along LaporanPascaPelatihan.TRANSITIONS: the pegawai saves and submits,
    their direct atasan returns it with a reason or verifies it with a rating."""
    data = data or {}
    laporan = (
        LaporanPascaPelatihan.objects.select_for_update()
        .select_related("pegawai")
        .get(pk=laporan.pk)
    )
    allowed = LaporanPascaPelatihan.TRANSITIONS[action]
    if laporan.status not in allowed:
        raise ValidationError(
            f"Laporan berstatus {laporan.get_status_display().lower()}; langkah ini tidak "
            "dapat dilakukan."
        )
    profil = by.pegawai_profil
    if action in LaporanPascaPelatihan.BY_PEGAWAI and laporan.pegawai.user_id != by.pk:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengisi laporannya.")
    if action in LaporanPascaPelatihan.BY_ATASAN and (
        profil is None or laporan.pegawai.atasan_id != profil.pk
    ):
        raise PermissionDenied("Hanya atasan langsung yang memverifikasi laporan ini.")
    if action in LaporanPascaPelatihan.BY_PEGAWAI:
        _fill(laporan, data)
        if action == "ajukan":
            missing = {
                f: m for f, m in REQUIRED_ON_SUBMIT.items() if not getattr(laporan, f).strip()
            }
            if missing:
                raise ValidationError(missing)
            laporan.diajukan_at = timezone.now()
    elif action == "kembalikan":
        if not (data.get("komentar") or "").strip():
            raise ValidationError({"komentar": "Tuliskan apa yang perlu diperbaiki."})
        laporan.komentar_atasan = data["komentar"].strip()
    else:
        if data.get("nilai") not in LaporanPascaPelatihan.Penilaian.values:
            raise ValidationError({"nilai": "Pilih penilaian perubahan 1–4."})
        laporan.nilai_perubahan = data["nilai"]
        laporan.komentar_atasan = (data.get("komentar") or "").strip()
    if action in LaporanPascaPelatihan.BY_ATASAN:
        laporan.penilai = profil
        laporan.diputuskan_at = timezone.now()
    laporan.status = allowed[laporan.status]
    laporan.full_clean(exclude=["kompetensi_dibutuhkan"])
    laporan.save()
    if "kompetensi" in data:
        laporan.kompetensi_dibutuhkan.set(data["kompetensi"])
    return laporan


def _fill(laporan: LaporanPascaPelatihan, data: dict) -> None:
    for name in TEXT_FIELDS:
        if name in data:
            setattr(laporan, name, (data[name] or "").strip())
    if data.get("lampiran"):
        laporan.lampiran = data["lampiran"]


# --- Reminders ----------------------------------------------------------------------------------

HARI_SEGERA = 14
HARI_MENUNGGU_ATASAN = 7


@dataclass
class Kiriman:
    laporan: LaporanPascaPelatihan
    jenis: str
    langkah: str
    kepada: str
    template: str


def _reminders_due(today: date) -> list[Kiriman]:
    """Every reminder the reports call for today, each with its step key."""
    S, J = LaporanPascaPelatihan.Status, Pengingat.Jenis
    waiting = [S.BELUM_DIISI, S.DRAF, S.DIKEMBALIKAN]
    related = ("pegawai__atasan", "peserta__angkatan__pelatihan")
    due = []
    soon = (
        LaporanPascaPelatihan.objects.filter(
            status__in=waiting,
            jatuh_tempo__gte=today,
            jatuh_tempo__lte=today + timedelta(days=HARI_SEGERA),
        )
        .exclude(pegawai__email="")
        .select_related(*related)
    )
    for laporan in soon:
        due.append(Kiriman(laporan, J.SEGERA, "sekali", laporan.pegawai.email, "segera"))
    # Overdue: once a week, the ISO week being the step.
    year, week, _ = today.isocalendar()
    late = (
        LaporanPascaPelatihan.objects.filter(status__in=waiting, jatuh_tempo__lt=today)
        .exclude(pegawai__email="")
        .select_related(*related)
    )
    for laporan in late:
        due.append(
            Kiriman(laporan, J.TERLAMBAT, f"{year}-W{week:02d}", laporan.pegawai.email, "terlambat")
        )
    # The atasan, once per submission that has waited more than a week.
    cutoff = timezone.now() - timedelta(days=HARI_MENUNGGU_ATASAN)
    pending = (
        LaporanPascaPelatihan.objects.filter(
            status=S.DIAJUKAN, diajukan_at__lt=cutoff, pegawai__atasan__isnull=False
        )
        .exclude(pegawai__atasan__email="")
        .select_related(*related)
    )
    for laporan in pending:
        step = f"diajukan {laporan.diajukan_at:%Y-%m-%d %H:%M}"
        due.append(Kiriman(laporan, J.ATASAN, step, laporan.pegawai.atasan.email, "atasan"))
    return due


def pengingat_kirim(*, today: date) -> int:
    """Send today's reminders. Each is recorded and mailed in one transaction: a mail server
    that refuses leaves no record, so the next run tries again; a recorded step is never
    mailed again."""
    sent = 0
    for kiriman in _reminders_due(today):
        try:
            with transaction.atomic():
                _, created = Pengingat.objects.get_or_create(
                    laporan=kiriman.laporan,
                    jenis=kiriman.jenis,
                    langkah=kiriman.langkah,
                    defaults={"kepada": kiriman.kepada},
                )
                if not created:
                    continue
                context = {"laporan": kiriman.laporan, "base_url": settings.SITE_URL}
                body = render_to_string(f"evaluasi/email_pengingat_{kiriman.template}.txt", context)
                send_mail("SIBINA: " + body.splitlines()[0], body, None, [kiriman.kepada])
        except (SMTPException, OSError):
            logger.warning(
                "reminder %s of report %s not sent; the next run tries again",
                kiriman.jenis,
                kiriman.laporan.pk,
                exc_info=True,
            )
            continue
        sent += 1
    return sent


# --- Evaluation PDFs ---------------------------------------------------------------------------

BERKAS_TEMPLATES = {
    BerkasLaporan.Jenis.PEGAWAI: "pdf/evaluasi_pegawai.html",
    BerkasLaporan.Jenis.ANGKATAN: "pdf/evaluasi_angkatan.html",
    BerkasLaporan.Jenis.UNIT: "pdf/evaluasi_unit.html",
}


def berkas_request(*, berkas: BerkasLaporan) -> BerkasLaporan:
    """Store the request and queue its making once the row is committed."""
    from .tasks import berkas_buat_task

    with transaction.atomic():
        berkas.status = BerkasLaporan.Status.MENUNGGU
        berkas.full_clean(exclude=["file"])
        berkas.save()
        transaction.on_commit(lambda: berkas_buat_task.delay(berkas.pk))
    return berkas


def berkas_context(berkas: BerkasLaporan) -> dict:
    if berkas.jenis == BerkasLaporan.Jenis.PEGAWAI:
        return reports.konteks_pegawai(berkas.pegawai)
    if berkas.jenis == BerkasLaporan.Jenis.ANGKATAN:
        return {"evaluasi": reports.evaluasi_angkatan(berkas.angkatan)}
    return reports.konteks_unit(berkas.periode_unit)


def berkas_render(*, berkas: BerkasLaporan) -> BerkasLaporan:
    """Make the PDF of a claimed row and store it; the row ends SELESAI."""
    context = berkas_context(berkas) | {"berkas": berkas, "dibuat": timezone.localtime()}
    content = render_pdf(BERKAS_TEMPLATES[berkas.jenis], context)
    name = f"{berkas.jenis}-{berkas.pk}.pdf"
    berkas.file.save(name, ContentFile(content), save=False)
    berkas.status = BerkasLaporan.Status.SELESAI
    berkas.selesai_at = timezone.now()
    berkas.save(update_fields=["file", "status", "selesai_at"])
    return berkas


# --- Work-climate survey -------------------------------------------------------------------------


def pegawai_dalam_putaran(putaran: PutaranIklim):
    paths = list(putaran.units.values_list("path", flat=True))
    units = UnitKerja.objects.subtrees(paths).values_list("pk", flat=True)
    return Pegawai.objects.aktif().filter(unit_id__in=list(units))


@transaction.atomic
def iklim_answer(*, putaran: PutaranIklim, pegawai: Pegawai, jawaban: dict, teks: str = "") -> None:
    """Record that the pegawai answered, and the answers, apart: the answer sheet holds only the
    unit and the scores, so nothing in the database leads from it back to the pegawai."""
    if putaran.status != PutaranIklim.Status.DIBUKA:
        raise ValidationError("Putaran survei ini sudah ditutup.")
    if not pegawai_dalam_putaran(putaran).filter(pk=pegawai.pk).exists():
        raise ValidationError("Unit Anda tidak termasuk putaran survei ini.")
    if PartisipasiIklim.objects.filter(putaran=putaran, pegawai=pegawai).exists():
        raise ValidationError("Anda sudah mengisi survei ini. Terima kasih.")
    PartisipasiIklim.objects.create(putaran=putaran, pegawai=pegawai)
    sheet = ResponIklim(
        putaran=putaran, unit_id=pegawai.unit_id, teks=teks.strip()[:2000], **jawaban
    )
    sheet.full_clean()
    sheet.save()
