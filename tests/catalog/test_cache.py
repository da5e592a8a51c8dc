"""The compiled-catalog cache: reused while the packs are unchanged, rebuilt when one changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from rootout.catalog.cache import cache_dir, load_compiled
from tests.conftest import FIXTURES

PACK = FIXTURES / "catalog" / "explain" / "explain.yaml"


def test_a_process_reuses_the_catalog_it_loaded(tmp_path: Path) -> None:
    shutil.copy(PACK, tmp_path / "org.yaml")
    first = load_compiled([tmp_path])
    again = load_compiled([tmp_path])
    assert again[0] is first[0]
    assert again[1] is first[1]
    assert list(cache_dir().glob("catalog-*.pickle")), "the compiled catalog is written to disk"


def test_editing_a_pack_gives_a_new_catalog(tmp_path: Path) -> None:
    pack = tmp_path / "org.yaml"
    shutil.copy(PACK, pack)
    before, _ = load_compiled([tmp_path])
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    after, _ = load_compiled([tmp_path])
    assert after is not before
    assert after.version != before.version


def test_the_disk_cache_survives_a_new_process(tmp_path: Path) -> None:
    from rootout.catalog import cache

    shutil.copy(PACK, tmp_path / "org.yaml")
    catalog, _ = load_compiled([tmp_path])
    cache._recent.clear()  # what a new process starts with
    reloaded, _ = load_compiled([tmp_path])
    assert reloaded is not catalog
    assert reloaded.version == catalog.version
    assert set(reloaded.signatures) == set(catalog.signatures)
