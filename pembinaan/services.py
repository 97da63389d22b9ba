"""Writes of the program: a year's program seeded from the source text, the monthly actuals of
its targets, the dashboards' unit figures, and needs turned into planned batches."""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from smtplib import SMTPException

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluasi.models import PenilaianKinerja, PeriodePenilaian, Predikat
from pegawai.models import Jabatan, Pegawai, UnitKerja, User, tanggal_libur
from pegawai.notifikasi import notifikasi_buat
from pelatihan import reports as pelatihan_reports
from pelatihan import services as pelatihan_services
from pelatihan.access import can_manage_pelatihan
from pelatihan.models import (
    Angkatan,
    BarisRencana,
    JenisPengembangan,
    Kompetensi,
    Pelatihan,
    PelatihanKompetensi,
    RencanaPengembangan,
)
from pelatihan.referensi import tahun_rencana_bawaan

from . import indikator, ip_asn, kebutuhan, reports, talenta
from .lib.angka import angka
from .lib.bulk import update_from_values
from .lib.cache import guarded
from .lib.claim import held, save_if_held
from .lib.dates import month_end
from .lib.pdf import render_pdf
from .lib.queue import enqueue, enqueue_on_commit
from .models import (
    KLIEN_API_PREFIX,
    AnggotaKomiteTalenta,
    CapaianTarget,
    IndeksProfesionalitas,
    JabatanKritikal,
    KalenderPribadi,
    KandidatSuksesi,
    KebutuhanPelatihan,
    KlienApi,
    LaporanMonitoring,
    PenempatanTalenta,
    Potensial,
    ProgramPembinaan,
    RingkasanBulan,
    RingkasanUnit,
    TargetProgram,
    TujuanProgram,
)

logger = logging.getLogger(__name__)

# The three objectives and the strategies of program_pembinaan_asn_jambi.txt, each with the
# indicators that measure it and a first target value HR adjusts.
TUJUAN_AWAL = [
    (
        "Meningkatkan kompetensi ASN melalui pelatihan dan pengembangan yang berkelanjutan.",
        "Pelatihan berbasis kompetensi sesuai bidang tugas\n"
        "Kerja sama dengan perguruan tinggi: tugas belajar dan izin belajar\n"
        "Laporan pasca pelatihan dan monitoring kebutuhan pelatihan",
        [
            ("pns_20_jp", "80"),
            ("pegawai_dilatih", "500"),
            ("laporan_tepat_waktu", "75"),
            ("rerata_l1", "4"),
            ("rerata_l3", "3"),
            ("dampak_pelatihan", "50"),
            ("penerima_beasiswa", "20"),
        ],
    ),
    (
        "Mendorong inovasi dalam pelayanan publik oleh ASN yang mampu beradaptasi dengan "
        "perubahan zaman.",
        "Aksi perubahan dalam pelatihan kepemimpinan dan inovasi mandiri\n"
        "Forum dialog dan masukan masyarakat sebagai bahan evaluasi",
        [("aksi_berlanjut", "10"), ("ikm", "82"), ("masukan_tepat_waktu", "90")],
    ),
    (
        "Menciptakan lingkungan kerja yang kondusif untuk meningkatkan motivasi dan kinerja ASN.",
        "Survei iklim kerja tiap semester\nCoaching dan mentoring bagi atasan",
        [("skor_iklim", "3.8")],
    ),
]


@transaction.atomic
def program_create(*, tahun: int, by: User | None) -> ProgramPembinaan:
    """A year's program with the source text's three objectives, their strategies and targets."""
    program = ProgramPembinaan(
        tahun=tahun, nama=f"Program Pembinaan ASN Provinsi Jambi {tahun}", dibuat_oleh=by
    )
    program.full_clean()
    program.save()
    for urutan, (uraian, strategi, targets) in enumerate(TUJUAN_AWAL, start=1):
        tujuan = TujuanProgram.objects.create(
            program=program, urutan=urutan, uraian=uraian, strategi=strategi
        )
        TargetProgram.objects.bulk_create(
            TargetProgram(program=program, tujuan=tujuan, indikator=key, nilai_target=Decimal(v))
            for key, v in targets
        )
    return program


def capaian_hitung(*, program: ProgramPembinaan, sampai: date) -> list[CapaianTarget]:
    """Each target's value up to `sampai`, stored as the figure of that month: run daily, the
    current month's row follows the data, and a month's row keeps its last day's figure."""
    bulan = month_end(sampai)
    rows = []
    for target in program.target.all():
        value = indikator.hitung(target.indikator, program.tahun, sampai)
        row, _ = CapaianTarget.objects.update_or_create(
            target=target, bulan=bulan, defaults={"nilai": value}
        )
        rows.append(row)
    return rows


def ringkasan_simpan(*, today: date) -> int:
    """Replace the dashboards' unit figures with today's, in one transaction."""
    figures = reports.ringkasan_hitung(today)
    now = timezone.now()
    rows = [
        RingkasanUnit(unit_id=pk, tahun=today.year, dihitung_at=now, **values)
        for pk, values in figures.items()
    ]
    with transaction.atomic():
        RingkasanUnit.objects.exclude(unit_id__in=figures).delete()
        RingkasanUnit.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["unit"],
            update_fields=["tahun", "dihitung_at", *reports.COUNTS, "predikat", "ikm"],
        )
    return len(rows)


def ringkasan_bulan_simpan(*, today: date) -> int:
    """The nightly job for the monitoring report of the month that ended last: every unit's
    figures at that month's end (RingkasanBulan) and every OPD's evidence of training needs of
    its year (RingkasanKebutuhan), made anew each night of the following month so that what is
    recorded late for the month is taken in; the month's rows stay as the last night made them.
    How many unit rows were stored."""
    sampai = today.replace(day=1) - timedelta(days=1)
    periode = reports.periode_predikat_terakhir(sampai)
    figures = reports.ringkasan_hitung(sampai, periode)
    now = timezone.now()
    rows = [
        RingkasanBulan(
            unit_id=pk, sampai=sampai, dihitung_at=now, periode_predikat=periode, **values
        )
        for pk, values in figures.items()
    ]
    with transaction.atomic():
        RingkasanBulan.objects.filter(sampai=sampai).delete()
        RingkasanBulan.objects.bulk_create(rows)
    kebutuhan.bukti_simpan(tahun=sampai.year)
    return len(rows)


RINGKASAN_MENUNGGU = "ringkasan:menunggu"
RINGKASAN_TUNDA = 10  # seconds: a burst of writes (a batch's results, one by one) is one refresh


def ringkasan_refresh_request() -> bool:
    """Bring the dashboards' figures up to date soon: one refresh for a burst of changes (a mark
    in the cache, for a minute at most), and a change made while a refresh runs queues the next
    (the refresh takes the mark off as it starts). Without the cache, every change queues one.
    False when a refresh is already waiting or the broker cannot take it (the half-hourly job
    then makes the figures)."""
    if not settings.RINGKASAN_SEGERA:
        return False
    if not guarded(lambda: cache.add(RINGKASAN_MENUNGGU, 1, timeout=60), fallback=True):
        return False
    from .tasks import ringkasan_segarkan_task

    return enqueue(ringkasan_segarkan_task, countdown=RINGKASAN_TUNDA)


def ringkasan_refresh(*, today: date) -> int:
    """The dashboards' figures made anew now: the unit figures and the actuals of this year's
    program, so that the cards, the tables and the program page agree."""
    guarded(lambda: cache.delete(RINGKASAN_MENUNGGU))
    made = ringkasan_simpan(today=today)
    for program in ProgramPembinaan.objects.filter(tahun=today.year):
        capaian_hitung(program=program, sampai=today)
    return made


@dataclass
class Rencana:
    kebutuhan: KebutuhanPelatihan
    nominasi: pelatihan_services.HasilNominasi


@transaction.atomic
def kebutuhan_rencanakan(
    *,
    unit: UnitKerja,
    kompetensi: Kompetensi,
    by: User,
    today: date,
    nama: str,
    tanggal_mulai: date,
    tanggal_selesai: date,
    tempat: str,
    kuota: int,
    peserta: list[Pegawai],
) -> Rencana:
    """Turn a row of the needs analysis into a planned batch, as HR completed the proposal
    (kebutuhan.usulan): of the training the row proposes, or of a new training designed for the
    competency, with the chosen pegawai of the gap nominated. The row remembers it."""
    usulan = kebutuhan.usulan(unit, kompetensi, by=by, today=today)
    allowed = {p.pk for p in usulan.kandidat}
    outside = [p.nama_lengkap for p in peserta if p.pk not in allowed]
    if outside:
        raise ValidationError(
            f"{', '.join(outside)} tidak termasuk pegawai dengan kesenjangan kompetensi ini di "
            f"{unit.nama}."
        )
    if not tempat.strip():
        raise ValidationError("Isi tempat pelaksanaan.")
    pelatihan = usulan.pelatihan or _pelatihan_design(
        unit=unit, kompetensi=kompetensi, bukti=usulan.row.bukti, by=by
    )
    angkatan = pelatihan_services.angkatan_save(
        angkatan=Angkatan(
            pelatihan=pelatihan, nama=nama, tanggal_mulai=tanggal_mulai,
            tanggal_selesai=tanggal_selesai, tempat=tempat.strip(), kuota=kuota,
            status=Angkatan.Status.DIRENCANAKAN,
        )
    )  # fmt: skip
    nominasi = pelatihan_services.peserta_nominate_many(angkatan=angkatan, pegawai=peserta)
    planned = KebutuhanPelatihan(
        unit=unit, kompetensi=kompetensi, tahun=today.year, angkatan=angkatan,
        skor=usulan.row.skor, bukti="\n".join(usulan.row.bukti), dibuat_oleh=by,
    )  # fmt: skip
    planned.full_clean()
    planned.save()
    return Rencana(kebutuhan=planned, nominasi=nominasi)


@dataclass
class HasilAkpk:
    direncanakan: list[Rencana]
    dilewati: list[tuple[str, str]]  # (training, why)


@transaction.atomic
def akpk_rencanakan(*, unit: UnitKerja, tahun: int, by: User, today: date) -> HasilAkpk:
    """One step from an OPD's AKPK to the program: for each classical row of the AKPK with a
    catalog training, a planned batch of that training in the AKPK's year (one after another,
    so that nobody's batches overlap), with the pegawai whose agreed plans name it nominated;
    the needs analysis remembers each as planned (KebutuhanPelatihan of that year). Rows of a
    training this user does not run, or of a competency already planned for the unit that year,
    are skipped with the reason. All in one transaction."""
    if not (by.manages_province or by.can_manage_unit(unit)):
        raise PermissionDenied("Unit ini bukan unit kelolaan Anda.")
    if tahun < today.year:
        raise ValidationError(f"AKPK {tahun} sudah lewat; rencanakan angkatan tahun berjalan.")
    scope = Pegawai.objects.aktif().di_unit(unit)
    rows = [r for r in pelatihan_reports.akpk_baris(scope, tahun) if r["pelatihan_id"]]
    if not rows:
        raise ValidationError(
            f"AKPK {unit.nama} {tahun} belum memiliki baris klasikal dengan pelatihan katalog."
        )
    trainings = Pelatihan.objects.in_bulk({r["pelatihan_id"] for r in rows})
    nominees: dict[tuple[int, int], list[Pegawai]] = {}
    lines = BarisRencana.objects.filter(
        rencana__tahun=tahun,
        rencana__status=RencanaPengembangan.Status.DISETUJUI,
        rencana__pegawai__in=scope.values("pk"),
        pelatihan__isnull=False,
    ).select_related("rencana__pegawai")
    for line in lines.order_by("rencana__pegawai__nama", "pk"):
        people = nominees.setdefault((line.kompetensi_id, line.pelatihan_id), [])
        if line.rencana.pegawai not in people:
            people.append(line.rencana.pegawai)
    planned = set(
        KebutuhanPelatihan.objects.filter(unit=unit, tahun=tahun).values_list(
            "kompetensi_id", flat=True
        )
    )
    libur = tanggal_libur()
    earliest = max(today + timedelta(days=kebutuhan.RENCANA_MULAI_HARI), date(tahun, 1, 1))
    result = HasilAkpk([], [])
    made_for: dict[int, Angkatan] = {}  # a training targeting two rows' competencies: one batch
    for r in rows:
        pelatihan = trainings[r["pelatihan_id"]]
        people = nominees.get((r["kompetensi_id"], pelatihan.pk), [])
        if r["kompetensi_id"] not in planned and pelatihan.pk in made_for:
            angkatan = made_for[pelatihan.pk]
            taken = set(angkatan.peserta.values_list("pegawai_id", flat=True))
            nominasi = pelatihan_services.peserta_nominate_many(
                angkatan=angkatan, pegawai=[p for p in people if p.pk not in taken]
            )
            result.direncanakan.append(
                Rencana(kebutuhan=_akpk_kebutuhan(r, angkatan, unit, tahun, by), nominasi=nominasi)
            )
            planned.add(r["kompetensi_id"])
            continue
        if r["kompetensi_id"] in planned:
            result.dilewati.append((pelatihan.nama, f"{r['kompetensi__kode']} sudah direncanakan"))
            continue
        if not can_manage_pelatihan(by, pelatihan):
            result.dilewati.append(
                (pelatihan.nama, f"diselenggarakan {pelatihan.unit_penyelenggara or 'provinsi'}")
            )
            continue
        hari, start, end = kebutuhan.jadwal(pelatihan.jp, earliest, libur=libur)
        if end.year > tahun:
            result.dilewati.append((pelatihan.nama, f"jadwalnya melewati tahun {tahun}"))
            continue
        angkatan = pelatihan_services.angkatan_save(
            angkatan=Angkatan(
                pelatihan=pelatihan, nama=f"Angkatan AKPK {unit.nama[:60]} {tahun}",
                tanggal_mulai=start, tanggal_selesai=end, kuota=max(kebutuhan.KUOTA_RENCANA,
                len(people)), status=Angkatan.Status.DIRENCANAKAN,
            )
        )  # fmt: skip
        nominasi = pelatihan_services.peserta_nominate_many(angkatan=angkatan, pegawai=people)
        made_for[pelatihan.pk] = angkatan
        planned.add(r["kompetensi_id"])
        result.direncanakan.append(
            Rencana(kebutuhan=_akpk_kebutuhan(r, angkatan, unit, tahun, by), nominasi=nominasi)
        )
        earliest = end + timedelta(days=1)
    return result


def _akpk_kebutuhan(r: dict, angkatan: Angkatan, unit: UnitKerja, tahun: int, by: User):
    """The needs analysis's record that an AKPK row's competency is planned, by this batch."""
    made = KebutuhanPelatihan(
        unit=unit, kompetensi_id=r["kompetensi_id"], tahun=tahun, angkatan=angkatan,
        skor=kebutuhan.BOBOT["akpk"] * r["pegawai"], dibuat_oleh=by,
        bukti=f"AKPK {tahun}: {r['pegawai']} pegawai, {angka(r['jp'])} JP, "
        f"Rp {angka(r['biaya'])}",
    )  # fmt: skip
    made.full_clean()
    made.save()
    return made


PENYELENGGARA_PROVINSI = "Pemerintah Provinsi Jambi"


def _pelatihan_design(
    *, unit: UnitKerja, kompetensi: Kompetensi, bukti: list[str], by: User
) -> Pelatihan:
    manajerial = kompetensi.jenis == Kompetensi.Jenis.MANAJERIAL
    # The planning unit's HR run its batches; province HR planning for a unit not theirs run it
    # as a province training (no organising unit), so they keep what they have just made.
    own = by.can_manage_unit_id(unit.pk)
    pelatihan = Pelatihan(
        nama=f"Pelatihan {kompetensi.nama}"[:200],
        jenis=JenisPengembangan.PELATIHAN_MANAJERIAL
        if manajerial
        else JenisPengembangan.DIKLAT_TEKNIS,
        bidang="Pengembangan kompetensi",
        jp=kebutuhan.JP_PELATIHAN_BARU,
        penyelenggara_jenis=Pelatihan.Penyelenggara.INTERNAL,
        penyelenggara=(unit.nama if own else PENYELENGGARA_PROVINSI)[:200],
        unit_penyelenggara=unit if own else None,
        deskripsi=f"Dirancang dari analisis kebutuhan pelatihan {unit.nama}: " + "; ".join(bukti),
    )
    pelatihan.full_clean()
    pelatihan.save()
    PelatihanKompetensi.objects.create(pelatihan=pelatihan, kompetensi=kompetensi, level=3)
    pelatihan.sasaran_unit.set([unit])
    return pelatihan


# --- Monitoring reports --------------------------------------------------------------------------


def laporan_request(
    *, program: ProgramPembinaan, mulai: date, selesai: date, by: User | None
) -> tuple[LaporanMonitoring, bool]:
    """The report of a program and period, queued once it is committed. Asked again, the same
    row comes back and nothing is made twice; only a failed one is queued anew. Only a period
    that has ended: a finished report is never made again, so one of a running period would
    freeze a few days of data as the period's figures."""
    if selesai < mulai:
        raise ValidationError("Akhir periode tidak boleh sebelum awal periode.")
    if selesai >= timezone.localdate():
        raise ValidationError(
            f"Periode {date_format(mulai, 'j F Y')} – {date_format(selesai, 'j F Y')} belum "
            "berakhir. Laporan monitoring hanya dibuat untuk periode yang sudah selesai; "
            f"periode ini dapat diminta mulai {date_format(selesai + timedelta(days=1), 'j F Y')}."
        )
    with transaction.atomic():
        laporan, created = LaporanMonitoring.objects.get_or_create(
            program=program, periode_mulai=mulai, periode_selesai=selesai,
            defaults={"diminta_oleh": by},
        )  # fmt: skip
        queued = created or laporan.status == LaporanMonitoring.Status.GAGAL
        if queued and not created:
            laporan.status, laporan.pesan_gagal, laporan.progres = "menunggu", "", 0
            laporan.save(update_fields=["status", "pesan_gagal", "progres"])
        if queued:
            from .tasks import laporan_buat_task

            enqueue_on_commit(laporan_buat_task, laporan.pk)
    return laporan, queued


def _progress(laporan: LaporanMonitoring, progres: int, tahap: str) -> None:
    held(laporan).update(progres=progres, tahap=tahap)


def laporan_render(*, laporan: LaporanMonitoring) -> bool:
    """Make the PDF of a claimed report and the workbook beside it (every OPD's row and needs;
    the PDF lists those that need attention once there are many), store them with the figures
    they show, and mail the administrators. False, with no file left and no mail, when another
    worker took the report over meanwhile (this one was stopped past its lease): that one's
    report counts."""
    _progress(laporan, 10, "Menghitung capaian target")
    context = reports.konteks_monitoring(laporan, on_step=lambda p, t: _progress(laporan, p, t))
    context["dibuat"] = timezone.localtime()
    _progress(laporan, 75, "Menyusun lampiran XLSX")
    workbook = reports.lampiran_monitoring(context, dibuat=context["dibuat"])
    _progress(laporan, 80, "Menyusun PDF")
    content = render_pdf("pdf/monitoring.html", context)
    laporan.file.save(f"monitoring-{laporan.pk}.pdf", ContentFile(content), save=False)
    laporan.lampiran.save(f"monitoring-{laporan.pk}.xlsx", ContentFile(workbook), save=False)
    laporan.angka = context["angka"]
    laporan.status = LaporanMonitoring.Status.SELESAI
    laporan.progres, laporan.tahap = 100, "Selesai"
    laporan.selesai_at = timezone.now()
    fields = ["file", "lampiran", "angka", "status", "progres", "tahap", "selesai_at"]
    if not save_if_held(laporan, update_fields=fields):
        logger.warning("monitoring report %s: taken over by another worker; discarded", laporan.pk)
        laporan.file.delete(save=False)
        laporan.lampiran.delete(save=False)
        return False
    _mail_admins(laporan)
    return True


def _mail_admins(laporan: LaporanMonitoring) -> None:
    """A report is mailed once; a refusing mail server leaves it unmailed, not failed."""
    recipients = list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    body = render_to_string(
        "pembinaan/email_laporan_monitoring.txt",
        {"laporan": laporan, "base_url": settings.SITE_URL},
    )
    try:
        send_mail("SIBINA: " + body.splitlines()[0], body, None, recipients)
    except (SMTPException, OSError):
        logger.warning("monitoring report %s not mailed", laporan.pk, exc_info=True)
        return
    LaporanMonitoring.objects.filter(pk=laporan.pk).update(dikirim_at=timezone.now())


# Rows written per INSERT when the year's IP ASN is stored (a province holds ~100,000 PNS).
IP_ASN_BATCH = 2000


@transaction.atomic
def ip_asn_simpan(*, tahun: int) -> int:
    """Compute the year's IP ASN of every measured pegawai of the province (pembinaan.ip_asn,
    six queries) and store it, replacing what the year held: the trend and the OPD breakdown
    read these rows."""
    rows = []
    for d in ip_asn.diukur(Pegawai.objects.all(), tahun):
        m, hasil = d.masukan, ip_asn.skor(d.masukan)
        rows.append(
            IndeksProfesionalitas(
                pegawai_id=d.pegawai_id, tahun=tahun, opd_id=d.opd_id, total=hasil.total,
                kategori=hasil.kategori, **hasil.nilai, pendidikan=m.pendidikan,
                jenis_jabatan=m.jenis_jabatan, kepemimpinan=m.kepemimpinan,
                fungsional=m.fungsional, jp=m.jp, seminar=m.seminar, predikat=m.predikat,
                tingkat_disiplin=m.disiplin,
            )
        )  # fmt: skip
    IndeksProfesionalitas.objects.filter(tahun=tahun).delete()
    IndeksProfesionalitas.objects.bulk_create(rows, batch_size=IP_ASN_BATCH)
    return len(rows)


# --- Talent management (PermenPANRB 3/2020; the rules are pembinaan/talenta.py) --------------


# The nightly placement goes over the instance this many pegawai at a time: a placement depends
# on the pegawai's own rows only, so the job's memory is that of one slice (at 1,000,000 pegawai
# in one piece it held 2 GB: bench/RESULTS.md, issue 24).
PENEMPATAN_IRISAN = 10_000


def penempatan_hitung(*, today: date, pegawai_ids: list[int] | None = None) -> int:
    """The nine-box placement of every active pegawai (or of these) from their latest potential
    and the predicates of the last two years, written in bulk: a pegawai with both is placed
    (their row made or updated, a committee's calibration kept), anyone else loses their row.
    The whole instance in slices of PENEMPATAN_IRISAN pegawai by id (every pegawai, so that one
    who left loses their row), six reads a slice; the number of placements made."""
    if pegawai_ids is not None:
        return _penempatan_hitung(today=today, pegawai_ids=pegawai_ids)
    placed, last = 0, 0
    while ids := list(
        Pegawai.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", flat=True)[:PENEMPATAN_IRISAN]
    ):
        placed += _penempatan_hitung(today=today, pegawai_ids=ids)
        last = ids[-1]
    return placed


def _penempatan_hitung(*, today: date, pegawai_ids: list[int]) -> int:
    years = talenta.tahun_kinerja(today)
    pegawai = Pegawai.objects.aktif()
    potensial = Potensial.objects.all()
    ratings = PenilaianKinerja.objects.filter(
        periode__jenis=PeriodePenilaian.Jenis.TAHUNAN, periode__tanggal_selesai__year__in=years
    )
    existing = PenempatanTalenta.objects.all()
    pegawai = pegawai.filter(pk__in=pegawai_ids)
    potensial = potensial.filter(pegawai_id__in=pegawai_ids)
    ratings = ratings.filter(pegawai_id__in=pegawai_ids)
    existing = existing.filter(pegawai_id__in=pegawai_ids)
    skor = dict(  # the latest assessment wins
        potensial.order_by("pegawai_id", "tanggal", "pk").values_list("pegawai_id", "skor")
    )
    predikat: dict[int, dict[int, str]] = {}
    for pegawai_id, year, value in ratings.order_by("periode__tanggal_selesai", "pk").values_list(
        "pegawai_id", "periode__tanggal_selesai__year", "predikat"
    ):
        predikat.setdefault(pegawai_id, {})[year] = value  # the later period of a year wins
    opd = talenta.opd_of_units()
    current = {row.pegawai_id: row for row in existing.only("pk", "pegawai_id", "kotak_kalibrasi")}
    now = timezone.now()
    create, update, placed = [], [], set()
    labels = dict(Predikat.choices)
    for pegawai_id, unit_id in pegawai.values_list("pk", "unit_id"):
        years_of = predikat.get(pegawai_id, {})
        if pegawai_id not in skor or any(y not in years_of for y in years):
            continue
        values = [years_of[y] for y in years]
        kinerja = talenta.level_kinerja(values)
        level = talenta.level_potensial(skor[pegawai_id])
        kotak = talenta.nomor_kotak(kinerja, level)
        row = current.get(pegawai_id) or PenempatanTalenta(pegawai_id=pegawai_id)
        row.opd_id = opd[unit_id]
        row.tahun_kinerja = years[-1]
        row.predikat = " · ".join(f"{y}: {labels[v]}" for y, v in zip(years, values, strict=True))
        row.kinerja, row.skor_potensial, row.potensial = kinerja, skor[pegawai_id], level
        row.kotak_hitung = kotak
        row.kotak = row.kotak_kalibrasi or kotak
        row.dihitung_at = now
        (update if row.pk else create).append(row)
        placed.add(pegawai_id)
    stale = [row.pk for pegawai_id, row in current.items() if pegawai_id not in placed]
    with transaction.atomic():
        for start in range(0, len(stale), 2000):
            PenempatanTalenta.objects.filter(pk__in=stale[start : start + 2000]).delete()
        PenempatanTalenta.objects.bulk_create(create, batch_size=2000)
        update_from_values(
            PenempatanTalenta._meta.db_table, "id",
            [PenempatanTalenta._meta.get_field(f).column for f in PENEMPATAN_FIELDS],
            [(row.pk, *(getattr(row, PenempatanTalenta._meta.get_field(f).attname)
                        for f in PENEMPATAN_FIELDS)) for row in update],
        )  # fmt: skip
        # A calibration saved while this ran keeps its box (the rows above were read before it).
        PenempatanTalenta.objects.filter(kotak_kalibrasi__isnull=False).exclude(
            kotak=F("kotak_kalibrasi")
        ).update(kotak=F("kotak_kalibrasi"))
    return len(placed)


PENEMPATAN_FIELDS = [
    "opd", "tahun_kinerja", "predikat", "kinerja", "skor_potensial", "potensial",
    "kotak_hitung", "kotak", "dihitung_at",
]  # fmt: skip


@transaction.atomic
def potensial_create(
    *, pegawai: Pegawai, tanggal: date, sumber: str, skor: Decimal, catatan: str = "", by: User
) -> Potensial:
    """An assessment's potential score, and the pegawai's placement made anew at once."""
    potensial = Potensial(
        pegawai=pegawai, tanggal=tanggal, sumber=sumber, skor=skor, catatan=catatan,
        dicatat_oleh=by,
    )  # fmt: skip
    potensial.full_clean()
    potensial.save()
    penempatan_hitung(today=timezone.localdate(), pegawai_ids=[pegawai.pk])
    return potensial


@transaction.atomic
def potensial_import(*, rows: list[Potensial], by: User) -> int:
    """The checked rows of an import (pembinaan.talenta.baca_impor), all of them or none, and
    their pegawai's placements made anew."""
    for row in rows:
        row.dicatat_oleh = by
    Potensial.objects.bulk_create(rows, batch_size=2000)
    penempatan_hitung(
        today=timezone.localdate(), pegawai_ids=sorted({row.pegawai_id for row in rows})
    )
    return len(rows)


@transaction.atomic
def penempatan_calibrate(
    *, penempatan: PenempatanTalenta, kotak: int, alasan: str, by: User
) -> PenempatanTalenta:
    """The talent committee moves a placement to another box, with its reason: recorded in the
    placement's history (the audit log), and kept through every recomputation."""
    alasan = alasan.strip()
    if not alasan:
        raise ValidationError({"alasan": "Tuliskan alasan kalibrasi komite talenta."})
    if kotak not in talenta.KOTAK:
        raise ValidationError({"kotak": "Pilih kotak 1 sampai 9."})
    penempatan.kotak_kalibrasi = penempatan.kotak = kotak
    penempatan.alasan_kalibrasi = alasan
    penempatan.dikalibrasi_oleh = by
    penempatan.dikalibrasi_at = timezone.now()
    penempatan._history_user = by
    penempatan.full_clean()
    penempatan.save()
    return penempatan


def jabatan_kritikal_create(
    *, jabatan: Jabatan, unit: UnitKerja | None, alasan: str, by: User
) -> JabatanKritikal:
    kritikal = JabatanKritikal(
        jabatan=jabatan, unit=unit, alasan=alasan.strip(), ditetapkan_oleh=by
    )
    kritikal.full_clean()
    kritikal.save()
    return kritikal


@transaction.atomic
def kandidat_add(
    *,
    jabatan_kritikal: JabatanKritikal,
    pegawai: Pegawai,
    kesiapan: str,
    kompetensi: Kompetensi,
    level_target: int,
    bentuk: int,
    jp: int,
    catatan: str = "",
    by: User,
) -> KandidatSuksesi:
    """A successor for a critical position: only from the talent pool (boxes 7, 8 and 9 of
    PermenPANRB 3/2020), with their readiness and their development plan line's content."""
    penempatan = PenempatanTalenta.objects.filter(pegawai=pegawai).first()
    if penempatan is None or penempatan.kotak not in talenta.POOL:
        now = f"saat ini di kotak {penempatan.kotak}" if penempatan else "belum dipetakan"
        raise ValidationError(
            f"{pegawai.nama_lengkap} tidak termasuk kelompok rencana suksesi (kotak "
            f"{talenta.pool_text()}); {now}. Kandidat suksesi hanya diambil dari kelompok itu."
        )
    kandidat = KandidatSuksesi(
        jabatan_kritikal=jabatan_kritikal, pegawai=pegawai, kesiapan=kesiapan,
        kompetensi=kompetensi, level_target=level_target, bentuk=bentuk, jp=jp,
        catatan=catatan, ditambah_oleh=by,
    )  # fmt: skip
    kandidat.full_clean()
    kandidat.save()
    # The candidate's development, as a line of their plan of the planning year (a line added
    # to an agreed plan joins it as agreed: the province, not the atasan, decides succession).
    # The plan is read by the pegawai, their atasan and unit HR, to whom succession is not
    # shown (pembinaan.access.can_read_talenta): the line says only that the province set it.
    kandidat.baris_rencana = pelatihan_services.baris_rencana_add(
        pegawai=pegawai, tahun=tahun_rencana_bawaan(timezone.localdate()),
        kompetensi=kompetensi, level_target=level_target, bentuk=bentuk, jp=jp,
        catatan="Ditetapkan BKD/BPSDM", ditetapkan_provinsi=True,
    )  # fmt: skip
    kandidat.save(update_fields=["baris_rencana"])
    return kandidat


@transaction.atomic
def kandidat_remove(*, kandidat: KandidatSuksesi) -> None:
    """A candidate withdrawn: their plan line goes too while it is open and its plan not yet
    agreed; a done line, or one the atasan agreed, stays in the plan."""
    baris = kandidat.baris_rencana
    kandidat.delete()
    if baris is not None and baris.status != baris.Status.SELESAI and not baris.rencana.is_locked:
        pelatihan_services.baris_rencana_remove(baris=baris)


def komite_add(*, user: User, by: User) -> AnggotaKomiteTalenta:
    """A member of the talent committee, told where the talent pages are (their sidebar shows
    no entry for them: reading committee membership on every page costs every page a query)."""
    anggota = AnggotaKomiteTalenta(user=user, ditambah_oleh=by)
    anggota.full_clean()
    anggota.save()
    notifikasi_buat(
        penerima=user, kunci=f"komite-talenta-{anggota.pk}",
        judul="Anda diangkat menjadi anggota komite talenta",
        url=reverse("pembinaan:talenta_index"),
        pesan="Anda dapat membaca pemetaan talenta dan mengkalibrasi penempatan pegawai.",
    )  # fmt: skip
    return anggota


def komite_remove(*, anggota: AnggotaKomiteTalenta) -> None:
    anggota.delete()


@transaction.atomic
def kalender_pribadi_buat(*, user: User) -> KalenderPribadi:
    """Give this login a new secret feed address: the first, or one that replaces the old (which
    then opens nothing)."""
    feed = KalenderPribadi.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = KalenderPribadi(user=user)
    else:
        feed.token = secrets.token_urlsafe(32)
        feed.created_at = timezone.now()
        feed.dicabut_at = None
        feed.dibaca_at = None
    feed.full_clean(exclude=["user"])
    feed.save()
    return feed


def kalender_pribadi_cabut(*, user: User) -> bool:
    """End this login's feed address; False when there was none live."""
    return bool(
        KalenderPribadi.objects.filter(user=user, dicabut_at__isnull=True).update(
            dicabut_at=timezone.now()
        )
    )


# --- API clients (pembinaan.api) ---------------------------------------------------------------


@transaction.atomic
def klien_api_create(
    *, nama: str, units: list[UnitKerja], cakupan: str, by: User
) -> tuple[KlienApi, str]:
    """Issue a token to a client system: the client and the token, which is shown this once
    (only its SHA-256 is kept). The history records who issued it (the audit log)."""
    token = KlienApi.token_new()
    klien = KlienApi(
        nama=nama, cakupan=cakupan, token_sha256=KlienApi.token_hash(token),
        awalan=token[: len(KLIEN_API_PREFIX) + 4], dibuat_oleh=by,
        unit_teks="; ".join(sorted(u.nama for u in units)),
    )  # fmt: skip
    klien.full_clean()
    klien._history_user = by
    klien.save()
    klien.units.set(units)
    return klien, token


@transaction.atomic
def klien_api_revoke(*, klien: KlienApi, by: User) -> KlienApi:
    """Revoke a token: every call with it is refused (401) from now on. Once: a second
    revocation changes nothing."""
    klien = KlienApi.objects.select_for_update().get(pk=klien.pk)
    if klien.dicabut_at is None:
        klien.dicabut_at = timezone.now()
        klien.dicabut_oleh = by
        klien._history_user = by
        klien.save(update_fields=["dicabut_at", "dicabut_oleh"])
    return klien
