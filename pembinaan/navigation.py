"""The sidebar as data: which entries each role sees, and which one a page belongs to."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Viewer:
    """What the sidebar depends on: the roles of a login and its pegawai."""

    admin: bool
    manager: bool
    atasan: bool
    pegawai_pk: int | None
    province: bool = False  # admin or pengelola provinsi

    @classmethod
    def of(cls, user) -> "Viewer":
        profil = user.pegawai_profil
        return cls(
            user.is_admin, user.is_manager, user.is_atasan, profil.pk if profil else None,
            user.manages_province,
        )  # fmt: skip

    @property
    def pegawai(self) -> bool:
        return self.pegawai_pk is not None


@dataclass(frozen=True)
class Entri:
    label: str
    icon: str
    url_name: str
    visible: str = "semua"  # a key of VISIBLE
    exact: bool = False  # active on its own URL only, not on the pages below it
    own_pk: bool = False  # the URL takes the login's pegawai

    def url(self, viewer: Viewer) -> str:
        return reverse(self.url_name, args=[viewer.pegawai_pk] if self.own_pk else None)


VISIBLE = {
    "semua": lambda p: True,
    "pegawai": lambda p: p.pegawai,
    "manager": lambda p: p.manager,
    "atasan_saja": lambda p: p.atasan and not p.manager,
    "atasan_atau_manager": lambda p: p.atasan or p.manager,
    "admin": lambda p: p.admin,
    "province": lambda p: p.province,
    # A pegawai's own nine-box placement, when the province shows it (pembinaan.access).
    "talenta_saya": lambda p: p.pegawai and settings.TALENTA_TERLIHAT_PEGAWAI,
}

MENU: list[tuple[str | None, list[Entri]]] = [
    (None, [
        Entri("Beranda", "house", "beranda", exact=True),
        Entri("Profil saya", "person-vcard", "pegawai:detail", "pegawai", exact=True, own_pk=True),
    ]),
    ("Pengembangan kompetensi", [
        Entri("Katalog pelatihan", "mortarboard", "pelatihan:list"),
        Entri("Beasiswa", "building", "pelatihan:beasiswa_list"),
        Entri("JP saya", "graph-up", "pelatihan:jp_saya", "pegawai", exact=True),
        Entri("Kompetensi saya", "bullseye", "pelatihan:kompetensi_pegawai", "pegawai",
              own_pk=True),
        Entri("Rencana pengembangan saya", "list", "pelatihan:rencana_saya", "pegawai"),
        Entri("Rencana pengembangan unit", "people", "pelatihan:rencana_unit", "manager"),
        Entri("Kompetensi & standar", "diagram-3", "pelatihan:kompetensi_list", "manager",
              exact=True),
        Entri("Kepatuhan 20 JP", "clipboard-check", "pembinaan:jp_kepatuhan", "manager"),
        Entri("Verifikasi kegiatan", "patch-check", "pelatihan:kegiatan_verifikasi",
              "atasan_atau_manager"),
        Entri("Kegiatan di luar SIBINA", "journal-check", "pelatihan:kegiatan_list", "manager",
              exact=True),
    ]),
    ("Kinerja", [
        Entri("Penilaian kinerja", "clipboard-data", "evaluasi:index"),
        Entri("Laporan pasca pelatihan", "journal-text", "evaluasi:laporan_list"),
        Entri("Aksi perubahan", "lightbulb", "evaluasi:aksi_list"),
        Entri("Survei iklim kerja", "thermometer-half", "evaluasi:iklim_index"),
        Entri("Kinerja saya", "award", "evaluasi:kinerja_pegawai", "pegawai", own_pk=True),
        Entri("Kotak talenta saya", "award", "pembinaan:talenta_saya", "talenta_saya"),
        Entri("Bawahan saya", "people", "pegawai:list", "atasan_saja"),
    ]),
    ("Kepegawaian", [
        Entri("Data pegawai", "people", "pegawai:list", "manager"),
        Entri("Tambah pegawai", "person-plus", "pegawai:create", "manager"),
        Entri("Impor pegawai", "upload", "pegawai:impor_create", "manager"),
        Entri("Impor riwayat", "journal-check", "pegawai:riwayat_impor", "manager"),
        Entri("Rekonsiliasi SIASN", "clipboard-check", "pegawai:siasn_list", "manager"),
    ]),
    ("Masyarakat", [
        Entri("Kepuasan masyarakat (IKM)", "emoji-smile", "masyarakat:ikm", "manager"),
        Entri("Masukan masyarakat", "chat-left-text", "masyarakat:masukan_list", "manager"),
        Entri("Forum dialog", "people-fill", "masyarakat:forum_list", "manager"),
    ]),
    ("Pembinaan", [
        Entri("Program & target", "flag", "pembinaan:program_list", "manager"),
        Entri("Kebutuhan pelatihan", "search-heart", "pembinaan:kebutuhan_list", "manager"),
        Entri("Indeks profesionalitas", "graph-up", "pembinaan:ip_asn_unit", "manager"),
        Entri("AKPK", "clipboard-data", "pembinaan:akpk_list", "manager"),
        Entri("Dampak pelatihan", "bullseye", "pembinaan:dampak_list", "manager"),
        Entri("Manajemen talenta", "award", "pembinaan:talenta_index", "province"),
    ]),
    ("Administrasi", [
        Entri("Akun pengguna", "person-badge", "akun:list", "province", exact=True),
        Entri("Pengelola unit", "person-gear", "akun:pengelola_list", "province"),
        Entri("Log audit", "journal-check", "pembinaan:audit_list", "manager"),
        Entri("Aturan konversi JP", "gear", "pelatihan:aturan_jp_list", "admin"),
        Entri("Hari libur & cuti bersama", "calendar-event", "hari_libur:list", "admin"),
        Entri("Klien API", "gear", "pembinaan:klien_api_list", "admin"),
        Entri("Data referensi", "gear", "admin:index", "admin"),
    ]),
]  # fmt: skip


def sidebar(user, path: str) -> SafeString:
    """The sidebar of `user` on the page at `path`: the entries their roles see, the page's own
    marked active (the entry whose URL is the longest start of the path; for the exact ones,
    their own URL only)."""
    viewer = Viewer.of(user)
    sections = [
        (title, [(e, e.url(viewer)) for e in entries if VISIBLE[e.visible](viewer)])
        for title, entries in MENU
    ]
    matching = [
        (len(url), e.label)
        for _, items in sections
        for e, url in items
        if (path == url if e.exact else path.startswith(url))
    ]
    active = max(matching)[1] if matching else None
    return render_to_string(
        "_sidebar.html",
        {
            "sections": [
                {"title": title, "items": [
                    {"label": e.label, "icon": e.icon, "url": url, "active": e.label == active}
                    for e, url in items
                ]}
                for title, items in sections
                if items
            ]
        },
    )  # fmt: skip
