from django.urls import include, path

from . import views

urlpatterns = [
    path("_bench/lantai/", views.bench_floor, name="bench_floor"),
    path("_bench/tulis/", views.bench_write_floor, name="bench_write_floor"),
    path("_bench/daftar-polos/", views.BenchPlainList.as_view(), name="bench_plain_list"),
    path("", include("pembinaan.urls")),
]

handler500 = "pembinaan.views.server_error"  # as in pembinaan/urls.py
