"""A forum registrant's contact: an email address or an Indonesian mobile number, kept in one
form so that the same person is recognised however they typed it (0812…, +62 812…, 62812…,
with spaces, dashes or dots). The one-registration-per-contact rule of a forum reads it."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SEPARATORS = re.compile(r"[\s\-.()/]")
# 08 and 8 to 11 more digits (10 to 13 digits in all), after 0, 62 or +62.
MOBILE = re.compile(r"(?:\+62|62|0)(8\d{8,11})")
SALAH = (
    "Tulis alamat email (misalnya nama@contoh.id) atau nomor HP Indonesia "
    "(misalnya 0812 3456 7890 atau +62 812 3456 7890)."
)


def kontak_normal(kontak: str) -> str:
    """The contact as stored: an email in lower case, a mobile number as +628…; a
    ValidationError saying what to write otherwise."""
    # Invisible format characters (zero-width space and joiners, soft hyphen: Unicode category
    # Cf) are dropped, so that they cannot make one contact look like another.
    text = "".join(c for c in kontak if unicodedata.category(c) != "Cf").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(f"Alamat email ini tidak lengkap. {SALAH}") from None
        return text.lower()
    number = MOBILE.fullmatch(SEPARATORS.sub("", text))
    if number is None:
        raise ValidationError(f"Nomor ini bukan nomor HP Indonesia. {SALAH}")
    return "+62" + number.group(1)
