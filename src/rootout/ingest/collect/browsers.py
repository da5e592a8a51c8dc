"""Browser extensions installed in local users' profiles.

Chromium-family browsers (Chrome, Chromium, Edge, Brave) keep each extension
unpacked as ``<user data>/<profile>/Extensions/<id>/<version>/manifest.json``;
a ``__MSG_key__`` name is resolved from ``_locales/<locale>/messages.json``
(the manifest's ``default_locale``, then ``en``, ``en_US``, ``en_GB``).
Firefox lists every add-on of a profile in ``<profile>/extensions.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rootout.ingest.collect.base import (
    MAX_SMALL_FILE_BYTES,
    Host,
    Problem,
    Skipped,
    Tally,
    read_text,
    subfolders,
)
from rootout.model.observation import Observation, ObservationKind

_MSG = re.compile(r"^__MSG_(\w+)__$")
_FALLBACK_LOCALES = ("en", "en_US", "en_GB")


@dataclass(frozen=True, slots=True)
class BrowserLayout:
    """Where one OS keeps browser profiles, relative to a user's home folder."""

    chromium: tuple[tuple[str, str], ...]
    """(browser, user-data folder) pairs."""
    firefox: tuple[str, ...]
    """Folders holding Firefox profile folders."""

    @property
    def location(self) -> str:
        places = [f"~/{folder}" for _, folder in self.chromium] + [f"~/{f}" for f in self.firefox]
        return ", ".join(places)


def extensions(
    host: Host, tally: Tally, homes: list[Path], layout: BrowserLayout
) -> Iterator[Observation]:
    """Every Chromium-family extension and Firefox add-on under the users' homes."""
    chromium: list[tuple[Path, str, str]] = []
    firefox: list[tuple[Path, str]] = []
    for home in homes:
        with tally.guard(host.shown(home)):  # another user's home may be closed to us
            for browser, folder in layout.chromium:
                profiles = subfolders(home / folder)
                chromium += [
                    (p, browser, home.name) for p in profiles if (p / "Extensions").is_dir()
                ]
            for folder in layout.firefox:
                profiles = subfolders(home / folder)
                firefox += [(p, home.name) for p in profiles if (p / "extensions.json").is_file()]
    if not chromium and not firefox and not tally.problems:
        raise Skipped(f"no browser profiles with extensions in {len(homes)} home folder(s)")
    for profile, browser, user in chromium:
        yield from _chromium_profile(host, tally, profile, browser, user)
    for profile, user in firefox:
        yield from _firefox_profile(host, tally, profile, user)


# --------------------------------------------------------------------------- Chromium family


def _chromium_profile(
    host: Host, tally: Tally, profile: Path, browser: str, user: str
) -> Iterator[Observation]:
    for ext_dir in subfolders(profile / "Extensions"):
        for version_dir in subfolders(ext_dir):
            manifest = version_dir / "manifest.json"
            if not manifest.is_file():
                continue
            where = host.shown(manifest)
            with tally.guard(where):
                values = _chromium_values(version_dir, _json_object(manifest))
                extra = {"browser": browser, "profile": profile.name, "user": user}
                extra.update(
                    {k: values.pop(k) for k in ("update_url", "manifest_version") if k in values}
                )
                fields = {
                    **values,
                    "extension_id": ext_dir.name,
                    "ecosystem": "chrome",
                    "install_location": host.shown(version_dir),
                }
                yield host.observe(ObservationKind.BROWSER_EXTENSION, fields, where, extra=extra)


def _chromium_values(version_dir: Path, manifest: Mapping[str, Any]) -> dict[str, str]:
    locale = _text(manifest.get("default_locale"))
    values = {
        "name": _localised(version_dir, locale, _text(manifest.get("name"))),
        "description": _localised(version_dir, locale, _text(manifest.get("description"))),
        "version": _text(manifest.get("version")) or version_dir.name,
        "update_url": _text(manifest.get("update_url")),
        "manifest_version": _text(manifest.get("manifest_version")),
    }
    author = manifest.get("author")
    if isinstance(author, str):
        values["author"] = author
    return {key: value for key, value in values.items() if value}


def _localised(version_dir: Path, locale: str, value: str) -> str:
    """``value`` with a ``__MSG_key__`` placeholder resolved; the placeholder when unresolved."""
    match = _MSG.match(value)
    if not match:
        return value
    key = match.group(1).lower()
    for name in dict.fromkeys([locale, *_FALLBACK_LOCALES]):
        path = version_dir / "_locales" / name / "messages.json" if name else None
        if path is None or not path.is_file():
            continue
        messages = {str(k).lower(): v for k, v in _json_object(path).items()}
        entry = messages.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("message"), str):
            return str(entry["message"])
    return value


# --------------------------------------------------------------------------- Firefox


def _firefox_profile(host: Host, tally: Tally, profile: Path, user: str) -> Iterator[Observation]:
    path = profile / "extensions.json"
    where = host.shown(path)
    addons: object = []
    with tally.guard(where):
        addons = _json_object(path).get("addons", [])
        if not isinstance(addons, list):
            raise Problem("'addons' is not a list")
    for index, addon in enumerate(addons if isinstance(addons, list) else []):
        if not isinstance(addon, dict) or not _text(addon.get("id")):
            tally.problem(f"{where} /addons/{index}", "add-on without an id")
            continue
        yield host.observe(
            ObservationKind.BROWSER_EXTENSION,
            _firefox_fields(addon),
            where,
            pointer=f"/addons/{index}",
            extra={
                "browser": "firefox",
                "profile": profile.name,
                "user": user,
                "type": _text(addon.get("type")),
                "location": _text(addon.get("location")),
                "active": _text(addon.get("active")),
                "source_uri": _text(addon.get("sourceURI")),
            },
        )


def _firefox_fields(addon: Mapping[str, Any]) -> dict[str, str]:
    locale = addon.get("defaultLocale")
    locale = locale if isinstance(locale, dict) else {}
    return {
        "extension_id": _text(addon.get("id")),
        "name": _text(locale.get("name")),
        "author": _text(locale.get("creator")),
        "description": _text(locale.get("description")),
        "version": _text(addon.get("version")),
        "ecosystem": "firefox",
        "install_location": _text(addon.get("path")),
    }


# --------------------------------------------------------------------------- helpers


def _json_object(path: Path) -> dict[str, Any]:
    value = json.loads(read_text(path, MAX_SMALL_FILE_BYTES))
    if not isinstance(value, dict):
        raise Problem("not a JSON object")
    return value


def _text(value: object) -> str:
    """A JSON scalar as text ('' for objects, lists and null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return ""
