"""iCalendar (RFC 5545) files: the personal feed, a unit's training calendar and a batch's "add to
calendar" file. Knows no models: callers hand in `Acara` values, this writes them with the
`icalendar` library (line folding, escaping, and the VTIMEZONE of Asia/Jakarta from zoneinfo).

Timed events carry TZID=Asia/Jakarta with that VTIMEZONE in the file, so a calendar in any zone
shows them at the right moment; whole-day events (a training day, a due date) are DATE values,
which RFC 5545 defines as floating: the same day wherever the reader is."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vText

PRODID = "-//Pemerintah Provinsi Jambi//SIBINA//ID"
WIB = ZoneInfo("Asia/Jakarta")
CONTENT_TYPE = "text/calendar; charset=utf-8"

# RFC 5545 3.3.11: TEXT holds no control character but HTAB (a newline is written escaped, "\\n").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def satu_baris(text: str) -> str:
    """A name or a title on one line: every run of whitespace or control characters, newlines
    included, one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def teks(text: str) -> str:
    """A description: its lines kept (the writer escapes each newline, RFC 5545 3.3.11), a
    carriage return read as a newline, other control characters a space."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_CONTROL.sub(" ", line).rstrip() for line in lines)


@dataclass(frozen=True)
class Acara:
    """One VEVENT. `mulai` a date (a whole day, `selesai` the last day, inclusive) or an aware
    datetime (`selesai` the end, or `durasi`)."""

    uid: str  # stable per event: the kind and the row's key, e.g. "sesi-12"
    judul: str
    mulai: date | datetime
    selesai: date | datetime | None = None
    durasi: timedelta | None = None
    keterangan: str = ""
    tempat: str = ""
    url: str = ""
    dibatalkan: bool = False
    sementara: bool = False  # TENTATIVE: a request not yet approved
    sibuk: bool = True  # TRANSP: a due date does not block the day


def uid_domain() -> str:
    """The right-hand side of every UID: the deployment's host, so UIDs stay the same whichever
    address a calendar application used to fetch the file."""
    return urlsplit(settings.SITE_URL).hostname or "sibina"


def kalender(nama: str, acara: list[Acara], *, dtstamp: datetime | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(satu_baris(nama)))
    cal.add("x-wr-timezone", "Asia/Jakarta")
    # DTSTAMP: when this file was made (the feed is rebuilt on every fetch), in UTC, whole seconds.
    stamp = (dtstamp or timezone.now()).astimezone(ZoneInfo("UTC")).replace(microsecond=0)
    domain = uid_domain()
    for item in acara:
        cal.add_component(_event(item, stamp, domain))
    cal.add_missing_timezones()
    return cal


def _event(item: Acara, stamp: datetime, domain: str) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("summary", satu_baris(item.judul))
    if isinstance(item.mulai, datetime):
        event.add("dtstart", item.mulai.astimezone(WIB))
        if item.selesai is not None:
            event.add("dtend", item.selesai.astimezone(WIB))
        elif item.durasi is not None:
            event.add("duration", item.durasi)
    else:
        # DTEND of a whole-day event is exclusive: the day after the last.
        last = item.selesai or item.mulai
        event.add("dtstart", item.mulai)
        event.add("dtend", last + timedelta(days=1))
    if item.keterangan:
        event.add("description", teks(item.keterangan))
    if item.tempat:
        event.add("location", satu_baris(item.tempat))
    if item.url:
        event.add("url", satu_baris(item.url))
    if item.dibatalkan:
        event.add("status", "CANCELLED")
    elif item.sementara:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE" if item.sibuk else "TRANSPARENT")
    return event


def ics_response(cal: Calendar, *, filename: str, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
