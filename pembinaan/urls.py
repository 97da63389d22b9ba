from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evaluasi import views as evaluasi_views
from pegawai import sso
from pegawai import views as pegawai_views
from pegawai.urls import (
    akun_patterns,
    dua_faktor_patterns,
    hari_libur_patterns,
    notifikasi_patterns,
)
from pelatihan import views as pelatihan_views

from . import operasi, views
from .forms import LoginForm

program_patterns = [
    path("", views.program_list, name="program_list"),
    path("tambah/", views.program_create, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/hitung/", views.capaian_refresh, name="capaian_refresh"),
    path("target/<int:pk>/", views.target_update, name="target_update"),
    path("<int:pk>/laporan/", views.laporan_list, name="laporan_list"),
    path("<int:pk>/laporan/minta/", views.laporan_request, name="laporan_request"),
    path("laporan/<int:pk>/", views.laporan_detail, name="laporan_detail"),
    path("laporan/<int:pk>/unduh/", views.laporan_download, name="laporan_download"),
    path("laporan/<int:pk>/unduh/xlsx/", views.laporan_download_xlsx, name="laporan_download_xlsx"),
    path("audit/", views.audit_list, name="audit_list"),
    path("kebutuhan/", views.kebutuhan_list, name="kebutuhan_list"),
    path("kebutuhan/rencanakan/", views.kebutuhan_rencanakan, name="kebutuhan_rencanakan"),
    path("kepatuhan-jp/", views.jp_kepatuhan, name="jp_kepatuhan"),
    path("ip-asn/", views.ip_asn_unit, name="ip_asn_unit"),
    path("ip-asn/pegawai/<int:pk>/", views.ip_asn_pegawai, name="ip_asn_pegawai"),
    path("dampak/", views.dampak_list, name="dampak_list"),
    path("dampak/pelatihan/<int:pk>/", views.dampak_pelatihan, name="dampak_pelatihan"),
    path("dampak/layanan/<int:pk>/", views.dampak_layanan, name="dampak_layanan"),
    path("akpk/", views.akpk_list, name="akpk_list"),
    path("akpk/rencanakan/", views.akpk_rencanakan, name="akpk_rencanakan"),
    # Talent management (PermenPANRB 3/2020).
    path("talenta/", views.talenta_index, name="talenta_index"),
    path("talenta/penempatan/", views.penempatan_list, name="penempatan_list"),
    path("talenta/pool/", views.penempatan_list, {"pool": True}, name="talenta_pool"),
    path("talenta/penempatan/<int:pk>/", views.penempatan_detail, name="penempatan_detail"),
    path(
        "talenta/penempatan/<int:pk>/kalibrasi/",
        views.penempatan_calibrate,
        name="penempatan_calibrate",
    ),
    path("talenta/hitung/", views.penempatan_refresh, name="penempatan_refresh"),
    path("talenta/potensial/tambah/", views.potensial_create, name="potensial_create"),
    path("talenta/potensial/impor/", views.potensial_import, name="potensial_import"),
    path("talenta/kritikal/", views.kritikal_list, name="kritikal_list"),
    path("talenta/kritikal/tambah/", views.kritikal_create, name="kritikal_create"),
    path("talenta/kritikal/<int:pk>/", views.kritikal_detail, name="kritikal_detail"),
    path("talenta/kritikal/<int:pk>/kandidat/", views.kandidat_add, name="kandidat_add"),
    path("talenta/kandidat/<int:pk>/hapus/", views.kandidat_remove, name="kandidat_remove"),
    path("talenta/komite/", views.komite_list, name="komite_list"),
    path("talenta/komite/tambah/", views.komite_add, name="komite_add"),
    path("talenta/komite/<int:pk>/hapus/", views.komite_remove, name="komite_remove"),
    path("talenta/saya/", views.talenta_saya, name="talenta_saya"),
    # The REST API's client tokens (pembinaan.api, docs/api.md): administrators only.
    path("api-klien/", views.klien_api_list, name="klien_api_list"),
    path("api-klien/tambah/", views.klien_api_create, name="klien_api_create"),
    path("api-klien/token/", views.klien_api_token, name="klien_api_token"),
    path("api-klien/<int:pk>/cabut/", views.klien_api_revoke, name="klien_api_revoke"),
]

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            # A callable: the template asks it at each request, as the settings are now.
            extra_context={"sso_aktif": sso.is_enabled},
        ),
        name="login",
    ),
    # Single sign-on through the province's OpenID Connect provider (docs/sso.md).
    path("masuk/sso/", pegawai_views.sso_masuk, name="sso_masuk"),
    path("masuk/sso/kembali/", pegawai_views.sso_kembali, name="sso_kembali"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "akun/kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url="/akun/kata-sandi/selesai/"),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # A new account sets its first password here, from the link mailed by pegawai_akun_create.
    path(
        "akun/atur-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url="/akun/atur-sandi/selesai/"),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("akun/dua-faktor/", include((dua_faktor_patterns, "dua_faktor"))),
    # The personal calendar feed: its page, and the secret address calendar applications fetch.
    path("akun/kalender/", views.kalender_saya, name="kalender_saya"),
    path("akun/kalender/buat/", views.kalender_buat, name="kalender_buat"),
    path("akun/kalender/cabut/", views.kalender_cabut, name="kalender_cabut"),
    path("kalender/<str:token>.ics", views.kalender_feed, name="kalender_feed"),
    path("akun/", include((akun_patterns, "akun"))),
    path("tugas/", views.tugas_list, name="tugas"),
    path("notifikasi/", include((notifikasi_patterns, "notifikasi"))),
    path("hari-libur/", include((hari_libur_patterns, "hari_libur"))),
    path("program/", include((program_patterns, "pembinaan"))),
    path("pegawai/", include("pegawai.urls")),
    path("pelatihan/", include("pelatihan.urls")),
    path("evaluasi/", include("evaluasi.urls")),
    path("verifikasi/<str:kode>/", pelatihan_views.verifikasi, name="verifikasi"),
    path("inovasi/", evaluasi_views.inovasi_galeri, name="inovasi_galeri"),
    path("inovasi/<int:pk>/", evaluasi_views.inovasi_detail, name="inovasi_detail"),
    # Open data: public statistics, their CSVs and one ZIP (pembinaan/data_terbuka.py).
    path("data/", views.data_terbuka_index, name="data_terbuka"),
    path("data/semua.zip", views.data_terbuka_zip, name="data_terbuka_zip"),
    path("data/<slug:slug>.csv", views.data_terbuka_csv, name="data_terbuka_csv"),
    path("api/", include(("pembinaan.api.urls", "api"))),
    # The citizens' pages and the officers' pages about them (masyarakat/urls.py).
    path("", include("masyarakat.urls")),
    path("admin/", admin.site.urls),
    # For the proxy, the orchestrator and Prometheus (README: Operations); answered by
    # pembinaan.operasi.operasi_middleware before the login and the host check.
    path("healthz/", operasi.healthz, name="healthz"),
    path("metrics", operasi.metrics, name="metrics"),
]

# PostgreSQL unreachable: 503 and the maintenance page; any other error: the 500 page.
handler500 = "pembinaan.views.server_error"
