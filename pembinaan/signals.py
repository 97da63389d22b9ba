"""pembinaan listens to the apps it monitors: a write that changes the dashboards' figures
(pembinaan.lib.freshness) asks for them to be made anew."""

from django.dispatch import receiver

from . import services
from .lib.freshness import figures_changed


@receiver(figures_changed)
def _figures_changed(sender, **kwargs) -> None:
    services.ringkasan_refresh_request()
