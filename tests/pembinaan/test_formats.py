from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


def test_numbers_are_grouped_the_indonesian_way_only_where_asked():
    assert render("{{ n|intcomma }}", n=1234567) == "1.234.567"
    assert render('{{ x|floatformat:"1g" }}', x=1234.5) == "1.234,5"
    assert render("{{ year }}", year=2026) == "2026"  # never "2.026"


def test_dates_read_27_11_2026():
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=date(2026, 11, 27)) == "27/11/2026"
    moment = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', t=moment) == "27/11/2026 08:30"
