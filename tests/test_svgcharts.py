"""The dashboard's inline SVG charts: well-formed SVG, one mark per value, staff text escaped,
numbers in Vietnamese notation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from toolkit.outputs import svgcharts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_bar_chart_draws_one_segment_per_nonzero_value_and_the_totals():
    root = parse(svgcharts.bar_chart(["Đất đai", "Môi trường"], [("Đã trả lời", [3, 0]), ("Đang xử lý", [1, 2])],
                                     title="Kiến nghị theo lĩnh vực"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [r.find(f"{SVG}title").text for r in bars] == [
        "Đất đai – Đã trả lời: 3", "Đất đai – Đang xử lý: 1", "Môi trường – Đang xử lý: 2"]
    widths = [float(r.get("width")) for r in bars]
    assert abs(widths[0] - 3 * widths[1]) < 0.2            # widths proportional to the values
    shown = texts(root)
    assert "Kiến nghị theo lĩnh vực" in shown and "4" in shown and "2" in shown
    assert {"Đã trả lời", "Đang xử lý"} <= set(shown)     # legend when there are several series


def test_bar_chart_without_data_says_so():
    assert "Chưa có dữ liệu" in texts(parse(svgcharts.bar_chart([], [("Số kiến nghị", [])])))


def test_staff_text_is_escaped():
    evil = "<script>alert(1)</script> & \"x\""
    markup = svgcharts.bar_chart([evil], [("A", [1])], title=evil)
    assert "<script>" not in str(markup)
    root = parse(markup)
    assert evil in [t.text for t in root.iter(f"{SVG}title")]
    donut = svgcharts.donut_chart([(evil, 2)])
    assert "<script>" not in str(donut) and parse(donut) is not None


def test_donut_slices_legend_and_total_in_vietnamese_notation():
    root = parse(svgcharts.donut_chart([("Đã trả lời", 1500), ("Quá hạn", 500), ("Không có", 0)], title="Tình trạng"))
    paths = list(root.iter(f"{SVG}path"))
    assert [p.find(f"{SVG}title").text for p in paths] == ["Đã trả lời: 1.500", "Quá hạn: 500"]
    shown = texts(root)
    assert "2.000" in shown                                   # the total in the middle, thousands with a dot
    assert "Không có: 0" in shown                             # an empty slice stays in the legend


def test_a_single_slice_is_a_full_circle_and_decimals_use_a_comma():
    root = parse(svgcharts.donut_chart([("Tất cả", 2.5)]))
    circles = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert [c.find(f"{SVG}title").text for c in circles] == ["Tất cả: 2,5"]


def test_long_labels_wrap_inside_the_label_column():
    label = "Địa chính - Xây dựng - Đô thị - Môi trường và các việc khác của phường"
    root = parse(svgcharts.bar_chart([label], [("A", [1])], width=400))
    spans = [s.text for s in root.iter(f"{SVG}tspan")]
    assert 1 < len(spans) <= 2
    room = 400 * 0.5 - 14
    assert all(svgcharts.text_width(s) <= room for s in spans)
