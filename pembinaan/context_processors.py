from functools import partial

from django.utils import timezone
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.safestring import SafeString

from pegawai.middleware import owed

from . import navigation


def navigation_context(request):
    """The roles pages show entries for, derived once per request, and the sidebar, rendered
    only by a page that shows it (not by htmx partials). A session that still owes the second
    step of signing in sees none of it: only the page it owes and "Keluar" (base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = {
        "admin": user.is_admin,
        "pengelola": user.is_pengelola,
        "manager": user.is_manager,
        "atasan": user.is_atasan,
        "pegawai": user.pegawai_profil,
    }
    dua_faktor_owed = owed(request)
    if dua_faktor_owed:
        return {"role": role, "dua_faktor_owed": dua_faktor_owed}
    return {
        "role": role,
        "sidebar": lazy(navigation.sidebar, SafeString)(user, request.path),
        # The top bar's badges: counted when a full page renders them, never cached.
        "jumlah_tugas": SimpleLazyObject(partial(_jumlah_tugas, user)),
        "jumlah_notifikasi": SimpleLazyObject(partial(_jumlah_notifikasi, user)),
    }


def _jumlah_tugas(user) -> int:
    from .tugas import jumlah_tugas

    return jumlah_tugas(user, timezone.localdate())


def _jumlah_notifikasi(user) -> int:
    return user.notifikasi.belum_dibaca().count()
