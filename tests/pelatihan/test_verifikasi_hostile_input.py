"""The public certificate verification against generated codes (hypothesis): a genuine code
shows the certificate, anything else a 404 page in Indonesian (or a 400 for a NUL byte), never a
server error."""

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from tests.masyarakat.test_hostile_input import EXAMPLES, hostile_text


@EXAMPLES
@given(kode=st.one_of(hostile_text, st.sampled_from(["AB/CD", "..", "%00", "9" * 40, "ÄÖ"])))
def test_any_code_is_a_page_never_a_server_error(client, laporan, kode):
    sertifikat = laporan.peserta.sertifikat
    assert client.get(f"/verifikasi/{sertifikat.kode}/").status_code == 200
    response = client.get(f"/verifikasi/{quote(kode, safe='')}/")
    if kode == sertifikat.kode:
        assert response.status_code == 200
    else:
        assert response.status_code in (400, 404)
