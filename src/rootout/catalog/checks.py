"""Semantic lint checks. Each yields :class:`Problem` values and never raises."""

from __future__ import annotations

from collections.abc import Iterator

from rootout.catalog.catalog import Catalog
from rootout.catalog.lint import check
from rootout.errors import Problem


@check
def inverted_intervals(catalog: Catalog) -> Iterator[Problem]:
    """A validity interval whose end comes before its start."""
    tables = (catalog.relations, catalog.products, catalog.signatures, catalog.embeddings)
    for table in tables:
        for object_id, obj in table.items():
            start, end = getattr(obj, "valid_from", None), getattr(obj, "valid_to", None)
            if start is not None and end is not None and end.end() < start.start():
                yield Problem(
                    catalog.locations[object_id],
                    "inverted-interval",
                    f"valid_to {end} is before valid_from {start}",
                )
    for object_id, designation in catalog.designations.items():
        start, end = designation.effective_from, designation.effective_to
        if end is not None and end.end() < start.start():
            yield Problem(
                catalog.locations[object_id],
                "inverted-interval",
                f"effective_to {end} is before effective_from {start}",
            )
