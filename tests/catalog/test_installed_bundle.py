"""An installed catalog bundle replaces the built-in packs; organisation packs still apply."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rootout.catalog import bundle, load_catalog
from rootout.catalog.cache import cache_key, load_compiled
from rootout.catalog.catalog import base_packs
from rootout.cli.main import app
from rootout.errors import CatalogError

PACKS = Path(bundle.DEFAULT_PACKS)
CREATED = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
HISUITE = "sig.huawei.hisuite.name"
SMARTPSS = "sig.dahua.smartpss-lite.name"

ORG = """\
pack: org
version: "1"
description: our own additions on top of whatever catalog is installed
sources:
  - {id: src.memo, url: "https://intranet.example/memo", title: Memo, publisher: CISO,
     date: "2025-01-02", reliability: official}
extend:
  - entity: hytera.sepura
    aliases: [Sepura Trading Name]
"""


def packs_without(folder: Path, signature_id: str) -> Path:
    """A copy of the built-in packs in ``folder`` without one signature (its YAML item)."""
    shutil.copytree(PACKS, folder)
    for pack in sorted(folder.glob("*.yaml")):
        lines = pack.read_text(encoding="utf-8").splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if line.strip() == f"- id: {signature_id}"]
        if starts:
            end = starts[0] + 1
            while end < len(lines) and lines[end].startswith("    "):
                end += 1
            del lines[starts[0] : end]
            pack.write_text("".join(lines), encoding="utf-8")
            return folder
    raise AssertionError(f"{signature_id} is not in the built-in packs")


def install(packs: Path, keys: tuple[Path, Path], version: str) -> bundle.Manifest:
    """Bundle ``packs`` and install it into this test's catalog home (ROOTOUT_CATALOG_HOME)."""
    output = packs.parent / f"catalog-{version}.zip"
    # A fixed creation time: equal packs give an equal manifest, so the compiled-catalog
    # cache (keyed by the manifest) is shared between tests.
    bundle.make_bundle(output, keys[0], packs=packs, catalog_version=version, now=CREATED)
    return bundle.install_bundle(output, [keys[1]])


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return bundle.generate_keys(tmp_path / "keys")


@pytest.fixture
def without_hisuite(tmp_path: Path) -> Path:
    return packs_without(tmp_path / "without-hisuite", HISUITE)


@pytest.fixture
def without_smartpss(tmp_path: Path) -> Path:
    return packs_without(tmp_path / "without-smartpss", SMARTPSS)


def test_without_a_bundle_the_builtin_packs_are_the_base() -> None:
    catalog = load_catalog()
    assert catalog.base == "built-in packs"
    assert HISUITE in catalog.signatures
    assert SMARTPSS in catalog.signatures


def test_an_installed_bundle_replaces_the_builtin_packs(
    keys: tuple[Path, Path], without_hisuite: Path, without_smartpss: Path
) -> None:
    builtin = load_catalog()
    install(without_hisuite, keys, "2026.1")
    catalog = load_catalog()
    assert catalog.base.startswith("bundle 2026.1 (created ")
    assert HISUITE not in catalog.signatures
    assert SMARTPSS in catalog.signatures
    assert catalog.version != builtin.version
    assert all(p.path.is_relative_to(bundle.catalog_home()) for p in catalog.packs)
    install(without_smartpss, keys, "2026.2")
    newer = load_catalog()
    assert HISUITE in newer.signatures
    assert SMARTPSS not in newer.signatures
    assert newer.base.startswith("bundle 2026.2 ")
    assert newer.version not in (catalog.version, builtin.version)


def test_organisation_packs_still_apply_on_top_of_the_bundle(
    tmp_path: Path, keys: tuple[Path, Path], without_hisuite: Path
) -> None:
    install(without_hisuite, keys, "2026.1")
    org = tmp_path / "org.yaml"
    org.write_text(ORG)
    catalog = load_catalog([org])
    assert "Sepura Trading Name" in catalog.entities["hytera.sepura"].aliases
    assert HISUITE not in catalog.signatures
    assert [p.path for p in catalog.packs if not p.builtin] == [org]


def test_the_compiled_cache_follows_install_and_rollback(
    keys: tuple[Path, Path], without_hisuite: Path, without_smartpss: Path
) -> None:
    builtin_key = cache_key([])
    install(without_hisuite, keys, "2026.1")
    old_key = cache_key([])
    old, _ = load_compiled()
    install(without_smartpss, keys, "2026.2")
    new, _ = load_compiled()
    assert len({builtin_key, old_key, cache_key([])}) == 3
    assert HISUITE not in old.signatures
    assert HISUITE in new.signatures
    bundle.rollback()
    assert cache_key([]) == old_key
    rolled, _ = load_compiled()
    assert HISUITE not in rolled.signatures
    assert (rolled.base, rolled.version) == (old.base, old.version)


def test_a_pack_changed_after_install_is_refused(
    keys: tuple[Path, Path], without_hisuite: Path
) -> None:
    install(without_hisuite, keys, "2026.1")
    pack = base_packs().folder / "hytera.yaml"
    pack.write_text(pack.read_text().replace("Sepura Limited", "Sepura Ltd"))
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    assert [p.code for p in caught.value.problems] == ["bundle-modified"]
    assert "changed since the bundle was installed" in str(caught.value)
    with pytest.raises(CatalogError):
        load_compiled()  # the cache key covers the pack's bytes: no stale cached catalog


def test_catalog_stats_and_list_name_the_catalog_in_use(
    keys: tuple[Path, Path], without_hisuite: Path
) -> None:
    runner = CliRunner()
    before = runner.invoke(app, ["catalog", "list", "--stats"])
    assert before.exit_code == 0
    assert "base: built-in packs" in before.output
    install(without_hisuite, keys, "2026.1")
    after = runner.invoke(app, ["catalog", "list", "--stats"])
    assert after.exit_code == 0, after.output
    assert "base: bundle 2026.1" in after.output
    listed = runner.invoke(app, ["catalog", "list"], env={"COLUMNS": "200"})
    assert "base: bundle 2026.1" in listed.output
    assert "hytera.sepura" in listed.output
