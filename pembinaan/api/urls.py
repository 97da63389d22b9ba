from django.urls import include, path, re_path

from . import schema, views  # noqa: F401 - schema registers the token scheme
from .errors import not_found

v1_patterns = [
    path("unit-kerja/", views.UnitKerjaList.as_view(), name="unit_kerja_list"),
    path("pegawai/", views.PegawaiList.as_view(), name="pegawai_list"),
    path("pegawai/<str:nip>/", views.PegawaiDetail.as_view(), name="pegawai_detail"),
    path("pelatihan/", views.PelatihanList.as_view(), name="pelatihan_list"),
    path("angkatan/", views.AngkatanList.as_view(), name="angkatan_list"),
    path("angkatan/<int:pk>/peserta/", views.NominasiCreate.as_view(), name="nominasi_create"),
    path("peserta/", views.PesertaList.as_view(), name="peserta_list"),
    path("sertifikat/", views.SertifikatList.as_view(), name="sertifikat_list"),
    path("jp/", views.JPList.as_view(), name="jp_list"),
    path("jp/catatan/", views.CatatanJPList.as_view(), name="catatan_jp_list"),
    path("jp/kepatuhan/", views.KepatuhanJP.as_view(), name="jp_kepatuhan"),
    path("ikm/", views.IKMList.as_view(), name="ikm_list"),
    path("kegiatan/", views.KegiatanCreate.as_view(), name="kegiatan_create"),
    path("siasn/riwayat-kursus/", views.RiwayatKursusList.as_view(), name="siasn_riwayat_kursus"),
]

urlpatterns = [
    path("v1/", include(v1_patterns)),
    path("schema/", views.Skema.as_view(), name="schema"),
    path("docs/", views.Dokumentasi.as_view(), name="docs"),
    # Whatever else is asked under /api/: the API's JSON 404, not the site's HTML page.
    re_path(r"^.*$", not_found),
]
