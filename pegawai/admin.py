from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Golongan, ImporPegawai, Jabatan, Pegawai, UnitKerja, User


@admin.register(User)
class SibinaUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "is_superuser", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("SIBINA", {"fields": ["pengelola_provinsi", "dinonaktifkan_admin"]}),
    ]

    def save_model(self, request, obj, form, change):
        # A login an administrator closes stays closed to the pengelola (pegawai.access).
        if "is_active" in form.changed_data:
            obj.dinonaktifkan_admin = not obj.is_active
        super().save_model(request, obj, form, change)


@admin.register(UnitKerja)
class UnitKerjaAdmin(TreeAdmin):
    form = movenodeform_factory(UnitKerja, fields=["kode", "nama", "jenis", "pengelola"])
    list_display = ["nama", "kode", "jenis"]
    search_fields = ["nama", "kode"]
    filter_horizontal = ["pengelola"]


@admin.register(Golongan)
class GolonganAdmin(admin.ModelAdmin):
    """Read-only: golongan are fixed by regulation, loaded by migration (pegawai/referensi.py)."""

    list_display = ["kode", "jenis", "ruang", "pangkat"]
    list_filter = ["jenis"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Jabatan)
class JabatanAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "jenjang"]
    list_filter = ["jenis"]
    search_fields = ["nama"]


@admin.register(Pegawai)
class PegawaiAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "nip", "unit", "golongan", "aktif"]
    list_filter = ["status_kepegawaian", "aktif"]
    list_select_related = ["unit", "golongan"]
    search_fields = ["nip", "nama"]
    raw_id_fields = ["atasan", "user", "unit"]
    # The admin's exact COUNT(*) over 100,000 rows is what the list pages avoid.
    show_full_result_count = False


@admin.register(ImporPegawai)
class ImporPegawaiAdmin(admin.ModelAdmin):
    list_display = ["nama_berkas", "status", "diunggah_oleh", "created_at"]
    readonly_fields = [f.name for f in ImporPegawai._meta.fields]
