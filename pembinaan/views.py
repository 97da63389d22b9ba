from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import render

from pegawai.models import Pegawai


@login_required
def beranda(request):
    user = request.user
    ctx = {}
    if user.is_manager:
        ctx["jumlah_pegawai"] = Pegawai.objects.managed_by(user).aktif().count()
    if user.pegawai_profil:
        ctx["jumlah_bawahan"] = user.pegawai_profil.bawahan.filter(aktif=True).count()
    return render(request, "pembinaan/beranda.html", ctx)


@login_not_required
def bench_floor(request):
    """The benchmark's floor: base.html and nothing else. Routed only with BENCH_VIEWS on."""
    return render(request, "base.html")
