"""Calling the REST API as a client system does: a token issued through the service, sent in
the Authorization header."""

from django.test import Client

from pembinaan import services


def token_for(admin, *units, cakupan: str = "baca", nama: str = "Sistem uji") -> str:
    _, token = services.klien_api_create(nama=nama, units=list(units), cakupan=cakupan, by=admin)
    return token


class ApiClient:
    def __init__(self, token: str | None, keyword: str = "Bearer"):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"{keyword} {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path: str, data=None, **kwargs):
        return self.client.post(path, data, **self.headers, **kwargs)

    def post_json(self, path: str, data):
        return self.post(path, data, content_type="application/json")

    def all_pages(self, path: str, params: dict | None = None) -> list[dict]:
        """Every row of a list, following `berikutnya` to the end."""
        rows, response = [], self.get(path, params)
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            rows += body["hasil"]
            if not body["berikutnya"]:
                return rows
            response = self.client.get(body["berikutnya"], **self.headers)


def galat(response) -> dict:
    """The error body, checked to have the one shape of every API error."""
    body = response.json()
    assert set(body) == {"galat"}
    assert set(body["galat"]) == {"kode", "pesan", "rincian"}
    assert isinstance(body["galat"]["pesan"], str) and body["galat"]["pesan"]
    return body["galat"]
