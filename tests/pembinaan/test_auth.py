from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = reverse("login")


def test_login_with_username(client, cast):
    response = client.post(LOGIN, {"username": "pengelola", "password": "rahasia-123"})
    assert response.status_code == 302 and response["Location"] == reverse("beranda")


def test_login_with_a_grouped_nip(client, cast):
    nip = cast.pegawai_pegawai.nip_tampil
    response = client.post(LOGIN, {"username": nip, "password": "rahasia-123"})
    assert response.status_code == 302
    assert client.get(reverse("beranda")).context["user"] == cast.pegawai


def test_a_wrong_password_says_so_in_indonesian(client, cast):
    response = client.post(LOGIN, {"username": cast.pegawai_pegawai.nip, "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_a_deactivated_pegawai_cannot_log_in(client, cast):
    cast.pegawai.is_active = False
    cast.pegawai.save()
    response = client.post(LOGIN, {"username": cast.pegawai_pegawai.nip, "password": "rahasia-123"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_closed_login_is_told_so_only_with_the_right_password_and_not_counted(client, cast):
    cast.pegawai.is_active = False
    cast.pegawai.save()
    for username in ("pegawai", cast.pegawai_pegawai.nip_tampil):
        right = client.post(LOGIN, {"username": username, "password": "rahasia-123"})
        assert "Akun ini nonaktif" in right.content.decode()
    assert not AccessAttempt.objects.exists()
    wrong = client.post(LOGIN, {"username": "pegawai", "password": "salah"}).content.decode()
    assert "kata sandi salah" in wrong and "nonaktif" not in wrong


def test_a_session_of_a_login_closed_meanwhile_ends_at_its_next_request(login, cast):
    client = login(cast.pegawai)
    assert client.get(reverse("beranda")).status_code == 200
    cast.pegawai.is_active = False
    cast.pegawai.save()
    assert client.get(reverse("beranda")).status_code == 302


def test_the_login_page_is_public(client, db):
    assert client.get(LOGIN).status_code == 200


def test_logout_needs_post_and_ends_the_session(login, cast):
    client = login(cast.pegawai)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("beranda")).status_code == 302


def test_password_change(login, cast):
    client = login(cast.pegawai)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-123",
            "new_password1": "Jambi-Sepucuk-2026",
            "new_password2": "Jambi-Sepucuk-2026",
        },
    )
    assert response.status_code == 302
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.check_password("Jambi-Sepucuk-2026")


def test_password_change_with_a_wrong_old_password_changes_nothing(login, cast):
    client = login(cast.pegawai)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "keliru",
            "new_password1": "Jambi-Sepucuk-2026",
            "new_password2": "Jambi-Sepucuk-2026",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    cast.pegawai.refresh_from_db()
    assert cast.pegawai.check_password("rahasia-123")


def test_password_change_needs_login(client, db):
    assert client.get(reverse("password_change")).status_code == 302


def attempt(client, username, password="salah-sekali", address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_session_ends_after_a_working_day(client, cast):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    attempt(client, "pegawai", "rahasia-123")
    session = Session.objects.get()
    assert session.expire_date - timezone.now() > timedelta(hours=7, minutes=59)
    assert session.expire_date - timezone.now() <= timedelta(hours=8)
    assert client.get(reverse("beranda")).status_code == 200


def test_an_expired_session_is_not_served_from_the_cache(client, cast, settings):
    import time

    settings.SESSION_COOKIE_AGE = 3  # the cached copy lives no longer than the session
    attempt(client, "pegawai", "rahasia-123")
    assert client.get(reverse("beranda")).status_code == 200  # read through the cache
    time.sleep(3.2)
    assert client.get(reverse("beranda")).status_code == 302
