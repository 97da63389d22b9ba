import re
from xml.etree import ElementTree

from pembinaan.lib.charts import LABEL_CHARS, bar_chart_stacked_svg, bar_chart_svg, sparkline_svg


def test_a_bar_chart_is_valid_svg_with_one_bar_per_item_scaled_to_the_largest():
    svg = bar_chart_svg([("Baik", 10), ("Sangat Baik", 5), ("<Kurang>", 0)], title="Predikat")
    root = ElementTree.fromstring(svg)
    bars = [e for e in root.iter() if e.tag.endswith("rect")]
    assert [int(b.get("width")) for b in bars] == [270, 135, 0]
    assert "&lt;Kurang&gt;" in svg


def test_an_empty_chart_still_renders():
    assert ElementTree.fromstring(bar_chart_svg([], title="Kosong")).tag.endswith("svg")


def test_a_sparkline_draws_known_values_skips_gaps_and_marks_the_target():
    svg = sparkline_svg([10.0, None, 30.0, 40.0], title="Tren <JP>", target=50.0, width=90)
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    points = root.find(f"{ns}polyline").get("points").split()
    assert [p.split(",")[0] for p in points] == ["0.0", "60.0", "90.0"]  # the gap at x=30
    assert root.find(f"{ns}line") is not None and root.get("aria-label") == "Tren <JP>"


def test_a_sparkline_of_no_values_is_still_an_image():
    root = ElementTree.fromstring(sparkline_svg([None, None], title="Kosong"))
    assert root.find("{http://www.w3.org/2000/svg}polyline") is None


LONG = "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"
LONGER = (
    "Unit Pelaksana Teknis Daerah Balai Pelatihan Kesehatan pada Dinas Kesehatan "
    "Provinsi Jambi di Kota Jambi"
)


def label_of(svg: str, index: int) -> tuple[list[str], str]:
    """The visible lines of the index-th bar's label, and its <title>."""
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    group = root.findall(f"{ns}g")[index]
    lines = [span.text for span in group.find(f"{ns}text").findall(f"{ns}tspan")]
    return lines, group.find(f"{ns}title").text


def test_a_long_label_wraps_and_is_never_cut():
    svg = bar_chart_svg([(LONG, 50.0), ("Baik", 1)], title="JP", unit=" %", desimal=1)
    lines, title = label_of(svg, 0)
    assert len(lines) == 2 and " ".join(lines) == LONG
    assert all(len(line) <= LABEL_CHARS for line in lines)
    assert title == f"{LONG}: 50,0 %"
    assert label_of(svg, 1)[0] == ["Baik"]


def test_a_label_too_long_for_three_lines_is_shortened_with_its_full_name_in_the_title():
    lines, title = label_of(bar_chart_svg([(LONGER, 3)], title="JP"), 0)
    assert len(lines) == 3 and lines[2].endswith("…")
    assert all(len(line) <= LABEL_CHARS for line in lines)
    assert title == f"{LONGER}: 3"


def test_values_are_written_with_the_decimal_comma():
    svg = bar_chart_svg([("A", 34.94), ("B", 1234.5)], title="x", unit=" %", desimal=1)
    assert "34,9 %" in svg and "1.234,5 %" in svg and "34.9" not in svg


def test_a_bar_capped_at_the_limit_is_labelled_with_its_real_value():
    svg = bar_chart_svg(
        [("A", 192.0), ("B", 150.0), ("C", 75.0)], title="x", unit=" %", desimal=1, batas=150
    )
    assert "192,0 %" in svg and "150,0 %" in svg
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths[0] == widths[1] == 2 * widths[2]  # A's bar stops at the limit, as B's


def test_the_pdf_shows_a_wrapped_label_whole(settings, tmp_path):
    import io

    from pypdf import PdfReader

    from pembinaan.lib.pdf import render_pdf

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    (tmp_path / "chart.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}{{ svg }}{% endblock %}'
    )
    content = render_pdf(
        "chart.html", {"svg": bar_chart_svg([(LONG, 50.0)], title="JP", unit=" %", desimal=1)}
    )
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Dinas Pemberdayaan Perempuan dan Perlindungan Anak" in text
    assert "50,0 %" in text


def test_a_nine_box_shows_each_boxs_number_and_count_and_marks_the_pool():
    from pembinaan.lib.charts import nine_box_svg

    cells = [[(4, "a", 1), (7, "b", 12), (9, "<c>", 1250)],
             [(2, "d", 0), (5, "e", 3), (8, "f", 2)],
             [(1, "g", 0), (3, "h", 0), (6, "i", 5)]]  # fmt: skip
    svg = str(nine_box_svg(cells, title="Kotak", rows=["Atas", "Sesuai", "Bawah"],
                           columns=["Rendah", "Menengah", "Tinggi"], y_label="Kinerja",
                           x_label="Potensial", pool=frozenset({7, 8, 9})))  # fmt: skip
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 9
    assert "<title>Kotak 9: &lt;c&gt;: 1.250 pegawai</title>" in svg  # escaped, Indonesian digits
    assert svg.count('fill="#0b5d3b"') == 3  # the pool's three boxes in the strong colour
    for label in ["Atas", "Sesuai", "Bawah", "Rendah", "Menengah", "Tinggi", "Kinerja"]:
        assert label in svg


def test_the_stacked_chart_puts_each_label_above_one_colour_bar_and_escapes_it():
    svg = bar_chart_stacked_svg(
        [("<Poli> Umum Puskesmas Rawasari Kota Jambi Provinsi", 86.11), ("Loket", 120.0)],
        title="IKM", desimal=2, batas=100,
    )  # fmt: skip
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = root.iter(f"{ns}rect")
    assert len({bar.get("fill") for bar in bars}) == 1
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "&lt;Poli&gt;" in svg and "86,11" in texts and "120,00" in texts
    assert int(root.get("font-size")) / int(root.get("width")) >= 0.04
