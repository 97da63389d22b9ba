from django.contrib import admin

from .models import BerhentiLangganan, ResponSurvei, SurelWarga, UnitLayanan


@admin.register(UnitLayanan)
class UnitLayananAdmin(admin.ModelAdmin):
    list_display = ["nama", "unit", "kode", "aktif"]
    raw_id_fields = ["unit", "petugas"]  # thousands of pegawai: no select list of them


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


@admin.register(SurelWarga)
class SurelWargaAdmin(admin.ModelAdmin):
    """The citizens' mails, as a record of what was sent (or left waiting for the sweep)."""

    list_display = ["judul", "alamat", "status", "created_at", "dikirim_at"]
    list_filter = ["status"]
    search_fields = ["alamat", "kunci"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BerhentiLangganan)
class BerhentiLanggananAdmin(admin.ModelAdmin):
    """Addresses that unsubscribed: removed only at the citizen's own request."""

    list_display = ["alamat", "created_at"]
    search_fields = ["alamat"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
