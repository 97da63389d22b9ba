from django.contrib import admin

from .models import PenilaianKinerja, PeriodePenilaian, PeriodeUnit


class PeriodeUnitInline(admin.TabularInline):
    model = PeriodeUnit
    extra = 0


@admin.register(PeriodePenilaian)
class PeriodePenilaianAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "tanggal_mulai", "tanggal_selesai", "status"]
    inlines = [PeriodeUnitInline]


@admin.register(PenilaianKinerja)
class PenilaianKinerjaAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "periode", "predikat", "penilai", "diketahui_at"]
    list_filter = ["predikat", "periode"]
    raw_id_fields = ["pegawai", "penilai", "jabatan"]
    readonly_fields = ["predikat"]
    show_full_result_count = False
