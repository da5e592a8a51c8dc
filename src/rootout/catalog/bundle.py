"""Signed catalog bundles: make, verify, install, roll back.

A bundle is one zip file holding ``manifest.json``, its detached Ed25519 signature
``manifest.sig``, the packs under ``packs/`` and the OUI registry under ``oui/``. The
manifest lists every other member's SHA-256, so checking the signature over the manifest
and then every hash proves every byte. Nothing on disk changes until all checks pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rootout.catalog.loader import BUILTIN_PACKS, pack_paths
from rootout.errors import RootoutError

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DEFAULT_PACKS = BUILTIN_PACKS
DEFAULT_OUI = Path(__file__).parents[3] / "data" / "oui" / "ieee-oui.txt"
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024


class BundleError(RootoutError):
    """A bundle cannot be made, trusted or installed; nothing was changed."""

    exit_code = 1
    hint = "nothing on disk was changed"


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    catalog_version: str
    created: str
    changelog: str
    files: dict[str, str]

    def to_bytes(self) -> bytes:
        body = {
            "schema_version": self.schema_version,
            "catalog_version": self.catalog_version,
            "created": self.created,
            "changelog": self.changelog,
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")

    def order_key(self) -> tuple[tuple[int, ...], str]:
        """Newer bundles sort higher: by catalog version, then created date."""
        parts = tuple(int(p) if p.isdigit() else 0 for p in self.catalog_version.split("."))
        return parts, self.created


@dataclass(frozen=True)
class Bundle:
    """A verified bundle held in memory: its manifest and every member's bytes."""

    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]


# -- keys ----------------------------------------------------------------------------------


def generate_keys(folder: Path) -> tuple[Path, Path]:
    """Write ``catalog-signing.pem`` (mode 0600) and ``catalog-signing.pub.pem`` to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "catalog-signing.pem", folder / "catalog-signing.pub.pem"
    if private.exists() or public.exists():
        raise BundleError(f"{folder}: a key pair already exists there; refusing to overwrite")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise BundleError(f"{path}: cannot read the private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise BundleError(f"{path}: cannot read the public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError(f"{path}: not an Ed25519 public key")
    return key


def trusted_keys_dir() -> Path:
    """``ROOTOUT_TRUSTED_KEYS`` or ``<user config dir>/rootout/trusted-keys``."""
    configured = os.environ.get("ROOTOUT_TRUSTED_KEYS")
    return Path(configured or Path(platformdirs.user_config_dir("rootout")) / "trusted-keys")


def trusted_keys(extra: list[Path]) -> list[Path]:
    """Key files given with ``--trust`` plus every ``*.pem`` in the trusted-keys folder."""
    folder = trusted_keys_dir()
    found = sorted(folder.glob("*.pem")) if folder.is_dir() else []
    return [*extra, *found]


# -- making a bundle -----------------------------------------------------------------------


def make_bundle(
    output: Path,
    private_key: Path,
    *,
    packs: Path = DEFAULT_PACKS,
    oui: Path = DEFAULT_OUI,
    changelog: str = "",
    catalog_version: str | None = None,
    now: datetime | None = None,
) -> Manifest:
    """Write a signed bundle of ``packs`` and ``oui`` to ``output``; return its manifest."""
    key = load_private_key(private_key)
    members = _collect(packs, oui)
    manifest = Manifest(
        schema_version=SCHEMA_VERSION,
        catalog_version=catalog_version or _default_version(members),
        created=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        changelog=changelog,
        files={name: _sha256(data) for name, data in members.items()},
    )
    body = manifest.to_bytes()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, body)
        archive.writestr(SIGNATURE, key.sign(body))
        for name, data in sorted(members.items()):
            archive.writestr(name, data)
    return manifest


def _collect(packs: Path, oui: Path) -> dict[str, bytes]:
    paths = pack_paths([packs])
    if not paths:
        raise BundleError(f"{packs}: no *.yaml packs to bundle")
    if not oui.is_file():
        raise BundleError(f"{oui}: OUI registry file not found (give it with --oui)")
    members = {f"packs/{p.relative_to(packs).as_posix()}": p.read_bytes() for p in paths}
    members[f"oui/{oui.name}"] = oui.read_bytes()
    return members


def _default_version(members: dict[str, bytes]) -> str:
    """The highest ``version:`` header among the packs, else today's date."""
    versions: list[str] = []
    for name, data in members.items():
        if name.startswith("packs/"):
            for line in data.decode("utf-8", "replace").splitlines()[:10]:
                if line.startswith("version:"):
                    versions.append(line.split(":", 1)[1].strip().strip("\"'"))
    return max(versions, default=datetime.now(UTC).strftime("%Y.%m.%d"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- reading and verifying -----------------------------------------------------------------


def read_bundle(path: Path) -> Bundle:
    """Read a bundle with bounded extraction and check every hash (not the signature)."""
    body, signature, members = _read_raw(path)
    return _checked(path, body, signature, members)


def verify_bundle(path: Path, keys: list[Path]) -> Bundle:
    """Check the signature over the manifest against ``keys``, then every file's hash."""
    if not keys:
        raise BundleError(
            f"no trusted key: give --trust KEY.pem or put keys in {trusted_keys_dir()}"
        )
    body, signature, members = _read_raw(path)
    if not any(_signed_by(key, signature, body) for key in keys):
        names = ", ".join(str(k) for k in keys)
        raise BundleError(f"{path}: signature does not match any trusted key ({names})")
    return _checked(path, body, signature, members)


def _signed_by(key: Path, signature: bytes, body: bytes) -> bool:
    try:
        load_public_key(key).verify(signature, body)
    except InvalidSignature:
        return False
    return True


def _read_raw(path: Path) -> tuple[bytes, bytes, dict[str, bytes]]:
    members = _read_members(path)
    body, signature = members.pop(MANIFEST, None), members.pop(SIGNATURE, None)
    if body is None or signature is None:
        raise BundleError(f"{path}: not a catalog bundle (no {MANIFEST} or {SIGNATURE})")
    return body, signature, members


def _checked(path: Path, body: bytes, signature: bytes, members: dict[str, bytes]) -> Bundle:
    manifest = _parse_manifest(path, body)
    _check_hashes(path, manifest, members)
    return Bundle(manifest, manifest_bytes=body, signature=signature, members=members)


def _read_members(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise BundleError(f"{path}: {len(infos)} members, more than {MAX_MEMBERS}")
            members: dict[str, bytes] = {}
            total = 0
            for info in infos:
                name = _safe_name(path, info.filename)
                data = _read_capped(path, archive, info)
                total += len(data)
                if total > MAX_TOTAL_BYTES:
                    raise BundleError(f"{path}: contents exceed {MAX_TOTAL_BYTES} bytes")
                if name in members:
                    raise BundleError(f"{path}: member {name!r} appears twice")
                members[name] = data
            return members
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
        raise BundleError(f"{path}: damaged or tampered bundle: {exc}") from exc


def _safe_name(path: Path, name: str) -> str:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in name or not pure.parts:
        raise BundleError(f"{path}: unsafe member path {name!r} (absolute or '..')")
    return pure.as_posix()


def _read_capped(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise BundleError(f"{path}: member {info.filename!r} larger than {MAX_MEMBER_BYTES} bytes")
    with archive.open(info) as handle:
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise BundleError(f"{path}: member {info.filename!r} larger than {MAX_MEMBER_BYTES} bytes")
    return data


def _parse_manifest(path: Path, body: bytes) -> Manifest:
    try:
        raw: Any = json.loads(body)
        manifest = Manifest(
            schema_version=int(raw["schema_version"]),
            catalog_version=str(raw["catalog_version"]),
            created=str(raw["created"]),
            changelog=str(raw.get("changelog", "")),
            files={str(k): str(v) for k, v in dict(raw["files"]).items()},
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"{path}: damaged or tampered manifest: {exc}") from exc
    if manifest.schema_version != SCHEMA_VERSION:
        raise BundleError(
            f"{path}: bundle schema version {manifest.schema_version} is not supported "
            f"(this rootout reads {SCHEMA_VERSION})"
        )
    for name in manifest.files:
        _safe_name(path, name)
    return manifest


def _check_hashes(path: Path, manifest: Manifest, members: dict[str, bytes]) -> None:
    extra = sorted(set(members) - set(manifest.files))
    missing = sorted(set(manifest.files) - set(members))
    if extra or missing:
        raise BundleError(
            f"{path}: members differ from the manifest: extra {extra}, missing {missing}"
        )
    for name, expected in sorted(manifest.files.items()):
        if _sha256(members[name]) != expected:
            raise BundleError(f"{path}: {name} does not match its SHA-256 in the manifest")


# -- installing ----------------------------------------------------------------------------


def catalog_home() -> Path:
    """``ROOTOUT_CATALOG_HOME`` or ``<user data dir>/rootout/catalog``."""
    configured = os.environ.get("ROOTOUT_CATALOG_HOME")
    return Path(configured or Path(platformdirs.user_data_dir("rootout")) / "catalog")


def installed_manifest(slot: str = "current", home: Path | None = None) -> Manifest | None:
    folder = (home or catalog_home()) / slot
    body_path = folder / MANIFEST
    return _parse_manifest(body_path, body_path.read_bytes()) if body_path.is_file() else None


def install_bundle(
    path: Path, keys: list[Path], *, force: bool = False, home: Path | None = None
) -> Manifest:
    """Verify ``path``, then make it the current catalog; the old one becomes ``previous``."""
    home = home or catalog_home()
    bundle = verify_bundle(path, keys)
    current = installed_manifest("current", home)
    if current is not None and not force and bundle.manifest.order_key() < current.order_key():
        raise BundleError(
            f"{path}: version {bundle.manifest.catalog_version} ({bundle.manifest.created}) is "
            f"older than the installed {current.catalog_version} ({current.created}); "
            "use --force to downgrade"
        )
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=home))
    try:
        _write_tree(staging, bundle)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _promote(home, staging)
    return bundle.manifest


def _write_tree(folder: Path, bundle: Bundle) -> None:
    (folder / MANIFEST).write_bytes(bundle.manifest_bytes)
    (folder / SIGNATURE).write_bytes(bundle.signature)
    for name, data in bundle.members.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _promote(home: Path, staging: Path) -> None:
    current, previous = home / "current", home / "previous"
    if current.exists():
        if previous.exists():
            shutil.rmtree(previous)
        current.rename(previous)
    staging.rename(current)


def rollback(home: Path | None = None) -> Manifest:
    """Swap ``current`` and ``previous``; a second rollback undoes the first."""
    home = home or catalog_home()
    current, previous = home / "current", home / "previous"
    if not previous.is_dir():
        raise BundleError(f"{home}: no previous catalog to roll back to")
    swap = home / ".rollback"
    if swap.exists():
        shutil.rmtree(swap)
    if current.exists():
        current.rename(swap)
    previous.rename(current)
    if swap.exists():
        swap.rename(previous)
    manifest = installed_manifest("current", home)
    assert manifest is not None
    return manifest


def extract_packs(bundle: Bundle, folder: Path) -> Path:
    """Write a bundle's packs under ``folder`` (for diffing); return the packs folder."""
    _write_tree(folder, bundle)
    return folder / "packs"


def manifest_summary(manifest: Manifest) -> str:
    return (
        f"catalog {manifest.catalog_version} (created {manifest.created}, "
        f"{len(manifest.files)} files)"
    )
