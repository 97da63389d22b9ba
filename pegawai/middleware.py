"""The second step of signing in (pegawai.dua_faktor), enforced: after django-otp's OTPMiddleware,
a signed-in session that has not passed it is sent to the code page (a device exists) or to
enrolment (none yet, and the role requires one) for every page but the second step's own, signing
out and the pages that need no login (the citizens' pages, the certificate check, the OIDC
callback). Django's admin is not among those: it needs the second step too.

Who must pass it: administrators and HR (pegawai.access.needs_dua_faktor, read per request), and
whoever enrolled of their own accord (looked up once per session, see _enrolled). Requests
authenticated by an API token carry no session: they are not concerned.
An htmx request is answered with HX-Redirect, so that the code page replaces the whole page
rather than a fragment of it. DUA_FAKTOR_WAJIB=0 switches the whole step off (the test suite, a
laptop)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from . import access, dua_faktor

# The session's memory of whether its login had enrolled when it was first asked: [user id, bool].
ENROLLED_KEY = "dua_faktor_terdaftar"
EXEMPT_VIEWS = {"logout"}
EXEMPT_NAMESPACES = {"dua_faktor"}


class DuaFaktorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.DUA_FAKTOR_WAJIB or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match.view_name in EXEMPT_VIEWS or EXEMPT_NAMESPACES & set(match.namespaces):
            return None
        if not getattr(view_func, "login_required", True) and match.app_name != "admin":
            return None
        target = owed(request)
        if target is None:
            return None
        htmx = getattr(request, "htmx", None)
        if htmx:
            # A fragment request: the browser goes to the code page as a whole page (not the
            # page swapped into a fragment), and comes back to the page it was on.
            asked = htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(_with_next(target, asked))
        return redirect(_with_next(target, request.get_full_path()))


def owed(request) -> str | None:
    """The second-step page this signed-in session still owes ("dua_faktor:verify" or
    "dua_faktor:enrol"), or None: passed, not required, or switched off. The pages read it too,
    to show such a session no navigation (pembinaan.context_processors)."""
    user = request.user
    if not settings.DUA_FAKTOR_WAJIB or not user.is_authenticated or user.is_verified():
        return None
    if access.needs_dua_faktor(user):
        return "dua_faktor:verify" if dua_faktor.has_device(user) else "dua_faktor:enrol"
    if _enrolled(request):
        return "dua_faktor:verify"
    return None


def _with_next(name: str, asked: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': asked})}"


def _enrolled(request) -> bool:
    """Whether a login the role does not oblige chose the second step: one lookup per session,
    not per page (a device removed by an administrator lets them in; enrolling in another
    session is noticed at the next sign-in)."""
    remembered = request.session.get(ENROLLED_KEY)
    if remembered and remembered[0] == request.user.pk:
        return remembered[1]
    enrolled = dua_faktor.has_device(request.user)
    request.session[ENROLLED_KEY] = [request.user.pk, enrolled]
    return enrolled
