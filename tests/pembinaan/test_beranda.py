import pytest
from django.urls import reverse

URL = reverse("beranda")


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pengelola_sees_the_count_of_their_units(login, cast):
    response = login(cast.pengelola).get(URL)
    assert response.context["jumlah_pegawai"] == 2


def test_atasan_sees_their_subordinates_count(login, cast):
    assert login(cast.atasan).get(URL).context["jumlah_bawahan"] == 1


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("admin", ["Data pegawai", "Impor pegawai", "Data referensi"], []),
        ("pengelola", ["Data pegawai", "Impor pegawai"], ["Data referensi", "Bawahan saya"]),
        ("atasan", ["Profil saya", "Bawahan saya"], ["Impor pegawai", "Data referensi"]),
        ("pegawai", ["Profil saya"], ["Bawahan saya", "Impor pegawai", "Data pegawai"]),
    ],
)
def test_the_navigation_shows_each_role_what_it_may_use(login, cast, who, shown, hidden):
    page = login(getattr(cast, who)).get(URL).content.decode()
    assert all(entry in page for entry in shown)
    assert not any(entry in page for entry in hidden)
