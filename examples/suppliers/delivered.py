"""Files suppliers deliver: CycloneDX SBOMs of their products and Intune app inventories.

The open-source components (names, versions, publishers, authors, purls, hashes,
licences) are copied from the real CycloneDX example SBOMs in
``shared/data/sbom/cyclonedx`` (dropwizard-1.3.15 and laravel-7.12.0, CC0-1.0).
The ordinary Windows applications are the ones of the Example Agency estate
(``examples/estate/inputs/intune``). The covered items use only names, publishers
and package names the catalog's signatures cite (``src/rootout/catalog/packs``).
The products that carry them and the suppliers that deliver them are invented and
assert no real OEM relation.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED_SBOM = HERE.parents[1].parent / "shared" / "data" / "sbom" / "cyclonedx"
DROPWIZARD = SHARED_SBOM / "dropwizard-1.3.15" / "bom.json"
LARAVEL = SHARED_SBOM / "laravel-7.12.0" / "bom.1.4.json"

INTUNE_HEADER = (
    "ApplicationKey",
    "ApplicationId",
    "ApplicationName",
    "ApplicationPublisher",
    "ApplicationShortVersion",
    "ApplicationVersion",
    "DeviceId",
    "DeviceName",
    "OSDescription",
    "OSVersion",
    "Platform",
    "UserId",
    "EmailAddress",
    "UserName",
)
# (name, publisher, short version, version) as the estate's Intune export has them.
ORDINARY_APPS = (
    ("7-Zip 24.09 (x64)", "Igor Pavlov", "24.09", "24.09"),
    ("Adobe Acrobat (64-bit)", "Adobe", "24.005.20399", "24.005.20399"),
    ("Cisco Secure Client - AnyConnect VPN", "Cisco Systems, Inc.", "5.1.7", "5.1.7.80"),
    ("Company Portal", "Microsoft Corporation", "11.2.1002", "11.2.1002.0"),
    ("Google Chrome", "Google LLC", "133.0.6943", "133.0.6943.142"),
    (
        "Microsoft 365 Apps for enterprise - en-us",
        "Microsoft Corporation",
        "16.0.18429",
        "16.0.18429.20158",
    ),
    ("Microsoft Edge", "Microsoft Corporation", "133.0.3065", "133.0.3065.92"),
    ("Microsoft Teams", "Microsoft Corporation", "25031.805.3440", "25031.805.3440.5290"),
    ("Notepad++ (64-bit x64)", "Notepad++ Team", "8.7.7", "8.7.7"),
    ("Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", "6.3.11", "6.3.11.60501"),
)
# Covered applications, spelt as the catalog's signatures and the estate have them.
KES_APP = ("Kaspersky Endpoint Security for Windows", "AO Kaspersky Lab", "12.4", "12.4.0.467")
SMARTPSS_APP = (
    "SmartPSSLite 1.003.0000006.0",
    "Dahua Technology Co.,Ltd",
    "1.003.0000006",
    "1.003.0000006.0",
)


@dataclass(frozen=True)
class Product:
    """A supplier's product whose SBOM it delivers (all invented)."""

    slug: str
    name: str
    version: str
    maker: str
    stack: str  # "maven" (Dropwizard components) or "composer" (Laravel components)
    covered: str = ""  # "", "kav4proxy" or "ivms-4200"
    folder: str = ""  # the delivering supplier's folder under delivered/

    @property
    def path(self) -> str:
        return f"delivered/{self.folder}/{self.slug}-{self.version}.cdx.json"


@dataclass(frozen=True)
class Fleet:
    """A supplier's laptops whose Intune app inventory it delivers (all invented)."""

    slug: str
    domain: str
    devices: int
    covered: tuple[tuple[str, str, str, str], ...] = ()


def _rng(label: str) -> random.Random:
    return random.Random(f"example-suppliers-v1/{label}")


def _components(path: Path) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(data["components"])


def _trimmed(component: dict[str, Any]) -> dict[str, Any]:
    keep = ("type", "bom-ref", "publisher", "author", "group", "name", "version", "purl")
    kept = {key: component[key] for key in keep if key in component}
    hashes = [h for h in component.get("hashes", []) if h["alg"] in ("SHA-1", "SHA-256")]
    if hashes:
        kept["hashes"] = hashes
    if component.get("licenses"):
        kept["licenses"] = component["licenses"]
    kept.setdefault("bom-ref", component["purl"])
    return kept


def _covered_component(kind: str, product: Product) -> dict[str, Any]:
    if kind == "kav4proxy":
        # kav4proxy: the Debian package of Kaspersky Anti-Virus for Proxy Server
        # (sig.kaspersky.package.kav4proxy-deb); the publisher matches sig.kaspersky.publisher.name.
        return {
            "type": "application",
            "bom-ref": f"{product.slug}:kav4proxy",
            "publisher": "Kaspersky Lab",
            "name": "kav4proxy",
            "properties": [{"name": "syft:package:type", "value": "deb"}],
        }
    if kind == "ivms-4200":
        # Hikvision's video management client (sig.hikvision.ivms-4200.name, publisher signature).
        return {
            "type": "application",
            "bom-ref": f"{product.slug}:ivms-4200",
            "supplier": {"name": "Hangzhou Hikvision Digital Technology Co.,Ltd."},
            "publisher": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
            "name": "iVMS-4200",
        }
    raise ValueError(f"unknown covered component {kind!r}")


def sbom(product: Product) -> dict[str, Any]:
    """A CycloneDX 1.5 JSON SBOM of ``product``; its own modules wrap the open-source ones."""
    rng = _rng(f"sbom/{product.slug}")
    source = DROPWIZARD if product.stack == "maven" else LARAVEL
    libs = [_trimmed(c) for c in rng.sample(_components(source), 14)]
    libs.sort(key=lambda c: (c.get("group", ""), c["name"]))
    maker = {"name": product.maker}
    module: dict[str, Any] = {
        "type": "application",
        "bom-ref": f"{product.slug}:core",
        "supplier": maker,
        "name": f"{product.slug}-core",
        "version": product.version,
        "components": libs,
    }
    if product.covered:
        module["components"] = [*libs, _covered_component(product.covered, product)]
    serial = uuid.UUID(int=rng.getrandbits(128), version=4)
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": "2026-09-14T09:30:00Z",
            "component": {
                "type": "application",
                "bom-ref": product.slug,
                "supplier": maker,
                "name": product.name,
                "version": product.version,
            },
            "manufacture": maker,
        },
        "components": [module],
        "dependencies": [
            {"ref": product.slug, "dependsOn": [f"{product.slug}:core"]},
            {
                "ref": f"{product.slug}:core",
                "dependsOn": [c["bom-ref"] for c in module["components"]],
            },
        ],
    }


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def inventory(fleet: Fleet, people: Sequence[str]) -> list[tuple[str, ...]]:
    """Intune "AppInvRawData" rows: every ordinary app on every device, plus the covered ones."""
    rng = _rng(f"inventory/{fleet.slug}")
    rows: list[tuple[str, ...]] = []
    for number in range(1, fleet.devices + 1):
        device, user = _guid(rng), _guid(rng)
        person = people[(number - 1) % len(people)]
        email = f"{person.lower().replace(' ', '.')}@{fleet.domain}"
        host = f"{fleet.slug.upper()}-LT-{number:03d}"
        apps = rng.sample(ORDINARY_APPS, 7)
        if number == 1:
            apps = [*apps, *fleet.covered]
        for name, publisher, short, version in sorted(apps):
            key = hashlib.md5(f"{name}\0{publisher}".encode(), usedforsecurity=False).hexdigest()
            rows.append(
                (
                    key,
                    "",
                    name,
                    publisher,
                    short,
                    version,
                    device,
                    host,
                    "Windows 11 Enterprise",
                    "10.0.26100.3194",
                    "Windows",
                    user,
                    email,
                    person,
                )
            )
    return rows
