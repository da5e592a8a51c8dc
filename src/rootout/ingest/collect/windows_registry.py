"""What the Windows collector reads from the registry (through a :class:`RegistrySource`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rootout.ingest.collect.base import Host, Problem, Skipped, Tally
from rootout.ingest.collect.certs import CertBlock, certificate_observations
from rootout.ingest.collect.registry import (
    RegistrySource,
    RegValue,
    lookup,
    parse_cert_blob,
    text,
)
from rootout.model.observation import Observation, ObservationKind

HKLM = "HKEY_LOCAL_MACHINE"
HKU = "HKEY_USERS"
UNINSTALL = "Microsoft\\Windows\\CurrentVersion\\Uninstall"
MACHINE_UNINSTALL = (
    f"{HKLM}\\SOFTWARE\\{UNINSTALL}",
    f"{HKLM}\\SOFTWARE\\WOW6432Node\\{UNINSTALL}",
)
SERVICES = f"{HKLM}\\SYSTEM\\CurrentControlSet\\Services"
SOFTWARE_KEYS = (f"{HKLM}\\SOFTWARE", f"{HKLM}\\SOFTWARE\\WOW6432Node")
MACHINE_CERT_STORES = (
    ("LocalMachine\\Root", f"{HKLM}\\SOFTWARE\\Microsoft\\SystemCertificates\\ROOT"),
    ("LocalMachine\\AuthRoot", f"{HKLM}\\SOFTWARE\\Microsoft\\SystemCertificates\\AuthRoot"),
    ("LocalMachine\\CA", f"{HKLM}\\SOFTWARE\\Microsoft\\SystemCertificates\\CA"),
    ("GroupPolicy\\Root", f"{HKLM}\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root"),
    ("GroupPolicy\\CA", f"{HKLM}\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\CA"),
    ("Enterprise\\Root", f"{HKLM}\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root"),
    ("Enterprise\\CA", f"{HKLM}\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\CA"),
)
USER_CERT_STORES = ("Root", "CA")
_GUID_KEY = re.compile(r"\{[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}")
_UNINSTALL_VALUES = (
    ("DisplayName", "name"),
    ("Publisher", "publisher"),
    ("DisplayVersion", "version"),
    ("InstallLocation", "install_location"),
    ("UninstallString", "uninstall_string"),
)
_UNINSTALL_EXTRA = (
    "InstallDate",
    "InstallSource",
    "SystemComponent",
    "WindowsInstaller",
    "QuietUninstallString",
)
DRIVER_TYPES = 0x0F
"""SERVICE_KERNEL_DRIVER 1, SERVICE_FILE_SYSTEM_DRIVER 2, adapter 4, recognizer 8."""
SERVICE_TYPES = 0x30
"""SERVICE_WIN32_OWN_PROCESS 0x10, SERVICE_WIN32_SHARE_PROCESS 0x20 (user services add 0x40)."""


def need(registry: RegistrySource | None) -> RegistrySource:
    if registry is None:
        raise Skipped("no registry to read (the root is not this Windows machine)")
    return registry


def _subkeys_or_none(registry: RegistrySource, key: str) -> list[str] | None:
    try:
        return registry.subkeys(key)
    except FileNotFoundError:
        return None


def user_hives(registry: RegistrySource) -> list[str]:
    """Loaded user hives under HKEY_USERS (``S-1-5-21-..``; not the ``_Classes`` halves)."""
    return [
        sid for sid in _subkeys_or_none(registry, HKU) or [] if not sid.lower().endswith("_classes")
    ]


# --------------------------------------------------------------------------- Uninstall keys


def uninstall_entries(
    host: Host, tally: Tally, registry: RegistrySource | None
) -> Iterator[Observation]:
    """PROGRAM observations from the machine's (both views) and each loaded user's Uninstall keys."""
    source = need(registry)
    containers = list(MACHINE_UNINSTALL)
    with tally.guard(HKU):
        containers += [f"{HKU}\\{sid}\\Software\\{UNINSTALL}" for sid in user_hives(source)]
    found = False
    for container in containers:
        entries: list[str] | None = None
        with tally.guard(container):
            entries = _subkeys_or_none(source, container)
        found = found or entries is not None
        for entry in entries or []:
            key = f"{container}\\{entry}"
            with tally.guard(key):
                yield _program(host, key, entry, source.values(key))
    if not found:
        raise Skipped("no Uninstall keys")


def _program(host: Host, key: str, entry: str, values: dict[str, RegValue]) -> Observation:
    fields = {field: text(lookup(values, name)) for name, field in _UNINSTALL_VALUES}
    if _GUID_KEY.fullmatch(entry):
        fields["product_code"] = entry
    if text(lookup(values, "WindowsInstaller")) == "1":
        fields["ecosystem"] = "msi"
    extra = {name: text(lookup(values, name)) for name in _UNINSTALL_EXTRA}
    extra["key_name"] = entry
    if key.startswith(HKU):
        extra["user_sid"] = key.split("\\")[1]
    if "\\WOW6432Node\\" in key:
        extra["registry_view"] = "32-bit"
    return host.observe(ObservationKind.PROGRAM, fields, key, extra=extra)


# --------------------------------------------------------------------------- services and drivers


def services(host: Host, tally: Tally, registry: RegistrySource | None) -> Iterator[Observation]:
    """SERVICE and DRIVER observations from ``...\\CurrentControlSet\\Services`` by their Type."""
    source = need(registry)
    names = _subkeys_or_none(source, SERVICES)
    if names is None:
        raise Skipped(f"not present: {SERVICES}")
    for name in names:
        key = f"{SERVICES}\\{name}"
        with tally.guard(key):
            observation = _service(host, key, name, source.values(key))
            if observation is not None:
                yield observation


def _service(host: Host, key: str, name: str, values: dict[str, RegValue]) -> Observation | None:
    kind_value = lookup(values, "Type")
    if not isinstance(kind_value, int) or isinstance(kind_value, bool):
        return None  # not a service entry (e.g. a key holding only parameters)
    image = text(lookup(values, "ImagePath"))
    display = text(lookup(values, "DisplayName"))
    fields = {
        "service": name,
        "name": "" if display.startswith("@") else display,  # '@file,-id' is a resource reference
        "path": image,
        "description": ""
        if text(lookup(values, "Description")).startswith("@")
        else text(lookup(values, "Description")),
    }
    extra = {
        "type": str(kind_value),
        "start": text(lookup(values, "Start")),
        "group": text(lookup(values, "Group")),
        "display_name": display,
        "object_name": text(lookup(values, "ObjectName")),
    }
    if kind_value & SERVICE_TYPES:
        return host.observe(ObservationKind.SERVICE, fields, key, extra=extra)
    if kind_value & DRIVER_TYPES:
        fields["driver"] = image.replace("/", "\\").rsplit("\\", 1)[-1] if image else name
        return host.observe(ObservationKind.DRIVER, fields, key, extra=extra)
    return None


# --------------------------------------------------------------------------- vendor keys


def software_keys(
    host: Host, tally: Tally, registry: RegistrySource | None
) -> Iterator[Observation]:
    """A REGISTRY_KEY observation per sub-key of HKLM\\SOFTWARE (both views): vendor keys."""
    source = need(registry)
    for parent in SOFTWARE_KEYS:
        names: list[str] | None = []
        with tally.guard(parent):
            names = _subkeys_or_none(source, parent)
        for name in names or []:
            if parent == SOFTWARE_KEYS[0] and name.lower() == "wow6432node":
                continue  # listed through its own children
            key = f"{parent}\\{name}"
            extra = {"registry_view": "32-bit"} if "WOW6432Node" in parent else {}
            yield host.observe(
                ObservationKind.REGISTRY_KEY, {"registry_key": key, "name": name}, key, extra=extra
            )


# --------------------------------------------------------------------------- certificate stores


def certificate_stores(
    host: Host, tally: Tally, registry: RegistrySource | None
) -> Iterator[Observation]:
    """Certificates in the machine's and loaded users' registry certificate stores."""
    source = need(registry)
    stores = list(MACHINE_CERT_STORES)
    with tally.guard(HKU):
        for sid in user_hives(source):
            base = f"{HKU}\\{sid}\\Software\\Microsoft\\SystemCertificates"
            stores += [(f"{sid}\\{store}", f"{base}\\{store}") for store in USER_CERT_STORES]
    for store, key in stores:
        container = f"{key}\\Certificates"
        thumbprints = _subkeys_or_none(source, container)
        for thumbprint in thumbprints or []:
            yield from _stored_certificate(host, tally, source, f"{container}\\{thumbprint}", store)


def _stored_certificate(
    host: Host, tally: Tally, source: RegistrySource, key: str, store: str
) -> Iterator[Observation]:
    blocks: list[CertBlock] = []
    friendly = ""
    with tally.guard(key):
        blob = lookup(source.values(key), "Blob")
        if not isinstance(blob, bytes):
            raise Problem("no binary Blob value")
        parsed = parse_cert_blob(blob)
        blocks, friendly = [CertBlock(parsed.der, 0, False)], parsed.friendly_name
    extra = {"thumbprint": key.rsplit("\\", 1)[-1], "friendly_name": friendly}
    yield from certificate_observations(host, tally, blocks, where=key, store=store, extra=extra)
