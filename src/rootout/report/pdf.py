"""HTML to PDF with WeasyPrint, offline: no URL is ever fetched."""

from __future__ import annotations

from rootout.errors import RootoutError


class PdfError(RootoutError):
    """WeasyPrint (or the system libraries it needs) is not available."""

    exit_code = 2
    hint = "PDF output needs WeasyPrint and Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"


def html_to_pdf(html: str) -> bytes:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:  # OSError: Pango or its friends are missing
        raise PdfError(f"cannot make a PDF: {exc}") from exc
    # Only data: URLs may be loaded; reports embed everything (inline CSS and SVG).
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
