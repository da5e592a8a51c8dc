"""Charts as inline SVG, drawn here: no JavaScript, no network, print-ready.

Every label is escaped before it goes into the markup; the functions return
``Markup`` so the (autoescaping) templates embed the SVG itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = 330
ROW = 24
PALETTE = ("#1f5f8b", "#d9822b", "#2e8540", "#8e3b8e", "#b23b3b", "#5b6770", "#0f8b8d")
RISK = "#b3261e"
CALM = "#1f5f8b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    color: str = CALM
    note: str = ""
    """Shown after the value (e.g. 'overdue')."""


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def hbars(bars: Sequence[Bar], title: str) -> Markup:
    """Horizontal bars, one per row, longest first as given."""
    if not bars:
        return _frame(ROW, title, [f'<text x="0" y="16">{escape("No data.")}</text>'])
    top = max(max(b.value for b in bars), 1)
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW
        length = round(BAR_AREA * max(bar.value, 0) / top)
        label = escape(_short(bar.label))
        body.append(
            f"<g><title>{escape(bar.label)}: {bar.value}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{max(length, 2)}" height="{ROW - 8}" '
            f'fill="{escape(bar.color)}"/>'
            f'<text x="{LABEL_WIDTH + max(length, 2) + 6}" y="{y + 16}">'
            f"{bar.value}{escape(' ' + bar.note if bar.note else '')}</text></g>"
        )
    return _frame(len(bars) * ROW + 4, title, body)


def columns(points: Sequence[tuple[str, int]], title: str) -> Markup:
    """Vertical columns in order (a trend across scans), each labelled below."""
    height, base, area = 220, 180, 150
    if not points:
        return _frame(ROW, title, [f'<text x="0" y="16">{escape("No scans.")}</text>'])
    top = max(max(v for _, v in points), 1)
    step = min(90, (WIDTH - 40) // len(points))
    body = [f'<line x1="30" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#888"/>']
    previous: tuple[int, int] | None = None
    for i, (label, value) in enumerate(points):
        x = 40 + i * step
        h = round(area * value / top)
        flat = label.replace("\n", " ")
        body.append(
            f"<g><title>{escape(flat)}: {value}</title>"
            f'<rect x="{x}" y="{base - h}" width="{step - 14}" height="{max(h, 1)}" fill="{CALM}"/>'
            f'<text x="{x + (step - 14) // 2}" y="{base - h - 4}" text-anchor="middle">{value}</text>'
            + "".join(
                f'<text x="{x + (step - 14) // 2}" y="{base + 14 + 12 * n}" '
                f'text-anchor="middle" font-size="10">{escape(_short(part, 14))}</text>'
                for n, part in enumerate(label.split("\n")[:2])
            )
            + "</g>"
        )
        centre = (x + (step - 14) // 2, base - h)
        if previous:
            body.append(
                f'<line x1="{previous[0]}" y1="{previous[1]}" x2="{centre[0]}" y2="{centre[1]}" '
                f'stroke="{PALETTE[1]}" stroke-width="2"/>'
            )
        previous = centre
    return _frame(height, title, body)


def colored(pairs: Sequence[tuple[str, int]]) -> list[Bar]:
    return [Bar(label, value, PALETTE[i % len(PALETTE)]) for i, (label, value) in enumerate(pairs)]
