"""The audit log: every decision recorded by django-simple-history, across kinds, as one list
that people filter (who, what, when, unit), search, page through and download.

Each kind is a model with HistoricalRecords (its table of records, written by every .save()).
The log is their UNION of (time, kind, record id), filtered and ordered in the database and paged
by keyset; only the page's records are then read, per kind: three queries each (the records with
their predecessor's id, the predecessors, the objects' names), one per related model named in
the changes, and one for the authors. So a page costs the same at 5 rows or 50; it grows with the
kinds on it, not with the rows. No second copy of the data: nothing to keep in step with the
history the pegawai page shows, and each service stays as it was, recorded by its .save().
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import CharField, Q, Value
from django.db.models.expressions import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from evaluasi.models import (
    LaporanPascaPelatihan,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    TonggakAksi,
)
from masyarakat.models import Masukan, VolumeLayanan
from pegawai import nip as nip_rules
from pegawai import riwayat
from pegawai.models import (
    CatatanDisiplin,
    Pegawai,
    ResetDuaFaktor,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    User,
    nama_lengkap,
)
from pegawai.riwayat import Perubahan
from pelatihan.models import (
    Angkatan,
    AturanKonversiJP,
    KegiatanEksternal,
    PendaftaranBeasiswa,
    Peserta,
    RencanaPengembangan,
    Sertifikat,
)
from pembinaan.lib.pagination import decode_cursor, encode_cursor
from pembinaan.models import KlienApi, PenempatanTalenta

PER_HALAMAN = 50
TINDAKAN = {"+": "dibuat", "~": "diubah", "-": "dihapus"}


def _orang(p: Pegawai) -> str:
    return nama_lengkap(p.gelar_depan, p.nama, p.gelar_belakang)


def _angkatan(a: Angkatan) -> str:
    return f"{a.pelatihan.nama} – {a.nama}"


@dataclass(frozen=True)
class Jenis:
    """One kind of decision in the log."""

    model: type
    label: str
    # The history rows of the units (ids, sub-units included) this kind's object belongs to.
    di_unit: Callable[[list[int]], Q]
    # What a search looks through beside the author and the reason.
    cari: tuple[str, ...]
    # The live objects by id: their names and pages (or ""), in one query.
    objek: Callable[[set], dict[int, tuple[str, str]]]
    # Fields whose new text is the decision's reason (a revocation's, a rejection's).
    alasan: tuple[str, ...] = ()
    # Fields never shown (a citizen's identity, which an anonymous feedback hides).
    rahasia: frozenset[str] = field(default_factory=frozenset)
    # What a new object's row shows (its first state), beside "dibuat".
    awal: tuple[str, ...] = ()


def _named(queryset, name: Callable, url: Callable = lambda obj: "") -> Callable[[set], dict]:
    return lambda ids: {obj.pk: (name(obj), url(obj)) for obj in queryset.filter(pk__in=ids)}


def _names(objek: Callable[[set], dict]) -> Callable[[set], dict]:
    """A kind's namer for the changes of another kind that refer to its objects."""
    return lambda ids: {pk: name for pk, (name, _) in objek(ids).items()}


def _lewat(path: str) -> Callable[[list[int]], Q]:
    return lambda ids: Q(**{f"{path}__in": ids})


def _peserta_di_unit(path: str) -> Callable[[list[int]], Q]:
    """A participation belongs to the participant's unit and to the unit organising its
    training: both HR offices decide about it (domain.md §7)."""
    return lambda ids: (
        Q(**{f"{path}pegawai__unit__in": ids})
        | Q(**{f"{path}angkatan__pelatihan__unit_penyelenggara__in": ids})
    )


def _akun_di_unit(ids: list[int]) -> Q:
    return Q(id__in=Pegawai.objects.filter(unit_id__in=ids).values("user_id"))


def _periode_di_unit(ids: list[int]) -> Q:
    return Q(id__in=PeriodeUnit.objects.filter(unit_id__in=ids).values("periode_id"))


def _akun_objek(ids: set) -> dict:
    names = riwayat.user_names(ids)
    usernames = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    return {
        pk: (name if name == usernames[pk] else f"{name} ({usernames[pk]})", "")
        for pk, name in names.items()
    }


def _reset_objek(ids: set) -> dict:
    """A reset by the person whose login it was: "Budi Santoso (budi)", as accounts read."""
    akun_ids = dict(ResetDuaFaktor.objects.filter(pk__in=ids).values_list("pk", "akun_id"))
    names = _akun_objek(set(akun_ids.values()))
    return {
        pk: (names[akun_id][0], reverse("akun:detail", args=[akun_id]))
        for pk, akun_id in akun_ids.items()
        if akun_id in names
    }


JENIS: dict[str, Jenis] = {
    "pegawai": Jenis(
        Pegawai, "Data pegawai", _lewat("unit"), ("nama", "nip"),
        _named(Pegawai.objects.all(), str, Pegawai.get_absolute_url),
        awal=("unit", "jabatan", "golongan"),
    ),
    "riwayat_golongan": Jenis(
        RiwayatGolongan, "Riwayat golongan", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip", "nomor_sk"),
        _named(
            RiwayatGolongan.objects.select_related("pegawai", "golongan"),
            lambda r: f"{_orang(r.pegawai)} – {r}", lambda r: r.pegawai.get_absolute_url(),
        ),
        awal=("golongan", "tmt", "jenis_kenaikan", "nomor_sk"),
    ),
    "riwayat_jabatan": Jenis(
        RiwayatJabatan, "Riwayat jabatan", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip", "nomor_sk"),
        _named(
            RiwayatJabatan.objects.select_related("pegawai", "jabatan"),
            lambda r: f"{_orang(r.pegawai)} – {r}", lambda r: r.pegawai.get_absolute_url(),
        ),
        awal=("jabatan", "tmt", "nomor_sk"),
    ),
    "riwayat_pendidikan": Jenis(
        RiwayatPendidikan, "Riwayat pendidikan", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip", "nama_sekolah"),
        _named(
            RiwayatPendidikan.objects.select_related("pegawai"),
            lambda r: f"{_orang(r.pegawai)} – {r}", lambda r: r.pegawai.get_absolute_url(),
        ),
        awal=("jenjang", "tahun_lulus", "nama_sekolah"),
    ),
    # A move belongs to both units: the one the pegawai left reads it too.
    "riwayat_mutasi": Jenis(
        RiwayatMutasi, "Mutasi pegawai",
        lambda ids: Q(pegawai__unit__in=ids) | Q(unit_asal__in=ids),
        ("pegawai__nama", "pegawai__nip", "nomor_sk"),
        _named(
            RiwayatMutasi.objects.select_related("pegawai", "unit_asal", "unit_tujuan"),
            lambda r: f"{_orang(r.pegawai)} – {r}",
            lambda r: reverse("pegawai:riwayat", args=[r.pegawai_id]),
        ),
        alasan=("alasan",), awal=("unit_asal", "unit_tujuan", "tmt", "nomor_sk"),
    ),
    "akun": Jenis(
        User, "Akun pengguna", _akun_di_unit, ("username", "first_name", "last_name"),
        _akun_objek, alasan=("alasan_nonaktif",),
        awal=("is_active", "is_superuser", "pengelola_provinsi"),
    ),
    # A lost phone: an administrator removed a login's second-step devices (pegawai.dua_faktor).
    "dua_faktor": Jenis(
        ResetDuaFaktor, "Reset verifikasi dua langkah",
        lambda ids: Q(akun__in=Pegawai.objects.filter(unit_id__in=ids).values("user_id")),
        ("akun__username", "akun__first_name", "akun__last_name"),
        lambda ids: _reset_objek(ids),
        awal=("akun", "jumlah_perangkat"),
    ),
    "disiplin": Jenis(
        CatatanDisiplin, "Hukuman disiplin", _lewat("pegawai__unit"),
        ("nomor_sk", "pegawai__nama", "pegawai__nip"),
        _named(
            CatatanDisiplin.objects.select_related("pegawai"),
            lambda c: f"{_orang(c.pegawai)} – {c.get_jenis_hukuman_display()} ({c.nomor_sk})",
            lambda c: reverse("pegawai:disiplin_list", args=[c.pegawai_id]),
        ),
        awal=("tingkat", "jenis_hukuman", "tmt"),
    ),
    "peserta": Jenis(
        Peserta, "Peserta dan hasil pelatihan", _peserta_di_unit(""),
        ("pegawai__nama", "pegawai__nip", "angkatan__pelatihan__nama"),
        _named(
            Peserta.objects.select_related("pegawai", "angkatan__pelatihan"),
            lambda p: f"{_orang(p.pegawai)} – {_angkatan(p.angkatan)}",
            lambda p: reverse("pelatihan:angkatan_detail", args=[p.angkatan_id]),
        ),
        alasan=("alasan",), awal=("status", "lulus"),
    ),
    "sertifikat": Jenis(
        Sertifikat, "Sertifikat", _peserta_di_unit("peserta__"),
        ("nomor", "peserta__pegawai__nama", "peserta__pegawai__nip"),
        _named(
            Sertifikat.objects.select_related("peserta__pegawai", "peserta__angkatan__pelatihan"),
            lambda s: f"{s.nomor} – {_orang(s.peserta.pegawai)}, {_angkatan(s.peserta.angkatan)}",
            lambda s: reverse("pelatihan:angkatan_detail", args=[s.peserta.angkatan_id]),
        ),
        alasan=("alasan_cabut",), awal=("nomor", "diterbitkan_at"),
    ),
    "kegiatan": Jenis(
        KegiatanEksternal, "Kegiatan di luar SIBINA (klaim dan verifikasi JP)",
        _lewat("pegawai__unit"), ("nama", "pegawai__nama", "pegawai__nip"),
        _named(
            KegiatanEksternal.objects.select_related("pegawai"),
            lambda k: f"{k.nama} – {_orang(k.pegawai)}",
            lambda k: f"{reverse('pelatihan:kegiatan_list')}?q={k.pegawai.nip}&tahun=",
        ),
        alasan=("alasan_tolak", "keterangan_kredit"), awal=("status", "jenis", "jp"),
    ),
    "aturan_jp": Jenis(
        AturanKonversiJP, "Aturan konversi JP", lambda ids: Q(pk__in=[]), ("sumber",),
        _named(
            AturanKonversiJP.objects.all(), lambda a: a.get_jenis_display(),
            lambda a: reverse("pelatihan:aturan_jp_update", args=[a.pk]),
        ),
        awal=("satuan", "jp_per_satuan", "batas_per_kegiatan", "batas_per_tahun"),
    ),
    "beasiswa": Jenis(
        PendaftaranBeasiswa, "Pendaftaran dan keputusan beasiswa", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip", "program__nama"),
        _named(
            PendaftaranBeasiswa.objects.select_related("pegawai", "program"),
            lambda p: f"{_orang(p.pegawai)} – {p.program.nama}",
            lambda p: p.program.get_absolute_url(),
        ),
        alasan=("catatan", "rekomendasi_catatan"), awal=("status", "syarat_gagal"),
    ),
    "rencana": Jenis(
        RencanaPengembangan, "Rencana pengembangan kompetensi", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip"),
        _named(
            RencanaPengembangan.objects.select_related("pegawai"),
            lambda r: f"{_orang(r.pegawai)} – rencana {r.tahun}",
            RencanaPengembangan.get_absolute_url,
        ),
        alasan=("catatan_atasan",), awal=("status",),
    ),
    "penilaian": Jenis(
        PenilaianKinerja, "Penilaian kinerja", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip", "periode__nama"),
        _named(
            PenilaianKinerja.objects.select_related("pegawai", "periode"),
            lambda p: f"{_orang(p.pegawai)} – {p.periode.nama}",
            lambda p: reverse("evaluasi:kinerja_pegawai", args=[p.pegawai_id]),
        ),
        awal=("hasil_kerja", "perilaku_kerja", "predikat"),
    ),
    "periode": Jenis(
        PeriodePenilaian, "Periode penilaian", _periode_di_unit, ("nama",),
        _named(PeriodePenilaian.objects.all(), str, PeriodePenilaian.get_absolute_url),
        awal=("status", "tanggal_mulai", "tanggal_selesai"),
    ),
    "laporan": Jenis(
        LaporanPascaPelatihan, "Laporan pasca pelatihan", _lewat("pegawai__unit"),
        ("pegawai__nama", "pegawai__nip"),
        _named(
            LaporanPascaPelatihan.objects.select_related("pegawai", "peserta__angkatan__pelatihan"),
            lambda lap: f"{_orang(lap.pegawai)} – {_angkatan(lap.peserta.angkatan)}",
            lambda lap: reverse("evaluasi:laporan_detail", args=[lap.pk]),
        ),
        alasan=("komentar_atasan",), awal=("status",),
    ),
    "tonggak": Jenis(
        TonggakAksi, "Tonggak aksi perubahan", _lewat("aksi__unit"),
        ("uraian", "aksi__judul", "aksi__pegawai__nama"),
        _named(
            TonggakAksi.objects.select_related("aksi__pegawai"),
            lambda t: f"{t.uraian} – {t.aksi.judul} ({_orang(t.aksi.pegawai)})",
            lambda t: t.aksi.get_absolute_url(),
        ),
        alasan=("catatan_mentor",), awal=("status",),
    ),
    "masukan": Jenis(
        Masukan, "Masukan masyarakat", _lewat("unit_layanan__unit"), ("kode",),
        _named(
            Masukan.objects.all(), str,
            lambda m: reverse("masyarakat:masukan_detail", args=[m.pk]),
        ),
        alasan=("alasan_moderasi",),
        rahasia=frozenset({"nama", "kontak", "email"}), awal=("status",),
    ),
    # The quarterly service volume the unit's HR enter: the impact pages measure against it.
    "volume_layanan": Jenis(
        VolumeLayanan, "Volume layanan triwulanan", _lewat("unit_layanan__unit"),
        ("unit_layanan__nama",),
        _named(
            VolumeLayanan.objects.select_related("unit_layanan"),
            lambda v: f"{v.unit_layanan.nama} – {v.get_triwulan_display()} {v.tahun}",
            lambda v: reverse("masyarakat:layanan_volume", args=[v.unit_layanan_id])
            + f"?tahun={v.tahun}",
        ),
        awal=("jumlah",),
    ),
    # The talent committee's calibrations (PermenPANRB 3/2020); the nightly recomputation writes
    # in bulk and leaves no record here.
    "talenta": Jenis(
        PenempatanTalenta, "Kalibrasi penempatan talenta", _lewat("opd"),
        ("pegawai__nama", "pegawai__nip"),
        _named(
            PenempatanTalenta.objects.select_related("pegawai"),
            lambda p: f"{_orang(p.pegawai)} – kotak {p.kotak}",
            PenempatanTalenta.get_absolute_url,
        ),
        alasan=("alasan_kalibrasi",), awal=("kotak_hitung", "kotak", "alasan_kalibrasi"),
    ),
    # API tokens issued and revoked (pembinaan.api): administrators' acts, read by them alone
    # (no unit's HR, whatever units a token covers).
    "klien_api": Jenis(
        KlienApi, "Token klien API", lambda ids: Q(pk__in=[]), ("nama",),
        _named(KlienApi.objects.all(), str, lambda k: reverse("pembinaan:klien_api_list")),
        awal=("nama", "cakupan", "awalan", "unit_teks"),
    ),
}  # fmt: skip

# The kinds that belong to the whole province (domain.md §7): its HR see them for every unit.
# Accounts too: province HR run them province-wide (the account pages), pengelola rights included.
JENIS_PROVINSI = {"beasiswa", "periode", "akun", "aturan_jp", "dua_faktor"}
# Kinds only administrators and the province's HR read, never a unit's HR (talent data is
# confidential to its readers, pembinaan.access.can_read_talenta).
JENIS_PROVINSI_SAJA = {"talenta"}
# Kinds only administrators read: the API tokens they issue and revoke.
JENIS_ADMIN_SAJA = {"klien_api"}

# How objects of another model are named when a change refers to them (the participation of a
# certificate, the batch of a participation): read with what their names need.
NAMERS = {
    Angkatan: _named(Angkatan.objects.select_related("pelatihan"), _angkatan),
    Peserta: _names(JENIS["peserta"].objek),
    PeriodePenilaian: _names(JENIS["periode"].objek),
}


@dataclass
class Filter:
    jenis: str = ""
    unit_ids: list[int] | None = None  # the chosen unit and its sub-units
    oleh: str = ""
    dari: date | None = None
    sampai: date | None = None
    q: str = ""


@dataclass
class Entri:
    waktu: datetime
    jenis: str
    tindakan: str
    objek: str
    url: str
    alasan: str
    perubahan: list[Perubahan]
    oleh_id: int | None = None
    oleh: str = "sistem"


@dataclass
class Halaman:
    entries: list[Entri]
    next_cursor: str | None


def jenis_terbaca(user: User) -> list[str]:
    """The kinds this user may read any row of (the filter offers these only)."""
    return [key for key in JENIS if _scope(user, key) != []]


def _scope(user: User, key: str) -> list[int] | None:
    """The units whose records this user reads of this kind; None for all."""
    if user.is_admin or (
        user.is_pengelola_provinsi and key in JENIS_PROVINSI | JENIS_PROVINSI_SAJA
    ):
        return None
    if key in JENIS_PROVINSI_SAJA | JENIS_ADMIN_SAJA:
        return []
    return sorted(user.unit_kelolaan_ids)


def _branch(key: str, jenis: Jenis, user: User, f: Filter, cursor: list | None):
    history = jenis.model.history.model
    rows = history.objects.all()
    for unit_ids in (_scope(user, key), f.unit_ids):
        if unit_ids is not None:
            rows = rows.filter(jenis.di_unit(unit_ids))
    if f.oleh:
        if f.oleh.lower() == "sistem":
            rows = rows.filter(history_user__isnull=True)
        else:
            rows = rows.filter(_each_word(f.oleh, _author))
    if f.dari:
        rows = rows.filter(history_date__gte=_start_of(f.dari))
    if f.sampai:
        rows = rows.filter(history_date__lt=_start_of(f.sampai + timedelta(days=1)))
    if f.q:
        paths = ("history_change_reason", *jenis.alasan, *jenis.cari)
        rows = rows.filter(_each_word(f.q, lambda word: _any(paths, word) | _author(word)))
    if cursor:
        moment, after_key, after_id = cursor
        if key < after_key:
            rows = rows.filter(history_date__lte=moment)
        elif key == after_key:
            rows = rows.filter(
                Q(history_date__lt=moment) | Q(history_date=moment, history_id__lt=after_id)
            )
        else:
            rows = rows.filter(history_date__lt=moment)
    return rows.annotate(audit_jenis=Value(key, output_field=CharField())).values_list(
        "history_date", "audit_jenis", "history_id"
    )


def _each_word(text: str, matches: Callable[[str], Q]) -> Q:
    """Every word of the text found somewhere (a full name kept as first and last name, a
    reason); a NIP typed as shown ("19670101 198912 2 033") is one word, its digits."""
    digits = nip_rules.normalize(text)
    if len(digits) == nip_rules.NIP_LENGTH and digits.isdigit():
        return matches(digits)
    return reduce(and_, (matches(word) for word in text.split() or [text]))


def _any(paths, text: str, prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}{p}__icontains": text}) for p in paths))


def _author(text: str) -> Q:
    """Records by a login whose username or name, or whose pegawai's name, holds the text."""
    pegawai = Pegawai.objects.filter(nama__icontains=text, user__isnull=False)
    return _any(("username", "first_name", "last_name"), text, "history_user__") | Q(
        history_user__in=pegawai.values("user_id")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_page(user: User, f: Filter, *, after: str | None = None, size: int = PER_HALAMAN):
    """One page of the log, newest first, and the cursor of the next (older) page."""
    cursor = _cursor(after)
    keys = [f.jenis] if f.jenis in JENIS else list(JENIS)
    branches = [_branch(key, JENIS[key], user, f, cursor).order_by() for key in keys]
    rows = branches[0]
    if len(branches) > 1:
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: each table gives its newest rows from its history_date index, and
            # the union sorts at most (size + 1) × kinds rows, not every record.
            order = ("-history_date", "-history_id")
            branches = [b.order_by(*order)[: size + 1] for b in branches]
        rows = branches[0].union(*branches[1:], all=True)
    found = list(rows.order_by("-history_date", "-audit_jenis", "-history_id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    entries = _entries(found)
    next_cursor = None
    if more:
        moment, key, history_id = found[-1]
        next_cursor = encode_cursor([moment.isoformat(), key, history_id])
    return Halaman(entries, next_cursor)


def _cursor(after: str | None) -> tuple[datetime, str, int] | None:
    """The last row of the previous page, or None (the first page) for a missing or tampered
    cursor."""
    values = decode_cursor(after, 3)
    if values is None or not isinstance(values[1], str) or not isinstance(values[2], int):
        return None
    try:
        moment = datetime.fromisoformat(str(values[0]))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        return None
    return moment, values[1], values[2]


def _entries(found: list[tuple]) -> list[Entri]:
    by_kind: dict[str, list[int]] = {}
    for _, key, history_id in found:
        by_kind.setdefault(key, []).append(history_id)
    read = {}
    for key, ids in by_kind.items():
        read.update({(key, e_id): entry for e_id, entry in _read_kind(key, ids).items()})
    authors = riwayat.names_of(User, (e.oleh_id for e in read.values()))
    entries = [read[(key, history_id)] for _, key, history_id in found]
    for entry in entries:
        entry.oleh = authors.get(entry.oleh_id, "sistem")
    return entries


def _read_kind(key: str, ids: list[int]) -> dict[int, Entri]:
    """The records of one kind, their changes and objects by name; the authors are named once
    for the whole page (_entries)."""
    jenis = JENIS[key]
    history = jenis.model.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(history.objects.filter(history_id__in=ids).annotate(prev_id=Subquery(previous)))
    before = history.objects.in_bulk([r.prev_id for r in records if r.prev_id])
    pairs = [(r, before.get(r.prev_id)) for r in records]
    changes = riwayat.changes_of(
        pairs, jenis.model, namers=NAMERS, hidden=jenis.rahasia, initial=jenis.awal
    )
    names = jenis.objek({r.id for r in records})
    result = {}
    for (record, _), perubahan in zip(pairs, changes, strict=True):
        alasan = [record.history_change_reason] if record.history_change_reason else []
        labels = {riwayat.label(jenis.model._meta.get_field(f)) for f in jenis.alasan}
        alasan += [c.new for c in perubahan if c.field in labels and c.new != "–"]
        name, url = names.get(record.id, (f"{jenis.label} (sudah dihapus)", ""))
        result[record.history_id] = Entri(
            waktu=record.history_date,
            jenis=jenis.label,
            tindakan=TINDAKAN[record.history_type],
            objek=name,
            url=url,
            alasan=" · ".join(alasan),
            perubahan=perubahan,
            oleh_id=record.history_user_id,
        )
    return result


EXPORT_HEADER = ["Waktu (WIB)", "Oleh", "Jenis", "Objek", "Tindakan", "Alasan", "Perubahan"]
EXPORT_CHUNK = 500


def export_rows(user: User, f: Filter) -> Iterator[list]:
    """Every entry the filter finds, page by page (memory stays flat)."""
    after = None
    while True:
        page = audit_page(user, f, after=after, size=EXPORT_CHUNK)
        for e in page.entries:
            yield [
                timezone.localtime(e.waktu).strftime("%d/%m/%Y %H:%M:%S"),
                e.oleh, e.jenis, e.objek, e.tindakan, e.alasan,
                "; ".join(f"{c.field}: {c.old} → {c.new}" for c in e.perubahan),
            ]  # fmt: skip
        if page.next_cursor is None:
            return
        after = page.next_cursor
