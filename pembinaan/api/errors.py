"""Every error of the API in one JSON shape, in Indonesian:

    {"galat": {"kode": "tidak_ditemukan", "pesan": "…", "rincian": {…}}}

`kode` is stable for programs, `pesan` is for people, `rincian` carries what a program can act on
(the fields that failed validation, the seconds to wait)."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("pembinaan.api")

# The status, a stable code and the Indonesian message when the exception brings none of ours.
GALAT = {
    exceptions.ValidationError: (
        "data_tidak_valid",
        "Data yang dikirim tidak valid; lihat rincian.",
    ),
    exceptions.ParseError: ("permintaan_rusak", "Isi permintaan tidak dapat dibaca."),
    exceptions.AuthenticationFailed: ("token_ditolak", "Token tidak dapat dipakai."),
    exceptions.NotAuthenticated: ("tanpa_token", "Sertakan token klien."),
    exceptions.PermissionDenied: ("ditolak", "Token ini tidak berhak atas tindakan ini."),
    exceptions.NotFound: ("tidak_ditemukan", "Data tidak ditemukan dalam cakupan token ini."),
    exceptions.MethodNotAllowed: ("metode_tidak_diizinkan", "Metode ini tidak didukung di sini."),
    exceptions.NotAcceptable: ("format_tidak_didukung", "API ini hanya menjawab JSON."),
    exceptions.UnsupportedMediaType: (
        "jenis_isi_tidak_didukung",
        "Kirim application/json, atau multipart/form-data untuk berkas.",
    ),
    exceptions.Throttled: ("terlalu_banyak_permintaan", "Batas permintaan token ini terlampaui."),
}


def galat_body(kode: str, pesan: str, rincian: dict | None = None) -> dict:
    return {"galat": {"kode": kode, "pesan": pesan, "rincian": rincian or {}}}


def galat(status_code: int, kode: str, pesan: str, rincian: dict | None = None) -> Response:
    return Response(galat_body(kode, pesan, rincian), status=status_code)


def galat_json(status_code: int, kode: str, pesan: str, rincian: dict | None = None):
    """The same body outside DRF (a middleware, a plain view)."""
    response = JsonResponse(galat_body(kode, pesan, rincian), status=status_code)
    response["Cache-Control"] = "private, no-store"
    return response


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def unreadable(exc: Exception) -> tuple[int, str, str] | None:
    """The status, code and message for a body Django refuses to read (too big, too many
    fields or files, multipart without a boundary); None for any other exception."""
    if isinstance(exc, RequestDataTooBig):
        limit = _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        pesan = f"Isi permintaan melebihi batas {limit} MB (di luar berkas unggahan)."
        return 413, "isi_terlalu_besar", pesan
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, "terlalu_banyak_bidang", f"Permintaan memuat lebih dari {limit} bidang."
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 400, "terlalu_banyak_berkas", f"Permintaan memuat lebih dari {limit} berkas."
    if isinstance(exc, MultiPartParserError):
        pesan = "Isi multipart/form-data tidak dapat dibaca (boundary tidak ada atau rusak)."
        return 400, "permintaan_rusak", pesan
    return None


def _own_message(exc: exceptions.APIException, default: str) -> str:
    """The exception's message when it is ours (Indonesian) and not DRF's English default."""
    detail = exc.detail
    if isinstance(detail, str) and detail != type(exc).default_detail:
        return str(detail)
    return default


def exception_handler(exc, context) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if (refused := unreadable(exc)) is not None:
        set_rollback()
        return galat(*refused)
    if not isinstance(exc, exceptions.APIException):
        # A fault of ours: logged (mailed to the administrators), answered in the same shape.
        logger.error("API: %s", exc, exc_info=exc)
        set_rollback()
        return galat(500, "galat_server", "Terjadi kesalahan pada SIBINA; coba lagi nanti.")
    set_rollback()
    kode, pesan = next(
        (value for cls, value in GALAT.items() if isinstance(exc, cls)),
        ("galat", "Permintaan tidak dapat diproses."),
    )
    rincian = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        rincian = {"bidang": detail}
    elif isinstance(exc, exceptions.Throttled):
        rincian = {"coba_lagi_dalam_detik": exc.wait}
        pesan = f"{pesan} Coba lagi dalam {exc.wait:.0f} detik." if exc.wait else pesan
    elif isinstance(exc, exceptions.MethodNotAllowed):
        rincian = {"metode": context["request"].method}
    elif isinstance(exc, exceptions.ParseError):
        # DRF's parsers explain in English ("JSON parse error - Expecting value…").
        if str(exc.detail).startswith("JSON"):
            pesan = "Isi permintaan bukan JSON yang sah; periksa tanda kutip, koma dan kurungnya."
    else:
        pesan = _own_message(exc, pesan)
    response = galat(exc.status_code, kode, pesan, rincian)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        response["Retry-After"] = f"{int(exc.wait)}"
    return response


@login_not_required
def not_found(request, *args, **kwargs):
    """Any other path under /api/: the same 404 as an unknown record, not Django's HTML page."""
    return galat_json(
        status.HTTP_404_NOT_FOUND, "tidak_ditemukan", "Alamat API ini tidak ada; lihat /api/docs/.",
        {"jalur": request.path},
    )  # fmt: skip
