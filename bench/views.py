"""The benchmark's floors and reference, routed by bench/urls.py only (bench/settings.py)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from pegawai.models import Pegawai

WRITE_TABLE = "bench_tulis"  # made by bench/provinsi.py, in no migration


@login_not_required
def bench_floor(request):
    """The floor of a page: base.html and nothing else."""
    return render(request, "base.html")


@login_not_required
@require_POST
def bench_write_floor(request):
    """The floor of a public form's POST: the CSRF check, one row written and committed to the
    benchmark's own table, then base.html."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WRITE_TABLE} (isi) VALUES (%s)",  # noqa: S608 - a constant
            [request.POST.get("isi", "")[:200]],
        )
    return render(request, "base.html")


class BenchPlainList(ListView):
    """The reference: the pegawai list as a plain Django ListView makes it (an exact COUNT,
    OFFSET pages, model rows with their joins), which issue 2 sets SIBINA's list against.
    Administrators only."""

    paginate_by = 50
    template_name = "bench/daftar_polos.html"

    def get_queryset(self):
        if not self.request.user.is_admin:
            raise PermissionDenied("Acuan benchmark untuk administrator.")
        return Pegawai.objects.select_related("unit", "golongan", "jabatan").order_by("nama", "pk")
