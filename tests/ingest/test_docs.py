"""Every registered input format is documented."""

from __future__ import annotations

from rootout.ingest.base import all_readers
from tests.conftest import REPO


def test_every_format_is_in_the_inputs_index_and_its_page() -> None:
    index = (REPO / "docs" / "inputs.md").read_text()
    pages = "\n".join(p.read_text() for p in (REPO / "docs" / "inputs").glob("*.md"))
    missing_index = [name for name in all_readers() if f"`{name}`" not in index]
    missing_pages = [name for name in all_readers() if f"`{name}`" not in pages]
    assert missing_index == []
    assert missing_pages == []
