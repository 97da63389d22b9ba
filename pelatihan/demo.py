"""Demo trainings for Jambi: standards, assessments, a completed batch with certificates, an open
batch with a waitlist, a planned one, an external activity waiting for verification,
non-classical learning (coaching, mentoring, e-learning; one waiting for the atasan) and a
certificate expiring within 90 days, the partner universities with their agreements, and a
scholarship round with applicants and a study.
Idempotent: everything is looked up by name first."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pegawai.models import Jabatan, Pegawai, UnitKerja, User, tanggal_libur

from . import services
from .forms import tahun_rencana_bawaan
from .models import (
    Angkatan,
    AturanKonversiJP,
    KegiatanEksternal,
    KerjaSama,
    Kompetensi,
    KompetensiLevel,
    LaporanSemester,
    Pelatihan,
    PelatihanKompetensi,
    PendaftaranBeasiswa,
    PenilaianKompetensi,
    PerguruanTinggi,
    ProgramBeasiswa,
    RencanaPengembangan,
    StandarKompetensi,
)

TIK_KESEHATAN = (
    "T.KES.01",
    "Sistem Informasi Kesehatan",
    [
        "Menggunakan aplikasi pelayanan kesehatan sesuai prosedur",
        "Mengolah data pelayanan dan rekam medis elektronik",
        "Mengintegrasikan layanan dengan SATUSEHAT",
        "Merancang perbaikan alur layanan berbasis data",
        "Mengarahkan transformasi digital layanan kesehatan",
    ],
)
STANDAR = {
    "Perawat Ahli Pertama": [("M.05", 3), ("M.07", 2), ("T.KES.01", 3)],
    "Perawat Terampil": [("M.05", 2), ("T.KES.01", 2)],
    "Kepala Seksi": [("M.01", 3), ("M.02", 3), ("M.04", 3), ("M.07", 3), ("M.08", 3)],
    "Pranata Komputer Ahli Pertama": [("M.05", 2), ("T.KES.01", 3)],
}
PELATIHAN = [
    (
        "Teknologi Informasi untuk Pelayanan Kesehatan",
        3,
        "Kesehatan",
        32,
        "internal",
        "BPSDM Provinsi Jambi",
        [("T.KES.01", 3), ("M.07", 3)],
        "Pemanfaatan SIMRS, rekam medis elektronik dan SATUSEHAT di puskesmas dan RSUD.",
    ),
    (
        "Pelayanan Prima bagi ASN",
        8,
        "Pelayanan publik",
        16,
        "internal",
        "BPSDM Provinsi Jambi",
        [("M.05", 3), ("M.03", 3)],
        "Standar pelayanan, penanganan pengaduan dan komunikasi.",
    ),
    (
        "Manajemen Keuangan Publik",
        3,
        "Keuangan",
        40,
        "perguruan_tinggi",
        "Universitas Jambi",
        [("M.04", 3), ("M.08", 3)],
        "Kerja sama dengan Fakultas Ekonomi dan Bisnis Universitas Jambi.",
    ),
    (
        "Pelatihan Kepemimpinan Pengawas",
        1,
        "Kepemimpinan",
        180,
        "internal",
        "BPSDM Provinsi Jambi",
        [("M.01", 3), ("M.02", 3), ("M.07", 3), ("M.08", 3)],
        "PKP dengan aksi perubahan di unit kerja masing-masing.",
    ),
]

# Leadership training (PKP) carries a change project in each participant's own unit.
WAJIB_AKSI_PERUBAHAN = {"Pelatihan Kepemimpinan Pengawas"}


UNIVERSITAS = [
    ("Universitas Jambi", "Unja", "Jambi"),
    ("UIN Sulthan Thaha Saifuddin Jambi", "UIN STS", "Jambi"),
    ("Universitas Batanghari", "Unbari", "Jambi"),
    ("Universitas Muhammadiyah Jambi", "UM Jambi", "Jambi"),
    ("Universitas Dinamika Bangsa", "Unama", "Jambi"),
    ("Poltekkes Kemenkes Jambi", "Poltekkes", "Jambi"),
]


def seed() -> None:
    rng = random.Random(11)
    with transaction.atomic():
        _seed_kompetensi_teknis()
        _seed_standar()
        trainings = _seed_pelatihan()
    _seed_penilaian(rng)
    _seed_batches(trainings, rng)
    _seed_kegiatan()
    _seed_nonklasikal()
    _seed_tugas(trainings, rng)


def seed_beasiswa() -> None:
    """Partnerships, scholarship rounds and applications, filed through the service once
    evaluasi's demo has stored last year's predicates (seed_demo runs this after it), so the
    applications read them from SIBINA as a real one would."""
    _seed_beasiswa()
    pegawai = Pegawai.objects.filter(user__username="pegawai").first()
    if pegawai is not None:
        _seed_rekomendasi(pegawai, timezone.localdate())


def _seed_beasiswa() -> None:
    today = timezone.localdate()
    kampus = {
        nama: PerguruanTinggi.objects.get_or_create(
            nama=nama, defaults={"singkatan": s, "kota": k}
        )[0]
        for nama, s, k in UNIVERSITAS
    }
    unja, poltekkes = kampus["Universitas Jambi"], kampus["Poltekkes Kemenkes Jambi"]
    mou, _ = KerjaSama.objects.get_or_create(
        nomor="119/KS/BKD-UNJA/2023",
        defaults={
            "perguruan_tinggi": unja,
            "judul": "Pengembangan SDM aparatur",
            "ruang_lingkup": "Tugas belajar S2, pelatihan bersama, penelitian kebijakan",
            "tanggal_tanda_tangan": date(2023, 3, 1),
            "tanggal_berakhir": today + timedelta(days=60),
        },
    )
    KerjaSama.objects.get_or_create(
        nomor="45/KS/DINKES-POLTEKKES/2025",
        defaults={
            "perguruan_tinggi": poltekkes,
            "judul": "Peningkatan kualifikasi tenaga kesehatan",
            "ruang_lingkup": "Izin belajar D4/S1 keperawatan dan kebidanan",
            "tanggal_tanda_tangan": date(2025, 1, 10),
            "tanggal_berakhir": date(2029, 1, 9),
        },
    )
    KerjaSama.objects.get_or_create(
        nomor="07/KS/BKD-UIN/2019",
        defaults={
            "perguruan_tinggi": kampus["UIN Sulthan Thaha Saifuddin Jambi"],
            "judul": "Pendidikan lanjut ASN",
            "ruang_lingkup": "Tugas belajar S2",
            "tanggal_tanda_tangan": date(2019, 6, 1),
            "tanggal_berakhir": date(2024, 5, 31),
        },
    )
    program, made = ProgramBeasiswa.objects.get_or_create(
        nama=f"Tugas Belajar S2 Manajemen Keuangan Publik {today.year}",
        defaults={
            "perguruan_tinggi": unja,
            "kerja_sama": mou,
            "jenjang": "s2",
            "program_studi": "Magister Ilmu Ekonomi (Keuangan Publik)",
            "jenis": "tugas_belajar",
            "kuota": 5,
            "pendaftaran_mulai": today - timedelta(days=10),
            "pendaftaran_selesai": today + timedelta(days=20),
            "lama_studi_bulan": 24,
        },
    )
    ProgramBeasiswa.objects.get_or_create(
        nama=f"Izin Belajar S1 Keperawatan {today.year}",
        defaults={
            "perguruan_tinggi": poltekkes,
            "jenjang": "s1",
            "jenis": "izin_belajar",
            "program_studi": "Sarjana Terapan Keperawatan",
            "kuota": 20,
            "pendaftaran_mulai": today + timedelta(days=30),
            "pendaftaran_selesai": today + timedelta(days=60),
            "lama_studi_bulan": 24,
        },
    )
    if made:
        _seed_applications(program, today)


def _seed_applications(program: ProgramBeasiswa, today: date) -> None:
    from django.core.files.base import ContentFile

    pool = (
        Pegawai.objects.aktif()
        .filter(status_kepegawaian="pns", unit__kode__startswith="DINKES")
        .exclude(user__username="pegawai")
        .order_by("-tanggal_lahir")[:40]
    )
    # Two whose last year SIBINA holds (the declaration fills only the year before), and one
    # it does not, who declares both years.
    held = [p for p in pool if services.predikat_tercatat(pegawai=p, on=today, program=program)]
    candidates = held[:2] + [p for p in pool if p not in held][:1]
    declarations = [
        ("baik", "sangat_baik", True),
        ("baik", "baik", True),
        ("butuh_perbaikan", "baik", True),
    ]
    for pegawai, (last, before, clean) in zip(candidates, declarations, strict=False):
        pendaftaran = PendaftaranBeasiswa(
            program=program,
            pegawai=pegawai,
            predikat_tahun_lalu=last,
            predikat_dua_tahun_lalu=before,
            tanpa_hukuman_disiplin=clean,
        )
        pendaftaran.dokumen.save("berkas-persyaratan.pdf", ContentFile(_demo_pdf()), save=False)
        services.beasiswa_apply(pendaftaran=pendaftaran, on=today)
    first = program.pendaftaran.filter(status="memenuhi_syarat").first()
    if first:
        if first.menunggu_rekomendasi:  # the atasan's word comes first
            atasan = first.pegawai.atasan
            services.pendaftaran_rekomendasi(
                pendaftaran=first, by=atasan.user, rekomendasi=True,
                catatan="Direkomendasikan; tugasnya dibagi di seksi selama studi.",
            )  # fmt: skip
        studi = services.beasiswa_accept(
            pendaftaran=first, tanggal_mulai=date(today.year, 2, 1), peringkat=1
        )
        LaporanSemester.objects.create(studi=studi, semester=1, ipk="3.71", sks=18)


def _seed_kompetensi_teknis() -> None:
    kode, nama, levels = TIK_KESEHATAN
    kompetensi, _ = Kompetensi.objects.get_or_create(
        kode=kode,
        defaults={
            "nama": nama,
            "jenis": Kompetensi.Jenis.TEKNIS,
            "deskripsi": "Teknologi informasi dalam pelayanan kesehatan.",
        },
    )
    for level, text in enumerate(levels, start=1):
        KompetensiLevel.objects.get_or_create(
            kompetensi=kompetensi, level=level, defaults={"deskripsi": text}
        )


def _seed_standar() -> None:
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    for nama_jabatan, rows in STANDAR.items():
        jabatan = Jabatan.objects.filter(nama=nama_jabatan).first()
        for kode, level in rows if jabatan else []:
            StandarKompetensi.objects.get_or_create(
                jabatan=jabatan, kompetensi=kompetensi[kode], defaults={"level": level}
            )


# Whose HR run each training's batches (pelatihan.access): Dinas Kesehatan its own health
# trainings, BPSDM the university one, the province (no unit) the leadership training.
ORGANISER = {
    "Teknologi Informasi untuk Pelayanan Kesehatan": "DINKES",
    "Pelayanan Prima bagi ASN": "DINKES",
    "Manajemen Keuangan Publik": "BPSDM",
}


def _seed_pelatihan() -> list[Pelatihan]:
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    units = {u.kode: u for u in UnitKerja.objects.filter(kode__in=ORGANISER.values())}
    trainings = []
    for nama, jenis, bidang, jp, org_kind, org, targets, deskripsi in PELATIHAN:
        training, made = Pelatihan.objects.get_or_create(
            nama=nama,
            defaults={
                "jenis": jenis,
                "bidang": bidang,
                "jp": jp,
                "penyelenggara_jenis": org_kind,
                "penyelenggara": org,
                "deskripsi": deskripsi,
                "wajib_aksi_perubahan": nama in WAJIB_AKSI_PERUBAHAN,
                "unit_penyelenggara": units.get(ORGANISER.get(nama)),
            },
        )
        if made:
            PelatihanKompetensi.objects.bulk_create(
                PelatihanKompetensi(pelatihan=training, kompetensi=kompetensi[k], level=level)
                for k, level in targets
            )
        trainings.append(training)
    return trainings


def _dinkes_staff():
    return Pegawai.objects.aktif().filter(unit__kode__startswith="DINKES").order_by("pk")


def _seed_penilaian(rng) -> None:
    if PenilaianKompetensi.objects.exists():
        return
    rows = []
    for pegawai in _dinkes_staff().select_related("jabatan"):
        for standar in StandarKompetensi.objects.filter(jabatan=pegawai.jabatan_id):
            if rng.random() < 0.8:
                rows.append(
                    PenilaianKompetensi(
                        pegawai=pegawai,
                        kompetensi_id=standar.kompetensi_id,
                        level=max(1, standar.level - rng.choice([0, 1, 1, 2])),
                        tanggal=date(2025, rng.randrange(1, 13), 1),
                        sumber="uji_kompetensi",
                    )
                )
    PenilaianKompetensi.objects.bulk_create(rows)


def _batch(training, nama, start, days, status, kuota) -> tuple[Angkatan, bool]:
    existing = Angkatan.objects.filter(pelatihan=training, nama=nama).first()
    if existing:
        return existing, False
    libur = tanggal_libur()
    while not services.session_days(start, start + timedelta(days=days - 1), libur=libur):
        start += timedelta(days=1)  # a batch on holidays only is refused (24-25 December)
    angkatan = Angkatan(
        pelatihan=training,
        nama=nama,
        tanggal_mulai=start,
        tanggal_selesai=start + timedelta(days=days - 1),
        kuota=kuota,
        tempat="BPSDM Provinsi Jambi, Jl. Jend. A. Thalib, Telanaipura",
        fasilitator="Widyaiswara BPSDM\nDosen Universitas Jambi",
        status=Angkatan.Status.PENDAFTARAN,
    )
    return services.angkatan_save(angkatan=angkatan), True


def _seed_batches(trainings, rng) -> None:
    tik, prima, keuangan, pkp = trainings
    # Health staff first (the program's example), others where a small data set has too few.
    staff = list(_dinkes_staff()[:40])
    staff += list(
        Pegawai.objects.aktif()
        .exclude(pk__in=[p.pk for p in staff])
        .order_by("pk")[: 40 - len(staff)]
    )
    cast = list(Pegawai.objects.filter(user__username__in=["pegawai", "atasan"]))
    today = timezone.localdate()

    done, made = _batch(tik, "Angkatan I Tahun 2026", date(2026, 3, 2), 5, "selesai", 25)
    if made:
        participants = [
            services.peserta_nominate(angkatan=done, pegawai=p)
            for p in (cast + [s for s in staff if s not in cast])[:20]
        ]
        done.status = Angkatan.Status.BERJALAN
        done.save(update_fields=["status"])
        sessions = list(done.sesi.all())
        for sesi in sessions:
            # The demo logins always attend and pass, so that their certificates can be shown.
            present = {p.pk for p in participants if p.pegawai in cast or rng.random() < 0.93}
            services.kehadiran_record(sesi=sesi, hadir=present)
        for peserta in participants:
            peserta.nilai_pre = rng.randrange(45, 75)
            peserta.nilai_post = (
                rng.randrange(80, 98) if peserta.pegawai in cast else rng.randrange(60, 98)
            )
            peserta.save(update_fields=["nilai_pre", "nilai_post"])
            passes = services.persentase_kehadiran(peserta) >= done.ambang_kehadiran
            services.peserta_decide(peserta=peserta, lulus=passes and peserta.nilai_post >= 70)
        done.status = Angkatan.Status.SELESAI
        done.save(update_fields=["status"])

    start = today + timedelta(days=21)
    open_batch, made = _batch(tik, f"Angkatan II Tahun {start.year}", start, 5, "pendaftaran", 6)
    if made:
        for person in staff[20:28]:  # more than the quota: the last two wait
            services.peserta_nominate(angkatan=open_batch, pegawai=person)
    _batch(
        prima, f"Angkatan I Tahun {start.year}", start + timedelta(days=14), 2, "pendaftaran", 30
    )
    planned, made = _batch(
        keuangan, "Angkatan I", today + timedelta(days=75), 5, "direncanakan", 20
    )
    if made:
        planned.status = Angkatan.Status.DIRENCANAKAN
        planned.save(update_fields=["status"])
    _batch(pkp, "Angkatan I", today + timedelta(days=100), 30, "pendaftaran", 30)


def _seed_kegiatan() -> None:
    pegawai = Pegawai.objects.filter(user__username="pegawai").first()
    if pegawai is None or KegiatanEksternal.objects.filter(pegawai=pegawai).exists():
        return
    kegiatan = KegiatanEksternal(
        pegawai=pegawai,
        nama="Seminar Nasional Transformasi Digital Kesehatan",
        jenis=9,
        penyelenggara="Poltekkes Kemenkes Jambi",
        tanggal_mulai=date(2026, 5, 12),
        tanggal_selesai=date(2026, 5, 13),
        skala=KegiatanEksternal.Skala.NASIONAL,
        nomor_sertifikat="SEM/PKJ/2026/0412",
    )
    _with_evidence(kegiatan)
    kegiatan.full_clean()
    # Its JP as the submission works it out: 2 days of a national seminar by its rule.
    kegiatan.jp = kegiatan.jp_hitung(AturanKonversiJP.objects.filter(jenis=9).first())
    kegiatan.save()


def _with_evidence(kegiatan: KegiatanEksternal) -> None:
    """A demo PDF for the claim, made distinct by its name: one file backs one claim."""
    from django.core.files.base import ContentFile

    content = _demo_pdf() + f"\n% {kegiatan.nama}\n".encode()
    kegiatan.file.save("bukti.pdf", ContentFile(content), save=False)


# Non-classical learning of the demo pegawai (10:20:70): verified by their atasan, one still
# waiting for the atasan, and a nurse's certificate that expires within 90 days.
# (nama, jenis, penyelenggara, days ago it ended, its length in days, jumlah, verified)
NONKLASIKAL = [
    ("Coaching penyusunan rencana aksi puskesmas", 14, "Seksi Pelayanan Kesehatan Primer",
     40, 21, "3", True),
    ("Mentoring tata kelola rekam medis elektronik", 15, "Bidang Pelayanan Kesehatan",
     25, 30, "2", True),
    ("E-learning Manajemen Risiko Klinis (MOOC)", 16, "Kemenkes – Plataran Sehat",
     15, 7, "6", True),
    ("Coaching pelayanan prima loket pendaftaran", 14, "Seksi Pelayanan Kesehatan Primer",
     3, 7, "2", False),
]  # fmt: skip


def _seed_nonklasikal() -> None:
    pegawai = (
        Pegawai.objects.select_related("atasan__user").filter(user__username="pegawai").first()
    )
    if pegawai is None or pegawai.atasan is None:
        return
    today = timezone.localdate()
    for nama, jenis, penyelenggara, ago, days, jumlah, verified in NONKLASIKAL:
        if KegiatanEksternal.objects.filter(pegawai=pegawai, nama=nama).exists():
            continue
        selesai = today - timedelta(days=ago)
        kegiatan = KegiatanEksternal(
            pegawai=pegawai, nama=nama, jenis=jenis, penyelenggara=penyelenggara,
            tanggal_mulai=selesai - timedelta(days=days - 1), tanggal_selesai=selesai,
            jumlah=Decimal(jumlah),
        )  # fmt: skip
        _with_evidence(kegiatan)
        with transaction.atomic():
            services.kegiatan_submit(kegiatan=kegiatan)
            if verified:
                services.kegiatan_verify(kegiatan=kegiatan, by=pegawai.atasan.user)
    _seed_sertifikat_berlaku(pegawai, today)


def _seed_sertifikat_berlaku(pegawai: Pegawai, today: date) -> None:
    """A BTCLS certificate of the demo pegawai, verified by HR, that expires within 90 days."""
    nama = "Pelatihan BTCLS (Basic Trauma Cardiac Life Support)"
    if KegiatanEksternal.objects.filter(pegawai=pegawai, nama=nama).exists():
        return
    from pegawai.notifikasi import pengelola_unit

    selesai = today - timedelta(days=3 * 365 - 75)
    kegiatan = KegiatanEksternal(
        pegawai=pegawai, nama=nama, jenis=11, penyelenggara="HIPGABI Provinsi Jambi",
        tanggal_mulai=selesai - timedelta(days=4), tanggal_selesai=selesai, jp=50,
        nomor_sertifikat="BTCLS/HIPGABI/JMB/0917", berlaku_sampai=today + timedelta(days=75),
    )  # fmt: skip
    _with_evidence(kegiatan)
    hr = next(iter(pengelola_unit(pegawai.unit_id)), None)
    with transaction.atomic():
        services.kegiatan_submit(kegiatan=kegiatan)
        services.kegiatan_verify(kegiatan=kegiatan, by=hr)


def _seed_tugas(trainings, rng) -> None:
    """Work waiting in the demo logins' inboxes (issue 19): a request of the atasan's
    subordinate to approve, another unit member's request approved and waiting for HR, the
    pegawai's own request confirmed, a batch scored but not decided, and scholarship
    applications to recommend and to decide."""
    users = {u.username: u for u in User.objects.filter(username__in=["atasan", "pengelola"])}
    atasan = Pegawai.objects.filter(user__username="atasan").first()
    pegawai = Pegawai.objects.filter(user__username="pegawai").first()
    if atasan is None or pegawai is None or len(users) < 2:
        return
    _, prima, _, _ = trainings
    today = timezone.localdate()
    batch = Angkatan.objects.filter(pelatihan=prima, status=Angkatan.Status.PENDAFTARAN).first()
    if batch is not None and not batch.peserta.filter(pegawai=pegawai).exists():
        taken = batch.peserta.values("pegawai")
        bawahan = (
            Pegawai.objects.aktif().filter(atasan=atasan).exclude(pk=pegawai.pk)
            .exclude(pk__in=taken).order_by("pk").first()
        )  # fmt: skip
        if bawahan is not None:
            services.peserta_request(angkatan=batch, pegawai=bawahan)
        # Someone whose atasan signs on paper: approved, HR confirm next.
        other = (
            _dinkes_staff()
            .filter(user__isnull=True, atasan__isnull=False, atasan__user__isnull=True)
            .exclude(pk__in=taken).first()
        )  # fmt: skip
        if other is not None:
            services.peserta_approve(
                peserta=services.peserta_request(angkatan=batch, pegawai=other)
            )
        mine = services.peserta_request(angkatan=batch, pegawai=pegawai)
        services.peserta_approve(peserta=mine, by=users["atasan"])
        services.peserta_confirm(peserta=mine, by=users["pengelola"])
    _seed_hasil(prima, today, rng)


def _seed_hasil(prima, today, rng) -> None:
    start = today - timedelta(days=30)
    scored, made = _batch(prima, "Angkatan Khusus Puskesmas", start, 2, "pendaftaran", 10)
    if not made:
        return
    staff = list(_dinkes_staff().exclude(keikutsertaan__angkatan__tanggal_mulai__gte=start)[:6])
    participants = [services.peserta_nominate(angkatan=scored, pegawai=p) for p in staff]
    scored.status = Angkatan.Status.BERJALAN
    scored.save(update_fields=["status"])
    for sesi in scored.sesi.all():
        services.kehadiran_record(sesi=sesi, hadir={p.pk for p in participants})
    for peserta in participants:  # scores in, the result still to decide
        peserta.nilai_pre, peserta.nilai_post = rng.randrange(50, 70), rng.randrange(70, 95)
        peserta.save(update_fields=["nilai_pre", "nilai_post"])
    scored.status = Angkatan.Status.SELESAI
    scored.save(update_fields=["status"])


def _seed_rekomendasi(pegawai: Pegawai, today: date) -> None:
    """The demo pegawai applies to the open scholarship and waits for the atasan's word; another
    applicant's atasan has recommended theirs, which the province now decides."""
    from django.core.files.base import ContentFile

    program = ProgramBeasiswa.objects.filter(
        pendaftaran_mulai__lte=today, pendaftaran_selesai__gte=today
    ).first()
    if program is None:
        return
    failed = services.beasiswa_syarat_gagal(
        program=program, pegawai=pegawai, predikat=["baik", "baik"], tanpa_hukuman=True, on=today
    )
    if not failed and not program.pendaftaran.filter(pegawai=pegawai).exists():
        pendaftaran = PendaftaranBeasiswa(
            program=program, pegawai=pegawai, predikat_tahun_lalu="baik",
            predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True,
        )  # fmt: skip
        pendaftaran.dokumen.save("berkas-persyaratan.pdf", ContentFile(_demo_pdf()), save=False)
        services.beasiswa_apply(pendaftaran=pendaftaran, on=today)
    if program.pendaftaran.filter(rekomendasi__isnull=False).exists():
        return
    other = (
        program.pendaftaran.filter(status=PendaftaranBeasiswa.Status.MEMENUHI_SYARAT)
        .exclude(pegawai=pegawai)
        .select_related("pegawai__atasan__user")
        .first()
    )
    if other is not None:
        atasan = other.pegawai.atasan
        services.pendaftaran_rekomendasi(
            pendaftaran=other, by=atasan.user if atasan else None, rekomendasi=True,
            catatan="Kinerja sangat baik; unit siap menata ulang tugasnya selama studi.",
        )  # fmt: skip


def _demo_pdf() -> bytes:
    from pembinaan.lib.pdf import render_pdf

    return render_pdf("pdf/base.html", {})


# --- Individual development plans and the AKPK ------------------------------------------------

# A classical day's cost in the demo (Rp per JP): the AKPK shows budgets, not real tariffs.
BIAYA_PER_JP_DEMO = 125_000
# The states of next year's plans, in turn (the demo atasan's subordinates first, so that one
# waits for them); every seventh pegawai has none yet.
STATUS_DEMO = ["diajukan", "disetujui", "dikembalikan", "disetujui", "draf", "disetujui"]


def seed_rencana() -> None:
    """Next year's plans of Dinas Kesehatan in every state (so the AKPK and the HR list are
    populated), drafted from SIBINA's proposal; and this year's agreed plans of those who passed
    the completed batch, their lines closed by the pass. Run after evaluasi's demo: the proposal
    reads last year's predicates. Idempotent."""
    today = timezone.localdate()
    tahun = tahun_rencana_bawaan(today)
    login = Pegawai.objects.filter(user__username="pegawai").first()
    people = (
        Pegawai.objects.aktif()
        .select_related("atasan__user")
        .exclude(pk=getattr(login, "pk", None))
    )
    subordinates = list(people.filter(atasan__user__username="atasan").order_by("pk"))
    staff = subordinates + [
        p
        for p in people.filter(unit__kode__startswith="DINKES").order_by("pk")[:36]
        if p not in subordinates
    ]
    for i, pegawai in enumerate(staff):
        state = STATUS_DEMO[i % len(STATUS_DEMO)] if i % 7 != 6 else None
        if state and not RencanaPengembangan.objects.filter(pegawai=pegawai, tahun=tahun).exists():
            _demo_plan(pegawai, tahun, state, today)
    if login is not None and not login.rencana_pengembangan.filter(tahun=tahun).exists():
        services.rencana_create(pegawai=login, tahun=tahun)  # the demo login's draft to submit
    _seed_rencana_berjalan(today)


def _demo_plan(pegawai: Pegawai, tahun: int, state: str, today: date) -> None:
    rencana = services.rencana_create(pegawai=pegawai, tahun=tahun)
    if not rencana.baris.exists():  # no gap: a self-study line of their own choosing
        services.baris_rencana_add(
            pegawai=pegawai, tahun=tahun, kompetensi=Kompetensi.objects.get(kode="M.03"),
            level_target=3, bentuk=22, jp=6, catatan="Kursus daring komunikasi publik",
        )  # fmt: skip
    for baris in rencana.baris.filter(bentuk__lte=13):
        baris.biaya = baris.jp * BIAYA_PER_JP_DEMO
        services.baris_rencana_save(baris=baris)
    if state == "draf" or pegawai.atasan is None:
        return
    services.rencana_submit(rencana=rencana, by=pegawai.user)
    if state == "diajukan":
        return
    meeting = today - timedelta(days=3)
    if pegawai.atasan.user is not None:
        services.rencana_decide(
            rencana=rencana, by=pegawai.atasan.user, setuju=state == "disetujui",
            tanggal_pertemuan=meeting, today=today,
            catatan="" if state == "disetujui" else "Tambahkan coaching untuk kompetensi teknis.",
        )  # fmt: skip
    else:  # an atasan without a login agreed on paper: recorded as such
        RencanaPengembangan.objects.filter(pk=rencana.pk).update(
            status=state, tanggal_pertemuan=meeting,
            disetujui_at=timezone.now() if state == "disetujui" else None,
            catatan_atasan="" if state == "disetujui" else "Tambahkan coaching.",
        )  # fmt: skip


def _seed_rencana_berjalan(today: date) -> None:
    """This year's agreed plans of those who passed the completed TIK batch: the pass closed
    their line; a coaching line stays open."""
    tik = Pelatihan.objects.filter(nama=PELATIHAN[0][0]).first()
    done = Angkatan.objects.filter(pelatihan=tik, nama="Angkatan I Tahun 2026").first()
    if done is None or done.tanggal_selesai.year != today.year:
        return
    kompetensi = {k.kode: k for k in Kompetensi.objects.filter(kode__in=["T.KES.01", "M.07"])}
    for peserta in done.peserta.filter(lulus=True).select_related("pegawai")[:12]:
        pegawai = peserta.pegawai
        if pegawai.rencana_pengembangan.filter(tahun=today.year).exists():
            continue
        for bentuk, jp, pelatihan, kode in [(3, tik.jp, tik, "T.KES.01"), (14, 8, None, "M.07")]:
            services.baris_rencana_add(
                pegawai=pegawai, tahun=today.year, kompetensi=kompetensi[kode], level_target=3,
                bentuk=bentuk, jp=jp, pelatihan=pelatihan,
                biaya=jp * BIAYA_PER_JP_DEMO if pelatihan else 0,
            )  # fmt: skip
        RencanaPengembangan.objects.filter(pegawai=pegawai, tahun=today.year).update(
            status=RencanaPengembangan.Status.DISETUJUI,
            tanggal_pertemuan=date(today.year, 1, 15),
            disetujui_at=timezone.now(),
        )
        services.rencana_close_for_peserta(peserta)
