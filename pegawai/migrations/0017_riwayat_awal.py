"""The first history row of every pegawai from their current values (golongan, jabatan,
education, unit), so that the current values are the latest rows from the start. Written
without django-simple-history records: these rows predate the audit log."""

from datetime import date

from django.db import migrations

EARLIEST = date(1950, 1, 1)  # pegawai.models.RIWAYAT_TANGGAL_AWAL
CHUNK = 2000


def create_initial_rows(apps, schema_editor):
    Pegawai = apps.get_model("pegawai", "Pegawai")
    Golongan = apps.get_model("pegawai", "RiwayatGolongan")
    Jabatan = apps.get_model("pegawai", "RiwayatJabatan")
    Pendidikan = apps.get_model("pegawai", "RiwayatPendidikan")
    Mutasi = apps.get_model("pegawai", "RiwayatMutasi")
    rows = Pegawai.objects.order_by("pk").values_list(
        "pk", "golongan_id", "tmt_golongan", "jabatan_id", "tmt_jabatan", "pendidikan_terakhir",
        "unit_id", "tmt_cpns",
    )  # fmt: skip
    batch: dict[type, list] = {Golongan: [], Jabatan: [], Pendidikan: [], Mutasi: []}

    def flush():
        for model, objs in batch.items():
            model.objects.bulk_create(objs, batch_size=CHUNK, ignore_conflicts=True)
            objs.clear()

    for pk, golongan, tmt_golongan, jabatan, tmt_jabatan, pendidikan, unit, tmt_cpns in (
        rows.iterator(chunk_size=CHUNK)
    ):
        if tmt_golongan and tmt_golongan >= EARLIEST:
            batch[Golongan].append(Golongan(pegawai_id=pk, golongan_id=golongan, tmt=tmt_golongan))
        if tmt_jabatan and tmt_jabatan >= EARLIEST:
            batch[Jabatan].append(Jabatan(pegawai_id=pk, jabatan_id=jabatan, tmt=tmt_jabatan))
        if pendidikan:
            batch[Pendidikan].append(Pendidikan(pegawai_id=pk, jenjang=pendidikan))
        placed = tmt_cpns or tmt_golongan
        if placed and placed >= EARLIEST:
            batch[Mutasi].append(Mutasi(pegawai_id=pk, unit_tujuan_id=unit, tmt=placed))
        if len(batch[Golongan]) >= CHUNK:
            flush()
    flush()


def remove_rows(apps, schema_editor):
    for name in ["RiwayatGolongan", "RiwayatJabatan", "RiwayatPendidikan", "RiwayatMutasi"]:
        apps.get_model("pegawai", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pegawai", "0016_riwayat_karier")]

    operations = [migrations.RunPython(create_initial_rows, remove_rows)]
