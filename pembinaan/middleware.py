"""SIBINA's own middleware: the Content Security Policy, and cached versions read once per
request.

The Content Security Policy: scripts, styles, fonts and connections from this site only; no
inline script, no plug-ins, no framing. Inline styles stay allowed (Bootstrap's progress bars and
htmx's indicator style use them); images may be data: URIs (QR codes, charts)."""

from django.conf import settings

from .lib.cache import versions_per_request

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


def cache_versions_per_request(get_response):
    """Each cached group's version read from Redis once per request, all in the first read's
    round trip (pembinaan.lib.cache.versions_per_request)."""

    def middleware(request):
        with versions_per_request():
            return get_response(request)

    return middleware
