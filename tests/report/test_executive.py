"""The executive report: escaped HTML, inline SVG charts, a PDF that prints."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image

from rootout.report import charts, executive
from rootout.report.data import ReportData
from tests.report import estate, golden


def test_a_hostile_product_name_is_escaped(data: ReportData) -> None:
    html = executive.render(data)
    assert estate.HOSTILE_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_chart_labels_are_escaped_too() -> None:
    svg = str(charts.hbars([charts.Bar('<img src=x onerror="1">', 3)], "t<"))
    assert "<img" not in svg
    assert "&lt;img src=x onerror=&#34;1&#34;&gt;" in svg
    assert "<title>t&lt;</title>" in svg


def test_charts_are_inline_svg_and_nothing_is_loaded(data: ReportData) -> None:
    html = executive.render(data)
    assert html.count("<svg") == 4  # by entity, by basis, trend, deadlines
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"(src|href)=", html)
    assert "@media print" in html
    assert "@page" in html


def test_numbers_trend_and_deadlines_at_risk(data: ReportData) -> None:
    context = executive.context(data)
    statuses = [r["status"] for r in data.findings]
    assert context["numbers"]["active findings"] == statuses.count("active")
    assert context["numbers"]["gone (removed)"] == statuses.count("gone") == 1
    assert context["numbers"]["inputs not read"] == 2  # README.txt, zeek-dns-broken.log
    baseline, rescan = (len(scan.sightings) for scan in data.scans)
    assert f"<title>2024-09-16 baseline: {baseline}</title>" in str(context["trend"])
    assert f"<title>2024-09-17 rescan: {rescan}</title>" in str(context["trend"])
    at_risk = {(line.case.id, line.deadline.legal_basis_short) for line in context["at_risk"]}
    assert ("C1", "FAR 52.204-25") in at_risk
    assert ("C6", "FAR 52.204-23") in at_risk
    # deadlines that passed before the case was identified (BOD 17-01, 2017) are not "at risk"
    assert all(not line.deadline.passed_before_identification for line in context["deadlines"])


def test_an_empty_store_says_so(empty: estate.Store) -> None:
    html = executive.render(empty.data())
    assert "No scans are stored: nothing was inspected." in html
    assert "No active findings in scope." in html


def _colourful_pixels(png: Path) -> int:
    raw = Image.open(png).convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)


def _pages(pdf: Path, tmp: Path, prefix: str) -> list[Path]:
    subprocess.run(
        [golden.poppler("pdftoppm"), "-r", "40", "-png", str(pdf), str(tmp / prefix)], check=True
    )
    return sorted(tmp.glob(f"{prefix}-*.png"))


def test_the_pdf_has_pages_and_its_chart_page_is_not_blank(
    data: ReportData, empty: estate.Store, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(executive.render_pdf(data))
    info = subprocess.run(
        [golden.poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    images = _pages(pdf, tmp_path, "full")
    assert pages == len(images) >= 3
    blank = tmp_path / "empty.pdf"
    blank.write_bytes(executive.render_pdf(empty.data()))
    (empty_first,) = _pages(blank, tmp_path, "empty")[:1]
    # page 1 holds the entity and basis charts: coloured bars, far more than the empty report's
    assert _colourful_pixels(images[0]) > 5 * max(_colourful_pixels(empty_first), 100)
