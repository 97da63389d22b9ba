import pytest
from django.core.management import call_command
from django.urls import reverse

from pegawai.demo import CAST, DEMO_PASSWORD
from pegawai.models import Pegawai, UnitKerja


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--pegawai", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_demo_login_works_with_the_printed_password(sign_in, seeded):
    for demo_user in CAST:
        assert sign_in(demo_user.username, DEMO_PASSWORD), demo_user
        if demo_user.nip:
            assert sign_in(demo_user.nip, DEMO_PASSWORD), demo_user


def test_every_seeded_pegawai_passes_the_models_own_validation(seeded):
    for pegawai in Pegawai.objects.select_related("golongan"):
        pegawai.full_clean()


def test_the_cast_plays_its_roles(client, sign_in, seeded):
    assert sign_in("atasan", DEMO_PASSWORD)
    assert client.get(reverse("beranda")).context["atasan"]["jumlah_bawahan"] >= 5  # one page
    assert sign_in("pengelola", DEMO_PASSWORD)
    assert client.get(reverse("pegawai:list")).context["total"] > 1


def counts() -> tuple:
    from pegawai.models import RiwayatGolongan, RiwayatMutasi
    from pelatihan.models import (
        Angkatan,
        BarisRencana,
        CatatanJP,
        Pelatihan,
        Peserta,
        RencanaPengembangan,
    )

    models = (Pegawai, UnitKerja, Pelatihan, Angkatan, Peserta, CatatanJP, RencanaPengembangan,
              BarisRencana, RiwayatGolongan, RiwayatMutasi)  # fmt: skip
    return tuple(model.objects.count() for model in models)


def test_running_it_again_adds_nothing(seeded):
    before = counts()
    call_command("seed_demo", "--pegawai", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert before[:2] == (400, 246)


def test_the_demo_has_trainings_batches_participants_and_certificates(client, sign_in, seeded):
    from pelatihan.models import Angkatan, Peserta

    assert set(Angkatan.objects.values_list("status", flat=True)) >= {
        "selesai",
        "pendaftaran",
        "direncanakan",
    }
    assert Peserta.objects.filter(status="daftar_tunggu").exists()
    # Passed twice: the demo's first training, and the service training of Poli Umum's officers.
    mine = Peserta.objects.filter(pegawai__user__username="pegawai", lulus=True).first()
    assert sign_in("pegawai", DEMO_PASSWORD)
    pdf = client.get(reverse("pelatihan:sertifikat_pdf", args=[mine.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_demo_has_partnerships_and_a_scholarship_round(seeded):
    from pelatihan.models import KerjaSama, PendaftaranBeasiswa, StudiPegawai

    assert KerjaSama.objects.count() == 3
    statuses = set(PendaftaranBeasiswa.objects.values_list("status", flat=True))
    assert {"diterima", "tidak_memenuhi"} <= statuses
    assert StudiPegawai.objects.get().laporan.exists()


def test_it_refuses_a_silly_size(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="paling sedikit"):
        call_command("seed_demo", "--pegawai", "3")


def test_the_demo_has_an_evaluation_period_with_ratings(client, seeded):
    from evaluasi.models import PenilaianKinerja, PeriodePenilaian

    assert PeriodePenilaian.objects.filter(status="ditutup").exists()
    assert PeriodePenilaian.objects.filter(status="dibuka").exists()
    assert PenilaianKinerja.objects.filter(pegawai__user__username="pegawai").exists()
    assert PenilaianKinerja.objects.values("predikat").distinct().count() >= 3


def test_a_demo_scholarship_application_reads_last_years_predicate_from_sibina(seeded):
    from django.utils import timezone

    from pelatihan import services as pelatihan_services

    atasan = Pegawai.objects.get(user__username="atasan")
    held = pelatihan_services.predikat_tercatat(pegawai=atasan, on=timezone.localdate())
    assert held == {"predikat_tahun_lalu": "baik"}


def test_the_demo_has_self_reports_in_every_state(seeded):
    from evaluasi.models import LaporanPascaPelatihan

    states = set(LaporanPascaPelatihan.objects.values_list("status", flat=True))
    assert states == set(LaporanPascaPelatihan.Status.values)


def test_the_demo_has_survey_responses_for_several_units(seeded):
    from masyarakat.models import UnitLayanan

    assert UnitLayanan.objects.filter(respon__isnull=False).distinct().count() >= 3


def test_the_demo_has_feedback_in_every_state(seeded):
    from masyarakat.models import Masukan

    assert set(Masukan.objects.values_list("status", flat=True)) == set(Masukan.Status.values)


def test_the_demo_has_a_past_forum_with_minutes_and_actions(seeded):
    from masyarakat.models import ForumDialog

    past = ForumDialog.objects.get(status="selesai")
    assert past.notulen and past.jumlah_hadir and past.tindak_lanjut.count() == 2
    assert past.masukan.exists()
    assert ForumDialog.objects.filter(status="direncanakan").exists()


def test_the_demo_has_two_work_climate_rounds_with_visible_results(seeded):
    from evaluasi import reports
    from evaluasi.models import PutaranIklim

    rounds = list(PutaranIklim.objects.order_by("tanggal_mulai"))
    assert len(rounds) == 2
    groups, _ = reports.hasil_iklim(rounds[1])
    # Support from the atasan rose in every group large enough in both rounds.
    compared = [g.perubahan["atasan"] for g in groups if g.perubahan["atasan"] is not None]
    assert compared and all(change > 0 for change in compared)


def test_the_demo_has_change_projects_in_every_status_and_a_program(seeded):
    from evaluasi.models import AksiPerubahan
    from pembinaan.models import CapaianTarget, ProgramPembinaan

    statuses = set(AksiPerubahan.objects.values_list("status", flat=True))
    assert statuses == set(AksiPerubahan.Status.values)
    assert AksiPerubahan.objects.filter(dipublikasikan_at__isnull=False).exists()
    program = ProgramPembinaan.objects.get()
    assert program.tujuan.count() == 3 and CapaianTarget.objects.filter(target__program=program)


def test_the_ratings_and_climate_answers_are_a_bounded_sample_that_holds_the_demo_logins(
    db, monkeypatch
):
    """At provincial scale Dinas Kesehatan holds thousands: the services seed a sample."""
    from evaluasi import demo as evaluasi_demo
    from evaluasi.models import PartisipasiIklim, PenilaianKinerja
    from pembinaan import demo as pembinaan_demo

    monkeypatch.setattr(evaluasi_demo, "DEMO_SAMPLE", 5)
    call_command("seed_demo", "--pegawai", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The impact demo's quarters (pembinaan.demo.PERIODE_DAMPAK) are bounded on their own.
    impact = [nama for nama, _, _ in pembinaan_demo.PERIODE_DAMPAK]
    quarterly = PenilaianKinerja.objects.filter(periode__jenis="triwulan")
    assert quarterly.exclude(periode__nama__in=impact).count() == 5
    # Last year's annual ratings: only the demo atasan and their own staff (the talent demo's
    # province-wide periods, pembinaan.demo, are its own).
    atasan = Pegawai.objects.get(user__username="atasan")
    last_year = PenilaianKinerja.objects.filter(periode__jenis="tahunan").exclude(
        periode__nama__endswith="seluruh OPD"
    )
    assert last_year.exclude(pegawai=atasan).exclude(pegawai__atasan=atasan).count() == 0
    assert PenilaianKinerja.objects.filter(pegawai__user__username="pegawai").exists()
    rounds = PartisipasiIklim.objects.values("putaran")
    assert 0 < PartisipasiIklim.objects.filter(putaran=rounds[:1]).count() <= 5


def test_the_demo_atasan_and_pegawai_find_their_evaluation_work_in_the_inbox(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from pegawai.models import User
    from pembinaan import tugas

    today = timezone.localdate()

    def kinds(username):
        user = User.objects.get(username=username)
        return {g.jenis.kode: g for g in tugas.daftar_tugas(user, today)}

    atasan = kinds("atasan")
    # One waiting past the atasan's 14 days first (the second one needs a bigger demo).
    [(first, late), *_] = atasan["laporan_verifikasi"].items
    assert late and first.sejak == today - timedelta(days=20)
    assert {"penilaian_beri", "tonggak_konfirmasi"} <= atasan.keys()
    assert {"laporan_isi", "iklim_isi"} <= kinds("pegawai").keys()


def test_every_passed_demo_participant_attended_and_holds_a_certificate_and_jp(seeded):
    from pelatihan.models import Peserta
    from pelatihan.services import persentase_kehadiran

    passed = list(Peserta.objects.filter(lulus=True).select_related("angkatan"))
    assert passed
    for peserta in passed:
        assert persentase_kehadiran(peserta) >= peserta.angkatan.ambang_kehadiran
        assert peserta.sertifikat is not None and not peserta.sertifikat.is_revoked


def test_demo_scholarship_applications_use_the_predicates_sibina_holds(seeded):
    from pelatihan.models import PendaftaranBeasiswa

    stored = [p.predikat_tercatat for p in PendaftaranBeasiswa.objects.all()]
    assert stored.count(["predikat_tahun_lalu"]) >= 2, stored


def test_the_demo_has_sanctions_and_an_ip_asn_trend_of_several_years(seeded):
    from pegawai.models import CatatanDisiplin
    from pembinaan.reports import ip_asn_tren

    assert CatatanDisiplin.objects.values("tingkat").distinct().count() == 3
    tren = ip_asn_tren()
    assert len(tren) >= 2
    assert all(r["jumlah"] > 0 for r in tren)


def test_the_demo_has_non_classical_learning_and_an_expiring_certificate(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from pelatihan.models import CatatanJP, KegiatanEksternal

    mine = KegiatanEksternal.objects.filter(pegawai__user__username="pegawai")
    verified = mine.filter(status="diverifikasi", jenis__in=[14, 15, 16])
    assert set(verified.values_list("jenis", flat=True)) == {14, 15, 16}
    assert set(verified.values_list("diverifikasi_oleh__username", flat=True)) == {"atasan"}
    assert CatatanJP.objects.filter(kegiatan__in=verified).count() == 3
    assert mine.filter(status="diajukan", jenis=14).count() == 1
    soon = timezone.localdate() + timedelta(days=90)
    assert mine.filter(berlaku_sampai__lte=soon, status="diverifikasi").exists()


def test_the_demo_has_plans_in_every_state_and_a_populated_akpk(client, sign_in, seeded):
    from django.utils import timezone

    from pelatihan.forms import tahun_rencana_bawaan
    from pelatihan.models import BarisRencana, RencanaPengembangan

    tahun = tahun_rencana_bawaan(timezone.localdate())
    plans = RencanaPengembangan.objects.filter(tahun=tahun)
    assert set(plans.values_list("status", flat=True)) == {
        "draf", "diajukan", "dikembalikan", "disetujui",
    }  # fmt: skip
    assert plans.filter(pegawai__user__username="pegawai", status="draf").exists()
    assert plans.filter(pegawai__atasan__user__username="atasan", status="diajukan").exists()
    assert BarisRencana.objects.filter(status="selesai").exists()  # closed by the demo's pass
    assert sign_in("pengelola", DEMO_PASSWORD)
    page = client.get(reverse("pembinaan:akpk_list"), {"tahun": tahun})
    assert page.context["unit"].kode == "DINKES"
    assert page.context["rows"] and page.context["jumlah"]["biaya"] > 0


def test_the_demo_has_a_populated_nine_box_and_a_succession_plan(client, sign_in, seeded):
    from pembinaan.models import AnggotaKomiteTalenta, KandidatSuksesi, PenempatanTalenta

    boxes = set(PenempatanTalenta.objects.values_list("kotak", flat=True))
    assert boxes == set(range(1, 10))
    assert PenempatanTalenta.objects.filter(kotak_kalibrasi__isnull=False).count() == 1
    assert {k.pegawai.penempatan_talenta.kotak for k in KandidatSuksesi.objects.all()} <= {7, 8, 9}
    assert KandidatSuksesi.objects.count() == 3
    assert AnggotaKomiteTalenta.objects.filter(user__username="provinsi").exists()
    assert sign_in("provinsi", DEMO_PASSWORD)
    page = client.get(reverse("pembinaan:talenta_index"))
    assert page.status_code == 200 and sum(page.context["counts"].values()) > 100


def test_the_demo_careers_have_steps_a_move_and_current_values_from_the_latest_rows(seeded):
    from pegawai.models import RiwayatGolongan, RiwayatMutasi, riwayat_terakhir

    pegawai = Pegawai.objects.get(user__username="pegawai")
    assert RiwayatGolongan.objects.filter(pegawai=pegawai).count() >= 2
    assert RiwayatMutasi.objects.filter(unit_asal__isnull=False).count() == 1
    terakhir = riwayat_terakhir(Pegawai.objects.values_list("pk", flat=True))
    for p in Pegawai.objects.all():
        latest = terakhir[p.pk]
        assert (p.tmt_golongan, p.golongan_id) == latest.golongan, p
        assert (p.tmt_jabatan, p.jabatan_id) == latest.jabatan, p
        assert p.pendidikan_terakhir == latest.pendidikan, p


def test_the_demo_shows_one_training_with_an_effect_and_one_without(seeded):
    """Pelayanan Prima lifted its Dinas Kesehatan participants by a predicate step over two
    batches against their colleagues; Penyusunan Naskah Dinas (BKD) did not, after two."""
    from django.utils import timezone

    from pelatihan.models import Pelatihan
    from pembinaan import dampak

    measured = dampak.selisih_per_pelatihan(sampai=timezone.localdate())
    prima = measured[Pelatihan.objects.get(nama="Pelayanan Prima bagi ASN").pk]
    naskah = measured[Pelatihan.objects.get(nama="Penyusunan Naskah Dinas").pk]
    assert prima.kesimpulan == dampak.BERDAMPAK and prima.angkatan == 2
    assert prima.peserta.n >= 10 and prima.pembanding.n >= 10
    assert 0.5 <= prima.nilai <= 1.0  # about one step
    assert naskah.kesimpulan == dampak.TIDAK_TERUKUR and naskah.tanpa_dampak_setelah_dua_siklus


def test_the_demo_shows_a_service_unit_before_and_after_its_officers_training(seeded):
    """Poli Umum Puskesmas Rawasari's officers passed a training targeting U6, U7 and U9 in May
    2026: two quarters before it (one too small a sample for its volume), one ended after."""
    from django.utils import timezone

    from masyarakat.models import UnitLayanan
    from pembinaan.dampak_layanan import dampak_unit_layanan

    [event] = dampak_unit_layanan(
        UnitLayanan.objects.get(kode="poli-rawasari"), timezone.localdate()
    )
    assert event.unsur == ["u6", "u7", "u9"]
    before = [(k.triwulan.label, k.kecukupan) for k in event.sebelum.kuartal]
    assert before == [
        ("Triwulan IV 2025", "sampel belum memadai"), ("Triwulan I 2026", "memadai")
    ]  # fmt: skip
    assert [k.triwulan.label for k in event.sesudah.kuartal][0] == "Triwulan III 2026"
    assert event.selisih_konversi is not None


def test_the_demo_hr_pass_the_second_step_with_the_printed_code(client, sign_in, seeded, settings):
    from io import StringIO

    from pegawai.demo import DEMO_DUA_FAKTOR

    settings.DEBUG = True
    settings.DUA_FAKTOR_WAJIB = True
    for username in DEMO_DUA_FAKTOR:
        assert sign_in(username, DEMO_PASSWORD)
        assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:verify"))
        printed = StringIO()
        call_command("kode_totp", username, stdout=printed)
        client.post(reverse("dua_faktor:verify"), {"kode": printed.getvalue().strip()})
        assert client.get(reverse("pegawai:list")).status_code == 200, username


def test_the_demo_pegawai_atasan_and_hr_have_calendar_feeds_with_events(client, seeded):
    from icalendar import Calendar

    from pembinaan.models import KalenderPribadi

    uids = {}
    for username in ["pegawai", "atasan", "pengelola"]:
        feed = KalenderPribadi.objects.get(user__username=username)
        response = client.get(reverse("kalender_feed", args=[feed.token]))
        assert response.status_code == 200
        events = Calendar.from_ical(response.content).walk("VEVENT")
        uids[username] = {str(e["UID"]).split("@")[0] for e in events}
    assert any(uid.startswith("sesi-") for uid in uids["pegawai"])
    assert any(uid.startswith("forum-") for uid in uids["pegawai"])
    assert any(uid.startswith("tindak-lanjut-") for uid in uids["atasan"])
    assert any(uid.startswith("tugas-") for uid in uids["pengelola"])


def test_the_demo_has_a_siasn_reconciliation_with_every_kind_of_difference(client, sign_in, seeded):
    from pegawai.models import RekonsiliasiSiasn

    rekonsiliasi = RekonsiliasiSiasn.objects.get()
    assert (rekonsiliasi.unit.kode, rekonsiliasi.diunggah_oleh.username) == ("DINKES", "pengelola")
    kinds = set(rekonsiliasi.selisih.values_list("jenis", flat=True))
    assert kinds == {"golongan", "jabatan", "unit", "tanggal_lahir", "tidak_di_siasn",
                     "tidak_di_sibina", "unit_lain"}  # fmt: skip
    handled = rekonsiliasi.selisih.filter(ditindaklanjuti_at__isnull=False)
    assert [(s.jenis, s.ditindaklanjuti_oleh.username) for s in handled] == [
        ("golongan", "pengelola2")
    ]
    assert rekonsiliasi.kesalahan == []
    assert sign_in("pengelola", DEMO_PASSWORD)
    assert client.get(rekonsiliasi.get_absolute_url()).status_code == 200
    assert sign_in("pengelola_rsud", DEMO_PASSWORD)
    assert client.get(rekonsiliasi.get_absolute_url()).status_code == 404


def test_the_demo_api_token_reads_dinas_kesehatan(seeded):
    from pembinaan.demo import DEMO_API_TOKEN
    from tests.pembinaan.api_helpers import ApiClient

    response = ApiClient(DEMO_API_TOKEN).get(reverse("api:pegawai_list"))
    assert response.status_code == 200
    units = {row["unit"]["kode"] for row in response.json()["hasil"]}
    assert units and all(kode.startswith("DINKES") for kode in units)
