from xml.etree import ElementTree

from pembinaan.lib.charts import bar_chart_svg


def test_a_bar_chart_is_valid_svg_with_one_bar_per_item_scaled_to_the_largest():
    svg = bar_chart_svg([("Baik", 10), ("Sangat Baik", 5), ("<Kurang>", 0)], title="Predikat")
    root = ElementTree.fromstring(svg)
    bars = [e for e in root.iter() if e.tag.endswith("rect")]
    assert [int(b.get("width")) for b in bars] == [320, 160, 0]
    assert "&lt;Kurang&gt;" in svg


def test_an_empty_chart_still_renders():
    assert ElementTree.fromstring(bar_chart_svg([], title="Kosong")).tag.endswith("svg")
