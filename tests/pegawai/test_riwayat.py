"""Career history (riwayat): the current golongan, jabatan, education and unit on a pegawai are
their latest history rows, whichever way they change (the pegawai form, the pegawai import, a
history row added, corrected or removed, a move), and a move takes the pegawai's scope with it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pegawai import services
from pegawai.models import (
    Golongan,
    Pegawai,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    User,
)
from tests import factories
from tests.pegawai.test_impor import csv_file, row, run_import
from tests.test_post_matrix import initial_data

pytestmark = pytest.mark.usefixtures("private_media")


def fresh(pegawai) -> Pegawai:
    return Pegawai.objects.get(pk=pegawai.pk)


def golongan_steps(pegawai) -> list[tuple[date, int]]:
    return list(
        RiwayatGolongan.objects.filter(pegawai=pegawai)
        .order_by("tmt")
        .values_list("tmt", "golongan_id")
    )


def add_golongan(pegawai, kode, tmt, user, **extra) -> RiwayatGolongan:
    row = RiwayatGolongan(pegawai=pegawai, golongan_id=kode, tmt=tmt, **extra)
    return services.riwayat_save(riwayat=row, user=user)


def form_data(pegawai, **changes) -> dict:
    from pegawai.forms import PegawaiForm

    form = PegawaiForm(instance=fresh(pegawai), user=User.objects.get(username="admin"))
    return initial_data(form) | changes


# --- The pegawai form ----------------------------------------------------------------------


def test_a_new_golongan_through_the_form_writes_a_history_row(login, cast):
    pegawai = cast.pegawai_pegawai
    client = login(cast.pengelola)
    data = form_data(pegawai, golongan="33", tmt_golongan="2023-04-01")
    assert client.post(reverse("pegawai:update", args=[pegawai.pk]), data).status_code == 302
    assert golongan_steps(pegawai) == [(date(2019, 4, 1), 32), (date(2023, 4, 1), 33)]
    row = RiwayatGolongan.objects.get(pegawai=pegawai, tmt=date(2023, 4, 1))
    assert row.history.get().history_user == cast.pengelola  # in the audit log, by whom


def test_a_corrected_tmt_with_the_same_golongan_moves_its_row_instead_of_adding_one(login, cast):
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 32, date(2019, 4, 1), cast.admin)  # its current value
    data = form_data(pegawai, tmt_golongan="2019-10-01")
    login(cast.pengelola).post(reverse("pegawai:update", args=[pegawai.pk]), data)
    assert golongan_steps(pegawai) == [(date(2019, 10, 1), 32)]


def test_the_form_refuses_a_golongan_older_than_the_history_and_saves_nothing(login, cast):
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 33, date(2023, 4, 1), cast.admin)
    data = form_data(pegawai, golongan="31", tmt_golongan="2015-04-01")
    response = login(cast.pengelola).post(reverse("pegawai:update", args=[pegawai.pk]), data)
    assert response.status_code == 200
    assert "tidak boleh lebih awal" in response.content.decode()
    assert fresh(pegawai).golongan_id == 33
    assert not RiwayatGolongan.objects.filter(tmt=date(2015, 4, 1)).exists()


def test_a_new_jabatan_and_education_through_the_form_are_history_rows(login, cast):
    pegawai = cast.pegawai_pegawai
    jabatan = factories.jabatan("Analis Kebijakan Ahli Muda", jenis="fungsional",
                                jenjang="ahli_muda")  # fmt: skip
    data = form_data(
        pegawai, jabatan=str(jabatan.pk), tmt_jabatan="2024-01-02", pendidikan_terakhir="s2"
    )
    login(cast.pengelola).post(reverse("pegawai:update", args=[pegawai.pk]), data)
    assert RiwayatJabatan.objects.filter(pegawai=pegawai, tmt=date(2024, 1, 2),
                                         jabatan=jabatan).exists()  # fmt: skip
    assert set(
        RiwayatPendidikan.objects.filter(pegawai=pegawai).values_list("jenjang", flat=True)
    ) == {"s1", "s2"}


def test_a_unit_changed_through_the_form_is_a_move_dated_today(login, cast):
    pegawai = cast.pegawai_pegawai
    data = form_data(pegawai, unit=str(cast.dinkes.pk))
    login(cast.pengelola).post(reverse("pegawai:update", args=[pegawai.pk]), data)
    move = RiwayatMutasi.objects.get(pegawai=pegawai)
    assert (move.unit_asal, move.unit_tujuan) == (cast.yankes, cast.dinkes)
    assert move.tmt == timezone.localdate()


# --- History rows ---------------------------------------------------------------------------


def test_a_later_golongan_row_becomes_the_current_golongan(cast):
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 34, date(2024, 4, 1), cast.pengelola, nomor_sk="800/7/2024")
    pegawai = fresh(pegawai)
    assert (pegawai.golongan_id, pegawai.tmt_golongan) == (34, date(2024, 4, 1))
    # The value it replaced stays as the earlier step.
    assert golongan_steps(pegawai) == [(date(2019, 4, 1), 32), (date(2024, 4, 1), 34)]


def test_an_earlier_row_is_history_and_leaves_the_current_golongan(cast):
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 31, date(2015, 4, 1), cast.pengelola)
    assert fresh(pegawai).golongan_id == 32


def test_removing_or_correcting_the_latest_row_sets_the_current_value_again(cast):
    pegawai = cast.pegawai_pegawai
    latest = add_golongan(pegawai, 34, date(2024, 4, 1), cast.pengelola)
    latest.golongan = Golongan.objects.get(kode=33)
    services.riwayat_save(riwayat=latest, user=cast.pengelola)
    assert fresh(pegawai).golongan_id == 33
    services.riwayat_delete(riwayat=latest, user=cast.pengelola)
    assert (fresh(pegawai).golongan_id, fresh(pegawai).tmt_golongan) == (32, date(2019, 4, 1))


def test_the_only_row_of_a_kind_cannot_be_removed(cast):
    pegawai = cast.pegawai_pegawai
    only = add_golongan(pegawai, 32, date(2019, 4, 1), cast.pengelola)
    with pytest.raises(ValidationError, match="satu-satunya"):
        services.riwayat_delete(riwayat=only, user=cast.pengelola)


def test_a_golongan_of_the_wrong_kind_for_the_status_is_refused(cast):
    with pytest.raises(ValidationError, match="golongan PNS"):
        add_golongan(cast.pegawai_pegawai, 109, date(2024, 4, 1), cast.pengelola)


def test_the_highest_education_is_the_pendidikan_terakhir(cast):
    pegawai = cast.pegawai_pegawai
    services.riwayat_pendidikan_add(
        pegawai=pegawai, jenjang="s2", nama_sekolah="Universitas Jambi", jurusan="Kesmas",
        tahun_lulus=2021, user=cast.pengelola, reason="Ijazah S-2",
    )  # fmt: skip
    services.riwayat_save(
        riwayat=RiwayatPendidikan(pegawai=pegawai, jenjang="d3", tahun_lulus=2008),
        user=cast.pengelola,
    )
    assert fresh(pegawai).pendidikan_terakhir == "s2"


def test_a_history_row_before_birth_or_1950_is_refused(cast):
    with pytest.raises(ValidationError):
        add_golongan(cast.pegawai_pegawai, 31, date(1949, 1, 1), cast.pengelola)
    with pytest.raises(ValidationError, match="sesudah tanggal lahir"):
        add_golongan(cast.pegawai_pegawai, 31, cast.pegawai_pegawai.tanggal_lahir, cast.pengelola)


def test_a_history_row_or_decree_dated_after_today_is_refused(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="TMT tidak boleh setelah hari ini"):
        add_golongan(cast.pegawai_pegawai, 34, tomorrow, cast.pengelola)
    with pytest.raises(ValidationError, match="Tanggal SK tidak boleh setelah hari ini"):
        add_golongan(
            cast.pegawai_pegawai, 34, date(2024, 4, 1), cast.pengelola, tanggal_sk=tomorrow
        )
    assert not RiwayatGolongan.objects.filter(golongan_id=34).exists()


# --- The pegawai import ----------------------------------------------------------------------


def test_the_import_writes_the_first_rows_of_a_new_pegawai(cast):
    job = run_import(csv_file([row()]), cast.pengelola)
    assert job.status == "selesai", job.kesalahan
    pegawai = Pegawai.objects.get(nip="199003152015031002")
    assert golongan_steps(pegawai) == [(date(2019, 4, 1), pegawai.golongan_id)]
    assert RiwayatJabatan.objects.get(pegawai=pegawai).tmt == date(2022, 1, 1)
    assert RiwayatMutasi.objects.get(pegawai=pegawai).unit_tujuan.kode == "DINKES.YANKES"


def test_the_import_adds_a_golongan_step_and_refuses_one_older_than_the_history(cast):
    run_import(csv_file([row()]), cast.pengelola)
    pegawai = Pegawai.objects.get(nip="199003152015031002")
    run_import(csv_file([row(golongan="III/c", tmt_golongan="01/04/2023")]), cast.pengelola)
    assert golongan_steps(pegawai)[-1] == (date(2023, 4, 1), 33)
    job = run_import(csv_file([row(golongan="III/a", tmt_golongan="01/04/2010")]), cast.pengelola)
    assert job.status == "tidak_valid"
    assert [(e["baris"], e["kolom"]) for e in job.kesalahan] == [(2, "tmt_golongan")]
    assert fresh(pegawai).golongan_id == 33


# --- Mutasi and scope -----------------------------------------------------------------------


def move(cast, pegawai, *, by, tmt=None, atasan=None):
    return services.pegawai_mutasi(
        pegawai=pegawai, unit_tujuan=cast.bkd, tmt=tmt or timezone.localdate(), atasan=atasan,
        user=by, nomor_sk="821/5/BKD/2026", alasan="Penyegaran",
    )  # fmt: skip


def test_a_move_records_the_units_and_sets_the_unit_and_atasan(cast):
    pegawai = cast.pegawai_pegawai
    row = move(cast, pegawai, by=cast.pengelola, atasan=cast.outsider_pegawai)
    assert (row.unit_asal, row.unit_tujuan) == (cast.yankes, cast.bkd)
    pegawai = fresh(pegawai)
    assert (pegawai.unit, pegawai.atasan) == (cast.bkd, cast.outsider_pegawai)
    # The placement before it is the first row of the history.
    assert RiwayatMutasi.objects.filter(pegawai=pegawai).count() == 2


def test_after_a_move_the_old_units_hr_no_longer_see_the_pegawai_and_the_new_ones_do(
    login, cast_lengkap
):
    cast = cast_lengkap
    pegawai = cast.pegawai_pegawai
    move(cast, pegawai, by=cast.pengelola)
    old, new = login(cast.pengelola), None
    assert old.get(reverse("pegawai:detail", args=[pegawai.pk])).status_code == 404
    assert pegawai.nama not in old.get(reverse("pegawai:list")).content.decode()
    new = login(cast.pengelola_lain)
    assert new.get(reverse("pegawai:detail", args=[pegawai.pk])).status_code == 200
    assert pegawai.nama in new.get(reverse("pegawai:list")).content.decode()


def test_the_old_units_hr_read_the_history_up_to_the_move_only(login, cast):
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 33, date(2023, 4, 1), cast.pengelola)
    move(cast, pegawai, by=cast.pengelola, tmt=timezone.localdate() - timedelta(days=10))
    # The new unit's HR record a later step.
    lain = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(lain)
    add_golongan(fresh(pegawai), 34, timezone.localdate(), lain)
    response = login(cast.pengelola).get(reverse("pegawai:riwayat", args=[pegawai.pk]))
    assert response.status_code == 200
    steps = [r.tmt for r in response.context["karier"].golongan]
    assert steps == [date(2023, 4, 1), date(2019, 4, 1)]
    assert response.context["can_manage_riwayat"] is False
    assert "Koreksi" not in response.content.decode()


def test_nobody_else_reads_the_history_of_a_pegawai_they_never_had(login, cast_lengkap):
    cast = cast_lengkap
    url = reverse("pegawai:riwayat", args=[cast.pegawai_pegawai.pk])
    assert login(cast.pengelola_lain).get(url).status_code == 404
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.pegawai).get(url).status_code == 200  # their own


def test_a_move_to_the_same_unit_or_dated_in_the_future_is_refused(cast):
    pegawai = cast.pegawai_pegawai
    with pytest.raises(ValidationError, match="sudah berada"):
        services.pegawai_mutasi(
            pegawai=pegawai, unit_tujuan=cast.yankes, tmt=timezone.localdate(), atasan=None,
            user=cast.pengelola,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="sesudah hari ini"):
        move(cast, pegawai, by=cast.pengelola, tmt=timezone.localdate() + timedelta(days=1))
    assert fresh(pegawai).unit == cast.yankes


def test_the_new_units_hr_are_notified_of_the_move(cast_lengkap):
    cast = cast_lengkap
    move(cast, cast.pegawai_pegawai, by=cast.pengelola)
    assert cast.pengelola_lain.notifikasi.filter(judul__startswith="Pegawai pindah").exists()


def test_province_hr_move_a_pegawai_through_the_page(login, cast_lengkap):
    cast = cast_lengkap
    pegawai = cast.pegawai_pegawai
    response = login(cast.provinsi).post(
        reverse("pegawai:mutasi", args=[pegawai.pk]),
        {"unit_tujuan": cast.bkd.pk, "tmt": timezone.localdate().isoformat(),
         "atasan": cast.outsider_pegawai.nip},
    )  # fmt: skip
    assert response.status_code == 302
    assert (fresh(pegawai).unit, fresh(pegawai).atasan) == (cast.bkd, cast.outsider_pegawai)


def test_a_pegawai_may_not_move_themself(login, cast_lengkap):
    cast = cast_lengkap
    own = cast.pengelola_pegawai_pegawai
    url = reverse("pegawai:mutasi", args=[own.pk])
    response = login(cast.pengelola_pegawai).post(
        url, {"unit_tujuan": cast.bkd.pk, "tmt": timezone.localdate().isoformat()}
    )
    assert response.status_code == 403
    assert fresh(own).unit == cast.dinkes


# --- The page -------------------------------------------------------------------------------


def test_hr_add_a_golongan_row_through_the_page_and_the_pegawai_reads_it_only(login, cast):
    pegawai = cast.pegawai_pegawai
    url = reverse("pegawai:riwayat_create", args=[pegawai.pk, "golongan"])
    response = login(cast.pengelola).post(
        url, {"golongan": 33, "tmt": "2023-04-01", "jenis_kenaikan": "reguler",
              "nomor_sk": "800/3/2023", "tanggal_sk": "2023-03-15"},
    )  # fmt: skip
    assert response.status_code == 302
    assert fresh(pegawai).golongan_id == 33
    page = login(cast.pegawai).get(reverse("pegawai:detail", args=[pegawai.pk]))
    text = page.content.decode()
    assert "800/3/2023" in text and "Tambah riwayat golongan" not in text
    assert login(cast.pegawai).get(url).status_code == 403


def test_an_invalid_row_shows_the_form_again_and_saves_nothing(login, cast):
    pegawai = cast.pegawai_pegawai
    url = reverse("pegawai:riwayat_create", args=[pegawai.pk, "golongan"])
    response = login(cast.pengelola).post(url, {"golongan": 33, "tmt": "1901-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not RiwayatGolongan.objects.exists()


def test_an_unknown_kind_of_history_is_not_found(login, cast):
    url = reverse("pegawai:riwayat_create", args=[cast.pegawai_pegawai.pk, "gaji"])
    assert login(cast.pengelola).get(url).status_code == 404


def test_the_history_page_costs_the_same_queries_at_2_and_20_rows(
    login, cast, django_assert_max_num_queries
):
    from tests.queries import cold_queries

    pegawai, client = cast.pegawai_pegawai, login(cast.pengelola)
    url = reverse("pegawai:riwayat", args=[pegawai.pk])

    def grow(start: int, end: int):
        for year in range(start, end):
            add_golongan(pegawai, 31 + year % 4, date(1995 + year, 4, 1), cast.pengelola)
            services.riwayat_save(
                riwayat=RiwayatJabatan(pegawai=pegawai, jabatan=pegawai.jabatan,
                                       tmt=date(1995 + year, 1, 2)),
                user=cast.pengelola,
            )  # fmt: skip

    grow(0, 2)
    with cold_queries() as small:
        client.get(url)
    grow(2, 20)
    with django_assert_max_num_queries(len(small)), cold_queries():
        response = client.get(url)
    assert len(response.context["karier"].golongan) >= 20


# --- The audit log -------------------------------------------------------------------------------


def test_history_rows_and_moves_are_in_the_audit_log_for_both_units(login, cast_lengkap):
    cast = cast_lengkap
    pegawai = cast.pegawai_pegawai
    add_golongan(pegawai, 33, date(2023, 4, 1), cast.pengelola, nomor_sk="800/3/2023")
    move(cast, pegawai, by=cast.pengelola)
    audit = reverse("pembinaan:audit_list")
    entries = login(cast.admin).get(audit, {"jenis": "riwayat_golongan"}).context["page"].entries
    step = next(e for e in entries if ("TMT", "–", "1 April 2023") in
                {(c.field, c.old, c.new) for c in e.perubahan})  # fmt: skip
    assert step.oleh_id == cast.pengelola.pk and step.tindakan == "dibuat"
    for hr in (cast.pengelola, cast.pengelola_lain):  # the unit left and the unit joined
        entries = login(hr).get(audit, {"jenis": "riwayat_mutasi"}).context["page"].entries
        assert any("Badan Kepegawaian Daerah" in e.objek for e in entries), hr


def test_the_former_units_hr_find_who_moved_out_and_read_their_period(
    login, cast_lengkap, django_assert_max_num_queries
):
    cast = cast_lengkap
    moved = timezone.localdate() - timedelta(days=5)
    services.pegawai_mutasi(
        pegawai=cast.pegawai_pegawai, unit_tujuan=cast.bkd, tmt=moved, atasan=None,
        user=cast.pengelola,
    )  # fmt: skip
    client = login(cast.pengelola)
    url = reverse("pegawai:pindah_keluar")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert reverse("pegawai:riwayat", args=[cast.pegawai_pegawai.pk]) in page
    assert cast.pegawai_pegawai.nama in page
    assert client.get(reverse("pegawai:riwayat", args=[cast.pegawai_pegawai.pk])).status_code == 200
    # Administrators see every move out; HR of a unit the pegawai never left see none.
    assert cast.pegawai_pegawai.nama in login(cast.admin).get(url).content.decode()
    other = login(cast.pengelola_lain).get(url)
    assert other.status_code == 200 and cast.pegawai_pegawai.nama not in other.content.decode()
