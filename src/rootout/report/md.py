"""Markdown building blocks that keep hostile values inert.

Every value that came from an input (a product name, a path, a host name) goes
through :func:`esc`: HTML is entity-escaped (Markdown viewers render raw HTML)
and Markdown's own markup characters are backslash-escaped, so a program named
``<script>`` or ``*[click](http://x)*`` shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_MARKUP = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "#": "\\#",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\r": " ",
        "\n": " ",
    }
)

FILL = "**[FILL IN]**"
IF_KNOWN = "**[IF KNOWN]**"
CHECK = "[CHECK]"


def esc(value: object) -> str:
    return "" if value is None else str(value).translate(_MARKUP)


def code(value: object) -> str:
    """An inline code span that survives backticks in the value."""
    text = "" if value is None else str(value).replace("\n", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def bullets(items: Iterable[str]) -> list[str]:
    return [f"- {item}" for item in items]


def join(blocks: Iterable[Iterable[str]]) -> str:
    """Blocks of lines separated by one blank line, ending with a newline."""
    parts = ["\n".join(block) for block in blocks]
    return "\n\n".join(p for p in parts if p) + "\n"
