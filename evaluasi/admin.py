from django.contrib import admin

from .models import AksiPerubahan, PenilaianKinerja, PeriodePenilaian, PeriodeUnit, TonggakAksi


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


class TonggakInline(admin.TabularInline):
    model = TonggakAksi
    extra = 0
    fields = ["tahap", "uraian", "jatuh_tempo", "status"]
    readonly_fields = ["status"]


@admin.register(AksiPerubahan)
class AksiPerubahanAdmin(admin.ModelAdmin):
    list_display = ["judul", "pegawai", "unit", "status", "dipublikasikan_at"]
    list_filter = ["status"]
    search_fields = ["judul"]
    raw_id_fields = ["pegawai", "mentor", "peserta", "unit"]
    readonly_fields = ["status", "dimulai_at", "selesai_at", "dipublikasikan_at"]
    inlines = [TonggakInline]
    show_full_result_count = False
