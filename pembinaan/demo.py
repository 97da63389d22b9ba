"""Demo program: this year's, with the month-end actuals of the months gone by, so its trend
lines have something to show; and the dashboards' unit figures. Talent management: potential
scores and two years of annual predicates for a sample of pegawai of every OPD, their nine-box
placements, one calibration, a critical position with successors from the pool, and the demo
`provinsi` login on the talent committee. Measured impact (L4): a training whose participants
rose one predicate step over two batches, and one whose participants did not differ; and the
officers of Poli Umum Puskesmas Rawasari trained in serving patients, with the quarters of
survey answers and service volume before and after."""

import random
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from evaluasi import services as evaluasi_services
from evaluasi.models import PenilaianKinerja, PeriodePenilaian, PeriodeUnit
from pegawai.models import Jabatan, Pegawai, UnitKerja, User, tanggal_libur
from pelatihan import services as pelatihan_services
from pelatihan.models import Angkatan, JenisPengembangan, Kompetensi, Pelatihan

from . import services, talenta
from .lib.dates import month_end
from .models import (
    AnggotaKomiteTalenta,
    KalenderPribadi,
    KlienApi,
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
    seed_dampak()
    seed_dampak_layanan(today)
    services.ringkasan_simpan(today=today)  # the dashboards' figures, before the first job
    seed_talenta(today)
    seed_kalender()
    seed_klien_api()
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


# The demo's API client: a read-and-write token for Dinas Kesehatan, fixed so that the README's
# examples work on a fresh demo. Demo only: a real token is issued on /program/api-klien/ and
# shown once.
DEMO_API_TOKEN = "sibina_demo-token-dinkes-hanya-untuk-demo"


def seed_klien_api() -> None:
    if KlienApi.objects.filter(token_sha256=KlienApi.token_hash(DEMO_API_TOKEN)).exists():
        return
    admin = User.objects.filter(username="admin").first()
    dinkes = UnitKerja.objects.filter(kode="DINKES").first()
    if admin is None or dinkes is None:
        return
    klien = KlienApi.objects.create(
        nama="SIMPEG Dinas Kesehatan (demo)", cakupan=KlienApi.Cakupan.TULIS,
        token_sha256=KlienApi.token_hash(DEMO_API_TOKEN), awalan=DEMO_API_TOKEN[:11],
        dibuat_oleh=admin,
    )  # fmt: skip
    klien.units.set([dinkes])


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


# --- Measured impact (L4, pembinaan.dampak) -------------------------------------------------------
# Three closed quarters around two batches of each impact training, all in 2024: before the demo's
# other quarter (Triwulan III 2026) and more than a year before its 2026 batches, whose own
# before/after quarters therefore never reach these ratings.
PERIODE_DAMPAK = [
    ("Triwulan IV 2023", date(2023, 10, 1), date(2023, 12, 31)),
    ("Triwulan II 2024", date(2024, 4, 1), date(2024, 6, 30)),
    ("Triwulan IV 2024", date(2024, 10, 1), date(2024, 12, 31)),
]
# (training, its OPD, its batches (name, first day)): the first lifts its participants.
DAMPAK = [
    ("Pelayanan Prima bagi ASN", "DINKES",
     [("Angkatan I Tahun 2024", date(2024, 2, 5)), ("Angkatan II Tahun 2024", date(2024, 8, 5))]),
    ("Penyusunan Naskah Dinas", "BKD",
     [("Angkatan I Tahun 2024", date(2024, 2, 19)), ("Angkatan II Tahun 2024", date(2024, 8, 19))]),
]  # fmt: skip
# A predicate as its (hasil kerja, perilaku kerja), by the score dampak.SKOR_PREDIKAT gives it.
PENILAIAN_SKOR = {5: ("di_atas", "di_atas"), 4: ("sesuai", "sesuai"), 3: ("di_bawah", "sesuai")}
# Quarter-to-quarter changes, in turn: most stay, a few move a step either way.
GOYANG = [0, 0, 1, 0, -1, 0, 0, 1, 0, -1, 0, 0]
# Pegawai per jabatan type of each OPD that carry the impact demo (in order of creation): at
# provincial scale an OPD holds thousands; the benchmark's SQL fillers carry the bulk.
DEMO_DAMPAK = 30


def seed_dampak() -> None:
    """The impact demo in one transaction. Each of its writes asks for the dashboards' figures
    anew (pembinaan.signals), and with eager tasks each request runs a refresh when the writes
    commit: the mark of a waiting refresh, set before the commit, makes them one, which the
    caller makes (seed: ringkasan_simpan)."""
    marked = False
    with transaction.atomic():
        if _seed_dampak():
            marked = cache.add(services.RINGKASAN_MENUNGGU, 1, timeout=60)
    if marked:
        cache.delete(services.RINGKASAN_MENUNGGU)


def _seed_dampak() -> bool:
    """Each impact training's OPD: its pegawai of the large jabatan types (the demo logins only
    as comparison) rated by their atasan in three closed quarters; two thirds of the others
    pass one of its two batches. In Dinas Kesehatan the participants rate one step higher from
    the quarter after their batch; in BKD they move like everyone else."""
    admin = User.objects.filter(username="admin").first()
    prima = Pelatihan.objects.filter(nama=DAMPAK[0][0]).first()
    if admin is None or prima is None or prima.angkatan.filter(nama=DAMPAK[0][2][0][0]).exists():
        return False
    units = {u.kode: u for u in UnitKerja.objects.filter(kode__in=[d[1] for d in DAMPAK])}
    periods = []
    for nama, start, end in PERIODE_DAMPAK:
        periode = PeriodePenilaian(nama=nama, jenis="triwulan", tanggal_mulai=start,
                                   tanggal_selesai=end)  # fmt: skip
        periods.append(evaluasi_services.periode_open(periode=periode, units=list(units.values()),
                                                      by=admin))  # fmt: skip
    turn = 0
    for index, (nama, kode, batches) in enumerate(DAMPAK):
        training = prima if index == 0 else _pelatihan_tanpa_dampak(nama, units[kode])
        groups = _kelompok_dampak(units[kode])
        for step, (batch_name, start) in enumerate(batches):
            _angkatan_lulus(training, batch_name, start, groups[step])
        for group, people in enumerate(groups):
            for pegawai in people:
                level = 3 + (pegawai.pk % 2)  # butuh perbaikan or baik to begin with
                lifted = index == 0 and group < 2 and pegawai.pk % 6  # most of them
                scores = [level]
                for quarter in (1, 2):
                    change = GOYANG[turn % len(GOYANG)]
                    turn += 1
                    if lifted and quarter == group + 1:  # the quarter after their batch
                        change = 1
                    scores.append(max(3, min(5, scores[-1] + change)))
                for periode, score in zip(periods, scores, strict=True):
                    hasil, perilaku = PENILAIAN_SKOR[score]
                    rating = evaluasi_services.penilaian_save(
                        periode=periode, pegawai=pegawai, penilai=pegawai.atasan,
                        hasil_kerja=hasil, perilaku_kerja=perilaku,
                    )  # fmt: skip
                    evaluasi_services.penilaian_acknowledge(penilaian=rating)
    for periode in periods:
        evaluasi_services.periode_close(periode=periode)
    return True


def _pelatihan_tanpa_dampak(nama: str, unit: UnitKerja) -> Pelatihan:
    training, _ = Pelatihan.objects.get_or_create(
        nama=nama,
        defaults={
            "jenis": 8, "bidang": "Administrasi perkantoran", "jp": 16,
            "penyelenggara_jenis": "internal", "penyelenggara": "BPSDM Provinsi Jambi",
            "deskripsi": "Tata naskah dinas dan korespondensi elektronik (SRIKANDI).",
            "unit_penyelenggara": unit,
        },
    )  # fmt: skip
    # Written communication: the needs analysis can mark it where Komunikasi is a need.
    komunikasi = Kompetensi.objects.filter(kode="M.03").first()
    if komunikasi and not training.target.filter(kompetensi=komunikasi).exists():
        training.target.create(kompetensi=komunikasi, level=3)
    return training


def _kelompok_dampak(opd: UnitKerja) -> list[list[Pegawai]]:
    """[first batch, second batch, comparison]: per large jabatan type of the OPD, its pegawai
    without a login alternate between the batches until a third is left for comparison; the
    demo logins of that type compare too (their own training records stay the other demos')."""
    people = (
        Pegawai.objects.aktif().di_unit(opd).filter(atasan__isnull=False)
        .select_related("atasan", "jabatan").order_by("pk")
    )  # fmt: skip
    by_kind: dict[str, list[Pegawai]] = {}
    for pegawai in people:
        by_kind.setdefault(pegawai.jabatan.jenis, []).append(pegawai)
    groups: list[list[Pegawai]] = [[], [], []]
    for kind in by_kind.values():
        if len(kind) < 6:
            continue
        kind = kind[:DEMO_DAMPAK]
        free = [p for p in kind if p.user_id is None]
        trained = free[: len(free) * 2 // 3]
        groups[0] += trained[0::2]
        groups[1] += trained[1::2]
        groups[2] += [p for p in kind if p not in trained]
    return groups


def _angkatan_lulus(training: Pelatihan, nama: str, start: date, people: list[Pegawai]) -> None:
    """A finished batch of three working days whose participants attended and passed."""
    libur = tanggal_libur()
    while len(pelatihan_services.session_days(start, start + timedelta(days=2), libur=libur)) < 3:
        start += timedelta(days=7)
    batch = pelatihan_services.angkatan_save(
        angkatan=Angkatan(
            pelatihan=training, nama=nama, tanggal_mulai=start,
            tanggal_selesai=start + timedelta(days=2), kuota=max(len(people), 1),
            tempat="BPSDM Provinsi Jambi, Jl. Jend. A. Thalib, Telanaipura",
            fasilitator="Widyaiswara BPSDM", status=Angkatan.Status.PENDAFTARAN,
        )
    )  # fmt: skip
    participants = [pelatihan_services.peserta_nominate(angkatan=batch, pegawai=p) for p in people]
    batch.status = Angkatan.Status.BERJALAN
    batch.save(update_fields=["status"])
    for sesi in batch.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={p.pk for p in participants})
    for number, peserta in enumerate(participants):
        peserta.nilai_pre, peserta.nilai_post = 50 + number % 15, 75 + number % 20
        peserta.save(update_fields=["nilai_pre", "nilai_post"])
        pelatihan_services.peserta_decide(peserta=peserta, lulus=True)
    batch.status = Angkatan.Status.SELESAI
    batch.save(update_fields=["status"])


# --- Measured impact on a service unit (L4, pembinaan.dampak_layanan) -----------------------------
# The officers of Poli Umum Puskesmas Rawasari pass a training that targets what IKM elements U6,
# U7 and U9 measure, in the second quarter of 2026. The survey demo answers from January 2026;
# thirty lower answers in the last quarter of 2025 give the quarters before a start. The unit's
# HR enter the service volumes, one quarter too small a sample for its volume.
PELATIHAN_LAYANAN = "Pelayanan Prima dan Penanganan Pengaduan di Puskesmas"
VOLUME_LAYANAN = {(2025, 4): 40, (2026, 1): 65, (2026, 2): 70, (2026, 3): 70}


def seed_dampak_layanan(today: date) -> None:
    from masyarakat import rekap
    from masyarakat import services as masyarakat_services
    from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
    from masyarakat.referensi import KEYS

    layanan = UnitLayanan.objects.filter(kode="poli-rawasari").first()
    pengelola = User.objects.filter(username="pengelola").first()
    officers = list(layanan.petugas.filter(aktif=True)) if layanan else []
    if (
        not officers
        or pengelola is None
        or Pelatihan.objects.filter(nama=PELATIHAN_LAYANAN).exists()
    ):
        return
    with transaction.atomic():
        training = Pelatihan.objects.create(
            nama=PELATIHAN_LAYANAN, jenis=3, bidang="Kesehatan", jp=24,
            penyelenggara_jenis="internal", penyelenggara="BPSDM Provinsi Jambi",
            unit_penyelenggara=UnitKerja.objects.get(path=layanan.unit.path[: UnitKerja.steplen]),
            deskripsi="Komunikasi dengan pasien, empati, dan penanganan keluhan di loket.",
        )  # fmt: skip
        for kode in ("M.05", "M.03"):
            kompetensi = Kompetensi.objects.filter(kode=kode).first()
            if kompetensi:
                training.target.create(kompetensi=kompetensi, level=3)
        _angkatan_lulus(training, "Angkatan Petugas Layanan 2026", date(2026, 5, 4), officers)
        rng = random.Random(22)
        rows = [
            ResponSurvei(
                unit_layanan=layanan, tanggal=date(2025, 10, 1) + timedelta(days=rng.randrange(90)),
                usia="30_39", jenis_kelamin=rng.choice("LP"), pendidikan="sma",
                pekerjaan="swasta", sumber="kertas",
                **{k: rng.choice([2, 3, 3]) if k in ("u6", "u7", "u9") else rng.choice([3, 3, 4])
                   for k in KEYS},
            )
            for _ in range(30)
        ]  # fmt: skip
        ResponSurvei.objects.bulk_create(rows)
        rekap.tambah(rows)
        # Complaints answered and closed long ago: six the quarter before, two the one after.
        for day, count in ((date(2026, 2, 10), 6), (date(2026, 8, 12), 2)):
            for _ in range(count):
                masukan = Masukan.objects.create(
                    unit_layanan=layanan, kategori=Masukan.Kategori.KELUHAN,
                    isi="Antrean poli umum lama dan petugas kurang ramah.",
                    status=Masukan.Status.SELESAI, tanggapan="Sudah kami tindak lanjuti.",
                )  # fmt: skip
                at = timezone.make_aware(datetime.combine(day, time(10)))
                Masukan.objects.filter(pk=masukan.pk).update(created_at=at)
        for tahun in sorted({t for t, _ in VOLUME_LAYANAN}):
            masyarakat_services.volume_simpan(
                unit_layanan=layanan, tahun=tahun, oleh=pengelola, today=today,
                jumlah={ke: n for (t, ke), n in VOLUME_LAYANAN.items() if t == tahun},
            )  # fmt: skip


def seed_kalender() -> None:
    """The demo pegawai, atasan and Dinkes HR have their calendar address already (the page
    /akun/kalender/ shows it): batch days, forum duties and due dates to subscribe to."""
    for user in User.objects.filter(username__in=["pegawai", "atasan", "pengelola"]):
        if not KalenderPribadi.objects.filter(user=user).exists():
            services.kalender_pribadi_buat(user=user)
