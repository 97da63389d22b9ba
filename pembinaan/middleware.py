"""SIBINA's own middleware: the Content Security Policy, no caching of private pages, a 400 for
NUL bytes.

The Content Security Policy: scripts, styles, fonts and connections from this site only; no
inline script, no plug-ins, no framing. Inline styles stay allowed (Bootstrap's progress bars and
htmx's indicator style use them); images may be data: URIs (QR codes, charts)."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from pembinaan.api import errors

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(get_response):
    header = (
        "Content-Security-Policy-Report-Only"
        if settings.CSP_REPORT_ONLY
        else ("Content-Security-Policy")
    )

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault(header, CSP)
        return response

    return middleware


def private_no_store(get_response):
    """Whatever a signed-in user is shown, pages and exports alike, and whatever depends on a
    visitor's session (a citizen's tracking code) is kept by no browser cache or proxy: a shared
    computer's history or an office proxy would hand it to the next person. A response the view
    marked public keeps its own Cache-Control; other public pages are left to the defaults."""

    def middleware(request):
        response = get_response(request)
        directives = {
            d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")
        }
        # An error page is kept by nobody either; and asking who the visitor is could fail
        # again (a 503 while the database is down).
        if response.status_code >= 500 or ("public" not in directives and _is_private(request)):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def _is_private(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return session is not None and session.accessed and not session.is_empty()


def reject_nul_bytes(get_response):
    """A 400 page for a NUL byte anywhere a visitor can put one: the path, the query, a form
    field, an uploaded file's name or a cookie. PostgreSQL cannot hold NUL in text, so it would
    otherwise fail as a 500 inside whichever query first met it (and mail the admins).

    Under /api/ the answer is the API's JSON error, as is a body Django refuses to read (too
    many fields, a field too big, multipart without a boundary): a client program reads JSON."""

    def middleware(request):
        api = request.path_info.startswith("/api/")
        try:
            nul = _has_nul(request)
        except Exception as error:
            refused = errors.unreadable(error) if api else None
            if refused is None:
                raise
            return errors.galat_json(*refused)
        if nul and api:
            return errors.galat_json(
                400, "permintaan_rusak", "Permintaan memuat karakter NUL; hapus karakter itu."
            )
        if nul:
            # Without the request, as Django's own 400 handler renders it: nothing it carries
            # (session, user) is read before the answer.
            return HttpResponseBadRequest(render_to_string("400.html"))
        return get_response(request)

    return middleware


def _has_nul(request) -> bool:
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    for name, values in request.GET.lists():
        texts += [name, *values]
    if request.method == "POST":
        for name, values in request.POST.lists():
            texts += [name, *values]
        for name, files in request.FILES.lists():
            texts += [name, *(f.name or "" for f in files)]
    return any("\x00" in text for text in texts)


def method_not_allowed_page(get_response):
    """Django's require_GET and require_POST answer 405 with an empty body, a blank page in a
    browser: the same answer (its Allow header kept) with a page that says nothing was changed.
    The API's own 405 carries its JSON and is left as it is."""

    def middleware(request):
        response = get_response(request)
        if (
            response.status_code != 405
            or getattr(response, "streaming", False)
            or response.content
            or request.path_info.startswith("/api/")
        ):
            return response
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        metode = "POST" if allowed == ["POST"] else "GET"
        page = render_to_string("405.html", {"metode": metode}, request=request)
        return HttpResponseNotAllowed(allowed, page)

    return middleware
