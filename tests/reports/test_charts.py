"""reports.charts: static SVG from matplotlib with Danish tick labels, partial months marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reports.charts import bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"


def _texts(svg) -> list[str]:
    return [t.text.strip() for t in ET.fromstring(str(svg)).iter(f"{NS}text") if t.text]


def test_line_chart_is_an_accessible_offline_svg_with_danish_ticks():
    svg = line_chart(
        ["jan. 2025", "feb. 2025", "mar. 2025"],
        {"Ordinære & elever": [3.0, 5.5, 13.0], "Inklusion": [None, 9.0, 10.0]},
        title="Fravær <pct>",
        y_label="Fravær (%)",
        y_format="pct",
    )
    root = ET.fromstring(str(svg))
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Fravær <pct>"
    assert "Serier: Ordinære & elever, Inklusion" in root.find(f"{NS}desc").text
    texts = _texts(svg)
    assert {"jan. 2025", "mar. 2025", "Ordinære & elever", "Inklusion"} <= set(texts)
    # a 2,5 step keeps its decimal, with a Danish comma and a no-break space before %
    assert f"2,5{NBSP}%" in texts and f"12,5{NBSP}%" in texts
    assert "http" not in str(svg).replace("http://www.w3.org", "")  # no external reference
    assert "<script" not in str(svg)


def test_partial_month_is_marked_in_the_legend():
    svg = line_chart(["nov. 2025", "dec. 2025"], {"A": [4, 5]}, title="T", y_label="Antal",
                     partial=[False, True])  # fmt: skip
    assert "Måneden er ikke slut" in _texts(svg)
    plain = line_chart(["nov. 2025", "dec. 2025"], {"A": [4, 5]}, title="T", y_label="Antal")
    assert "Måneden er ikke slut" not in _texts(plain)


def test_count_axis_uses_whole_numbers_and_thousands_separators():
    svg = line_chart(["2024", "2025"], {"A": [1200, 4800]}, title="T", y_label="Personer")
    ticks = [t for t in _texts(svg) if t[:1].isdigit() and t not in ("2024", "2025")]
    assert "4.000" in ticks and all("," not in t for t in ticks)


def test_empty_chart_says_so():
    assert "Ingen tal at vise" in _texts(line_chart(["jan. 2025"], {"A": [None]}, title="T",
                                                  y_label="x"))  # fmt: skip


def test_bar_chart_labels_hidden_values_with_a_dash():
    svg = bar_chart(["Skole", "Vej og park"], [1234, None], title="Forløb", x_label="Personer")
    texts = _texts(svg)
    assert "1.234" in texts and "–" in texts
    assert texts.index("Skole") < texts.index("Vej og park")


def test_targets_and_spans_are_drawn_and_described():
    svg = line_chart(
        ["jan. 2023", "feb. 2023", "mar. 2023", "apr. 2023"],
        {"Alle samtaler": [90.0, 92.0, None, 88.0], "Første samtale": [80.0, 85.0, 86.0, 87.0]},
        title="Rettidighed",
        y_label="Rettidighed",
        y_format="pct",
        targets={"Alle samtaler": [90.0, 90.0, 95.0, 95.0]},
        spans=[(-0.5, 2.2, "sdp_2014"), (2.2, 3.5, "sdp_2023 fra 22.03.2023")],
    )
    texts = _texts(svg)
    assert {"Mål: Alle samtaler", "sdp_2014", "sdp_2023 fra 22.03.2023"} <= set(texts)
    desc = ET.fromstring(str(svg)).find(f"{NS}desc").text
    assert "mål for Alle samtaler" in desc and "sdp_2014; sdp_2023 fra 22.03.2023" in desc
    plain = line_chart(["jan. 2023"], {"A": [1.0]}, title="T", y_label="x")
    assert not any(t.startswith("Mål:") for t in _texts(plain))
