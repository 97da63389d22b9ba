"""A URL whose view fails with personal data in its message, for the Sentry test
(tests/pembinaan/test_operasi.py): what reaches the ingest server must not carry it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_not_required
def rusak(request, **kwargs):
    raise RuntimeError(
        f"NIP {request.GET['nip']} tidak cocok; kabari {request.POST['surel']} "
        f"atau {request.POST.get('telepon', '')}"
    )


# A secret in the path, as masyarakat's /forum/batal/<token>/ has.
urlpatterns = [path("rusak/", rusak), path("forum/batal/<str:token>/", rusak)]
