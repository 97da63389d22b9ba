from xml.etree import ElementTree

from pembinaan.lib.charts import bar_chart_svg, sparkline_svg


def test_a_bar_chart_is_valid_svg_with_one_bar_per_item_scaled_to_the_largest():
    svg = bar_chart_svg([("Baik", 10), ("Sangat Baik", 5), ("<Kurang>", 0)], title="Predikat")
    root = ElementTree.fromstring(svg)
    bars = [e for e in root.iter() if e.tag.endswith("rect")]
    assert [int(b.get("width")) for b in bars] == [320, 160, 0]
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
