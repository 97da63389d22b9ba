"""The shape of the task inbox (issue 19), shared by every app's `tugas.py`. Knows no models.

A `Jenis` is one kind of work that waits for someone: `rows(user, today)` is the queryset of
this login's items, ordered oldest or most overdue first, or None when the kind is not for this
login at all; `item(row, today)` says what one row is, where to act and by when. The inbox
counts each kind with one query and lists the first rows of each with one more, so neither grows
with the number of items. Items are read from the rows' state, so an item is gone as soon as
anyone allowed has done the work."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# Follow-ups are listed but not counted in the top bar: they ask nothing of the login itself.
PERAN = {
    "pegawai": "Untuk saya",
    "atasan": "Sebagai atasan",
    "pengelola": "Sebagai pengelola",
    "layanan": "Unit layanan",
    "pantau": "Untuk dipantau",
}


@dataclass(frozen=True)
class Aksi:
    """A one-click action done from the inbox itself: a POST button to `url`, which sends the
    login back to the inbox (`next`). Actions that need a reason or a form stay behind the link."""

    label: str
    url: str
    gaya: str = "primary"  # the Bootstrap button colour


@dataclass(frozen=True)
class Tugas:
    judul: str
    url: str
    sejak: date | None = None  # waiting since
    jatuh_tempo: date | None = None
    keterangan: str = ""
    aksi: tuple[Aksi, ...] = ()

    def terlambat(self, today: date) -> bool:
        return self.jatuh_tempo is not None and self.jatuh_tempo < today


@dataclass(frozen=True)
class Jenis:
    kode: str
    judul: str
    peran: str  # a key of PERAN
    rows: Callable  # (user, today) -> QuerySet | None
    item: Callable  # (row, today) -> Tugas; (row, today, libur) for a hari_kerja kind
    semua_url: str = ""  # the full list of this kind, when the inbox shows only its first rows
    # Its due dates count working days: item() is given the holidays too, read once per inbox.
    hari_kerja: bool = False
    # The title a row goes out under (the personal calendar feed, read by Google and others),
    # (row) -> str, when the inbox's own title holds what must stay in SIBINA: a citizen's
    # tracking code or words. Without it the inbox's title goes out.
    judul_luar: Callable | None = None

    @property
    def ikuti(self) -> bool:
        return self.peran == "pantau"
