"""Signed catalog bundles: tampering, unknown keys, downgrades and zip-slip change nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rootout.catalog import bundle
from rootout.catalog.bundle import BundleError
from rootout.cli.main import app
from tests.conftest import FIXTURES

OLD = FIXTURES / "catalog" / "diff" / "old"
NEW = FIXTURES / "catalog" / "diff" / "new"
OUI = FIXTURES / "oui" / "ieee-oui.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: equal snapshots mean nothing changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return bundle.generate_keys(tmp_path / "keys")


def make(tmp_path: Path, key: Path, packs: Path, name: str) -> Path:
    output = tmp_path / name
    bundle.make_bundle(output, key, packs=packs, oui=OUI, changelog=f"{name} changes")
    return output


@pytest.fixture
def installed(tmp_path: Path, keys: tuple[Path, Path]) -> Path:
    """A catalog home with the OLD fixture installed."""
    home = tmp_path / "home"
    bundle.install_bundle(make(tmp_path, keys[0], OLD, "old.zip"), [keys[1]], home=home)
    return home


def rewrite(source: Path, target: Path, member: str, change: bytes | None = None) -> Path:
    """Copy a bundle, flipping one byte of ``member`` (zip CRCs are recomputed, as a forger would)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data = change if change is not None else bytes([data[0] ^ 0x01]) + data[1:]
            dst.writestr(info.filename, data)
    return target


def test_keygen_writes_a_private_key_only_its_owner_can_read(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert private.stat().st_mode & 0o777 == 0o600
    assert bundle.load_public_key(public) is not None
    with pytest.raises(BundleError, match="already exists"):
        bundle.generate_keys(private.parent)


def test_install_writes_the_packs_oui_and_manifest(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    home = tmp_path / "home"
    source = make(tmp_path, keys[0], NEW, "new.zip")
    manifest = bundle.install_bundle(source, [keys[1]], home=home)
    current = home / "current"
    assert (current / "packs" / "hytera.yaml").read_bytes() == (NEW / "hytera.yaml").read_bytes()
    assert (current / "oui" / "ieee-oui.txt").read_bytes() == OUI.read_bytes()
    assert manifest.catalog_version == "2026.11.28"  # the fixture pack's version header
    assert set(manifest.files) == {"packs/hytera.yaml", "oui/ieee-oui.txt"}
    assert json.loads((current / "manifest.json").read_bytes())["changelog"] == "new.zip changes"


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("packs/hytera.yaml", "packs/hytera.yaml does not match its SHA-256"),
        ("oui/ieee-oui.txt", "oui/ieee-oui.txt does not match its SHA-256"),
        ("manifest.json", "signature does not match any trusted key"),
        ("manifest.sig", "signature does not match any trusted key"),
    ],
)
def test_one_changed_byte_is_rejected_and_nothing_changes(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path, member: str, reason: str
) -> None:
    good = make(tmp_path, keys[0], NEW, "new.zip")
    bad = rewrite(good, tmp_path / "bad.zip", member)
    before = snapshot(installed)
    with pytest.raises(BundleError, match=reason):
        bundle.install_bundle(bad, [keys[1]], home=installed)
    assert snapshot(installed) == before


def test_a_flipped_byte_in_the_raw_file_is_rejected(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path
) -> None:
    good = make(tmp_path, keys[0], NEW, "new.zip")
    raw = good.read_bytes()
    with zipfile.ZipFile(good) as archive:
        infos = archive.infolist()
    before = snapshot(installed)
    for info in infos:  # the middle of each member's compressed data, as stored on disk
        name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
        extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
        offset = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
        bad = tmp_path / f"flipped-{info.filename.replace('/', '_')}.zip"
        bad.write_bytes(raw[:offset] + bytes([raw[offset] ^ 0x01]) + raw[offset + 1 :])
        with pytest.raises(BundleError, match=r"damaged or tampered|SHA-256|signature"):
            bundle.install_bundle(bad, [keys[1]], home=installed)
    assert snapshot(installed) == before


def test_manifest_edit_that_keeps_valid_json_fails_the_signature(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path
) -> None:
    good = make(tmp_path, keys[0], NEW, "new.zip")
    with zipfile.ZipFile(good) as archive:
        body = archive.read("manifest.json").replace(b"new.zip changes", b"new.zip chang3s")
    bad = rewrite(good, tmp_path / "bad.zip", "manifest.json", body)
    before = snapshot(installed)
    with pytest.raises(BundleError, match="signature does not match any trusted key"):
        bundle.install_bundle(bad, [keys[1]], home=installed)
    assert snapshot(installed) == before


def test_a_bundle_signed_by_an_unknown_key_is_rejected(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path
) -> None:
    stranger, _ = bundle.generate_keys(tmp_path / "stranger")
    foreign = make(tmp_path, stranger, NEW, "foreign.zip")
    before = snapshot(installed)
    with pytest.raises(BundleError, match="signature does not match any trusted key"):
        bundle.install_bundle(foreign, [keys[1]], home=installed)
    assert snapshot(installed) == before


def test_no_trusted_key_is_an_error(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    with pytest.raises(BundleError, match="no trusted key"):
        bundle.verify_bundle(make(tmp_path, keys[0], NEW, "new.zip"), [])


def test_trusted_keys_folder_is_read(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "ops.pem").write_bytes(keys[1].read_bytes())
    monkeypatch.setenv("ROOTOUT_TRUSTED_KEYS", str(folder))
    found = bundle.trusted_keys([])
    assert found == [folder / "ops.pem"]
    assert bundle.verify_bundle(make(tmp_path, keys[0], NEW, "new.zip"), found)


def test_a_downgrade_is_refused_unless_forced(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    home = tmp_path / "home"
    bundle.install_bundle(make(tmp_path, keys[0], NEW, "new.zip"), [keys[1]], home=home)
    older = make(tmp_path, keys[0], OLD, "old.zip")
    before = snapshot(home)
    with pytest.raises(BundleError, match=r"older than the installed 2026\.11\.28"):
        bundle.install_bundle(older, [keys[1]], home=home)
    assert snapshot(home) == before
    manifest = bundle.install_bundle(older, [keys[1]], home=home, force=True)
    assert manifest.catalog_version == "2026.11.01"


def test_rollback_restores_the_previous_catalog(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path
) -> None:
    old_files = snapshot(installed / "current")
    bundle.install_bundle(make(tmp_path, keys[0], NEW, "new.zip"), [keys[1]], home=installed)
    new_files = snapshot(installed / "current")
    assert new_files != old_files
    assert bundle.rollback(installed).catalog_version == "2026.11.01"
    assert snapshot(installed / "current") == old_files
    bundle.rollback(installed)  # a second rollback undoes the first
    assert snapshot(installed / "current") == new_files


def test_rollback_without_a_previous_catalog_fails(installed: Path) -> None:
    with pytest.raises(BundleError, match="no previous catalog"):
        bundle.rollback(installed)


@pytest.mark.parametrize("name", ["../evil.yaml", "packs/../../evil.yaml", "/tmp/evil.yaml"])
def test_zip_slip_members_are_rejected(
    tmp_path: Path, keys: tuple[Path, Path], installed: Path, name: str
) -> None:
    bad = tmp_path / "slip" / "bad.zip"
    bad.parent.mkdir()
    source = make(tmp_path, keys[0], NEW, "new.zip")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, b"pack: evil\n")
    before = snapshot(installed)
    with pytest.raises(BundleError, match="unsafe member path"):
        bundle.install_bundle(bad, [keys[1]], home=installed)
    assert snapshot(installed) == before
    assert not list(tmp_path.rglob("evil.yaml"))


def test_member_count_and_size_are_capped(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make(tmp_path, keys[0], NEW, "new.zip")
    monkeypatch.setattr(bundle, "MAX_MEMBERS", 3)
    with pytest.raises(BundleError, match="more than 3"):
        bundle.read_bundle(source)
    monkeypatch.setattr(bundle, "MAX_MEMBERS", 100)
    monkeypatch.setattr(bundle, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(BundleError, match="larger than 1000 bytes"):
        bundle.read_bundle(source)


def test_an_unknown_schema_version_is_rejected(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    source = make(tmp_path, keys[0], NEW, "new.zip")
    with zipfile.ZipFile(source) as archive:
        raw = json.loads(archive.read("manifest.json"))
    raw["schema_version"] = 99
    body = json.dumps(raw).encode()
    signed = rewrite(source, tmp_path / "v99.zip", "manifest.json", body)
    signed = rewrite(
        signed, tmp_path / "v99s.zip", "manifest.sig", bundle.load_private_key(keys[0]).sign(body)
    )
    with pytest.raises(BundleError, match="schema version 99 is not supported"):
        bundle.verify_bundle(signed, [keys[1]])


def test_cli_install_and_rollback(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    home = tmp_path / "home"
    env = {"ROOTOUT_CATALOG_HOME": str(home), "ROOTOUT_TRUSTED_KEYS": str(tmp_path / "none")}
    runner = CliRunner()
    new = tmp_path / "cli.zip"
    args = ["catalog", "bundle", "-o", str(new), "--key", str(keys[0])]
    made = runner.invoke(app, [*args, "--packs", str(NEW), "--oui", str(OUI)], env=env)
    assert made.exit_code == 0, made.output
    foreign_key, _ = bundle.generate_keys(tmp_path / "stranger")
    foreign = make(tmp_path, foreign_key, NEW, "foreign.zip")
    refused = runner.invoke(
        app, ["catalog", "install", str(foreign), "--trust", str(keys[1])], env=env
    )
    assert refused.exit_code == 1
    assert "signature does not match any trusted key" in refused.output
    assert not home.exists()
    ok = runner.invoke(app, ["catalog", "install", str(new), "--trust", str(keys[1])], env=env)
    assert ok.exit_code == 0, ok.output
    assert (home / "current" / "packs" / "hytera.yaml").is_file()
    assert runner.invoke(app, ["catalog", "rollback"], env=env).exit_code == 1
