"""The macOS collector: applications, installer receipts, launchd jobs, extensions, keychain.

Property lists are read with :mod:`plistlib` (XML and binary; XML entity
declarations are refused by plistlib itself).
"""

from __future__ import annotations

import datetime as dt
import plistlib
import re
import struct
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from rootout.ingest.collect import browsers, tools
from rootout.ingest.collect.base import (
    MAX_SMALL_FILE_BYTES,
    Host,
    Problem,
    Skipped,
    Source,
    Tally,
    children,
    describe,
    read_bytes,
)
from rootout.ingest.collect.certs import certificate_observations, pem_blocks
from rootout.ingest.collect.common import (
    fallback_name,
    homes,
    hostname_from_tree,
    live_hostname,
    vendor_folders,
)
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind

FORMAT = "collect-macos"
APP_FOLDERS = ("/Applications",)
RECEIPTS = "/var/db/receipts"
LAUNCHD_FOLDERS = ("/Library/LaunchDaemons", "/Library/LaunchAgents")
USER_LAUNCH_AGENTS = "Library/LaunchAgents"
SYSTEM_EXTENSIONS_DB = "/Library/SystemExtensions/db.plist"
KEXT_FOLDER = "/Library/Extensions"
SYSTEM_KEYCHAIN = "/Library/Keychains/System.keychain"
PREFERENCES = "/Library/Preferences/SystemConfiguration/preferences.plist"
VENDOR_FOLDERS = ("/Library/Application Support",)
BROWSERS = browsers.BrowserLayout(
    chromium=(
        ("chrome", "Library/Application Support/Google/Chrome"),
        ("chromium", "Library/Application Support/Chromium"),
        ("edge", "Library/Application Support/Microsoft Edge"),
        ("brave", "Library/Application Support/BraveSoftware/Brave-Browser"),
    ),
    firefox=("Library/Application Support/Firefox/Profiles",),
)
_PLIST_ERRORS = (
    ValueError,
    ExpatError,
    struct.error,
    AttributeError,
    TypeError,
    IndexError,
    KeyError,
    OverflowError,
    RecursionError,
)
"""What plistlib raises on broken XML or binary property lists."""
_PLATFORM_UUID = re.compile(r'"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{36})"')


def plan(root: Path) -> tuple[Host, list[Source]]:
    host = Host(root, "Darwin", asset(root), FORMAT)
    return host, [
        Source("applications", "/Applications/*.app, ~/Applications/*.app", applications),
        Source("installer-receipts", f"{RECEIPTS}/*.plist", receipts),
        Source("launchd", ", ".join((*LAUNCHD_FOLDERS, f"~/{USER_LAUNCH_AGENTS}")), launchd),
        Source("system-extensions", SYSTEM_EXTENSIONS_DB, system_extensions),
        Source("kernel-extensions", f"{KEXT_FOLDER}/*.kext", kernel_extensions),
        Source("keychain", f"security find-certificate -a -p {SYSTEM_KEYCHAIN}", keychain),
        Source("browser-extensions", BROWSERS.location, _browser_extensions),
        Source("vendor-folders", ", ".join(VENDOR_FOLDERS), _vendor_folders),
    ]


def user_homes(host: Host) -> list[Path]:
    return homes(host, ("/Users",), skip=frozenset({"shared", "guest"}))


def _browser_extensions(host: Host, tally: Tally) -> Iterator[Observation]:
    return browsers.extensions(host, tally, user_homes(host), BROWSERS)


def _vendor_folders(host: Host, tally: Tally) -> Iterator[Observation]:
    return vendor_folders(host, tally, VENDOR_FOLDERS, depth=1)


def load_plist(path: Path) -> dict[str, Any]:
    """A property list file (XML or binary) whose top level is a dictionary."""
    data = read_bytes(path, MAX_SMALL_FILE_BYTES)
    try:
        value = plistlib.loads(data)
    except _PLIST_ERRORS as exc:
        raise Problem(f"not a valid property list ({describe(exc)})") from None
    if not isinstance(value, dict):
        raise Problem("property list is not a dictionary")
    return value


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


# --------------------------------------------------------------------------- applications


def applications(host: Host, tally: Tally) -> Iterator[Observation]:
    bundles = []
    for folder in [host.path(f) for f in APP_FOLDERS] + [
        h / "Applications" for h in user_homes(host)
    ]:
        for entry in children(folder):
            if entry.suffix == ".app":
                bundles.append(entry)
            elif (
                entry.is_dir() and not entry.is_symlink()
            ):  # vendor folders: /Applications/Vendor/X.app
                bundles += [inner for inner in children(entry) if inner.suffix == ".app"]
    if not bundles:
        raise Skipped("no application bundles in /Applications or ~/Applications")
    for bundle in bundles:
        info = bundle / "Contents" / "Info.plist"
        where = host.shown(info)
        with tally.guard(where):
            values = load_plist(info)
            fields = app_fields(values, bundle.stem, host.shown(bundle))
            yield host.observe(ObservationKind.PROGRAM, fields, where, extra=_app_extra(values))


def app_fields(info: Mapping[str, Any], folder_name: str, shown: str) -> dict[str, str]:
    name = _text(info.get("CFBundleDisplayName")) or _text(info.get("CFBundleName")) or folder_name
    version = _text(info.get("CFBundleShortVersionString")) or _text(info.get("CFBundleVersion"))
    return {
        "name": name,
        "bundle_id": _text(info.get("CFBundleIdentifier")),
        "version": version,
        "path": shown,
    }


def _app_extra(info: Mapping[str, Any]) -> dict[str, str]:
    return {
        "bundle_version": _text(info.get("CFBundleVersion")),
        "executable": _text(info.get("CFBundleExecutable")),
        "copyright": _text(info.get("NSHumanReadableCopyright")),
    }


# --------------------------------------------------------------------------- receipts


def receipts(host: Host, tally: Tally) -> Iterator[Observation]:
    folder = host.path(RECEIPTS)
    if not folder.is_dir():
        raise Skipped(f"not present: {RECEIPTS}")
    for path in children(folder):
        if path.suffix != ".plist":
            continue  # the .bom file beside each receipt
        where = host.shown(path)
        with tally.guard(where):
            receipt = load_plist(path)
            identifier = _text(receipt.get("PackageIdentifier"))
            if not identifier:
                raise Problem("receipt without a PackageIdentifier")
            fields = {
                "package": identifier,
                "name": identifier,
                "version": _text(receipt.get("PackageVersion")),
                "ecosystem": "pkg",
            }
            installed = receipt.get("InstallDate")
            extra = {
                "install_prefix": _text(receipt.get("InstallPrefixPath")),
                "installer": _text(receipt.get("InstallProcessName")),
                "install_date": installed.isoformat() if isinstance(installed, dt.datetime) else "",
            }
            yield host.observe(ObservationKind.PACKAGE, fields, where, extra=extra)


# --------------------------------------------------------------------------- launchd


def launchd(host: Host, tally: Tally) -> Iterator[Observation]:
    folders = [host.path(f) for f in LAUNCHD_FOLDERS] + [
        h / USER_LAUNCH_AGENTS for h in user_homes(host)
    ]
    plists = [p for folder in folders for p in children(folder) if p.suffix == ".plist"]
    if not plists:
        raise Skipped("no launchd job property lists")
    for path in plists:
        where = host.shown(path)
        with tally.guard(where):
            job = load_plist(path)
            label = _text(job.get("Label"))
            if not label:
                raise Problem("launchd job without a Label")
            arguments = job.get("ProgramArguments")
            first = arguments[0] if isinstance(arguments, list) and arguments else ""
            program = _text(job.get("Program")) or _text(first)
            extra = {"run_at_load": str(job.get("RunAtLoad", "")), "plist": where}
            yield host.observe(
                ObservationKind.SERVICE,
                {"service": label, "name": label, "path": program},
                where,
                extra=extra,
            )


# --------------------------------------------------------------------------- extensions


def system_extensions(host: Host, tally: Tally) -> Iterator[Observation]:
    """``db.plist``: ``extensions`` array of identifier, teamID, state, bundleVersion, originPath."""
    path = host.path(SYSTEM_EXTENSIONS_DB)
    if not path.exists():
        raise Skipped(f"not present: {SYSTEM_EXTENSIONS_DB}")
    entries = load_plist(path).get("extensions", [])
    if not isinstance(entries, list):
        raise Problem("'extensions' is not an array")
    for index, entry in enumerate(entries):
        identifier = _text(entry.get("identifier")) if isinstance(entry, dict) else ""
        if not identifier:
            tally.problem(
                f"{SYSTEM_EXTENSIONS_DB} /extensions/{index}", "extension without an identifier"
            )
            continue
        version = entry.get("bundleVersion")
        short = (
            _text(version.get("CFBundleShortVersionString")) if isinstance(version, dict) else ""
        )
        categories = entry.get("categories")
        fields = {
            "bundle_id": identifier,
            "name": identifier,
            "version": short,
            "path": _text(entry.get("originPath")),
        }
        extra = {
            "team": _text(entry.get("teamID")),
            "state": _text(entry.get("state")),
            "categories": ", ".join(c for c in categories if isinstance(c, str))
            if isinstance(categories, list)
            else "",
        }
        yield host.observe(
            ObservationKind.KERNEL_MODULE,
            fields,
            SYSTEM_EXTENSIONS_DB,
            pointer=f"/extensions/{index}",
            extra=extra,
        )


def kernel_extensions(host: Host, tally: Tally) -> Iterator[Observation]:
    kexts = [p for p in children(host.path(KEXT_FOLDER)) if p.suffix == ".kext"]
    if not kexts:
        raise Skipped(f"no kernel extensions in {KEXT_FOLDER}")
    for kext in kexts:
        info = kext / "Contents" / "Info.plist"
        where = host.shown(info)
        with tally.guard(where):
            values = load_plist(info)
            identifier = _text(values.get("CFBundleIdentifier"))
            fields = app_fields(values, kext.stem, host.shown(kext))
            yield host.observe(
                ObservationKind.KERNEL_MODULE, {**fields, "driver": identifier or kext.name}, where
            )


def keychain(host: Host, tally: Tally) -> Iterator[Observation]:
    if not host.live:
        raise Skipped(
            "the System keychain is read with the security tool, on the live machine only"
        )
    if tools.which("security") is None:
        raise Skipped("security tool not found")
    output = tools.run(("security", "find-certificate", "-a", "-p", SYSTEM_KEYCHAIN))
    blocks = pem_blocks(output.encode("utf-8"))
    yield from certificate_observations(
        host, tally, blocks, where=SYSTEM_KEYCHAIN, store=SYSTEM_KEYCHAIN
    )


# --------------------------------------------------------------------------- the host


def asset(root: Path) -> Asset:
    if root == Path("/"):
        return Asset(AssetKind.HOST, live_hostname(), _live_identifiers())
    name = hostname_from_tree(root) or _preferences_name(root) or fallback_name(root)
    return Asset(AssetKind.HOST, name)


def _preferences_name(root: Path) -> str:
    """System > System > HostName or ComputerName in the SystemConfiguration preferences."""
    try:
        system = load_plist(root.joinpath(PREFERENCES.lstrip("/"))).get("System", {})
        names = system.get("System", {}) if isinstance(system, dict) else {}
    except (OSError, ValueError, Problem):
        return ""
    if not isinstance(names, dict):
        return ""
    return _text(names.get("HostName")) or _text(names.get("ComputerName"))


def _live_identifiers() -> tuple[tuple[str, str], ...]:
    if tools.which("ioreg") is None:
        return ()
    try:
        output = tools.run(("ioreg", "-rd1", "-c", "IOPlatformExpertDevice"), timeout=30)
    except Problem:
        return ()
    match = _PLATFORM_UUID.search(output)
    return (("host_uuid", match.group(1)),) if match else ()
