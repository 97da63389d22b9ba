from django.urls import path

from . import views

app_name = "pelatihan"

urlpatterns = [
    path("", views.pelatihan_list, name="list"),
    path("tambah/", views.pelatihan_create, name="create"),
    path("<int:pk>/", views.pelatihan_detail, name="detail"),
    path("<int:pk>/ubah/", views.pelatihan_update, name="update"),
    path("<int:pk>/angkatan/tambah/", views.angkatan_create, name="angkatan_create"),
    path("angkatan/<int:pk>/", views.angkatan_detail, name="angkatan_detail"),
    path("angkatan/<int:pk>/ubah/", views.angkatan_update, name="angkatan_update"),
    path("angkatan/<int:pk>/nominasi/", views.angkatan_nominate, name="angkatan_nominate"),
    path("angkatan/<int:pk>/daftar/", views.angkatan_request, name="angkatan_request"),
    path("sesi/<int:pk>/kehadiran/", views.sesi_kehadiran, name="sesi_kehadiran"),
    path("peserta/<int:pk>/setujui/", views.peserta_approve, name="peserta_approve"),
    path("peserta/<int:pk>/tolak/", views.peserta_reject, name="peserta_reject"),
    path("peserta/<int:pk>/konfirmasi/", views.peserta_confirm, name="peserta_confirm"),
    path("peserta/<int:pk>/batal/", views.peserta_cancel, name="peserta_cancel"),
    path("peserta/<int:pk>/nilai/", views.peserta_decide, name="peserta_decide"),
    path("peserta/<int:pk>/sertifikat.pdf", views.sertifikat_pdf, name="sertifikat_pdf"),
    path("peserta/<int:pk>/sertifikat/cabut/", views.sertifikat_revoke, name="sertifikat_revoke"),
    path("kompetensi/", views.kompetensi_list, name="kompetensi_list"),
    path("kompetensi/tambah/", views.kompetensi_create, name="kompetensi_create"),
    path("kompetensi/standar/<int:pk>/", views.standar_update, name="standar_update"),
    path("kompetensi/pegawai/<int:pk>/", views.kompetensi_pegawai, name="kompetensi_pegawai"),
    path("kompetensi/unit/", views.kompetensi_unit, name="kompetensi_unit"),
    path("jp/", views.jp_saya, name="jp_saya"),
    path("jp/kepatuhan/", views.jp_kepatuhan, name="jp_kepatuhan"),
    path("jp/siasn.csv", views.siasn_export, name="siasn_export"),
    path("beasiswa/", views.beasiswa_list, name="beasiswa_list"),
    path("beasiswa/tambah/", views.beasiswa_create, name="beasiswa_create"),
    path("beasiswa/<int:pk>/", views.beasiswa_detail, name="beasiswa_detail"),
    path("beasiswa/pendaftaran/<int:pk>/putuskan/", views.beasiswa_decide, name="beasiswa_decide"),
    path("beasiswa/studi/<int:pk>/", views.studi_detail, name="studi_detail"),
    path("mitra/", views.mitra_list, name="mitra_list"),
    path("mitra/kerja-sama/tambah/", views.kerja_sama_create, name="kerja_sama_create"),
    path("kegiatan/tambah/", views.kegiatan_create, name="kegiatan_create"),
    path("kegiatan/verifikasi/", views.kegiatan_verification_list, name="kegiatan_verifikasi"),
    path("kegiatan/<int:pk>/berkas/", views.kegiatan_file, name="kegiatan_file"),
    path("kegiatan/<int:pk>/putuskan/", views.kegiatan_decide, name="kegiatan_decide"),
]
