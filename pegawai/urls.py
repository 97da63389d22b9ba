from django.urls import path

from . import views

app_name = "pegawai"

urlpatterns = [
    path("", views.pegawai_list, name="list"),
    path("ekspor.csv", views.pegawai_export, {"fmt": "csv"}, name="export_csv"),
    path("ekspor.xlsx", views.pegawai_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("tambah/", views.pegawai_create, name="create"),
    path("unit/cari/", views.unit_cari, name="unit_cari"),
    path("<int:pk>/", views.pegawai_detail, name="detail"),
    path("<int:pk>/ubah/", views.pegawai_update, name="update"),
    path("<int:pk>/nonaktifkan/", views.pegawai_deactivate, name="deactivate"),
    path("<int:pk>/aktifkan/", views.pegawai_activate, name="activate"),
    path("<int:pk>/akun/", views.pegawai_akun_create, name="akun_create"),
    path("<int:pk>/akun/undang-ulang/", views.pegawai_akun_resend, name="akun_resend"),
    path("<int:pk>/disiplin/", views.disiplin_list, name="disiplin_list"),
    path("<int:pk>/disiplin/tambah/", views.disiplin_create, name="disiplin_create"),
    path("disiplin/<int:pk>/ubah/", views.disiplin_update, name="disiplin_update"),
    path("pindah-keluar/", views.pegawai_pindah_keluar, name="pindah_keluar"),
    path("<int:pk>/riwayat/", views.riwayat_detail, name="riwayat"),
    path("<int:pk>/riwayat/<slug:jenis>/tambah/", views.riwayat_create, name="riwayat_create"),
    path("<int:pk>/mutasi/", views.pegawai_mutasi, name="mutasi"),
    path("riwayat/<slug:jenis>/<int:pk>/ubah/", views.riwayat_update, name="riwayat_update"),
    path("riwayat/<slug:jenis>/<int:pk>/hapus/", views.riwayat_delete, name="riwayat_delete"),
    path("riwayat/<slug:jenis>/<int:pk>/berkas/", views.riwayat_dokumen, name="riwayat_dokumen"),
    path("riwayat/impor/", views.riwayat_impor, name="riwayat_impor"),
    path(
        "riwayat/impor/templat-<slug:jenis>.xlsx",
        views.riwayat_impor_template,
        name="riwayat_impor_template",
    ),
    path("impor/", views.impor_create, name="impor_create"),
    path("impor/templat.xlsx", views.impor_template, name="impor_template"),
    path("impor/<int:pk>/", views.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/simpan/", views.impor_commit, name="impor_commit"),
    path("siasn/", views.siasn_list, name="siasn_list"),
    path("siasn/unggah/", views.siasn_create, name="siasn_create"),
    path("siasn/contoh.csv", views.siasn_contoh, name="siasn_contoh"),
    path("siasn/<int:pk>/", views.siasn_detail, name="siasn_detail"),
    path("siasn/<int:pk>/selisih.csv", views.siasn_export, name="siasn_export"),
    path(
        "siasn/selisih/<int:pk>/tindak-lanjut/",
        views.selisih_tindak_lanjut,
        name="selisih_tindak_lanjut",
    ),
]

# Mounted at /notifikasi/ under the namespace "notifikasi" (pembinaan/urls.py): a login's own
# notifications, whoever it is.
notifikasi_patterns = [
    path("", views.notifikasi_list, name="list"),
    path("<int:pk>/", views.notifikasi_buka, name="buka"),
    path("baca-semua/", views.notifikasi_baca_semua, name="baca_semua"),
    path("pengaturan/", views.notifikasi_pengaturan, name="pengaturan"),
]

# Mounted at /akun/ under the namespace "akun" (pembinaan/urls.py): administrators and the
# province's HR manage the logins of the whole province.
akun_patterns = [
    path("", views.akun_list, name="list"),
    path("buat/", views.akun_massal, name="massal"),
    path("<int:pk>/", views.akun_detail, name="detail"),
    path("<int:pk>/peran/", views.akun_peran, name="peran"),
    path("<int:pk>/nonaktifkan/", views.akun_deactivate, name="deactivate"),
    path("<int:pk>/aktifkan/", views.akun_activate, name="activate"),
    path("pengelola/", views.pengelola_list, name="pengelola_list"),
    path("pengelola/cabut/", views.pengelola_withdraw, name="pengelola_withdraw"),
    path("<int:pk>/dua-faktor/reset/", views.akun_dua_faktor_reset, name="dua_faktor_reset"),
]

# Mounted at /akun/dua-faktor/ under the namespace "dua_faktor" (pembinaan/urls.py): a login's
# own second step of signing in; reachable before that step is passed (pegawai.middleware).
dua_faktor_patterns = [
    path("", views.dua_faktor_status, name="status"),
    path("daftar/", views.dua_faktor_enrol, name="enrol"),
    path("verifikasi/", views.dua_faktor_verify, name="verify"),
    path("matikan/", views.dua_faktor_disable, name="disable"),
    path("kode-cadangan/", views.kode_cadangan_show, name="kode_cadangan"),
    path("kode-cadangan/unduh/", views.kode_cadangan_download, name="kode_cadangan_download"),
    path("kode-cadangan/buat/", views.kode_cadangan_create, name="kode_cadangan_create"),
]


# Mounted at /hari-libur/ under the namespace "hari_libur" (pembinaan/urls.py): the national
# holidays and cuti bersama, kept by administrators.
hari_libur_patterns = [
    path("", views.hari_libur_list, name="list"),
    path("tambah/", views.hari_libur_create, name="create"),
    path("<int:pk>/ubah/", views.hari_libur_update, name="update"),
    path("<int:pk>/hapus/", views.hari_libur_delete, name="delete"),
]
