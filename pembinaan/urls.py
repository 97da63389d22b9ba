from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evaluasi import views as evaluasi_views
from masyarakat import views as masyarakat_views
from pelatihan import views as pelatihan_views

from . import views
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
    path("audit/", views.audit_list, name="audit_list"),
    path("kebutuhan/", views.kebutuhan_list, name="kebutuhan_list"),
    path("kebutuhan/rencanakan/", views.kebutuhan_rencanakan, name="kebutuhan_rencanakan"),
]

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
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
    path("program/", include((program_patterns, "pembinaan"))),
    path("pegawai/", include("pegawai.urls")),
    path("pelatihan/", include("pelatihan.urls")),
    path("evaluasi/", include("evaluasi.urls")),
    path("verifikasi/<str:kode>/", pelatihan_views.verifikasi, name="verifikasi"),
    path("survei/<slug:kode>/", masyarakat_views.survei, name="survei"),
    path(
        "survei/<slug:kode>/terima-kasih/",
        masyarakat_views.survei_terima_kasih,
        name="survei_terima_kasih",
    ),
    path("warga/", masyarakat_views.warga, name="warga"),
    path("inovasi/", evaluasi_views.inovasi_galeri, name="inovasi_galeri"),
    path("inovasi/<int:pk>/", evaluasi_views.inovasi_detail, name="inovasi_detail"),
    path("forum/<slug:kode>/", masyarakat_views.forum_publik, name="forum_publik"),
    path("masyarakat/forum/", masyarakat_views.forum_list, name="forum_list"),
    path("masyarakat/forum/<int:pk>/", masyarakat_views.forum_detail, name="forum_detail"),
    path("masukan/", masyarakat_views.masukan_create, name="masukan_create"),
    path("masukan/petugas/", masyarakat_views.masukan_petugas, name="masukan_petugas"),
    path("masukan/<str:kode>/", masyarakat_views.masukan_status, name="masukan_status"),
    path("masyarakat/masukan/", masyarakat_views.masukan_list, name="masukan_list"),
    path("masyarakat/masukan/<int:pk>/", masyarakat_views.masukan_detail, name="masukan_detail"),
    path(
        "masyarakat/masukan/pegawai/<int:pk>/",
        masyarakat_views.masukan_pegawai,
        name="masukan_pegawai",
    ),
    path("masyarakat/ikm/", masyarakat_views.ikm, name="ikm"),
    path("masyarakat/ikm/impor/", masyarakat_views.survei_impor, name="survei_impor"),
    path(
        "masyarakat/ikm/impor/templat.csv",
        masyarakat_views.survei_impor_templat,
        name="survei_impor_templat",
    ),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:
    urlpatterns += [
        path("_bench/lantai/", views.bench_floor, name="bench_floor"),
        path("_bench/tulis/", views.bench_write_floor, name="bench_write_floor"),
        path("_bench/daftar-polos/", views.BenchPlainList.as_view(), name="bench_plain_list"),
    ]
