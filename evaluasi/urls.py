from django.urls import path, re_path

from . import views

app_name = "evaluasi"

urlpatterns = [
    path("", views.evaluasi_index, name="index"),
    path("periode/tambah/", views.periode_create, name="periode_create"),
    path("periode/<int:pk>/", views.periode_detail, name="periode_detail"),
    path("periode/<int:pk>/tutup/", views.periode_close, name="periode_close"),
    path("periode/<int:pk>/buka/", views.periode_reopen, name="periode_reopen"),
    path("periode/unit/<int:pk>/", views.periode_unit_update, name="periode_unit_update"),
    path("periode/<int:pk>/nilai/", views.penilaian_bawahan, name="penilaian_bawahan"),
    path("periode/<int:pk>/nilai/<int:pegawai_pk>/", views.penilaian_save, name="penilaian_save"),
    path("kinerja/<int:pk>/", views.kinerja_pegawai, name="kinerja_pegawai"),
    path("angkatan/<int:pk>/", views.angkatan_evaluasi, name="angkatan_evaluasi"),
    path("angkatan/<int:pk>/reaksi/", views.reaksi_create, name="reaksi_create"),
    path("pelatihan/<int:pk>/", views.pelatihan_evaluasi, name="pelatihan_evaluasi"),
    re_path(
        r"^berkas/(?P<jenis>pegawai|angkatan|unit)/(?P<pk>[0-9]+)/minta/$",
        views.berkas_request,
        name="berkas_request",
    ),
    path("berkas/<int:pk>/", views.berkas_detail, name="berkas_detail"),
    path("berkas/<int:pk>/unduh/", views.berkas_download, name="berkas_download"),
    path("berkas/<int:pk>/unduh/xlsx/", views.berkas_download_xlsx, name="berkas_download_xlsx"),
    path("iklim/", views.iklim_index, name="iklim_index"),
    path("iklim/<int:pk>/isi/", views.iklim_isi, name="iklim_isi"),
    path("iklim/<int:pk>/hasil/", views.iklim_hasil, name="iklim_hasil"),
    path("aksi/", views.aksi_list, name="aksi_list"),
    path("aksi/tambah/", views.aksi_create, name="aksi_create"),
    path("aksi/<int:pk>/", views.aksi_detail, name="aksi_detail"),
    path("aksi/<int:pk>/ubah/", views.aksi_update, name="aksi_update"),
    path("aksi/<int:pk>/status/", views.aksi_status, name="aksi_status"),
    path("aksi/<int:pk>/tonggak/tambah/", views.tonggak_create, name="tonggak_create"),
    path("aksi/<int:pk>/publikasi/", views.aksi_publish, name="aksi_publish"),
    path("tonggak/<int:pk>/lapor/", views.tonggak_report, name="tonggak_report"),
    path("tonggak/<int:pk>/putuskan/", views.tonggak_decide, name="tonggak_decide"),
    path("bukti/<int:pk>/unduh/", views.bukti_download, name="bukti_download"),
    path("keberlanjutan/<int:pk>/lapor/", views.keberlanjutan_report, name="keberlanjutan_report"),
    path("laporan/", views.laporan_list, name="laporan_list"),
    path("laporan/mulai/<int:pk>/", views.laporan_start, name="laporan_start"),
    path("laporan/<int:pk>/", views.laporan_detail, name="laporan_detail"),
    path("laporan/<int:pk>/putuskan/", views.laporan_decide, name="laporan_decide"),
    path("laporan/<int:pk>/lampiran/", views.laporan_lampiran, name="laporan_lampiran"),
    path("penilaian/<int:pk>/ketahui/", views.penilaian_acknowledge, name="penilaian_acknowledge"),
]
