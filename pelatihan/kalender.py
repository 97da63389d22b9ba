"""Batches as calendar events (pembinaan.lib.ical writes them): a batch's "add to calendar"
file, a unit's training calendar for HR, and the batches in a pegawai's personal feed
(pembinaan.kalender).

A session (`Sesi`) is a day of the batch: the model keeps no hours, so each is a whole-day event
rather than a time SIBINA would have to invent. A batch without sessions is one event over its
dates. Each reads a fixed number of queries, whatever the number of batches and sessions."""

import re
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q

from pembinaan.lib.ical import Acara

from .models import Angkatan, Peserta, Sesi

# How far back the feeds reach: a calendar application keeps what it has already shown, and a
# file of every batch since the start would only grow.
HARI_LALU = 365

MENUNGGU = {
    Peserta.Status.DIAJUKAN: "menunggu persetujuan atasan",
    Peserta.Status.DISETUJUI_ATASAN: "menunggu persetujuan pengelola",
    Peserta.Status.DAFTAR_TUNGGU: "daftar tunggu",
}


# A session topic that only numbers the day ("Hari ke-2", as pelatihan.services names sessions, or
# "Hari 2"): the event's title already says "hari 2 dari 5".
HARI_SAJA = re.compile(r"^hari\s+(ke\s*-?\s*)?\d+$", re.IGNORECASE)


def sejak(today: date) -> date:
    return today - timedelta(days=HARI_LALU)


def _with_sesi(angkatan):
    return angkatan.select_related("pelatihan", "pelatihan__unit_penyelenggara").prefetch_related(
        Prefetch("sesi", queryset=Sesi.objects.order_by("tanggal", "pk"))
    )


def _keterangan(angkatan: Angkatan, extra: list[str]) -> str:
    pelatihan = angkatan.pelatihan
    lines = [
        f"{pelatihan.nama} ({pelatihan.get_jenis_display()}, {pelatihan.jp} JP)",
        f"Penyelenggara: {pelatihan.unit_penyelenggara or pelatihan.penyelenggara}",
        f"Jadwal: {angkatan.tanggal_mulai:%d/%m/%Y} s.d. {angkatan.tanggal_selesai:%d/%m/%Y}",
        f"Status angkatan: {angkatan.get_status_display()}",
    ]
    if angkatan.tautan_daring:
        lines.append(f"Tautan daring: {angkatan.tautan_daring}")
    return "\n".join(lines + extra)


def _tempat(angkatan: Angkatan) -> str:
    return angkatan.tempat or ("Daring" if angkatan.tautan_daring else "")


def _topik(sesi: Sesi) -> str:
    """A topic HR wrote, after the day's number; not one that only numbers the day again."""
    if not sesi.topik or HARI_SAJA.match(sesi.topik.strip()):
        return ""
    return f", {sesi.topik}"


def angkatan_acara(
    angkatan: Angkatan, *, base_url: str, catatan: str = "", extra: list[str] | None = None
) -> list[Acara]:
    """A batch's days: one whole-day event per session (or one over its dates without any).
    `catatan` marks a participation still waiting (tentative); reads `angkatan.sesi` (prefetch)."""
    url = base_url + angkatan.get_absolute_url()
    judul = f"{angkatan.pelatihan.nama} – {angkatan.nama}"
    if catatan:
        judul += f" ({catatan})"
    common = {
        "keterangan": _keterangan(angkatan, extra or []),
        "tempat": _tempat(angkatan),
        "url": url,
        "dibatalkan": angkatan.status == Angkatan.Status.DIBATALKAN,
        "sementara": bool(catatan),
    }
    sesi = list(angkatan.sesi.all())
    if not sesi:
        return [
            Acara(
                uid=f"angkatan-{angkatan.pk}",
                judul=judul,
                mulai=angkatan.tanggal_mulai,
                selesai=angkatan.tanggal_selesai,
                **common,
            )
        ]
    return [
        Acara(
            uid=f"sesi-{s.pk}",
            judul=f"{judul}: hari {i} dari {len(sesi)}" + _topik(s),
            mulai=s.tanggal,
            **common,
        )
        for i, s in enumerate(sesi, start=1)
    ]


def angkatan_file_acara(angkatan: Angkatan, *, base_url: str) -> list[Acara]:
    """The "add to calendar" file of one batch: three queries (the batch, its training and its
    sessions)."""
    batch = _with_sesi(Angkatan.objects.filter(pk=angkatan.pk)).get()
    return angkatan_acara(batch, base_url=base_url)


def pegawai_acara(pegawai_id: int, *, today: date, base_url: str) -> list[Acara]:
    """The batches of this pegawai's active participations (registered, or waiting: shown
    tentative) that end on or after `sejak(today)`: two queries."""
    peserta = (
        Peserta.objects.filter(
            pegawai_id=pegawai_id,
            status__in=Peserta.ACTIVE,
            angkatan__tanggal_selesai__gte=sejak(today),
        )
        .select_related("angkatan__pelatihan__unit_penyelenggara")
        .prefetch_related(Prefetch("angkatan__sesi", queryset=Sesi.objects.order_by("tanggal")))
        .order_by("angkatan__tanggal_mulai", "pk")
    )
    acara = []
    for p in peserta:
        acara += angkatan_acara(p.angkatan, base_url=base_url, catatan=MENUNGGU.get(p.status, ""))
    return acara


def unit_angkatan(user, *, today: date):
    """The batches in an HR officer's training calendar: province HR and administrators every
    batch; a unit's HR the batches of trainings their units organise or with active participants
    from their units. Each annotated with `peserta_unit`, the registered participants HR counts
    (theirs, or all for the province)."""
    batches = Angkatan.objects.filter(tanggal_selesai__gte=sejak(today))
    registered = Q(peserta__status=Peserta.Status.TERDAFTAR)
    if not user.manages_province:
        units = sorted(user.unit_kelolaan_ids)
        mine = Peserta.objects.filter(status__in=Peserta.ACTIVE, pegawai__unit_id__in=units).values(
            "angkatan_id"
        )
        batches = batches.filter(Q(pelatihan__unit_penyelenggara_id__in=units) | Q(pk__in=mine))
        registered &= Q(peserta__pegawai__unit_id__in=units)
    return _with_sesi(
        batches.annotate(peserta_unit=Count("peserta", filter=registered)).order_by(
            "tanggal_mulai", "pk"
        )
    )


def unit_acara(user, *, today: date, base_url: str) -> list[Acara]:
    """The HR training calendar as events: three queries."""
    wording = "Peserta terdaftar" if user.manages_province else "Peserta terdaftar dari unit Anda"
    acara = []
    for batch in unit_angkatan(user, today=today):
        extra = [f"{wording}: {batch.peserta_unit} (kuota {batch.kuota})"]
        acara += angkatan_acara(batch, base_url=base_url, extra=extra)
    return acara
