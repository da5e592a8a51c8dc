"""Observations and assets: what readers produce, vendor-agnostic.

A reader turns one input into :class:`Observation` records. It knows its format
and nothing about vendors: it fills the canonical field names below with the raw
values it read, and records where each came from. The matcher maps canonical
fields to signature kinds (``FIELD_KINDS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from rootout.catalog.model import SignatureKind


class ObservationKind(StrEnum):
    PROGRAM = "program"  # an installed program (Uninstall key, osquery programs/apps, MDM record)
    PACKAGE = "package"  # an OS or language package (deb, rpm, homebrew, npm, pypi...)
    SBOM_COMPONENT = "sbom_component"
    SERVICE = "service"
    DRIVER = "driver"
    KERNEL_MODULE = "kernel_module"
    PROCESS = "process"
    CERTIFICATE = "certificate"
    BROWSER_EXTENSION = "browser_extension"
    NETWORK_DEVICE = "network_device"
    DNS_QUERY = "dns_query"
    REGISTRY_KEY = "registry_key"
    FILE = "file"
    SECURITY_PRODUCT = "security_product"
    CONTRACT_AWARD = "contract_award"
    VENDOR_RECORD = "vendor_record"


class AssetKind(StrEnum):
    HOST = "host"
    DEVICE = "device"
    SBOM = "sbom"
    CONTRACT = "contract"
    SUPPLIER = "supplier"


# Canonical observation fields and the signature kind each is matched as.
FIELD_KINDS: Mapping[str, SignatureKind] = MappingProxyType(
    {
        "name": SignatureKind.PRODUCT_NAME,
        "publisher": SignatureKind.PUBLISHER,
        "vendor": SignatureKind.PUBLISHER,
        "supplier": SignatureKind.PUBLISHER,
        "manufacturer": SignatureKind.PUBLISHER,
        "author": SignatureKind.PUBLISHER,
        "signer": SignatureKind.SIGNER,
        "package": SignatureKind.PACKAGE,
        "service": SignatureKind.SERVICE,
        "driver": SignatureKind.DRIVER,
        "process": SignatureKind.PROCESS,
        "path": SignatureKind.FILE_PATH,
        "registry_key": SignatureKind.REGISTRY_KEY,
        "bundle_id": SignatureKind.BUNDLE_ID,
        "extension_id": SignatureKind.BROWSER_EXTENSION,
        "cert_subject": SignatureKind.CERT_SUBJECT,
        "cert_issuer": SignatureKind.CERT_SUBJECT,
        "cert_sha1": SignatureKind.CERT_FINGERPRINT,
        "cert_sha256": SignatureKind.CERT_FINGERPRINT,
        "cpe": SignatureKind.CPE,
        "purl": SignatureKind.PURL,
        "mac": SignatureKind.MAC_PREFIX,
        "model": SignatureKind.MODEL_PREFIX,
        "domain": SignatureKind.DNS_DOMAIN,
        "parent_name": SignatureKind.PUBLISHER,
        "dba_name": SignatureKind.PUBLISHER,
        "item_description": SignatureKind.PRODUCT_NAME,
    }
)
TEXT_FIELDS = frozenset({"item_description"})
"""Free-text fields: searched for product names as runs of whole words, not compared whole."""
"""Fields a reader may fill that are matched against signatures.

Readers may also fill descriptive fields that are never matched (``version``,
``ecosystem``, ``ip``, ``hostname``, ``install_location``, ``description`` (never matched; ``item_description`` is the searched one),
``device_type``, ``os``, ``group``, ``bom_ref``, ``not_valid_before``,
``not_valid_after``, ``store``, ...)."""


EMPTY: Mapping[str, str] = MappingProxyType({})


class SourceRef(NamedTuple):
    """Where an observation was read: input path and position.

    ``line`` is 1-based (0 when the format has no lines, e.g. a registry hive);
    ``pointer`` is a JSON pointer, XPath-like position or record key when the
    line alone does not say which record it was.
    """

    path: str
    line: int = 0
    pointer: str = ""
    format: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} {self.pointer}".strip()


class Asset(NamedTuple):
    """The thing an observation belongs to: a host, a device, an SBOM subject..."""

    kind: AssetKind
    name: str
    identifiers: tuple[tuple[str, str], ...] = ()
    """Stable identifiers such as ("host_uuid", ...), ("serial", ...), ("mac", ...), ("ip", ...)."""
    tags: tuple[tuple[str, str], ...] = ()
    """Owner, org unit, tenant, decorations..."""

    @property
    def key(self) -> str:
        """A stable key for the asset: kind plus its strongest identifier, else its name."""
        for scheme in ("host_uuid", "serial", "bom_serial", "mac", "uei"):
            for ident_scheme, value in self.identifiers:
                if ident_scheme == scheme:
                    return f"{self.kind.value}:{scheme}:{value.lower()}"
        return f"{self.kind.value}:name:{self.name.lower()}"


class Observation(NamedTuple):
    """One thing seen in one input.

    Records are named tuples rather than frozen dataclasses: readers create
    millions of them, and a tuple is several times cheaper to build. They are
    immutable all the same; build changed copies with ``_replace``.
    """

    kind: ObservationKind
    fields: Mapping[str, str]
    asset: Asset
    source: SourceRef
    observed_at: dt.datetime | None = None
    parents: tuple[str, ...] = ()
    """For nested SBOM components: names (with versions) of the enclosing components, outermost first."""
    extra: Mapping[str, str] = EMPTY
    """Reader-specific fields kept for evidence but never matched."""

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if value else None
