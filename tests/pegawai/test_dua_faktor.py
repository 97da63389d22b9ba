"""Two-factor sign-in (pegawai.dua_faktor, pegawai.middleware): HR and administrators pass a code
from an authenticator app after their password, enrolling first if they have no device; others
may enrol; recovery codes work once; wrong codes are throttled; an administrator resets a lost
device with a reason that the audit log shows. Every code here is a real TOTP code computed from
the device's key (RFC 6238), never a mock."""

import re
from base64 import b32decode
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pegawai import dua_faktor, riwayat
from pegawai.models import Notifikasi, ResetDuaFaktor
from pembinaan import audit

PASSWORD = "rahasia-123"
START = datetime(2026, 12, 3, 2, 0, 0, tzinfo=UTC)  # 09.00 WIB


@pytest.fixture(autouse=True)
def dua_faktor_on(settings):
    settings.DUA_FAKTOR_WAJIB = True


@pytest.fixture
def clock():
    """The clock held still, moved on by hand: a TOTP code is per 30-second step."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code(key: bytes | TOTPDevice) -> str:
    if isinstance(key, TOTPDevice):
        key = key.bin_key
    return f"{totp(key):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A login that enrolled: a confirmed key and ten recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Ponsel", confirmed=True)
    return device, dua_faktor.kode_cadangan_create(user=user)


def verify_url(next_url: str) -> str:
    return f"{reverse('dua_faktor:verify')}?next={next_url.replace('/', '%2F')}"


def enrol_url(next_url: str) -> str:
    return f"{reverse('dua_faktor:enrol')}?next={next_url.replace('/', '%2F')}"


# --- Enforcement ---------------------------------------------------------------------------------


def test_hr_without_a_device_is_sent_to_enrolment_from_hr_pages(client, sign_in, cast):
    assert sign_in("pengelola", PASSWORD)
    for name in ["pegawai:list", "beranda", "akun:list", "pembinaan:audit_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url == enrol_url(reverse(name)), name


def test_province_hr_and_administrators_are_sent_to_enrolment_too(client, sign_in, cast_lengkap):
    for username in ["provinsi", "admin"]:
        assert sign_in(username, PASSWORD)
        assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:enrol"))


def test_hr_with_a_device_passes_the_code_page_and_reaches_the_page_asked_for(
    client, sign_in, cast, clock
):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    asked = reverse("pegawai:list")
    response = client.get(asked)
    assert response.url == verify_url(asked)
    assert client.get(response.url).status_code == 200

    response = client.post(reverse("dua_faktor:verify"), {"kode": code(device), "next": asked})

    assert response.status_code == 302 and response.url == asked
    assert client.get(asked).status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_the_next_page_after_the_code_is_never_another_site(client, sign_in, cast, clock):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    response = client.post(
        reverse("dua_faktor:verify"), {"kode": code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("beranda")


def test_a_pegawai_is_not_asked_for_a_second_step(client, sign_in, cast):
    assert sign_in("pegawai", PASSWORD)
    assert client.get(reverse("beranda")).status_code == 200
    assert client.get(reverse("dua_faktor:status")).status_code == 200


def test_a_pegawai_who_enrolled_of_their_own_accord_is_asked_for_the_code(
    client, sign_in, cast, clock
):
    device, _ = enrol(cast.pegawai)
    assert sign_in("pegawai", PASSWORD)
    assert client.get(reverse("beranda")).url == verify_url(reverse("beranda"))
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    assert client.get(reverse("beranda")).status_code == 200


def test_a_login_made_pengelola_mid_session_is_asked_from_its_next_page(client, sign_in, cast):
    assert sign_in("pegawai", PASSWORD)
    assert client.get(reverse("beranda")).status_code == 200
    cast.yankes.pengelola.add(cast.pegawai)
    assert client.get(reverse("beranda")).url == enrol_url(reverse("beranda"))


def test_the_public_pages_the_second_step_and_signing_out_stay_open(client, sign_in, cast):
    assert sign_in("pengelola", PASSWORD)
    assert client.get(reverse("masyarakat:warga")).status_code == 200
    assert client.get(reverse("dua_faktor:enrol")).status_code == 200
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_djangos_admin_needs_the_second_step_too(client, sign_in, cast):
    assert sign_in("admin", PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("dua_faktor:enrol"))


def test_switched_off_nobody_is_asked(client, sign_in, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    assert client.get(reverse("pegawai:list")).status_code == 200


def test_a_verified_hr_page_costs_one_query_more_than_without_the_second_step(
    client, sign_in, cast, settings, clock
):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    client.get(reverse("pegawai:list"))
    with CaptureQueriesContext(connection) as verified:
        assert client.get(reverse("pegawai:list")).status_code == 200
    settings.DUA_FAKTOR_WAJIB = False
    with CaptureQueriesContext(connection) as off:
        assert client.get(reverse("pegawai:list")).status_code == 200
    assert len(verified) <= len(off) + 1


# --- Enrolment -----------------------------------------------------------------------------------


def test_enrolment_confirms_with_a_real_code_and_shows_ten_recovery_codes_once(
    client, sign_in, cast, clock
):
    assert sign_in("pengelola", PASSWORD)
    asked = reverse("pegawai:list")
    page = client.get(enrol_url(asked))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn here
    key_text = re.search(r'id="kunci-totp">([A-Z2-7 ]+)<', html).group(1)
    key = b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))

    response = client.post(reverse("dua_faktor:enrol"), {"kode": code(key), "next": asked})

    assert response.status_code == 302
    assert response.url.startswith(reverse("dua_faktor:kode_cadangan"))
    device = TOTPDevice.objects.get(user=cast.pengelola)
    assert device.confirmed and device.bin_key == key
    shown = client.get(response.url)
    kode = shown.context["kode"]
    assert len(kode) == 10 and len(set(kode)) == 10
    assert StaticToken.objects.filter(device__user=cast.pengelola).count() == 10
    download = client.get(reverse("dua_faktor:kode_cadangan_download"))
    assert download["Content-Disposition"] == 'attachment; filename="kode-cadangan-sibina.txt"'
    assert all(k in download.content.decode() for k in kode)

    response = client.post(reverse("dua_faktor:kode_cadangan"), {"next": asked})

    assert response.url == asked
    assert client.get(asked).status_code == 200  # the enrolment verified the session
    assert client.get(reverse("dua_faktor:kode_cadangan")).url == reverse("dua_faktor:status")
    assert client.get(reverse("dua_faktor:kode_cadangan_download")).status_code == 302


def test_enrolment_refuses_a_wrong_code_and_confirms_nothing(client, sign_in, cast, clock):
    assert sign_in("pengelola", PASSWORD)
    client.get(reverse("dua_faktor:enrol"))
    device = TOTPDevice.objects.get(user=cast.pengelola)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("dua_faktor:enrol"), {"kode": wrong})

    assert response.status_code == 200
    assert "Kode salah" in str(response.context["form"].errors["kode"])
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=cast.pengelola).exists()
    assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:enrol"))


def test_reloading_the_enrolment_page_keeps_the_key_already_scanned(client, sign_in, cast):
    assert sign_in("pegawai", PASSWORD)
    first = client.get(reverse("dua_faktor:enrol")).context["kunci"]
    assert client.get(reverse("dua_faktor:enrol")).context["kunci"] == first
    assert TOTPDevice.objects.filter(user=cast.pegawai).count() == 1


def test_an_unverified_session_cannot_enrol_a_new_device_over_an_existing_one(
    client, sign_in, cast
):
    enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    response = client.get(reverse("dua_faktor:enrol"))
    assert response.url.startswith(reverse("dua_faktor:verify"))
    assert TOTPDevice.objects.filter(user=cast.pengelola).count() == 1


# --- Recovery codes ------------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, sign_in, cast):
    _, kode = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    response = client.post(reverse("dua_faktor:verify"), {"kode": kode[3].upper()})
    assert response.url == reverse("beranda")
    assert StaticToken.objects.filter(device__user=cast.pengelola).count() == 9

    assert sign_in("pengelola", PASSWORD)
    response = client.post(reverse("dua_faktor:verify"), {"kode": kode[3]})

    assert response.status_code == 200
    assert "Kode salah" in str(response.context["form"].errors["kode"])
    assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:verify"))


def test_new_recovery_codes_replace_the_old_ones(client, sign_in, cast, clock):
    device, old = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})

    response = client.post(reverse("dua_faktor:kode_cadangan_create"))

    new = client.get(response.url).context["kode"]
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(
        StaticToken.objects.filter(device__user=cast.pengelola).values_list("token", flat=True)
    )
    assert stored == {dua_faktor.normalize(k) for k in new}


def test_recovery_codes_are_not_made_anew_from_a_session_that_did_not_pass(client, sign_in, cast):
    _, old = enrol(cast.pegawai)
    client.force_login(cast.pegawai)
    response = client.post(reverse("dua_faktor:kode_cadangan_create"))
    assert response.status_code in (302, 403)
    stored = set(
        StaticToken.objects.filter(device__user=cast.pegawai).values_list("token", flat=True)
    )
    assert stored == {dua_faktor.normalize(k) for k in old}


def test_a_session_that_passed_with_a_recovery_code_cannot_remake_codes_nor_replace_the_app(
    client, sign_in, cast, clock
):
    device, old = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": old[0]})
    assert client.get(reverse("pegawai:list")).status_code == 200  # the session passed

    refused = client.post(reverse("dua_faktor:kode_cadangan_create"))
    enrolment = client.get(reverse("dua_faktor:enrol"))
    status = client.get(reverse("dua_faktor:status")).content.decode()

    assert refused.status_code == 403
    assert "masuk lagi dengan kode dari aplikasi autentikator" in refused.content.decode()
    assert enrolment.url == reverse("dua_faktor:status")
    assert "Minta administrator SIBINA di BKD mereset" in status
    assert reverse("dua_faktor:kode_cadangan_create") not in status
    assert list(TOTPDevice.objects.filter(user=cast.pengelola)) == [device]
    stored = set(
        StaticToken.objects.filter(device__user=cast.pengelola).values_list("token", flat=True)
    )
    assert stored == {dua_faktor.normalize(k) for k in old[1:]}


def test_the_owner_is_notified_when_a_recovery_code_is_used(client, sign_in, cast):
    _, kode = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": kode[0]})
    [notice] = Notifikasi.objects.filter(penerima=cast.pengelola)
    assert notice.judul == "Kode cadangan dipakai untuk masuk ke SIBINA"
    assert "sisa 9 dari 10" in notice.pesan


def test_replacing_the_app_from_a_session_verified_with_it_notifies_the_owner(
    client, sign_in, cast, clock
):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    client.get(reverse("dua_faktor:enrol"))
    new = TOTPDevice.objects.get(user=cast.pengelola, confirmed=False)

    client.post(reverse("dua_faktor:enrol"), {"kode": code(new)})

    assert list(TOTPDevice.objects.filter(user=cast.pengelola)) == [new]
    [notice] = Notifikasi.objects.filter(penerima=cast.pengelola)
    assert notice.judul == "Aplikasi autentikator akun SIBINA Anda diganti"


def test_new_recovery_codes_are_confirmed_on_their_own_page_first(client, sign_in, cast, clock):
    device, old = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    status = client.get(reverse("dua_faktor:status")).content.decode()
    assert f'href="{reverse("dua_faktor:kode_cadangan_create")}"' in status

    page = client.get(reverse("dua_faktor:kode_cadangan_create"))

    assert page.status_code == 200
    assert "langsung tidak berlaku lagi" in page.content.decode()
    assert StaticToken.objects.filter(device__user=cast.pengelola).count() == 10
    stored = set(
        StaticToken.objects.filter(device__user=cast.pengelola).values_list("token", flat=True)
    )
    assert stored == {dua_faktor.normalize(k) for k in old}  # nothing made by the GET


# --- Switching it off ----------------------------------------------------------------------------


def test_a_pegawai_who_enrolled_can_switch_it_off_with_a_current_code(client, sign_in, cast, clock):
    device, _ = enrol(cast.pegawai)
    assert sign_in("pegawai", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    assert (
        "Matikan verifikasi dua langkah"
        in client.get(reverse("dua_faktor:status")).content.decode()
    )
    clock.shift(30)

    response = client.post(reverse("dua_faktor:disable"), {"kode": code(device)})

    assert response.url == reverse("dua_faktor:status")
    assert not dua_faktor.has_device(cast.pegawai)
    assert not StaticToken.objects.filter(device__user=cast.pegawai).exists()
    assert client.get(reverse("beranda")).status_code == 200
    assert sign_in("pegawai", PASSWORD)
    assert client.get(reverse("beranda")).status_code == 200  # no code asked any more


def test_switching_it_off_refuses_a_wrong_code(client, sign_in, cast, clock):
    device, _ = enrol(cast.pegawai)
    assert sign_in("pegawai", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    clock.shift(30)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("dua_faktor:disable"), {"kode": wrong})

    assert response.status_code == 200
    assert "Kode salah" in str(response.context["matikan_form"].errors["kode"])
    assert dua_faktor.has_device(cast.pegawai)


def test_those_required_cannot_switch_it_off(client, sign_in, cast, clock):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    assert "Matikan" not in client.get(reverse("dua_faktor:status")).content.decode()
    clock.shift(30)
    response = client.post(reverse("dua_faktor:disable"), {"kode": code(device)})
    assert response.status_code == 403
    assert dua_faktor.has_device(cast.pengelola)


def test_switching_it_off_needs_a_session_verified_with_the_app(client, sign_in, cast, clock):
    device, kode = enrol(cast.pegawai)
    assert sign_in("pegawai", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": kode[0]})
    response = client.post(reverse("dua_faktor:disable"), {"kode": code(device)})
    assert response.status_code == 403
    assert dua_faktor.has_device(cast.pegawai)


# --- Before the second step ----------------------------------------------------------------------


def test_a_session_owing_the_code_sees_no_menu_nor_counts_only_the_code_page_and_sign_out(
    client, sign_in, cast, clock
):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    html = client.get(reverse("dua_faktor:verify")).content.decode()
    assert 'id="sidebar"' not in html
    assert 'id="tugas-saya"' not in html and 'id="notifikasi-saya"' not in html
    assert f'action="{reverse("logout")}"' in html

    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})

    html = client.get(reverse("dua_faktor:status")).content.decode()
    assert 'id="sidebar"' in html and 'id="tugas-saya"' in html


def test_an_htmx_request_before_the_code_is_answered_with_hx_redirect(client, sign_in, cast):
    enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    page = "http://testserver" + reverse("pegawai:list")
    response = client.get(
        reverse("pegawai:list"), {"q": "a"}, headers={"HX-Request": "true", "HX-Current-URL": page}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == verify_url(reverse("pegawai:list"))
    assert not response.content


# --- Throttling ----------------------------------------------------------------------------------


def test_wrong_codes_are_throttled_and_the_user_is_told_when_to_try_again(
    client, sign_in, cast, clock
):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for wait in [0, 1, 2]:  # each wrong code after the wait the one before imposed
        clock.shift(wait)
        client.post(reverse("dua_faktor:verify"), {"kode": wrong})

    refused = client.post(reverse("dua_faktor:verify"), {"kode": right})

    message = str(refused.context["form"].errors["kode"])
    assert "Terlalu banyak kode salah (3 kali berturut-turut)" in message
    assert "09.00.07 WIB" in message  # 4 seconds after the third failure, at 09.00.03
    assert client.get(reverse("pegawai:list")).status_code == 302
    clock.shift(4)
    response = client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    assert response.url == reverse("beranda")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_used_once_is_not_accepted_again(client, sign_in, cast, clock):
    device, _ = enrol(cast.pengelola)
    used = code(device)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": used})
    assert sign_in("pengelola", PASSWORD)
    response = client.post(reverse("dua_faktor:verify"), {"kode": used})
    assert response.status_code == 200
    clock.shift(30)
    assert client.post(reverse("dua_faktor:verify"), {"kode": code(device)}).status_code == 302


# --- An administrator's reset ------------------------------------------------------------------


def reset(client, akun, alasan="Ponsel hilang; dipastikan lewat telepon balik ke kepala bidang"):
    return client.post(reverse("akun:dua_faktor_reset", args=[akun.pk]), {"alasan": alasan})


def test_an_administrators_reset_writes_the_audit_row_and_the_owner_enrols_again(
    client, sign_in, cast, settings
):
    cast.pengelola.first_name, cast.pengelola.last_name = "Rina", "Kartika"
    cast.pengelola.save()
    enrol(cast.pengelola)
    settings.DUA_FAKTOR_WAJIB = False  # the administrator's own second step is not the point here
    client.force_login(cast.admin)

    response = reset(client, cast.pengelola)

    assert response.url == reverse("akun:detail", args=[cast.pengelola.pk])
    assert not dua_faktor.has_device(cast.pengelola)
    assert not StaticToken.objects.filter(device__user=cast.pengelola).exists()
    row = ResetDuaFaktor.objects.get()
    assert (row.akun, row.direset_oleh, row.jumlah_perangkat) == (cast.pengelola, cast.admin, 2)
    page = audit.audit_page(cast.admin, audit.Filter(jenis="dua_faktor"))
    [entry] = page.entries
    assert entry.jenis == "Reset verifikasi dua langkah"
    assert entry.objek == "Rina Kartika (pengelola)"
    assert [(c.field, c.new) for c in entry.perubahan if "perangkat" in c.field] == [
        ("jumlah perangkat dihapus", "2")
    ]
    assert "Ponsel hilang" in entry.alasan and entry.oleh == "admin"
    listed = client.get(reverse("pembinaan:audit_list"), {"jenis": "dua_faktor"})
    assert "Ponsel hilang" in listed.content.decode()

    settings.DUA_FAKTOR_WAJIB = True
    assert sign_in("pengelola", PASSWORD)
    assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:enrol"))


def test_a_reset_ends_the_verification_of_the_owners_open_sessions(client, sign_in, cast, clock):
    device, _ = enrol(cast.pengelola)
    assert sign_in("pengelola", PASSWORD)
    client.post(reverse("dua_faktor:verify"), {"kode": code(device)})
    assert client.get(reverse("pegawai:list")).status_code == 200

    dua_faktor.dua_faktor_reset(akun=cast.pengelola, oleh=cast.admin, alasan="Ponsel dicuri")

    assert client.get(reverse("pegawai:list")).url.startswith(reverse("dua_faktor:enrol"))


def test_an_administrator_cannot_reset_their_own(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.admin)
    client.force_login(cast.admin)
    assert reset(client, cast.admin).status_code == 403
    assert dua_faktor.has_device(cast.admin)
    assert not ResetDuaFaktor.objects.exists()


@pytest.mark.parametrize("who", ["provinsi", "pengelola", "pegawai"])
def test_nobody_but_an_administrator_resets(client, cast_lengkap, settings, who):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast_lengkap.pengelola_lain)
    client.force_login(getattr(cast_lengkap, who))
    assert reset(client, cast_lengkap.pengelola_lain).status_code == 403
    assert dua_faktor.has_device(cast_lengkap.pengelola_lain)
    assert not ResetDuaFaktor.objects.exists()


def test_a_reset_without_a_reason_changes_nothing(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pengelola)
    client.force_login(cast.admin)
    response = reset(client, cast.pengelola, alasan="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["alasan"] == [
        "Tulis alasan reset verifikasi dua langkah."
    ]
    assert dua_faktor.has_device(cast.pengelola)
    assert not ResetDuaFaktor.objects.exists()


def test_a_reset_with_a_one_character_reason_changes_nothing(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pengelola)
    client.force_login(cast.admin)
    response = reset(client, cast.pengelola, alasan="  x  ")
    assert response.status_code == 200
    assert "sedikitnya 10 karakter" in str(response.context["form"].errors["alasan"])
    assert dua_faktor.has_device(cast.pengelola)
    assert not ResetDuaFaktor.objects.exists()
    with pytest.raises(ValidationError):
        dua_faktor.dua_faktor_reset(akun=cast.pengelola, oleh=cast.admin, alasan="x")


def test_the_reset_asks_for_confirmation_on_its_own_page_first(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pengelola)
    client.force_login(cast.admin)
    page = client.get(reverse("akun:dua_faktor_reset", args=[cast.pengelola.pk]))
    assert page.status_code == 200
    assert "tidak dapat dibatalkan" in page.content.decode()
    assert dua_faktor.has_device(cast.pengelola)


def test_the_reset_message_names_the_person_and_says_what_happens_next(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pegawai)
    enrol(cast.pengelola)
    client.force_login(cast.admin)
    names = riwayat.user_names({cast.pegawai.pk, cast.pengelola.pk})

    optional = str(list(reset(client, cast.pegawai).wsgi_request._messages)[-1])
    required = str(list(reset(client, cast.pengelola).wsgi_request._messages)[-1])

    assert names[cast.pegawai.pk] in optional
    assert "mendaftarkan aplikasi" not in optional
    assert "masuk dengan kata sandi saja" in optional
    assert names[cast.pengelola.pk] in required
    assert "wajib mendaftarkan aplikasi autentikator lagi" in required


def test_the_account_page_offers_the_reset_to_an_administrator(client, cast, settings):
    settings.DUA_FAKTOR_WAJIB = False
    enrol(cast.pengelola)
    client.force_login(cast.admin)
    html = client.get(reverse("akun:detail", args=[cast.pengelola.pk])).content.decode()
    assert reverse("akun:dua_faktor_reset", args=[cast.pengelola.pk]) in html


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_code_command_refuses_without_debug(cast, settings):
    settings.DEBUG = False
    enrol(cast.pengelola)
    with pytest.raises(CommandError, match="hanya untuk demo"):
        call_command("kode_totp", "pengelola")


def test_the_demo_code_command_prints_the_code_the_code_page_accepts(
    client, sign_in, cast, settings, capsys, clock
):
    settings.DEBUG = True
    enrol(cast.pengelola)
    call_command("kode_totp", "pengelola")
    printed = capsys.readouterr().out.strip()
    assert sign_in("pengelola", PASSWORD)
    assert client.post(reverse("dua_faktor:verify"), {"kode": printed}).status_code == 302
    assert client.get(reverse("pegawai:list")).status_code == 200
