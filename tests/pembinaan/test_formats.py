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


def test_a_selects_empty_choice_is_written_in_words_not_dashes(client, login, cast):
    """Django writes the empty choice of a model's field "---------"; every select of the app
    says "— pilih —" instead: the citizens' feedback form and an HR form alike."""
    from django.urls import reverse

    public = client.get(reverse("masyarakat:masukan_create")).content.decode()
    assert "---------" not in public and '<option value="" selected>— pilih —</option>' in public
    page = login(cast.pengelola).get(reverse("pegawai:create")).content.decode()
    assert "---------" not in page and "— pilih —" in page
