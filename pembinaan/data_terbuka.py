"""Open data (/data/): public statistics of a year, joined from several apps (the IKM of the
service units, citizens' feedback and forums, change projects, 20 JP compliance), as tables
that the page shows, the charts draw and the downloads write. Nothing personal: counts and
rates only, read from the rollups (masyarakat.RekapIKM, pembinaan.RingkasanUnit) and grouped
queries, a fixed number of queries whatever the rows.

No group under MIN_KELOMPOK people: a count of 1 to 4 people (respondents, feedback, pegawai) is
shown as "< 5, disembunyikan", and so is every figure computed over fewer than five (an IKM of
four respondents, a share of four PNS). Zero is shown: it names nobody. A total (a unit's
year, the province's quarter) adds up only the cells that are shown, so subtracting the shown
cells from it never yields a hidden one; a share is shown only when its counts are."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.formats import date_format

from evaluasi.models import AksiPerubahan
from masyarakat.models import ForumDialog, Masukan, RekapIKM, TindakLanjut, UnitLayanan
from masyarakat.reports import ROMAWI, ikm_from, tanggapan_per_layanan
from pegawai.models import UnitKerja, unit_tree
from pelatihan.models import CatatanJP

from .lib.angka import angka, persen
from .lib.charts import bar_chart_stacked_svg
from .models import RingkasanUnit
from .reports import _jp_per_unit

MIN_KELOMPOK = 5  # issue 23: no group under five people
TAHUN_AWAL = 2020  # the first year the page offers
LISENSI = "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)"
SUMBER = "SIBINA, Badan Kepegawaian Daerah Provinsi Jambi"


class _Tersembunyi:
    """A cell that counts, or is computed over, fewer than MIN_KELOMPOK people."""

    def __str__(self) -> str:
        return "< 5, disembunyikan"


TERSEMBUNYI = _Tersembunyi()


def kecil(n: int | None) -> bool:
    """Whether `n` people are a group too small to publish (1 to 4; zero names nobody)."""
    return n is not None and 0 < n < MIN_KELOMPOK


def jumlah(n: int) -> int | _Tersembunyi:
    return TERSEMBUNYI if kecil(n) else n


def _d(value, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Kolom:
    kunci: str  # the CSV column
    judul: str  # the page's column header
    keterangan: str  # its definition, in the README
    jenis: str = "bilangan"  # teks | bilangan | desimal | persen
    halaman: bool = True  # False: a machine key the CSV needs and the page does not show


@dataclass
class Tabel:
    slug: str  # the CSV's name
    judul: str
    keterangan: str
    kolom: list[Kolom]
    baris: list[list] = field(default_factory=list)
    grafik: str = ""
    per_tanggal: date | None = None  # the state on this day, whatever the year asked for

    @property
    def kolom_halaman(self) -> list[Kolom]:
        return [k for k in self.kolom if k.halaman]

    @property
    def header(self) -> list[str]:
        return [k.kunci for k in self.kolom]

    def tampil(self) -> list[list[str]]:
        """The rows as the page writes them: Indonesian numbers, "< 5, disembunyikan"."""
        return [
            [_tampil(k, v) for k, v in zip(self.kolom, row, strict=True) if k.halaman]
            for row in self.baris
        ]

    def csv_rows(self) -> list[list[str]]:
        """The rows as the CSV writes them, for machines: a dot before the decimals, no
        thousands separator, "<5" for a hidden count and nothing for a hidden figure."""
        return [[_mesin(k, v) for k, v in zip(self.kolom, row, strict=True)] for row in self.baris]


def _tampil(kolom: Kolom, value) -> str:
    if value is TERSEMBUNYI:
        return str(value)
    if value is None:
        return angka(None)
    if kolom.jenis == "persen":
        return persen(value, 1)
    if kolom.jenis == "desimal":
        return angka(value, 2)
    if kolom.jenis == "bilangan":
        return angka(value)
    return str(value)


def _mesin(kolom: Kolom, value) -> str:
    if value is TERSEMBUNYI:
        return "<5" if kolom.jenis == "bilangan" else ""
    if value is None:
        return ""
    if kolom.jenis == "persen":
        return str(_d(value, "0.1"))
    if kolom.jenis == "desimal":
        return str(_d(value, "0.01"))
    return str(value)


# --- IKM -----------------------------------------------------------------------------------------

UNIT_LAYANAN = Kolom("unit_layanan", "Unit layanan", "Nama unit layanan publik.", "teks")
OPD = Kolom("opd", "Perangkat daerah", "Perangkat daerah (OPD) pemilik unit.", "teks")


def _opd_names(tree: list) -> dict[int, str]:
    """Every unit kerja's OPD (the top of its tree) by id."""
    root = {u.path: u.nama for u in tree if u.depth == 1}
    return {u.pk: root.get(u.path[: UnitKerja.steplen], u.nama) for u in tree}


def _ikm_cell(totals: dict | None):
    """(respondents, IKM konversi, mutu) of a rollup sum, hidden under five respondents."""
    if not totals or not totals["responden"]:
        return 0, None, None
    if kecil(totals["responden"]):
        return TERSEMBUNYI, TERSEMBUNYI, TERSEMBUNYI
    hasil = ikm_from(totals)
    return totals["responden"], hasil.konversi, hasil.mutu


def _sel(cell: tuple) -> dict:
    """One cell of the page's IKM table, written the Indonesian way."""
    responden, konversi, mutu = cell
    return {
        "tersembunyi": responden is TERSEMBUNYI,
        "konversi": angka(konversi, 2) if konversi is not None else "",
        "mutu": mutu,
        "responden": angka(responden) if responden is not TERSEMBUNYI else "",
    }


def _grafik(items: list[tuple[str, float]], **options) -> str:
    """A bar chart of `items`, or nothing when no figure may be drawn (all hidden, no data):
    labels above the bars, in one colour, readable on a phone."""
    return bar_chart_stacked_svg(items, **options) if items else ""


def _add(into: dict, row: dict) -> None:
    for column in RekapIKM.KOLOM:
        into[column] = into.get(column, 0) + (row[column] or 0)


def _shown(totals: dict | None) -> dict | None:
    """A cell's rollup sum when the cell is published, else None: a hidden cell (1 to 4
    respondents) counts in no total, so no total minus the shown cells gives it away."""
    if not totals or kecil(totals["responden"]):
        return None
    return totals


def ikm(tahun: int, tree: list) -> tuple[Tabel, Tabel, list[dict]]:
    """The IKM per service unit per quarter of `tahun` and for the whole year (long, for the
    CSV), the province's IKM per quarter over this year and the last (the trend), and the wide
    rows the page shows. From the monthly rollup: one query over two years, one for the units.
    The year and the province add up only the quarters of a unit that are shown."""
    months = (
        RekapIKM.objects.filter(bulan__range=(date(tahun - 1, 1, 1), date(tahun, 12, 31)))
        .values("unit_layanan", tahun=ExtractYear("bulan"), ke=ExtractQuarter("bulan"))
        .annotate(**{c: Sum(c) for c in RekapIKM.KOLOM})
        .order_by()
    )
    per_unit: dict[int, dict[tuple[int, int], dict]] = defaultdict(dict)
    for row in months:
        _add(per_unit[row["unit_layanan"]].setdefault((row["tahun"], row["ke"]), {}), row)
    province: dict[tuple[int, int], dict] = defaultdict(dict)
    for quarters in per_unit.values():
        for key, totals in quarters.items():
            if _shown(totals):
                _add(province[key], totals)
    this_year = [pk for pk, q in per_unit.items() if any(y == tahun for y, _ in q)]
    units = (
        UnitLayanan.objects.filter(Q(aktif=True) | Q(pk__in=this_year)).order_by("nama", "pk")
        if this_year
        else []
    )
    opd = _opd_names(tree)
    kolom = [
        UNIT_LAYANAN, OPD,
        Kolom("periode", "Kode periode", "Triwulan (2026-T1 … 2026-T4) atau tahun penuh (2026).",
              "teks", halaman=False),
        Kolom("periode_label", "Periode", "Periode dalam kata: Triwulan I 2026, Tahun 2026.",
              "teks"),
        Kolom("responden", "Responden",
              "Jumlah responden survei kepuasan masyarakat. Angka tahun penuh menjumlahkan "
              "hanya triwulan yang ditampilkan."),
        Kolom("ikm_konversi", "IKM konversi",
              "Indeks Kepuasan Masyarakat konversi 25–100, PermenPANRB 14/2017: rata-rata NRR "
              "sembilan unsur × 25, dibulatkan dua desimal.", "desimal"),
        Kolom("mutu", "Mutu pelayanan", "A (≥ 88,31), B (≥ 76,61), C (≥ 65,00), D.", "teks"),
    ]  # fmt: skip
    per_quarter = Tabel(
        "ikm-unit-layanan", "IKM per unit layanan dan triwulan",
        "IKM setiap unit layanan per triwulan dan setahun penuh, dari survei kepuasan "
        "masyarakat (rekap bulanan). Angka setahun hanya dari triwulan yang ditampilkan.",
        kolom,
    )  # fmt: skip
    wide = []
    for unit in units:
        quarters = per_unit.get(unit.pk, {})
        year: dict = {}
        cells = []
        for ke in range(1, 5):
            totals = quarters.get((tahun, ke))
            if _shown(totals):
                _add(year, totals)
            cell = _ikm_cell(totals)
            cells.append(cell)
            per_quarter.baris.append(
                [unit.nama, opd.get(unit.unit_id, ""), f"{tahun}-T{ke}", triwulan(tahun, ke),
                 *cell]
            )  # fmt: skip
        year_cell = _ikm_cell(year)
        per_quarter.baris.append(
            [unit.nama, opd.get(unit.unit_id, ""), str(tahun), f"Tahun {tahun}", *year_cell]
        )
        wide.append({"nama": unit.nama, "opd": opd.get(unit.unit_id, ""), "konversi": year_cell[1],
                     "sel": [_sel(cell) for cell in [*cells, year_cell]]})  # fmt: skip
    trend = Tabel(
        "ikm-tren-provinsi", "Tren IKM seluruh unit layanan per triwulan",
        "IKM gabungan semua unit layanan per triwulan, tahun ini dan tahun sebelumnya, dari "
        "triwulan unit yang ditampilkan saja (triwulan unit dengan kurang dari 5 responden "
        "tidak ikut dijumlahkan).",
        [kolom[2], kolom[3], *kolom[4:]],
    )  # fmt: skip
    if province:
        for year_ in (tahun - 1, tahun):
            for ke in range(1, 5):
                trend.baris.append(
                    [f"{year_}-T{ke}", triwulan(year_, ke), *_ikm_cell(province.get((year_, ke)))]
                )
    trend.grafik = _grafik(
        [(label, float(v)) for _, label, _, v, _ in trend.baris if isinstance(v, Decimal)],
        title=f"IKM konversi seluruh unit layanan per triwulan, {tahun - 1}–{tahun}",
        desimal=2,
        batas=100,
    )
    per_quarter.grafik = _grafik(
        [(w["nama"], float(w["konversi"])) for w in wide if isinstance(w["konversi"], Decimal)],
        title=f"IKM konversi per unit layanan, tahun {tahun}",
        desimal=2,
        batas=100,
    )
    return per_quarter, trend, wide


def triwulan(tahun: int, ke: int) -> str:
    """A quarter the Indonesian way: Triwulan I 2026."""
    return f"Triwulan {ROMAWI[ke]} {tahun}"


# --- Feedback and forums -------------------------------------------------------------------------


def masukan(tahun: int, sampai: date) -> Tabel:
    """Per service unit: feedback received in `tahun` (spam left out), forwarded to the unit,
    not yet due (unanswered but still within its deadline on `sampai`), answered within 5
    working days of the forwarding, the share on time of those due, and the mean working days
    to an answer (masyarakat.reports.tanggapan_per_layanan). A share is shown only when the
    counts it is computed from are: it would give a hidden count away."""
    received = dict(
        Masukan.objects.filter(created_at__year=tahun)
        .exclude(status=Masukan.Status.SPAM)
        .values_list("unit_layanan")
        .annotate(n=Count("pk"))
        .order_by()
    )
    answers = tanggapan_per_layanan(tahun, sampai)
    units = (
        UnitLayanan.objects.filter(Q(aktif=True) | Q(pk__in=[*received, *answers])).order_by(
            "nama", "pk"
        )
        if received or answers
        else []
    )
    tabel = Tabel(
        "masukan-per-unit-layanan", "Masukan masyarakat per unit layanan",
        "Masukan yang diterima, diteruskan ke unit, dan ditanggapi unit tepat waktu (paling "
        f"lambat {Masukan.HARI_TANGGAPAN} hari kerja setelah diteruskan), serta rata-rata "
        "waktu tanggapan. Masukan yang belum ditanggapi tetapi belum lewat tenggatnya (belum "
        "jatuh tempo) tidak dihitung dalam persentase tepat waktu. Isi masukan tidak pernah "
        "dipublikasikan.",
        [
            UNIT_LAYANAN,
            Kolom("diterima", "Diterima", "Masukan yang dikirim warga pada tahun ini, tanpa spam."),
            Kolom("diteruskan", "Diteruskan ke unit",
                  "Masukan yang diverifikasi dan diteruskan ke unit pada tahun ini."),
            Kolom("belum_jatuh_tempo", "Belum jatuh tempo",
                  "Dari yang diteruskan: belum ditanggapi dan tenggatnya "
                  f"({Masukan.HARI_TANGGAPAN} hari kerja) belum lewat pada hari data dibuat."),
            Kolom("ditanggapi_tepat_waktu", "Ditanggapi tepat waktu",
                  f"Dari yang diteruskan: ditanggapi paling lambat {Masukan.HARI_TANGGAPAN} hari "
                  "kerja setelah diteruskan (tanpa akhir pekan, libur nasional, cuti bersama)."),
            Kolom("persen_tepat_waktu", "% tepat waktu",
                  "Ditanggapi tepat waktu ÷ (diteruskan − belum jatuh tempo) × 100.", "persen"),
            Kolom("rata_hari_kerja_tanggapan", "Rata-rata waktu tanggapan (hari kerja)",
                  "Rata-rata hari kerja dari diteruskan sampai ditanggapi, atas masukan yang "
                  "sudah ditanggapi.", "desimal"),
        ],
    )  # fmt: skip
    for unit in units:
        n = received.get(unit.pk, 0)
        a = answers.get(unit.pk)
        forwarded = a.diteruskan if a else 0
        pending = a.belum_jatuh_tempo if a else 0
        tepat = a.tepat_waktu if a else 0
        answered = a.ditanggapi if a else 0
        due = forwarded - pending
        share = (
            TERSEMBUNYI if any(kecil(x) for x in (forwarded, pending, tepat, due))
            else _d(Decimal(100 * tepat) / due, "0.1") if due else None
        )  # fmt: skip
        days = (
            TERSEMBUNYI if kecil(answered)
            else _d(Decimal(a.hari_kerja) / answered, "0.01") if answered else None
        )  # fmt: skip
        tabel.baris.append(
            [unit.nama, jumlah(n), jumlah(forwarded), jumlah(pending), jumlah(tepat), share, days]
        )
    tabel.grafik = _grafik(
        [(row[0], float(row[5])) for row in tabel.baris if isinstance(row[5], Decimal)],
        title=f"Masukan ditanggapi tepat waktu per unit layanan, {tahun}",
        unit=" %",
        desimal=1,
        batas=100,
    )
    return tabel


def forum(tahun: int) -> Tabel:
    """Per service unit: the dialogue forums held in `tahun` (closed with minutes) and their
    follow-up actions, done or not. Two grouped queries."""
    held = dict(
        ForumDialog.objects.filter(status=ForumDialog.Status.SELESAI, waktu__year=tahun)
        .values_list("unit_layanan")
        .annotate(n=Count("pk"))
        .order_by()
    )
    actions = {
        row["forum__unit_layanan"]: row
        for row in TindakLanjut.objects.filter(
            forum__status=ForumDialog.Status.SELESAI, forum__waktu__year=tahun
        )
        .values("forum__unit_layanan")
        .annotate(
            semua=Count("pk"), selesai=Count("pk", filter=Q(status=TindakLanjut.Status.SELESAI))
        )
        .order_by()
    }
    names = dict(UnitLayanan.objects.filter(pk__in=list(held)).values_list("pk", "nama"))
    tabel = Tabel(
        "forum-dialog", "Forum dialog dan tindak lanjutnya",
        "Forum dialog warga dan ASN yang terlaksana (ditutup dengan notulen) pada tahun ini, "
        "dan tindak lanjut yang disepakati di dalamnya.",
        [
            UNIT_LAYANAN,
            Kolom("forum_terlaksana", "Forum terlaksana", "Forum berstatus selesai tahun ini."),
            Kolom("tindak_lanjut", "Tindak lanjut", "Tindak lanjut yang disepakati di forum itu."),
            Kolom("tindak_lanjut_selesai", "Tindak lanjut selesai",
                  "Tindak lanjut berstatus selesai."),
            Kolom("persen_selesai", "% selesai", "Tindak lanjut selesai ÷ tindak lanjut × 100.",
                  "persen"),
        ],
    )  # fmt: skip
    for pk, nama in sorted(names.items(), key=lambda item: (item[1], item[0])):
        a = actions.get(pk, {"semua": 0, "selesai": 0})
        share = _d(Decimal(100 * a["selesai"]) / a["semua"], "0.1") if a["semua"] else None
        tabel.baris.append([nama, held[pk], a["semua"], a["selesai"], share])
    tabel.grafik = _grafik(
        [(row[0], float(row[1])) for row in tabel.baris],
        title=f"Forum dialog terlaksana per unit layanan, {tahun}",
    )
    return tabel


# --- Change projects and 20 JP, per OPD ----------------------------------------------------------


def _per_opd(rows: dict[int, dict], tree: list) -> dict[int, dict]:
    """Per-unit counts added up to their OPD (the top of the unit's tree), by the OPD's id."""
    root = {u.path: u.pk for u in tree if u.depth == 1}
    path = {u.pk: u.path for u in tree}
    totals: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for unit_id, values in rows.items():
        opd = root[path[unit_id][: UnitKerja.steplen]]
        for key, n in values.items():
            totals[opd][key] += n
    return totals


def _opd_rows(totals: dict[int, dict], tree: list) -> list[tuple[str, dict]]:
    names = {u.pk: u.nama for u in tree if u.depth == 1}
    return sorted(
        ((names[pk], values) for pk, values in totals.items()), key=lambda r: r[0].casefold()
    )


def aksi_perubahan(today: date, tree: list) -> Tabel:
    """Per OPD, the change projects (aksi perubahan, inovasi) by their state today: running,
    finished, in use (a sustainability report said the change is still used) and stopped. One
    grouped query. Projects, not people: not hidden under five (the published ones are in the
    innovation gallery with their titles). The ledger keeps no past states, so the table is the
    state on `today` whatever the year asked for, and says so."""
    S = AksiPerubahan.Status
    rows = (
        AksiPerubahan.objects.values("unit")
        .annotate(
            berjalan=Count("pk", filter=Q(status=S.BERJALAN)),
            selesai=Count("pk", filter=Q(status=S.SELESAI)),
            digunakan=Count("pk", filter=Q(status=S.BERKELANJUTAN)),
            berhenti=Count("pk", filter=Q(status=S.BERHENTI)),
        )
        .order_by()
    )
    totals = _per_opd({r.pop("unit"): r for r in rows}, tree)
    tabel = Tabel(
        "aksi-perubahan", "Aksi perubahan dan inovasi per perangkat daerah",
        "Proyek perubahan ASN (aksi perubahan pelatihan kepemimpinan dan inovasi mandiri) "
        "menurut keadaannya pada hari data dibuat, bukan pada tahun yang dipilih: riwayat "
        "keadaan proyek tidak dicatat.",
        [
            OPD,
            Kolom("berjalan", "Berjalan", "Sedang dikerjakan."),
            Kolom("selesai", "Selesai", "Selesai, menunggu laporan keberlanjutan."),
            Kolom("digunakan", "Masih digunakan",
                  "Laporan keberlanjutan 6 atau 12 bulan menyatakan perubahan masih digunakan."),
            Kolom("berhenti", "Berhenti", "Dihentikan, atau tidak digunakan lagi."),
        ],
    )  # fmt: skip
    tabel.per_tanggal = today
    for nama, v in _opd_rows(totals, tree):
        tabel.baris.append([nama, v["berjalan"], v["selesai"], v["digunakan"], v["berhenti"]])
    tabel.grafik = _grafik(
        [(row[0], float(row[3])) for row in tabel.baris],
        title="Aksi perubahan yang masih digunakan per perangkat daerah, keadaan per "
        + date_format(today, "j F Y"),
    )
    return tabel


def kepatuhan_jp(tahun: int, today: date, tree: list) -> tuple[Tabel, object]:
    """Per OPD, the share of active PNS with at least 20 JP in `tahun`, counted as the 20 JP
    compliance page counts it (pelatihan.reports.kepatuhan_counts_sql). This year's from the
    dashboards' half-hourly unit figures (RingkasanUnit, one row per OPD); another year, or
    before the first run, from one grouped query over the ledger. Returns the table and when
    the figures were made (None: now). A year without a single JP entry has no rows: today's
    headcount beside nobody's JP would read as 0 % for that year."""
    stored = list(
        RingkasanUnit.objects.filter(tahun=tahun, unit__depth=1).values(
            "unit", "pns", "pns_patuh", "dihitung_at"
        )
    )
    if tahun == today.year and stored:
        totals = {r["unit"]: {"pns": r["pns"], "pns_patuh": r["pns_patuh"]} for r in stored}
        made = min(r["dihitung_at"] for r in stored)
    else:
        live = _jp_per_unit(tahun, min(today, date(tahun, 12, 31)))
        totals = _per_opd(
            {pk: {"pns": v["pns"], "pns_patuh": v["pns_patuh"]} for pk, v in live.items()}, tree
        )
        made = None
    nobody = not any(v["pns_patuh"] for v in totals.values())
    if nobody and not CatatanJP.objects.filter(tahun=tahun).exists():  # asked only then
        totals = {}
    target = settings.JP_TARGET_PNS
    tabel = Tabel(
        "pns-20-jp-per-opd", f"PNS dengan ≥ {target} JP per perangkat daerah",
        f"PNS dan CPNS aktif yang mencapai paling sedikit {target} jam pelajaran pengembangan "
        "kompetensi pada tahun ini (PP 11/2017 jo. PP 17/2020 Pasal 203 ayat 4).",
        [
            OPD,
            Kolom("pns", "PNS aktif", "PNS dan CPNS aktif di OPD dan seluruh sub-unitnya."),
            Kolom("pns_20_jp", f"PNS ≥ {target} JP", f"PNS dengan ≥ {target} JP tahun ini."),
            Kolom("persen_pns_20_jp", f"% PNS ≥ {target} JP", "PNS ≥ 20 JP ÷ PNS aktif × 100.",
                  "persen"),
        ],
    )  # fmt: skip
    for nama, v in _opd_rows(totals, tree):
        pns, patuh = v["pns"], v["pns_patuh"]
        if kecil(pns):
            tabel.baris.append([nama, TERSEMBUNYI, TERSEMBUNYI, TERSEMBUNYI])
        elif kecil(patuh) or kecil(pns - patuh):
            # Either side under five: the share would tell who (or that all but a few) did.
            tabel.baris.append([nama, pns, TERSEMBUNYI, TERSEMBUNYI])
        elif pns:
            tabel.baris.append([nama, pns, patuh, _d(Decimal(100 * patuh) / pns, "0.1")])
    tabel.grafik = _grafik(
        [(row[0], float(row[3])) for row in tabel.baris if isinstance(row[3], Decimal)],
        title=f"PNS dengan ≥ {target} JP per perangkat daerah, {tahun}",
        unit=" %",
        desimal=1,
        batas=100,
    )
    return tabel, made


@dataclass
class DataTerbuka:
    tahun: int
    ikm: list[dict]
    tabel: list[Tabel]
    jp_dihitung: object
    dibuat: object


def hitung(tahun: int) -> DataTerbuka:
    """Every table of the year, as the page, the CSVs and the ZIP show them."""
    today = timezone.localdate()
    sampai = min(today, date(tahun, 12, 31))
    tree = unit_tree()  # read once: cached, but not inside a transaction
    per_quarter, trend, wide = ikm(tahun, tree)
    jp, made = kepatuhan_jp(tahun, today, tree)
    tables = [
        per_quarter,
        trend,
        masukan(tahun, sampai),
        forum(tahun),
        aksi_perubahan(today, tree),
        jp,
    ]
    return DataTerbuka(tahun, wide, tables, made, timezone.localtime())


def tabel_by_slug(data: DataTerbuka) -> dict[str, Tabel]:
    return {t.slug: t for t in data.tabel}


def readme(data: DataTerbuka) -> str:
    """The ZIP's README: each file's columns and definitions, the sources, the licence, the
    rules against personal data, and when it was made."""
    lines = [
        f"DATA TERBUKA SIBINA PROVINSI JAMBI, TAHUN {data.tahun}",
        "",
        f"Dibuat: {data.dibuat:%Y-%m-%d %H:%M} WIB",
        f"Sumber: {SUMBER}.",
        f"Lisensi: {LISENSI}, https://creativecommons.org/licenses/by/4.0/deed.id",
        "Sebutkan sumbernya bila memakai data ini.",
        "",
        "FORMAT",
        "CSV UTF-8 dengan BOM (agar Excel membaca huruf dengan benar; program membacanya dengan",
        "encoding utf-8-sig), dipisah koma, baris pertama nama kolom (RFC 4180). Angka ditulis",
        "untuk mesin: titik sebelum desimal (85.10), tanpa pemisah ribuan. Halaman /data/",
        "menulis angka yang sama secara Indonesia (85,10). Periode triwulan ditulis 2026-T1",
        "(kolom periode) dan Triwulan I 2026 (kolom periode_label).",
        "",
        "PERLINDUNGAN DATA PRIBADI",
        f"Tidak ada nama, NIP, alamat surel, atau isi teks dari warga. Kelompok kurang dari "
        f"{MIN_KELOMPOK} orang",
        '(responden, masukan, pegawai) tidak ditampilkan: jumlah 1-4 ditulis "<5", dan angka yang',
        "dihitung dari kelompok sekecil itu (IKM, persentase, rata-rata) dibiarkan kosong.",
        "Angka gabungan (IKM setahun penuh, IKM seluruh provinsi) dihitung HANYA dari sel yang",
        "ditampilkan: sel yang disembunyikan tidak ikut dijumlahkan, sehingga mengurangkan",
        "sel-sel yang tampak dari angka gabungan tidak pernah menghasilkan sel yang tersembunyi.",
        "Persentase ditampilkan hanya bila semua jumlah yang membentuknya ditampilkan.",
        "Sel kosong lainnya: belum ada data. Tabel tanpa baris: belum ada data untuk tahun itu.",
        "",
        "MASUKAN TEPAT WAKTU",
        "Masukan yang belum ditanggapi tetapi tenggatnya belum lewat pada hari data dibuat",
        "dihitung sebagai belum jatuh tempo dan tidak masuk pembagi persentase tepat waktu.",
    ]
    for tabel in data.tabel:
        lines += ["", f"{tabel.slug}-{data.tahun}.csv: {tabel.judul}", tabel.keterangan]
        if tabel.per_tanggal:
            lines.append(
                f"Keadaan per {tabel.per_tanggal:%Y-%m-%d}, bukan keadaan tahun {data.tahun}."
            )
        lines += [f"  {k.kunci}: {k.keterangan}" for k in tabel.kolom]
    if data.jp_dihitung:
        lines += [
            "",
            f"Angka PNS ≥ 20 JP tahun berjalan dihitung {timezone.localtime(data.jp_dihitung):%Y-%m-%d %H:%M} WIB "  # noqa: E501
            "(ringkasan setiap setengah jam).",
        ]
    return "\n".join(lines) + "\n"
