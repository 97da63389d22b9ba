"""Records that feed the IP ASN, built as HR and the workflows leave them (shared by the IP ASN
tests)."""

from datetime import date

from evaluasi.models import PenilaianKinerja, PeriodePenilaian
from pegawai.models import CatatanDisiplin, Pegawai
from pelatihan.models import CatatanJP, KegiatanEksternal, Peserta
from tests import factories

EKSPEKTASI = {  # a predicate and the (hasil kerja, perilaku kerja) that give it
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
    "kurang": ("sesuai", "di_bawah"),
    "sangat_kurang": ("di_bawah", "di_bawah"),
}


def lulus(pegawai: Pegawai, *, jenis: int, selesai: date, jp: int | None = None) -> Peserta:
    """A passed participation in a training of this kind; with `jp`, its JP in the ledger."""
    pelatihan = factories.pelatihan(nama=f"Pelatihan jenis {jenis} {selesai}", jenis=jenis)
    batch = factories.angkatan(pelatihan, mulai=selesai, selesai=selesai, status="selesai", sesi=1)
    peserta = Peserta.objects.create(
        angkatan=batch, pegawai=pegawai, status="terdaftar", lulus=True
    )
    if jp:
        CatatanJP.objects.create(
            pegawai=pegawai, peserta=peserta, tahun=selesai.year, tanggal=selesai, jp=jp,
            uraian=pelatihan.nama,
        )  # fmt: skip
    return peserta


def kegiatan(pegawai: Pegawai, *, jenis: int, tanggal: date, jp: int) -> CatatanJP:
    """A verified external activity (a seminar, a course) in the JP ledger."""
    activity = KegiatanEksternal.objects.create(
        pegawai=pegawai, nama="Seminar", jenis=jenis, penyelenggara="Unja", jp=jp,
        tanggal_mulai=tanggal, tanggal_selesai=tanggal, file="k.pdf", status="diverifikasi",
    )  # fmt: skip
    return CatatanJP.objects.create(
        pegawai=pegawai, kegiatan=activity, tahun=tanggal.year, tanggal=tanggal, jp=jp,
        uraian="Seminar",
    )  # fmt: skip


def predikat(pegawai: Pegawai, penilai: Pegawai, *, tahun: int, nilai: str, by) -> None:
    """The annual rating of a year that gives this predicate."""
    periode, _ = PeriodePenilaian.objects.get_or_create(
        nama=f"Tahunan {tahun}", jenis="tahunan", tanggal_mulai=date(tahun, 1, 1),
        tanggal_selesai=date(tahun, 12, 31), defaults={"dibuka_oleh": by},
    )  # fmt: skip
    hasil, perilaku = EKSPEKTASI[nilai]
    PenilaianKinerja.objects.create(
        periode=periode, pegawai=pegawai, penilai=penilai, hasil_kerja=hasil,
        perilaku_kerja=perilaku, jabatan=pegawai.jabatan,
    )  # fmt: skip


def hukuman(pegawai: Pegawai, *, tingkat: str, jenis: str, tmt: date, selesai=None):
    return CatatanDisiplin.objects.create(
        pegawai=pegawai, tingkat=tingkat, jenis_hukuman=jenis, nomor_sk=f"800/{tmt}",
        tanggal_sk=tmt, tmt=tmt, tanggal_selesai=selesai,
    )  # fmt: skip
