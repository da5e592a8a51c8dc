"""Every report format and variant against its golden file (ROOTOUT_UPDATE_GOLDEN=1 rewrites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.report.data import ReportData
from rootout.report.formats import FORMATS, render
from rootout.report.pdf import html_to_pdf
from tests.report import estate, golden

VARIANTS = [(name, variant) for name, fmt in FORMATS.items() for variant in fmt.variants]


def _html_of(fmt: str, data: ReportData) -> str:
    """The HTML a PDF format prints (the executive page for ``pdf``, else the format's html)."""
    source = FORMATS["html"] if fmt == "pdf" else FORMATS[fmt]
    html = source.variants["html"](data)
    assert isinstance(html, str)
    return html


def _masked(fmt: str, variant: str, store: estate.Store | None, data: ReportData) -> str:
    """The report as text with catalog-dependent values masked.

    A PDF is checked as the text of the PDF made from the masked HTML: masking after
    layout would not work, since an id's glyph widths move line breaks.
    """
    if variant == "pdf":
        assert isinstance(render(fmt, data, Path("report.pdf")), bytes)
        return golden.pdf_text(html_to_pdf(estate.mask(_html_of(fmt, data), store, data)))
    content = render(fmt, data, Path(f"report.{variant}"))
    assert isinstance(content, str)
    return estate.mask(content, store, data)


def _name(fmt: str, variant: str) -> str:
    suffix = "pdf.txt" if variant == "pdf" else variant
    return f"{fmt}.{suffix}"


@pytest.mark.parametrize(("fmt", "variant"), VARIANTS)
def test_report_matches_golden(
    fmt: str, variant: str, store: estate.Store, data: ReportData
) -> None:
    golden.check(_name(fmt, variant), _masked(fmt, variant, store, data))


@pytest.mark.parametrize("fmt", [name for name in FORMATS if name != "pdf"])
def test_report_of_an_empty_store_matches_golden(fmt: str, empty: estate.Store) -> None:
    data = empty.data()
    variant = FORMATS[fmt].default
    golden.check(f"empty/{_name(fmt, variant)}", _masked(fmt, variant, None, data))
