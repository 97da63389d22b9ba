from django.contrib import admin

from .models import (
    Angkatan,
    AturanKonversiJP,
    CatatanJP,
    KegiatanEksternal,
    KerjaSama,
    Kompetensi,
    KompetensiLevel,
    Pelatihan,
    PelatihanKompetensi,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    Peserta,
    ProgramBeasiswa,
    Sertifikat,
    StandarKompetensi,
    StudiPegawai,
)


class LevelInline(admin.TabularInline):
    model = KompetensiLevel
    extra = 0


@admin.register(Kompetensi)
class KompetensiAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis"]
    list_filter = ["jenis"]
    inlines = [LevelInline]


@admin.register(StandarKompetensi)
class StandarKompetensiAdmin(admin.ModelAdmin):
    list_display = ["jabatan", "kompetensi", "level"]
    list_select_related = ["jabatan", "kompetensi"]


class TargetInline(admin.TabularInline):
    model = PelatihanKompetensi
    extra = 0


@admin.register(Pelatihan)
class PelatihanAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "bidang", "jp", "penyelenggara"]
    search_fields = ["nama", "bidang"]
    inlines = [TargetInline]


@admin.register(Angkatan)
class AngkatanAdmin(admin.ModelAdmin):
    list_display = ["pelatihan", "nama", "tanggal_mulai", "tanggal_selesai", "kuota", "status"]
    list_filter = ["status"]
    list_select_related = ["pelatihan"]


@admin.register(Peserta)
class PesertaAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "angkatan", "status", "lulus"]
    list_filter = ["status", "lulus"]
    raw_id_fields = ["pegawai", "angkatan"]
    list_select_related = ["pegawai", "angkatan__pelatihan"]
    show_full_result_count = False


@admin.register(Sertifikat)
class SertifikatAdmin(admin.ModelAdmin):
    list_display = ["nomor", "peserta", "diterbitkan_at", "dicabut_at"]
    raw_id_fields = ["peserta"]
    search_fields = ["nomor"]


@admin.register(KegiatanEksternal)
class KegiatanEksternalAdmin(admin.ModelAdmin):
    list_display = ["nama", "pegawai", "jenis", "status", "jp", "jp_dikreditkan", "tanggal_mulai"]
    list_filter = ["status", "jenis"]
    raw_id_fields = ["pegawai"]
    show_full_result_count = False


@admin.register(AturanKonversiJP)
class AturanKonversiJPAdmin(admin.ModelAdmin):
    # The page "Aturan konversi JP" (pelatihan:aturan_jp_list) is where administrators change them.
    list_display = ["jenis", "satuan", "jp_per_satuan", "batas_per_kegiatan", "batas_per_tahun"]


@admin.register(CatatanJP)
class CatatanJPAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "tahun", "jp", "uraian"]
    raw_id_fields = ["pegawai", "peserta", "kegiatan"]
    show_full_result_count = False


@admin.register(PerguruanTinggi)
class PerguruanTinggiAdmin(admin.ModelAdmin):
    list_display = ["nama", "singkatan", "kota"]


@admin.register(KerjaSama)
class KerjaSamaAdmin(admin.ModelAdmin):
    list_display = ["nomor", "perguruan_tinggi", "tanggal_tanda_tangan", "tanggal_berakhir"]


@admin.register(ProgramBeasiswa)
class ProgramBeasiswaAdmin(admin.ModelAdmin):
    list_display = ["nama", "perguruan_tinggi", "jenjang", "jenis", "kuota"]


@admin.register(PendaftaranBeasiswa)
class PendaftaranBeasiswaAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "program", "status", "peringkat"]
    raw_id_fields = ["pegawai"]


@admin.register(StudiPegawai)
class StudiPegawaiAdmin(admin.ModelAdmin):
    list_display = ["pegawai", "jenis", "tanggal_mulai", "ikatan_dinas_sampai", "status"]
    raw_id_fields = ["pegawai", "pendaftaran"]
