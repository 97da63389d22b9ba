from django.test import RequestFactory

from pembinaan.lib.views import redirect_back


def _post(next_url: str):
    return RequestFactory().post("/aksi/", {"next": next_url}, HTTP_HOST="testserver")


def test_it_goes_back_to_the_page_of_this_site_the_form_names():
    assert redirect_back(_post("/tugas/"), "/angkatan/1/").url == "/tugas/"


def test_it_never_sends_the_login_to_another_site():
    for target in ("https://jahat.example/", "//jahat.example/tugas/", "javascript:alert(1)", ""):
        assert redirect_back(_post(target), "/angkatan/1/").url == "/angkatan/1/"
