from django.contrib import admin

from .models import ResponSurvei, UnitLayanan


@admin.register(UnitLayanan)
class UnitLayananAdmin(admin.ModelAdmin):
    list_display = ["nama", "unit", "kode", "aktif"]
    raw_id_fields = ["unit"]


@admin.register(ResponSurvei)
class ResponSurveiAdmin(admin.ModelAdmin):
    """Citizens' answers are a record: viewed, or deleted when they are spam (the monthly
    rollup follows, masyarakat.signals), never edited or typed in."""

    list_display = ["unit_layanan", "tanggal", "sumber"]
    list_filter = ["sumber"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
