from django.utils.functional import lazy
from django.utils.safestring import SafeString

from . import navigation


def navigation_context(request):
    """The roles pages show entries for, derived once per request, and the sidebar, rendered
    only by a page that shows it (not by htmx partials)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role": {
            "admin": user.is_admin,
            "pengelola": user.is_pengelola,
            "manager": user.is_manager,
            "atasan": user.is_atasan,
            "pegawai": user.pegawai_profil,
        },
        "sidebar": lazy(navigation.sidebar, SafeString)(user, request.path),
    }
