import operator
import unicodedata
from datetime import date
from functools import cached_property, reduce
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from pembinaan.lib.cache import Group, StalingQuerySet
from pembinaan.lib.db_router import HAK_AKSES
from pembinaan.lib.uploads import GeneratedName

from . import nip as nip_rules
from .referensi import HUKUMAN_DISIPLIN, golongan_label

# A chain of supervisors longer than this is treated as a data error rather than walked forever.
MAX_ATASAN_DEPTH = 30
# Cached (pembinaan.lib.cache): the unit tree, read by every page with a unit filter or select,
# and the jabatan names of every pegawai list. Measured (issue 18, bench/RESULTS.md): a read from
# the cache costs 0.9 ms where the query and its rows cost 1.3 ms at 250 units, 1.7 against 2.7
# at 1,000 and 9 against 12 at 5,000; the jabatan catalog grows the same way (47 in the demo,
# thousands nationally). A change starts a new generation after its commit (pegawai.signals, the
# querysets' bulk writes). A login's roles are never cached (User._peran).
UNIT_TREE = Group("unit", timeout=60)
JABATAN_NAMES = Group("jabatan", timeout=60)
# The columns of the pegawai list (PegawaiQuerySet.for_list).
LIST_COLUMNS = [
    "pk", "nip", "gelar_depan", "nama", "gelar_belakang", "aktif", "status_kepegawaian",
    "unit_id", "golongan_id", "jabatan_id",
]  # fmt: skip


class Peran(NamedTuple):
    """A login's roles, read once per request (User._peran)."""

    unit_ids: frozenset[int]  # the units it manages, all below included
    profil: "Pegawai | None"  # its pegawai, annotated with has_bawahan
    outside: bool  # its pegawai or a direct subordinate is outside unit_ids


class AkunHistory(HistoricalRecords):
    """The audit log of accounts (created, deactivated, roles changed). A login's own sign-in
    (last_login) and password change are not decisions about it: they leave no record."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        own = update_fields is not None and set(update_fields) <= {"last_login", "password"}
        if not created and (own or getattr(instance, "_password", None) is not None):
            return
        super().post_save(instance, created, using=using, **kwargs)


class User(AbstractUser):
    """A login. Roles: admin (superuser), pengelola provinsi (BKD/BPSDM: manages what belongs to
    the whole province), pengelola (manages unit subtrees), pegawai (linked to a Pegawai), atasan
    (derived: the pegawai is someone's direct supervisor)."""

    pengelola_provinsi = models.BooleanField(
        "pengelola provinsi",
        default=False,
        help_text="Pengelola BKD/BPSDM: kamus kompetensi dan standar, program beasiswa, kerja sama "
        "perguruan tinggi, periode penilaian lintas OPD, pelatihan tingkat provinsi.",
    )

    # Set when an administrator closed this login: a pengelola may not open it again.
    dinonaktifkan_admin = models.BooleanField("dinonaktifkan oleh administrator", default=False)
    # An account closed on the account pages (pegawai.services.akun_deactivate) while its
    # pegawai may stay active: why, by whom and when. Empty when it is open, or when it was
    # closed with its pegawai (pegawai_deactivate, whose reason is the pegawai's).
    alasan_nonaktif = models.CharField("alasan penonaktifan akun", max_length=500, blank=True)
    dinonaktifkan_oleh = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="dinonaktifkan oleh", editable=False,
    )  # fmt: skip
    dinonaktifkan_at = models.DateTimeField("dinonaktifkan pada", null=True, blank=True)

    class Surel(models.TextChoices):
        SEGERA = "segera", "Segera, satu surel untuk setiap pemberitahuan"
        HARIAN = "harian", "Ringkasan harian pukul 07.00 WIB"
        MATI = "mati", "Tidak dikirim surel (hanya di aplikasi)"

    # Empty: the default of the login's role (surel_notifikasi_efektif).
    surel_notifikasi = models.CharField(
        "surel pemberitahuan", max_length=10, choices=Surel.choices, blank=True
    )

    history = AkunHistory(excluded_fields=["password", "last_login", "date_joined"])

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.is_superuser

    @cached_property
    def _peran(self) -> "Peran":
        """What every page asks of a login (the sidebar, each access check): two or three indexed
        queries, read from the database once per request (request.user is a new instance each
        request) and never from a cache, so a withdrawn unit counts from the very next request."""
        if not self.pk:
            return Peran(frozenset(), None, False)
        # Read from the primary, never a lagging read replica: the router's hint for the reads
        # that decide access (pembinaan.lib.db_router.HAK_AKSES).
        unit_kerja = UnitKerja.objects.db_manager(hints=HAK_AKSES)
        pegawai = Pegawai.objects.db_manager(hints=HAK_AKSES)
        units = frozenset(unit_kerja.managed_by_pengelola(self).values_list("pk", flat=True))
        subordinates = Pegawai.objects.filter(atasan=OuterRef("pk"), aktif=True)
        profil = (
            pegawai.filter(user=self)
            .annotate(has_bawahan=Exists(subordinates))
            .select_related("unit")
            .first()
        )
        outside = profil is not None and (
            profil.unit_id not in units
            or pegawai.filter(atasan=profil).exclude(unit_id__in=units).exists()
        )
        return Peran(units, profil, outside)

    @property
    def unit_kelolaan_ids(self) -> frozenset[int]:
        """The units this user manages: those assigned to them and all below."""
        return self._peran.unit_ids

    @property
    def is_pengelola(self) -> bool:
        return bool(self.unit_kelolaan_ids)

    @property
    def is_pengelola_provinsi(self) -> bool:
        return self.is_active and self.pengelola_provinsi

    @property
    def manages_province(self) -> bool:
        """Admin or pengelola provinsi: who changes what belongs to the whole province."""
        return self.is_admin or self.is_pengelola_provinsi

    @property
    def is_manager(self) -> bool:
        """Admin or pengelola (of units or of the province): who manages pegawai, trainings,
        evaluation and citizens' input."""
        return self.is_admin or self.is_pengelola or self.is_pengelola_provinsi

    @property
    def pegawai_profil(self) -> "Pegawai | None":
        """The pegawai linked to this login, annotated with whether they supervise anyone."""
        return self._peran.profil

    @property
    def sees_beyond_managed_units(self) -> bool:
        """Whether this login's own pegawai or a subordinate sits outside the units it manages."""
        return self._peran.outside

    @property
    def is_atasan(self) -> bool:
        return self.pegawai_profil is not None and self.pegawai_profil.has_bawahan

    @cached_property
    def unit_dipimpin(self) -> "UnitKerja | None":
        """The unit this pegawai heads: their own, when they supervise someone and report to no
        one inside it (a kepala OPD reports to the Sekda, a kepala seksi to the kepala bidang)."""
        profil = self.pegawai_profil
        if profil is None or not profil.has_bawahan:
            return None
        atasan = Pegawai.objects.filter(pk=profil.atasan_id).select_related("unit").first()
        if atasan is not None and atasan.unit.path.startswith(profil.unit.path):
            return None
        return profil.unit

    @property
    def surel_notifikasi_bawaan(self) -> str:
        """The role's default: HR officers, who receive many items a day, a morning digest;
        everyone else each notification as it happens."""
        return self.Surel.HARIAN if self.is_manager else self.Surel.SEGERA

    @property
    def surel_notifikasi_efektif(self) -> str:
        return self.surel_notifikasi or self.surel_notifikasi_bawaan

    @property
    def alamat_surel(self) -> str:
        """Where this login's mail goes: its own address, else its pegawai's."""
        profil = self.pegawai_profil
        return self.email or (profil.email if profil is not None else "")

    def can_manage_unit(self, unit: "UnitKerja | UnitPilihan") -> bool:
        return self.can_manage_unit_id(unit.pk)

    def can_manage_unit_id(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.unit_kelolaan_ids


class UnitKerjaQuerySet(StalingQuerySet, MP_NodeQuerySet):
    cache_group = UNIT_TREE

    def subtrees(self, paths: list[str]) -> "UnitKerjaQuerySet":
        """The units at or below any of these tree paths."""
        if not paths:
            return self.none()
        return self.filter(reduce(operator.or_, (Q(path__startswith=path) for path in paths)))

    def managed_by_pengelola(self, user: User) -> "UnitKerjaQuerySet":
        """Units at or below one assigned to this pengelola: the path starts with theirs."""
        assigned = UnitKerja.objects.filter(
            pengelola=user, path=Substr(OuterRef("path"), 1, Length("path"))
        )
        return self.filter(Exists(assigned))

    def managed_by(self, user: User) -> "UnitKerjaQuerySet":
        if user.is_admin:
            return self.all()
        return self.filter(pk__in=user.unit_kelolaan_ids)


class UnitKerjaManager(MP_NodeManager.from_queryset(UnitKerjaQuerySet)):
    def get_queryset(self) -> UnitKerjaQuerySet:
        # treebeard's manager builds its own queryset class; keep its tree ordering, with ours.
        return UnitKerjaQuerySet(self.model, using=self._db, hints=self._hints).order_by("path")


class UnitKerja(MP_Node):
    """An organisation unit: OPD → bidang → seksi, stored as a materialised path."""

    class Jenis(models.TextChoices):
        OPD = "opd", "Perangkat Daerah (OPD)"
        BIDANG = "bidang", "Bidang/Bagian"
        SEKSI = "seksi", "Seksi/Subbagian"
        UPTD = "uptd", "UPTD"

    steplen = 4

    kode = models.CharField("kode unit", max_length=40, unique=True)
    nama = models.CharField("nama unit", max_length=200)
    jenis = models.CharField("jenis unit", max_length=10, choices=Jenis.choices)
    pengelola = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="unit_dikelola",
        verbose_name="pengelola kepegawaian",
        help_text="Pengelola yang mengurus pegawai di unit ini dan seluruh sub-unitnya.",
    )

    objects = UnitKerjaManager()

    class Meta:
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"

    def __str__(self) -> str:
        return self.nama

    @property
    def label_bertingkat(self) -> str:
        """The name indented by depth, for select options listed in tree order."""
        return indented(self.depth, self.nama)

    @property
    def label_jalur(self) -> str:
        """The name with its OPD path, as every unit choice shows it (from the cached tree)."""
        return unit_jalur().get(self.pk, self.nama)


def indented(depth: int, nama: str) -> str:
    return f"{'— ' * (depth - 1)}{nama}"


# Between the names of a unit's path: "Dinas Kesehatan › Bidang P2P › Seksi Surveilans".
JALUR_SEP = " › "


class UnitPilihan(NamedTuple):
    """A unit as dropdowns and subtree filters need it."""

    pk: int
    path: str
    depth: int
    nama: str
    # The names from its OPD down to it: many units share a leaf name ("Seksi Evaluasi").
    jalur: str = ""
    kode: str = ""

    @property
    def label_bertingkat(self) -> str:
        return indented(self.depth, self.nama)

    @property
    def label_jalur(self) -> str:
        return self.jalur or self.nama


def unit_pilihan(user: User) -> list[UnitPilihan]:
    """The units this user manages, in tree order. The whole tree (a few hundred rows) is read
    once and cached until a unit is saved, moved or removed (pegawai.signals)."""
    tree = unit_tree()
    if user.is_admin:
        return tree
    managed = user.unit_kelolaan_ids
    return [u for u in tree if u.pk in managed]


def unit_tree() -> list[UnitPilihan]:
    """Every unit in tree order, cached until a unit changes."""
    return UNIT_TREE.get("semua", _unit_tree)


def _unit_tree() -> list[UnitPilihan]:
    rows = UnitKerja.objects.order_by("path").values_list("pk", "path", "depth", "nama", "kode")
    jalur: dict[str, str] = {}  # by tree path; a parent comes before its children
    units = []
    for pk, path, depth, nama, kode in rows:
        parent = jalur.get(path[: -UnitKerja.steplen])
        jalur[path] = f"{parent}{JALUR_SEP}{nama}" if parent else nama
        units.append(UnitPilihan(pk, path, depth, nama, jalur[path], kode))
    return units


def unit_pilihan_provinsi(user: User) -> list[UnitPilihan]:
    """The units of a page over the province: every unit for its HR and administrators, the
    units they manage for a unit's HR."""
    return unit_tree() if user.manages_province else unit_pilihan(user)


# The units a unit picker offers (pegawai.forms.UnitCariField), by the name its search asks
# pegawai:unit_cari with: the units the user manages, those of a page over the province, or any
# unit (the target of a move, a login's units: forms that have always listed the whole tree).
UNIT_LINGKUP = {
    "kelola": unit_pilihan,
    "provinsi": unit_pilihan_provinsi,
    "semua": lambda user: unit_tree(),
}

UNIT_CARI_MIN = 2
UNIT_CARI_MAX = 100
UNIT_CARI_HASIL = 20


def unit_search(units: list[UnitPilihan], q: str) -> list[UnitPilihan]:
    """The first units (in tree order) whose OPD path or code holds every word typed. Nothing
    for fewer than UNIT_CARI_MIN or more than UNIT_CARI_MAX characters. What is typed is read
    as static/js/select-cari.js reads it: full-width "ＢＫＤ" (a phone's keyboard, a pasted name)
    as BKD, "Kesehatán" as kesehatan."""
    decomposed = unicodedata.normalize("NFKD", q)
    q = " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
    if not UNIT_CARI_MIN <= len(q) <= UNIT_CARI_MAX:
        return []
    words = q.casefold().split()
    found = []
    for unit in units:
        text = f"{unit.label_jalur} {unit.kode}".casefold()
        if all(word in text for word in words):
            found.append(unit)
            if len(found) == UNIT_CARI_HASIL:
                break
    return found


def unit_jalur() -> dict[int, str]:
    """Every unit's name with its OPD path, by id."""
    return {u.pk: u.label_jalur for u in unit_tree()}


def jabatan_names() -> dict[int, str]:
    """Every jabatan's name by id, cached until a jabatan is saved or removed (pegawai.signals)."""
    return JABATAN_NAMES.get("semua", lambda: dict(Jabatan.objects.values_list("pk", "nama")))


def jabatan_labels() -> dict[int, tuple[str, str]]:
    """Every jabatan's name and kind (as shown) by id, cached like their names."""
    return JABATAN_NAMES.get("jenis", _jabatan_labels)


def _jabatan_labels() -> dict[int, tuple[str, str]]:
    kinds = dict(Jabatan.Jenis.choices)
    rows = Jabatan.objects.values_list("pk", "nama", "jenis")
    return {pk: (nama, str(kinds.get(jenis, jenis))) for pk, nama, jenis in rows}


def ancestor_ids(units: list[UnitPilihan], chosen: "UnitKerja | UnitPilihan") -> list[int]:
    """Of these units in tree order, those above the chosen one (its OPD first)."""
    return [u.pk for u in units if chosen.path.startswith(u.path) and u.pk != chosen.pk]


def subtree_ids(units: list[UnitPilihan], chosen: "UnitKerja | UnitPilihan") -> list[int]:
    """Of these units in tree order, the chosen one and all below it."""
    return [u.pk for u in units if u.path.startswith(chosen.path)]


class Golongan(models.Model):
    """PNS golongan/ruang (SIASN codes 11–45) and PPPK grades (here 101–117)."""

    class Jenis(models.TextChoices):
        PNS = "pns", "PNS"
        PPPK = "pppk", "PPPK"

    kode = models.PositiveSmallIntegerField("kode", primary_key=True)
    jenis = models.CharField(max_length=4, choices=Jenis.choices)
    ruang = models.CharField("golongan/ruang", max_length=5)
    pangkat = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "golongan"
        verbose_name_plural = "golongan"
        ordering = ["kode"]
        constraints = [
            models.UniqueConstraint(fields=["jenis", "ruang"], name="golongan_unique_ruang")
        ]

    def __str__(self) -> str:
        return golongan_label(self.ruang, self.pangkat)


class JabatanQuerySet(StalingQuerySet):
    cache_group = JABATAN_NAMES


class Jabatan(models.Model):
    """A position (UU 20/2023): managerial or not; fungsional positions carry a jenjang."""

    class Jenis(models.TextChoices):
        JPT_UTAMA = "jpt_utama", "JPT Utama"
        JPT_MADYA = "jpt_madya", "JPT Madya"
        JPT_PRATAMA = "jpt_pratama", "JPT Pratama"
        ADMINISTRATOR = "administrator", "Administrator"
        PENGAWAS = "pengawas", "Pengawas"
        FUNGSIONAL = "fungsional", "Fungsional"
        PELAKSANA = "pelaksana", "Pelaksana"

    class Jenjang(models.TextChoices):
        AHLI_PERTAMA = "ahli_pertama", "Ahli Pertama"
        AHLI_MUDA = "ahli_muda", "Ahli Muda"
        AHLI_MADYA = "ahli_madya", "Ahli Madya"
        AHLI_UTAMA = "ahli_utama", "Ahli Utama"
        PEMULA = "pemula", "Pemula"
        TERAMPIL = "terampil", "Terampil"
        MAHIR = "mahir", "Mahir"
        PENYELIA = "penyelia", "Penyelia"

    MANAJERIAL = {
        Jenis.JPT_UTAMA,
        Jenis.JPT_MADYA,
        Jenis.JPT_PRATAMA,
        Jenis.ADMINISTRATOR,
        Jenis.PENGAWAS,
    }

    nama = models.CharField("nama jabatan", max_length=200, unique=True)
    jenis = models.CharField("jenis jabatan", max_length=20, choices=Jenis.choices)
    jenjang = models.CharField(
        "jenjang",
        max_length=20,
        choices=Jenjang.choices,
        blank=True,
        help_text="Hanya untuk jabatan fungsional.",
    )

    objects = JabatanQuerySet.as_manager()

    class Meta:
        verbose_name = "jabatan"
        verbose_name_plural = "jabatan"
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(jenis="fungsional") & ~Q(jenjang=""))
                | (~Q(jenis="fungsional") & Q(jenjang="")),
                name="jabatan_jenjang_only_for_fungsional",
                violation_error_message="Jenjang wajib diisi untuk jabatan fungsional, dan "
                "dikosongkan untuk jabatan lain.",
            )
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def is_manajerial(self) -> bool:
        return self.jenis in self.MANAJERIAL


class PegawaiQuerySet(models.QuerySet):
    def aktif(self) -> "PegawaiQuerySet":
        return self.filter(aktif=True)

    def mulai_bekerja_sampai(self, year: int) -> "PegawaiQuerySet":
        """Pegawai who had started by the end of `year` (TMT CPNS; PPPK, who have none, all):
        a past year's figures do not count those appointed after it."""
        return self.filter(Q(tmt_cpns__isnull=True) | Q(tmt_cpns__lte=date(year, 12, 31)))

    def di_unit(self, unit: "UnitKerja | UnitPilihan") -> "PegawaiQuerySet":
        """Pegawai of this unit and all its sub-units. The unit ids come from the cached tree: a
        literal list lets PostgreSQL use the unit index, where an IN (subquery) made it scan the
        table."""
        return self.filter(unit_id__in=subtree_ids(unit_tree(), unit))

    def visible_to(self, user: User) -> "PegawaiQuerySet":
        """Admin: all. Pengelola: their unit subtrees. Everyone: themselves and their direct
        subordinates. Written on indexed pegawai columns with literal values (no join, no
        subquery), so PostgreSQL can combine three index scans instead of scanning the table."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        conditions = []
        profil = user.pegawai_profil
        # Themselves and their subordinates, unless the units they manage hold them all already:
        # the OR of three scans cost a pengelola's list its index-only count.
        if profil is not None and (user.sees_beyond_managed_units or not user.unit_kelolaan_ids):
            conditions += [Q(pk=profil.pk), Q(atasan_id=profil.pk)]
        if user.unit_kelolaan_ids:
            conditions.append(Q(unit_id__in=sorted(user.unit_kelolaan_ids)))
        if not conditions:
            return self.none()
        return self.filter(reduce(operator.or_, conditions))

    def managed_by(self, user: User) -> "PegawaiQuerySet":
        """The pegawai this user may change: admin all, pengelola their unit subtrees."""
        if user.is_admin:
            return self.all()
        return self.filter(unit_id__in=sorted(user.unit_kelolaan_ids))

    def for_list(self, *also: str) -> "PegawaiQuerySet":
        """The columns of a pegawai list (and `also` these, annotations say) as plain rows of
        one table; pegawai.reports.list_rows names their unit, golongan and jabatan. Model
        instances, and the joins PostgreSQL plans anew for every page, cost a list page more
        than reading its rows."""
        return self.order_by("nama", "pk").values(*LIST_COLUMNS, *also)


def nama_lengkap(gelar_depan: str, nama: str, gelar_belakang: str) -> str:
    """The name with its academic titles: "dr. Ahmad Fauzi, M.Kes."."""
    name = f"{gelar_depan} {nama}".strip()
    return f"{name}, {gelar_belakang}" if gelar_belakang else name


class Pegawai(models.Model):
    class StatusKepegawaian(models.TextChoices):
        PNS = "pns", "PNS"
        CPNS = "cpns", "CPNS"
        PPPK = "pppk", "PPPK"

    class JenisKelamin(models.TextChoices):
        LAKI_LAKI = "L", "Laki-laki"
        PEREMPUAN = "P", "Perempuan"

    class Pendidikan(models.TextChoices):
        SD = "sd", "SD"
        SMP = "smp", "SMP"
        SMA = "sma", "SMA/SMK"
        D1 = "d1", "D-I"
        D2 = "d2", "D-II"
        D3 = "d3", "D-III"
        D4 = "d4", "D-IV"
        S1 = "s1", "S-1"
        S2 = "s2", "S-2"
        S3 = "s3", "S-3"

    class AlasanNonaktif(models.TextChoices):
        PENSIUN = "pensiun", "Pensiun"
        PINDAH = "pindah", "Pindah ke instansi lain"
        MENINGGAL = "meninggal", "Meninggal dunia"
        BERHENTI = "berhenti", "Berhenti/diberhentikan"
        KONTRAK_BERAKHIR = "kontrak_berakhir", "Kontrak PPPK berakhir"

    # What describes a pegawai beside the NIP: edited in the form, updated by the import.
    DATA_FIELDS = [
        "gelar_depan", "nama", "gelar_belakang", "status_kepegawaian", "jenis_kelamin",
        "tempat_lahir", "tanggal_lahir", "tmt_cpns", "tmt_pns", "golongan", "tmt_golongan",
        "jabatan", "tmt_jabatan", "unit", "atasan", "pendidikan_terakhir", "email", "telepon",
    ]  # fmt: skip

    nip = models.CharField(
        "NIP / NI PPPK",
        max_length=18,
        unique=True,
        help_text="18 digit, boleh ditulis dengan spasi: 19660801 198803 1 001.",
    )
    gelar_depan = models.CharField("gelar depan", max_length=30, blank=True)
    nama = models.CharField("nama", max_length=150, help_text="Tanpa gelar.")
    gelar_belakang = models.CharField("gelar belakang", max_length=60, blank=True)
    status_kepegawaian = models.CharField(
        "status kepegawaian", max_length=4, choices=StatusKepegawaian.choices
    )
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices)
    tempat_lahir = models.CharField("tempat lahir", max_length=100)
    tanggal_lahir = models.DateField("tanggal lahir")
    tmt_cpns = models.DateField("TMT CPNS", null=True, blank=True)
    tmt_pns = models.DateField("TMT PNS", null=True, blank=True)
    golongan = models.ForeignKey(
        Golongan, on_delete=models.PROTECT, verbose_name="golongan", related_name="+"
    )
    tmt_golongan = models.DateField("TMT golongan")
    jabatan = models.ForeignKey(
        Jabatan, on_delete=models.PROTECT, verbose_name="jabatan", related_name="pegawai"
    )
    tmt_jabatan = models.DateField("TMT jabatan")
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, verbose_name="unit kerja", related_name="pegawai"
    )
    atasan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="atasan langsung",
        related_name="bawahan",
    )
    pendidikan_terakhir = models.CharField(
        "pendidikan terakhir", max_length=3, choices=Pendidikan.choices
    )
    email = models.EmailField("email", blank=True)
    # Who last changed the email, and when: an account invitation to an address an officer
    # changed within a day needs a second person (pegawai.access.can_invite).
    email_diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip
    email_diubah_at = models.DateTimeField(null=True, blank=True, editable=False)
    telepon = models.CharField("telepon", max_length=20, blank=True)
    aktif = models.BooleanField("aktif", default=True)
    alasan_nonaktif = models.CharField(
        "alasan nonaktif", max_length=20, choices=AlasanNonaktif.choices, blank=True
    )
    tanggal_nonaktif = models.DateField("tanggal nonaktif", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="akun pengguna",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who changed the email is the history's own author; its two bookkeeping fields stay out.
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "email_diubah_oleh", "email_diubah_at"]
    )
    objects = PegawaiQuerySet.as_manager()

    class Meta:
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        ordering = ["nama", "pk"]
        indexes = [
            # The list's order, with its columns: a page, searched by part of a name or
            # filtered by units, is read from the index alone (PostgreSQL).
            models.Index(
                fields=["nama", "id"],
                include=[
                    "aktif",
                    "unit",
                    "nip",
                    "gelar_depan",
                    "gelar_belakang",
                    "status_kepegawaian",
                    "golongan",
                    "jabatan",
                ],
                name="pegawai_daftar",
            ),
            # The active pegawai of a set of units, counted from the index alone (the list's
            # count of an OPD, the scopes of every report).
            models.Index(fields=["unit"], condition=Q(aktif=True), name="pegawai_aktif_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(atasan__isnull=True) | ~Q(atasan=models.F("pk")),
                name="pegawai_atasan_not_self",
                violation_error_message="Pegawai tidak dapat menjadi atasan dirinya sendiri.",
            ),
            models.CheckConstraint(
                condition=Q(aktif=True) | ~Q(alasan_nonaktif=""),
                name="pegawai_nonaktif_has_alasan",
                violation_error_message="Pegawai nonaktif harus punya alasan.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama_lengkap} ({self.nip_tampil})"

    def get_absolute_url(self) -> str:
        return reverse("pegawai:detail", args=[self.pk])

    @property
    def nama_lengkap(self) -> str:
        return nama_lengkap(self.gelar_depan, self.nama, self.gelar_belakang)

    @property
    def nip_tampil(self) -> str:
        return nip_rules.format_nip(self.nip)

    @property
    def is_pppk(self) -> bool:
        return self.status_kepegawaian == self.StatusKepegawaian.PPPK

    def usia(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        born = self.tanggal_lahir
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def masa_kerja(self, on: date | None = None) -> tuple[int, int]:
        """Years and months since TMT CPNS (for PPPK: since the golongan TMT)."""
        start = self.tmt_cpns or self.tmt_golongan
        on = on or timezone.localdate()
        months = (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)
        return max(months, 0) // 12, max(months, 0) % 12

    def clean(self) -> None:
        errors = self.identity_errors()
        if self.atasan_id:
            problem = self._atasan_problem()
            if problem:
                errors.setdefault("atasan", []).append(problem)
        if self.pk:
            conflicts = riwayat_conflicts(self, riwayat_terakhir([self.pk]).get(self.pk))
            for field, message in conflicts.items():
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def identity_errors(self) -> dict[str, list[str]]:
        """The rules of one row that need no query: NIP against birth date and gender, golongan
        against status, the TMT dates. Shared by the form and the bulk import."""
        self.nip = nip_rules.normalize(self.nip)
        errors: dict[str, list[str]] = {}
        try:
            if self.is_pppk:
                info = nip_rules.parse_ni_pppk(self.nip)
            else:
                info = nip_rules.parse_nip(self.nip)
        except ValidationError as error:
            errors["nip"] = error.messages
            info = None
        if info and self.tanggal_lahir and info.tanggal_lahir != self.tanggal_lahir:
            errors.setdefault("tanggal_lahir", []).append(
                f"Tanggal lahir tidak sesuai dengan NIP ({info.tanggal_lahir:%d/%m/%Y})."
            )
        if info and info.jenis_kelamin and self.jenis_kelamin != info.jenis_kelamin:
            errors.setdefault("jenis_kelamin", []).append(
                f"Jenis kelamin tidak sesuai dengan digit ke-15 NIP "
                f"({self.JenisKelamin(info.jenis_kelamin).label})."
            )
        if self.golongan_id and self.status_kepegawaian:
            wanted = Golongan.Jenis.PPPK if self.is_pppk else Golongan.Jenis.PNS
            if self.golongan.jenis != wanted:
                errors.setdefault("golongan", []).append(
                    f"Pilih golongan {Golongan.Jenis(wanted).label} untuk pegawai berstatus "
                    f"{self.get_status_kepegawaian_display()}."
                )
        if not self.is_pppk and self.status_kepegawaian and not self.tmt_cpns:
            errors.setdefault("tmt_cpns", []).append("TMT CPNS wajib diisi untuk PNS dan CPNS.")
        if self.status_kepegawaian == self.StatusKepegawaian.PNS and not self.tmt_pns:
            errors.setdefault("tmt_pns", []).append("TMT PNS wajib diisi untuk PNS.")
        if self.tmt_cpns and self.tmt_pns and self.tmt_pns < self.tmt_cpns:
            errors.setdefault("tmt_pns", []).append("TMT PNS tidak boleh sebelum TMT CPNS.")
        return errors

    def _atasan_problem(self) -> str | None:
        if self.pk and self.atasan_id == self.pk:
            return "Pegawai tidak dapat menjadi atasan dirinya sendiri."
        seen = set()
        current = self.atasan_id
        for _ in range(MAX_ATASAN_DEPTH):
            if current is None:
                return None
            if self.pk and current == self.pk:
                return (
                    "Atasan ini membuat rantai atasan melingkar "
                    "(atasannya adalah bawahan pegawai ini)."
                )
            if current in seen:
                return None
            seen.add(current)
            current = Pegawai.objects.filter(pk=current).values_list("atasan_id", flat=True).first()
        return "Rantai atasan terlalu panjang; periksa data atasan."


class CatatanDisiplin(models.Model):
    """A disciplinary sanction imposed on a pegawai (PP 94/2021), as its SK states it: kept by
    the HR of the pegawai's unit, read by the pegawai. The IP ASN's discipline dimension reads it
    (pembinaan.ip_asn)."""

    class Tingkat(models.TextChoices):
        RINGAN = "ringan", "Ringan"
        SEDANG = "sedang", "Sedang"
        BERAT = "berat", "Berat"

    JenisHukuman = models.TextChoices(
        "JenisHukuman",
        [(v.upper(), (v, label)) for items in HUKUMAN_DISIPLIN.values() for v, label in items],
    )

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="catatan_disiplin", verbose_name="pegawai"
    )
    tingkat = models.CharField("tingkat hukuman", max_length=10, choices=Tingkat.choices)
    jenis_hukuman = models.CharField("jenis hukuman", max_length=30, choices=JenisHukuman.choices)
    nomor_sk = models.CharField("nomor SK", max_length=100)
    tanggal_sk = models.DateField("tanggal SK")
    tmt = models.DateField("TMT hukuman", help_text="Tanggal mulai berlakunya hukuman.")
    tanggal_selesai = models.DateField(
        "berakhir", null=True, blank=True,
        help_text="Kosongkan untuk hukuman tanpa masa berlaku (teguran, pemberhentian).",
    )  # fmt: skip
    keterangan = models.TextField("keterangan", blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Who recorded or corrected a sanction, and what it said before (pembinaan.audit "disiplin").
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "catatan hukuman disiplin"
        verbose_name_plural = "catatan hukuman disiplin"
        ordering = ["-tmt", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=models.F("tmt")),
                name="disiplin_selesai_setelah_tmt",
                violation_error_message="Tanggal berakhir tidak boleh sebelum TMT hukuman.",
            ),
            models.CheckConstraint(
                condition=Q(tmt__gte=models.F("tanggal_sk")),
                name="disiplin_tmt_setelah_sk",
                violation_error_message="TMT hukuman tidak boleh sebelum tanggal SK.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_hukuman_display()} ({self.nomor_sk})"

    def clean(self) -> None:
        allowed = {value for value, _ in HUKUMAN_DISIPLIN.get(self.tingkat, [])}
        if self.tingkat and self.jenis_hukuman and self.jenis_hukuman not in allowed:
            raise ValidationError(
                {
                    "jenis_hukuman": f"Jenis hukuman ini bukan hukuman disiplin "
                    f"{self.get_tingkat_display().lower()} (PP 94/2021 Pasal 8)."
                }
            )

    def berlaku_pada_tahun(self, tahun: int) -> bool:
        """Whether the sanction ran during this year: from its TMT to its end (a sanction
        without an end, a reprimand, counts in its TMT's year)."""
        akhir = self.tanggal_selesai or self.tmt
        return self.tmt.year <= tahun <= akhir.year


# --- Career history (riwayat), as SIASN keeps it (domain.md §8) -------------------------------
# The current values on Pegawai (golongan/tmt_golongan, jabatan/tmt_jabatan, pendidikan_terakhir,
# unit) are the latest rows of these histories; pegawai.services keeps them so.

# Dates before this are typing errors (no serving ASN was appointed earlier).
RIWAYAT_TANGGAL_AWAL = date(1950, 1, 1)
# The SK and ijazah scans: PDF or images, 5 MB (pembinaan.lib.uploads), private: served only by
# pegawai.views.riwayat_dokumen after pegawai.access.can_read_riwayat_dokumen.
RIWAYAT_DOKUMEN = GeneratedName("riwayat/%Y/%m/")


def _tanggal_wajar(field: str, *, nullable: bool = False) -> Q:
    sane = Q(**{f"{field}__gte": RIWAYAT_TANGGAL_AWAL})
    return sane | Q(**{f"{field}__isnull": True}) if nullable else sane


class RiwayatSK(models.Model):
    """What every dated history row carries: the decree (SK) that set it, and its scan."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")
    tmt = models.DateField("TMT")
    nomor_sk = models.CharField("nomor SK", max_length=100, blank=True)
    tanggal_sk = models.DateField("tanggal SK", null=True, blank=True)
    dokumen = models.FileField(
        "berkas SK",
        upload_to=RIWAYAT_DOKUMEN,
        blank=True,
        help_text="PDF, PNG atau JPEG, paling besar 5 MB.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-tmt", "-pk"]

    def clean(self) -> None:
        errors = {}
        if self.tmt and self.tmt < RIWAYAT_TANGGAL_AWAL:
            errors["tmt"] = (
                f"TMT sebelum {RIWAYAT_TANGGAL_AWAL:%Y} tidak mungkin; periksa tahunnya."
            )
        if self.tanggal_sk and self.tanggal_sk < RIWAYAT_TANGGAL_AWAL:
            errors["tanggal_sk"] = "Tanggal SK tidak mungkin; periksa tahunnya."
        # A history records what holds: a decree for a later date is entered once it holds
        # (the current values follow the latest row at once).
        today = timezone.localdate()
        if self.tmt and self.tmt > today:
            errors["tmt"] = "TMT tidak boleh setelah hari ini; catat riwayat ini saat berlaku."
        if self.tanggal_sk and self.tanggal_sk > today:
            errors["tanggal_sk"] = "Tanggal SK tidak boleh setelah hari ini."
        if self.tmt and self.pegawai_id and self.tmt <= self.pegawai.tanggal_lahir:
            errors["tmt"] = "TMT harus sesudah tanggal lahir pegawai."
        if errors:
            raise ValidationError(errors)


def _riwayat_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(
            fields=["pegawai", "tmt"],
            name=f"{prefix}_satu_per_tmt",
            violation_error_message="Pegawai ini sudah punya riwayat dengan TMT yang sama; "
            "ubah baris itu.",
        ),
        models.CheckConstraint(
            condition=_tanggal_wajar("tmt") & _tanggal_wajar("tanggal_sk", nullable=True),
            name=f"{prefix}_tanggal_wajar",
            violation_error_message="Tanggal riwayat tidak mungkin; periksa tahunnya.",
        ),
    ]


class RiwayatJabatan(RiwayatSK):
    """A position held from its TMT (SIASN riwayat jabatan: jabatanId, tmtJabatan, nomorSk,
    tanggalSk)."""

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="riwayat_jabatan", verbose_name="pegawai"
    )
    jabatan = models.ForeignKey(
        Jabatan, on_delete=models.PROTECT, related_name="+", verbose_name="jabatan"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(RiwayatSK.Meta):
        verbose_name = "riwayat jabatan"
        verbose_name_plural = "riwayat jabatan"
        constraints = _riwayat_constraints("riwayat_jabatan")

    def __str__(self) -> str:
        return f"{self.jabatan} (TMT {self.tmt:%d/%m/%Y})"


class RiwayatGolongan(RiwayatSK):
    """A golongan/pangkat from its TMT (SIASN riwayat golongan: golonganId, tmtGolongan,
    skNomor, skTanggal, jenisKPId/jenisKPNama)."""

    class JenisKenaikan(models.TextChoices):
        # The kinds of kenaikan pangkat of PP 99/2000 as amended by PP 12/2002 (reguler, pilihan,
        # and the special promotions), as SIASN's jenisKPNama names them; the first appointment
        # (CPNS or PPPK) is not a promotion but starts the history.
        PENGANGKATAN = "pengangkatan", "Pengangkatan pertama (CPNS/PPPK)"
        REGULER = "reguler", "Reguler"
        PILIHAN_STRUKTURAL = "pilihan_struktural", "Pilihan (jabatan struktural)"
        PILIHAN_FUNGSIONAL = "pilihan_fungsional", "Pilihan (jabatan fungsional tertentu)"
        PENYESUAIAN_IJAZAH = "penyesuaian_ijazah", "Pilihan (penyesuaian ijazah)"
        PRESTASI = "prestasi", "Anumerta/prestasi luar biasa"
        PENGABDIAN = "pengabdian", "Pengabdian"
        LAINNYA = "lainnya", "Lainnya"

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="riwayat_golongan", verbose_name="pegawai"
    )
    golongan = models.ForeignKey(
        Golongan, on_delete=models.PROTECT, related_name="+", verbose_name="golongan"
    )
    jenis_kenaikan = models.CharField(
        "jenis kenaikan pangkat", max_length=20, choices=JenisKenaikan.choices, blank=True
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(RiwayatSK.Meta):
        verbose_name = "riwayat golongan"
        verbose_name_plural = "riwayat golongan"
        constraints = _riwayat_constraints("riwayat_golongan")

    def __str__(self) -> str:
        return f"{self.golongan} (TMT {self.tmt:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.golongan_id and self.pegawai_id and self.pegawai.status_kepegawaian:
            wanted = Golongan.Jenis.PPPK if self.pegawai.is_pppk else Golongan.Jenis.PNS
            if self.golongan.jenis != wanted:
                raise ValidationError(
                    {"golongan": f"Pilih golongan {Golongan.Jenis(wanted).label} untuk pegawai "
                     f"berstatus {self.pegawai.get_status_kepegawaian_display()}."}
                )  # fmt: skip


class RiwayatMutasi(RiwayatSK):
    """A move from one unit to another from its TMT. The first row of a pegawai has no unit of
    origin: their placement when they entered SIBINA's records."""

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="riwayat_mutasi", verbose_name="pegawai"
    )
    unit_asal = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name="unit asal",
    )  # fmt: skip
    unit_tujuan = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="+", verbose_name="unit tujuan"
    )
    alasan = models.CharField("alasan", max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta(RiwayatSK.Meta):
        verbose_name = "riwayat mutasi"
        verbose_name_plural = "riwayat mutasi"
        constraints = [
            *_riwayat_constraints("riwayat_mutasi"),
            models.CheckConstraint(
                condition=Q(unit_asal__isnull=True) | ~Q(unit_asal=models.F("unit_tujuan")),
                name="riwayat_mutasi_pindah_unit",
                violation_error_message="Unit tujuan harus berbeda dari unit asal.",
            ),
        ]
        indexes = [
            # The former units' HR reading the period a pegawai was theirs.
            models.Index(fields=["unit_asal", "pegawai"], name="riwayat_mutasi_asal"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_asal or '–'} → {self.unit_tujuan} (TMT {self.tmt:%d/%m/%Y})"


class RiwayatPendidikan(models.Model):
    """A completed level of education (SIASN riwayat pendidikan: tkPendidikanId, namaSekolah,
    pendidikanNama, tahunLulus, nomorIjasah). The year may be unknown for rows made from the
    pegawai record itself (before the history was kept)."""

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="riwayat_pendidikan",
        verbose_name="pegawai",
    )  # fmt: skip
    jenjang = models.CharField("jenjang", max_length=3, choices=Pegawai.Pendidikan.choices)
    nama_sekolah = models.CharField("nama sekolah/perguruan tinggi", max_length=200, blank=True)
    jurusan = models.CharField("jurusan/program studi", max_length=200, blank=True)
    tahun_lulus = models.PositiveSmallIntegerField("tahun lulus", null=True, blank=True)
    nomor_ijazah = models.CharField("nomor ijazah", max_length=100, blank=True)
    dokumen = models.FileField(
        "berkas ijazah", upload_to=RIWAYAT_DOKUMEN, blank=True,
        help_text="PDF, PNG atau JPEG, paling besar 5 MB.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "riwayat pendidikan"
        verbose_name_plural = "riwayat pendidikan"
        ordering = [models.F("tahun_lulus").desc(nulls_last=True), "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "jenjang", "tahun_lulus"],
                name="riwayat_pendidikan_satu_per_tahun",
                violation_error_message="Jenjang ini dengan tahun lulus yang sama sudah ada; "
                "ubah baris itu.",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "jenjang"],
                condition=Q(tahun_lulus__isnull=True),
                name="riwayat_pendidikan_satu_tanpa_tahun",
                violation_error_message="Jenjang ini tanpa tahun lulus sudah ada; ubah baris itu.",
            ),
            models.CheckConstraint(
                condition=Q(tahun_lulus__isnull=True)
                | Q(tahun_lulus__gte=RIWAYAT_TANGGAL_AWAL.year, tahun_lulus__lte=2100),
                name="riwayat_pendidikan_tahun_wajar",
                violation_error_message="Tahun lulus tidak mungkin; periksa tahunnya.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenjang_display()} {self.nama_sekolah}".strip()

    @property
    def tmt(self) -> date | None:
        """The end of the graduation year: where the row sits among dated rows."""
        return date(self.tahun_lulus, 12, 31) if self.tahun_lulus else None

    def clean(self) -> None:
        if self.tahun_lulus and self.pegawai_id:
            if self.tahun_lulus <= self.pegawai.tanggal_lahir.year:
                raise ValidationError({"tahun_lulus": "Tahun lulus harus sesudah tahun lahir."})
            if self.tahun_lulus > timezone.localdate().year:
                raise ValidationError({"tahun_lulus": "Tahun lulus belum terjadi."})


# The levels of education from lowest to highest: pendidikan_terakhir is the highest completed.
JENJANG_URUT = {value: rank for rank, value in enumerate(Pegawai.Pendidikan.values)}

# The kinds of history by their name in URLs and import files.
RIWAYAT_KARIER: dict[str, type[models.Model]] = {
    "jabatan": RiwayatJabatan,
    "golongan": RiwayatGolongan,
    "pendidikan": RiwayatPendidikan,
    "mutasi": RiwayatMutasi,
}


class Terakhir(NamedTuple):
    """A pegawai's latest history rows, as the current values must follow them."""

    golongan: "tuple[date, int] | None"  # tmt, golongan id
    jabatan: "tuple[date, int] | None"  # tmt, jabatan id
    pendidikan: str | None  # the highest jenjang


def riwayat_terakhir(pegawai_ids) -> dict[int, Terakhir]:
    """The latest golongan and jabatan rows and the highest education of these pegawai, in
    three queries (chunked for a large import)."""
    ids = sorted(set(pegawai_ids) - {None})
    golongan: dict[int, tuple] = {}
    jabatan: dict[int, tuple] = {}
    pendidikan: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for pk, tmt, gol in RiwayatGolongan.objects.filter(pegawai_id__in=chunk).values_list(
            "pegawai_id", "tmt", "golongan_id"
        ):
            if pk not in golongan or tmt > golongan[pk][0]:
                golongan[pk] = (tmt, gol)
        for pk, tmt, jab in RiwayatJabatan.objects.filter(pegawai_id__in=chunk).values_list(
            "pegawai_id", "tmt", "jabatan_id"
        ):
            if pk not in jabatan or tmt > jabatan[pk][0]:
                jabatan[pk] = (tmt, jab)
        for pk, jenjang in RiwayatPendidikan.objects.filter(pegawai_id__in=chunk).values_list(
            "pegawai_id", "jenjang"
        ):
            if pk not in pendidikan or JENJANG_URUT[jenjang] > JENJANG_URUT[pendidikan[pk]]:
                pendidikan[pk] = jenjang
    return {
        pk: Terakhir(golongan.get(pk), jabatan.get(pk), pendidikan.get(pk))
        for pk in set(golongan) | set(jabatan) | set(pendidikan)
    }


def riwayat_conflicts(pegawai: "Pegawai", terakhir: Terakhir | None) -> dict[str, str]:
    """What a change of the pegawai record itself (the form, the import) may not do to their
    history: go back before its latest golongan or jabatan, or below the highest education.
    Those are changed in the history itself."""
    if terakhir is None:
        return {}
    errors = {}
    if terakhir.golongan and pegawai.tmt_golongan and pegawai.tmt_golongan < terakhir.golongan[0]:
        errors["tmt_golongan"] = (
            f"Riwayat golongan terakhir ber-TMT {terakhir.golongan[0]:%d/%m/%Y}; TMT golongan "
            "tidak boleh lebih awal. Koreksi riwayat golongan bila riwayat itu salah."
        )
    if terakhir.jabatan and pegawai.tmt_jabatan and pegawai.tmt_jabatan < terakhir.jabatan[0]:
        errors["tmt_jabatan"] = (
            f"Riwayat jabatan terakhir ber-TMT {terakhir.jabatan[0]:%d/%m/%Y}; TMT jabatan "
            "tidak boleh lebih awal. Koreksi riwayat jabatan bila riwayat itu salah."
        )
    highest = terakhir.pendidikan
    chosen = pegawai.pendidikan_terakhir
    if highest and chosen in JENJANG_URUT and JENJANG_URUT[chosen] < JENJANG_URUT[highest]:
        errors["pendidikan_terakhir"] = (
            f"Riwayat pendidikan mencatat {Pegawai.Pendidikan(highest).label}; pendidikan "
            "terakhir tidak boleh lebih rendah. Hapus atau koreksi riwayat pendidikan itu dulu."
        )
    return errors


class ImporPegawai(models.Model):
    """An uploaded import file and what became of it: checked, previewed, then saved.

    The request creates the row; Celery tasks claim it by status with a lease (see
    pegawai/tasks.py), so a retried or duplicated task does nothing twice, and a job whose worker
    died while checking or saving is taken over by another.
    """

    class Status(models.TextChoices):
        MENUNGGU_PERIKSA = "menunggu_periksa", "Menunggu pemeriksaan"
        DIPERIKSA = "diperiksa", "Sedang diperiksa"
        SIAP = "siap", "Siap disimpan"
        TIDAK_VALID = "tidak_valid", "Ada baris yang salah"
        MENUNGGU_SIMPAN = "menunggu_simpan", "Menunggu penyimpanan"
        DISIMPAN = "disimpan", "Sedang disimpan"
        SELESAI = "selesai", "Selesai"
        TANPA_PERUBAHAN = "tanpa_perubahan", "Tidak ada perubahan"
        GAGAL = "gagal", "Gagal"

    IN_PROGRESS = {
        Status.MENUNGGU_PERIKSA,
        Status.DIPERIKSA,
        Status.MENUNGGU_SIMPAN,
        Status.DISIMPAN,
    }

    file = models.FileField("berkas", upload_to=GeneratedName("impor/%Y/%m/"))
    nama_berkas = models.CharField("nama berkas", max_length=255)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.MENUNGGU_PERIKSA
    )
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="diunggah oleh",
    )
    jumlah_baris = models.PositiveIntegerField(default=0)
    jumlah_baru = models.PositiveIntegerField(default=0)
    jumlah_diubah = models.PositiveIntegerField(default=0)
    jumlah_tetap = models.PositiveIntegerField(default=0)
    # Rows whose pegawai changed in SIBINA after the file was exported: not written unless HR
    # ticked them (`timpa`, their NIPs, chosen when saving).
    jumlah_lebih_baru = models.PositiveIntegerField(default=0)
    timpa = models.JSONField(
        "NIP yang ditimpa walau lebih baru di SIBINA", default=list, blank=True
    )
    kesalahan = models.JSONField(default=list, blank=True)
    pratinjau = models.JSONField(default=list, blank=True)
    # When the preview was made: saving leaves alone a pegawai changed after it (HR did not see
    # that change), as it does one changed after the file's export.
    diperiksa_pada = models.DateTimeField("pratinjau dibuat", null=True, blank=True)
    pesan_gagal = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The worker's claim while checking or saving (pembinaan.lib.claim): its token, and when it
    # last renewed it.
    klaim = models.CharField("token klaim pekerja", max_length=32, blank=True, editable=False)
    diproses_at = models.DateTimeField("diklaim pekerja", null=True, blank=True)

    class Meta:
        verbose_name = "impor pegawai"
        verbose_name_plural = "impor pegawai"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.nama_berkas} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("pegawai:impor_detail", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def jumlah_disimpan(self) -> int:
        """What saving writes without a tick: the new rows and the changes not newer in SIBINA."""
        return self.jumlah_baru + self.jumlah_diubah

    @property
    def baris_contoh(self) -> list[int]:
        """The rows of the file that are the template's example, skipped."""
        return [r["baris"] for r in self.pratinjau if r["aksi"] == "contoh"]

    def nip_lebih_baru(self) -> set[str]:
        """The NIPs (digits) of the previewed rows newer in SIBINA: those HR may tick."""
        return {r["nip"].replace(" ", "") for r in self.pratinjau if r["aksi"] == "lebih_baru"}


class NotifikasiQuerySet(models.QuerySet):
    def belum_dibaca(self) -> "NotifikasiQuerySet":
        return self.filter(dibaca_at__isnull=True)


class Notifikasi(models.Model):
    """Something that happened which concerns one login: an item landed in their inbox, or
    something of theirs was decided. Shown in the app, and mailed as the login chose
    (User.surel_notifikasi). `kunci` names the event: one notification per login and event, so
    a workflow step that runs twice never notifies twice (pegawai.notifikasi)."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi"
    )
    kunci = models.CharField("kunci peristiwa", max_length=120)
    judul = models.CharField(max_length=200)
    pesan = models.TextField(blank=True)
    url = models.CharField("tautan", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    dibaca_at = models.DateTimeField("dibaca", null=True, blank=True)
    # Whether the login wanted it mailed at once when it was made (the digest takes the rest).
    surel_segera = models.BooleanField(default=False)
    # Set when the notification left by mail, alone or in a digest; never mailed again.
    disurelkan_at = models.DateTimeField("dikirim lewat surel", null=True, blank=True)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["penerima", "kunci"], name="notifikasi_sekali")
        ]
        indexes = [
            models.Index(
                fields=["penerima", "-created_at"],
                name="notifikasi_penerima_waktu",
            ),
            # What the top bar counts on every page, and what the mail jobs look for.
            models.Index(
                fields=["penerima"],
                condition=Q(dibaca_at__isnull=True),
                name="notifikasi_belum_dibaca",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(disurelkan_at__isnull=True),
                name="notifikasi_belum_disurelkan",
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    def get_absolute_url(self) -> str:
        return reverse("notifikasi:buka", args=[self.pk])


class HariLibur(models.Model):
    """A national holiday or a cuti bersama, as the year's SKB of the Ministers of Religious
    Affairs, Manpower and PANRB sets them: not a working day. Batch sessions are not planned on
    it (pelatihan.services.session_days) and working-day deadlines skip it
    (pembinaan.lib.dates.add_working_days). Administrators keep the list; the migrations ship
    the official lists (pegawai.kalender)."""

    class Jenis(models.TextChoices):
        LIBUR_NASIONAL = "libur_nasional", "Libur nasional"
        CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"

    tanggal = models.DateField(
        unique=True,
        error_messages={"unique": "Tanggal ini sudah ada di daftar hari libur; ubah yang ada."},
    )
    nama = models.CharField("keterangan", max_length=150, help_text="Misalnya: Idul Fitri 1447 H.")
    jenis = models.CharField(max_length=20, choices=Jenis.choices)
    dasar = models.CharField(
        "dasar penetapan",
        max_length=200,
        blank=True,
        help_text="Misalnya: SKB 3 Menteri Nomor 1497, 2, 5 Tahun 2025.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A changed calendar moves deadlines: who changed it, and what it said before, stays.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["tanggal"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.tanggal:%d/%m/%Y})"


def tanggal_libur() -> frozenset[date]:
    """Every holiday and cuti bersama SIBINA knows, for working-day arithmetic. One query of a
    small table (about 25 rows a year): read it once per page or job and pass it on."""
    return frozenset(HariLibur.objects.values_list("tanggal", flat=True))


class ResetDuaFaktor(models.Model):
    """An administrator removed a login's second-step devices (a lost or replaced phone): the
    owner enrols again at their next sign-in. Kept for the audit log, with the reason."""

    ALASAN_MIN = 10
    ALASAN_PENDEK = (
        f"Tulis alasan yang jelas, sedikitnya {ALASAN_MIN} karakter: mis. ponsel hilang, dan "
        "bagaimana pemilik akun dipastikan (telepon balik, datang langsung)."
    )

    akun = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reset_dua_faktor", verbose_name="akun"
    )
    # A reason an auditor can read later, not a keystroke to get past the form.
    alasan = models.CharField(
        "alasan",
        max_length=500,
        validators=[MinLengthValidator(ALASAN_MIN, message=ALASAN_PENDEK)],
    )
    direset_oleh = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="direset oleh"
    )
    jumlah_perangkat = models.PositiveSmallIntegerField("jumlah perangkat dihapus", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "reset verifikasi dua langkah"
        verbose_name_plural = "reset verifikasi dua langkah"
        constraints = [
            # Separation of duties (domain.md §7): nobody resets their own second step.
            models.CheckConstraint(
                condition=~Q(akun=models.F("direset_oleh")), name="reset_dua_faktor_bukan_sendiri"
            ),
        ]

    def __str__(self) -> str:
        return f"Reset verifikasi dua langkah {self.akun}"


class RekonsiliasiSiasnQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "RekonsiliasiSiasnQuerySet":
        """Administrators and the province's HR: every reconciliation. A unit's HR: those of a
        unit they manage (their own uploads and their colleagues'), never the province-wide ones
        nor another unit's (pegawai.access.can_read_rekonsiliasi says the same of one row)."""
        if user.manages_province:
            return self.all()
        return self.filter(unit_id__in=sorted(user.unit_kelolaan_ids))


class RekonsiliasiSiasn(models.Model):
    """One upload of SIASN's employee export compared with SIBINA's pegawai of a scope (a unit's
    subtree, or the whole province when `unit` is empty). Kept with its differences so that HR
    can come back to them and mark each one handled (docs/siasn.md)."""

    unit = models.ForeignKey(
        UnitKerja,
        verbose_name="cakupan unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Kosong: seluruh provinsi.",
    )
    nama_berkas = models.CharField("nama berkas", max_length=255)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    jumlah_baris = models.PositiveIntegerField("baris data di berkas", default=0)
    jumlah_pegawai = models.PositiveIntegerField("pegawai aktif SIBINA di cakupan", default=0)
    jumlah_cocok = models.PositiveIntegerField("NIP yang ada di kedua sisi", default=0)
    # Rows that could not be read: [{"baris": 7, "kolom": "TANGGAL_LAHIR", "pesan": "..."}].
    kesalahan = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField("diunggah pada", auto_now_add=True)

    objects = RekonsiliasiSiasnQuerySet.as_manager()

    class Meta:
        verbose_name = "rekonsiliasi SIASN"
        verbose_name_plural = "rekonsiliasi SIASN"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="rekonsiliasi_unit_baru")]

    def __str__(self) -> str:
        return f"Rekonsiliasi SIASN {self.nama_berkas}"

    def get_absolute_url(self) -> str:
        return reverse("pegawai:siasn_detail", args=[self.pk])

    @property
    def cakupan(self) -> str:
        return self.unit.nama if self.unit_id else "Seluruh provinsi"

    @property
    def sebagian_saja(self) -> bool:
        """Fewer than half of SIBINA's pegawai of the scope are in the file: most likely an
        export of another or a smaller unit than the one chosen, so the 'not in SIASN' rows
        say more about the file than about the records."""
        return self.jumlah_cocok * 2 < self.jumlah_pegawai


class SelisihSiasn(models.Model):
    """One difference between SIASN and SIBINA found by a reconciliation: a NIP on one side only,
    or a field that differs for a NIP on both. `pegawai` is set only for a pegawai inside the
    reconciliation's scope: of a NIP registered in another unit nothing of SIBINA is kept."""

    class Jenis(models.TextChoices):
        TIDAK_DI_SIBINA = "tidak_di_sibina", "Ada di SIASN, tidak ada di SIBINA"
        UNIT_LAIN = "unit_lain", "Ada di SIASN, terdaftar di unit lain di SIBINA"
        NONAKTIF = "nonaktif", "Ada di SIASN, nonaktif di SIBINA"
        TIDAK_DI_SIASN = "tidak_di_siasn", "Aktif di SIBINA, tidak ada di SIASN"
        GOLONGAN = "golongan", "Golongan berbeda"
        JABATAN = "jabatan", "Jabatan berbeda"
        UNIT = "unit", "Unit kerja berbeda"
        TANGGAL_LAHIR = "tanggal_lahir", "Tanggal lahir berbeda"

    rekonsiliasi = models.ForeignKey(
        RekonsiliasiSiasn, on_delete=models.CASCADE, related_name="selisih"
    )
    jenis = models.CharField("jenis selisih", max_length=20, choices=Jenis.choices)
    nip = models.CharField("NIP", max_length=18)
    nama = models.CharField("nama", max_length=200, blank=True)
    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    baris = models.PositiveIntegerField("baris di berkas", null=True, blank=True)
    nilai_sibina = models.CharField("di SIBINA", max_length=300, blank=True)
    nilai_siasn = models.CharField("di SIASN", max_length=300, blank=True)
    ditindaklanjuti_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ditindaklanjuti_at = models.DateTimeField("ditindaklanjuti pada", null=True, blank=True)

    class Meta:
        verbose_name = "selisih SIASN"
        verbose_name_plural = "selisih SIASN"
        ordering = ["rekonsiliasi", "nip", "jenis"]
        indexes = [
            models.Index(fields=["rekonsiliasi", "jenis", "nip"], name="selisih_jenis_nip"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ditindaklanjuti_oleh__isnull=True, ditindaklanjuti_at__isnull=True)
                | Q(ditindaklanjuti_oleh__isnull=False, ditindaklanjuti_at__isnull=False),
                name="selisih_tindak_lanjut_lengkap",
            ),
            models.UniqueConstraint(
                fields=["rekonsiliasi", "nip", "jenis"], name="selisih_unique_nip_jenis"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.nip}"

    @property
    def nip_tampil(self) -> str:
        return nip_rules.format_nip(self.nip)
