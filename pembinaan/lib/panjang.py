"""The length limits of every form and model field (Django's MaxLengthValidator and
MinLengthValidator) say their numbers the Indonesian way: "paling banyak 2.000 karakter (sekarang
50.000 karakter)", not "2000 … 50000". Django writes them with %d and no grouping; installed once
at start-up (pembinaan.apps), so that each field need not repeat its own message."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator

from .angka import angka

PESAN = {
    MaxLengthValidator: "Pastikan isian ini paling banyak %(limit_value)s karakter "
    "(sekarang %(show_value)s karakter).",
    MinLengthValidator: "Pastikan isian ini paling sedikit %(limit_value)s karakter "
    "(sekarang %(show_value)s karakter).",
}


def _call(self, value):
    cleaned = self.clean(value)
    limit = self.limit_value() if callable(self.limit_value) else self.limit_value
    if self.compare(cleaned, limit):
        params = {"limit_value": angka(limit), "show_value": angka(cleaned), "value": value}
        # A message the field set itself (error_messages) is kept; Django's own is replaced.
        message = self.message if self.message is not type(self).message else PESAN[type(self)]
        raise ValidationError(message, code=self.code, params=params)


def pasang() -> None:
    for validator in PESAN:
        validator.__call__ = _call
