"""What the API shows of each record, and what it accepts. Field names are SIBINA's own
(Indonesian domain nouns), except the SIASN export, which keeps SIASN's."""

from django.conf import settings
from rest_framework import serializers

from masyarakat.referensi import KEYS
from pegawai import nip as nip_rules
from pegawai.models import (
    Pegawai,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    UnitKerja,
)
from pelatihan.models import Angkatan, CatatanJP, KegiatanEksternal, Pelatihan, Peserta, Sertifikat
from pelatihan.reports import PNS_STATUSES, SIASN_HEADER

WAJIB = {"required": "Wajib diisi.", "null": "Wajib diisi.", "blank": "Wajib diisi."}


class UnitRingkasSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitKerja
        fields = ["id", "kode", "nama"]


class UnitKerjaSerializer(serializers.ModelSerializer):
    induk = serializers.SerializerMethodField(help_text="Id unit induk; null untuk OPD.")

    class Meta:
        model = UnitKerja
        fields = ["id", "kode", "nama", "jenis", "depth", "induk"]

    def get_induk(self, unit) -> int | None:
        # The parent's id from the path, without a query per row: the view passes the ids of
        # the page's units by path (context["unit_by_path"]).
        parent_path = unit.path[: -UnitKerja.steplen]
        return self.context.get("unit_by_path", {}).get(parent_path)


class GolonganField(serializers.Serializer):
    kode = serializers.IntegerField()
    ruang = serializers.CharField()
    pangkat = serializers.CharField()


class JabatanField(serializers.Serializer):
    nama = serializers.CharField()
    jenis = serializers.CharField()
    jenjang = serializers.CharField()


class PegawaiSerializer(serializers.ModelSerializer):
    nama_lengkap = serializers.CharField(read_only=True)
    golongan = GolonganField(read_only=True)
    jabatan = JabatanField(read_only=True)
    unit = UnitRingkasSerializer(read_only=True)
    atasan_nip = serializers.CharField(source="atasan.nip", allow_null=True, default=None)

    class Meta:
        model = Pegawai
        fields = [
            "nip", "nama", "gelar_depan", "gelar_belakang", "nama_lengkap",
            "status_kepegawaian", "jenis_kelamin", "tanggal_lahir", "tmt_cpns", "tmt_pns",
            "golongan", "tmt_golongan", "jabatan", "tmt_jabatan", "unit", "atasan_nip",
            "pendidikan_terakhir", "aktif",
        ]  # fmt: skip


class RiwayatGolonganSerializer(serializers.ModelSerializer):
    golongan = GolonganField(read_only=True)

    class Meta:
        model = RiwayatGolongan
        fields = ["golongan", "tmt", "jenis_kenaikan", "nomor_sk", "tanggal_sk"]


class RiwayatJabatanSerializer(serializers.ModelSerializer):
    jabatan = JabatanField(read_only=True)

    class Meta:
        model = RiwayatJabatan
        fields = ["jabatan", "tmt", "nomor_sk", "tanggal_sk"]


class RiwayatPendidikanSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiwayatPendidikan
        fields = ["jenjang", "nama_sekolah", "jurusan", "tahun_lulus", "nomor_ijazah"]


class RiwayatMutasiSerializer(serializers.ModelSerializer):
    unit_asal = UnitRingkasSerializer(read_only=True, allow_null=True)
    unit_tujuan = UnitRingkasSerializer(read_only=True)

    class Meta:
        model = RiwayatMutasi
        fields = ["unit_asal", "unit_tujuan", "tmt", "nomor_sk", "tanggal_sk", "alasan"]


class PegawaiDetailSerializer(PegawaiSerializer):
    riwayat_golongan = RiwayatGolonganSerializer(many=True, read_only=True)
    riwayat_jabatan = RiwayatJabatanSerializer(many=True, read_only=True)
    riwayat_pendidikan = RiwayatPendidikanSerializer(many=True, read_only=True)
    riwayat_mutasi = RiwayatMutasiSerializer(many=True, read_only=True)

    class Meta(PegawaiSerializer.Meta):
        fields = [
            *PegawaiSerializer.Meta.fields,
            "riwayat_golongan", "riwayat_jabatan", "riwayat_pendidikan", "riwayat_mutasi",
        ]  # fmt: skip


class PelatihanSerializer(serializers.ModelSerializer):
    jenis_nama = serializers.CharField(source="get_jenis_display", read_only=True)
    unit_penyelenggara = UnitRingkasSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Pelatihan
        fields = [
            "id", "nama", "jenis", "jenis_nama", "bidang", "jp", "penyelenggara_jenis",
            "penyelenggara", "unit_penyelenggara", "deskripsi",
        ]  # fmt: skip


class AngkatanSerializer(serializers.ModelSerializer):
    pelatihan_nama = serializers.CharField(source="pelatihan.nama", read_only=True)

    class Meta:
        model = Angkatan
        fields = [
            "id", "pelatihan", "pelatihan_nama", "nama", "tanggal_mulai", "tanggal_selesai",
            "tempat", "kuota", "status",
        ]  # fmt: skip


class SertifikatSerializer(serializers.ModelSerializer):
    url_verifikasi = serializers.SerializerMethodField()

    class Meta:
        model = Sertifikat
        fields = ["nomor", "kode", "diterbitkan_at", "dicabut_at", "url_verifikasi"]

    def get_url_verifikasi(self, sertifikat) -> str:
        return f"{settings.SITE_URL.rstrip('/')}{sertifikat.get_verification_url()}"


class PesertaSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    pelatihan = serializers.IntegerField(source="angkatan.pelatihan_id", read_only=True)
    pelatihan_nama = serializers.CharField(source="angkatan.pelatihan.nama", read_only=True)
    sertifikat = SertifikatSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Peserta
        fields = [
            "id", "angkatan", "pelatihan", "pelatihan_nama", "nip", "nama", "status", "lulus",
            "nilai_pre", "nilai_post", "sertifikat",
        ]  # fmt: skip


class SertifikatListSerializer(SertifikatSerializer):
    peserta = serializers.IntegerField(source="peserta_id", read_only=True)
    nip = serializers.CharField(source="peserta.pegawai.nip", read_only=True)
    pelatihan_nama = serializers.CharField(source="peserta.angkatan.pelatihan.nama", read_only=True)
    jp = serializers.IntegerField(source="peserta.angkatan.pelatihan.jp", read_only=True)

    class Meta(SertifikatSerializer.Meta):
        fields = ["id", "peserta", "nip", "pelatihan_nama", "jp", *SertifikatSerializer.Meta.fields]


class JPPegawaiSerializer(serializers.Serializer):
    """One pegawai's JP of a year from the ledger (pelatihan.reports.with_jp) and whether it
    meets the yearly rule: at least JP_TARGET_PNS for PNS, at most JP_MAX_PPPK for PPPK."""

    nip = serializers.CharField()
    nama = serializers.CharField(source="nama_lengkap")
    status_kepegawaian = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    tahun = serializers.SerializerMethodField()
    jp = serializers.IntegerField(source="jp_tahun")
    memenuhi = serializers.SerializerMethodField(
        help_text="PNS: JP mencapai target tahunan. PPPK: JP tidak melebihi batas."
    )

    def get_tahun(self, pegawai) -> int:
        return self.context["tahun"]

    def get_memenuhi(self, pegawai) -> bool:
        if pegawai.status_kepegawaian in PNS_STATUSES:
            return pegawai.jp_tahun >= settings.JP_TARGET_PNS
        return pegawai.jp_tahun <= settings.JP_MAX_PPPK


class CatatanJPSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    sumber = serializers.SerializerMethodField()

    class Meta:
        model = CatatanJP
        fields = ["id", "nip", "tahun", "tanggal", "jp", "uraian", "sumber", "peserta", "kegiatan"]

    def get_sumber(self, catatan) -> str:
        return "pelatihan" if catatan.peserta_id else "kegiatan_eksternal"


class KepatuhanSerializer(serializers.Serializer):
    tahun = serializers.IntegerField()
    target_jp_pns = serializers.IntegerField()
    batas_jp_pppk = serializers.IntegerField()
    pns = serializers.IntegerField()
    pns_patuh = serializers.IntegerField()
    persen_patuh = serializers.FloatField(allow_null=True)
    pppk = serializers.IntegerField()
    pppk_lebih = serializers.IntegerField()


class IKMSerializer(serializers.Serializer):
    unit_layanan = serializers.IntegerField()
    nama = serializers.CharField()
    unit = serializers.IntegerField()
    periode = serializers.CharField()
    mulai = serializers.DateField()
    akhir = serializers.DateField()
    responden = serializers.IntegerField()
    nrr = serializers.DictField(
        child=serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True),
        help_text=f"Nilai rata-rata per unsur ({', '.join(KEYS)}); null bila tak dijawab.",
    )
    ikm = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    konversi = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    mutu = serializers.CharField(allow_null=True)
    kinerja = serializers.CharField(allow_null=True)


class RiwayatKursusSerializer(serializers.Serializer):
    """SIASN riwayat kursus, in SIASN's own field names (pelatihan.reports.SIASN_HEADER)."""

    nip = serializers.CharField()
    namaKursus = serializers.CharField()
    jenisDiklatId = serializers.IntegerField()
    institusiPenyelenggara = serializers.CharField()
    jumlahJam = serializers.IntegerField()
    tanggalKursus = serializers.CharField(help_text="dd-mm-yyyy, seperti berkas impor SIASN.")
    tanggalSelesaiKursus = serializers.CharField(help_text="dd-mm-yyyy.")
    nomorSertipikat = serializers.CharField()
    tahunKursus = serializers.IntegerField()


assert list(RiwayatKursusSerializer().fields) == SIASN_HEADER  # the same columns as the CSV


# --- Input ------------------------------------------------------------------------------------


class NipField(serializers.CharField):
    """An 18-digit NIP or NI PPPK, spaces allowed (19660801 198803 1 001)."""

    default_error_messages = {**serializers.CharField.default_error_messages, **WAJIB,
                              "invalid": "NIP harus berupa teks."}  # fmt: skip

    def to_internal_value(self, data):
        return nip_rules.normalize(super().to_internal_value(data))


class NominasiSerializer(serializers.Serializer):
    nip = serializers.ListField(
        child=NipField(max_length=30),
        min_length=1,
        max_length=500,
        error_messages={
            **WAJIB,
            "not_a_list": 'Kirim daftar NIP: {{"nip": ["196608011988031001", …]}}.',
            "empty": "Daftar NIP kosong.",
            "min_length": "Daftar NIP kosong.",
            "max_length": "Paling banyak 500 NIP sekali kirim.",
        },
    )


class HasilNominasiSerializer(serializers.Serializer):
    nip = serializers.CharField()
    hasil = serializers.ChoiceField(choices=["terdaftar", "daftar_tunggu", "ditolak"])
    alasan = serializers.CharField(allow_blank=True)


class KegiatanInputSerializer(serializers.Serializer):
    """The fields of the page's form (pelatihan.forms.KegiatanForm, which validates them) and
    the pegawai's NIP. multipart/form-data, the evidence in `file`."""

    nip = NipField(max_length=30)
    nama = serializers.CharField(max_length=200)
    jenis = serializers.IntegerField(help_text="SIASN jenisDiklat 1–25.")
    penyelenggara = serializers.CharField(max_length=200)
    tanggal_mulai = serializers.DateField()
    tanggal_selesai = serializers.DateField()
    skala = serializers.ChoiceField(choices=KegiatanEksternal.Skala.choices, required=False)
    jumlah = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    jp = serializers.IntegerField(required=False)
    nomor_sertifikat = serializers.CharField(max_length=100, required=False)
    berlaku_sampai = serializers.DateField(required=False)
    file = serializers.FileField(help_text="PDF, PNG atau JPEG, paling besar 5 MB.")


class KegiatanSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    verifikator = serializers.SerializerMethodField()

    class Meta:
        model = KegiatanEksternal
        fields = [
            "id", "nip", "nama", "jenis", "penyelenggara", "tanggal_mulai", "tanggal_selesai",
            "skala", "jumlah", "jp", "nomor_sertifikat", "status", "verifikator",
        ]  # fmt: skip

    def get_verifikator(self, kegiatan) -> str:
        return "atasan_langsung" if kegiatan.oleh_atasan else "pengelola_unit"
