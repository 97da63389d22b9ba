"""L4 measured (pembinaan.dampak): the difference in differences of a training's participants and
a comparison group, on hand-made predicates whose answer is worked out by hand below."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluasi.models import PenilaianKinerja, PeriodePenilaian
from pegawai.models import Pegawai
from pelatihan.models import Angkatan, Peserta, Sertifikat
from pembinaan import dampak
from tests import factories
from tests.queries import cold_queries

# The predicate each (hasil kerja, perilaku kerja) pair gives, by its score (dampak.SKOR_PREDIKAT).
RATING = {5: ("di_atas", "di_atas"), 4: ("sesuai", "sesuai"), 3: ("di_bawah", "sesuai")}
TODAY = date(2026, 12, 1)


class World:
    """Dinas Kesehatan with a quarterly period before a training's batch (Q4 2025), one during it
    (Q1 2026) and one after it (Q2 2026), and pegawai rated in them."""

    def __init__(self, cast):
        self.cast = cast
        self.opener = cast.pengelola
        self.boss = cast.atasan_pegawai
        self.before = self.periode("Triwulan IV 2025", date(2025, 10, 1), date(2025, 12, 31))
        self.during = self.periode("Triwulan I 2026", date(2026, 1, 1), date(2026, 3, 31))
        self.after = self.periode("Triwulan II 2026", date(2026, 4, 1), date(2026, 6, 30))
        self.pelatihan = factories.pelatihan("Pelayanan Prima")
        self.batch = factories.angkatan(
            self.pelatihan, kuota=50, mulai=date(2026, 2, 2), selesai=date(2026, 2, 6),
            status=Angkatan.Status.SELESAI,
        )  # fmt: skip

    def periode(self, nama, start, end, jenis="triwulan"):
        return PeriodePenilaian.objects.create(
            nama=nama, jenis=jenis, tanggal_mulai=start, tanggal_selesai=end, status="ditutup",
            dibuka_oleh=self.opener,
        )  # fmt: skip

    def rate(self, pegawai, periode, score):
        hasil, perilaku = RATING[score]
        PenilaianKinerja.objects.create(
            periode=periode, pegawai=pegawai, penilai=self.boss, hasil_kerja=hasil,
            perilaku_kerja=perilaku, jabatan=pegawai.jabatan,
        )  # fmt: skip

    def person(self, before, after, *, unit=None, during=None, **extra):
        pegawai = factories.pegawai(unit or self.cast.yankes, **extra)
        if before is not None:
            self.rate(pegawai, self.before, before)
        if during is not None:
            self.rate(pegawai, self.during, during)
        if after is not None:
            self.rate(pegawai, self.after, after)
        return pegawai

    def peserta(self, before, after, *, batch=None, lulus=True, **extra):
        pegawai = self.person(before, after, **extra)
        Peserta.objects.create(
            angkatan=batch or self.batch, pegawai=pegawai, status="terdaftar", lulus=lulus
        )
        return pegawai

    def changes(self, peserta: list[int], pembanding: list[int]) -> None:
        """Participants and comparison pegawai rated Baik (4) before and 4 + change after."""
        for change in peserta:
            self.peserta(4, 4 + change)
        for change in pembanding:
            self.person(4, 4 + change)


@pytest.fixture
def world(cast, settings):
    settings.DAMPAK_MIN_KELOMPOK = 10
    settings.DAMPAK_JENIS_PERIODE = "triwulan"
    return World(cast)


def measure(world) -> dampak.Selisih:
    return dampak.selisih_per_pelatihan(sampai=TODAY, pelatihan_ids=[world.pelatihan.pk]).get(
        world.pelatihan.pk, dampak.Selisih()
    )


def test_known_effect_gives_the_hand_computed_difference_and_an_interval_above_zero(world):
    # Ten of twelve participants move up one predicate, two stay; of twelve comparison pegawai
    # one moves up, one down, ten stay.
    world.changes(peserta=[1] * 10 + [0] * 2, pembanding=[1, -1] + [0] * 10)
    result = measure(world)
    # By hand: means 10/12 = 0,8333 and 0; selisih 0,8333. Variances (Σx² − (Σx)²/n)/(n − 1):
    # peserta (10 − 100/12)/11 = 0,15152; pembanding (2 − 0)/11 = 0,18182. Standard error
    # √(0,15152/12 + 0,18182/12) = √0,027778 = 0,16667. Welch df = 0,027778² /
    # ((0,012626² + 0,015152²)/11) = 21,8 → the t of 21 df, 2,080. Interval 0,8333 ± 0,3467.
    assert (result.peserta.n, result.pembanding.n) == (12, 12)
    assert result.nilai == pytest.approx(0.8333, abs=0.00005)
    assert result.galat_baku == pytest.approx(0.16667, abs=0.00001)
    assert result.derajat_bebas == pytest.approx(21.82, abs=0.01)
    low, high = result.selang
    assert (round(low, 2), round(high, 2)) == (0.49, 1.18)
    assert result.kesimpulan == dampak.BERDAMPAK
    assert result.teks == "+0,83 langkah predikat (95 %: +0,49 s.d. +1,18)"


def test_no_effect_gives_an_interval_that_includes_zero(world):
    world.changes(peserta=[1] * 3 + [0] * 6 + [-1] * 3, pembanding=[1] * 2 + [0] * 8 + [-1] * 2)
    result = measure(world)
    assert result.nilai == 0
    low, high = result.selang
    assert low < 0 < high
    assert result.kesimpulan == dampak.TIDAK_TERUKUR
    assert result.kesimpulan_label == "Tidak ada dampak terukur"


def test_a_negative_effect_is_named(world):
    world.changes(peserta=[-1] * 11 + [0], pembanding=[0] * 11 + [1])
    assert measure(world).kesimpulan == dampak.NEGATIF


def test_small_groups_give_belum_cukup_data(world, settings):
    world.changes(peserta=[1] * 9, pembanding=[0] * 12)
    result = measure(world)
    assert result.nilai is None and result.selang is None
    assert result.kesimpulan == dampak.BELUM_CUKUP
    assert result.teks == (
        "Belum cukup data: 9 peserta dan 12 pembanding terukur, paling sedikit 10 per kelompok"
    )
    settings.DAMPAK_MIN_KELOMPOK = 9  # the minimum is a setting
    assert measure(world).kesimpulan == dampak.BERDAMPAK


def test_who_counts_in_each_group(world, cast):
    """Peserta: passed a finished batch. Pembanding: same OPD (any of its sub-units) and jabatan
    type, not registered in a batch of the training that begins by the end of the quarter the
    change is read in; both need a rating before and after."""
    world.changes(peserta=[1] * 10, pembanding=[0] * 10)
    # Not counted as peserta: failed, a pass whose certificate was revoked, or a batch not
    # finished.
    world.peserta(4, 5, lulus=False)
    revoked = world.peserta(4, 5)
    Sertifikat.objects.create(
        peserta=Peserta.objects.get(pegawai=revoked),
        nomor="X/1",
        dicabut_at=timezone.now(),
        alasan_cabut="Salah terbit",
    )
    reissued = world.peserta(4, 5)  # revoked, then a valid one issued: counts
    for nomor, dicabut in [("X/2", timezone.now()), ("X/3", None)]:
        Sertifikat.objects.create(
            peserta=Peserta.objects.get(pegawai=reissued),
            nomor=nomor,
            dicabut_at=dicabut,
            alasan_cabut="Salah terbit" if dicabut else "",
        )
    running = factories.angkatan(world.pelatihan, kuota=5, status=Angkatan.Status.BERJALAN)
    world.peserta(4, 5, batch=running)
    # Not counted as pembanding: another OPD, another jabatan type, no rating after, took the
    # training in a later batch within the window.
    world.person(4, 3, unit=cast.bkd)
    world.person(
        4, 3, jabatan=factories.jabatan("Perawat Ahli Pertama", "fungsional", "ahli_pertama")
    )
    world.person(4, None)
    later = factories.angkatan(
        world.pelatihan, kuota=5, mulai=date(2026, 6, 1), selesai=date(2026, 6, 3),
        status=Angkatan.Status.DIRENCANAKAN,
    )  # fmt: skip
    world.peserta(4, 3, batch=later)
    # Counted as pembanding: takes the training only after the quarter the change is read in.
    much_later = factories.angkatan(
        world.pelatihan, kuota=5, mulai=date(2026, 9, 1), selesai=date(2026, 9, 3),
        status=Angkatan.Status.DIRENCANAKAN,
    )  # fmt: skip
    world.peserta(4, 4, batch=much_later)
    # Counted as pembanding: in the OPD itself rather than the participants' bureau.
    world.person(4, 4, unit=cast.dinkes)
    result = measure(world)
    assert (result.peserta.n, result.pembanding.n) == (11, 12)
    assert result.nilai == pytest.approx(1.0)


def test_ratings_are_read_from_the_last_period_before_and_the_first_after(world):
    """A rating during the batch's quarter is neither before nor after; a period of another kind
    is not read; an after-period that has not ended by the cut-off is not read yet."""
    for _ in range(10):
        world.peserta(3, 5, during=4)
        world.person(3, 3, during=5)
    annual = world.periode("Tahunan 2025", date(2025, 1, 1), date(2025, 12, 31), "tahunan")
    for pegawai in Peserta.objects.values_list("pegawai", flat=True):
        world.rate(Pegawai.objects.get(pk=pegawai), annual, 5)
    assert measure(world).nilai == pytest.approx(2.0)
    early = dampak.selisih_per_pelatihan(
        sampai=date(2026, 6, 29), pelatihan_ids=[world.pelatihan.pk]
    )
    assert early == {}


def test_batches_stack_into_their_training(world):
    world.changes(peserta=[1] * 6, pembanding=[0] * 6)
    second = factories.angkatan(
        world.pelatihan, kuota=50, mulai=date(2026, 2, 16), selesai=date(2026, 2, 20),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    for _ in range(6):
        world.peserta(4, 5, batch=second)
    per_batch = dampak.selisih_per_angkatan(sampai=TODAY, pelatihan_ids=[world.pelatihan.pk])
    # Each batch alone is too small; its comparison group is the six who never took it.
    assert per_batch[world.batch.pk].peserta.n == 6
    assert per_batch[world.batch.pk].pembanding.n == 6
    assert per_batch[second.pk].cukup is False
    total = measure(world)
    assert (total.peserta.n, total.pembanding.n, total.angkatan) == (12, 12, 2)
    assert total.nilai == pytest.approx(1.0)
    assert total.kesimpulan == dampak.BERDAMPAK
    assert total.tanpa_dampak_setelah_dua_siklus is False


def test_t_quantiles_read_the_lower_row_between_two():
    assert dampak.t_975(1) == 12.706
    assert dampak.t_975(21.8) == 2.080
    assert dampak.t_975(45) == 2.021
    assert dampak.t_975(1000) == 1.960


def test_the_panel_costs_the_same_queries_at_two_sizes(world, client, cast):
    world.changes(peserta=[1] * 3, pembanding=[0] * 3)
    url = reverse("pembinaan:dampak_pelatihan", args=[world.pelatihan.pk])
    client.force_login(cast.pengelola)

    def count() -> tuple[int, int]:
        with cold_queries() as computed:
            dampak.dampak_pelatihan(world.pelatihan, today=TODAY)
        with cold_queries() as served:
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
        return len(computed), len(served)

    small = count()
    world.changes(peserta=[1] * 12, pembanding=[0] * 12)
    factories.angkatan(world.pelatihan, kuota=5, status=Angkatan.Status.SELESAI)
    assert count() == small
    # The panel's batches; the measured batches, who registered, the cells' changes, the
    # registered's scores; L1, L2, L3.
    assert small[0] == 8


def test_l1_l2_l3_beside_the_difference(world, cast, settings):
    from evaluasi.models import LaporanPascaPelatihan, ReaksiPeserta

    settings.DAMPAK_MIN_KELOMPOK = 2  # two participants: shown only under a minimum of two

    first = world.peserta(4, 5)
    second = world.peserta(4, 5)
    p1, p2 = Peserta.objects.filter(pegawai__in=[first, second]).order_by("pk")
    Peserta.objects.filter(pk=p1.pk).update(nilai_pre=60, nilai_post=80)
    Peserta.objects.filter(pk=p2.pk).update(nilai_pre=70, nilai_post=75)
    ReaksiPeserta.objects.create(peserta=p1, materi=4, fasilitator=5, sarana=3, penyelenggaraan=4)
    ReaksiPeserta.objects.create(peserta=p2, materi=3, fasilitator=3, sarana=3, penyelenggaraan=3)
    for peserta, status, nilai in [(p1, "diverifikasi", 3), (p2, "diverifikasi", 4)]:
        LaporanPascaPelatihan.objects.create(
            peserta=peserta, pegawai=peserta.pegawai, status=status, jatuh_tempo=TODAY,
            nilai_perubahan=nilai,
        )  # fmt: skip
    panel = dampak.dampak_pelatihan(world.pelatihan, today=TODAY)
    assert panel.evaluasi.l1 == 3.5  # ((4 + 5 + 3 + 4) / 4 + (3 + 3 + 3 + 3) / 4) / 2
    assert panel.evaluasi.l2 == 12.5  # ((80 − 60) + (75 − 70)) / 2
    assert panel.evaluasi.l3_persen == 100.0
    assert panel.evaluasi.l3_nilai == 3.5
    assert [row.angkatan for row in panel.angkatan] == [world.batch]
    assert panel.angkatan[0].menunggu_sampai is None  # its after-quarter (Q2 2026) has ended
    # Under the usual minimum, two participants' figures are not shown to every HR officer:
    # each could read the other's score from them.
    settings.DAMPAK_MIN_KELOMPOK = 10
    hidden = dampak.dampak_pelatihan(world.pelatihan, today=TODAY).evaluasi
    assert (hidden.l1, hidden.l2, hidden.l3_persen, hidden.l3_nilai) == (None, None, None, None)


def test_a_batch_whose_after_quarter_has_not_ended_says_until_when(world):
    batch = factories.angkatan(
        world.pelatihan, kuota=5, mulai=date(2026, 11, 2), selesai=date(2026, 11, 4),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    [row] = [r for r in dampak.dampak_pelatihan(world.pelatihan, today=TODAY).angkatan
             if r.angkatan == batch]  # fmt: skip
    assert row.menunggu_sampai == date(2027, 3, 31)  # the quarter after November's


# --- Where it shows -----------------------------------------------------------------------------


def test_the_training_page_loads_the_panel_for_hr_only(client, world, cast):
    world.changes(peserta=[1] * 10 + [0] * 2, pembanding=[1, -1] + [0] * 10)
    panel_url = reverse("pembinaan:dampak_pelatihan", args=[world.pelatihan.pk])
    client.force_login(cast.pengelola)
    page = client.get(world.pelatihan.get_absolute_url()).content.decode()
    assert f'hx-get="{panel_url}"' in page
    partial = client.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'data-kesimpulan="berdampak"' in partial
    assert "+0,83 langkah predikat (95 %: +0,49 s.d. +1,18)" in partial
    client.force_login(cast.pegawai)
    assert panel_url not in client.get(world.pelatihan.get_absolute_url()).content.decode()
    assert client.get(panel_url).status_code == 403


def test_the_list_ranks_measured_trainings(client, world, cast):
    world.changes(peserta=[1] * 10 + [0] * 2, pembanding=[1, -1] + [0] * 10)
    client.force_login(cast.pengelola)
    page = client.get(reverse("pembinaan:dampak_list")).content.decode()
    assert "Pelayanan Prima" in page and "Dampak nyata" in page
    assert "1 pelatihan terukur, 1 berdampak nyata; 0 pelatihan lain belum cukup data" in page
    # A training with a finished batch and nobody measured yet counts as "belum cukup data".
    factories.angkatan(factories.pelatihan("Baru"), kuota=5, status=Angkatan.Status.SELESAI)
    page = client.get(reverse("pembinaan:dampak_list")).content.decode()
    assert "1 pelatihan lain belum cukup data" in page


def test_the_needs_analysis_marks_a_training_without_effect_after_two_batches(world, cast):
    from pelatihan.models import Kompetensi, PelatihanKompetensi
    from pembinaan import kebutuhan

    kompetensi = Kompetensi.objects.get(kode="M.05")
    PelatihanKompetensi.objects.create(pelatihan=world.pelatihan, kompetensi=kompetensi, level=3)
    world.changes(peserta=[1] * 3 + [0] * 6 + [-1] * 3, pembanding=[0] * 12)
    second = factories.angkatan(
        world.pelatihan, kuota=50, mulai=date(2026, 2, 16), selesai=date(2026, 2, 20),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    world.peserta(4, 4, batch=second)
    impact = dampak.selisih_per_pelatihan(sampai=TODAY, pelatihan_ids=[world.pelatihan.pk])
    mark = impact[world.pelatihan.pk]
    assert (mark.angkatan, mark.kesimpulan) == (2, dampak.TIDAK_TERUKUR)
    assert mark.tanda == "Tidak ada dampak terukur setelah 2 angkatan"
    # One batch alone says nothing yet.
    first_only = dampak.Selisih(mark.peserta, mark.pembanding, 1)
    assert first_only.tanda == ""
    row = kebutuhan.Baris(kompetensi)
    kebutuhan._propose(cast.dinkes, 2026, [row], TODAY, None)
    assert row.dampak == [(world.pelatihan, mark)]
    exported = next(kebutuhan.export_rows([row]))
    assert exported[-1].startswith("Pelayanan Prima: Tidak ada dampak terukur setelah 2 angkatan, ")


def test_the_indicator_is_the_share_of_measured_trainings_with_a_clear_effect(world):
    from pembinaan import indikator

    world.changes(peserta=[1] * 10 + [0] * 2, pembanding=[1, -1] + [0] * 10)
    assert indikator.hitung("dampak_pelatihan", 2026, TODAY) == 100
    other = factories.pelatihan("Tanpa Dampak")
    batch = factories.angkatan(
        other, kuota=50, mulai=date(2026, 2, 2), selesai=date(2026, 2, 6),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    for change in [1] * 3 + [0] * 6 + [-1] * 3:
        world.peserta(4, 4 + change, batch=batch)
    # Of two measured trainings one has a clear effect; batches before last year do not count.
    assert indikator.hitung("dampak_pelatihan", 2026, TODAY) == 50
    assert indikator.hitung("dampak_pelatihan", 2028, date(2028, 12, 31)) is None
    assert indikator.REGISTRY["dampak_pelatihan"].tampil(Decimal(50)) == "50,0 %"


def test_the_monitoring_report_has_an_impact_section(
    world, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    from pembinaan import services
    from pembinaan.tasks import laporan_buat_task
    from tests.pembinaan.test_laporan_monitoring import text_of

    settings.MEDIA_ROOT = tmp_path
    world.changes(peserta=[1] * 10 + [0] * 2, pembanding=[1, -1] + [0] * 10)
    program = services.program_create(tahun=2026, by=cast.admin)
    with django_capture_on_commit_callbacks():
        laporan, _ = services.laporan_request(
            program=program, mulai=date(2026, 11, 1), selesai=date(2026, 11, 30), by=None
        )
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert "Dampak pelatihan (L4)" in text
    assert "1 pelatihan dengan data yang cukup, 1 di antaranya berdampak nyata" in text
    assert "Lima pelatihan dengan dampak terbesar" in text
    assert "Pelayanan Prima" in text and "+0,83 langkah predikat (95 %: +0,49 s.d. +1,18)" in text
    assert "Lima pelatihan dengan dampak terkecil" not in text  # one training: no bottom five
    assert "hanya 1 pelatihan terukur, semuanya tercantum di atas" in text


def test_the_report_lists_five_largest_and_five_smallest_without_repeating_one():
    def ranking(n):
        return dampak.PeringkatDampak(semua=[(i, None) for i in range(n)], belum_cukup=0)

    assert [p for p, _ in ranking(12).terbesar] == [0, 1, 2, 3, 4]
    assert [p for p, _ in ranking(12).terkecil] == [11, 10, 9, 8, 7]
    assert [p for p, _ in ranking(7).terkecil] == [6, 5]
    assert ranking(5).terkecil == []


def test_the_panel_shows_no_group_figure_under_the_minimum(client, world, cast):
    world.changes(peserta=[1] * 9, pembanding=[0] * 12)
    client.force_login(cast.pengelola)
    url = reverse("pembinaan:dampak_pelatihan", args=[world.pelatihan.pk])
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "9 pegawai" in panel and "pegawai, rata-rata perubahan" not in panel
    assert "Belum cukup data: 9 peserta dan 12 pembanding terukur" in panel
