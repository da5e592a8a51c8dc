"""An on-disk cache of the assembled catalog and its compiled index.

Parsing every pack and building the index takes a noticeable fraction of a
second; a scan of one small file should not pay it each time. The cache key is
the SHA-256 of every pack file's bytes (plus the package version, and the
manifest of the installed catalog bundle when there is one), so editing, adding
or removing any pack, or installing or rolling back a bundle, invalidates it. A corrupt or unreadable cache is
ignored and rebuilt; it never changes results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from rootout import __version__
from rootout.catalog.catalog import Catalog, base_packs, load_catalog
from rootout.catalog.loader import pack_paths
from rootout.match.index import CompiledIndex


def cache_dir() -> Path:
    return Path(os.environ.get("ROOTOUT_CACHE_DIR") or platformdirs.user_cache_dir("rootout"))


CACHE_FORMAT = "2"
"""Bumped when the pickled objects change shape (2: ``Catalog.base``)."""


def cache_key(extra: Iterable[Path]) -> str:
    base = base_packs()
    digest = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}\0{base.manifest_sha256}".encode())
    for path in [*base.paths, *pack_paths(list(extra))]:
        digest.update(str(path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def load_compiled(extra: Iterable[Path] = ()) -> tuple[Catalog, CompiledIndex]:
    """The catalog and its index, from the cache when the packs are unchanged."""
    extra = list(extra)
    key = cache_key(extra)
    if key in _recent:
        return _recent[key]
    loaded = _load(key, extra)
    _recent.clear()  # keep one catalog in memory: a long-running server scans with the same one
    _recent[key] = loaded
    return loaded


_recent: dict[str, tuple[Catalog, CompiledIndex]] = {}
"""The last catalog loaded in this process, by cache key (the key changes with any pack)."""


def _load(key: str, extra: list[Path]) -> tuple[Catalog, CompiledIndex]:
    path = cache_dir() / f"catalog-{key}.pickle"
    try:
        with path.open("rb") as handle:
            catalog, index = pickle.load(handle)
        if isinstance(catalog, Catalog) and isinstance(index, CompiledIndex):
            return catalog, index
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
    ):
        pass
    catalog = load_catalog(extra)
    index = CompiledIndex(catalog)
    _write(path, (catalog, index))
    return catalog, index


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        return  # a read-only cache folder only costs speed
