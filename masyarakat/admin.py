from django.contrib import admin

from .models import ResponSurvei, UnitLayanan


@admin.register(UnitLayanan)
class UnitLayananAdmin(admin.ModelAdmin):
    list_display = ["nama", "unit", "kode", "aktif"]
    raw_id_fields = ["unit"]


@admin.register(ResponSurvei)
class ResponSurveiAdmin(admin.ModelAdmin):
    list_display = ["unit_layanan", "tanggal", "sumber"]
    list_filter = ["sumber"]
    show_full_result_count = False
