"""Writes to trainings: enrolment under the batch's row lock, the waitlist, attendance,
completion, certificates, external activities and the JP ledger; scholarship applications and
decisions."""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string

from pegawai import services as pegawai_services
from pegawai.models import Pegawai, User, tanggal_libur
from pegawai.notifikasi import notifikasi_buat, notifikasi_pegawai, notifikasi_pengelola
from pembinaan.lib.angka import angka, persen
from pembinaan.lib.dates import add_months, is_working_day
from pembinaan.lib.freshness import figures_stale

from . import reports
from .models import (
    BERKAS_SUDAH_DIKLAIM,
    Angkatan,
    AturanKonversiJP,
    BarisRencana,
    CatatanJP,
    JenisPengembangan,
    KegiatanEksternal,
    Kehadiran,
    PelatihanKompetensi,
    PendaftaranBeasiswa,
    PenilaianKompetensi,
    Peserta,
    ProgramBeasiswa,
    RencanaPengembangan,
    Sertifikat,
    Sesi,
    StudiPegawai,
    berkas_sha256,
)
from .referensi import RENCANA_USULAN

Status = Peserta.Status


# --- Notifications (pegawai.notifikasi) ---------------------------------------------------
# Each key names the row, the event and the moment of the request or decision, so a request
# made again after a refusal, or a result decided anew, notifies again, and a step run twice
# does not.


def _stamp(moment) -> int:
    return round(moment.timestamp() * 1_000_000)  # microseconds: two steps in one second differ


def _kunci_peserta(peserta: Peserta, event: str, moment=None) -> str:
    return f"pelatihan:peserta:{peserta.pk}:{event}:{_stamp(moment or peserta.created_at)}"


def _to_pegawai(pegawai: Pegawai, by: User | None, **event) -> None:
    """Tell a pegawai what was decided about them, unless they did it themself."""
    if by is not None and pegawai.user_id == by.pk:
        return
    notifikasi_pegawai(pegawai, **event)


def _peserta_url(peserta: Peserta) -> str:
    return (
        f"{reverse('pelatihan:angkatan_detail', args=[peserta.angkatan_id])}#peserta-{peserta.pk}"
    )


def _to_confirming_hr(peserta: Peserta, by: User | None) -> None:
    """The HR who may confirm a seat (access.can_confirm_peserta): the participant's unit's and
    the organising unit's (a training of the province: the province's HR)."""
    event = {
        "kunci": _kunci_peserta(peserta, "konfirmasi"),
        "judul": f"Konfirmasi peserta: {peserta.pegawai.nama_lengkap}",
        "url": _peserta_url(peserta),
        "pesan": f"Pengajuan {peserta.pegawai.nama_lengkap} untuk {peserta.angkatan} menunggu "
        "konfirmasi pengelola.",
    }
    notifikasi_pengelola(peserta.pegawai.unit_id, kecuali=by, **event)
    organiser = peserta.angkatan.pelatihan.unit_penyelenggara_id
    if organiser is None:
        _to_province_hr(by, **event)
    elif organiser != peserta.pegawai.unit_id:
        notifikasi_pengelola(organiser, kecuali=by, **event)


def pengelola_provinsi() -> "list[User]":
    """The province's HR officers (BKD/BPSDM), who decide what belongs to the whole province."""
    return list(User.objects.filter(is_active=True, pengelola_provinsi=True).order_by("pk"))


def _to_province_hr(by: User | None, **event) -> int:
    count = 0
    for user in pengelola_provinsi():
        if by is None or user.pk != by.pk:
            count += notifikasi_buat(penerima=user, **event) is not None
    return count


def _locked_angkatan(pk: int) -> Angkatan:
    """The batch, locked until the transaction ends: seats are counted and given under it, so
    two requests for the last seat are served one after the other."""
    return Angkatan.objects.select_for_update().select_related("pelatihan").get(pk=pk)


def _seats_taken(angkatan: Angkatan) -> int:
    return angkatan.peserta.filter(status=Status.TERDAFTAR).count()


def _check_calendar(pegawai: Pegawai, angkatan: Angkatan) -> None:
    # The pegawai's row is locked too: two batches requested at once cannot both pass.
    Pegawai.objects.select_for_update().filter(pk=pegawai.pk).first()
    clash = (
        Peserta.objects.filter(
            pegawai=pegawai,
            status__in=Peserta.ACTIVE,
            angkatan__tanggal_mulai__lte=angkatan.tanggal_selesai,
            angkatan__tanggal_selesai__gte=angkatan.tanggal_mulai,
        )
        .exclude(angkatan=angkatan)
        .select_related("angkatan__pelatihan")
        .first()
    )
    if clash:
        other = clash.angkatan
        raise ValidationError(
            f"{pegawai.nama_lengkap} sudah terdaftar di {other} "
            f"({other.tanggal_mulai:%d/%m/%Y}–{other.tanggal_selesai:%d/%m/%Y}), yang tanggalnya "
            "bertumpang tindih."
        )


def _enter(angkatan: Angkatan, pegawai: Pegawai, status: str, *, reason: str = "") -> Peserta:
    """Create the participation, or revive a cancelled or rejected one (one row per pair);
    `reason` is the audit log's "Alasan" of the change (who outside the site made it)."""
    peserta = Peserta.objects.filter(angkatan=angkatan, pegawai=pegawai).first()
    if peserta and peserta.status in Peserta.ACTIVE:
        raise ValidationError(
            f"{pegawai.nama_lengkap} sudah ada di angkatan ini ({peserta.get_status_display()})."
        )
    peserta = peserta or Peserta(angkatan=angkatan, pegawai=pegawai)
    peserta.status = status
    peserta.alasan = ""
    peserta.created_at = timezone.now()  # the waitlist is served in order of (re)entry
    if reason:
        peserta._change_reason = reason
    peserta.save()
    return peserta


def _seat_or_wait(angkatan: Angkatan) -> str:
    return Status.TERDAFTAR if _seats_taken(angkatan) < angkatan.kuota else Status.DAFTAR_TUNGGU


def _check_enrolable(angkatan: Angkatan, *, open_only: bool) -> None:
    allowed = [Angkatan.Status.PENDAFTARAN]
    if not open_only:
        allowed.append(Angkatan.Status.DIRENCANAKAN)
    if angkatan.status not in allowed:
        raise ValidationError(
            f"Angkatan ini berstatus {angkatan.get_status_display().lower()}; pendaftaran tidak "
            "dapat dilakukan."
        )


@transaction.atomic
def peserta_nominate(*, angkatan: Angkatan, pegawai: Pegawai, reason: str = "") -> Peserta:
    """HR enrols a pegawai: a seat while one is free, the waitlist after that."""
    angkatan = _locked_angkatan(angkatan.pk)
    _check_enrolable(angkatan, open_only=False)
    _check_calendar(pegawai, angkatan)
    return _enter(angkatan, pegawai, _seat_or_wait(angkatan), reason=reason)


@dataclass
class HasilNominasi:
    terdaftar: list[Pegawai] = field(default_factory=list)
    daftar_tunggu: list[Pegawai] = field(default_factory=list)
    dilewati: list[tuple[Pegawai, str]] = field(default_factory=list)


def peserta_nominate_many(
    *, angkatan: Angkatan, pegawai: Iterable[Pegawai], reason: str = ""
) -> HasilNominasi:
    """Nominate each pegawai in turn; one who cannot join is skipped with the reason. `reason`
    goes into each row's history (the API names its client system there)."""
    result = HasilNominasi()
    for person in pegawai:
        try:
            peserta = peserta_nominate(angkatan=angkatan, pegawai=person, reason=reason)
        except ValidationError as error:
            result.dilewati.append((person, " ".join(error.messages)))
            continue
        bucket = result.terdaftar if peserta.status == Status.TERDAFTAR else result.daftar_tunggu
        bucket.append(person)
    return result


@transaction.atomic
def peserta_request(*, angkatan: Angkatan, pegawai: Pegawai) -> Peserta:
    """A pegawai asks to join an open batch; their atasan approves first, then HR confirms."""
    angkatan = _locked_angkatan(angkatan.pk)
    _check_enrolable(angkatan, open_only=True)
    _check_calendar(pegawai, angkatan)
    first_step = Status.DIAJUKAN if pegawai.atasan_id else Status.DISETUJUI_ATASAN
    peserta = _enter(angkatan, pegawai, first_step)
    peserta.angkatan = angkatan
    if first_step == Status.DIAJUKAN:
        notifikasi_pegawai(
            pegawai.atasan,
            kunci=_kunci_peserta(peserta, "diajukan"),
            judul=f"Pengajuan pelatihan {pegawai.nama_lengkap}",
            url=_peserta_url(peserta),
            pesan=f"{pegawai.nama_lengkap} mengajukan diri mengikuti {angkatan}. Setujui atau "
            "tolak di halaman angkatan.",
        )
    else:
        _to_confirming_hr(peserta, by=pegawai.user)  # not the officer who asked for themself
    return peserta


def _locked_peserta(peserta: Peserta) -> Peserta:
    rows = Peserta.objects.select_for_update(of=("self", "pegawai")).select_related(
        "pegawai", "angkatan__pelatihan"
    )
    return rows.get(pk=peserta.pk)


def _require(peserta: Peserta, *statuses: str) -> None:
    if peserta.status not in statuses:
        raise ValidationError(
            f"Peserta ini berstatus {peserta.get_status_display().lower()}; langkah ini tidak "
            "dapat dilakukan."
        )


@transaction.atomic
def peserta_approve(*, peserta: Peserta, by: User | None = None) -> Peserta:
    """The atasan agrees that their subordinate joins; HR confirm next."""
    peserta = _locked_peserta(peserta)
    _require(peserta, Status.DIAJUKAN)
    peserta.status = Status.DISETUJUI_ATASAN
    peserta.save(update_fields=["status", "updated_at"])
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=_kunci_peserta(peserta, "disetujui_atasan"),
        judul=f"Pengajuan disetujui atasan: {peserta.angkatan}",
        url=_peserta_url(peserta),
        pesan="Atasan Anda menyetujui pengajuan Anda; menunggu konfirmasi pengelola.",
    )
    _to_confirming_hr(peserta, by)
    return peserta


@transaction.atomic
def peserta_reject(*, peserta: Peserta, alasan: str, by: User | None = None) -> Peserta:
    if not alasan.strip():
        raise ValidationError("Tuliskan alasan penolakan.")
    peserta = _locked_peserta(peserta)
    _require(peserta, Status.DIAJUKAN, Status.DISETUJUI_ATASAN)
    peserta.status = Status.DITOLAK
    peserta.alasan = alasan.strip()
    peserta.save(update_fields=["status", "alasan", "updated_at"])
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=_kunci_peserta(peserta, "ditolak"),
        judul=f"Pengajuan ditolak: {peserta.angkatan}",
        url=_peserta_url(peserta),
        pesan=f"Alasan: {peserta.alasan}",
    )
    return peserta


@transaction.atomic
def peserta_confirm(*, peserta: Peserta, by: User | None = None) -> Peserta:
    """HR confirms an approved request: a seat if one is free, else the waitlist."""
    angkatan = _locked_angkatan(peserta.angkatan_id)
    peserta = _locked_peserta(peserta)
    _require(peserta, Status.DISETUJUI_ATASAN)
    peserta.status = _seat_or_wait(angkatan)
    peserta.save(update_fields=["status", "updated_at"])
    seated = peserta.status == Status.TERDAFTAR
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=_kunci_peserta(peserta, "dikonfirmasi"),
        judul=f"{'Terdaftar' if seated else 'Masuk daftar tunggu'}: {angkatan}",
        url=_peserta_url(peserta),
        pesan=f"Pengajuan Anda dikonfirmasi pengelola. Angkatan mulai "
        f"{angkatan.tanggal_mulai:%d/%m/%Y}."
        if seated
        else "Pengajuan Anda disetujui, tetapi angkatan sudah penuh: Anda mendapat kursi "
        "bila ada peserta yang batal.",
    )
    return peserta


ALASAN_MAKS = 1000  # a cancellation's reason, told to the pegawai


@transaction.atomic
def peserta_cancel(*, peserta: Peserta, alasan: str, by: User | None = None) -> Peserta:
    """Withdraw a participation: the pegawai themself, or HR with a reason (the pegawai is told
    it). A seat it held goes to the first on the waitlist, who is told too."""
    angkatan = _locked_angkatan(peserta.angkatan_id)
    peserta = _locked_peserta(peserta)
    _require(peserta, *Peserta.ACTIVE)
    if angkatan.has_ended:
        raise ValidationError("Angkatan ini sudah selesai atau dibatalkan.")
    if peserta.lulus is not None:
        raise ValidationError("Hasil peserta ini sudah diputuskan; keikutsertaannya tetap.")
    by_themself = by is not None and peserta.pegawai.user_id == by.pk
    if len(alasan) > ALASAN_MAKS:
        raise ValidationError(
            f"Alasan pembatalan {peserta.pegawai.nama_lengkap} paling banyak "
            f"{angka(ALASAN_MAKS)} karakter (tertulis {angka(len(alasan))})."
        )
    if by is not None and not by_themself and not alasan.strip():
        raise ValidationError(
            f"Tuliskan alasan pembatalan {peserta.pegawai.nama_lengkap}; alasan itu "
            "disampaikan kepadanya."
        )
    held_seat = peserta.status == Status.TERDAFTAR
    peserta.status = Status.DIBATALKAN
    peserta.alasan = alasan.strip()
    peserta.save(update_fields=["status", "alasan", "updated_at"])
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=_kunci_peserta(peserta, "dibatalkan", peserta.updated_at),
        judul=f"Keikutsertaan dibatalkan: {angkatan}",
        url=_peserta_url(peserta),
        pesan="Pengelola membatalkan keikutsertaan Anda."
        + (f" Alasan: {peserta.alasan}" if peserta.alasan else ""),
    )
    if held_seat:
        _fill_seats(angkatan)
    return peserta


def _fill_seats(angkatan: Angkatan) -> list[Peserta]:
    """Move the waitlist up, first come first served, while seats are free, and tell each one
    moved up. Runs under the batch's lock; an ended batch's waitlist is closed, not served."""
    if angkatan.has_ended:
        return []
    free = angkatan.kuota - _seats_taken(angkatan)
    promoted = list(
        angkatan.peserta.filter(status=Status.DAFTAR_TUNGGU)
        .select_related("pegawai")
        .order_by("created_at", "pk")[: max(free, 0)]
    )
    for peserta in promoted:
        peserta.status = Status.TERDAFTAR
        peserta.save(update_fields=["status", "updated_at"])
        notifikasi_pegawai(
            peserta.pegawai,
            kunci=_kunci_peserta(peserta, "naik", peserta.updated_at),
            judul=f"Terdaftar dari daftar tunggu: {angkatan}",
            url=_peserta_url(peserta),
            pesan="Ada kursi kosong: Anda kini terdaftar. Angkatan mulai "
            f"{date_format(angkatan.tanggal_mulai, 'j F Y')}.",
        )
    return promoted


def _close_waitlist(angkatan: Angkatan) -> int:
    """An ended batch serves nobody from its waitlist: each waiting pegawai gets the closed
    status (no longer holding their calendar) and is told."""
    waiting = list(angkatan.peserta.filter(status=Status.DAFTAR_TUNGGU).select_related("pegawai"))
    for peserta in waiting:
        peserta.status = Status.TUNGGU_DITUTUP
        peserta.save(update_fields=["status", "updated_at"])
        notifikasi_pegawai(
            peserta.pegawai,
            kunci=_kunci_peserta(peserta, "tunggu_ditutup"),
            judul=f"Daftar tunggu ditutup: {angkatan}",
            url=_peserta_url(peserta),
            pesan="Angkatan ini telah berakhir tanpa kursi kosong bagi Anda. Ajukan diri di "
            "angkatan berikutnya.",
        )
    return len(waiting)


def session_days(start: date, end: date, *, libur: Collection[date]) -> list[date]:
    """The working days of a batch: Monday to Friday, neither a national holiday nor a cuti
    bersama (`libur`). A batch held only on weekends (a weekend workshop) keeps its weekend
    days, but never a holiday: a batch on holidays only has no day (refused, LIBUR_SAJA)."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    working = [d for d in days if is_working_day(d, libur=libur)]
    return working or [d for d in days if d not in libur]


LIBUR_SAJA = (
    "Semua tanggal angkatan ini hari libur nasional atau cuti bersama, jadi tidak ada hari "
    "untuk sesi. Pilih tanggal lain."
)


HARI_KE = re.compile(r"^Hari ke-\d+$")


def _sesi_number(angkatan: Angkatan) -> None:
    """Name each session "Hari ke-N" by its place in date order, once its dates are settled; a
    topic HR wrote themselves (anything but "Hari ke-N") is kept."""
    renamed = []
    for number, sesi in enumerate(angkatan.sesi.order_by("tanggal"), start=1):
        topik = f"Hari ke-{number}"
        if (not sesi.topik or HARI_KE.match(sesi.topik)) and sesi.topik != topik:
            sesi.topik = topik
            renamed.append(sesi)
    Sesi.objects.bulk_update(renamed, ["topik"])


@transaction.atomic
def angkatan_save(*, angkatan: Angkatan) -> Angkatan:
    """Save a batch. Its sessions follow its dates until attendance is taken; a larger quota
    moves the waitlist up at once."""
    angkatan.full_clean()
    wanted = session_days(angkatan.tanggal_mulai, angkatan.tanggal_selesai, libur=tanggal_libur())
    if not wanted:
        raise ValidationError({"tanggal_selesai": LIBUR_SAJA})
    angkatan.save()
    angkatan = _locked_angkatan(angkatan.pk)
    if not Kehadiran.objects.filter(sesi__angkatan=angkatan).exists():
        angkatan.sesi.exclude(tanggal__in=wanted).delete()
        existing = set(angkatan.sesi.values_list("tanggal", flat=True))
        Sesi.objects.bulk_create(
            Sesi(angkatan=angkatan, tanggal=day, topik="") for day in wanted if day not in existing
        )
        _sesi_number(angkatan)
    if angkatan.has_ended:
        _close_waitlist(angkatan)
    else:
        _fill_seats(angkatan)
    return angkatan


@transaction.atomic
def kehadiran_record(*, sesi: Sesi, hadir: set[int]) -> int:
    """Record who attended a session: `hadir` holds the ids of the participants present; every
    other registered participant is recorded absent."""
    peserta = list(
        sesi.angkatan.peserta.filter(status=Status.TERDAFTAR).values_list("pk", flat=True)
    )
    unknown = hadir - set(peserta)
    if unknown:
        raise ValidationError("Ada peserta yang tidak terdaftar di angkatan ini.")
    Kehadiran.objects.filter(sesi=sesi).delete()
    Kehadiran.objects.bulk_create(
        Kehadiran(sesi=sesi, peserta_id=pk, hadir=pk in hadir) for pk in peserta
    )
    return len(hadir)


def persentase_kehadiran(peserta: Peserta) -> float:
    sessions = peserta.angkatan.sesi.count()
    if not sessions:
        return 0.0
    present = peserta.kehadiran.filter(hadir=True).count()
    return 100.0 * present / sessions


@transaction.atomic
def peserta_decide(*, peserta: Peserta, lulus: bool, by: User | None = None) -> Peserta:
    """HR decides a participant's result. Passing needs the batch's attendance threshold and the
    post-test; it adds the training's JP to the pegawai's year, records the competencies it
    targets and issues the certificate. Refusals name the participant."""
    peserta = _locked_peserta(peserta)
    angkatan = peserta.angkatan
    nama = peserta.pegawai.nama_lengkap
    _require(peserta, Status.TERDAFTAR)
    if angkatan.status not in (Angkatan.Status.BERJALAN, Angkatan.Status.SELESAI):
        raise ValidationError(f"{nama}: kelulusan diputuskan setelah angkatan berjalan.")
    if lulus:
        attendance = persentase_kehadiran(peserta)
        if attendance < angkatan.ambang_kehadiran:
            raise ValidationError(
                f"{nama}: kehadiran {persen(attendance, 0)} di bawah ambang "
                f"{persen(angkatan.ambang_kehadiran, 0)}."
            )
        if peserta.nilai_post is None or peserta.nilai_post < angkatan.nilai_lulus:
            raise ValidationError(
                f"{nama}: nilai post-test belum mencapai nilai lulus "
                f"{angka(angkatan.nilai_lulus, -2)}."
            )
    if peserta.lulus == lulus:
        return peserta  # the same decision again: nothing changes, nobody is told twice
    peserta.lulus = lulus
    peserta.diputuskan_at = timezone.now()
    peserta.save(update_fields=["lulus", "diputuskan_at", "updated_at"])
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=_kunci_peserta(peserta, "hasil", peserta.diputuskan_at),
        judul=f"{'Lulus' if lulus else 'Tidak lulus'}: {angkatan}",
        url=reverse("pelatihan:jp_saya"),
        pesan="Hasil pelatihan Anda telah diputuskan pengelola."
        + (f" {angkatan.pelatihan.jp} JP dicatat." if lulus else ""),
    )
    if lulus:
        _credit(peserta)
        _sertifikat_issue(peserta, by)
    else:
        _uncredit(peserta)
        current = peserta.sertifikat
        if current is not None and not current.is_revoked:
            _sertifikat_withdraw(
                current, alasan="Keputusan kelulusan diubah menjadi tidak lulus.", by=by
            )
    figures_stale("pelatihan.hasil")
    return peserta


@transaction.atomic
def peserta_scores_save(
    *, peserta: Peserta, nilai_pre, nilai_post, lulus: bool | None = None, by: User | None = None
) -> Peserta:
    """HR records the pre- and post-test scores and, when given, decides the result; a refused
    decision keeps the scores unsaved too. Without a decision, a decided result stays: scores
    that would no longer pass a passed participant are refused."""
    peserta = _locked_peserta(peserta)
    peserta.nilai_pre, peserta.nilai_post = nilai_pre, nilai_post
    try:
        peserta.full_clean(exclude=["angkatan", "pegawai"])
    except ValidationError as error:
        raise ValidationError(
            f"{peserta.pegawai.nama_lengkap}: " + " ".join(error.messages)
        ) from error
    pass_mark = peserta.angkatan.nilai_lulus
    if lulus is None and peserta.lulus and (peserta.nilai_post or 0) < pass_mark:
        # A pass stands only on a post-test at the pass mark: lower scores come with a new
        # decision ("Tidak lulus"), never under a pass that no longer holds.
        typed = "kosong" if peserta.nilai_post is None else angka(peserta.nilai_post, -2)
        raise ValidationError(
            f"{peserta.pegawai.nama_lengkap}: sudah diputuskan lulus, sedangkan nilai post-test "
            f"{typed} di bawah nilai lulus {angka(pass_mark, -2)}. Nilai tidak disimpan; pilih "
            '"Tidak lulus" bila nilainya memang demikian.'
        )
    peserta.save(update_fields=["nilai_pre", "nilai_post", "updated_at"])
    if lulus is not None:
        peserta = peserta_decide(peserta=peserta, lulus=lulus, by=by)
    return peserta


def _sertifikat_notify(sertifikat: Sertifikat, by: User | None, *, issued: bool) -> None:
    peserta = sertifikat.peserta
    moment = sertifikat.diterbitkan_at if issued else sertifikat.dicabut_at
    event = "terbit" if issued else "dicabut"
    _to_pegawai(
        peserta.pegawai,
        by,
        kunci=f"pelatihan:sertifikat:{sertifikat.pk}:{event}:{_stamp(moment)}",
        judul=f"Sertifikat {'diterbitkan' if issued else 'dicabut'}: {peserta.angkatan}",
        url=reverse("pelatihan:sertifikat_pdf", args=[peserta.pk])
        if issued
        else reverse("pelatihan:jp_saya"),
        pesan=f"Nomor {sertifikat.nomor}."
        + (
            ""
            if issued
            else f" Alasan: {sertifikat.alasan_cabut} JP dan kompetensi dari pelatihan ini "
            "tidak lagi dihitung."
        ),
    )


def _credit(peserta: Peserta) -> None:
    """What a recognised pass counts for: the training's JP in the ledger, and each competency
    the training targets at its level, where that raises the pegawai's latest assessment (a
    higher level already assessed is not lowered)."""
    angkatan = peserta.angkatan
    selesai = angkatan.tanggal_selesai
    CatatanJP.objects.update_or_create(
        peserta=peserta,
        defaults={
            "pegawai_id": peserta.pegawai_id,
            "tahun": selesai.year,
            "tanggal": selesai,
            "jp": angkatan.pelatihan.jp,
            "uraian": str(angkatan)[:200],
        },
    )
    PenilaianKompetensi.objects.filter(peserta=peserta).delete()
    latest = {}
    for row in PenilaianKompetensi.objects.filter(pegawai_id=peserta.pegawai_id).order_by(
        "kompetensi_id", "-tanggal", "-pk"
    ):
        latest.setdefault(row.kompetensi_id, row.level)
    for target in PelatihanKompetensi.objects.filter(pelatihan_id=angkatan.pelatihan_id):
        if latest.get(target.kompetensi_id, 0) >= target.level:
            continue
        penilaian = PenilaianKompetensi(
            pegawai_id=peserta.pegawai_id,
            kompetensi_id=target.kompetensi_id,
            level=target.level,
            tanggal=selesai,
            sumber=PenilaianKompetensi.Sumber.PELATIHAN,
            peserta=peserta,
        )
        penilaian.full_clean()
        penilaian.save()
    rencana_close_for_peserta(peserta)


def _uncredit(peserta: Peserta) -> None:
    """Withdraw what the pass counted for: its JP, the competencies it recorded and the plan
    lines it closed."""
    CatatanJP.objects.filter(peserta=peserta).delete()
    PenilaianKompetensi.objects.filter(peserta=peserta).delete()
    _rencana_reopen(BarisRencana.objects.filter(ditutup_peserta=peserta))


def _sertifikat_number(peserta: Peserta) -> str:
    """SIBINA/<year>/<batch>/<participant>, and -2, -3 … for each one issued again."""
    base = (
        f"SIBINA/{peserta.angkatan.tanggal_selesai.year}/{peserta.angkatan_id:04d}/{peserta.pk:06d}"
    )
    issued = Sertifikat.objects.filter(peserta=peserta).count()
    return base if issued == 0 else f"{base}-{issued + 1}"


def _sertifikat_issue(peserta: Peserta, by: User | None) -> Sertifikat | None:
    """Issue a certificate unless a valid one exists; a revoked one stays revoked and the new
    one has a new number."""
    if Sertifikat.objects.filter(peserta=peserta, dicabut_at__isnull=True).exists():
        return None
    certificate = Sertifikat(
        peserta=peserta, nomor=_sertifikat_number(peserta), diterbitkan_oleh=by
    )
    certificate.full_clean()
    certificate._history_user = by  # django-simple-history, should the model record history
    certificate.save()
    _sertifikat_notify(certificate, by, issued=True)
    return certificate


def _sertifikat_withdraw(sertifikat: Sertifikat, *, alasan: str, by: User | None) -> None:
    sertifikat.dicabut_at = timezone.now()
    sertifikat.dicabut_oleh = by
    sertifikat.alasan_cabut = alasan
    sertifikat._history_user = by
    sertifikat.save(update_fields=["dicabut_at", "dicabut_oleh", "alasan_cabut"])
    _sertifikat_notify(sertifikat, by, issued=False)


@transaction.atomic
def sertifikat_revoke(*, sertifikat: Sertifikat, alasan: str, by: User | None = None) -> Sertifikat:
    """Revoke a certificate with the reason: the participation no longer counts (its JP leaves
    the ledger and the 20 JP compliance, its competencies are withdrawn, the SIASN export
    leaves it out) until a new certificate is issued. The result (lulus) stays as decided."""
    if not alasan.strip():
        raise ValidationError("Tuliskan alasan pencabutan.")
    peserta = _locked_peserta(sertifikat.peserta)
    sertifikat = Sertifikat.objects.select_for_update().get(pk=sertifikat.pk)
    if sertifikat.is_revoked:
        raise ValidationError(f"Sertifikat {sertifikat.nomor} sudah dicabut.")
    sertifikat.peserta = peserta
    _uncredit(peserta)
    _sertifikat_withdraw(sertifikat, alasan=alasan.strip(), by=by)
    figures_stale("pelatihan.sertifikat")
    return sertifikat


@transaction.atomic
def sertifikat_reissue(*, peserta: Peserta, by: User | None = None) -> Sertifikat:
    """Undo a revocation: a new certificate with a new number (the revoked one stays revoked on
    its verification page), and the participation counts again."""
    peserta = _locked_peserta(peserta)
    if not peserta.lulus:
        raise ValidationError(
            f"{peserta.pegawai.nama_lengkap} tidak lulus; sertifikat hanya untuk peserta lulus."
        )
    certificate = _sertifikat_issue(peserta, by)
    if certificate is None:
        raise ValidationError("Peserta ini sudah memiliki sertifikat yang berlaku.")
    _credit(peserta)
    figures_stale("pelatihan.sertifikat")
    return certificate


# JP are earned by what was done: an activity is recorded, and verified, once it has ended.
BELUM_SELESAI = (
    "Kegiatan dicatat dan diverifikasi setelah selesai: tanggal selesai tidak boleh setelah "
    "hari ini."
)


@transaction.atomic
def kegiatan_submit(*, kegiatan: KegiatanEksternal) -> KegiatanEksternal:
    """A pegawai records an external activity with its evidence: the JP it claims is worked
    out now by its form's rule (AturanKonversiJP), and the verifier is told (the atasan for a
    non-classical form, else the unit's HR). An evidence file already behind a claim that is
    waiting or verified is refused, by the form and, for two at once, by the database."""
    kegiatan.status = KegiatanEksternal.Status.DIAJUKAN
    if kegiatan.tanggal_selesai and kegiatan.tanggal_selesai > timezone.localdate():
        raise ValidationError({"tanggal_selesai": BELUM_SELESAI})
    if kegiatan.file and not kegiatan.berkas_sha256:
        kegiatan.berkas_sha256 = berkas_sha256(kegiatan.file)
    kegiatan.full_clean()
    kegiatan.jp = kegiatan.jp_hitung(AturanKonversiJP.objects.filter(jenis=kegiatan.jenis).first())
    try:
        with transaction.atomic():
            kegiatan.save()
    except IntegrityError:
        if (
            KegiatanEksternal.objects.klaim_aktif()
            .filter(berkas_sha256=kegiatan.berkas_sha256)
            .exists()
        ):
            raise ValidationError({"file": BERKAS_SUDAH_DIKLAIM}) from None
        raise
    pegawai = kegiatan.pegawai
    event = {
        "kunci": f"pelatihan:kegiatan:{kegiatan.pk}:diajukan",
        "judul": f"Verifikasi kegiatan: {kegiatan.nama} – {pegawai.nama_lengkap}",
        "url": f"{reverse('pelatihan:kegiatan_verifikasi')}#kegiatan-{kegiatan.pk}",
        "pesan": f"{kegiatan.get_jenis_display()}, {kegiatan.penyelenggara}, "
        f"{kegiatan.tanggal_mulai:%d/%m/%Y}; {kegiatan.jp} JP diajukan.",
    }
    if kegiatan.oleh_atasan:
        notifikasi_pegawai(pegawai.atasan, **event)
    else:
        notifikasi_pengelola(pegawai.unit_id, kecuali=pegawai.user, **event)
    return kegiatan


def _kegiatan_notify(kegiatan: KegiatanEksternal, by: User | None) -> None:
    verified = kegiatan.status == KegiatanEksternal.Status.DIVERIFIKASI
    if verified:
        pesan = f"{kegiatan.jp_dikreditkan} JP dicatat."
        if kegiatan.keterangan_kredit:
            pesan += f" {kegiatan.keterangan_kredit}"
    else:
        pesan = f"Alasan: {kegiatan.alasan_tolak}"
    _to_pegawai(
        kegiatan.pegawai,
        by,
        kunci=f"pelatihan:kegiatan:{kegiatan.pk}:{kegiatan.status}",
        judul=f"Kegiatan {'diverifikasi' if verified else 'ditolak'}: {kegiatan.nama}",
        url=reverse("pelatihan:jp_saya"),
        pesan=pesan,
    )


def _locked_kegiatan(kegiatan: KegiatanEksternal) -> KegiatanEksternal:
    kegiatan = (
        KegiatanEksternal.objects.select_for_update(of=("self",))
        .select_related("pegawai__atasan")
        .get(pk=kegiatan.pk)
    )
    if kegiatan.status != KegiatanEksternal.Status.DIAJUKAN:
        raise ValidationError("Kegiatan ini sudah diputuskan.")
    return kegiatan


def _kredit(kegiatan: KegiatanEksternal, aturan: AturanKonversiJP | None) -> tuple[int, str]:
    """The JP to credit for a claim, within its rule's caps as they stand now: per activity,
    and per year for this pegawai and form (what this year's verified ones of the same form
    were credited). With the reason when a cap cut it."""
    klaim = kegiatan.jp or kegiatan.jp_hitung(aturan)
    if not klaim:
        raise ValidationError(
            "JP kegiatan ini belum diisi dan tidak dapat dikonversi dari jenisnya."
        )
    if aturan is None:
        return klaim, ""
    jenis = kegiatan.get_jenis_display()
    kredit, alasan = klaim, ""
    if aturan.batas_per_kegiatan is not None and kredit > aturan.batas_per_kegiatan:
        kredit = aturan.batas_per_kegiatan
        alasan = f"batas {aturan.batas_per_kegiatan} JP per kegiatan {jenis}"
    if aturan.batas_per_tahun is not None:
        year = kegiatan.tanggal_selesai.year
        sudah = (
            KegiatanEksternal.objects.filter(
                pegawai_id=kegiatan.pegawai_id,
                jenis=kegiatan.jenis,
                status=KegiatanEksternal.Status.DIVERIFIKASI,
                tanggal_selesai__year=year,
            ).aggregate(total=Sum("jp_dikreditkan"))["total"]
            or 0
        )
        sisa = max(aturan.batas_per_tahun - sudah, 0)
        if kredit > sisa:
            kredit = sisa
            alasan = (
                f"batas {aturan.batas_per_tahun} JP {jenis} per tahun {year}; "
                f"{sudah} JP sudah diakui sebelumnya"
            )
    if kredit == klaim:
        return kredit, ""
    return kredit, f"Dikreditkan {kredit} dari {klaim} JP yang diajukan ({alasan})."


@transaction.atomic
def kegiatan_verify(*, kegiatan: KegiatanEksternal, by: User) -> KegiatanEksternal:
    """Credit a claim's JP to the ledger (CatatanJP), within its form's caps; a claim over a
    cap is verified with what the cap leaves (it may be nothing) and says so."""
    # The pegawai's row is locked first: two claims of the same form verified at once cannot
    # both use the rest of the year's cap.
    Pegawai.objects.select_for_update().filter(pk=kegiatan.pegawai_id).first()
    kegiatan = _locked_kegiatan(kegiatan)
    if kegiatan.tanggal_selesai > timezone.localdate():
        raise ValidationError(BELUM_SELESAI)
    aturan = AturanKonversiJP.objects.filter(jenis=kegiatan.jenis).first()
    jp, keterangan = _kredit(kegiatan, aturan)
    kegiatan.status = KegiatanEksternal.Status.DIVERIFIKASI
    kegiatan.jp_dikreditkan = jp
    kegiatan.keterangan_kredit = keterangan
    kegiatan.diverifikasi_oleh = by
    kegiatan.diverifikasi_at = timezone.now()
    kegiatan.save()
    if jp:
        CatatanJP.objects.create(
            pegawai_id=kegiatan.pegawai_id,
            kegiatan=kegiatan,
            tahun=kegiatan.tanggal_selesai.year,
            tanggal=kegiatan.tanggal_selesai,
            jp=jp,
            uraian=kegiatan.nama[:200],
        )
    _kegiatan_notify(kegiatan, by)
    figures_stale("pelatihan.kegiatan")
    rencana_close_for_kegiatan(kegiatan)
    return kegiatan


@transaction.atomic
def kegiatan_reject(*, kegiatan: KegiatanEksternal, by: User, alasan: str) -> KegiatanEksternal:
    if not alasan.strip():
        raise ValidationError("Tuliskan alasan penolakan agar pegawai dapat memperbaikinya.")
    kegiatan = _locked_kegiatan(kegiatan)
    kegiatan.status = KegiatanEksternal.Status.DITOLAK
    kegiatan.alasan_tolak = alasan.strip()
    kegiatan.diverifikasi_oleh = by
    kegiatan.diverifikasi_at = timezone.now()
    kegiatan.save()
    _kegiatan_notify(kegiatan, by)
    return kegiatan


def aturan_jp_save(*, aturan: AturanKonversiJP, by: User) -> AturanKonversiJP:
    """An administrator's change to a conversion rule; claims already verified keep their
    credit, claims waiting are credited by the rule as it is when they are verified."""
    aturan.diubah_oleh = by
    aturan.full_clean()
    aturan.save()
    return aturan


# How long before a certificate's expiry its holder (and their unit's HR) are reminded.
HARI_PENGINGAT_SERTIFIKAT = 90


def sertifikat_pengingat_kirim(*, today: date) -> int:
    """Remind the holders of certificates that expire within 90 days, and their unit's HR (who
    plan the re-certification: a nurse's BTCLS, say), once per certificate: the row is claimed
    before the notifications are made, so a second run (or a second worker) finds it taken.
    The number of certificates reminded."""
    due = (
        KegiatanEksternal.objects.klaim_aktif()
        .filter(
            berlaku_sampai__gte=today,
            berlaku_sampai__lte=today + timedelta(days=HARI_PENGINGAT_SERTIFIKAT),
            diingatkan_at__isnull=True,
        )
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = KegiatanEksternal.objects.filter(pk=pk, diingatkan_at__isnull=True).update(
                diingatkan_at=timezone.now()
            )
            if not claimed:
                continue
            kegiatan = KegiatanEksternal.objects.select_related("pegawai__user").get(pk=pk)
            _sertifikat_pengingat(kegiatan)
        count += 1
    return count


def _sertifikat_pengingat(kegiatan: KegiatanEksternal) -> None:
    pegawai = kegiatan.pegawai
    berakhir = date_format(kegiatan.berlaku_sampai, "j F Y")
    kunci = f"pelatihan:kegiatan:{kegiatan.pk}:berlaku:{kegiatan.berlaku_sampai:%Y%m%d}"
    notifikasi_pegawai(
        pegawai,
        kunci=kunci,
        judul=f"Sertifikat segera berakhir: {kegiatan.nama}",
        url=reverse("pelatihan:jp_saya"),
        pesan=f"Berlaku sampai {berakhir}. Rencanakan pembaruannya bersama atasan dan "
        "pengelola kepegawaian.",
    )
    notifikasi_pengelola(
        pegawai.unit_id,
        kecuali=pegawai.user,
        kunci=kunci,
        judul=f"Sertifikat {pegawai.nama_lengkap} berakhir {berakhir}: {kegiatan.nama}",
        url=f"{reverse('pelatihan:kegiatan_berlaku')}#kegiatan-{kegiatan.pk}",
        pesan=f"{kegiatan.penyelenggara}; nomor {kegiatan.nomor_sertifikat or '–'}.",
    )


# --- Scholarships -----------------------------------------------------------------------


def beasiswa_syarat_gagal(
    *,
    program: ProgramBeasiswa,
    pegawai: Pegawai,
    predikat: list[str],
    tanpa_hukuman: bool,
    on: date,
) -> list[str]:
    """Every eligibility criterion of the program that the pegawai does not meet, in words."""
    failed = []
    if pegawai.status_kepegawaian != Pegawai.StatusKepegawaian.PNS:
        failed.append(
            f"Status kepegawaian {pegawai.get_status_kepegawaian_display()}; hanya PNS "
            "yang dapat diberi tugas belajar atau izin belajar."
        )
    years, months = pegawai.masa_kerja(on)
    if years < program.masa_kerja_min_tahun:
        failed.append(
            f"Masa kerja {years} tahun {months} bulan; paling sedikit "
            f"{program.masa_kerja_min_tahun} tahun sejak CPNS."
        )
    age = pegawai.usia(on)
    if age > program.usia_maks:
        failed.append(
            f"Usia {age} tahun; untuk jenjang {program.get_jenjang_display()} paling "
            f"tinggi {program.usia_maks} tahun."
        )
    labels = ["tahun lalu", "dua tahun lalu"]
    for label, value in list(zip(labels, predikat, strict=False))[: program.tahun_predikat]:
        if value not in PendaftaranBeasiswa.PREDIKAT_CUKUP:
            shown = PendaftaranBeasiswa.Predikat(value).label
            failed.append(f"Predikat kinerja {label} {shown}; paling rendah Baik.")
    if not tanpa_hukuman:
        failed.append("Pernah atau sedang dijatuhi hukuman disiplin sedang atau berat.")
    studies = StudiPegawai.objects.filter(pegawai=pegawai)
    if studies.filter(
        status=StudiPegawai.Status.AKTIF, jenis=ProgramBeasiswa.Jenis.TUGAS_BELAJAR
    ).exists():
        failed.append("Sedang menjalani tugas belajar lain.")
    bond = (
        studies.filter(ikatan_dinas_sampai__gte=on)
        .exclude(status=StudiPegawai.Status.AKTIF)
        .first()
    )
    if bond:
        failed.append(f"Masih terikat ikatan dinas sampai {bond.ikatan_dinas_sampai:%d/%m/%Y}.")
    return failed


def beasiswa_program_create(*, program: ProgramBeasiswa) -> ProgramBeasiswa:
    """A scholarship round; linked to an agreement, that agreement must be in force and of the
    program's university (ProgramBeasiswa.clean)."""
    program.full_clean()
    program.save()
    return program


def predikat_tercatat(
    *, pegawai: Pegawai, on: date, program: ProgramBeasiswa | None = None
) -> dict[str, str]:
    """The predicates of the years an application asks for that SIBINA holds, by the field of
    the application they fill. evaluasi keeps them and sits above this app, so the settings
    name the reader (PREDIKAT_KINERJA_TAHUNAN) instead of an import."""
    read = import_string(settings.PREDIKAT_KINERJA_TAHUNAN)
    asked = program.tahun_diminta if program else PendaftaranBeasiswa.TAHUN_PREDIKAT
    years = {on.year - back: name for name, back in asked}
    held = read(pegawai=pegawai, tahun=list(years))
    return {years[year]: predikat for year, predikat in held.items()}


@transaction.atomic
def beasiswa_apply(*, pendaftaran: PendaftaranBeasiswa, on: date) -> PendaftaranBeasiswa:
    """File an application; the eligibility check runs at once and names every failed criterion.
    The predicates SIBINA holds replace the declaration; the declaration fills the other years."""
    program = ProgramBeasiswa.objects.select_for_update().get(pk=pendaftaran.program_id)
    if not program.is_open(on):
        raise ValidationError("Pendaftaran program ini sedang tidak dibuka.")
    if PendaftaranBeasiswa.objects.filter(program=program, pegawai=pendaftaran.pegawai).exists():
        raise ValidationError("Anda sudah mendaftar di program ini.")
    held = predikat_tercatat(pegawai=pendaftaran.pegawai, on=on, program=program)
    for name, _ in PendaftaranBeasiswa.TAHUN_PREDIKAT[program.tahun_predikat :]:
        setattr(pendaftaran, name, "")  # a year the program does not check
    for name, back in program.tahun_diminta:
        if name in held:
            setattr(pendaftaran, name, held[name])
        elif not getattr(pendaftaran, name):
            raise ValidationError(
                f"Isi predikat kinerja tahun {on.year - back}: SIBINA belum mencatatnya."
            )
    pendaftaran.predikat_tercatat = [name for name, _ in program.tahun_diminta if name in held]
    pendaftaran.syarat_gagal = beasiswa_syarat_gagal(
        program=program,
        pegawai=pendaftaran.pegawai,
        predikat=[pendaftaran.predikat_tahun_lalu, pendaftaran.predikat_dua_tahun_lalu],
        tanpa_hukuman=pendaftaran.tanpa_hukuman_disiplin,
        on=on,
    )
    S = PendaftaranBeasiswa.Status
    pendaftaran.status = S.TIDAK_MEMENUHI if pendaftaran.syarat_gagal else S.MEMENUHI_SYARAT
    pendaftaran.full_clean()
    pendaftaran.save()
    if pendaftaran.status == S.MEMENUHI_SYARAT:
        pegawai = pendaftaran.pegawai
        event = {
            "kunci": f"pelatihan:pendaftaran:{pendaftaran.pk}:diajukan",
            "url": pendaftaran.get_absolute_url(),
            "pesan": f"{pegawai.nama_lengkap} mendaftar {program} dan memenuhi syarat.",
        }
        if pegawai.atasan_id:
            notifikasi_pegawai(
                pegawai.atasan, judul=f"Rekomendasi beasiswa {pegawai.nama_lengkap}", **event
            )
        else:
            _to_province_hr(None, judul=f"Pendaftaran beasiswa {pegawai.nama_lengkap}", **event)
    return pendaftaran


def _beasiswa_notify(pendaftaran: PendaftaranBeasiswa, by: User | None) -> None:
    accepted = pendaftaran.status == PendaftaranBeasiswa.Status.DITERIMA
    _to_pegawai(
        pendaftaran.pegawai,
        by,
        kunci=f"pelatihan:pendaftaran:{pendaftaran.pk}:{pendaftaran.status}",
        judul=f"Beasiswa {'diterima' if accepted else 'tidak diterima'}: {pendaftaran.program}",
        url=pendaftaran.get_absolute_url(),
        pesan="Selamat; pantau studi Anda di SIBINA." if accepted else pendaftaran.catatan,
    )


@transaction.atomic
def beasiswa_accept(
    *,
    pendaftaran: PendaftaranBeasiswa,
    tanggal_mulai: date,
    peringkat: int | None = None,
    by: User | None = None,
) -> StudiPegawai:
    """Accept an eligible applicant within the quota; the study record carries the service bond
    of a tugas belajar (the program's factor × the study period, from the planned end)."""
    program = ProgramBeasiswa.objects.select_for_update().get(pk=pendaftaran.program_id)
    pendaftaran = (
        PendaftaranBeasiswa.objects.select_for_update(of=("self",))
        .select_related("pegawai", "program")
        .get(pk=pendaftaran.pk)
    )
    if pendaftaran.status != PendaftaranBeasiswa.Status.MEMENUHI_SYARAT:
        raise ValidationError("Hanya pendaftar yang memenuhi syarat yang dapat diterima.")
    if pendaftaran.menunggu_rekomendasi:
        raise ValidationError(pendaftaran.menunggu_rekomendasi_pesan)
    if program.jenis == ProgramBeasiswa.Jenis.TUGAS_BELAJAR:
        # Checked when applying too, but another program may have accepted them since.
        other = (
            StudiPegawai.objects.filter(
                pegawai_id=pendaftaran.pegawai_id,
                status=StudiPegawai.Status.AKTIF,
                jenis=ProgramBeasiswa.Jenis.TUGAS_BELAJAR,
            )
            .select_related("pendaftaran__program")
            .first()
        )
        if other:
            raise ValidationError(
                f"{pendaftaran.pegawai.nama_lengkap} sedang menjalani tugas belajar lain "
                f"({other.pendaftaran.program}); seorang pegawai hanya dapat menjalani satu "
                "tugas belajar."
            )
    accepted = program.pendaftaran.filter(status=PendaftaranBeasiswa.Status.DITERIMA).count()
    if accepted >= program.kuota:
        raise ValidationError(f"Kuota program ini ({program.kuota}) sudah terisi.")
    pendaftaran.status = PendaftaranBeasiswa.Status.DITERIMA
    pendaftaran.peringkat = peringkat or pendaftaran.peringkat
    pendaftaran.save(update_fields=["status", "peringkat"])
    _beasiswa_notify(pendaftaran, by)
    selesai = add_months(tanggal_mulai, program.lama_studi_bulan)
    bond = None
    if program.jenis == ProgramBeasiswa.Jenis.TUGAS_BELAJAR:
        bond = add_months(selesai, program.faktor_ikatan_dinas * program.lama_studi_bulan)
    return StudiPegawai.objects.create(
        pendaftaran=pendaftaran,
        pegawai_id=pendaftaran.pegawai_id,
        jenis=program.jenis,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai_rencana=selesai,
        ikatan_dinas_sampai=bond,
    )


@transaction.atomic
def beasiswa_reject(
    *, pendaftaran: PendaftaranBeasiswa, catatan: str, by: User | None = None
) -> PendaftaranBeasiswa:
    if not catatan.strip():
        raise ValidationError("Tuliskan alasan agar pendaftar mengetahuinya.")
    pendaftaran = (
        PendaftaranBeasiswa.objects.select_for_update(of=("self",))
        .select_related("pegawai", "program")
        .get(pk=pendaftaran.pk)
    )
    if pendaftaran.status in (
        PendaftaranBeasiswa.Status.DITERIMA,
        PendaftaranBeasiswa.Status.DITOLAK,
    ):
        raise ValidationError("Pendaftaran ini sudah diputuskan.")
    if pendaftaran.menunggu_rekomendasi:
        raise ValidationError(pendaftaran.menunggu_rekomendasi_pesan)
    pendaftaran.status = PendaftaranBeasiswa.Status.DITOLAK
    pendaftaran.catatan = catatan.strip()
    pendaftaran.save(update_fields=["status", "catatan"])
    _beasiswa_notify(pendaftaran, by)
    return pendaftaran


@transaction.atomic
def pendaftaran_rekomendasi(
    *, pendaftaran: PendaftaranBeasiswa, by: User | None, rekomendasi: bool, catatan: str = ""
) -> PendaftaranBeasiswa:
    """The applicant's direct atasan recommends the application, or not (with the reason),
    once, before the province decides. `by` is None for an atasan without a login, whose
    word came on paper."""
    pendaftaran = (
        PendaftaranBeasiswa.objects.select_for_update(of=("self",))
        .select_related("pegawai", "program")
        .get(pk=pendaftaran.pk)
    )
    if pendaftaran.status != PendaftaranBeasiswa.Status.MEMENUHI_SYARAT:
        raise ValidationError("Pendaftaran ini tidak sedang menunggu keputusan.")
    if pendaftaran.rekomendasi is not None:
        raise ValidationError("Rekomendasi atasan untuk pendaftaran ini sudah diberikan.")
    if not rekomendasi and not catatan.strip():
        raise ValidationError("Tuliskan alasan tidak merekomendasikan.")
    pendaftaran.rekomendasi = rekomendasi
    pendaftaran.rekomendasi_catatan = catatan.strip()
    pendaftaran.rekomendasi_oleh = by
    pendaftaran.rekomendasi_at = timezone.now()
    pendaftaran.full_clean()
    pendaftaran.save(
        update_fields=["rekomendasi", "rekomendasi_catatan", "rekomendasi_oleh", "rekomendasi_at"]
    )
    pegawai = pendaftaran.pegawai
    _to_province_hr(
        by,
        kunci=f"pelatihan:pendaftaran:{pendaftaran.pk}:rekomendasi",
        judul=f"Pendaftaran beasiswa {pegawai.nama_lengkap} siap diputuskan",
        url=pendaftaran.get_absolute_url(),
        pesan=f"{pendaftaran.rekomendasi_label}"
        + (f": {pendaftaran.rekomendasi_catatan}" if pendaftaran.rekomendasi_catatan else "."),
    )
    return pendaftaran


# --- Individual development plans (RencanaPengembangan) -----------------------------------
# A plan per pegawai per year: proposed from their gaps and last year's predicate (the rule is
# pelatihan.referensi.RENCANA_USULAN), drafted and submitted by the pegawai, agreed, changed or
# returned by their direct atasan after a one-on-one. Who may act is pelatihan.access; these
# functions keep the states right whoever calls them.


def predikat_tahun_lalu(*, pegawai: Pegawai, tahun: int) -> str | None:
    """The pegawai's predicate for the year before the plan's, where SIBINA holds it (read
    through settings.PREDIKAT_KINERJA_TAHUNAN, as predikat_tercatat does)."""
    read = import_string(settings.PREDIKAT_KINERJA_TAHUNAN)
    return read(pegawai=pegawai, tahun=[tahun - 1]).get(tahun - 1)


def rencana_usulan(*, pegawai: Pegawai, tahun: int) -> list[BarisRencana]:
    """The lines SIBINA proposes (unsaved): one per competency below the jabatan's standard,
    none where there is no gap; a low predicate makes them priorities and adds coaching for the
    largest gap (RENCANA_USULAN)."""
    gaps = [g for g in reports.kesenjangan_pegawai(pegawai) if g.gap]
    if not gaps:
        return []
    passed = Peserta.objects.filter(pegawai=pegawai).diakui().values("angkatan__pelatihan")
    targets = (
        PelatihanKompetensi.objects.filter(
            kompetensi__in=[g.kompetensi for g in gaps],
            pelatihan__jenis__lte=JenisPengembangan.KLASIKAL_LAINNYA,
        )
        .exclude(pelatihan__in=passed)
        .select_related("pelatihan")
        .order_by("-level", "pelatihan__nama", "pk")
    )
    training = {}
    for target in targets:  # the training that brings the pegawai highest, per competency
        training.setdefault(target.kompetensi_id, target.pelatihan)
    predikat = predikat_tahun_lalu(pegawai=pegawai, tahun=tahun)
    low = predikat in RENCANA_USULAN["predikat_rendah"]
    lines, by_training = [], {}
    for gap in gaps:
        pelatihan = training.get(gap.kompetensi.pk)
        if pelatihan is not None and pelatihan.pk in by_training:
            # One training closing two gaps is one line (its JP and cost counted once).
            line = by_training[pelatihan.pk]
            also = f" Juga {gap.kompetensi.kode}: level {gap.dinilai}, standar {gap.standar}."
            line.catatan = (line.catatan + also)[:500]
            continue
        line = BarisRencana(
            kompetensi=gap.kompetensi,
            level_target=gap.standar,
            bentuk=pelatihan.jenis if pelatihan else RENCANA_USULAN["bentuk_tanpa_pelatihan"],
            pelatihan=pelatihan,
            jp=pelatihan.jp if pelatihan else RENCANA_USULAN["jp_tanpa_pelatihan"],
            prioritas=low,
            catatan=f"Usulan SIBINA: level {gap.dinilai}, standar jabatan {gap.standar}.",
        )
        if pelatihan is not None:
            by_training[pelatihan.pk] = line
        lines.append(line)
    if low:
        largest = gaps[0]
        label = PendaftaranBeasiswa.Predikat(predikat).label
        lines.append(
            BarisRencana(
                kompetensi=largest.kompetensi,
                level_target=largest.standar,
                bentuk=RENCANA_USULAN["bentuk_predikat_rendah"],
                jp=RENCANA_USULAN["jp_predikat_rendah"],
                prioritas=True,
                catatan=f"Usulan SIBINA: predikat kinerja {tahun - 1} {label}; coaching oleh "
                "atasan untuk kesenjangan terbesar.",
            )
        )
    return lines


def _rencana_for(pegawai: Pegawai, tahun: int) -> tuple[RencanaPengembangan, bool]:
    """The pegawai's plan of the year, made in draft when missing; the pegawai's row is locked
    so that two requests at once make one plan."""
    Pegawai.objects.select_for_update().filter(pk=pegawai.pk).first()
    return RencanaPengembangan.objects.get_or_create(pegawai=pegawai, tahun=tahun)


@transaction.atomic
def rencana_create(*, pegawai: Pegawai, tahun: int) -> RencanaPengembangan:
    """Start the year's plan in draft, with the lines SIBINA proposes."""
    rencana, made = _rencana_for(pegawai, tahun)
    if not made:
        raise ValidationError(f"Rencana pengembangan {tahun} sudah ada.")
    lines = rencana_usulan(pegawai=pegawai, tahun=tahun)
    for line in lines:
        line.rencana = rencana
        line.full_clean()
    BarisRencana.objects.bulk_create(lines)
    return rencana


@transaction.atomic
def baris_rencana_add(
    *,
    pegawai: Pegawai,
    tahun: int,
    kompetensi,
    level_target: int,
    bentuk: int,
    jp: int,
    biaya: int = 0,
    pelatihan=None,
    catatan: str = "",
    ditetapkan_provinsi: bool = False,
) -> BarisRencana:
    """Add a line to the pegawai's plan of the year, made in draft when missing. Other parts
    (talent succession) call it too: it checks the line, not who asks; the views ask
    access.can_edit_rencana first."""
    rencana, _ = _rencana_for(pegawai, tahun)
    baris = BarisRencana(
        rencana=rencana, kompetensi=kompetensi, level_target=level_target, bentuk=bentuk,
        jp=jp, biaya=biaya, pelatihan=pelatihan, catatan=catatan.strip(),
        ditetapkan_provinsi=ditetapkan_provinsi,
    )  # fmt: skip
    baris.full_clean()
    baris.save()
    return baris


def _check_line_open(baris: BarisRencana) -> None:
    if baris.status == BarisRencana.Status.SELESAI:
        raise ValidationError("Baris ini sudah terlaksana; riwayatnya tidak diubah.")
    if baris.rencana.is_locked:
        raise ValidationError("Rencana ini sudah disetujui atasan dan terkunci.")


@transaction.atomic
def baris_rencana_save(*, baris: BarisRencana) -> BarisRencana:
    """Save a changed line of a plan that is not agreed yet; a completed line stays."""
    _check_line_open(baris)
    baris.full_clean()
    baris.save()
    return baris


@transaction.atomic
def baris_rencana_remove(*, baris: BarisRencana) -> None:
    _check_line_open(baris)
    baris.delete()


def _locked_rencana(rencana: RencanaPengembangan) -> RencanaPengembangan:
    rows = RencanaPengembangan.objects.select_for_update(of=("self",)).select_related(
        "pegawai__atasan"
    )
    return rows.get(pk=rencana.pk)


@transaction.atomic
def rencana_submit(*, rencana: RencanaPengembangan, by: User | None) -> RencanaPengembangan:
    """The pegawai submits their draft (or a returned plan) to their direct atasan."""
    rencana = _locked_rencana(rencana)
    if rencana.status not in RencanaPengembangan.DAPAT_DIUBAH_PEGAWAI:
        raise ValidationError(
            f"Rencana ini berstatus {rencana.get_status_display().lower()}; tidak dapat "
            "diajukan lagi."
        )
    if not rencana.baris.exists():
        raise ValidationError(
            "Tambahkan paling sedikit satu baris pengembangan sebelum mengajukan."
        )
    atasan = rencana.pegawai.atasan
    if atasan is None:
        raise ValidationError(
            "Atasan langsung Anda belum tercatat di SIBINA; minta pengelola kepegawaian unit "
            "Anda mencatatnya, lalu ajukan lagi."
        )
    rencana.status = RencanaPengembangan.Status.DIAJUKAN
    rencana.diajukan_at = timezone.now()
    rencana._history_user = by
    rencana.save(update_fields=["status", "diajukan_at", "updated_at"])
    nama = rencana.pegawai.nama_lengkap
    notifikasi_pegawai(
        atasan,
        kunci=f"pelatihan:rencana:{rencana.pk}:diajukan:{_stamp(rencana.diajukan_at)}",
        judul=f"Rencana pengembangan {rencana.tahun}: {nama}",
        url=rencana.get_absolute_url(),
        pesan=f"{nama} mengajukan rencana pengembangan kompetensinya. Setujui, ubah atau "
        "kembalikan setelah pertemuan empat mata.",
    )
    return rencana


CATATAN_MAKS = 2000


@transaction.atomic
def rencana_decide(
    *,
    rencana: RencanaPengembangan,
    by: User,
    setuju: bool,
    tanggal_pertemuan: date | None,
    catatan: str,
    today: date,
) -> RencanaPengembangan:
    """The direct atasan agrees a submitted plan, or returns it with a note, after the
    one-on-one (its date required, not in the future). An agreed plan is locked for the pegawai;
    the pegawai is told either way."""
    rencana = _locked_rencana(rencana)
    if rencana.pegawai.user_id == by.pk:
        raise ValidationError("Anda tidak dapat memutuskan rencana pengembangan Anda sendiri.")
    if rencana.status != RencanaPengembangan.Status.DIAJUKAN:
        raise ValidationError(
            f"Rencana ini berstatus {rencana.get_status_display().lower()}; hanya rencana yang "
            "diajukan yang dapat disetujui atau dikembalikan."
        )
    if tanggal_pertemuan is None:
        raise ValidationError("Isi tanggal pertemuan empat mata dengan pegawai.")
    if tanggal_pertemuan > today:
        raise ValidationError("Tanggal pertemuan tidak boleh setelah hari ini.")
    if tanggal_pertemuan.year < rencana.tahun - 1:
        raise ValidationError(
            f"Tanggal pertemuan paling awal 1 Januari {rencana.tahun - 1} untuk rencana "
            f"{rencana.tahun}."
        )
    catatan = catatan.strip()
    if len(catatan) > CATATAN_MAKS:
        raise ValidationError(f"Catatan paling banyak {angka(CATATAN_MAKS)} karakter.")
    if not setuju and not catatan:
        raise ValidationError("Tuliskan catatan: apa yang perlu diperbaiki pegawai.")
    rencana.tanggal_pertemuan = tanggal_pertemuan
    rencana.catatan_atasan = catatan
    if setuju:
        rencana.status = RencanaPengembangan.Status.DISETUJUI
        rencana.disetujui_oleh = by
        rencana.disetujui_at = timezone.now()
    else:
        rencana.status = RencanaPengembangan.Status.DIKEMBALIKAN
    rencana._history_user = by
    rencana.full_clean()
    rencana.save()
    _to_pegawai(
        rencana.pegawai,
        by,
        kunci=f"pelatihan:rencana:{rencana.pk}:{rencana.status}:{_stamp(rencana.updated_at)}",
        judul=f"Rencana pengembangan {rencana.tahun} "
        + ("disetujui atasan" if setuju else "dikembalikan atasan"),
        url=rencana.get_absolute_url(),
        pesan=(catatan or "Rencana Anda disetujui.")
        if setuju
        else f"Perbaiki lalu ajukan lagi. Catatan: {catatan}",
    )
    return rencana


def rencana_close_for_peserta(peserta: Peserta) -> int:
    """A recognised pass closes the open lines of the pegawai's plan of the batch's year that
    name its training. The number of lines closed."""
    angkatan = peserta.angkatan
    lines = BarisRencana.objects.filter(
        rencana__pegawai_id=peserta.pegawai_id,
        rencana__tahun=angkatan.tanggal_selesai.year,
        pelatihan_id=angkatan.pelatihan_id,
        status=BarisRencana.Status.TERBUKA,
    )
    return lines.update(
        status=BarisRencana.Status.SELESAI, ditutup_peserta=peserta, ditutup_at=timezone.now()
    )


def rencana_close_for_kegiatan(kegiatan: KegiatanEksternal) -> int:
    """A verified activity closes one open line of its form (without a catalog training) in the
    pegawai's plan of the year it ended: the priority ones first, then the oldest."""
    if kegiatan.status != KegiatanEksternal.Status.DIVERIFIKASI:
        return 0
    line = (
        BarisRencana.objects.filter(
            rencana__pegawai_id=kegiatan.pegawai_id,
            rencana__tahun=kegiatan.tanggal_selesai.year,
            bentuk=kegiatan.jenis,
            pelatihan__isnull=True,
            status=BarisRencana.Status.TERBUKA,
        )
        .order_by("-prioritas", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if line is None:
        return 0
    return BarisRencana.objects.filter(pk=line).update(
        status=BarisRencana.Status.SELESAI, ditutup_kegiatan=kegiatan, ditutup_at=timezone.now()
    )


def _rencana_reopen(lines) -> int:
    """Lines whose completion no longer counts (a pass withdrawn) are open again."""
    return lines.update(
        status=BarisRencana.Status.TERBUKA,
        ditutup_peserta=None,
        ditutup_kegiatan=None,
        ditutup_at=None,
    )


@transaction.atomic
def studi_lulus(*, studi: StudiPegawai, tanggal_lulus: date, by: User | None) -> StudiPegawai:
    """A study under a scholarship finished with a degree: the study is closed as graduated and
    the degree joins the pegawai's education history (its level, the university, the study
    program and the year), which sets their pendidikan terakhir when it is the highest."""
    studi = (
        StudiPegawai.objects.select_for_update(of=("self",))
        .select_related("pegawai", "pendaftaran__program__perguruan_tinggi")
        .get(pk=studi.pk)
    )
    if studi.status != StudiPegawai.Status.AKTIF:
        raise ValidationError(f"Studi ini sudah berstatus {studi.get_status_display().lower()}.")
    if tanggal_lulus < studi.tanggal_mulai or tanggal_lulus > timezone.localdate():
        raise ValidationError("Tanggal lulus harus di antara mulai studi dan hari ini.")
    program = studi.pendaftaran.program
    studi.status = StudiPegawai.Status.LULUS
    studi.save(update_fields=["status"])
    pegawai_services.riwayat_pendidikan_add(
        pegawai=studi.pegawai,
        jenjang=program.jenjang,
        nama_sekolah=program.perguruan_tinggi.nama,
        jurusan=program.program_studi,
        tahun_lulus=tanggal_lulus.year,
        user=by,
        reason=f"Lulus {program}",
    )
    notifikasi_pegawai(
        studi.pegawai,
        kunci=f"pelatihan:studi:{studi.pk}:lulus",
        judul=f"Kelulusan dicatat: {program}",
        url=studi.get_absolute_url(),
        pesan=f"{program.get_jenjang_display()} ditambahkan ke riwayat pendidikan Anda.",
    )
    return studi
