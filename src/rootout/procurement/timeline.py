"""The contracts timeline as inline SVG, drawn on the server: no JavaScript, print-ready.

Per fiscal year, a column of purchase amounts stacked by channel (direct,
affiliate, reseller) and a thinner column of removal work beside it; a dashed
vertical line at each rule's effective date. Every label is escaped; the
function returns ``Markup`` so the autoescaping template embeds the SVG as is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

from rootout.procurement.actions import Action
from rootout.procurement.analysis import RuleDate

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 60, 40
COLORS = {
    "direct": "#b3261e",
    "affiliate": "#d9822b",
    "reseller": "#1f5f8b",
    "removal": "#2e8540",
}
PURCHASE_CHANNELS = ("direct", "affiliate", "reseller")


def _fiscal_year(day: dt.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _money(amount: Decimal) -> str:
    value = float(amount)
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"${value / size:.1f}{unit}"
    return f"${value:.0f}"


def timeline(actions: Sequence[Action], rules: Sequence[RuleDate], title: str) -> Markup:
    """Stacked yearly amounts by channel, removal beside them, rule dates as lines."""
    dated = [a for a in actions if a.on is not None]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" width="{WIDTH}" height="{HEIGHT}" font-family="DejaVu Sans, Helvetica, Arial, '
        f'sans-serif" font-size="11"><title>{escape(title)}</title>'
    )
    if not dated:
        return Markup(head + '<text x="10" y="20">No dated actions.</text></svg>')
    years_seen = [_fiscal_year(a.on) for a in dated if a.on is not None]
    first, last = min(years_seen), max(years_seen)
    years = list(range(first, last + 1))
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for action in dated:
        assert action.on is not None
        amount = max(action.amount or Decimal(0), Decimal(0))
        sums[(_fiscal_year(action.on), action.channel)] += amount
    top = max(
        [sum((sums[(y, c)] for c in PURCHASE_CHANNELS), Decimal(0)) for y in years]
        + [sums[(y, "removal")] for y in years]
        + [Decimal(1)]
    )
    band = (WIDTH - LEFT - RIGHT) / len(years)
    area = HEIGHT - TOP - BOTTOM
    body = [_axis(top, area)]
    for index, year in enumerate(years):
        x = LEFT + index * band
        body.append(_column(x, band, year, sums, top, area))
    body.extend(_rules(rules, first, years, band))
    body.append(_legend())
    return Markup(head + "".join(body) + "</svg>")


def _axis(top: Decimal, area: float) -> str:
    base = TOP + area
    parts = [f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#888"/>']
    for step in range(5):
        value = top * step / 4
        y = base - area * step / 4
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_money(value))}</text>'
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#eee"/>'
        )
    return "".join(parts)


def _column(
    x: float,
    band: float,
    year: int,
    sums: dict[tuple[int, str], Decimal],
    top: Decimal,
    area: float,
) -> str:
    base = TOP + area
    width = max(band * 0.55, 2)
    parts = [
        f'<text x="{x + band / 2:.1f}" y="{base + 14}" text-anchor="middle">{year % 100:02d}</text>'
    ]
    y = base
    for channel in PURCHASE_CHANNELS:
        amount = sums[(year, channel)]
        if amount <= 0:
            continue
        height = area * float(amount / top)
        y -= height
        parts.append(
            f'<rect x="{x + band * 0.1:.1f}" y="{y:.1f}" width="{width:.1f}" height="{max(height, 1):.1f}" '
            f'fill="{COLORS[channel]}"><title>{escape(f"FY{year} {channel}: {_money(amount)}")}</title></rect>'
        )
    removal = sums[(year, "removal")]
    if removal > 0:
        height = area * float(removal / top)
        parts.append(
            f'<rect x="{x + band * 0.68:.1f}" y="{base - height:.1f}" width="{max(band * 0.22, 1):.1f}" '
            f'height="{max(height, 1):.1f}" fill="{COLORS["removal"]}">'
            f"<title>{escape(f'FY{year} removal: {_money(removal)}')}</title></rect>"
        )
    return "".join(parts)


def _rules(rules: Sequence[RuleDate], first: int, years: list[int], band: float) -> list[str]:
    by_date: dict[str, list[str]] = defaultdict(list)
    for rule in rules:
        if rule.effective_from:
            by_date[rule.effective_from[:10]].append(rule.short)
    parts = []
    for index, (date, names) in enumerate(sorted(by_date.items())):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            continue
        year = _fiscal_year(day)
        if year < years[0] or year > years[-1]:
            continue
        start = dt.date(year - 1, 10, 1)
        x = LEFT + ((year - first) + (day - start).days / 365) * band
        label = escape(f"{date} {', '.join(names)}")
        y = 14 + (index % 4) * 11
        right = x > WIDTH / 2  # labels on the right half read leftwards, inside the frame
        anchor = f'x="{x - 3:.1f}" text-anchor="end"' if right else f'x="{x + 3:.1f}"'
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 2}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="#444" '
            f'stroke-dasharray="3,3"/><text {anchor} y="{y}" font-size="9">{label}</text>'
        )
    return parts


def _legend() -> str:
    parts = []
    for index, (name, color) in enumerate(COLORS.items()):
        x = LEFT + index * 110
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}">{escape(name)}</text>'
        )
    return "".join(parts)
