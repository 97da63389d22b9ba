"""Change histories as people read them (django-simple-history records): each field's Indonesian
label, and its values by name: people and related rows by their names, choices by their labels,
dates in Indonesian, times in WIB. The pegawai's own history and the audit log (pembinaan.audit)
share it.

Names are read per related model, once for all the records shown (one query each), never per row.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from simple_history.models import ModelChange

from .models import Pegawai, UnitKerja, User, nama_lengkap, unit_jalur

# A value longer than this is cut in a list (the record keeps it whole).
PANJANG_NILAI = 120

# How a related model's rows are named: their ids → their names, in one query.
Namer = Callable[[set], dict]


@dataclass
class Perubahan:
    field: str
    old: str
    new: str


def pegawai_names(ids: set) -> dict:
    rows = Pegawai.objects.filter(pk__in=ids).values_list(
        "pk", "gelar_depan", "nama", "gelar_belakang"
    )
    return {pk: nama_lengkap(depan, nama, belakang) for pk, depan, nama, belakang in rows}


def user_names(ids: set) -> dict:
    """A login by its person's name: its pegawai's, else the account's own name, else the
    username (an administrator's account)."""
    pegawai = Pegawai.objects.filter(user=OuterRef("pk"))
    rows = User.objects.filter(pk__in=ids).annotate(
        p_depan=Subquery(pegawai.values("gelar_depan")[:1]),
        p_nama=Subquery(pegawai.values("nama")[:1]),
        p_belakang=Subquery(pegawai.values("gelar_belakang")[:1]),
    )
    return {u.pk: nama_pengguna(u) for u in rows}


def nama_pengguna(user) -> str:
    """`user` annotated as user_names does, or a plain User (its pegawai is not read then)."""
    if getattr(user, "p_nama", None):
        return nama_lengkap(user.p_depan, user.p_nama, user.p_belakang)
    return user.get_full_name() or user.get_username()


def _default_namer(model) -> Namer:
    return lambda ids: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def unit_names(ids: set) -> dict:
    """Units with their OPD path, as every unit choice shows them (the cached tree)."""
    jalur = unit_jalur()
    return {pk: jalur[pk] for pk in ids if pk in jalur}


NAMERS: dict[type[models.Model], Namer] = {
    Pegawai: pegawai_names,
    User: user_names,
    UnitKerja: unit_names,
}


# Django's own account fields, named as SIBINA's pages name these roles.
LABELS = {"is_superuser": "administrator", "is_staff": "akses admin Django"}


def label(field: models.Field) -> str:
    """The field's verbose name; a bookkeeping time without one (`dikonfirmasi_at`) reads
    "dikonfirmasi pada"."""
    if field.name in LABELS and field.model.__name__.endswith("User"):
        return LABELS[field.name]
    name = str(field.verbose_name)
    if name == field.name.replace("_", " ") and name.endswith(" at"):
        name = name[: -len(" at")] + " pada"
    return name


def changes_of(
    pairs: list[tuple],
    model: type[models.Model],
    *,
    namers: dict | None = None,
    hidden: Iterable[str] = (),
    initial: Iterable[str] = (),
) -> list[list[Perubahan]]:
    """For each (record, its previous record or None), the list of Perubahan with the related
    rows named: one query per related model over all the records. `hidden` fields are left
    out (a citizen's identity); a record without a previous one shows its `initial` fields
    that have a value (a rating's predicate when it was given)."""
    namers = NAMERS | (namers or {})
    diffs = [
        [c for c in record.diff_against(previous).changes if c.field not in hidden]
        if previous
        else _initial(record, model, initial)
        for record, previous in pairs
    ]
    wanted: dict = {}
    for change in (c for diff in diffs for c in diff):
        field = model._meta.get_field(change.field)
        if field.is_relation:
            wanted.setdefault(field.related_model, set()).update(
                v for v in (change.old, change.new) if v is not None
            )
    names = {}
    for related, ids in wanted.items():
        namer = namers.get(related) or _default_namer(related)
        names.update({(related, pk): name for pk, name in namer(ids).items()})
    return [
        [
            Perubahan(
                field=label(field := model._meta.get_field(c.field)),
                old=shown(field, c.old, names),
                new=shown(field, c.new, names),
            )
            for c in diff
        ]
        for diff in diffs
    ]


def _initial(record, model: type[models.Model], fields: Iterable[str]) -> list[ModelChange]:
    values = [(name, getattr(record, model._meta.get_field(name).attname)) for name in fields]
    return [
        ModelChange(name, None, value)
        for name, value in values
        if value is not False and value not in (None, "", [])
    ]


def names_of(model: type[models.Model], ids: Iterable, *, namers: dict | None = None) -> dict:
    ids = set(ids) - {None}
    if not ids:
        return {}
    namer = (NAMERS | (namers or {})).get(model) or _default_namer(model)
    return namer(ids)


def waktu(value: datetime) -> str:
    """3 Desember 2026 14.05 WIB: the local time, to the minute."""
    return date_format(timezone.localtime(value), "j F Y H.i") + " WIB"


def shown(field: models.Field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if field.is_relation:
        return names.get((field.related_model, value), "(data sudah dihapus)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return waktu(value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, FieldFile):
        return os.path.basename(value.name) if value.name else "–"
    if isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= PANJANG_NILAI else text[: PANJANG_NILAI - 1] + "…"
