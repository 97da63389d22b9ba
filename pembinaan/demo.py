"""Demo program: this year's, with the month-end actuals of the months gone by, so its trend
lines have something to show; and the dashboards' unit figures. Talent management: potential
scores and two years of annual predicates for a sample of pegawai of every OPD, their nine-box
placements, one calibration, a critical position with successors from the pool, and the demo
`provinsi` login on the talent committee."""

import random
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from evaluasi.models import PenilaianKinerja, PeriodePenilaian, PeriodeUnit
from pegawai.models import Jabatan, Pegawai, UnitKerja, User
from pelatihan.models import JenisPengembangan, Kompetensi

from . import services, talenta
from .lib.dates import month_end
from .models import (
    AnggotaKomiteTalenta,
    PenempatanTalenta,
    Potensial,
    ProgramPembinaan,
)

# How many pegawai carry the talent demo (in order of creation):
# enough for a populated nine-box in every OPD of an 800-pegawai demo; at provincial scale the
# benchmark's SQL fillers carry the bulk (bench/talenta.py).
DEMO_TALENTA = 700
# (hasil kerja, perilaku kerja) per predicate, and how often each is drawn per year.
RATING = {
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
}
SPREAD = ["sangat_baik"] * 5 + ["baik"] * 8 + ["butuh_perbaikan"] * 2


def seed() -> None:
    today = timezone.localdate()
    services.ringkasan_simpan(today=today)  # the dashboards' figures, before the first job
    seed_talenta(today)
    # The IP ASN of the last three years, so the program page's trend has years to compare;
    # after the talent demo, whose annual predicates it reads.
    for year in range(today.year - 2, today.year + 1):
        services.ip_asn_simpan(tahun=year)
    if ProgramPembinaan.objects.filter(tahun=today.year).exists():
        return
    program = services.program_create(
        tahun=today.year, by=User.objects.filter(username="admin").first()
    )
    for month in range(1, today.month):
        services.capaian_hitung(program=program, sampai=month_end(date(today.year, month, 1)))
    services.capaian_hitung(program=program, sampai=today)


@transaction.atomic
def seed_talenta(today: date) -> None:
    provinsi = User.objects.filter(username="provinsi").first()
    if provinsi is None or PenempatanTalenta.objects.exists():
        return
    rng = random.Random(21)
    # Pegawai without a demo login: the logins' own records are the other demos' (a scholarship
    # application shows the predicate SIBINA holds for last year only).
    sample = list(
        Pegawai.objects.aktif()
        .filter(atasan__isnull=False, user__isnull=True)
        .order_by("pk")[:DEMO_TALENTA]
    )
    opds = list(UnitKerja.objects.filter(depth=1))
    for year in talenta.tahun_kinerja(today):
        periode = _annual_period(year, opds, provinsi)
        rated = set(  # evaluasi's demo rated some of them already that year
            PenilaianKinerja.objects.filter(
                periode__jenis="tahunan", periode__tanggal_selesai__year=year
            ).values_list("pegawai_id", flat=True)
        )
        ratings = []
        for p in sample:
            predikat = rng.choice(SPREAD)
            if p.pk not in rated:
                hasil, perilaku = RATING[predikat]
                ratings.append(PenilaianKinerja(
                    periode=periode, pegawai=p, penilai_id=p.atasan_id, jabatan_id=p.jabatan_id,
                    hasil_kerja=hasil, perilaku_kerja=perilaku, predikat=predikat,
                ))  # fmt: skip
        PenilaianKinerja.objects.bulk_create(ratings)
    assessed = Potensial.objects.filter(pegawai=OuterRef("pk"))
    Potensial.objects.bulk_create(
        Potensial(
            pegawai=p,
            tanggal=date(today.year - 1, 11, 10),  # never in the future, even on 1 January
            dicatat_oleh=provinsi,
            sumber=rng.choice(Potensial.Sumber.values[:3]),
            skor=rng.randint(35, 97),
        )  # fmt: skip
        for p in Pegawai.objects.filter(pk__in=[p.pk for p in sample])
        .annotate(sudah=Exists(assessed))
        .filter(sudah=False)
    )
    services.penempatan_hitung(today=today)
    AnggotaKomiteTalenta.objects.get_or_create(user=provinsi, defaults={"ditambah_oleh": provinsi})
    _seed_calibration(provinsi)
    _seed_succession(provinsi)


def _annual_period(year: int, opds: list[UnitKerja], by: User) -> PeriodePenilaian:
    """The talent demo's annual period of a year, for every OPD, closed: its own, beside the
    one evaluasi's demo opens for Dinas Kesehatan last year (whose bounded sample stays as it
    is)."""
    periode, created = PeriodePenilaian.objects.get_or_create(
        nama=f"Tahunan {year} seluruh OPD", jenis="tahunan",
        defaults={"tanggal_mulai": date(year, 1, 1), "tanggal_selesai": date(year, 12, 31),
                  "status": "ditutup", "dibuka_oleh": by},
    )  # fmt: skip
    if created:
        PeriodeUnit.objects.bulk_create(PeriodeUnit(periode=periode, unit=opd) for opd in opds)
    return periode


def _seed_calibration(by: User) -> None:
    """The committee moves one box-6 pegawai up, with its reason (the audit log shows it)."""
    penempatan = PenempatanTalenta.objects.filter(kotak=6).order_by("pk").first()
    if penempatan is not None:
        services.penempatan_calibrate(
            penempatan=penempatan, kotak=8, by=by,
            alasan="Predikat tahun lalu turun karena cuti sakit panjang; kinerja sebelum dan "
            "sesudahnya di atas ekspektasi (rapat komite talenta).",
        )  # fmt: skip


def _seed_succession(by: User) -> None:
    """A critical position in Dinas Kesehatan with three successors from the pool."""
    dinkes = UnitKerja.objects.filter(kode="DINKES").first()
    jabatan = Jabatan.objects.filter(nama="Kepala Bidang").first()
    kompetensi = Kompetensi.objects.filter(kode="M.06").first()
    if dinkes is None or jabatan is None or kompetensi is None:
        return
    kritikal = services.jabatan_kritikal_create(
        jabatan=jabatan, unit=dinkes, by=by,
        alasan="Dua kepala bidang pensiun pada 2027; tidak ada pejabat pengawas yang siap.",
    )  # fmt: skip
    pool = PenempatanTalenta.objects.filter(kotak__in=talenta.POOL).select_related("pegawai")
    kesiapan = ["siap", "1_2_tahun", "lebih_2_tahun"]
    for penempatan, ready in zip(pool.order_by("-kotak", "pk")[:3], kesiapan, strict=False):
        services.kandidat_add(
            jabatan_kritikal=kritikal, pegawai=penempatan.pegawai, kesiapan=ready,
            kompetensi=kompetensi, level_target=4, bentuk=JenisPengembangan.MENTORING, jp=20,
            catatan="Mentoring oleh kepala dinas; penugasan plt saat pejabat cuti.", by=by,
        )  # fmt: skip
