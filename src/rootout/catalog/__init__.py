"""The sourced, time-aware catalog of covered entities and their identifiers."""

from rootout.catalog.catalog import Catalog, assemble, load_catalog

__all__ = ["Catalog", "assemble", "load_catalog"]
