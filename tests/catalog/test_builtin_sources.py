"""Every fact in the built-in packs cites a source that resolves to a public URL."""

from __future__ import annotations

import pytest

from rootout.catalog import Catalog, load_catalog
from rootout.catalog.catalog import cited_sources
from rootout.catalog.model import Reliability


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_built_in_object_cites_resolvable_sources(catalog: Catalog) -> None:
    tables = (
        "legal_bases",
        "entities",
        "relations",
        "designations",
        "products",
        "signatures",
        "embeddings",
        "hard_negatives",
    )
    problems = []
    checked = 0
    for table in tables:
        for object_id, obj in getattr(catalog, table).items():
            ids = list(cited_sources(obj))
            checked += 1
            if not ids:
                problems.append(f"{object_id}: cites no source")
            problems.extend(
                f"{object_id}: unknown source {s}" for s in ids if s not in catalog.sources
            )
    assert checked > 300
    assert problems == []


def test_every_source_has_a_public_url_title_publisher_date_and_grade(catalog: Catalog) -> None:
    for source in catalog.sources.values():
        assert source.url.startswith(("https://", "http://")), source.id
        assert source.title.strip(), source.id
        assert source.publisher.strip(), source.id
        assert source.date.year >= 1990, source.id
        assert isinstance(source.reliability, Reliability), source.id


def test_uncertain_relations_are_not_high_confidence(catalog: Catalog) -> None:
    for relation in catalog.relations.values():
        grades = {catalog.sources[s].reliability for s in relation.sources}
        if grades == {Reliability.UNCONFIRMED}:
            assert relation.confidence.value == "low", relation.id
