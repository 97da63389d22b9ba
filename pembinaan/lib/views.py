"""What the views of every app share. Knows no models."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render


def run_service(request, action, success: str) -> bool:
    """Call a service; report its ValidationError as a message instead of a 500, or else
    `success`. True when the service went through."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def stored_file_response(request, file, **kwargs) -> HttpResponse:
    """A stored file (a FieldFile) as a FileResponse with `kwargs`; when it is gone from the
    storage (restored from an older backup, removed by hand), a 404 page that says so instead
    of a 500."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        pesan = (
            "Berkas ini tercatat, tetapi tidak ditemukan di penyimpanan server. Minta "
            "pengunggahnya mengunggah ulang, atau laporkan kepada admin SIBINA."
        )
        return render(request, "404.html", {"pesan": pesan}, status=404)
    return FileResponse(handle, **kwargs)
