"""Pure helpers for list pages: free-text search over finding rows, pages, bookmarkable links."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query
from pydantic import BeforeValidator

from rootout.catalog.catalog import Catalog
from rootout.report import facts

Item = TypeVar("Item")
BLANK_IS_NONE = BeforeValidator(lambda value: value or None)
"""A filter form sends ``basis=`` for "any": an empty choice means no filter."""
PAGE_SIZE = 50
Text = Annotated[str | None, Query(max_length=300)]
"""A free-text query parameter of a list page."""
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]
"""The 1-based ``?page=`` of a list page."""


@dataclass(frozen=True)
class Paged(Generic[Item]):
    items: Sequence[Item]
    page: int
    pages: int
    total: int


def paginate(items: Sequence[Item], page: int, size: int = PAGE_SIZE) -> Paged[Item]:
    """Page ``page`` (1-based) of ``items``; a page past the end shows the last one."""
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return Paged(items[start : start + size], page, pages, len(items))


def finding_text(row: Mapping[str, Any], catalog: Catalog) -> str:
    """Everything free-text search looks at in a finding, lower-cased."""
    observation = row["observation"]
    parts = [
        row["id"],
        row["matched_value"],
        row["asset_key"],
        str(observation["asset"]["name"]),
        facts.entity_name(catalog, row["entity"]),
        facts.entity_name(catalog, row["matched_entity"]),
        facts.product_name(catalog, row["product"]),
        *(str(v) for v in observation["fields"].values()),
    ]
    return "\n".join(parts).lower()


def search(rows: Sequence[dict[str, Any]], text: str, catalog: Catalog) -> list[dict[str, Any]]:
    """Rows whose text contains every word of ``text`` (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return list(rows)
    return [r for r in rows if all(w in finding_text(r, catalog) for w in words)]


def query_builder(filters: Mapping[str, str | None]) -> Callable[[int], str]:
    """A function from page number to the query string that keeps the filters (bookmarkable)."""
    kept = {k: v for k, v in filters.items() if v}

    def build(page: int) -> str:
        return urlencode({**kept, "page": page})

    return build
