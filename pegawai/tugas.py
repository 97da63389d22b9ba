"""The pegawai app's kinds of inbox items (pembinaan.lib.inbox)."""

from django.urls import reverse_lazy
from django.utils import timezone

from pembinaan.lib.inbox import Jenis, Tugas

from .models import ImporPegawai


def _impor_siap(user, today):
    if not user.is_manager:
        return None
    return ImporPegawai.objects.filter(
        diunggah_oleh=user, status=ImporPegawai.Status.SIAP
    ).order_by("created_at")


def _impor_siap_item(impor, today):
    return Tugas(
        judul=f"Impor siap disimpan: {impor.nama_berkas} ({impor.jumlah_baris} baris)",
        url=impor.get_absolute_url(),
        sejak=timezone.localdate(impor.created_at),
    )


JENIS = [
    Jenis("impor_siap", "Impor pegawai siap disimpan", "pengelola", _impor_siap,
          _impor_siap_item, semua_url=reverse_lazy("pegawai:impor_create")),
]  # fmt: skip
