"""Reads across the apps for the dashboards and the monitoring reports."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from evaluasi.models import (
    LaporanPascaPelatihan,
    PenilaianKinerja,
    PeriodePenilaian,
    Predikat,
    TonggakAksi,
)
from evaluasi.reports import pegawai_dalam_periode
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
from masyarakat.reports import ikm_from, ikm_totals
from pegawai.models import Pegawai, UnitKerja, unit_pilihan, unit_tree
from pelatihan.models import Angkatan, CatatanJP
from pelatihan.reports import (
    Kepatuhan,
    jp_tahun,
    kepatuhan_counts_sql,
    rekomendasi_pelatihan,
    target_for,
)

from . import ip_asn
from .lib.angka import share
from .lib.charts import bar_chart_svg
from .lib.dates import month_end
from .lib.tabular import XlsxSheet
from .models import (
    CapaianTarget,
    IndeksProfesionalitas,
    ProgramPembinaan,
    RingkasanBulan,
    RingkasanUnit,
)

COUNTS = [
    "pegawai_aktif", "pns", "pns_patuh", "pppk", "pppk_lebih", "laporan_segera",
    "laporan_terlambat", "laporan_menunggu_atasan", "masukan_menunggu",
]  # fmt: skip
HARI_SEGERA = 30


def _jp_per_unit(tahun: int, sampai: date) -> dict[int, dict]:
    """Active pegawai, PNS and PNS reaching the yearly JP, PPPK and PPPK over their cap, per
    unit, counting the ledger entries dated up to `sampai` (a past period reads the JP earned
    by its end): one GROUP BY over the ledger's (tahun, pegawai) index, joined to the pegawai."""
    counts, counts_params = kepatuhan_counts_sql(status="p.status_kepegawaian", jp="t.jp")
    sql = f"""
        WITH totals AS (
            SELECT pegawai_id, SUM(jp) AS jp FROM {CatatanJP._meta.db_table}
            WHERE tahun = %s AND tanggal <= %s GROUP BY pegawai_id
        )
        SELECT p.unit_id, COUNT(*), {counts}
        FROM {Pegawai._meta.db_table} p LEFT JOIN totals t ON t.pegawai_id = p.id
        WHERE p.aktif
        GROUP BY p.unit_id
    """  # noqa: S608 - identifiers from model metadata, values as parameters
    params = [tahun, sampai, *counts_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            unit: {"pegawai_aktif": n, "pns": p, "pns_patuh": ok, "pppk": k, "pppk_lebih": over}
            for unit, n, p, ok, k, over in cursor.fetchall()
        }


def _laporan_per_unit(today: date) -> dict[int, dict]:
    S = LaporanPascaPelatihan.Status
    waiting = [S.BELUM_DIISI, S.DRAF, S.DIKEMBALIKAN]
    rows = (
        LaporanPascaPelatihan.objects.filter(status__in=[*waiting, S.DIAJUKAN])
        .values("pegawai__unit")
        .annotate(
            laporan_segera=Count(
                "pk",
                filter=Q(
                    status__in=waiting,
                    jatuh_tempo__range=(today, today + timedelta(days=HARI_SEGERA)),
                ),
            ),
            laporan_terlambat=Count("pk", filter=Q(status__in=waiting, jatuh_tempo__lt=today)),
            laporan_menunggu_atasan=Count("pk", filter=Q(status=S.DIAJUKAN)),
        )
        .order_by()
    )
    return {r.pop("pegawai__unit"): r for r in rows}


def _masukan_per_unit() -> dict[int, dict]:
    waiting = [Masukan.Status.DITERIMA, Masukan.Status.DITERUSKAN]
    rows = (
        Masukan.objects.filter(status__in=waiting)
        .values("unit_layanan__unit")
        .annotate(masukan_menunggu=Count("pk"))
        .order_by()
    )
    return {r["unit_layanan__unit"]: {"masukan_menunggu": r["masukan_menunggu"]} for r in rows}


def periode_predikat_terakhir(sampai: date | None = None) -> PeriodePenilaian | None:
    """The latest period that has ratings (begun by `sampai`, for a report of a past month):
    the one whose predicates the dashboards and the monitoring report spread (it may cover
    only the units it was opened for)."""
    # EXISTS per period, newest first: a join with every rating took 2,4 s at 1,000,000 pegawai.
    rated = PenilaianKinerja.objects.filter(periode=OuterRef("pk"))
    periods = PeriodePenilaian.objects.filter(Exists(rated))
    if sampai is not None:
        periods = periods.filter(tanggal_mulai__lte=sampai)
    return periods.order_by("-tanggal_mulai").first()


def _predikat_per_unit(periode: PeriodePenilaian | None) -> dict[int, dict]:
    """The spread of predicates in this period, per unit."""
    if periode is None:
        return {}
    rows = (
        PenilaianKinerja.objects.filter(periode=periode)
        .values("pegawai__unit", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    spread: dict[int, dict] = defaultdict(dict)
    for r in rows:
        spread[r["pegawai__unit"]][r["predikat"]] = r["n"]
    return spread


def _ikm_per_layanan(tahun: int) -> dict[int, list[dict]]:
    """Each service unit's IKM of the year so far, under the unit kerja it belongs to."""
    sums = (
        ResponSurvei.objects.filter(tanggal__year=tahun)
        .values("unit_layanan")
        .annotate(**ikm_totals())
        .order_by()
    )
    layanan = {u.pk: u for u in UnitLayanan.objects.all()}
    per_unit: dict[int, list[dict]] = defaultdict(list)
    for row in sums:
        hasil = ikm_from(row)
        unit = layanan[row["unit_layanan"]]
        per_unit[unit.unit_id].append(
            {
                "pk": unit.pk,
                "nama": unit.nama,
                "konversi": str(hasil.konversi) if hasil.konversi is not None else None,
                "mutu": hasil.mutu,
                "responden": row["responden"],
            }
        )
    return per_unit


_LATEST = object()


def ringkasan_hitung(today: date, periode=_LATEST) -> dict[int, dict]:
    """Every unit's figures with those of its sub-units added in: a handful of grouped queries,
    then the tree rolled up in Python (a few thousand units at most). The predicates are those
    of `periode`, by default the latest rated one (periode_predikat_terakhir)."""
    direct: dict[int, dict] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for part in (_jp_per_unit(today.year, today), _laporan_per_unit(today), _masukan_per_unit()):
        for unit_id, values in part.items():
            direct[unit_id].update(values)
    if periode is _LATEST:
        periode = periode_predikat_terakhir()
    predikat, ikm = _predikat_per_unit(periode), _ikm_per_layanan(today.year)
    paths = dict(UnitKerja.objects.values_list("pk", "path"))
    pk_of = {path: pk for pk, path in paths.items()}
    totals: dict[int, dict] = {}

    def total(pk: int) -> dict:
        if pk not in totals:
            totals[pk] = {**dict.fromkeys(COUNTS, 0), "predikat": defaultdict(int), "ikm": []}
        return totals[pk]

    for unit_id in set(direct) | set(predikat) | set(ikm):
        path = paths[unit_id]
        for depth in range(UnitKerja.steplen, len(path) + 1, UnitKerja.steplen):
            row = total(pk_of[path[:depth]])
            for key in COUNTS:
                row[key] += direct[unit_id][key] if unit_id in direct else 0
            for key, n in predikat.get(unit_id, {}).items():
                row["predikat"][key] += n
            row["ikm"] += ikm.get(unit_id, [])
    for row in totals.values():
        row["predikat"] = dict(row["predikat"])
        row["ikm"].sort(key=lambda item: item["nama"])
    return totals


@dataclass
class AkhirPeriode:
    """The figures per unit at a period's end (ringkasan_hitung), the rated period their
    predicates spread, and when the data they count was read (`per`; None: now, live)."""

    figures: dict[int, dict]
    periode_predikat: PeriodePenilaian | None
    per: datetime | None


def ringkasan_akhir_periode(sampai: date) -> AkhirPeriode:
    """ringkasan_hitung(sampai) as the nightly job stored it (RingkasanBulan), when it was made
    after `sampai` (every entry dated up to that day could be counted): a row per unit. Else
    computed now: a period that does not end a month, or a month the job has not stored."""
    rows = list(
        RingkasanBulan.objects.filter(sampai=sampai, dihitung_at__date__gt=sampai)
        .select_related("periode_predikat")
    )  # fmt: skip
    if rows:
        figures = {
            r.unit_id: {**{k: getattr(r, k) for k in COUNTS}, "predikat": r.predikat, "ikm": r.ikm}
            for r in rows
        }
        return AkhirPeriode(figures, rows[0].periode_predikat, min(r.dihitung_at for r in rows))
    periode = periode_predikat_terakhir(sampai)
    return AkhirPeriode(ringkasan_hitung(sampai, periode), periode, None)


# --- Dashboards ---------------------------------------------------------------------------------


def _top_units(user) -> list[int]:
    """The units a dashboard lists: every OPD for an admin; for a pengelola the highest units of
    their scope (those assigned, less any inside another of theirs). From the cached tree."""
    units = unit_pilihan(user)
    paths = {u.path for u in units}
    return [u.pk for u in units if u.path[: -UnitKerja.steplen] not in paths]


def kepatuhan_tersimpan(user, unit_pk: int | None, tahun: int) -> Kepatuhan | None:
    """The 20 JP compliance of a unit (its sub-units included) or of the user's whole scope, from
    the half-hourly unit figures the dashboard shows (a unit without pegawai has no row); None
    when there are none of that year."""
    units = [unit_pk] if unit_pk else _top_units(user)
    rows = list(RingkasanUnit.objects.filter(unit_id__in=units, tahun=tahun))
    if not rows:
        return None
    return Kepatuhan(
        tahun,
        *(sum(getattr(r, key) for r in rows) for key in ("pns", "pns_patuh", "pppk", "pppk_lebih")),
        dihitung_at=min(r.dihitung_at for r in rows),
    )


def capaian_terkini(program: ProgramPembinaan) -> list:
    """The program's targets, each with its latest stored actual (`nilai`, None before the first
    computation), when it was computed (`dihitung`) and whether it reaches the target
    (`tercapai`): the one figure the dashboard and the program page both show. One query."""
    latest = CapaianTarget.objects.filter(target=OuterRef("pk")).order_by("-bulan")
    targets = list(
        program.target.select_related("tujuan").annotate(
            nilai=Subquery(latest.values("nilai")[:1]),
            dihitung=Subquery(latest.values("dihitung_at")[:1]),
        )
    )
    for target in targets:
        target.tercapai = target.definisi.tercapai(target.nilai, target.nilai_target)
    return targets


def dashboard_manager(user, today: date) -> dict:
    """The program's targets against their latest actuals, and per unit of the user's scope the
    precomputed figures, with the month's trainings. A fixed handful of queries."""
    program = ProgramPembinaan.objects.filter(tahun=today.year).first()
    targets = capaian_terkini(program) if program is not None else []
    units = list(
        RingkasanUnit.objects.filter(unit_id__in=_top_units(user))
        .select_related("unit")
        .order_by("unit__path")
    )
    total = {key: sum(getattr(r, key) for r in units) for key in COUNTS}
    spread: dict[str, int] = defaultdict(int)
    for row in units:
        for key, n in row.predikat.items():
            spread[key] += n
    month_start = today.replace(day=1)
    trainings = (
        Angkatan.objects.filter(
            tanggal_mulai__lte=month_end(today), tanggal_selesai__gte=month_start
        )
        .exclude(status=Angkatan.Status.DIBATALKAN)
        .select_related("pelatihan")
        .order_by("tanggal_mulai")[:10]
    )
    return {
        "program": program,
        "targets": targets,
        "units": units,
        "total": total,
        "persen_patuh": share(total["pns_patuh"], total["pns"]),
        "grafik_jp": bar_chart_svg(
            [(r.unit.nama, r.persen_patuh or 0) for r in units[:25]],
            title="PNS dengan ≥ 20 JP per unit", unit=" %", desimal=1,
        ),
        "grafik_predikat": bar_chart_svg(
            [(p.label, spread.get(p.value, 0)) for p in Predikat],
            title="Sebaran predikat kinerja, periode terakhir",
        ),
        "ikm": [item for r in units for item in r.ikm],
        "dihitung_at": min((r.dihitung_at for r in units), default=None),
        "trainings": trainings,
    }  # fmt: skip


def dashboard_pegawai(profil: Pegawai, today: date) -> dict:
    S = LaporanPascaPelatihan.Status
    jp = jp_tahun(profil, today.year)
    target = target_for(profil)
    return {
        "jp": jp,
        "jp_target": target,
        "jp_persen": min(100, round(100 * jp / target["jp"])) if target["jp"] else 0,
        "keikutsertaan": profil.keikutsertaan.select_related("angkatan__pelatihan")
        .prefetch_related("sertifikat_semua")
        .order_by("-angkatan__tanggal_mulai")[:5],
        "laporan_saya": profil.laporan_pasca_pelatihan.exclude(status=S.DIVERIFIKASI)
        .select_related("peserta__angkatan__pelatihan")
        .order_by("jatuh_tempo")[:5],
        "rekomendasi": rekomendasi_pelatihan(profil, limit=3),
    }


def dashboard_atasan(profil: Pegawai, today: date) -> dict:
    S = LaporanPascaPelatihan.Status
    waiting = LaporanPascaPelatihan.objects.filter(pegawai__atasan=profil, status=S.DIAJUKAN)
    to_rate = []
    for periode in PeriodePenilaian.objects.filter(status=PeriodePenilaian.Status.DIBUKA):
        missing = (
            pegawai_dalam_periode(periode)
            .filter(atasan=profil)
            .exclude(penilaian_kinerja__periode=periode)
            .count()
        )
        if missing:
            to_rate.append((periode, missing))
    return {
        "jumlah_bawahan": profil.bawahan.filter(aktif=True).count(),
        "menunggu_verifikasi": waiting.select_related("pegawai", "peserta__angkatan")[:5],
        "jumlah_menunggu": waiting.count(),
        "perlu_dinilai": to_rate,
        "tonggak_menunggu": TonggakAksi.objects.filter(
            aksi__mentor=profil, status=TonggakAksi.Status.DILAPORKAN
        ).count(),
    }


# --- Monitoring report --------------------------------------------------------------------------

KEBUTUHAN_PER_UNIT = 3
# The PDF lists at most this many OPDs lowest on 20 JP compliance and this many with the most
# late self-reports; every OPD's row and needs are in the workbook beside it (lampiran): the
# province's 240 OPDs and their needs took WeasyPrint past 150 MB (bench/RESULTS.md, issue 24).
OPD_DISOROT = 25


def opd_disorot(units: list[dict], n: int = OPD_DISOROT) -> list[dict]:
    """The OPDs that need attention, lowest 20 JP compliance first: all of them when there are
    no more than n; else the n lowest on compliance (more late reports first among equals) and
    the n with the most late self-reports (at least one), at most 2n rows."""
    if len(units) <= n:
        return units
    by_jp = sorted(
        (r for r in units if r["persen_patuh"] is not None),
        key=lambda r: (r["persen_patuh"], -r["laporan_terlambat"]),
    )[:n]
    by_late = sorted(
        (r for r in units if r["laporan_terlambat"]), key=lambda r: -r["laporan_terlambat"]
    )[:n]
    chosen = {r["unit"].pk for r in by_jp + by_late}
    return sorted(
        (r for r in units if r["unit"].pk in chosen),
        key=lambda r: (r["persen_patuh"] is None, r["persen_patuh"] or 0, -r["laporan_terlambat"]),
    )


def konteks_monitoring(laporan, *, on_step=lambda progres, tahap: None) -> dict:
    """Everything the monitoring PDF shows: targets against actuals at the period's end, what
    changed since the previous report, the figures per OPD with charts, and the top needs of
    each OPD. `angka` is what the report stores, for the next one to compare with."""
    from . import dampak, indikator, kebutuhan

    program, end = laporan.program, laporan.periode_selesai
    previous = (
        type(laporan)
        .objects.filter(program=program, status="selesai", periode_selesai__lt=end)
        .order_by("-periode_selesai")
        .first()
    )
    before = previous.angka if previous else {}
    targets, angka = [], {}
    # Every finished batch's impact, read once from the stored per-batch sums (the nightly
    # dampak_ringkasan_task): the impact indicator and its section read it.
    per_batch = dampak.selisih_tersimpan(sampai=end)
    # The figures per unit at the period's end, summed over the OPDs: the 20 JP indicator's
    # counts too. Stored by the nightly job for a month's end (RingkasanBulan), else summed
    # from the JP ledger, the largest table, once.
    akhir = ringkasan_akhir_periode(end)
    figures = akhir.figures
    opds = list(UnitKerja.objects.filter(depth=1, pk__in=figures).order_by("path"))
    jp = Kepatuhan(
        end.year,
        *(sum(figures[u.pk][k] for u in opds) for k in ("pns", "pns_patuh", "pppk", "pppk_lebih")),
    )
    # A month's actuals as the daily job stored them once the month was over (capaian_task on
    # the first: the month counted to its last day), else computed now.
    stored = dict(
        CapaianTarget.objects.filter(
            target__program=program, bulan=end, dihitung_at__date__gt=end, nilai__isnull=False
        ).values_list("target_id", "nilai")
    )
    for target in program.target.select_related("tujuan"):
        value = stored.get(target.pk)
        if value is None:
            value = indikator.hitung(
                target.indikator, program.tahun, end, dampak_per_angkatan=per_batch, kepatuhan=jp
            )
        angka[target.indikator] = None if value is None else str(value)
        old = before.get(target.indikator)
        targets.append(
            {
                "target": target,
                "nilai": value,
                "tercapai": target.definisi.tercapai(value, target.nilai_target),
                "persen": float(100 * value / target.nilai_target)
                if value is not None and target.nilai_target
                else None,
                "sebelumnya": old,
                "perubahan": value - Decimal(old) if value is not None and old else None,
            }
        )
    on_step(30, "Menghitung ringkasan per unit")
    units = [{"unit": u, **figures[u.pk]} for u in opds]
    for row in units:
        row["persen_patuh"] = share(row["pns_patuh"], row["pns"])
    on_step(45, "Mengukur dampak pelatihan")
    impact = dampak.selisih_per_pelatihan(sampai=end, per_angkatan=per_batch)
    ranking = dampak.peringkat(sampai=end, per_pelatihan=impact)
    on_step(50, "Menyusun analisis kebutuhan pelatihan")
    # Every OPD's evidence as the nightly job stored it after the period ended, else from
    # grouped queries over the province now (kebutuhan.analisis_opd); the proposals are made now.
    # Either way the evidence is of that moment, not of the period's end (the report says so):
    # it is stored per year, anew each night, and much of it is a state without a history (the
    # latest assessed level, the agreed plans, who is active).
    tersimpan = kebutuhan.bukti_tersimpan(opds, tahun=program.tahun, sejak=end)
    bukti, bukti_per = tersimpan or (None, None)
    climate = kebutuhan.iklim_groups(program.tahun) if bukti is None else None
    per_opd = kebutuhan.analisis_opd(
        opds, tahun=program.tahun, iklim=climate, dampak=impact, bukti=bukti
    )
    needs = [(u, per_opd[u.pk][:KEBUTUHAN_PER_UNIT]) for u in opds]
    disorot = opd_disorot(units, OPD_DISOROT)
    shown = {r["unit"].pk for r in disorot}
    spread: dict[str, int] = defaultdict(int)
    for row in units:
        for key, n in row["predikat"].items():
            spread[key] += n
    periode = akhir.periode_predikat
    return {
        "laporan": laporan,
        "program": program,
        "sebelumnya": previous,
        "targets": targets,
        # What "Skor" in the needs table adds up, and when its evidence was read (None: as the
        # report was made).
        "skor_keterangan": kebutuhan.skor_keterangan(),
        "kebutuhan_per": bukti_per,
        "angka": angka,
        "units": units,
        "kebutuhan": [(u, rows) for u, rows in needs if rows],
        # What the PDF lists: every OPD while there are few, else those that need attention;
        # the workbook beside it holds every OPD (lampiran_monitoring).
        "units_pdf": disorot,
        "kebutuhan_pdf": [(u, rows) for u, rows in needs if rows and u.pk in shown],
        "daftar_dibatasi": len(disorot) < len(units),
        "opd_disorot_n": OPD_DISOROT,
        "dampak": ranking,
        "dampak_tabel": [
            ("Lima pelatihan dengan dampak terbesar", ranking.terbesar),
            ("Lima pelatihan dengan dampak terkecil", ranking.terkecil),
        ],
        "grafik_target": bar_chart_svg(
            [(t["target"].get_indikator_display(), t["persen"])
             for t in targets if t["persen"] is not None],
            title="Capaian terhadap target (%)", unit=" %", desimal=1, batas=150,
        ),
        "grafik_jp": bar_chart_svg(
            [(r["unit"].nama, r["persen_patuh"] or 0) for r in disorot[:30]],
            title="PNS dengan ≥ 20 JP per OPD", unit=" %", desimal=1,
        ),
        # The predicates as the rest of the app names them ("Kurang/Misconduct").
        "grafik_predikat": bar_chart_svg(
            [(p.label, spread.get(p.value, 0)) for p in Predikat],
            title=f"Sebaran predikat kinerja, {periode.nama}" if periode else
            "Sebaran predikat kinerja",
        ),
        # The rated period the spread is of, and how many of the OPDs it covers: the latest
        # period with ratings may have been opened for some OPDs only.
        "periode_predikat": periode,
        "opd_dinilai": sum(1 for r in units if any(r["predikat"].values())),
        # When the data the per-OPD figures count was read (None: as the report was made).
        "angka_per": akhir.per,
    }  # fmt: skip


# The monitoring workbook's sheets: their columns and widths in characters.
KOLOM_OPD = [
    "Perangkat daerah", "Kode unit", "Pegawai aktif", "PNS", "PNS ≥ 20 JP", "PNS ≥ 20 JP (%)",
    "Laporan terlambat", "Menunggu atasan", "Masukan menunggu",
]  # fmt: skip
LEBAR_KOLOM_OPD = [45, 14, 13, 10, 12, 15, 17, 16, 17]
LEBAR_KOLOM_KEBUTUHAN = [45, 14, 10, 8, 40, 8, 60, 40, 40]  # "Perangkat daerah", "Kode unit",
# then the needs list's own export (kebutuhan.EXPORT_HEADER)


def _persen_sel(value: float | None) -> Decimal | None:
    """A share as the PDF rounds it (angka.persen: one place, half up), a number in the cell."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def lampiran_monitoring(context: dict, *, dibuat: datetime) -> bytes:
    """The workbook beside the monitoring PDF: every OPD's row of the per-OPD table (sheet one)
    and every OPD's top needs with their evidence and proposal (sheet two), the figures of
    `context` (konteks_monitoring), written in constant memory."""
    from .kebutuhan import EXPORT_HEADER, export_rows

    laporan = context["laporan"]
    periode = f"{laporan.program.nama} · periode {laporan.periode_tulisan}"
    per = date_format(timezone.localtime(context["angka_per"] or dibuat), "j F Y")
    bukti_per = date_format(timezone.localtime(context["kebutuhan_per"] or dibuat), "j F Y")
    made = f"Dibuat {date_format(dibuat, 'j F Y, H.i')} WIB oleh SIBINA."
    sheet = XlsxSheet(
        KOLOM_OPD,
        title="Per perangkat daerah",
        widths=LEBAR_KOLOM_OPD,
        heading=[
            f"Laporan monitoring {periode}: semua perangkat daerah ({len(context['units'])})",
            f"Angka menurut data per {per}; ≥ 20 JP dari JP yang tercatat sampai "
            f"{date_format(laporan.periode_selesai, 'j F Y')}. {made}",
        ],
    )
    needs = sheet.add_sheet(
        ["Perangkat daerah", "Kode unit", *EXPORT_HEADER],
        title="Kebutuhan pelatihan",
        widths=LEBAR_KOLOM_KEBUTUHAN,
        heading=[
            f"Analisis kebutuhan pelatihan {periode}: paling banyak {KEBUTUHAN_PER_UNIT} "
            "kompetensi per perangkat daerah",
            f"Bukti menurut data per {bukti_per}, bukan per akhir periode: dapat memuat bukti "
            f"yang tercatat sesudah {date_format(laporan.periode_selesai, 'j F Y')}. "
            f"{context['skor_keterangan']} Perangkat daerah tanpa bukti kesulitan yang tercatat "
            f"tidak tercantum. {made}",
        ],
    )
    try:
        for r in context["units"]:
            sheet.append([
                r["unit"].nama, r["unit"].kode, r["pegawai_aktif"], r["pns"], r["pns_patuh"],
                _persen_sel(r["persen_patuh"]), r["laporan_terlambat"],
                r["laporan_menunggu_atasan"], r["masukan_menunggu"],
            ])  # fmt: skip
        for unit, rows in context["kebutuhan"]:
            for row in export_rows(rows):
                needs.append([unit.nama, unit.kode, *row])
        return sheet.getvalue()
    finally:
        sheet.close()
        needs.close()


# --- IP ASN (pembinaan.ip_asn) ----------------------------------------------------------------


def _per_kategori() -> dict:
    return {key: Count("pk", filter=Q(kategori=key)) for _, key, _ in ip_asn.KATEGORI}


def ip_asn_tren() -> list[dict]:
    """The province's IP ASN by year, from the stored rows: one GROUP BY."""
    return list(
        IndeksProfesionalitas.objects.order_by("tahun")
        .values("tahun")
        .annotate(jumlah=Count("pk"), rata=Avg("total"), **_per_kategori())
    )


def ip_asn_per_opd(tahun: int) -> list[dict]:
    """Each OPD's IP ASN of a year, from the stored rows: one GROUP BY, named from the tree."""
    names = {u.pk: u.nama for u in unit_tree()}
    rows = list(
        IndeksProfesionalitas.objects.filter(tahun=tahun)
        .order_by("opd_id")
        .values("opd_id")
        .annotate(jumlah=Count("pk"), rata=Avg("total"), **_per_kategori())
    )
    for row in rows:
        row["nama"] = names.get(row["opd_id"], "Tanpa OPD")
        row["kategori"] = ip_asn.KATEGORI_LABEL[ip_asn.kategori(row["rata"])]
    return sorted(rows, key=lambda r: -r["rata"])


def ip_asn_tren_svg(tren: list[dict]) -> str:
    """The trend as bars, one per year (server-side SVG, the same in page and PDF)."""
    items = [(str(r["tahun"]), float(r["rata"])) for r in tren]
    return bar_chart_svg(items, title="Rata-rata IP ASN provinsi per tahun", desimal=2)
