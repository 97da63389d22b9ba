"""The training-needs analysis: per unit and competency, where ASN still struggle, each row with
the evidence that puts it there, ranked by a weighted score; and what each row proposes.

The weights and the mapping of citizens' signals to competencies are data here, in one place."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from evaluasi import reports as evaluasi_reports
from evaluasi.models import LaporanPascaPelatihan, PutaranIklim
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
from masyarakat.referensi import UNSUR
from masyarakat.reports import ikm_from, ikm_totals
from pegawai.models import Pegawai, UnitKerja, User, tanggal_libur
from pelatihan.access import can_manage_pelatihan
from pelatihan.models import (
    Angkatan,
    BarisRencana,
    Kompetensi,
    Pelatihan,
    PelatihanKompetensi,
    Peserta,
    RencanaPengembangan,
    StandarKompetensi,
)
from pelatihan.referensi import JP_PER_HARI_PELATIHAN
from pelatihan.reports import (
    _latest_level,
    kesenjangan_unit,
    pegawai_di_bawah_standar,
    pns_di_bawah_target,
)

from . import dampak
from .dampak import Selisih
from .lib.angka import angka
from .lib.dates import add_working_days, is_working_day
from .models import KebutuhanPelatihan, RingkasanKebutuhan

# Points per piece of evidence. A pegawai below standard, a failed post-test and a named need
# are individual signals; a low climate dimension or IKM element speaks for a whole group. The
# strongest is the AKPK: a pegawai whose development plan, agreed with their atasan after a
# one-on-one, names the competency (PP 11/2017 Pasal 205–207: the agency's needs are the
# inventory of its PNS's plans).
BOBOT = {
    "akpk": 6,
    "kesenjangan": 3,
    "post_test": 2,
    "l3_rendah": 2,
    "kebutuhan": 2,
    "iklim": 5,
    "ikm": 5,
    "keluhan": 1,
}
# IKM elements that speak of the officers themselves, and the competencies they call for
# (PermenPANRB 38/2017): U6 competence, U7 behaviour, U9 handling of complaints.
IKM_KOMPETENSI = {"u6": ["M.05"], "u7": ["M.05", "M.01"], "u9": ["M.05", "M.03"]}
NRR_RENDAH = Fraction(3)  # below "baik" (3 of 4): konversi under 75
SKOR_IKLIM_RENDAH = 3.5  # of 5: a lowest dimension above this is not a problem
KELUHAN_KOMPETENSI = ["M.05"]
NILAI_L3_RENDAH = 2
# What each weight counts, as the monitoring report explains a row's score (skor_keterangan).
BUKTI_SATUAN = {
    "akpk": "pegawai dengan AKPK yang menyebut kompetensinya",
    "kesenjangan": "pegawai di bawah standar jabatan",
    "post_test": "peserta tidak lulus post-test",
    "l3_rendah": "laporan pasca pelatihan dengan perubahan kecil",
    "kebutuhan": "laporan yang menyebutnya kebutuhan lanjutan",
    "iklim": f"dimensi iklim kerja rendah (di bawah {angka(SKOR_IKLIM_RENDAH, 1)} dari 5)",
    "ikm": f"unsur IKM U6/U7/U9 rendah (NRR di bawah {angka(NRR_RENDAH)})",
    "keluhan": "keluhan masyarakat",
}


def skor_keterangan() -> str:
    """How a row's score is made, in words, from BOBOT: the line under the needs table of the
    monitoring report."""
    weights = sorted(BOBOT, key=lambda kind: -BOBOT[kind])
    return (
        "Skor: jumlah bobot bukti di perangkat daerah itu: "
        + ", ".join(f"{BOBOT[kind]} per {BUKTI_SATUAN[kind]}" for kind in weights)
        + ". Makin tinggi skor, makin kuat buktinya."
    )


@dataclass
class Baris:
    kompetensi: Kompetensi
    skor: int = 0
    bukti: list[str] = field(default_factory=list)
    angkatan: Angkatan | None = None  # an open batch that trains it
    pelatihan: object | None = None  # a training that targets it, without an open batch
    rencana: KebutuhanPelatihan | None = None
    # Trainings for it whose measured impact (pembinaan.dampak) says something: a clear effect,
    # or none after two batches.
    dampak: list[tuple[Pelatihan, Selisih]] = field(default_factory=list)

    def add(self, kind: str, count: int, text: str) -> None:
        if count:
            self.skor += BOBOT[kind] * count
            self.bukti.append(text)


def _scope(unit: UnitKerja):
    return Pegawai.objects.aktif().di_unit(unit)


def _by_kode(queryset, field_name: str) -> dict[str, int]:
    rows = queryset.values(field_name).annotate(n=Count("pk", distinct=True)).order_by()
    return {r[field_name]: r["n"] for r in rows if r[field_name]}


def analisis(unit: UnitKerja, *, tahun: int | None = None, iklim=None, dampak=None) -> list[Baris]:
    """The ranked rows of one unit (its sub-units included). When a caller analyses many units:
    `iklim`, the work-climate groups of the year (iklim_groups); `dampak`, every training's
    measured impact (dampak.selisih_per_pelatihan)."""
    today = timezone.localdate()
    tahun = tahun or today.year
    scope = _scope(unit)
    ids = scope.values("pk")
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    rows: dict[str, Baris] = {}

    def row(kode: str) -> Baris | None:
        if kode not in kompetensi:
            return None
        return rows.setdefault(kode, Baris(kompetensi[kode]))

    for kode, year, n in akpk_permintaan(ids, tahun):
        if r := row(kode):
            r.add("akpk", n, f"AKPK {year}: {n} pegawai menyepakati pengembangannya dengan atasan")
    for gap in kesenjangan_unit(scope):
        if r := row(gap["kompetensi__kode"]):
            r.add("kesenjangan", gap["kurang"], f"{gap['kurang']} pegawai di bawah standar jabatan")
    failed = Peserta.objects.filter(
        pegawai__in=ids, nilai_post__isnull=False, nilai_post__lt=F("angkatan__nilai_lulus")
    )
    for kode, n in _by_kode(failed, "angkatan__pelatihan__target__kompetensi__kode").items():
        if r := row(kode):
            r.add("post_test", n, f"{n} peserta dengan nilai post-test di bawah batas lulus")
    low = LaporanPascaPelatihan.objects.filter(
        pegawai__in=ids, status="diverifikasi", nilai_perubahan__lte=NILAI_L3_RENDAH
    )
    for kode, n in _by_kode(low, "peserta__angkatan__pelatihan__target__kompetensi__kode").items():
        if r := row(kode):
            r.add("l3_rendah", n, f"{n} laporan pasca pelatihan dengan perubahan kecil (L3)")
    named = LaporanPascaPelatihan.objects.filter(pegawai__in=ids)
    for kode, n in _by_kode(named, "kompetensi_dibutuhkan__kode").items():
        if r := row(kode):
            r.add("kebutuhan", n, f"{n} laporan menyebutnya sebagai kebutuhan lanjutan")
    groups = iklim_groups(tahun) if iklim is None else iklim
    _iklim(unit, groups, row)
    _masyarakat(unit, tahun, row)
    ranked = sorted((b for b in rows.values() if b.skor), key=_rank)
    _propose(unit, tahun, ranked, today, dampak)
    return ranked


def _rank(b: Baris) -> tuple:
    return -b.skor, b.kompetensi.kode


def analisis_opd(
    opds: list[UnitKerja], *, tahun: int, iklim, dampak, bukti=None
) -> dict[int, list[Baris]]:
    """analisis() of each of these OPDs (units of the top level), the same rows, from grouped
    queries over the province (each grouped by OPD as well): a dozen queries for any number of
    OPDs, where analisis() costs about ten per unit (the monitoring report, issue 24). `bukti`:
    the ranked evidence of these OPDs when the caller has it (bukti_tersimpan); `iklim` is then
    not read."""
    today = timezone.localdate()
    ranked = bukti_opd(opds, tahun=tahun, iklim=iklim) if bukti is None else bukti
    kodes = sorted({b.kompetensi.kode for found in ranked.values() for b in found})
    bahan = _bahan_usulan(kodes, opds, tahun, today)
    for unit in opds:
        _propose(unit, tahun, ranked[unit.pk], today, dampak, bahan)
    return ranked


def bukti_opd(opds: list[UnitKerja], *, tahun: int, iklim) -> dict[int, list[Baris]]:
    """The evidence part of analisis_opd: each OPD's rows with their score and evidence, ranked,
    without the proposals."""
    by_path = {u.path: u for u in opds}
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    rows: dict[int, dict[str, Baris]] = {u.pk: {} for u in opds}

    def row_of(opd_path: str):
        unit = by_path.get(opd_path)

        def row(kode: str) -> Baris | None:
            if unit is None or kode not in kompetensi:
                return None
            return rows[unit.pk].setdefault(kode, Baris(kompetensi[kode]))

        return row

    def per_opd(queryset, path: str, *fields: str, **annotations):
        opd = Substr(path, 1, UnitKerja.steplen)
        return queryset.annotate(_opd=opd).values("_opd", *fields).annotate(**annotations)

    akpk = per_opd(
        BarisRencana.objects.filter(
            rencana__status=RencanaPengembangan.Status.DISETUJUI,
            rencana__tahun__in=[tahun, tahun + 1],
            rencana__pegawai__aktif=True,
        ),
        "rencana__pegawai__unit__path", "kompetensi__kode", "rencana__tahun",
        n=Count("rencana__pegawai", distinct=True),
    ).order_by("rencana__tahun", "kompetensi__kode")  # fmt: skip
    for r in akpk:
        kode, year, n = r["kompetensi__kode"], r["rencana__tahun"], r["n"]
        if b := row_of(r["_opd"])(kode):
            b.add("akpk", n, f"AKPK {year}: {n} pegawai menyepakati pengembangannya dengan atasan")
    gaps = per_opd(
        StandarKompetensi.objects.filter(jabatan__pegawai__aktif=True).annotate(
            dinilai=_latest_level(OuterRef("jabatan__pegawai"), OuterRef("kompetensi"))
        ),
        "jabatan__pegawai__unit__path", "kompetensi__kode",
        kurang=Count("pk", filter=Q(dinilai__lt=F("level"))),
    ).order_by("-kurang", "kompetensi__kode")  # fmt: skip
    for gap in gaps:
        if b := row_of(gap["_opd"])(gap["kompetensi__kode"]):
            b.add("kesenjangan", gap["kurang"], f"{gap['kurang']} pegawai di bawah standar jabatan")
    evidence = [
        (
            Peserta.objects.filter(
                pegawai__aktif=True,
                nilai_post__isnull=False,
                nilai_post__lt=F("angkatan__nilai_lulus"),
            ),
            "angkatan__pelatihan__target__kompetensi__kode",
            "post_test",
            "{n} peserta dengan nilai post-test di bawah batas lulus",
        ),
        (
            LaporanPascaPelatihan.objects.filter(
                pegawai__aktif=True,
                status="diverifikasi",
                nilai_perubahan__lte=NILAI_L3_RENDAH,
            ),
            "peserta__angkatan__pelatihan__target__kompetensi__kode",
            "l3_rendah",
            "{n} laporan pasca pelatihan dengan perubahan kecil (L3)",
        ),
        (
            LaporanPascaPelatihan.objects.filter(pegawai__aktif=True),
            "kompetensi_dibutuhkan__kode",
            "kebutuhan",
            "{n} laporan menyebutnya sebagai kebutuhan lanjutan",
        ),
    ]
    for queryset, field_name, kind, text in evidence:
        counted = per_opd(
            queryset, "pegawai__unit__path", field_name, n=Count("pk", distinct=True)
        ).order_by()
        for r in counted:
            if r[field_name] and (b := row_of(r["_opd"])(r[field_name])):
                b.add(kind, r["n"], text.format(n=r["n"]))
    for unit in opds:
        _iklim(unit, iklim, row_of(unit.path))
    sums = per_opd(
        ResponSurvei.objects.filter(tanggal__year=tahun),
        "unit_layanan__unit__path", "unit_layanan__nama", **ikm_totals(),
    ).order_by("unit_layanan__nama")  # fmt: skip
    per_unit_sums: dict[str, list] = defaultdict(list)
    for totals in sums:
        per_unit_sums[totals["_opd"]].append(totals)
    complaints = dict(
        per_opd(
            Masukan.objects.filter(kategori="keluhan", created_at__year=tahun).exclude(
                status="spam"
            ),
            "unit_layanan__unit__path",
            n=Count("pk"),
        )
        .order_by()
        .values_list("_opd", "n")
    )
    for unit in opds:
        _ikm_rendah(per_unit_sums.get(unit.path, []), row_of(unit.path))
        _keluhan(complaints.get(unit.path, 0), row_of(unit.path))
    return {
        pk: sorted((b for b in found.values() if b.skor), key=_rank) for pk, found in rows.items()
    }


def bukti_simpan(*, tahun: int) -> int:
    """The nightly job: every OPD's evidence of the year (bukti_opd) stored anew, a row per OPD
    (an empty list without evidence), in one transaction. How many OPDs were stored."""
    opds = list(UnitKerja.objects.filter(depth=1).order_by("path"))
    ranked = bukti_opd(opds, tahun=tahun, iklim=iklim_groups(tahun))
    now = timezone.now()
    rows = [
        RingkasanKebutuhan(
            unit=unit, tahun=tahun, dihitung_at=now,
            baris=[{"kode": b.kompetensi.kode, "skor": b.skor, "bukti": b.bukti}
                   for b in ranked[unit.pk]],
        )
        for unit in opds
    ]  # fmt: skip
    with transaction.atomic():
        RingkasanKebutuhan.objects.filter(tahun=tahun).delete()
        RingkasanKebutuhan.objects.bulk_create(rows)
    return len(rows)


def bukti_tersimpan(
    opds: list[UnitKerja], *, tahun: int, sejak: date
) -> tuple[dict, datetime] | None:
    """bukti_opd of these OPDs as the nightly job stored it, when it was made after `sejak` for
    every one of them, and when it was made (the evidence is of that moment, not of `sejak`);
    None otherwise (the caller computes it)."""
    stored = list(
        RingkasanKebutuhan.objects.filter(tahun=tahun, unit__in=opds, dihitung_at__date__gt=sejak)
    )
    if len(stored) < len(opds):
        return None
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    bukti = {
        row.unit_id: [
            Baris(kompetensi[b["kode"]], b["skor"], b["bukti"])
            for b in row.baris
            if b["kode"] in kompetensi
        ]
        for row in stored
    }
    return bukti, min((row.dihitung_at for row in stored), default=timezone.now())


def akpk_permintaan(pegawai_ids, tahun: int) -> list[tuple[str, int, int]]:
    """Per competency and plan year (this one and the next being planned): how many of these
    pegawai have an agreed plan line for it. One grouped query."""
    rows = (
        BarisRencana.objects.filter(
            rencana__status=RencanaPengembangan.Status.DISETUJUI,
            rencana__tahun__in=[tahun, tahun + 1],
            rencana__pegawai__in=pegawai_ids,
        )
        .values("kompetensi__kode", "rencana__tahun")
        .annotate(n=Count("rencana__pegawai", distinct=True))
        .order_by("rencana__tahun", "kompetensi__kode")
    )
    return [(r["kompetensi__kode"], r["rencana__tahun"], r["n"]) for r in rows]


def iklim_groups(tahun: int) -> list:
    """The groups of the latest work-climate round of the year (none without a round)."""
    putaran = (
        PutaranIklim.objects.filter(tanggal_mulai__year=tahun).order_by("-tanggal_mulai").first()
    )
    # Only the scores: the change since the previous round and the free text are not needed.
    return evaluasi_reports.kelompok_iklim(putaran)[0] if putaran else []


def _iklim(unit: UnitKerja, groups: list, row) -> None:
    """The lowest dimensions of the unit's groups, when low."""
    for group in groups:
        if not group.unit.path.startswith(unit.path):
            continue
        for usulan in (u for u in group.usulan if u["skor"] < SKOR_IKLIM_RENDAH):
            for kode in usulan["kompetensi"]:
                if r := row(kode):
                    r.add(
                        "iklim", 1,
                        f"Iklim kerja {group.unit.nama}: {usulan['label']} "
                        f"{angka(usulan['skor'], 2)} ({usulan['uraian']})",
                    )  # fmt: skip


def _masyarakat(unit: UnitKerja, tahun: int, row) -> None:
    """Low IKM elements about the officers, and complaints, of the unit's service units."""
    layanan = UnitLayanan.objects.filter(
        unit__in=UnitKerja.objects.subtrees([unit.path]).values("pk")
    )
    sums = (
        ResponSurvei.objects.filter(unit_layanan__in=layanan, tanggal__year=tahun)
        .values("unit_layanan__nama")
        .annotate(**ikm_totals())
        .order_by("unit_layanan__nama")
    )
    _ikm_rendah(sums, row)
    complaints = (
        Masukan.objects.filter(unit_layanan__in=layanan, kategori="keluhan", created_at__year=tahun)
        .exclude(status="spam")
        .count()
    )
    _keluhan(complaints, row)


def _ikm_rendah(sums, row) -> None:
    names = {key: nama for key, nama, *_ in UNSUR}
    for totals in sums:
        nrr = ikm_from(totals).nrr
        for key, kompetensi in IKM_KOMPETENSI.items():
            if nrr[key] is None or nrr[key] >= NRR_RENDAH:
                continue
            for kode in kompetensi:
                if r := row(kode):
                    r.add(
                        "ikm", 1,
                        f"IKM {totals['unit_layanan__nama']}: {key.upper()} {names[key]} "
                        f"NRR {angka(nrr[key], 2)}",
                    )  # fmt: skip


def _keluhan(complaints: int, row) -> None:
    for kode in KELUHAN_KOMPETENSI:
        if r := row(kode):
            r.add("keluhan", complaints, f"{complaints} keluhan masyarakat tahun ini")


def _propose(
    unit: UnitKerja, tahun: int, rows: list[Baris], today: date, impact, bahan=None
) -> None:
    """For each row: the soonest open batch of a training that targets the competency, else such
    a training to plan a batch of, else a new training to design; what HR planned; and the
    trainings for it whose impact is clear, or absent after two batches. `bahan`: what
    _bahan_usulan read for several units at once."""
    if bahan is None:
        bahan = _bahan_usulan([r.kompetensi.kode for r in rows], [unit], tahun, today)
    by_kode, open_batches, planned_per_unit = bahan
    planned = planned_per_unit.get(unit.pk, {})
    for r in rows:
        trainings = by_kode.get(r.kompetensi.kode, [])
        batches = [open_batches[p.pk] for p in trainings if p.pk in open_batches]
        r.angkatan = min(batches, key=lambda b: b.tanggal_mulai) if batches else None
        r.pelatihan = trainings[0] if trainings and r.angkatan is None else None
        r.rencana = planned.get(r.kompetensi.pk)
    if impact is None:
        ids = sorted({p.pk for trainings in by_kode.values() for p in trainings})
        impact = dampak.selisih_per_pelatihan(sampai=today, pelatihan_ids=ids)
    for r in rows:
        trainings = by_kode.get(r.kompetensi.kode, [])
        r.dampak = [(p, impact[p.pk]) for p in trainings if p.pk in impact and impact[p.pk].tanda]


def _bahan_usulan(kodes: list[str], units: list, tahun: int, today: date):
    """The trainings per competency, the soonest open batch per training, and what HR planned
    per unit: three queries for any number of units."""
    targets = (
        PelatihanKompetensi.objects.filter(kompetensi__kode__in=kodes)
        .select_related("pelatihan", "kompetensi")
        .order_by("pk")
    )
    by_kode: dict[str, list] = defaultdict(list)
    for t in targets:
        by_kode[t.kompetensi.kode].append(t.pelatihan)
    open_batches = {}
    for batch in (
        Angkatan.objects.terbuka()
        .filter(pelatihan__target__kompetensi__kode__in=kodes, tanggal_mulai__gte=today)
        .select_related("pelatihan")
        .order_by("tanggal_mulai", "pk")
    ):
        open_batches.setdefault(batch.pelatihan_id, batch)
    planned: dict[int, dict] = defaultdict(dict)
    for k in KebutuhanPelatihan.objects.filter(unit__in=units, tahun=tahun).select_related(
        "angkatan__pelatihan"
    ):
        planned[k.unit_id][k.kompetensi_id] = k
    return by_kode, open_batches, planned


RENCANA_MULAI_HARI = 45  # a planned batch starts this many days on, unless HR says otherwise
JP_PELATIHAN_BARU = 24  # a training designed for a row, until its organisers set its JP
KUOTA_RENCANA = 30


@dataclass
class Usulan:
    """What "Rencanakan angkatan" proposes for a row, for HR to change before the batch is made:
    the training (None: one is designed for the competency on submit), the batch's days from its
    JP, and the unit's pegawai with the gap, nominated."""

    row: Baris
    pelatihan: Pelatihan | None
    jp: int
    hari: int
    nama: str
    tanggal_mulai: date
    tanggal_selesai: date
    kuota: int
    kandidat: list[Pegawai]


def usulan(unit: UnitKerja, kompetensi: Kompetensi, *, by: User, today: date) -> Usulan:
    """The proposal for one row; refused when the row may not be planned by this user."""
    if not (by.manages_province or by.can_manage_unit(unit)):
        raise PermissionDenied("Unit ini bukan unit kelolaan Anda.")
    if KebutuhanPelatihan.objects.filter(unit=unit, kompetensi=kompetensi, tahun=today.year):
        raise ValidationError("Kebutuhan ini sudah direncanakan tahun ini.")
    row = next((r for r in analisis(unit, tahun=today.year) if r.kompetensi == kompetensi), None)
    if row is None or not row.skor:
        raise ValidationError("Tidak ada bukti kebutuhan untuk kompetensi ini di unit ini.")
    pelatihan = row.angkatan.pelatihan if row.angkatan else row.pelatihan
    if pelatihan is not None and not can_manage_pelatihan(by, pelatihan):
        # Its organisers open its batches; this unit nominates its staff to them.
        raise ValidationError(
            f"{pelatihan.nama} diselenggarakan {pelatihan.unit_penyelenggara or 'provinsi'}; "
            "mintalah penyelenggaranya membuka angkatan, lalu daftarkan pegawai Anda di sana."
        )
    jp = pelatihan.jp if pelatihan and pelatihan.jp else JP_PELATIHAN_BARU
    libur = tanggal_libur()
    hari, start, end = jadwal(jp, today + timedelta(days=RENCANA_MULAI_HARI), libur=libur)
    # The pegawai with the gap, and those whose agreed plan names the competency (the AKPK).
    planned = BarisRencana.objects.filter(
        kompetensi=kompetensi,
        rencana__status=RencanaPengembangan.Status.DISETUJUI,
        rencana__tahun__gte=today.year,
    ).values("rencana__pegawai")
    gap = pegawai_di_bawah_standar(_scope(unit), kompetensi).values("pk")
    kandidat = list(
        _scope(unit)
        .filter(Q(pk__in=gap) | Q(pk__in=planned))
        .select_related("jabatan")
        .order_by("nama")
    )
    return Usulan(
        row=row,
        pelatihan=pelatihan,
        jp=jp,
        hari=hari,
        nama=f"Angkatan {unit.nama[:60]} {start.year}",
        tanggal_mulai=start,
        tanggal_selesai=end,
        kuota=max(KUOTA_RENCANA, len(kandidat)),
        kandidat=kandidat,
    )


def jadwal(jp: int, earliest: date, *, libur) -> tuple[int, date, date]:
    """A planned batch's days (from its JP), its first day (a Monday from `earliest` on, or the
    first working day after it) and its last working day."""
    hari = max(1, math.ceil(jp / JP_PER_HARI_PELATIHAN))
    start = earliest + timedelta(days=(7 - earliest.weekday()) % 7)
    while not is_working_day(start, libur=libur):
        start += timedelta(days=1)
    return hari, start, add_working_days(start, hari - 1, libur=libur)


EXPORT_HEADER = ["Peringkat", "Kode", "Kompetensi", "Skor", "Bukti", "Usulan", "Dampak pelatihan"]


def export_rows(rows: list[Baris]):
    for rank, r in enumerate(rows, start=1):
        if r.rencana:
            usulan = f"Direncanakan: {r.rencana.angkatan}"
        elif r.angkatan:
            usulan = f"Angkatan terbuka: {r.angkatan}"
        elif r.pelatihan:
            usulan = f"Rencanakan angkatan {r.pelatihan.nama}"
        else:
            usulan = "Rancang pelatihan baru"
        marks = "; ".join(f"{p.nama}: {s.tanda}, {s.teks}" for p, s in r.dampak)
        yield [
            rank,
            r.kompetensi.kode,
            r.kompetensi.nama,
            r.skor,
            "; ".join(r.bukti),
            usulan,
            marks,
        ]


def di_bawah_20_jp(unit: UnitKerja, tahun: int) -> int:
    return pns_di_bawah_target(_scope(unit), tahun).count()
