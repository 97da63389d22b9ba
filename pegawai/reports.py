"""Reads about pegawai that pages and exports share."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Case, Count, Q, Value, When

from . import nip as nip_rules
from . import riwayat
from .access import Verdict, can_assign_pengelola, can_change_akun
from .impor import KOLOM, KOLOM_EKSPOR, KOLOM_INFORMASI
from .models import (
    Pegawai,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    UnitKerja,
    User,
    ancestor_ids,
    jabatan_labels,
    jabatan_names,
    nama_lengkap,
    subtree_ids,
    unit_jalur,
    unit_tree,
)
from .referensi import golongan_labels, golongan_ruang, golongan_singkat
from .riwayat import Perubahan


def list_rows(rows: list[dict]) -> list[dict]:
    """A page of PegawaiQuerySet.for_list() rows with what a list shows of each: its name
    with titles, NIP, golongan, jabatan and unit names, and status; no query. The names come
    from the cached unit tree and jabatan, the golongan from the regulation's table."""
    units = {u.pk: u.nama for u in unit_tree()}
    golongan = golongan_singkat()
    jabatan = jabatan_names()
    status = dict(Pegawai.StatusKepegawaian.choices)
    for row in rows:
        row.update(
            nama_lengkap=nama_lengkap(row["gelar_depan"], row["nama"], row["gelar_belakang"]),
            nip_tampil=nip_rules.format_nip(row["nip"]),
            golongan=golongan.get(row["golongan_id"], ""),
            jabatan=jabatan.get(row["jabatan_id"], ""),
            unit=units.get(row["unit_id"], ""),
            status=status[row["status_kepegawaian"]],
        )
    return rows


@dataclass
class Rujukan:
    """What a pegawai's page names of their unit, golongan and jabatan."""

    unit: str
    golongan: str
    jabatan: str
    jenis_jabatan: str


def rujukan(pegawai: Pegawai) -> Rujukan:
    """The names of the pegawai's unit, golongan and jabatan without a query: the cached unit
    tree and jabatan, the regulation's golongan (a join of three tables per page otherwise)."""
    unit = next((u.nama for u in unit_tree() if u.pk == pegawai.unit_id), "")
    jabatan, jenis = jabatan_labels().get(pegawai.jabatan_id, ("", ""))
    golongan = golongan_labels().get(pegawai.golongan_id, "")
    return Rujukan(unit=unit, golongan=golongan, jabatan=jabatan, jenis_jabatan=jenis)


@dataclass
class Sekitar:
    """A pegawai's supervisor and direct subordinates as list_rows gives them."""

    atasan: dict | None
    bawahan: list[dict]
    jumlah_bawahan: int

    @property
    def bawahan_lainnya(self) -> int:
        return self.jumlah_bawahan - len(self.bawahan)


def atasan_dan_bawahan(pegawai: Pegawai, *, shown: int) -> Sekitar:
    """The supervisor and the first `shown` active direct subordinates by name, in one read of
    one table (the supervisor sorted first, so that the limit never cuts them off); the
    subordinates are counted only when there are more than shown."""
    around = Q(atasan_id=pegawai.pk, aktif=True)
    if pegawai.atasan_id:
        around |= Q(pk=pegawai.atasan_id)
    supervisor_first = Case(When(pk=pegawai.atasan_id, then=Value(0)), default=Value(1))
    rows = list_rows(
        list(
            Pegawai.objects.filter(around)
            .for_list()
            .order_by(supervisor_first, "nama", "pk")[: shown + 2]
        )
    )
    atasan = rows.pop(0) if rows and rows[0]["pk"] == pegawai.atasan_id else None
    count = len(rows)
    if count > shown:
        count = pegawai.bawahan.filter(aktif=True).count()
    return Sekitar(atasan=atasan, bawahan=rows[:shown], jumlah_bawahan=count)


@dataclass
class RiwayatEntry:
    waktu: datetime
    oleh: str
    jenis: str
    alasan: str
    perubahan: list[Perubahan]


JENIS_RIWAYAT = {"+": "dibuat", "~": "diubah", "-": "dihapus"}


def pegawai_history(pegawai: Pegawai, *, limit: int = 20) -> list[RiwayatEntry]:
    """The latest changes to a pegawai: who, when, and each field before and after, people and
    related rows by name (pegawai.riwayat).

    A constant number of queries: the records, their authors' names when there are any, then
    one per kind of referenced row (the authors are not joined: that join costs a page without
    history more than a second query costs one with).
    """
    records = list(
        Pegawai.history.filter(id=pegawai.pk).order_by("-history_date", "-history_id")[: limit + 1]
    )
    authors = riwayat.names_of(User, (r.history_user_id for r in records[:limit]))
    pairs = [
        (record, records[index + 1] if index + 1 < len(records) else None)
        for index, record in enumerate(records[:limit])
    ]
    return [
        RiwayatEntry(
            waktu=record.history_date,
            oleh=authors.get(record.history_user_id, "sistem"),
            jenis=JENIS_RIWAYAT[record.history_type],
            alasan=record.history_change_reason or "",
            perubahan=changes,
        )
        for (record, _), changes in zip(pairs, riwayat.changes_of(pairs, Pegawai), strict=True)
    ]


EXPORT_HEADER = [k.key for k in KOLOM] + list(KOLOM_INFORMASI) + [KOLOM_EKSPOR]


def export_rows(queryset, *, diekspor_pada: str) -> Iterator[list]:
    """Rows in the import template's columns (so an export can be edited and imported again),
    then whether active, the unit's name and the export's time (impor.export_stamp: an import
    of this file does not overwrite what changed in SIBINA after it). Plain rows with the unit
    and the supervisor's NIP joined, golongan and jabatan named from the regulation's table and
    the cached jabatan rather than model rows; streams in chunks: memory stays flat."""
    ruang, jabatan = golongan_ruang(), jabatan_names()
    status = dict(Pegawai.StatusKepegawaian.choices)
    rows = queryset.order_by("nama", "pk").values_list(
        "nip", "gelar_depan", "nama", "gelar_belakang", "status_kepegawaian", "jenis_kelamin",
        "tempat_lahir", "tanggal_lahir", "tmt_cpns", "tmt_pns", "golongan_id", "tmt_golongan",
        "jabatan_id", "tmt_jabatan", "unit__kode", "atasan__nip", "pendidikan_terakhir", "email",
        "telepon", "aktif", "unit__nama", named=True,
    )  # fmt: skip
    for p in rows.iterator(chunk_size=2000):
        yield [
            p.nip,
            p.gelar_depan,
            p.nama,
            p.gelar_belakang,
            str(status[p.status_kepegawaian]),
            p.jenis_kelamin,
            p.tempat_lahir,
            _date(p.tanggal_lahir),
            _date(p.tmt_cpns),
            _date(p.tmt_pns),
            ruang.get(p.golongan_id, ""),
            _date(p.tmt_golongan),
            jabatan.get(p.jabatan_id, ""),
            _date(p.tmt_jabatan),
            p.unit__kode,
            p.atasan__nip or "",
            p.pendidikan_terakhir.upper(),
            p.email,
            p.telepon,
            "ya" if p.aktif else "tidak",
            p.unit__nama,
            diekspor_pada,
        ]


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- Account administration ------------------------------------------------------------------


def akun_jumlah(pegawai) -> dict[str, int]:
    """Of these pegawai: how many, how many with a login (open, invited or closed), without."""
    unusable = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    counts = pegawai.aggregate(
        semua=Count("pk"),
        punya=Count("pk", filter=Q(user__isnull=False)),
        aktif=Count("pk", filter=Q(user__is_active=True) & ~unusable),
        diundang=Count("pk", filter=Q(user__is_active=True) & unusable),
        nonaktif=Count("pk", filter=Q(user__is_active=False)),
    )
    counts["belum"] = counts["semua"] - counts["punya"]
    return counts


@dataclass
class AkunRow:
    pegawai: Pegawai
    unit: str  # with its OPD path
    status: str  # belum, diundang, aktif, nonaktif
    kelola: list[str]  # the units the login is pengelola of
    can_change: Verdict | None  # None: no login


def akun_rows(pegawai: list[Pegawai], *, user: User) -> list[AkunRow]:
    """A page of pegawai (with their login) as the account list shows them; one query for the
    units each login manages, the rest from the cached tree."""
    pegawai = list(pegawai)
    jalur = unit_jalur()
    kelola: dict[int, list[str]] = {}
    through = UnitKerja.pengelola.through.objects.filter(
        user_id__in=[p.user_id for p in pegawai if p.user_id]
    )
    for user_id, unit_id in through.values_list("user_id", "unitkerja_id"):
        kelola.setdefault(user_id, []).append(jalur.get(unit_id, ""))
    rows = []
    for p in pegawai:
        account = p.user
        if account is None:
            status = "belum"
        elif not account.is_active:
            status = "nonaktif"
        elif not account.has_usable_password():
            status = "diundang"
        else:
            status = "aktif"
        rows.append(
            AkunRow(
                pegawai=p,
                unit=jalur.get(p.unit_id, ""),
                status=status,
                kelola=sorted(kelola.get(p.user_id, [])),
                can_change=can_change_akun(user, account) if account else None,
            )
        )
    return rows


def akun_kelola(akun: User) -> list[str]:
    """The units a login is pengelola of, with their paths, sorted."""
    jalur = unit_jalur()
    return sorted(jalur.get(pk, "") for pk in akun.unit_dikelola.values_list("pk", flat=True))


def akun_massal_pesan(rencana) -> str:
    """What making a unit's accounts did, in one sentence."""
    parts = [f"{len(rencana.baru)} akun dibuat dan undangannya dikirim lewat email"]
    if rencana.sudah_punya:
        parts.append(f"{rencana.sudah_punya} pegawai sudah punya akun")
    if rencana.tanpa_email:
        parts.append(f"{len(rencana.tanpa_email)} tanpa email dilewati")
    if rencana.dilewati:
        parts.append(f"{len(rencana.dilewati)} dilewati (lihat alasannya di halaman sebelumnya)")
    return "; ".join(parts) + "."


@dataclass
class PengelolaRow:
    unit_id: int
    unit: str  # with its OPD path
    akun: User
    nama: str  # the pegawai's name, or the login's
    can_withdraw: Verdict


def pengelola_rows(*, unit, units):
    """Every (unit, login) pengelola pair, in tree order, of the chosen unit: those of the units
    above it, who manage it too, then those of its subtree."""
    pairs = UnitKerja.pengelola.through.objects.select_related("user").order_by(
        "unitkerja__path", "user__username"
    )
    if unit is not None:
        pairs = pairs.filter(unitkerja_id__in=ancestor_ids(units, unit) + subtree_ids(units, unit))
    return pairs


def pengelola_named(pairs, *, user: User) -> list[PengelolaRow]:
    """A page of pengelola pairs with the unit's path and the pegawai's name: one query."""
    pairs = list(pairs)
    jalur = unit_jalur()
    names = {
        user_id: nama_lengkap(depan, nama, belakang)
        for user_id, depan, nama, belakang in Pegawai.objects.filter(
            user_id__in=[p.user_id for p in pairs]
        ).values_list("user_id", "gelar_depan", "nama", "gelar_belakang")
    }
    return [
        PengelolaRow(
            unit_id=p.unitkerja_id,
            unit=jalur.get(p.unitkerja_id, ""),
            akun=p.user,
            nama=names.get(p.user_id) or p.user.get_full_name() or p.user.username,
            can_withdraw=can_assign_pengelola(user, p.user),
        )
        for p in pairs
    ]


@dataclass
class RiwayatKarier:
    """A pegawai's career history as their page shows it, newest first, each row named."""

    jabatan: list
    golongan: list
    pendidikan: list
    mutasi: list


def riwayat_karier(pegawai: Pegawai, *, sampai=None) -> RiwayatKarier:
    """The four histories in four queries whatever their length: names of jabatan, golongan and
    units from the caches and the regulation's table. `sampai`: only the rows up to that date
    (the period a former unit's HR may read: the rows dated before the move out, and the move
    itself; a row dated on the move's day is the new unit's)."""
    jabatan, golongan, units = jabatan_names(), golongan_labels(), unit_jalur()
    dated = {"tmt__lt": sampai} if sampai else {}
    rows = RiwayatKarier(
        jabatan=list(RiwayatJabatan.objects.filter(pegawai=pegawai, **dated)),
        golongan=list(RiwayatGolongan.objects.filter(pegawai=pegawai, **dated)),
        pendidikan=list(
            RiwayatPendidikan.objects.filter(pegawai=pegawai).filter(
                Q(tahun_lulus__isnull=True) | Q(tahun_lulus__lte=sampai.year) if sampai else Q()
            )
        ),
        mutasi=list(
            RiwayatMutasi.objects.filter(
                pegawai=pegawai, **({"tmt__lte": sampai} if sampai else {})
            )
        ),
    )
    for row in rows.jabatan:
        row.nama = jabatan.get(row.jabatan_id, "")
    for row in rows.golongan:
        row.nama = golongan.get(row.golongan_id, "")
    for row in rows.mutasi:
        row.asal = units.get(row.unit_asal_id, "–") if row.unit_asal_id else "–"
        row.tujuan = units.get(row.unit_tujuan_id, "")
    return rows
