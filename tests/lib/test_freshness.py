from django.db import transaction

from pembinaan.lib.freshness import figures_changed, figures_stale


def test_listeners_hear_a_committed_write_and_never_a_rolled_back_one(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    asked = []

    def listener(sender, **kwargs):
        asked.append(sender)

    figures_changed.connect(listener)
    monkeypatch.setattr("pembinaan.services.ringkasan_refresh_request", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                figures_stale("test")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        figures_stale("test")
    figures_changed.disconnect(listener)
    assert asked == ["test"]
