"""The results form of a batch: the select shows the saved decision, typed scores survive a
refusal and the message names the participant, and a failed participant reads "Tidak lulus" on
the batch page, in its export and on the pegawai's own pages."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from pelatihan import services


def row_of(page: str, peserta) -> str:
    start = page.index(f'id="peserta-{peserta.pk}"')
    return page[start : page.index("</tr>", start)]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("lulus", "selected"), [(True, 'value="lulus" selected'), (False, 'value="tidak" selected')]
)
def test_the_result_select_shows_the_saved_decision(login, cast, finished, lulus, selected):
    services.peserta_decide(peserta=finished, lulus=lulus)
    page = login(cast.pengelola).get(finished.angkatan.get_absolute_url()).content.decode()
    row = row_of(page, finished)
    assert selected in row and row.count(" selected") == 1


def test_an_undecided_participant_shows_no_decision(login, cast, finished):
    page = login(cast.pengelola).get(finished.angkatan.get_absolute_url()).content.decode()
    assert '<option value="" selected>' in row_of(page, finished)


def test_scores_that_are_not_numbers_come_back_as_typed_with_the_name(login, cast, finished):
    client = login(cast.pengelola)
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    response = client.post(url, {"nilai_pre": "6o", "nilai_post": "88,5", "keputusan": "lulus"})
    assert response["Location"].endswith(f"#peserta-{finished.pk}")
    assert any("Budi Pegawai" in m for m in messages_of(response))
    row = row_of(client.get(finished.angkatan.get_absolute_url()).content.decode(), finished)
    assert 'value="6o"' in row and 'value="88,5"' in row and 'value="lulus" selected' in row
    finished.refresh_from_db()
    assert (finished.nilai_pre, finished.lulus) == (None, None)
    # Shown once: the next visit shows what is saved.
    row = row_of(client.get(finished.angkatan.get_absolute_url()).content.decode(), finished)
    assert 'value="6o"' not in row and 'value="85"' in row


def test_a_refused_pass_keeps_the_typed_scores_and_names_the_participant(login, cast, finished):
    for sesi in finished.angkatan.sesi.all()[:2]:
        sesi.kehadiran.update(hadir=False)
    client = login(cast.pengelola)
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    response = client.post(url, {"nilai_pre": "55,5", "nilai_post": "91", "keputusan": "lulus"})
    [message] = messages_of(response)
    assert message.startswith("Budi Pegawai: kehadiran 60 % di bawah ambang 80 %")
    row = row_of(client.get(finished.angkatan.get_absolute_url()).content.decode(), finished)
    assert 'value="55,5"' in row and 'value="91"' in row
    finished.refresh_from_db()
    assert finished.lulus is None and str(finished.nilai_post) == "85.00"


def test_a_score_above_100_is_refused_with_the_name(cast, finished):
    with pytest.raises(ValidationError, match="Budi Pegawai"):
        services.peserta_scores_save(peserta=finished, nilai_pre=None, nilai_post=150)


def test_a_failed_participant_reads_tidak_lulus_everywhere(login, cast, finished):
    services.peserta_decide(peserta=finished, lulus=False)
    hr = login(cast.pengelola)
    batch_url = finished.angkatan.get_absolute_url()
    assert "Tidak lulus" in row_of(hr.get(batch_url).content.decode(), finished)
    export = hr.get(batch_url, {"format": "csv"})
    content = b"".join(export.streaming_content if export.streaming else [export.content])
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["Hasil"] for r in rows] == ["Tidak lulus"]
    me = login(cast.pegawai)
    year = finished.angkatan.tanggal_selesai.year
    assert "Tidak lulus" in me.get(reverse("pelatihan:jp_saya"), {"tahun": year}).content.decode()
    assert "Status Anda: <strong>Tidak lulus</strong>" in me.get(batch_url).content.decode()
    assert "Tidak lulus" in me.get(reverse("beranda")).content.decode()


def test_a_passed_participants_post_test_cannot_drop_below_the_pass_mark_without_a_new_decision(
    login, cast, finished
):
    services.peserta_decide(peserta=finished, lulus=True)
    client = login(cast.pengelola)
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    for keputusan in ("", "lulus"):
        response = client.post(url, {"nilai_pre": "60", "nilai_post": "10", "keputusan": keputusan})
        message = messages_of(response)[-1]
        assert message.startswith("Budi Pegawai:") and "Nilai Budi Pegawai disimpan" not in message
        finished.refresh_from_db()
        assert str(finished.nilai_post) == "85.00" and finished.lulus is True
    assert finished.sertifikat is not None and not finished.sertifikat.is_revoked
    # Deciding again with the scores is how they change: failed, the certificate withdrawn.
    client.post(url, {"nilai_pre": "60", "nilai_post": "10", "keputusan": "tidak"})
    finished.refresh_from_db()
    assert str(finished.nilai_post) == "10.00" and finished.lulus is False


def test_saving_scores_with_no_result_chosen_says_the_decision_stays(login, cast, finished):
    services.peserta_decide(peserta=finished, lulus=True)
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    response = login(cast.pengelola).post(
        url, {"nilai_pre": "70", "nilai_post": "90", "keputusan": ""}
    )
    assert messages_of(response) == ["Nilai Budi Pegawai disimpan; keputusan lulus tidak berubah."]
    finished.refresh_from_db()
    assert finished.lulus is True and str(finished.nilai_post) == "90.00"
