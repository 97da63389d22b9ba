from django.apps import AppConfig


class PegawaiConfig(AppConfig):
    name = "pegawai"
    verbose_name = "Kepegawaian"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
