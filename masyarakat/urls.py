from django.urls import path

from . import views

app_name = "masyarakat"

# The citizens' pages keep the short addresses printed on posters and in QR codes (/warga/,
# /survei/<kode>/, /masukan/, /forum/<kode>/); the officers' pages are under /masyarakat/.
urlpatterns = [
    path("warga/", views.warga, name="warga"),
    path("survei/<slug:kode>/", views.survei, name="survei"),
    path("survei/<slug:kode>/terima-kasih/", views.survei_terima_kasih, name="survei_terima_kasih"),
    path("forum/<slug:kode>/", views.forum_publik, name="forum_publik"),
    path("forum/batal/<str:token>/", views.forum_batal, name="forum_batal"),
    path("warga/berhenti/<str:token>/", views.berhenti, name="berhenti"),
    path("masukan/", views.masukan_create, name="masukan_create"),
    path("masukan/petugas/", views.masukan_petugas, name="masukan_petugas"),
    path("masukan/<str:kode>/", views.masukan_status, name="masukan_status"),
    path("masyarakat/forum/", views.forum_list, name="forum_list"),
    path("masyarakat/forum/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("masyarakat/masukan/", views.masukan_list, name="masukan_list"),
    path("masyarakat/masukan/<int:pk>/", views.masukan_detail, name="masukan_detail"),
    path("masyarakat/masukan/pegawai/<int:pk>/", views.masukan_pegawai, name="masukan_pegawai"),
    path("masyarakat/layanan/<int:pk>/petugas/", views.layanan_petugas, name="layanan_petugas"),
    path("masyarakat/layanan/<int:pk>/volume/", views.layanan_volume, name="layanan_volume"),
    path("masyarakat/ikm/", views.ikm, name="ikm"),
    path("masyarakat/ikm/impor/", views.survei_impor, name="survei_impor"),
    path(
        "masyarakat/ikm/impor/templat.csv",
        views.survei_impor_templat,
        name="survei_impor_templat",
    ),
]
