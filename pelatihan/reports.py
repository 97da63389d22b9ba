"""Reads over trainings and the JP ledger that pages and exports share."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pegawai.models import LIST_COLUMNS, Pegawai, unit_jalur
from pembinaan.lib.angka import share
from pembinaan.lib.pagination import KeysetPage, keyset_paginate, keyset_read

from .models import (
    Angkatan,
    BarisRencana,
    CatatanJP,
    JenisPengembangan,
    Kompetensi,
    Pelatihan,
    PelatihanKompetensi,
    PenilaianKompetensi,
    Peserta,
    RencanaPengembangan,
    Sertifikat,
    StandarKompetensi,
)

PNS_STATUSES = [Pegawai.StatusKepegawaian.PNS, Pegawai.StatusKepegawaian.CPNS]


def kepatuhan_counts_sql(*, status: str, jp: str) -> tuple[str, list]:
    """The one definition of the yearly JP rules, as four SQL counts over rows that have a
    staffing status column and a yearly JP total (NULL for none): PNS (and CPNS), those at or
    above the target (PP 11/2017 as amended by PP 17/2020, art. 203(4): at least 20 JP), PPPK,
    and PPPK over their cap (PP 49/2018 art. 40: at most 24 JP). The compliance page, the
    dashboard's unit figures, the program's indicator and the reports all count with it."""
    pns = ", ".join("%s" for _ in PNS_STATUSES)
    sql = f"""
        COUNT(*) FILTER (WHERE {status} IN ({pns})),
        COUNT(*) FILTER (WHERE {status} IN ({pns}) AND COALESCE({jp}, 0) >= %s),
        COUNT(*) FILTER (WHERE {status} = %s),
        COUNT(*) FILTER (WHERE {status} = %s AND COALESCE({jp}, 0) > %s)
    """
    pppk = Pegawai.StatusKepegawaian.PPPK
    params = [
        *PNS_STATUSES, *PNS_STATUSES, settings.JP_TARGET_PNS, pppk, pppk, settings.JP_MAX_PPPK
    ]  # fmt: skip
    return sql, params


def jp_tahun(pegawai: Pegawai, year: int) -> int:
    return CatatanJP.objects.filter(pegawai=pegawai, tahun=year).aggregate(
        total=Coalesce(Sum("jp"), 0)
    )["total"]


def with_jp(pegawai: QuerySet, year: int, sampai: date | None = None) -> QuerySet:
    """Annotate each pegawai with `jp_tahun`: one index-only probe of the ledger's
    (tahun, pegawai) INCLUDE (jp) index per pegawai, however many entries there are; with
    `sampai`, only the entries dated up to that day (as kepatuhan_jp)."""
    entries = CatatanJP.objects.filter(pegawai=OuterRef("pk"), tahun=year)
    if sampai is not None:
        entries = entries.filter(tanggal__lte=sampai)
    total = entries.order_by().values("pegawai").annotate(total=Sum("jp")).values("total")
    return pegawai.annotate(jp_tahun=Coalesce(Subquery(total, output_field=IntegerField()), 0))


@dataclass
class Kepatuhan:
    tahun: int
    pns: int
    pns_patuh: int
    pppk: int
    pppk_lebih: int
    dihitung_at: datetime | None = None  # when read from the stored unit figures; else live

    @property
    def persen_patuh(self) -> float | None:
        return share(self.pns_patuh, self.pns)


def kepatuhan_jp(pegawai: QuerySet, year: int, sampai: date | None = None) -> Kepatuhan:
    """Of these pegawai (active): how many PNS reach the yearly target, and how many PPPK exceed
    their cap; with `sampai`, counting only the ledger entries dated up to that day. One query:
    the ledger is summed once per pegawai with GROUP BY over the
    (tahun, pegawai) index, then joined, rather than a correlated sum per pegawai
    (bench/RESULTS.md)."""
    scope = pegawai.filter(aktif=True).order_by().values_list("pk", "status_kepegawaian")
    try:
        scope_sql, scope_params = scope.query.sql_with_params()
    except EmptyResultSet:  # nobody in scope (e.g. the province's HR without units)
        return Kepatuhan(tahun=year, pns=0, pns_patuh=0, pppk=0, pppk_lebih=0)
    counts, counts_params = kepatuhan_counts_sql(status="s.status", jp="t.jp")
    sql = f"""
        WITH scope(id, status) AS ({scope_sql}),
        totals AS (
            SELECT c.pegawai_id, SUM(c.jp) AS jp
            FROM {CatatanJP._meta.db_table} c JOIN scope ON scope.id = c.pegawai_id
            WHERE c.tahun = %s AND c.tanggal <= %s
            GROUP BY c.pegawai_id
        )
        SELECT {counts}
        FROM scope s LEFT JOIN totals t ON t.pegawai_id = s.id
    """  # noqa: S608 - identifiers from model metadata, values as parameters
    params = [*scope_params, year, sampai or date(year, 12, 31), *counts_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pns_total, pns_patuh, pppk_total, pppk_lebih = cursor.fetchone()
    return Kepatuhan(year, pns_total, pns_patuh, pppk_total, pppk_lebih)


def pns_di_bawah_target(pegawai: QuerySet, year: int) -> QuerySet:
    return with_jp(pegawai.filter(aktif=True, status_kepegawaian__in=PNS_STATUSES), year).filter(
        jp_tahun__lt=settings.JP_TARGET_PNS
    )


# The year's JP of each pegawai the name walk reaches, as a LATERAL join (PostgreSQL). The
# scope's conditions stand on the pegawai table itself: as `id IN (scope)` PostgreSQL joined the
# table to itself and looked every walked row up again (330 ms at 1,000,000).
_DI_BAWAH_TARGET_SQL = """
    SELECT {columns}, t.jp
    FROM {pegawai}
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(c.jp), 0) AS jp FROM {ledger} c
        WHERE c.pegawai_id = {pegawai}.id AND c.tahun = %s
    ) t
    WHERE {scope} AND t.jp < %s {after}
    ORDER BY {pegawai}.nama {order}, {pegawai}.id {order}
    LIMIT %s
"""


def pns_di_bawah_target_page(
    pegawai: QuerySet, year: int, *, after: str | None, before: str | None, per_page: int = 50
) -> KeysetPage:
    """A page by name of pns_di_bawah_target(pegawai, year) as for_list("jp_tahun") rows.

    On PostgreSQL the year's sum is a LATERAL join, which the planner charges only to the rows
    the walk of the name index keeps; as the ORM's filter on a correlated subquery it was charged
    to every row walked, and at 1,000,000 pegawai the planner switched to summing the year of
    every pegawai of the OPD and sorting them (bench/RESULTS.md, issue 24). SQLite, the embedded
    default, has no LATERAL and reads the same rows through the ORM."""
    if connection.vendor != "postgresql":
        rows = pns_di_bawah_target(pegawai, year).for_list("jp_tahun")
        return keyset_paginate(rows, key="nama", after=after, before=before, per_page=per_page)
    scope = pegawai.filter(aktif=True, status_kepegawaian__in=PNS_STATUSES).query
    joined = [a for a, n in scope.alias_refcount.items() if n and a != scope.base_table]
    if joined:  # the scopes are conditions on pegawai's own columns (PegawaiQuerySet)
        raise ValueError("pns_di_bawah_target_page: the scope must not join other tables")
    try:
        scope_sql, scope_params = scope.get_compiler(connection=connection).compile(scope.where)
    except EmptyResultSet:  # nobody in scope
        return KeysetPage(object_list=[])
    table = connection.ops.quote_name(Pegawai._meta.db_table)
    columns = [Pegawai._meta.get_field("id" if c == "pk" else c).column for c in LIST_COLUMNS]

    def fetch(start: list | None, backwards: bool, limit: int) -> list[dict]:
        key = f"({table}.nama, {table}.id) {'<' if backwards else '>'} (%s, %s)"
        sql = _DI_BAWAH_TARGET_SQL.format(
            columns=", ".join(f"{table}.{column}" for column in columns),
            pegawai=table,
            ledger=CatatanJP._meta.db_table,
            scope=scope_sql or "TRUE",
            after="" if start is None else f"AND {key}",
            order="DESC" if backwards else "ASC",
        )
        params = [year, *scope_params, settings.JP_TARGET_PNS, *(start or []), limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [*LIST_COLUMNS, "jp_tahun"]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return keyset_read(
        fetch, model=Pegawai, key="nama", after=after, before=before, per_page=per_page
    )


PELATIHAN_HEADER = ["Nama", "Jenis", "Bidang", "JP", "Penyelenggara", "Angkatan terbuka"]


def pelatihan_rows(trainings: QuerySet) -> Iterator[list]:
    for p in trainings.iterator(chunk_size=2000):
        yield [
            p.nama, p.get_jenis_display(), p.bidang, p.jp, p.penyelenggara, p.angkatan_terbuka
        ]  # fmt: skip


def di_bawah_target_header(year: int) -> list[str]:
    """The page's columns in its order (Nama, NIP, Unit, JP), with the status beside."""
    return ["Nama", "NIP", "Unit kerja", "Status", f"JP {year}"]


def di_bawah_target_rows(pegawai: QuerySet) -> Iterator[list]:
    # The NIP grouped as the page writes it: text a spreadsheet will not turn into 1,98E+17.
    jalur = unit_jalur()  # each unit with its OPD, read once (not per row)
    for p in pegawai.iterator(chunk_size=2000):
        yield [p.nama_lengkap, p.nip_tampil, jalur.get(p.unit_id, ""),
               p.get_status_kepegawaian_display(), p.jp_tahun]  # fmt: skip


KEGIATAN_HEADER = ["NIP", "Nama", "Kegiatan", "Jenis", "Penyelenggara", "Mulai", "Selesai", "JP"]


def kegiatan_rows(kegiatan: QuerySet) -> Iterator[list]:
    for k in kegiatan.iterator(chunk_size=2000):
        yield [
            k.pegawai.nip, k.pegawai.nama_lengkap, k.nama, k.get_jenis_display(), k.penyelenggara,
            k.tanggal_mulai, k.tanggal_selesai, k.jp_diakui,
        ]  # fmt: skip


KEGIATAN_AUDIT_HEADER = [
    "NIP", "Nama", "Kegiatan", "Jenis", "Penyelenggara", "Mulai", "Selesai", "Jumlah",
    "JP diajukan", "JP dikreditkan", "Status", "Diputuskan oleh", "Alasan/keterangan",
    "Berlaku sampai",
]  # fmt: skip


def kegiatan_audit_rows(kegiatan: QuerySet) -> Iterator[list]:
    rows = kegiatan.select_related("pegawai", "diverifikasi_oleh")
    for k in rows.iterator(chunk_size=2000):
        yield [
            k.pegawai.nip, k.pegawai.nama_lengkap, k.nama, k.get_jenis_display(), k.penyelenggara,
            k.tanggal_mulai, k.tanggal_selesai, k.jumlah, k.jp, k.jp_dikreditkan,
            k.get_status_display(), k.diverifikasi_oleh or "",
            k.alasan_tolak or k.keterangan_kredit, k.berlaku_sampai or "",
        ]  # fmt: skip


PESERTA_HEADER = ["NIP", "Nama", "Unit kerja", "Status", "Hadir", "Pre-test", "Post-test", "Hasil"]


def peserta_rows(peserta: QuerySet) -> Iterator[list]:
    """`peserta` with `sertifikat_semua` prefetched: the result reads the certificate."""
    jalur = unit_jalur()
    for p in peserta:
        yield [
            p.pegawai.nip, p.pegawai.nama_lengkap, jalur.get(p.pegawai.unit_id, ""),
            p.get_status_display(), p.hadir, p.nilai_pre, p.nilai_post,
            "" if p.lulus is None else p.hasil,
        ]  # fmt: skip


KESENJANGAN_HEADER = ["Kode", "Kompetensi", "Kurang dari standar", "Memenuhi", "Belum dinilai"]


def kesenjangan_rows(rows: list[dict]) -> Iterator[list]:
    for r in rows:
        yield [r["kompetensi__kode"], r["kompetensi__nama"], r["kurang"], r["memenuhi"], r["belum"]]


KERJA_SAMA_HEADER = ["Perguruan tinggi", "Nomor", "Judul", "Ditandatangani", "Berlaku sampai"]


def kerja_sama_rows(kerja_sama: QuerySet) -> Iterator[list]:
    for k in kerja_sama:
        yield [
            k.perguruan_tinggi.nama, k.nomor, k.judul, k.tanggal_tanda_tangan, k.tanggal_berakhir
        ]  # fmt: skip


PENDAFTAR_HEADER = ["NIP", "Nama", "Status", "Peringkat"]


def pendaftar_rows(pendaftaran: QuerySet) -> Iterator[list]:
    for p in pendaftaran:
        yield [p.pegawai.nip, p.pegawai.nama_lengkap, p.get_status_display(), p.peringkat]


SIASN_HEADER = [
    "nip", "namaKursus", "jenisDiklatId", "institusiPenyelenggara", "jumlahJam", "tanggalKursus",
    "tanggalSelesaiKursus", "nomorSertipikat", "tahunKursus",
]  # fmt: skip


def siasn_rows(peserta: QuerySet) -> Iterator[list]:
    """Completed trainings in the fields of SIASN riwayat kursus, for upload to BKN: the passes
    that still count (a revoked certificate without a new one leaves its course out)."""
    valid = Sertifikat.objects.filter(peserta=OuterRef("pk"), dicabut_at__isnull=True)
    passed = (
        peserta.diakui()
        .annotate(nomor_sertifikat=Subquery(valid.values("nomor")[:1]))
        .select_related("pegawai", "angkatan__pelatihan")
        .order_by("angkatan__tanggal_selesai", "pk")
    )
    for p in passed.iterator(chunk_size=2000):
        angkatan, pelatihan = p.angkatan, p.angkatan.pelatihan
        yield [
            p.pegawai.nip,
            pelatihan.nama,
            pelatihan.jenis,
            pelatihan.penyelenggara,
            pelatihan.jp,
            angkatan.tanggal_mulai.strftime("%d-%m-%Y"),
            angkatan.tanggal_selesai.strftime("%d-%m-%Y"),
            p.nomor_sertifikat or "",
            angkatan.tanggal_selesai.year,
        ]


def target_for(pegawai: Pegawai) -> dict:
    """What the year's JP is measured against: a PNS's right of at least 20 JP, a PPPK's cap."""
    if pegawai.is_pppk:
        return {"jp": settings.JP_MAX_PPPK, "jenis": "batas"}
    return {"jp": settings.JP_TARGET_PNS, "jenis": "target"}


@dataclass
class Kesenjangan:
    kompetensi: Kompetensi
    standar: int
    dinilai: int | None

    @property
    def gap(self) -> int | None:
        return None if self.dinilai is None else max(self.standar - self.dinilai, 0)


def _latest_level(pegawai_ref, kompetensi_ref) -> Subquery:
    latest = (
        PenilaianKompetensi.objects.filter(pegawai=pegawai_ref, kompetensi=kompetensi_ref)
        .order_by("-tanggal", "-pk")
        .values("level")[:1]
    )
    return Subquery(latest, output_field=IntegerField())


def kesenjangan_pegawai(pegawai: Pegawai) -> list[Kesenjangan]:
    """Each competency the pegawai's jabatan requires, with the latest assessed level; the
    largest gaps first, those never assessed last."""
    standards = (
        StandarKompetensi.objects.filter(jabatan_id=pegawai.jabatan_id)
        .select_related("kompetensi")
        .annotate(dinilai=_latest_level(pegawai.pk, OuterRef("kompetensi")))
    )
    rows = [Kesenjangan(s.kompetensi, s.level, s.dinilai) for s in standards]
    return sorted(rows, key=lambda r: (r.gap is None, -(r.gap or 0), r.kompetensi.kode))


def kesenjangan_unit(pegawai: QuerySet) -> list[dict]:
    """Per competency: how many of these pegawai fall short of their jabatan's standard, how
    many meet it, and how many were never assessed. One grouped query."""
    pairs = StandarKompetensi.objects.filter(
        jabatan__pegawai__in=pegawai.filter(aktif=True).values("pk")
    ).annotate(dinilai=_latest_level(OuterRef("jabatan__pegawai"), OuterRef("kompetensi")))
    return list(
        pairs.values("kompetensi__kode", "kompetensi__nama")
        .annotate(
            kurang=Count("pk", filter=Q(dinilai__lt=F("level"))),
            memenuhi=Count("pk", filter=Q(dinilai__gte=F("level"))),
            belum=Count("pk", filter=Q(dinilai__isnull=True)),
        )
        .order_by("-kurang", "kompetensi__kode")
    )


def pegawai_di_bawah_standar(pegawai: QuerySet, kompetensi) -> QuerySet:
    """Of these pegawai, the active ones whose latest assessed level of the competency is below
    their jabatan's standard (the gap kesenjangan_unit counts as "kurang")."""
    standar = StandarKompetensi.objects.filter(
        jabatan=OuterRef("jabatan"), kompetensi=kompetensi
    ).values("level")[:1]
    return (
        pegawai.filter(aktif=True)
        .annotate(
            standar=Subquery(standar, output_field=IntegerField()),
            dinilai=_latest_level(OuterRef("pk"), kompetensi.pk),
        )
        .filter(dinilai__lt=F("standar"))
    )


@dataclass
class Rekomendasi:
    pelatihan: Pelatihan
    angkatan: Angkatan | None
    alasan: str
    menutup: int


def rekomendasi_pelatihan(pegawai: Pegawai, *, limit: int = 5) -> list[Rekomendasi]:
    """Trainings that close the pegawai's largest gaps: those with an open batch first, then by
    the size of the gap they close. Each comes with the reason."""
    gaps = {g.kompetensi.pk: g for g in kesenjangan_pegawai(pegawai) if g.gap}
    if not gaps:
        return []
    # Not a training the pegawai has passed (and still holds), whatever gap remains.
    completed = Peserta.objects.filter(pegawai=pegawai).diakui().values("angkatan__pelatihan")
    targets = (
        PelatihanKompetensi.objects.filter(kompetensi_id__in=gaps)
        .exclude(pelatihan__in=completed)
        .select_related("pelatihan", "kompetensi")
        .order_by("pelatihan__nama")
    )
    best: dict[int, Rekomendasi] = {}
    open_batches = {
        a.pelatihan_id: a
        for a in Angkatan.objects.terbuka()
        .filter(
            pelatihan__in={t.pelatihan_id for t in targets}, tanggal_mulai__gte=timezone.localdate()
        )
        .order_by("-tanggal_mulai")
    }
    for target in targets:
        gap = gaps[target.kompetensi_id]
        closes = min(target.level, gap.standar) - gap.dinilai
        if closes <= 0:
            continue
        batch = open_batches.get(target.pelatihan_id)
        reason = (
            f"{target.kompetensi.kode} {target.kompetensi.nama}: level {gap.dinilai}, standar "
            f"jabatan {gap.standar}; pelatihan ini membawa ke level {target.level}"
        )
        if batch:
            reason += f"; {batch.nama} dibuka, mulai {batch.tanggal_mulai:%d/%m/%Y}"
        current = best.get(target.pelatihan_id)
        if current is None or closes > current.menutup:
            best[target.pelatihan_id] = Rekomendasi(target.pelatihan, batch, reason, closes)
    ranked = sorted(best.values(), key=lambda r: (r.angkatan is None, -r.menutup, r.pelatihan.nama))
    return ranked[:limit]


# --- Individual development plans and the AKPK ------------------------------------------------


@dataclass
class Progres:
    """How far a plan has come: lines completed of all, and their planned JP."""

    selesai: int = 0
    total: int = 0
    jp_selesai: int = 0
    jp_total: int = 0
    biaya_total: int = 0

    @property
    def persen(self) -> float | None:
        return share(self.selesai, self.total)


def progres_rencana(rencana_ids) -> dict[int, Progres]:
    """The progress of each plan, by id: one grouped query over their lines."""
    done = Q(status=BarisRencana.Status.SELESAI)
    rows = (
        BarisRencana.objects.filter(rencana_id__in=list(rencana_ids))
        .values("rencana_id")
        .annotate(
            total=Count("pk"),
            selesai=Count("pk", filter=done),
            jp_total=Sum("jp"),
            jp_selesai=Coalesce(Sum("jp", filter=done), 0),
            biaya_total=Sum("biaya"),
        )
        .order_by()
    )
    return {
        r["rencana_id"]: Progres(
            r["selesai"], r["total"], r["jp_selesai"], r["jp_total"], r["biaya_total"]
        )
        for r in rows
    }


# The states of the HR list, in the order of the flow; None: no plan yet.
STATUS_RENCANA = [(None, "Belum mulai")] + list(RencanaPengembangan.Status.choices)


def with_rencana(pegawai: QuerySet, tahun: int) -> QuerySet:
    """The pegawai with their plan of the year (its id and status, None without one)."""
    plan = RencanaPengembangan.objects.filter(pegawai=OuterRef("pk"), tahun=tahun)
    return pegawai.annotate(
        rencana_id=Subquery(plan.values("pk")[:1]),
        rencana_status=Subquery(plan.values("status")[:1]),
    )


def rencana_per_status(pegawai: QuerySet, tahun: int) -> list[tuple[str | None, str, int]]:
    """How many of these active pegawai have no plan of the year, a draft, a submitted, a
    returned and an agreed one: the plans grouped by state, and the pegawai counted."""
    active = pegawai.filter(aktif=True)
    rows = (
        RencanaPengembangan.objects.filter(tahun=tahun, pegawai__in=active.values("pk"))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {r["status"]: r["n"] for r in rows}
    counts[None] = active.count() - sum(counts.values())
    return [(value, label, counts.get(value, 0)) for value, label in STATUS_RENCANA]


def akpk_baris(pegawai: QuerySet, tahun: int) -> list[dict]:
    """The AKPK (analisis kebutuhan pengembangan kompetensi) of these pegawai: the lines of their
    agreed plans of the year per competency, form and catalog training, with the planned JP
    and cost and the number of pegawai. One grouped query."""
    rows = (
        BarisRencana.objects.filter(
            rencana__tahun=tahun,
            rencana__status=RencanaPengembangan.Status.DISETUJUI,
            rencana__pegawai__in=pegawai.filter(aktif=True).values("pk"),
        )
        .values(
            "kompetensi_id", "kompetensi__kode", "kompetensi__nama", "bentuk", "pelatihan_id",
            "pelatihan__nama",
        )
        .annotate(
            jp=Sum("jp"),
            biaya=Sum("biaya"),
            pegawai=Count("rencana__pegawai", distinct=True),
            baris=Count("pk"),
            selesai=Count("pk", filter=Q(status=BarisRencana.Status.SELESAI)),
        )
        .order_by("kompetensi__kode", "bentuk", "pelatihan__nama")
    )  # fmt: skip
    labels = dict(JenisPengembangan.choices)
    return [r | {"bentuk_label": labels[r["bentuk"]]} for r in rows]


def akpk_jumlah(pegawai: QuerySet, tahun: int, rows: list[dict]) -> dict:
    """The AKPK's totals: JP and cost summed over its rows, and the pegawai counted once."""
    agreed = RencanaPengembangan.objects.filter(
        tahun=tahun,
        status=RencanaPengembangan.Status.DISETUJUI,
        pegawai__in=pegawai.filter(aktif=True).values("pk"),
        baris__isnull=False,
    )
    return {
        "jp": sum(r["jp"] for r in rows),
        "biaya": sum(r["biaya"] for r in rows),
        "pegawai": agreed.values("pegawai").distinct().count(),
    }


AKPK_HEADER = ["Kode", "Kompetensi", "Bentuk pengembangan", "Pelatihan", "Jumlah pegawai",
               "JP rencana", "Biaya rencana (Rp)", "Baris terlaksana", "Jumlah baris"]  # fmt: skip


def akpk_rows(rows: list[dict]) -> Iterator[list]:
    for r in rows:
        yield [
            r["kompetensi__kode"], r["kompetensi__nama"], r["bentuk_label"],
            r["pelatihan__nama"] or "", r["pegawai"], r["jp"], r["biaya"], r["selesai"],
            r["baris"],
        ]  # fmt: skip
