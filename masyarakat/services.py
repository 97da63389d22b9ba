"""Writes to citizens' feedback: moderation, the unit's response, the citizen's one reply, closing.
Moderation keeps the original text; every rejection carries its reason."""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pegawai import nip as nip_rules
from pegawai.models import Pegawai, User, subtree_ids, tanggal_libur, unit_tree
from pegawai.notifikasi import notifikasi_pegawai, notifikasi_pengelola
from pembinaan.lib.angka import angka
from pembinaan.lib.dates import add_working_days
from pembinaan.lib.queue import enqueue_on_commit

from . import impor, rekap
from .kontak import kontak_normal
from .models import (
    ForumDialog,
    Masukan,
    PendaftaranForum,
    ResponSurvei,
    UnitLayanan,
    VolumeLayanan,
    layanan_aktif,
)
from .reports import Triwulan
from .surel import link, surel_warga_antre

S = Masukan.Status
# The longest reason or answer an officer may write.
BATAS_TEKS = 4000

# What the citizen is told at each step (the mail's subject and first line). Spam is not told.
KABAR = {
    S.DITERUSKAN: "Masukan Anda sudah diverifikasi dan diteruskan ke unit layanan",
    S.DITOLAK: "Masukan Anda tidak dapat diproses",
    S.DITANGGAPI: "Masukan Anda sudah ditanggapi",
    S.SELESAI: "Masukan Anda selesai ditindaklanjuti",
}


def _kabar_warga(masukan: Masukan) -> None:
    """Tell the citizen, when they left an address, of the feedback's new status (once)."""
    if masukan.status not in KABAR or not masukan.email:
        return
    judul = f"{KABAR[masukan.status]} ({masukan.kode})"
    kunci = f"masukan:{masukan.pk}:{masukan.status}"
    if masukan.status == S.DITANGGAPI:  # an answer changed before it is rated: told again
        kunci += f":{masukan.ditanggapi_at:%Y%m%d%H%M%S%f}"
    surel_warga_antre(
        kunci=kunci,
        alamat=masukan.email,
        judul=judul,
        template="masyarakat/email_masukan_status.txt",
        context={"masukan": masukan, "kabar": KABAR[masukan.status],
                 "link": link(masukan.get_tracking_url())},
    )  # fmt: skip


def _teks(value: str, *, batas: int, label: str, wajib: str = "") -> str:
    """Typed text, stripped, refused rather than cut: when it is required (`wajib`, the
    message) and empty, or longer than its field holds."""
    text = value.strip()
    if wajib and not text:
        raise ValidationError(wajib)
    if len(text) > batas:
        raise ValidationError(
            f"{label} terlalu panjang: paling banyak {_ribuan(batas)} karakter, tertulis "
            f"{_ribuan(len(text))}. Persingkat lalu kirim lagi."
        )
    return text


def _ribuan(number: int) -> str:
    return angka(number)  # 4.000, as Indonesian writes it


def _unit_subtree(unit_layanan: UnitLayanan) -> list[int]:
    """The service unit's unit kerja and the units below it, from the cached tree."""
    tree = unit_tree()
    unit = next((u for u in tree if u.pk == unit_layanan.unit_id), None)
    return subtree_ids(tree, unit) if unit else []


@transaction.atomic
def petugas_tambah(*, unit_layanan: UnitLayanan, nip: str) -> Pegawai:
    """HR assign an officer to answer the service unit's forwarded feedback: an active pegawai of
    its unit kerja or a unit below it, found by NIP."""
    typed = nip_rules.normalize(nip)
    if not typed:
        raise ValidationError("Isikan NIP pegawai yang akan ditetapkan sebagai petugas.")
    pegawai = Pegawai.objects.filter(nip=typed).first()
    if pegawai is None:
        raise ValidationError(f"Pegawai dengan NIP {typed} tidak ditemukan. Periksa NIP-nya.")
    if not pegawai.aktif:
        raise ValidationError(f"{pegawai.nama_lengkap} tidak aktif; tidak dapat menjadi petugas.")
    if pegawai.unit_id not in _unit_subtree(unit_layanan):
        raise ValidationError(
            f"{pegawai.nama_lengkap} bukan pegawai {unit_layanan.unit} atau unit di bawahnya; "
            "hanya pegawai unit itu yang dapat menjadi petugas layanan ini."
        )
    if unit_layanan.petugas.filter(pk=pegawai.pk).exists():
        raise ValidationError(f"{pegawai.nama_lengkap} sudah menjadi petugas {unit_layanan}.")
    unit_layanan.petugas.add(pegawai)
    return pegawai


@transaction.atomic
def petugas_hapus(*, unit_layanan: UnitLayanan, pegawai_id: int | None) -> Pegawai:
    """HR remove an officer: they no longer see or answer the unit's forwarded feedback."""
    pegawai = unit_layanan.petugas.filter(pk=pegawai_id).first() if pegawai_id else None
    if pegawai is None:
        raise ValidationError("Pegawai itu bukan petugas layanan ini.")
    unit_layanan.petugas.remove(pegawai)
    return pegawai


@transaction.atomic
def volume_simpan(
    *,
    unit_layanan: UnitLayanan,
    tahun: int,
    jumlah: dict[int, int | None],
    oleh: User,
    today: date,
) -> int:
    """Store a year's quarterly service volumes as HR entered them: a number replaces the
    quarter's, an empty field removes it. All or nothing; a quarter that has not begun takes
    no number. The quarters changed. Two saves at once (a double click) wait for each other on
    the service unit's row instead of both inserting a quarter."""
    UnitLayanan.objects.select_for_update().filter(pk=unit_layanan.pk).first()
    stored = {
        v.triwulan: v for v in VolumeLayanan.objects.filter(unit_layanan=unit_layanan, tahun=tahun)
    }
    changed = 0
    for ke, value in sorted(jumlah.items()):
        triwulan = Triwulan(tahun, ke)
        row = stored.get(ke)
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
            continue
        if triwulan.mulai > today:
            raise ValidationError(f"{triwulan.label} belum dimulai; volumenya diisi nanti.")
        if row is not None and row.jumlah == value:
            continue
        row = row or VolumeLayanan(unit_layanan=unit_layanan, tahun=tahun, triwulan=ke)
        row.jumlah = value
        row.diisi_oleh = oleh
        row.full_clean()
        row.save()
        changed += 1
    return changed


def _detail_url(masukan: Masukan) -> str:
    return reverse("masyarakat:masukan_detail", args=[masukan.pk])


def masukan_terima(*, masukan: Masukan) -> Masukan:
    """A citizen's feedback has just been written: its unit's HR are told by a task after the
    commit (a rolled-back one tells nobody), which keeps the public form's request as lean as
    issue 18 measured it (no read of the service unit, the HR or their roles)."""
    from .tasks import masukan_baru_task

    enqueue_on_commit(masukan_baru_task, masukan.pk, masukan.unit_layanan_id)
    return masukan


@transaction.atomic
def masukan_notify_new(*, pk: int, unit_layanan_id: int) -> int:
    """Tell the HR of the service unit's unit kerja (and above) of a feedback to verify. Reads
    the service unit from the cached active ones (a removed one: nobody to tell)."""
    layanan = layanan_aktif().get(unit_layanan_id)
    row = Masukan.objects.filter(pk=pk).values_list("kode", "pegawai_dilayani__user").first()
    if layanan is None or row is None:
        return 0
    kode, named = row
    return notifikasi_pengelola(
        layanan.unit_id,
        kecuali=User(pk=named) if named else None,  # an officer it names does not verify it
        kunci=f"masyarakat:masukan:{pk}:baru",
        judul=f"Masukan baru {kode} untuk {layanan.nama}: verifikasi dan teruskan",
        url=reverse("masyarakat:masukan_detail", args=[pk]),
    )


def _locked(masukan: Masukan) -> Masukan:
    return Masukan.objects.select_for_update().get(pk=masukan.pk)


def _require(masukan: Masukan, *statuses: str) -> None:
    if masukan.status not in statuses:
        raise ValidationError(
            f"Masukan ini berstatus {masukan.get_status_display().lower()}; langkah ini tidak "
            "dapat dilakukan."
        )


@transaction.atomic
def masukan_moderate(*, masukan: Masukan, action: str, alasan: str = "") -> Masukan:
    """HR verifies and forwards it to the unit, or rejects it or marks it spam with a reason."""
    masukan = _locked(masukan)
    _require(masukan, S.DITERIMA)
    if action == "teruskan":
        masukan.status = S.DITERUSKAN
    elif action in ("tolak", "spam"):
        masukan.alasan_moderasi = _teks(
            alasan, batas=BATAS_TEKS, label="Alasan",
            wajib="Tuliskan alasan; teks asli masukan tetap disimpan.",
        )  # fmt: skip
        masukan.status = S.DITOLAK if action == "tolak" else S.SPAM
    else:
        raise ValidationError("Tindakan tidak dikenal.")
    masukan.dimoderasi_at = timezone.now()
    masukan.save()
    if masukan.status == S.DITERUSKAN:
        # The officers HR assigned to the unit, but not the one the feedback names (they reply
        # on their own page, masukan_pegawai).
        officers = (
            Pegawai.objects.aktif()
            .filter(unit_layanan_petugas=masukan.unit_layanan_id, unit_layanan_petugas__aktif=True)
            .exclude(pk=masukan.pegawai_dilayani_id)
        )
        for officer in officers.select_related("user").filter(user__isnull=False):
            notifikasi_pegawai(
                officer, kunci=f"masyarakat:masukan:{masukan.pk}:diteruskan",
                judul=f"Masukan {masukan.kode} diteruskan ke {masukan.unit_layanan}: mohon "
                "ditanggapi",
                url=_detail_url(masukan),
            )  # fmt: skip
    _kabar_warga(masukan)
    return masukan


@transaction.atomic
def masukan_respond(*, masukan: Masukan, tanggapan: str) -> Masukan:
    """The unit answers forwarded feedback, or corrects its answer until the citizen rates it
    (a rating is of the answer the citizen read)."""
    text = _teks(tanggapan, batas=BATAS_TEKS, label="Tanggapan", wajib="Tuliskan tanggapan unit.")
    masukan = _locked(masukan)
    _require(masukan, S.DITERUSKAN, S.DITANGGAPI)
    if masukan.nilai_tanggapan is not None:
        raise ValidationError(
            "Warga sudah menilai tanggapan ini; tanggapan tidak dapat diubah lagi."
        )
    masukan.tanggapan = text
    masukan.status = S.DITANGGAPI
    masukan.ditanggapi_at = timezone.now()
    masukan.save()
    _kabar_warga(masukan)
    return masukan


# The working-day deadlines below skip weekends and `libur`, the national holidays and cuti
# bersama (pegawai.models.tanggal_libur): read once by the caller, for a page of rows as for one.


def reply_deadline(masukan: Masukan, *, libur: Collection[date]) -> date | None:
    if masukan.ditanggapi_at is None:
        return None
    return add_working_days(
        timezone.localdate(masukan.ditanggapi_at), Masukan.HARI_BALAS, libur=libur
    )


@transaction.atomic
def masukan_reply(*, masukan: Masukan, balasan: str, today: date) -> Masukan:
    """The citizen answers the unit's response, once, within 10 working days."""
    masukan = _locked(masukan)
    _require(masukan, S.DITANGGAPI)
    if masukan.dibalas_at is not None:
        raise ValidationError("Anda sudah membalas tanggapan ini.")
    if today > reply_deadline(masukan, libur=tanggal_libur()):
        raise ValidationError("Batas waktu membalas (10 hari kerja setelah tanggapan) sudah lewat.")
    masukan.balasan = _teks(balasan, batas=2000, label="Balasan", wajib="Tuliskan balasan Anda.")
    masukan.dibalas_at = timezone.now()
    masukan.save()
    return masukan


@transaction.atomic
def masukan_close(*, masukan: Masukan) -> Masukan:
    masukan = _locked(masukan)
    _require(masukan, S.DITANGGAPI)
    masukan.status = S.SELESAI
    masukan.selesai_at = timezone.now()
    masukan.save()
    _kabar_warga(masukan)
    return masukan


def masukan_close_expired(*, today: date) -> int:
    """The daily job: a response left without a reply for 10 working days closes by itself."""
    closed = 0
    libur = tanggal_libur()
    waiting = Masukan.objects.filter(status=S.DITANGGAPI, dibalas_at__isnull=True)
    waiting = waiting.select_related("unit_layanan").only(
        "pk", "ditanggapi_at", "status", "kode", "email", "nama", "unit_layanan__nama"
    )
    for masukan in waiting:
        if today > reply_deadline(masukan, libur=libur):
            with transaction.atomic():
                done = Masukan.objects.filter(pk=masukan.pk, status=S.DITANGGAPI).update(
                    status=S.SELESAI, ditutup_otomatis=True, selesai_at=timezone.now()
                )
                if done:
                    masukan.status = S.SELESAI
                    _kabar_warga(masukan)
            closed += done
    return closed


@transaction.atomic
def masukan_rate(*, masukan: Masukan, nilai: str | int, ulasan: str = "") -> Masukan:
    """The citizen rates the unit's response once: 1 to 5 and one line."""
    masukan = _locked(masukan)
    _require(masukan, S.DITANGGAPI, S.SELESAI)
    if masukan.dinilai_at is not None:
        raise ValidationError("Anda sudah menilai tanggapan ini.")
    try:
        number = int(nilai)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError("Pilih nilai 1 sampai 5.")
    text = " ".join(str(ulasan).split())
    if len(text) > 200:
        raise ValidationError("Ulasan paling banyak 200 karakter; singkatkan dalam satu baris.")
    masukan.nilai_tanggapan = number
    masukan.ulasan_tanggapan = text
    masukan.dinilai_at = timezone.now()
    masukan.save()
    return masukan


def tanggapan_deadline(masukan: Masukan, *, libur: Collection[date]) -> date | None:
    """The unit's SLA: a response within 5 working days of the forwarding."""
    if masukan.dimoderasi_at is None:
        return None
    return add_working_days(
        timezone.localdate(masukan.dimoderasi_at), Masukan.HARI_TANGGAPAN, libur=libur
    )


def verifikasi_deadline(masukan: Masukan, *, libur: Collection[date]) -> date:
    """HR's SLA: verified within 3 working days of its arrival."""
    return add_working_days(
        timezone.localdate(masukan.created_at), Masukan.HARI_VERIFIKASI, libur=libur
    )


def lewat_sla_sebelum(today: date, days: int, *, libur: Collection[date]) -> datetime:
    """The moment before which a step started `days` working days ago is past its deadline by
    `today`: the start of the first day d with add_working_days(d, days) >= today. Lets the
    inbox select overdue feedback in SQL."""
    day = today
    while add_working_days(day - timedelta(days=1), days, libur=libur) >= today:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def terlambat(masukan: Masukan, today: date, *, libur: Collection[date]) -> str | None:
    """The overdue flag HR sees: verification after 3 working days, a response after 5."""
    if masukan.status == S.DITERIMA:
        late = today > verifikasi_deadline(masukan, libur=libur)
        return "verifikasi terlambat" if late else None
    if masukan.status == S.DITERUSKAN and masukan.dimoderasi_at:
        late = today > tanggapan_deadline(masukan, libur=libur)
        return "tanggapan terlambat" if late else None
    return None


# --- Dialogue forums ------------------------------------------------------------------------------

PENDAFTARAN_DITUTUP = "Pendaftaran forum ini sudah ditutup."
SUDAH_TERDAFTAR = (
    "Kontak ini sudah terdaftar di forum ini; satu pendaftaran cukup. Berhalangan hadir? "
    "Batalkan lewat tautan pembatalan yang Anda terima saat mendaftar."
)


@transaction.atomic
def forum_register(
    *, forum: ForumDialog, nama: str, kontak: str, organisasi: str = ""
) -> PendaftaranForum:
    """A citizen registers; the capacity holds under the forum's row lock, then the waitlist."""
    forum = ForumDialog.objects.select_for_update().get(pk=forum.pk)
    if not forum.menerima_pendaftaran:  # closed, finished, cancelled, or its time has passed
        raise ValidationError(PENDAFTARAN_DITUTUP)
    if not nama.strip() or not kontak.strip():
        raise ValidationError("Isi nama dan nomor telepon atau email.")
    nama = _teks(nama, batas=100, label="Nama")
    organisasi = _teks(organisasi, batas=150, label="Organisasi")
    try:
        kontak = kontak_normal(_teks(kontak, batas=100, label="Nomor telepon atau email"))
    except ValidationError as error:
        raise ValidationError({"kontak": error.messages}) from None
    active = forum.pendaftar.exclude(status=PendaftaranForum.Status.DIBATALKAN)
    if active.filter(kontak=kontak).exists():
        raise ValidationError({"kontak": SUDAH_TERDAFTAR})
    taken = forum.pendaftar.filter(status=PendaftaranForum.Status.TERDAFTAR).count()
    status = (
        PendaftaranForum.Status.TERDAFTAR
        if taken < forum.kapasitas
        else PendaftaranForum.Status.DAFTAR_TUNGGU
    )
    try:
        with transaction.atomic():  # the constraint, should the forum's lock not have held
            pendaftaran = PendaftaranForum.objects.create(
                forum=forum, nama=nama, kontak=kontak, organisasi=organisasi, status=status
            )
    except IntegrityError:
        raise ValidationError({"kontak": SUDAH_TERDAFTAR}) from None
    _forum_konfirmasi(pendaftaran, forum)
    return pendaftaran


SALT_BATAL = "masyarakat.forum-batal"


def batal_token(pendaftaran: PendaftaranForum) -> str:
    return signing.dumps(pendaftaran.pk, salt=SALT_BATAL)


def batal_pendaftaran(token: str) -> PendaftaranForum | None:
    """The registration a cancel link stands for, or None for a link that was not ours."""
    try:
        pk = signing.loads(token, salt=SALT_BATAL)
    except signing.BadSignature:
        return None
    return PendaftaranForum.objects.select_related("forum").filter(pk=pk).first()


def _forum_surel(pendaftaran: PendaftaranForum, forum: ForumDialog, *, langkah: str) -> bool:
    judul = {
        "terdaftar": f"Pendaftaran forum dialog: {forum.topik}",
        "daftar_tunggu": f"Anda di daftar tunggu forum dialog: {forum.topik}",
        "dapat_tempat": f"Anda mendapat tempat di forum dialog: {forum.topik}",
        "pengingat": f"Besok: forum dialog {forum.topik}",
    }[langkah]
    return None is not surel_warga_antre(
        kunci=f"forum:pendaftar:{pendaftaran.pk}:{langkah}",
        alamat=pendaftaran.email,
        judul=judul,
        template="masyarakat/email_forum.txt",
        context={
            "pendaftaran": pendaftaran, "forum": forum, "langkah": langkah,
            "link": link(forum.get_absolute_url()),
            "batal_url": link(reverse("masyarakat:forum_batal", args=[batal_token(pendaftaran)])),
        },
    )  # fmt: skip


def _forum_konfirmasi(pendaftaran: PendaftaranForum, forum: ForumDialog) -> None:
    _forum_surel(pendaftaran, forum, langkah=pendaftaran.status)


@transaction.atomic
def forum_cancel(*, pendaftaran: PendaftaranForum) -> PendaftaranForum:
    """The citizen cancels (the link in their confirmation): a seat they held goes to the first
    on the waiting list, who is told."""
    forum = ForumDialog.objects.select_for_update().get(pk=pendaftaran.forum_id)
    pendaftaran = PendaftaranForum.objects.get(pk=pendaftaran.pk)
    if pendaftaran.status == PendaftaranForum.Status.DIBATALKAN:
        raise ValidationError("Pendaftaran ini sudah dibatalkan.")
    if forum.status != ForumDialog.Status.DIRENCANAKAN:
        raise ValidationError("Forum ini sudah selesai atau dibatalkan.")
    if forum.sudah_berlangsung:  # no one is promoted (and mailed) for a forum already held
        raise ValidationError("Forum ini sudah berlangsung; pendaftaran tidak dapat diubah lagi.")
    held_seat = pendaftaran.status == PendaftaranForum.Status.TERDAFTAR
    pendaftaran.status = PendaftaranForum.Status.DIBATALKAN
    pendaftaran.save(update_fields=["status"])
    if held_seat:
        waiting = forum.pendaftar.filter(status=PendaftaranForum.Status.DAFTAR_TUNGGU).first()
        if waiting is not None:
            waiting.status = PendaftaranForum.Status.TERDAFTAR
            waiting.save(update_fields=["status"])
            _forum_surel(waiting, forum, langkah="dapat_tempat")
    return pendaftaran


def forum_remind(*, today: date) -> int:
    """The daily job: each registrant with an email of a forum held tomorrow gets one reminder
    (recorded per registrant, so a second run sends nothing)."""
    tomorrow = today + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    forums = ForumDialog.objects.filter(
        status=ForumDialog.Status.DIRENCANAKAN, waktu__gte=start, waktu__lt=start + timedelta(1)
    )
    sent = 0
    for forum in forums:
        with transaction.atomic():
            for pendaftaran in forum.pendaftar.filter(status=PendaftaranForum.Status.TERDAFTAR):
                if pendaftaran.email:
                    sent += _forum_surel(pendaftaran, forum, langkah="pengingat")
    return sent


@transaction.atomic
def forum_close(
    *, forum: ForumDialog, notulen: str, jumlah_hadir: int | None, masukan: list[tuple[str, str]]
) -> ForumDialog:
    """Close a forum: minutes and attendance are required; each input raised becomes a feedback
    item of the forum's unit, already forwarded to it."""
    forum = ForumDialog.objects.select_for_update().get(pk=forum.pk)
    if forum.status != ForumDialog.Status.DIRENCANAKAN:
        raise ValidationError("Forum ini sudah ditutup atau dibatalkan.")
    errors = {}
    if not notulen.strip():
        errors["notulen"] = "Notulen wajib diisi untuk menutup forum."
    if jumlah_hadir is None or jumlah_hadir < 0:
        errors["jumlah_hadir"] = "Isi jumlah peserta yang hadir."
    if errors:
        raise ValidationError(errors)
    forum.notulen = notulen.strip()
    forum.jumlah_hadir = jumlah_hadir
    forum.status = ForumDialog.Status.SELESAI
    forum.pendaftaran_dibuka = False
    forum.save()
    now = timezone.now()
    Masukan.objects.bulk_create(
        Masukan(
            unit_layanan_id=forum.unit_layanan_id,
            forum=forum,
            kategori=kategori,
            isi=isi.strip()[:2000],
            status=S.DITERUSKAN,
            dimoderasi_at=now,
        )
        for kategori, isi in masukan
        if isi.strip()
    )
    return forum


@transaction.atomic
def masukan_reply_pegawai(*, masukan: Masukan, tanggapan: str) -> Masukan:
    """The officer named in verified feedback writes their side."""
    masukan = _locked(masukan)
    if not masukan.is_verified:
        raise ValidationError("Masukan ini belum diverifikasi.")
    masukan.tanggapan_pegawai = _teks(
        tanggapan, batas=2000, label="Tanggapan", wajib="Tuliskan tanggapan Anda."
    )
    masukan.ditanggapi_pegawai_at = timezone.now()
    masukan.save()
    return masukan


@transaction.atomic
def survei_impor(*, header: list[str], rows: list[list], unit_layanan, tanggal: date):
    """Paper questionnaires: every row checked; all written, or none when any row is wrong."""
    hasil = impor.baca(header, rows, unit_layanan=unit_layanan, tanggal=tanggal)
    if not hasil.kesalahan:
        ResponSurvei.objects.bulk_create(hasil.respon)
        rekap.tambah(hasil.respon)
    return hasil


@transaction.atomic
def survei_simpan(respon: ResponSurvei) -> ResponSurvei:
    """One citizen's answers, counted into their month's IKM rollup with them."""
    respon.save()
    rekap.tambah([respon])
    return respon
