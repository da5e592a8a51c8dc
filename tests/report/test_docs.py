"""docs/reports.md documents every format, and its examples are what the tool renders."""

from __future__ import annotations

import pytest

from rootout.report.formats import FORMATS
from tests.conftest import REPO
from tests.report import docs_examples, estate
from tests.report.golden import UPDATE

DOC = REPO / "docs" / "reports.md"


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_is_documented_with_an_example(name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"| `{name}` |" in text
    if name != "pdf":  # the PDF is the html example printed
        assert f"<!-- example: {name}" in text or f"<!-- example-file: {name} " in text


def test_examples_are_current(store: estate.Store) -> None:
    text = DOC.read_text(encoding="utf-8")
    fresh = docs_examples.rewrite(text, store)
    files = docs_examples.files(text, store)
    if UPDATE:
        DOC.write_text(fresh, encoding="utf-8")
        for path, content in files.items():
            (REPO / path).parent.mkdir(parents=True, exist_ok=True)
            (REPO / path).write_text(content, encoding="utf-8")
        return
    assert fresh == text, "docs/reports.md examples are stale: run with ROOTOUT_UPDATE_GOLDEN=1"
    for path, content in files.items():
        assert (REPO / path).read_text(encoding="utf-8") == content, f"{path} is stale"
