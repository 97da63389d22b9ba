"""Demo and benchmark data: the OPD of Provinsi Jambi (domain.md §6), pegawai with valid NIPs
whose birth dates and genders agree, supervisors, and one login per role.

Idempotent: units, jabatan and the demo logins are looked up before they are created, and
`seed(jumlah=N)` only adds pegawai until there are N.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    CatatanDisiplin,
    Golongan,
    Jabatan,
    Pegawai,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    UnitKerja,
    User,
)

DEMO_PASSWORD = "sibina-demo"
# The demo's HR and administrator logins pass the second step (pegawai.dua_faktor) with this key,
# known to everybody who reads this file: `manage.py kode_totp <username>` prints the current code
# (DEBUG only). A demo key, never a real login's.
DEMO_TOTP_KEY = b"SIBINA-DEMO-TOTP-KEY".hex()
DEMO_DUA_FAKTOR = ["admin", "provinsi", "pengelola", "pengelola2", "pengelola_rsud"]

OPD = [
    ("SETDA", "Sekretariat Daerah", "Sekretaris Daerah", "jpt_madya"),
    ("SETWAN", "Sekretariat DPRD", "Sekretaris DPRD", "jpt_pratama"),
    ("INSPEKTORAT", "Inspektorat", "Inspektur", "jpt_pratama"),
    ("BAPPEDA", "Bappeda", "Kepala Bappeda", "jpt_pratama"),
    ("BKD", "Badan Kepegawaian Daerah", "Kepala Badan Kepegawaian Daerah", "jpt_pratama"),
    ("BPSDM", "BPSDM", "Kepala BPSDM", "jpt_pratama"),
    ("BPKPD", "BPKPD", "Kepala BPKPD", "jpt_pratama"),
    ("DISDIK", "Dinas Pendidikan", "Kepala Dinas Pendidikan", "jpt_pratama"),
    ("DINKES", "Dinas Kesehatan", "Kepala Dinas Kesehatan", "jpt_pratama"),
    ("DPUPR", "Dinas PUPR", "Kepala Dinas PUPR", "jpt_pratama"),
    ("DINSOS", "Dinas Sosial", "Kepala Dinas Sosial", "jpt_pratama"),
    (
        "DISNAKERTRANS",
        "Dinas Tenaga Kerja dan Transmigrasi",
        "Kepala Dinas Tenaga Kerja dan Transmigrasi",
        "jpt_pratama",
    ),
    (
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "jpt_pratama",
    ),
    ("DISHUB", "Dinas Perhubungan", "Kepala Dinas Perhubungan", "jpt_pratama"),
    (
        "DISKOMINFO",
        "Dinas Komunikasi dan Informatika",
        "Kepala Dinas Komunikasi dan Informatika",
        "jpt_pratama",
    ),
    ("DLH", "Dinas Lingkungan Hidup", "Kepala Dinas Lingkungan Hidup", "jpt_pratama"),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan PTSP",
        "Kepala Dinas Penanaman Modal dan PTSP",
        "jpt_pratama",
    ),
    ("DISBUN", "Dinas Perkebunan", "Kepala Dinas Perkebunan", "jpt_pratama"),
    ("DISHUT", "Dinas Kehutanan", "Kepala Dinas Kehutanan", "jpt_pratama"),
    (
        "DISPERINDAG",
        "Dinas Perindustrian dan Perdagangan",
        "Kepala Dinas Perindustrian dan Perdagangan",
        "jpt_pratama",
    ),
    ("SATPOLPP", "Satpol PP", "Kepala Satpol PP", "jpt_pratama"),
    ("BPBD", "BPBD", "Kepala Pelaksana BPBD", "jpt_pratama"),
    ("RSUD", "RSUD Raden Mattaher", "Direktur RSUD Raden Mattaher", "jpt_pratama"),
    ("RSJD", "RSJD Provinsi Jambi", "Direktur RSJD Provinsi Jambi", "jpt_pratama"),
]
BIDANG_KHUSUS = {
    "DINKES": [
        (
            "YANKES",
            "Bidang Pelayanan Kesehatan",
            ["Seksi Pelayanan Kesehatan Primer", "Seksi Pelayanan Kesehatan Rujukan"],
        ),
        (
            "P2P",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            ["Seksi Surveilans dan Imunisasi", "Seksi Pengendalian Penyakit Menular"],
        ),
        (
            "SDK",
            "Bidang Sumber Daya Kesehatan",
            ["Seksi Kefarmasian", "Seksi Sumber Daya Manusia Kesehatan"],
        ),
    ],
    "BKD": [
        ("MUTASI", "Bidang Mutasi dan Promosi", ["Seksi Mutasi", "Seksi Promosi"]),
        (
            "PKA",
            "Bidang Pengembangan Kompetensi Aparatur",
            ["Seksi Diklat Struktural", "Seksi Diklat Teknis dan Fungsional"],
        ),
        (
            "INKA",
            "Bidang Informasi dan Kinerja Aparatur",
            ["Seksi Data dan Informasi", "Seksi Penilaian Kinerja"],
        ),
    ],
}
BIDANG_UMUM = [
    ("PROGRAM", "Bidang Perencanaan dan Program", ["Seksi Perencanaan", "Seksi Evaluasi"]),
    ("LAYANAN", "Bidang Pelayanan", ["Seksi Pelayanan Umum", "Seksi Pengaduan"]),
]
SEKRETARIAT = ("SEKRET", "Sekretariat", ["Subbagian Umum dan Kepegawaian", "Subbagian Keuangan"])

JABATAN_STRUKTURAL = [
    ("Sekretaris", "administrator", ""),
    ("Kepala Bidang", "administrator", ""),
    ("Kepala Seksi", "pengawas", ""),
    ("Kepala Subbagian", "pengawas", ""),
]
JABATAN_STAF_UMUM = [
    ("Analis Kepegawaian Ahli Pertama", "fungsional", "ahli_pertama"),
    ("Analis Kepegawaian Ahli Muda", "fungsional", "ahli_muda"),
    ("Perencana Ahli Muda", "fungsional", "ahli_muda"),
    ("Pranata Komputer Ahli Pertama", "fungsional", "ahli_pertama"),
    ("Pranata Komputer Terampil", "fungsional", "terampil"),
    ("Arsiparis Terampil", "fungsional", "terampil"),
    ("Pengadministrasi Perkantoran", "pelaksana", ""),
    ("Penata Layanan Operasional", "pelaksana", ""),
    ("Pengolah Data dan Informasi", "pelaksana", ""),
]
JABATAN_STAF_KHUSUS = {
    "DINKES": [
        ("Perawat Ahli Pertama", "fungsional", "ahli_pertama"),
        ("Perawat Terampil", "fungsional", "terampil"),
        ("Bidan Terampil", "fungsional", "terampil"),
        ("Dokter Ahli Pertama", "fungsional", "ahli_pertama"),
        ("Administrator Kesehatan Ahli Muda", "fungsional", "ahli_muda"),
        ("Epidemiolog Kesehatan Ahli Pertama", "fungsional", "ahli_pertama"),
    ],
    "INSPEKTORAT": [
        ("Auditor Ahli Pertama", "fungsional", "ahli_pertama"),
        ("Auditor Ahli Muda", "fungsional", "ahli_muda"),
    ],
    "DISDIK": [
        ("Guru Ahli Pertama", "fungsional", "ahli_pertama"),
        ("Guru Ahli Muda", "fungsional", "ahli_muda"),
    ],
}
for code in ("RSUD", "RSJD"):
    JABATAN_STAF_KHUSUS[code] = JABATAN_STAF_KHUSUS["DINKES"]

NAMA_LAKI = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Muhammad",
    "Rahmat",
    "Rizki",
    "Syahrul",
    "Taufik",
    "Wahyu",
    "Yudi",
    "Zulkifli",
    "Agus",
    "Andi",
    "Arief",
    "Bambang",
    "Dimas",
    "Firdaus",
    "Hasan",
    "Indra",
    "Nurdin",
    "Saiful",
]
NAMA_PEREMPUAN = [
    "Ani",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nurhayati",
    "Putri",
    "Rina",
    "Sari",
    "Siti",
    "Wulan",
    "Yuliana",
    "Aisyah",
    "Desi",
    "Elvi",
    "Hartini",
    "Lina",
    "Mega",
    "Novita",
    "Rahmawati",
    "Susanti",
    "Tri",
    "Yeni",
    "Zahra",
]
NAMA_BELAKANG = [
    "Saputra",
    "Pratama",
    "Siregar",
    "Harahap",
    "Nasution",
    "Lubis",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Wijaya",
    "Hakim",
    "Syafitri",
    "Rahman",
    "Maulana",
    "Susanto",
    "Fauzi",
    "Ramadhani",
    "Putra",
    "Anggraini",
    "Handayani",
    "Marpaung",
    "Sembiring",
    "Effendi",
    "Yusuf",
    "Kusuma",
    "Permata",
    "Jambak",
    "Chaniago",
]
TEMPAT_LAHIR = [
    "Jambi",
    "Muara Bulian",
    "Muara Bungo",
    "Sungai Penuh",
    "Bangko",
    "Sengeti",
    "Sarolangun",
    "Kuala Tungkal",
    "Muara Sabak",
    "Muara Tebo",
    "Padang",
    "Palembang",
]
GELAR_BELAKANG = {
    "s1": ["S.E.", "S.Kom.", "S.H.", "S.Sos.", "S.Kep.", "S.Pd.", "S.T.", "S.AP."],
    "s2": ["M.Si.", "M.M.", "M.Kes.", "M.Pd.", "M.T.", "M.AP."],
    "d3": ["A.Md.", "A.Md.Kep.", "A.Md.Keb."],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    peran: str
    nip: str | None


CAST = [
    DemoUser("admin", "admin (semua data)", None),
    DemoUser("pengelola", "pengelola kepegawaian Dinas Kesehatan", "198507122010012014"),
    DemoUser("atasan", "atasan: Kepala Seksi Pelayanan Kesehatan Primer", "197803152005011003"),
    DemoUser("pegawai", "pegawai: perawat di seksi itu", "199204082019032012"),
    DemoUser(
        "pengelola2", "pengelola kedua Dinas Kesehatan, juga pegawainya", "198803142012012015"
    ),
    DemoUser("pengelola_rsud", "pengelola kepegawaian RSUD Raden Mattaher", "199001202014031008"),
    DemoUser(
        "provinsi",
        "pengelola provinsi (BPSDM), penyelenggara pelatihan provinsi",
        "198205112006041011",
    ),  # fmt: skip
]
# Who manages which units, and who is the province's HR (pegawai.access).
PENGELOLA = {"pengelola": "DINKES", "pengelola2": "DINKES", "pengelola_rsud": "RSUD",
             "provinsi": "BPSDM"}  # fmt: skip
PENGELOLA_PROVINSI = {"provinsi"}
BAWAHAN_ATASAN = 5


def seed(*, jumlah: int = 800, rng_seed: int = 2026) -> list[DemoUser]:
    with transaction.atomic():
        units = _seed_units()
        jabatan = _seed_jabatan()
        golongan = {g.kode: g for g in Golongan.objects.all()}
        _seed_cast(units, jabatan, golongan)
    missing = jumlah - Pegawai.objects.count()
    if missing > 0:
        rng = random.Random(rng_seed + Pegawai.objects.count())
        _seed_pegawai(missing, units, jabatan, golongan, rng)
    _seed_bawahan_atasan()
    seed_disiplin()
    _seed_riwayat_awal()
    _seed_riwayat_cast()
    seed_siasn()
    return CAST


def _seed_units() -> dict[str, UnitKerja]:
    existing = {u.kode: u for u in UnitKerja.objects.all()}

    def ensure(kode, nama, jenis, parent=None):
        if kode in existing:
            return existing[kode]
        fields = {"kode": kode, "nama": nama, "jenis": jenis}
        if parent is None:
            unit = UnitKerja.objects.add_root(create_kwargs=fields)
        else:
            unit = UnitKerja.objects.add_child(parent, create_kwargs=fields)
            parent.refresh_from_db()
        existing[kode] = unit
        return unit

    for kode, nama, _, _ in OPD:
        opd = ensure(kode, nama, UnitKerja.Jenis.OPD)
        for sub_kode, sub_nama, seksi in [SEKRETARIAT, *BIDANG_KHUSUS.get(kode, BIDANG_UMUM)]:
            bidang = ensure(f"{kode}.{sub_kode}", sub_nama, UnitKerja.Jenis.BIDANG, opd)
            for number, seksi_nama in enumerate(seksi, start=1):
                ensure(f"{kode}.{sub_kode}.{number}", seksi_nama, UnitKerja.Jenis.SEKSI, bidang)
    return existing


def _seed_jabatan() -> dict[str, Jabatan]:
    wanted = [(head, jenis, "") for _, _, head, jenis in OPD] + JABATAN_STRUKTURAL
    wanted += JABATAN_STAF_UMUM + [j for group in JABATAN_STAF_KHUSUS.values() for j in group]
    existing = {j.nama: j for j in Jabatan.objects.all()}
    for nama, jenis, jenjang in wanted:
        if nama not in existing:
            existing[nama] = Jabatan.objects.create(nama=nama, jenis=jenis, jenjang=jenjang)
    return existing


def _make_pegawai(
    rng,
    *,
    golongan: dict[int, Golongan],
    nip_seen,
    unit,
    jabatan,
    atasan_id=None,
    status=None,
    gender=None,
    golongan_range=(31, 34),
    nip=None,
) -> Pegawai:
    gender = gender or rng.choice("LP")
    status = status or (
        "pppk"
        if rng.random() < 0.15 and not jabatan.is_manajerial
        else "cpns"
        if rng.random() < 0.03
        else "pns"
    )
    if nip:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
        tmt = date(int(nip[8:12]), int(nip[12:14]), 1)
    else:
        born = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 34 * 365))
        if status == "cpns":
            tmt = date(2025, rng.choice([3, 6]), 1)
        else:
            start = date(born.year + 22, born.month, 1)
            tmt = min(start + timedelta(days=rng.randrange(0, 12 * 365)), date(2024, 12, 1))
            tmt = tmt.replace(day=1)
        sequence = rng.randrange(1, 40)
        while True:
            nip = f"{born:%Y%m%d}{tmt:%Y%m}{'1' if gender == 'L' else '2'}{sequence:03d}"
            if nip not in nip_seen:
                break
            sequence += 1
    nip_seen.add(nip)
    first = rng.choice(NAMA_LAKI if gender == "L" else NAMA_PEREMPUAN)
    pendidikan = rng.choice(["s1", "s1", "s1", "s2", "d3", "sma"])
    if jabatan.jenjang.startswith("ahli") and pendidikan in ("d3", "sma"):
        pendidikan = "s1"
    if status == "pppk":
        grade = rng.choice([105, 107, 109, 109, 110])
        gol, tmt_cpns, tmt_pns = golongan[grade], None, None
        tmt_gol = date(rng.choice([2022, 2023, 2024]), 1, 1)
    else:
        codes = [k for k in golongan if golongan_range[0] <= k <= golongan_range[1]]
        gol = golongan[rng.choice(codes)]
        tmt_cpns = tmt
        tmt_pns = None if status == "cpns" else tmt.replace(year=tmt.year + 1)
        recent = date(2025, 4, 1) - timedelta(days=rng.randrange(0, 8 * 365))
        tmt_gol = tmt if status == "cpns" else max(tmt_pns, recent)
    return Pegawai(
        nip=nip,
        gelar_depan="dr." if jabatan.nama.startswith("Dokter") else "",
        nama=f"{first} {rng.choice(NAMA_BELAKANG)}",
        gelar_belakang=rng.choice(GELAR_BELAKANG.get(pendidikan, [""])),
        status_kepegawaian=status,
        jenis_kelamin=gender,
        tempat_lahir=rng.choice(TEMPAT_LAHIR),
        tanggal_lahir=born,
        tmt_cpns=tmt_cpns,
        tmt_pns=tmt_pns,
        golongan=gol,
        tmt_golongan=tmt_gol,
        jabatan=jabatan,
        tmt_jabatan=max(tmt_gol, date(2021, 1, 1)),
        unit=unit,
        atasan_id=atasan_id,
        pendidikan_terakhir=pendidikan,
        email=f"{first.lower()}.{nip[-6:]}@jambiprov.go.id",
        telepon=f"08{rng.randrange(11, 99)}{rng.randrange(10_000_000, 99_999_999)}",
    )


def _head_jabatan(unit: UnitKerja, jabatan: dict[str, Jabatan]) -> Jabatan:
    if unit.jenis == UnitKerja.Jenis.OPD:
        return jabatan[next(head for kode, _, head, _ in OPD if kode == unit.kode)]
    if unit.jenis == UnitKerja.Jenis.BIDANG:
        return jabatan["Sekretaris" if unit.kode.endswith(".SEKRET") else "Kepala Bidang"]
    return jabatan["Kepala Subbagian" if ".SEKRET." in unit.kode else "Kepala Seksi"]


def _seed_cast(units, jabatan, golongan) -> None:
    rng = random.Random(7)
    seen = set(Pegawai.objects.values_list("nip", flat=True))
    admin, made = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_superuser": True,
            "is_staff": True,
            "first_name": "Admin",
            "last_name": "SIBINA",
        },
    )
    if made:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    seksi = units["DINKES.YANKES.1"]
    people = [
        ("pengelola", units["DINKES.SEKRET.1"], "Analis Kepegawaian Ahli Muda", (33, 34), None),
        ("atasan", seksi, "Kepala Seksi", (34, 41), None),
        ("pegawai", seksi, "Perawat Ahli Pertama", (31, 32), "atasan"),
        ("pengelola2", units["DINKES.SEKRET.1"], "Analis Kepegawaian Ahli Muda", (32, 33), None),
        ("pengelola_rsud", units["RSUD.SEKRET.1"], "Analis Kepegawaian Ahli Muda", (32, 33), None),
        ("provinsi", units["BPSDM.SEKRET.1"], "Analis Kepegawaian Ahli Muda", (34, 41), None),
    ]
    created = {}
    for username, unit, nama_jabatan, golongan_range, atasan_of in people:
        cast = next(c for c in CAST if c.username == username)
        pegawai = Pegawai.objects.filter(nip=cast.nip).first()
        if pegawai is None:
            gender = "L" if cast.nip[14] == "1" else "P"
            pegawai = _make_pegawai(
                rng,
                golongan=golongan,
                nip_seen=seen,
                unit=unit,
                jabatan=jabatan[nama_jabatan],
                status="pns",
                gender=gender,
                golongan_range=golongan_range,
                nip=cast.nip,
            )
            pegawai.atasan = created.get(atasan_of)
            pegawai.save()
        created[username] = pegawai
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": pegawai.nama.split()[0],
                "last_name": pegawai.nama.split()[-1],
                "email": pegawai.email,
            },
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if pegawai.user_id != user.pk:
            pegawai.user = user
            pegawai.save(update_fields=["user"])
    for username, kode in PENGELOLA.items():
        units[kode].pengelola.add(User.objects.get(username=username))
    User.objects.filter(username__in=PENGELOLA_PROVINSI).update(pengelola_provinsi=True)


def _seed_pegawai(missing: int, units, jabatan, golongan, rng) -> None:
    """Heads for every unit without one, then staff spread over the seksi under their heads."""
    seen = set(Pegawai.objects.values_list("nip", flat=True))
    ordered = sorted(units.values(), key=lambda u: u.path)
    heads = dict(
        Pegawai.objects.filter(jabatan__jenis__in=Jabatan.MANAJERIAL, aktif=True)
        .order_by("pk")
        .values_list("unit_id", "pk")
    )
    for depth in (1, 2, 3):
        new_heads = []
        for unit in ordered:
            if unit.depth != depth or unit.pk in heads or missing <= len(new_heads):
                continue
            parent_path = unit.path[: -UnitKerja.steplen]
            parent = next((u for u in ordered if u.path == parent_path), None)
            head = _make_pegawai(
                rng,
                golongan=golongan,
                nip_seen=seen,
                unit=unit,
                jabatan=_head_jabatan(unit, jabatan),
                status="pns",
                golongan_range={1: (42, 44), 2: (41, 42), 3: (34, 41)}[depth],
                atasan_id=heads.get(parent.pk) if parent else None,
            )
            new_heads.append(head)
        Pegawai.objects.bulk_create(new_heads, batch_size=2000)
        missing -= len(new_heads)
        heads.update({h.unit_id: h.pk for h in new_heads})
    leaves = [u for u in ordered if u.depth == 3]
    batch = []
    while missing > 0:
        unit = leaves[rng.randrange(len(leaves))]
        opd_kode = unit.kode.split(".")[0]
        pool = JABATAN_STAF_KHUSUS.get(opd_kode, []) + JABATAN_STAF_UMUM
        nama_jabatan = rng.choice(pool)[0]
        junior = nama_jabatan.endswith("Terampil") or jabatan[nama_jabatan].jenis == "pelaksana"
        rank = (21, 24) if junior else (31, 34)
        batch.append(
            _make_pegawai(
                rng,
                golongan=golongan,
                nip_seen=seen,
                unit=unit,
                jabatan=jabatan[nama_jabatan],
                golongan_range=rank,
                atasan_id=heads.get(unit.pk),
            )
        )
        missing -= 1
        if len(batch) >= 5000:
            Pegawai.objects.bulk_create(batch, batch_size=5000)
            batch = []
    if batch:
        Pegawai.objects.bulk_create(batch, batch_size=5000)
    _link_orphans()


def _seed_bawahan_atasan() -> None:
    """The demo atasan rates at least five direct subordinates on one page; the random staff
    of their seksi may be fewer, so the latest staff of the same bidang move to the seksi (the
    demo keeps its size, and the earlier staff the other demos use stay where they are)."""
    atasan = Pegawai.objects.filter(user__username="atasan").select_related("unit").first()
    if atasan is None:
        return
    missing = BAWAHAN_ATASAN - Pegawai.objects.filter(atasan=atasan, aktif=True).count()
    if missing <= 0:
        return
    bidang = atasan.unit.path[: -UnitKerja.steplen]
    movers = (
        Pegawai.objects.filter(aktif=True, user__isnull=True, unit__path__startswith=bidang)
        .exclude(jabatan__jenis__in=Jabatan.MANAJERIAL)
        .exclude(atasan=atasan)
        .order_by("-pk")[:missing]
    )
    Pegawai.objects.filter(pk__in=[p.pk for p in movers]).update(unit=atasan.unit, atasan=atasan)


def _link_orphans() -> None:
    """Give everyone below an OPD head a supervisor: their unit's head, or for a head, the head
    of the parent unit. The demo logins are made before the heads, so they need this."""
    units = {u.pk: u for u in UnitKerja.objects.all()}
    by_path = {u.path: u for u in units.values()}
    heads = dict(
        Pegawai.objects.filter(jabatan__jenis__in=Jabatan.MANAJERIAL)
        .order_by("-pk")
        .values_list("unit_id", "pk")
    )
    orphans = list(Pegawai.objects.filter(atasan__isnull=True).only("pk", "unit_id"))
    for pegawai in orphans:
        unit = units[pegawai.unit_id]
        if heads.get(unit.pk) not in (None, pegawai.pk):
            pegawai.atasan_id = heads[unit.pk]
        elif unit.depth > 1:
            pegawai.atasan_id = heads.get(by_path[unit.path[: -UnitKerja.steplen]].pk)
    Pegawai.objects.bulk_update([p for p in orphans if p.atasan_id], ["atasan"], batch_size=2000)


def seed_unit(*, kode: str, nama: str, jumlah: int, rng_seed: int = 2000) -> UnitKerja:
    """An OPD of exactly `jumlah` active pegawai (a head and staff who report to them), for
    benchmarks that need a unit of a given size. Idempotent by `kode`."""
    unit = UnitKerja.objects.filter(kode=kode).first()
    if unit is not None:
        return unit
    rng = random.Random(rng_seed)
    golongan = {g.kode: g for g in Golongan.objects.all()}
    jabatan = _seed_jabatan()
    seen = set(Pegawai.objects.values_list("nip", flat=True))
    unit = UnitKerja.objects.add_root(create_kwargs={"kode": kode, "nama": nama, "jenis": "opd"})
    head = _make_pegawai(
        rng,
        golongan=golongan,
        nip_seen=seen,
        unit=unit,
        jabatan=jabatan["Kepala Bidang"],
        status="pns",
        golongan_range=(41, 42),
    )
    head.save()
    staff = [
        _make_pegawai(
            rng,
            golongan=golongan,
            nip_seen=seen,
            unit=unit,
            jabatan=jabatan[rng.choice(JABATAN_STAF_UMUM)[0]],
            golongan_range=(31, 34),
            atasan_id=head.pk,
        )
        for _ in range(jumlah - 1)
    ]
    Pegawai.objects.bulk_create(staff, batch_size=2000)
    return unit


# A few sanctions of Dinas Kesehatan's staff (PP 94/2021), last year's and this year's, so the
# discipline record and the IP ASN's discipline dimension have something to show: (level,
# sanction, months from 1 January of last year to the TMT, months it runs; 0 for a reprimand).
DISIPLIN_DEMO = [
    ("ringan", "teguran_tertulis", 3, 0),
    ("sedang", "potong_tukin_6", 8, 6),
    ("ringan", "teguran_lisan", 14, 0),
    ("berat", "penurunan_jabatan", 15, 12),
    ("sedang", "potong_tukin_9", 16, 9),
]


def seed_disiplin() -> None:
    """Once: the sanctions above, on Dinas Kesehatan staff who hold no demo login, recorded by
    its HR officer."""
    if CatatanDisiplin.objects.exists():
        return
    start = date(timezone.localdate().year - 1, 1, 1)
    staff = (
        Pegawai.objects.filter(unit__kode__startswith="DINKES", user__isnull=True, aktif=True)
        .exclude(status_kepegawaian=Pegawai.StatusKepegawaian.PPPK)
        .order_by("nip")[: len(DISIPLIN_DEMO)]
    )
    hr = User.objects.filter(username="pengelola").first()
    for pegawai, (tingkat, jenis, after, months) in zip(staff, DISIPLIN_DEMO, strict=False):
        tmt = _add_months(start, after)
        catatan = CatatanDisiplin(
            pegawai=pegawai, tingkat=tingkat, jenis_hukuman=jenis, nomor_sk=f"800/{after}/DINKES",
            tanggal_sk=tmt - timedelta(days=14), tmt=tmt,
            tanggal_selesai=_add_months(tmt, months) - timedelta(days=1) if months else None,
            dicatat_oleh=hr,
        )  # fmt: skip
        catatan.full_clean()
        catatan._history_user = hr
        catatan.save()


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _seed_riwayat_awal() -> None:
    """Every demo pegawai's first history rows from their current values, as the migration
    0017_riwayat_awal makes them for real data (without audit records: they predate the log)."""
    missing = list(
        Pegawai.objects.exclude(riwayat_golongan__isnull=False).values_list(
            "pk", "golongan_id", "tmt_golongan", "jabatan_id", "tmt_jabatan",
            "pendidikan_terakhir", "unit_id", "tmt_cpns",
        )
    )  # fmt: skip
    golongan, jabatan, pendidikan, mutasi = [], [], [], []
    for pk, gol, tmt_gol, jab, tmt_jab, jenjang, unit, tmt_cpns in missing:
        golongan.append(RiwayatGolongan(pegawai_id=pk, golongan_id=gol, tmt=tmt_gol))
        jabatan.append(RiwayatJabatan(pegawai_id=pk, jabatan_id=jab, tmt=tmt_jab))
        pendidikan.append(RiwayatPendidikan(pegawai_id=pk, jenjang=jenjang))
        mutasi.append(RiwayatMutasi(pegawai_id=pk, unit_tujuan_id=unit, tmt=tmt_cpns or tmt_gol))
    for model, rows in [(RiwayatGolongan, golongan), (RiwayatJabatan, jabatan),
                        (RiwayatPendidikan, pendidikan), (RiwayatMutasi, mutasi)]:  # fmt: skip
        model.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


# The demo pegawai's career, step by step (golongan code, TMT, kind of promotion, SK number).
KARIER_PEGAWAI = [(31, date(2019, 3, 1), "pengangkatan", "813.3/CPNS/2019"),
                  (32, date(2023, 4, 1), "reguler", "823.3/KP/115/BKD/2023")]  # fmt: skip
KARIER_ATASAN = [
    (33, date(2009, 4, 1), "reguler", "823.3/KP/041/BKD/2009"),
    (34, date(2013, 4, 1), "reguler", "823.3/KP/077/BKD/2013"),
    (41, date(2019, 10, 1), "pilihan_struktural", "823.4/KP/012/BKD/2019"),
]  # noqa: E501, fmt: skip


def _seed_riwayat_cast() -> None:
    """The demo pegawai and their atasan with several golongan and jabatan steps and their
    education, and one staff member of RSUD moved to Dinas Kesehatan (a mutasi). Written
    through the services, so the audit log shows them. Idempotent: done once."""
    from . import services

    if RiwayatMutasi.objects.filter(unit_asal__isnull=False).exists():
        return
    admin = User.objects.get(username="admin")
    pegawai = Pegawai.objects.get(nip=next(c.nip for c in CAST if c.username == "pegawai"))
    atasan = Pegawai.objects.get(nip=next(c.nip for c in CAST if c.username == "atasan"))
    jabatan = {j.nama: j for j in Jabatan.objects.all()}
    for orang, steps in [(pegawai, KARIER_PEGAWAI), (atasan, KARIER_ATASAN)]:
        # Their first row (made from the random current values) becomes the first step, so the
        # steps rise in order and the last is the current golongan.
        kode, tmt, jenis, nomor = steps[0]
        RiwayatGolongan.objects.filter(pegawai=orang).update(
            golongan_id=kode, tmt=tmt, jenis_kenaikan=jenis, nomor_sk=nomor
        )
        for kode, tmt, jenis, nomor in steps[1:]:
            row = RiwayatGolongan(pegawai=orang, golongan_id=kode, tmt=tmt, jenis_kenaikan=jenis,
                                  nomor_sk=nomor, tanggal_sk=tmt - timedelta(days=20))  # fmt: skip
            services.riwayat_save(riwayat=row, user=admin, reason="Data demo")
    for orang, nama, tmt in [
        (pegawai, "Perawat Terampil", date(2019, 3, 1)),
        (atasan, "Perawat Ahli Pertama", date(2012, 1, 2)),
    ]:
        if nama in jabatan and not RiwayatJabatan.objects.filter(pegawai=orang, tmt=tmt).exists():
            services.riwayat_save(
                riwayat=RiwayatJabatan(pegawai=orang, jabatan=jabatan[nama], tmt=tmt,
                                       nomor_sk=f"821.2/{tmt.year}/BKD"),
                user=admin, reason="Data demo",
            )  # fmt: skip
    for orang, jenjang, sekolah, jurusan, tahun in [
        (pegawai, "d3", "Poltekkes Kemenkes Jambi", "Keperawatan", 2013),
        (pegawai, "s1", "Universitas Jambi", "Ilmu Keperawatan (Ners)", 2018),
        (atasan, "s1", "Universitas Jambi", "Ilmu Keperawatan", 2001),
        (atasan, "s2", "Universitas Jambi", "Kesehatan Masyarakat", 2016),
    ]:
        if tahun > orang.tanggal_lahir.year + 17:
            services.riwayat_pendidikan_add(
                pegawai=orang, jenjang=jenjang, nama_sekolah=sekolah, jurusan=jurusan,
                tahun_lulus=tahun, user=admin, reason="Data demo",
            )  # fmt: skip
    staff = (
        Pegawai.objects.filter(unit__kode__startswith="RSUD.", aktif=True, atasan__isnull=False,
                               user__isnull=True)
        .exclude(tmt_cpns__isnull=True)
        .order_by("nip")
        .first()
    )  # fmt: skip
    if staff is not None:
        services.pegawai_mutasi(
            pegawai=staff, unit_tujuan=pegawai.unit, tmt=date(2025, 7, 1), atasan=atasan,
            user=admin, nomor_sk="821.2/MUT/027/BKD/2025", tanggal_sk=date(2025, 6, 20),
            alasan="Pemerataan tenaga keperawatan",
        )  # fmt: skip


def seed_dua_faktor() -> None:
    """The demo's HR and administrator logins enrolled with the demo key, so that people trying
    the demo sign in with `manage.py kode_totp <username>` (the second step is theirs to pass)."""
    for user in User.objects.filter(username__in=DEMO_DUA_FAKTOR):
        TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
        TOTPDevice.objects.get_or_create(
            user=user, key=DEMO_TOTP_KEY, defaults={"name": "Demo", "confirmed": True}
        )


# --- SIASN reconciliation (docs/siasn.md) -----------------------------------------------------
SIASN_DEMO_BERKAS = "siasn-dinkes-demo.csv"
SIASN_HEADER = ["PNS_ID", "NIP_BARU", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "TANGGAL_LAHIR",
                "JENIS_KELAMIN", "GOL_AKHIR_ID", "GOL_AKHIR_NAMA", "JABATAN_NAMA", "UNOR_NAMA",
                "UNOR_INDUK_NAMA"]  # fmt: skip
SIASN_CPNS_BARU = ("Nadia Putri", date(2000, 3, 14), "202503")  # in SIASN, not yet in SIBINA


def _siasn_row(pegawai: Pegawai, induk: str, **changed) -> list:
    values = {
        "PNS_ID": f"8ae48{pegawai.pk:011x}", "NIP_BARU": pegawai.nip, "NAMA": pegawai.nama.upper(),
        "GELAR_DEPAN": pegawai.gelar_depan, "GELAR_BELAKANG": pegawai.gelar_belakang,
        "TANGGAL_LAHIR": f"{pegawai.tanggal_lahir:%d-%m-%Y}",
        "JENIS_KELAMIN": pegawai.jenis_kelamin,
        "GOL_AKHIR_ID": str(pegawai.golongan_id) if pegawai.golongan_id < 100 else "",
        "GOL_AKHIR_NAMA": pegawai.golongan.ruang, "JABATAN_NAMA": pegawai.jabatan.nama,
        "UNOR_NAMA": pegawai.unit.nama, "UNOR_INDUK_NAMA": induk,
    } | changed  # fmt: skip
    return [values[key] for key in SIASN_HEADER]


def siasn_demo_csv(unit: UnitKerja) -> str:
    """SIASN's export of a unit as the demo tells it: SIBINA's own active pegawai of the unit,
    but for a few differences HR should find: the demo pegawai promoted in SIASN only, a jabatan,
    a unit and a birth date recorded differently, one pegawai missing from SIASN, a new CPNS
    SIBINA does not know yet, and a pegawai of RSUD whose move SIBINA did not record."""
    import csv
    import io

    people = list(
        Pegawai.objects.aktif().filter(unit__path__startswith=unit.path)
        .select_related("unit", "jabatan", "golongan").order_by("nip")
    )  # fmt: skip
    demo_nip = next(c.nip for c in CAST if c.username == "pegawai")
    staff = [p for p in people if p.user_id is None and p.status_kepegawaian == "pns"]
    changed = {}
    if len(staff) >= 4:
        changed[staff[0].nip] = {"JABATAN_NAMA": "Pranata Komputer Ahli Pertama"}
        moved_to = (
            UnitKerja.objects.filter(path__startswith=unit.path, jenis=UnitKerja.Jenis.SEKSI)
            .exclude(nama=staff[1].unit.nama).order_by("path")
            .values_list("nama", flat=True).first()
        )  # fmt: skip
        changed[staff[1].nip] = {"UNOR_NAMA": moved_to or "Seksi Kesehatan Keluarga"}
        born = staff[2].tanggal_lahir + timedelta(days=31)
        changed[staff[2].nip] = {"TANGGAL_LAHIR": f"{born:%d-%m-%Y}"}
        missing = staff[3].nip
    else:
        missing = None
    golongan = {g.kode: g for g in Golongan.objects.filter(jenis="pns")}
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")  # as Excel with Indonesian settings saves it
    writer.writerow(SIASN_HEADER)
    for pegawai in people:
        if pegawai.nip == missing:
            continue
        extra = changed.get(pegawai.nip, {})
        if pegawai.nip == demo_nip:
            higher = min((k for k in golongan if k > pegawai.golongan_id), default=None)
            if higher:
                extra = {"GOL_AKHIR_ID": str(higher), "GOL_AKHIR_NAMA": golongan[higher].ruang}
        writer.writerow(_siasn_row(pegawai, unit.nama, **extra))
    nama, born, tmt = SIASN_CPNS_BARU
    for sequence in range(1, 999):
        nip = f"{born:%Y%m%d}{tmt}2{sequence:03d}"
        if not Pegawai.objects.filter(nip=nip).exists():
            break
    writer.writerow(["", nip, nama.upper(), "", "S.Kep.", f"{born:%d-%m-%Y}", "P", "31",
                     "III/a", "Perawat Ahli Pertama", "Seksi Pelayanan Kesehatan Primer",
                     unit.nama])  # fmt: skip
    pindahan = (
        Pegawai.objects.aktif().filter(unit__kode__startswith="RSUD", user__isnull=True)
        .select_related("unit", "jabatan", "golongan").order_by("nip").first()
    )  # fmt: skip
    if pindahan is not None:
        writer.writerow(_siasn_row(pindahan, unit.nama, UNOR_NAMA="Seksi Surveilans"))
    return text.getvalue()


def seed_siasn() -> None:
    """Once: Dinas Kesehatan's HR reconciled the export above; their colleague has handled the
    golongan difference already."""
    from django.core.files.base import ContentFile

    from .models import RekonsiliasiSiasn, SelisihSiasn
    from .services import rekonsiliasi_siasn_create, selisih_tindak_lanjut

    hr = User.objects.filter(username="pengelola").first()
    unit = UnitKerja.objects.filter(kode="DINKES").first()
    if hr is None or unit is None or RekonsiliasiSiasn.objects.exists():
        return
    content = ContentFile(siasn_demo_csv(unit).encode("utf-8"), name=SIASN_DEMO_BERKAS)
    rekonsiliasi = rekonsiliasi_siasn_create(file=content, unit=unit, user=hr)
    handled = rekonsiliasi.selisih.filter(jenis=SelisihSiasn.Jenis.GOLONGAN).first()
    rekan = User.objects.filter(username="pengelola2").first()
    if handled is not None and rekan is not None:
        selisih_tindak_lanjut(selisih=handled, user=rekan, selesai=True)
