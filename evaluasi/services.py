"""Writes to performance evaluation: opening and closing periods, ratings, acknowledgements, and
the post-training self-reports."""

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pegawai.models import Pegawai, UnitKerja, User
from pegawai.notifikasi import notifikasi_pegawai
from pelatihan.models import Peserta
from pembinaan.lib.claim import save_if_held
from pembinaan.lib.dates import add_months
from pembinaan.lib.freshness import figures_stale
from pembinaan.lib.pdf import render_pdf
from pembinaan.lib.queue import enqueue_on_commit
from pembinaan.lib.tabular import XlsxSheet

from . import reports
from .models import (
    AksiPerubahan,
    BerkasLaporan,
    BuktiTonggak,
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PartisipasiIklim,
    Pengingat,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    PutaranIklim,
    ResponIklim,
    ResponWargaAksi,
    TonggakAksi,
)
from .reports import pegawai_dalam_periode

logger = logging.getLogger(__name__)


@transaction.atomic
def periode_open(
    *, periode: PeriodePenilaian, units: list[UnitKerja], by: User
) -> PeriodePenilaian:
    if not units:
        raise ValidationError("Pilih paling sedikit satu unit.")
    outside = [u for u in units if not (by.manages_province or by.can_manage_unit(u))]
    if outside:
        raise ValidationError(f"{outside[0].nama} bukan unit kelolaan Anda.")
    periode.dibuka_oleh = by
    periode.status = PeriodePenilaian.Status.DIBUKA
    periode.full_clean()
    periode.save()
    PeriodeUnit.objects.bulk_create(PeriodeUnit(periode=periode, unit=unit) for unit in units)
    from .tasks import periode_notify_task  # tasks import this module

    enqueue_on_commit(periode_notify_task, periode.pk)
    return periode


def periode_notify(*, periode: PeriodePenilaian) -> int:
    """Tell every atasan with a subordinate in the period that their ratings are awaited.
    Once per period and atasan (the key), so a task delivered twice notifies once."""
    atasan_ids = (
        pegawai_dalam_periode(periode)
        .filter(atasan__isnull=False)
        .order_by()
        .values_list("atasan_id", flat=True)
        .distinct()
    )
    atasan = Pegawai.objects.filter(pk__in=list(atasan_ids), aktif=True).select_related("user")
    count = 0
    for each in atasan:
        count += (
            notifikasi_pegawai(
                each,
                kunci=f"evaluasi:periode:{periode.pk}:dibuka",
                judul=f"Periode penilaian kinerja dibuka: {periode.nama}",
                url=reverse("evaluasi:penilaian_bawahan", args=[periode.pk]),
                pesan="Berikan penilaian kinerja bawahan langsung Anda pada periode "
                f"{periode.tanggal_mulai:%d/%m/%Y}–{periode.tanggal_selesai:%d/%m/%Y}.",
            )
            is not None
        )
    return count


def periode_close(*, periode: PeriodePenilaian) -> PeriodePenilaian:
    periode.status = PeriodePenilaian.Status.DITUTUP
    periode.save(update_fields=["status"])
    return periode


def periode_reopen(*, periode: PeriodePenilaian) -> PeriodePenilaian:
    """A period closed too early (or by mistake) is opened again for its atasan to rate."""
    if periode.is_open:
        raise ValidationError("Periode ini masih dibuka.")
    periode.status = PeriodePenilaian.Status.DIBUKA
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
    notifikasi_pegawai(
        pegawai,
        # Rating again is a new decision, to acknowledge anew: its time is in the key.
        kunci=f"evaluasi:penilaian:{penilaian.pk}:{penilaian.dinilai_at:%Y%m%d%H%M%S%f}",
        judul=f"Penilaian kinerja {periode.nama}: {penilaian.get_predikat_display()}",
        url=reverse("evaluasi:kinerja_pegawai", args=[pegawai.pk]),
        pesan="Atasan Anda telah menilai kinerja Anda; buka untuk melihat dan menyatakan "
        "mengetahui.",
    )
    return penilaian


@transaction.atomic
def penilaian_save_many(
    *, periode: PeriodePenilaian, penilai: Pegawai, ratings: list[tuple[Pegawai, dict]]
) -> list[PenilaianKinerja]:
    """The atasan rates several subordinates at once: all of them or, when one is refused,
    none; the error names every refused pegawai."""
    if not PeriodePenilaian.objects.select_for_update().get(pk=periode.pk).is_open:
        raise ValidationError("Periode ini sudah ditutup; penilaian tidak dapat diubah.")
    saved, errors = [], []
    for pegawai, values in ratings:
        try:
            with transaction.atomic():
                saved.append(
                    penilaian_save(
                        periode=periode,
                        pegawai=pegawai,
                        penilai=penilai,
                        hasil_kerja=values["hasil_kerja"],
                        perilaku_kerja=values["perilaku_kerja"],
                        catatan=values.get("catatan", ""),
                    )
                )
        except ValidationError as error:
            errors.append(f"{pegawai.nama_lengkap}: {' '.join(error.messages)}")
    if errors:
        raise ValidationError(errors)
    return saved


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
    Idempotent (one report per participation, by constraint): the daily job calls it for
    everyone, and a pegawai who opens a report before that for themself (laporan_start)."""
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


def laporan_start(*, peserta: Peserta, by: User) -> LaporanPascaPelatihan:
    """The report of a passed training, made now for its pegawai who wants to fill it in before
    the daily job makes it."""
    if peserta.pegawai.user_id != by.pk:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengisi laporannya.")
    if not peserta.lulus:
        raise ValidationError("Laporan pasca pelatihan dibuat untuk pelatihan yang lulus.")
    laporan_sync(pegawai=peserta.pegawai)
    return LaporanPascaPelatihan.objects.get(peserta=peserta)


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
    if action != "simpan":
        _laporan_notify(laporan, action)
    figures_stale("evaluasi.laporan")
    return laporan


# Days an atasan (or a mentor) has to answer what a subordinate submitted (the inbox's due date).
HARI_TANGGAPAN = 14


def _laporan_notify(laporan: LaporanPascaPelatihan, action: str) -> None:
    """A submission goes to the atasan, a verdict to the pegawai; each submission and verdict
    is its own event (its time is in the key), so a report returned and sent again notifies
    again."""
    pegawai = laporan.pegawai
    url = laporan.get_absolute_url()
    if action == "ajukan":
        notifikasi_pegawai(
            pegawai.atasan,
            kunci=f"evaluasi:laporan:{laporan.pk}:diajukan:{laporan.diajukan_at:%Y%m%d%H%M%S%f}",
            judul=f"Laporan pasca pelatihan {pegawai.nama_lengkap} menunggu verifikasi Anda",
            url=url,
            pesan=f"Verifikasi atau kembalikan laporan ini dalam {HARI_TANGGAPAN} hari.",
        )
        return
    verified = action == "verifikasi"
    notifikasi_pegawai(
        pegawai,
        kunci=f"evaluasi:laporan:{laporan.pk}:{laporan.status}:"
        f"{laporan.diputuskan_at:%Y%m%d%H%M%S%f}",
        judul="Laporan pasca pelatihan Anda "
        + ("diverifikasi atasan" if verified else "dikembalikan untuk diperbaiki"),
        url=url,
        pesan=laporan.komentar_atasan,
    )


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
    jenis: str
    langkah: str
    kepada: str
    template: str
    laporan: LaporanPascaPelatihan | None = None
    keberlanjutan: LaporanKeberlanjutan | None = None


def _reminders_due(today: date) -> list[Kiriman]:
    """Every reminder the reports call for today, each with its step key."""
    S, J = LaporanPascaPelatihan.Status, Pengingat.Jenis
    waiting = [S.BELUM_DIISI, S.DRAF, S.DIKEMBALIKAN]
    related = ("pegawai__atasan", "peserta__angkatan__pelatihan")
    soon_range = (today, today + timedelta(days=HARI_SEGERA))
    # Overdue: once a week, the ISO week being the step.
    year, week, _ = today.isocalendar()
    weekly = f"{year}-W{week:02d}"
    due = []
    reports = LaporanPascaPelatihan.objects.filter(status__in=waiting).exclude(pegawai__email="")
    for laporan in reports.filter(jatuh_tempo__range=soon_range).select_related(*related):
        due.append(Kiriman(J.SEGERA, "sekali", laporan.pegawai.email, "segera", laporan=laporan))
    for laporan in reports.filter(jatuh_tempo__lt=today).select_related(*related):
        due.append(
            Kiriman(J.TERLAMBAT, weekly, laporan.pegawai.email, "terlambat", laporan=laporan)
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
        due.append(Kiriman(J.ATASAN, step, laporan.pegawai.atasan.email, "atasan", laporan=laporan))
    # Sustainability of change projects that are under way or done: the same two rhythms.
    lasting = (
        LaporanKeberlanjutan.objects.filter(
            dilaporkan_at__isnull=True, aksi__status__in=AKSI_DIPANTAU
        )
        .exclude(aksi__pegawai__email="")
        .select_related("aksi__pegawai")
    )
    for item in lasting.filter(jatuh_tempo__range=soon_range):
        due.append(
            Kiriman(
                J.SEGERA, "sekali", item.aksi.pegawai.email, "keberlanjutan", keberlanjutan=item
            )
        )
    for item in lasting.filter(jatuh_tempo__lt=today):
        due.append(
            Kiriman(
                J.TERLAMBAT, weekly, item.aksi.pegawai.email, "keberlanjutan", keberlanjutan=item
            )
        )
    return due


# Projects whose sustainability is followed: not those never started, nor those stopped.
AKSI_DIPANTAU = [
    AksiPerubahan.Status.BERJALAN,
    AksiPerubahan.Status.SELESAI,
    AksiPerubahan.Status.BERKELANJUTAN,
]


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
                    keberlanjutan=kiriman.keberlanjutan,
                    jenis=kiriman.jenis,
                    langkah=kiriman.langkah,
                    defaults={"kepada": kiriman.kepada},
                )
                if not created:
                    continue
                context = {
                    "laporan": kiriman.laporan,
                    "keberlanjutan": kiriman.keberlanjutan,
                    "terlambat": kiriman.jenis == Pengingat.Jenis.TERLAMBAT,
                    "base_url": settings.SITE_URL,
                }
                body = render_to_string(f"evaluasi/email_pengingat_{kiriman.template}.txt", context)
                send_mail("SIBINA: " + body.splitlines()[0], body, None, [kiriman.kepada])
        except (SMTPException, OSError):
            logger.warning(
                "reminder %s of %s not sent; the next run tries again",
                kiriman.jenis,
                kiriman.laporan or kiriman.keberlanjutan,
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
    """Store the request and queue its making once the row is committed. Asked again while the
    same requester's PDF of the same subject waits or is being made (a double click), the
    request answers with that one and nothing is made twice."""
    from .tasks import berkas_buat_task

    berkas.status = BerkasLaporan.Status.MENUNGGU
    berkas.full_clean(exclude=["file"], validate_constraints=False)  # the database's, below
    try:
        with transaction.atomic():
            berkas.save()
            enqueue_on_commit(berkas_buat_task, berkas.pk)
    except IntegrityError:
        berkas.pk = None
        in_progress = BerkasLaporan.objects.filter(
            jenis=berkas.jenis, diminta_oleh=berkas.diminta_oleh, pegawai=berkas.pegawai,
            angkatan=berkas.angkatan, periode_unit=berkas.periode_unit,
            status__in=BerkasLaporan.IN_PROGRESS,
        ).first()  # fmt: skip
        if in_progress is None:
            raise
        return in_progress
    return berkas


def berkas_context(berkas: BerkasLaporan) -> dict:
    if berkas.jenis == BerkasLaporan.Jenis.PEGAWAI:
        return reports.konteks_pegawai(berkas.pegawai)
    if berkas.jenis == BerkasLaporan.Jenis.ANGKATAN:
        return {"evaluasi": reports.evaluasi_angkatan(berkas.angkatan)}
    return reports.konteks_unit(berkas.periode_unit)


# The per-unit workbook's columns' widths, in characters (reports.KOLOM_UNIT).
LEBAR_KOLOM_UNIT = [40, 21, 36, 36, 8, 18, 9]


def judul_lampiran_unit(periode_unit: PeriodeUnit, dibuat) -> list[str]:
    """The lines above the per-unit workbook's header: what it is, of which population, when."""
    periode = periode_unit.periode
    return [
        f"Evaluasi unit {periode_unit.unit.nama} ({periode_unit.unit.kode}) · {periode.nama} "
        f"({date_format(periode.tanggal_mulai, 'j F Y')} – "
        f"{date_format(periode.tanggal_selesai, 'j F Y')})",
        "Pegawai aktif unit ini dan sub-unitnya pada saat berkas dibuat, "
        f"{date_format(dibuat, 'j F Y, H.i')} WIB, oleh SIBINA. JP tercatat sampai "
        f"{date_format(reports.jp_sampai(periode), 'j F Y')}.",
    ]


def berkas_render(*, berkas: BerkasLaporan) -> bool:
    """Make the PDF of a claimed row and store it; the row ends SELESAI. A per-unit PDF is a
    summary, and its one row per pegawai goes to an XLSX beside it (`lampiran`), written as the
    rows are read. False, with no file left, when another worker took the row over meanwhile
    (this one was stopped past its lease): that one's files count."""
    workbook = None
    dibuat = timezone.localtime()
    if berkas.jenis == BerkasLaporan.Jenis.UNIT:
        year = berkas.periode_unit.periode.tanggal_selesai.year
        sheet = XlsxSheet(
            [*reports.KOLOM_UNIT[:-1], f"JP {year}"], title="Per pegawai",
            widths=LEBAR_KOLOM_UNIT, heading=judul_lampiran_unit(berkas.periode_unit, dibuat),
        )  # fmt: skip
        try:
            context = reports.konteks_unit(berkas.periode_unit, tulis_baris=sheet.append)
            workbook = sheet.getvalue()
        finally:
            sheet.close()
    else:
        context = berkas_context(berkas)
    context |= {"berkas": berkas, "dibuat": dibuat}
    content = render_pdf(BERKAS_TEMPLATES[berkas.jenis], context)
    berkas.file.save(f"{berkas.jenis}-{berkas.pk}.pdf", ContentFile(content), save=False)
    if workbook is not None:
        berkas.lampiran.save(f"{berkas.jenis}-{berkas.pk}.xlsx", ContentFile(workbook), save=False)
    berkas.status = BerkasLaporan.Status.SELESAI
    berkas.selesai_at = timezone.now()
    fields = ["file", "lampiran", "status", "selesai_at"]
    if not save_if_held(berkas, update_fields=fields):
        logger.warning("evaluation PDF %s: taken over by another worker; discarded", berkas.pk)
        berkas.file.delete(save=False)
        if berkas.lampiran:
            berkas.lampiran.delete(save=False)
        return False
    return True


# --- Work-climate survey -------------------------------------------------------------------------


def pegawai_dalam_putaran(putaran: PutaranIklim):
    paths = list(putaran.units.values_list("path", flat=True))
    units = UnitKerja.objects.subtrees(paths).values_list("pk", flat=True)
    return Pegawai.objects.aktif().filter(unit_id__in=list(units))


@transaction.atomic
def putaran_open(*, putaran: PutaranIklim, units: list[UnitKerja], by: User) -> PutaranIklim:
    """HR opens a climate round for their units; its pegawai are told after the commit."""
    putaran.dibuka_oleh = by
    putaran.status = PutaranIklim.Status.DIBUKA
    putaran.full_clean()
    putaran.save()
    putaran.units.set(units)
    from .tasks import putaran_notify_task  # tasks import this module

    enqueue_on_commit(putaran_notify_task, putaran.pk)
    return putaran


def putaran_notify(*, putaran: PutaranIklim) -> int:
    """Invite each pegawai with a login in the round's units. The invitation is all it records:
    who answered stays in PartisipasiIklim alone, and answers carry no person (iklim_answer)."""
    invited = pegawai_dalam_putaran(putaran).filter(user__isnull=False).select_related("user")
    count = 0
    for pegawai in invited.iterator(chunk_size=500):
        count += (
            notifikasi_pegawai(
                pegawai,
                kunci=f"evaluasi:iklim:{putaran.pk}:dibuka",
                judul=f"Survei iklim kerja dibuka: {putaran.nama}",
                url=reverse("evaluasi:iklim_isi", args=[putaran.pk]),
                pesan="Isi sampai "
                f"{putaran.tanggal_selesai:%d/%m/%Y}. Jawaban Anda tersimpan tanpa identitas.",
            )
            is not None
        )
    return count


@transaction.atomic
def iklim_answer(*, putaran: PutaranIklim, pegawai: Pegawai, jawaban: dict, teks: str = "") -> None:
    """Record that the pegawai answered, and the answers, apart, so that not even a database
    reader can pair a name with a sheet.

    The sheet holds only the unit and the scores, but the way rows are stored could still pair
    them: rows written in one transaction share `xmin`, consecutive transactions get consecutive
    ones, and a table is stored (ctid) and numbered in insertion order. So each answer rewrites
    every sheet of its unit in the round: deleted and inserted again in a random order, with new
    random keys, in the transaction that records the participation. All sheets of a unit then
    carry the latest answerer's `xmin` and an order and keys that say nothing: a reader can tell
    which unit a sheet counts for (the results need that) and no more. The round's row is locked
    first, so two answers at once cannot both rewrite from the same sheets."""
    putaran = PutaranIklim.objects.select_for_update().get(pk=putaran.pk)
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
    unit_sheets = ResponIklim.objects.filter(putaran=putaran, unit_id=pegawai.unit_id)
    sheets = [*unit_sheets, sheet]
    unit_sheets.delete()
    for each in sheets:
        each.pk = uuid.uuid4()
    secrets.SystemRandom().shuffle(sheets)
    ResponIklim.objects.bulk_create(sheets)


# --- Change projects (aksi perubahan) --------------------------------------------------------


def aksi_tanggal_acuan(aksi: AksiPerubahan) -> date:
    """Sustainability is counted from the end of the training that required the project, or from
    the project's own start for an innovation registered on its own."""
    if aksi.peserta_id is not None:
        return aksi.peserta.angkatan.tanggal_selesai
    return aksi.tanggal_mulai


def _require_owner(aksi: AksiPerubahan, by: User) -> None:
    if aksi.pegawai.user_id != by.pk:
        raise PermissionDenied("Hanya pelaksana aksi perubahan ini yang dapat melakukannya.")


def _check_peserta(aksi: AksiPerubahan) -> None:
    peserta = aksi.peserta
    if peserta is None:
        return
    if peserta.pegawai_id != aksi.pegawai_id:
        raise ValidationError({"peserta": "Pilih keikutsertaan pelatihan Anda sendiri."})
    if not peserta.angkatan.pelatihan.wajib_aksi_perubahan:
        raise ValidationError({"peserta": "Pelatihan ini tidak mewajibkan aksi perubahan."})


@transaction.atomic
def aksi_register(*, aksi: AksiPerubahan, by: User) -> AksiPerubahan:
    """A pegawai registers their change project, with its 6- and 12-month sustainability
    reports already scheduled."""
    profil = by.pegawai_profil
    if profil is None:
        raise PermissionDenied("Aksi perubahan didaftarkan oleh pegawai pelaksananya.")
    aksi.pegawai = profil
    aksi.unit_id = profil.unit_id
    aksi.status = AksiPerubahan.Status.RENCANA
    _check_peserta(aksi)
    aksi.full_clean()
    aksi.save()
    keberlanjutan_schedule(aksi=aksi)
    return aksi


@transaction.atomic
def aksi_update(*, aksi: AksiPerubahan, by: User) -> AksiPerubahan:
    _require_owner(aksi, by)
    if not AksiPerubahan.objects.filter(pk=aksi.pk, status__in=AksiPerubahan.EDITABLE).exists():
        raise ValidationError("Aksi perubahan yang sudah selesai atau berhenti tidak diubah lagi.")
    _check_peserta(aksi)
    aksi.full_clean()
    aksi.save()
    keberlanjutan_schedule(aksi=aksi)
    return aksi


def keberlanjutan_schedule(*, aksi: AksiPerubahan) -> None:
    """One report per month mark, due that many months after the reference date; the due date
    of a report not yet filed follows a changed reference date."""
    start = aksi_tanggal_acuan(aksi)
    for bulan in LaporanKeberlanjutan.Bulan.values:
        laporan, created = LaporanKeberlanjutan.objects.get_or_create(
            aksi=aksi, bulan=bulan, defaults={"jatuh_tempo": add_months(start, bulan)}
        )
        if not created and not laporan.is_reported:
            laporan.jatuh_tempo = add_months(start, bulan)
            laporan.save(update_fields=["jatuh_tempo"])


@transaction.atomic
def aksi_transition(
    *, aksi: AksiPerubahan, action: str, by: User, alasan: str = "", hasil: str = ""
) -> AksiPerubahan:
    """Move a project along AksiPerubahan.TRANSITIONS. The pegawai starts it once it has
    milestones and completes it once the mentor has confirmed them all; the pegawai or the
    pengelola of its unit stops it, with a reason."""
    aksi = (
        AksiPerubahan.objects.select_for_update().select_related("pegawai", "unit").get(pk=aksi.pk)
    )
    allowed = AksiPerubahan.TRANSITIONS[action]
    if aksi.status not in allowed:
        raise ValidationError(
            f"Aksi perubahan berstatus {aksi.get_status_display().lower()}; langkah ini tidak "
            "dapat dilakukan."
        )
    if action == "hentikan":
        if aksi.pegawai.user_id != by.pk and not by.can_manage_unit(aksi.unit):
            raise PermissionDenied("Hanya pelaksana atau pengelola unitnya yang menghentikan.")
        if not alasan.strip():
            raise ValidationError({"alasan": "Tuliskan mengapa aksi perubahan ini berhenti."})
        aksi.alasan_berhenti = alasan.strip()
    else:
        _require_owner(aksi, by)
        tonggak = list(aksi.tonggak.values_list("status", flat=True))
        if action == "mulai" and not tonggak:
            raise ValidationError("Tambahkan paling sedikit satu tonggak sebelum memulai.")
        if action == "selesaikan":
            if any(s != TonggakAksi.Status.DIKONFIRMASI for s in tonggak):
                raise ValidationError("Semua tonggak harus sudah dikonfirmasi mentor.")
            if not (hasil or aksi.hasil).strip():
                raise ValidationError({"hasil": "Tuliskan hasil yang sudah dirasakan."})
            aksi.hasil = (hasil or aksi.hasil).strip()
    now = timezone.now()
    if action == "mulai":
        aksi.dimulai_at = now
    elif action == "selesaikan":
        aksi.selesai_at = now
    aksi.status = allowed[aksi.status]
    aksi.full_clean()
    aksi.save()
    return aksi


def tonggak_add(*, aksi: AksiPerubahan, tonggak: TonggakAksi, by: User) -> TonggakAksi:
    _require_owner(aksi, by)
    if not aksi.is_editable:
        raise ValidationError(
            "Tonggak ditambahkan selama aksi perubahan direncanakan atau berjalan."
        )
    tonggak.aksi = aksi
    tonggak.status = TonggakAksi.Status.RENCANA
    tonggak.full_clean()
    tonggak.save()
    return tonggak


@transaction.atomic
def tonggak_report(
    *, tonggak: TonggakAksi, by: User, catatan: str, bukti: list[BuktiTonggak]
) -> TonggakAksi:
    """The pegawai reports a milestone done, with its evidence; it waits for the mentor."""
    tonggak = (
        TonggakAksi.objects.select_for_update().select_related("aksi__pegawai").get(pk=tonggak.pk)
    )
    _require_owner(tonggak.aksi, by)
    if tonggak.aksi.status != AksiPerubahan.Status.BERJALAN:
        raise ValidationError("Tonggak dilaporkan setelah aksi perubahan dimulai.")
    if tonggak.status not in (TonggakAksi.Status.RENCANA, TonggakAksi.Status.DIKEMBALIKAN):
        raise ValidationError("Tonggak ini sudah dilaporkan.")
    if not catatan.strip():
        raise ValidationError({"catatan": "Tuliskan apa yang sudah dikerjakan."})
    for item in bukti:
        item.tonggak = tonggak
        item.full_clean()
        item.save()
    if not tonggak.bukti.exists():
        raise ValidationError({"keterangan": "Lampirkan paling sedikit satu bukti."})
    tonggak.catatan = catatan.strip()
    tonggak.status = TonggakAksi.Status.DILAPORKAN
    tonggak.dilaporkan_at = timezone.now()
    tonggak.save(update_fields=["catatan", "status", "dilaporkan_at"])
    aksi = tonggak.aksi
    notifikasi_pegawai(
        aksi.mentor,
        kunci=f"evaluasi:tonggak:{tonggak.pk}:dilaporkan:{tonggak.dilaporkan_at:%Y%m%d%H%M%S%f}",
        judul=f"Tonggak aksi perubahan {aksi.pegawai.nama_lengkap} menunggu konfirmasi Anda",
        url=aksi.get_absolute_url(),
        pesan=f"{aksi.judul}: {tonggak.uraian}",
    )
    return tonggak


@transaction.atomic
def tonggak_decide(
    *, tonggak: TonggakAksi, by: User, confirm: bool, catatan: str = ""
) -> TonggakAksi:
    """The mentor confirms a reported milestone, or returns it saying what is missing."""
    tonggak = TonggakAksi.objects.select_for_update().select_related("aksi").get(pk=tonggak.pk)
    profil = by.pegawai_profil
    if profil is None or tonggak.aksi.mentor_id != profil.pk:
        raise PermissionDenied("Hanya mentor aksi perubahan ini yang mengonfirmasi tonggaknya.")
    if tonggak.status != TonggakAksi.Status.DILAPORKAN:
        raise ValidationError("Tonggak ini tidak sedang menunggu konfirmasi.")
    if not confirm and not catatan.strip():
        raise ValidationError({"catatan_mentor": "Tuliskan apa yang perlu dilengkapi."})
    tonggak.catatan_mentor = catatan.strip()
    if confirm:
        tonggak.status = TonggakAksi.Status.DIKONFIRMASI
        tonggak.dikonfirmasi_oleh = profil
        tonggak.dikonfirmasi_at = timezone.now()
    else:
        tonggak.status = TonggakAksi.Status.DIKEMBALIKAN
    tonggak.full_clean()
    tonggak.save()
    notifikasi_pegawai(
        tonggak.aksi.pegawai,
        # A milestone is decided once per report: the report's time tells the rounds apart.
        kunci=f"evaluasi:tonggak:{tonggak.pk}:{tonggak.status}:"
        f"{tonggak.dilaporkan_at:%Y%m%d%H%M%S%f}",
        judul=f"Tonggak {'dikonfirmasi' if confirm else 'dikembalikan'} mentor: {tonggak.uraian}",
        url=tonggak.aksi.get_absolute_url(),
        pesan=tonggak.catatan_mentor,
    )
    return tonggak


HARI_LAPOR_KEBERLANJUTAN = 30


@transaction.atomic
def keberlanjutan_report(
    *, laporan: LaporanKeberlanjutan, by: User, masih_digunakan: bool, uraian: str, today: date
) -> LaporanKeberlanjutan:
    """Six or twelve months on, the pegawai says whether the change is still in use: yes marks a
    completed project berkelanjutan, no stops it with the explanation as the reason."""
    laporan = (
        LaporanKeberlanjutan.objects.select_for_update()
        .select_related("aksi__pegawai")
        .get(pk=laporan.pk)
    )
    aksi = laporan.aksi
    _require_owner(aksi, by)
    if laporan.is_reported:
        raise ValidationError("Laporan keberlanjutan ini sudah diisi.")
    if aksi.status == AksiPerubahan.Status.BERHENTI:
        raise ValidationError("Aksi perubahan ini sudah berhenti.")
    opens = laporan.jatuh_tempo - timedelta(days=HARI_LAPOR_KEBERLANJUTAN)
    if today < opens:
        raise ValidationError(f"Laporan ini dapat diisi mulai {opens:%d/%m/%Y}.")
    if not uraian.strip():
        raise ValidationError({"uraian": "Ceritakan bagaimana perubahan itu dipakai sekarang."})
    laporan.masih_digunakan = masih_digunakan
    laporan.uraian = uraian.strip()
    laporan.dilaporkan_at = timezone.now()
    laporan.save(update_fields=["masih_digunakan", "uraian", "dilaporkan_at"])
    if not masih_digunakan:
        aksi.status = AksiPerubahan.Status.BERHENTI
        aksi.alasan_berhenti = f"Laporan {laporan.get_bulan_display()}: {laporan.uraian}"
        aksi.save(update_fields=["status", "alasan_berhenti", "updated_at"])
    elif aksi.status == AksiPerubahan.Status.SELESAI:
        aksi.status = AksiPerubahan.Status.BERKELANJUTAN
        aksi.save(update_fields=["status", "updated_at"])
    return laporan


PUBLISHABLE = {AksiPerubahan.Status.SELESAI, AksiPerubahan.Status.BERKELANJUTAN}


def aksi_publish(*, aksi: AksiPerubahan, by: User, publish: bool) -> AksiPerubahan:
    """HR shows a completed project in the public gallery, or takes it down."""
    aksi = AksiPerubahan.objects.select_related("unit").get(pk=aksi.pk)
    if not by.can_manage_unit(aksi.unit):
        raise PermissionDenied("Hanya pengelola unit ini yang mempublikasikan.")
    if publish and aksi.status not in PUBLISHABLE:
        raise ValidationError("Hanya aksi perubahan yang selesai yang tampil di galeri.")
    aksi.dipublikasikan_at = timezone.now() if publish else None
    aksi.save(update_fields=["dipublikasikan_at", "updated_at"])
    return aksi


def respon_warga_add(*, aksi: AksiPerubahan, merasakan: bool, komentar: str) -> ResponWargaAksi:
    if not aksi.is_published:
        raise ValidationError("Inovasi ini tidak tampil di galeri.")
    respon = ResponWargaAksi(aksi=aksi, merasakan=merasakan, komentar=komentar.strip()[:200])
    respon.full_clean()
    respon.save()
    return respon
