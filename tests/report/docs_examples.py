"""The examples in docs/reports.md are rendered by the tool from the test store.

A block ``<!-- example: FORMAT [variant=V] [asset=TEXT] [lines=N] -->`` ... ``<!-- /example -->``
holds the report FORMAT (in variant V) over the test store, narrowed to assets
matching TEXT, cut to its first N lines. ``<!-- example-file: FORMAT PATH -->``
names a file (relative to the repository) that holds the whole report.
Values that depend on the catalog's content are masked as in the golden files.
"""

from __future__ import annotations

import re
from pathlib import Path

from rootout.report.data import Scope
from rootout.report.formats import FORMATS, render
from tests.report import estate

BLOCK = re.compile(r"(<!-- example: (?P<spec>[^>]*?) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)
FILE = re.compile(r"<!-- example-file: (?P<format>\S+) (?P<path>\S+) -->")
FENCE_LANGUAGE = {"md": "markdown", "csv": "csv", "json": "json", "sarif": "json", "html": "html"}


def _render(store: estate.Store, spec: str) -> tuple[str, str]:
    name, *options = spec.split()
    settings = dict(option.split("=", 1) for option in options)
    variant = settings.get("variant")
    data = store.data(Scope(asset=settings.get("asset")))
    path = Path(f"example.{variant}") if variant else None
    content = render(name, data, path)
    assert isinstance(content, str)
    text = estate.mask(content, store, data)
    if "lines" in settings:
        lines = text.splitlines()
        limit = int(settings["lines"])
        text = "\n".join(lines[:limit]) + ("\n… (cut here)\n" if len(lines) > limit else "\n")
    return text, FENCE_LANGUAGE.get(FORMATS[name].variant_for(path), "")


def rewrite(doc: str, store: estate.Store) -> str:
    """``doc`` with every example block rendered afresh."""

    def block(match: re.Match[str]) -> str:
        text, language = _render(store, match.group("spec"))
        return f"{match.group(1)}````{language}\n{text}````\n{match.group(4)}"

    return BLOCK.sub(block, doc)


def files(doc: str, store: estate.Store) -> dict[str, str]:
    """Path -> content of every example file the doc names."""
    return {m.group("path"): _render(store, m.group("format"))[0] for m in FILE.finditer(doc)}
