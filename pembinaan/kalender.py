"""A login's personal calendar feed (issue 23, "Calendars"): what the person has on their own
pages, as events a calendar application subscribes to at a secret address.

- the days of the batches they take part in (pelatihan.kalender; still-waiting requests tentative);
- the dialogue forums they are named in as ASN (masyarakat.ForumDialog.pegawai, on the forum's
  public page), at their time in WIB;
- the follow-up actions of forums they are responsible for, on their due date;
- the due dates of their inbox (pembinaan.tugas): reports to write, reports and requests to verify
  as atasan or HR, each as the inbox shows it, so the feed holds nothing the person's own inbox
  does not (their own self-reports are listed from the start, not only in their last 30 days).
  Only the title and the link go out: an item's excerpt may quote a citizen. A kind whose inbox
  title holds a citizen's tracking code (masyarakat.tugas) gives the feed its `judul_luar`
  instead: the code opens the citizen's page to anyone, and a feed is read by Google and others.
  The other kinds' titles name the work, the training and the colleague it concerns, as the
  person's own inbox does.

A fixed number of queries, whatever the number of events: one per source, one per inbox kind."""

from datetime import date, timedelta

from django.utils import timezone

from evaluasi.models import LaporanPascaPelatihan
from evaluasi.tugas import BELUM_DIAJUKAN
from masyarakat.models import ForumDialog, TindakLanjut
from pegawai.models import tanggal_libur
from pelatihan import kalender as pelatihan_kalender

from . import tugas
from .lib.ical import Acara

# ForumDialog keeps only when a forum starts: the feed blocks two hours, a usual dialogue.
FORUM_DURASI = timedelta(hours=2)


def _laporan_semua(user, today):
    """Every post-training self-report of this pegawai still to write, however far its due date:
    the inbox lists one from 30 days before, a calendar from the start."""
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        LaporanPascaPelatihan.objects.filter(pegawai=profil, status__in=BELUM_DIAJUKAN)
        .select_related("pegawai", "peserta__angkatan__pelatihan")
        .order_by("jatuh_tempo", "pk")
    )


# Inbox kinds whose rows the calendar reads wider than the inbox does (same items, same UIDs).
ROWS = {"laporan_isi": _laporan_semua}
# A bound per inbox kind, so an HR officer's feed stays a file a calendar application takes.
TUGAS_PER_JENIS = 200


def feed_acara(user, *, today: date, base_url: str) -> list[Acara]:
    profil = user.pegawai_profil
    acara = []
    if profil is not None:
        acara += pelatihan_kalender.pegawai_acara(profil.pk, today=today, base_url=base_url)
        acara += _forum_acara(profil, today=today, base_url=base_url)
        acara += _tindak_lanjut_acara(profil, base_url=base_url)
    acara += _tugas_acara(user, today=today, base_url=base_url)
    return acara


def _forum_acara(profil, *, today: date, base_url: str) -> list[Acara]:
    forums = (
        ForumDialog.objects.filter(pegawai=profil, waktu__date__gte=pelatihan_kalender.sejak(today))
        .select_related("unit_layanan")
        .order_by("waktu", "pk")
    )
    acara = []
    for forum in forums:
        tempat = forum.tempat or ("Daring" if forum.format == ForumDialog.Format.DARING else "")
        lines = [
            f"Forum dialog {forum.unit_layanan.nama} ({forum.get_format_display()}).",
            f"{_peran_forum(forum, today)} Status: {forum.get_status_display()}.",
            f"Agenda:\n{forum.agenda}",
        ]
        if forum.tautan:
            lines.append(f"Tautan daring: {forum.tautan}")
        acara.append(
            Acara(
                uid=f"forum-{forum.pk}",
                judul=f"Forum dialog: {forum.topik}",
                mulai=forum.waktu,
                durasi=FORUM_DURASI,
                keterangan="\n".join(lines),
                tempat=tempat,
                url=base_url + forum.get_absolute_url(),
                dibatalkan=forum.status == ForumDialog.Status.DIBATALKAN,
            )
        )
    return acara


def _peran_forum(forum, today: date) -> str:
    """Whether the ASN was at the forum or is named to be at one still ahead (or cancelled)."""
    if forum.status == ForumDialog.Status.DIBATALKAN:
        return "Anda tercatat sebagai ASN forum ini."
    if forum.status == ForumDialog.Status.SELESAI or timezone.localdate(forum.waktu) < today:
        return "Anda tercatat sebagai ASN yang hadir."
    return "Anda ditugaskan hadir sebagai ASN di forum ini."


def _tindak_lanjut_acara(profil, *, base_url: str) -> list[Acara]:
    rows = (
        TindakLanjut.objects.filter(penanggung_jawab=profil)
        .exclude(status=TindakLanjut.Status.SELESAI)
        .select_related("forum")
        .order_by("tenggat", "pk")
    )
    return [
        Acara(
            uid=f"tindak-lanjut-{row.pk}",
            judul=f"Batas tindak lanjut forum: {row.uraian}",
            mulai=row.tenggat,
            keterangan=f"Tindak lanjut forum \u201c{row.forum.topik}\u201d, Anda penanggung "
            f"jawabnya. Status: {row.get_status_display()}.",
            url=base_url + row.forum.get_absolute_url(),
            sibuk=False,
        )
        for row in rows
    ]


def _tugas_acara(user, *, today: date, base_url: str) -> list[Acara]:
    """The inbox's items with a due date, each on that day. Follow-ups (what the login only
    watches) stay out, as they stay out of the inbox's count."""
    acara = []
    libur = None
    for jenis in tugas.JENIS:
        if jenis.ikuti:
            continue
        rows = ROWS.get(jenis.kode, jenis.rows)(user, today)
        if rows is None:
            continue
        if jenis.hari_kerja:
            libur = tanggal_libur() if libur is None else libur
            items = [(row, jenis.item(row, today, libur)) for row in rows[:TUGAS_PER_JENIS]]
        else:
            items = [(row, jenis.item(row, today)) for row in rows[:TUGAS_PER_JENIS]]
        for row, item in items:
            if item.jatuh_tempo is None:
                continue
            judul = jenis.judul_luar(row) if jenis.judul_luar else item.judul
            acara.append(
                Acara(
                    uid=f"tugas-{jenis.kode}-{row.pk}",
                    judul=f"Batas waktu: {judul}",
                    mulai=item.jatuh_tempo,
                    keterangan=f"{jenis.judul}. Kerjakan di SIBINA: {base_url}{item.url}",
                    url=base_url + item.url,
                    sibuk=False,
                )
            )
    return acara
