"""Reads over trainings and the JP ledger that pages and exports share."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from pegawai.models import Pegawai

from .models import CatatanJP

PNS_STATUSES = [Pegawai.StatusKepegawaian.PNS, Pegawai.StatusKepegawaian.CPNS]


def jp_tahun(pegawai: Pegawai, year: int) -> int:
    return CatatanJP.objects.filter(pegawai=pegawai, tahun=year).aggregate(
        total=Coalesce(Sum("jp"), 0)
    )["total"]


def with_jp(pegawai: QuerySet, year: int) -> QuerySet:
    """Annotate each pegawai with `jp_tahun`: one index-only probe of the ledger's
    (tahun, pegawai) INCLUDE (jp) index per pegawai, however many entries there are."""
    total = (
        CatatanJP.objects.filter(pegawai=OuterRef("pk"), tahun=year)
        .order_by()
        .values("pegawai")
        .annotate(total=Sum("jp"))
        .values("total")
    )
    return pegawai.annotate(jp_tahun=Coalesce(Subquery(total, output_field=IntegerField()), 0))


@dataclass
class Kepatuhan:
    tahun: int
    pns: int
    pns_patuh: int
    pppk: int
    pppk_lebih: int

    @property
    def persen_patuh(self) -> float | None:
        return 100.0 * self.pns_patuh / self.pns if self.pns else None


def kepatuhan_jp(pegawai: QuerySet, year: int) -> Kepatuhan:
    """Of these pegawai (active): how many PNS reach the yearly target, and how many PPPK exceed
    their cap. Two aggregate queries over the annotated set."""
    target, cap = settings.JP_TARGET_PNS, settings.JP_MAX_PPPK
    rows = with_jp(pegawai.filter(aktif=True), year)
    pns = rows.filter(status_kepegawaian__in=PNS_STATUSES).aggregate(
        total=Count("pk"), patuh=Count("pk", filter=Q(jp_tahun__gte=target))
    )
    pppk = rows.filter(status_kepegawaian=Pegawai.StatusKepegawaian.PPPK).aggregate(
        total=Count("pk"), lebih=Count("pk", filter=Q(jp_tahun__gt=cap))
    )
    return Kepatuhan(year, pns["total"], pns["patuh"], pppk["total"], pppk["lebih"])


def pns_di_bawah_target(pegawai: QuerySet, year: int) -> QuerySet:
    return with_jp(pegawai.filter(aktif=True, status_kepegawaian__in=PNS_STATUSES), year).filter(
        jp_tahun__lt=settings.JP_TARGET_PNS
    )


SIASN_HEADER = [
    "nip", "namaKursus", "jenisDiklatId", "institusiPenyelenggara", "jumlahJam", "tanggalKursus",
    "tanggalSelesaiKursus", "nomorSertipikat", "tahunKursus",
]  # fmt: skip


def siasn_rows(peserta: QuerySet) -> Iterator[list]:
    """Completed trainings in the fields of SIASN riwayat kursus, for upload to BKN."""
    passed = (
        peserta.filter(lulus=True)
        .select_related("pegawai", "angkatan__pelatihan", "sertifikat")
        .order_by("angkatan__tanggal_selesai", "pk")
    )
    for p in passed.iterator(chunk_size=2000):
        angkatan, pelatihan = p.angkatan, p.angkatan.pelatihan
        certificate = getattr(p, "sertifikat", None)
        yield [
            p.pegawai.nip,
            pelatihan.nama,
            pelatihan.jenis,
            pelatihan.penyelenggara,
            pelatihan.jp,
            angkatan.tanggal_mulai.strftime("%d-%m-%Y"),
            angkatan.tanggal_selesai.strftime("%d-%m-%Y"),
            certificate.nomor if certificate and not certificate.is_revoked else "",
            angkatan.tanggal_selesai.year,
        ]


def target_for(pegawai: Pegawai) -> dict:
    """What the year's JP is measured against: a PNS's right of at least 20 JP, a PPPK's cap."""
    if pegawai.is_pppk:
        return {"jp": settings.JP_MAX_PPPK, "jenis": "batas"}
    return {"jp": settings.JP_TARGET_PNS, "jenis": "target"}
