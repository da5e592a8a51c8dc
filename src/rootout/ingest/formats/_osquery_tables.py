"""osquery tables rootout reads: their columns and how each maps to canonical fields.

Columns are osquery's (``specs/**/*.table``, listed in formats.md §1.1; they are
stable across releases). A bare ``osqueryi --json`` array carries no table name,
so :func:`infer_table` tells the table from the column set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rootout.model.observation import ObservationKind as K


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One osquery table: its columns and the column → canonical field mapping."""

    name: str
    kind: K
    columns: frozenset[str]
    fields: tuple[tuple[str, str], ...]
    """(column, canonical field); when several columns feed one field the first non-empty wins."""
    constants: tuple[tuple[str, str], ...] = ()
    basename_fields: tuple[tuple[str, str], ...] = ()
    """(column, field): the field gets the file name at the end of the column's path."""


def _cols(text: str) -> frozenset[str]:
    return frozenset(text.replace(",", " ").split())


def _pkg(name: str, cols: str, ecosystem: str, *more: tuple[str, str]) -> TableSpec:
    base = (("name", "name"), ("name", "package"), ("version", "version"))
    return TableSpec(name, K.PACKAGE, _cols(cols), base + more, (("ecosystem", ecosystem),))


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "programs",
            K.PROGRAM,
            _cols(
                "name version install_location install_source language publisher "
                "uninstall_string install_date identifying_number package_family_name upgrade_code"
            ),
            (
                ("name", "name"),
                ("publisher", "publisher"),
                ("version", "version"),
                ("install_location", "install_location"),
                ("uninstall_string", "uninstall_string"),
                ("identifying_number", "product_code"),
            ),
        ),
        _pkg(
            "deb_packages",
            "name version source size arch revision status maintainer section priority "
            "admindir pid_with_namespace mount_namespace_id",
            "deb",
            ("maintainer", "vendor"),
        ),
        _pkg(
            "rpm_packages",
            "name version release source size sha1 arch epoch install_time vendor "
            "package_group pid_with_namespace mount_namespace_id",
            "rpm",
            ("vendor", "vendor"),
        ),
        TableSpec(
            "apps",
            K.PROGRAM,
            _cols(
                "name path bundle_executable bundle_identifier bundle_name bundle_short_version "
                "bundle_version bundle_package_type environment element compiler "
                "development_region display_name info_string minimum_system_version category "
                "applescript_enabled copyright last_opened_time"
            ),
            (
                ("name", "name"),
                ("bundle_identifier", "bundle_id"),
                ("bundle_short_version", "version"),
                ("bundle_version", "version"),
                ("path", "path"),
            ),
        ),
        _pkg(
            "homebrew_packages",
            "name path version type auto_updates app_name prefix",
            "homebrew",
            ("path", "install_location"),
        ),
        _pkg(
            "chocolatey_packages",
            "name version summary author license path",
            "chocolatey",
            ("author", "author"),
            ("summary", "description"),
            ("path", "install_location"),
        ),
        _pkg(
            "python_packages",
            "name uid version summary author license path directory pid_with_namespace",
            "pypi",
            ("author", "author"),
            ("summary", "description"),
            ("path", "install_location"),
        ),
        _pkg(
            "npm_packages",
            "name version description author license homepage path directory depth max_depth "
            "pid_with_namespace mount_namespace_id",
            "npm",
            ("author", "author"),
            ("description", "description"),
            ("path", "install_location"),
        ),
        TableSpec(
            "chrome_extensions",
            K.BROWSER_EXTENSION,
            _cols(
                "browser_type uid name profile profile_path referenced_identifier identifier "
                "version description default_locale current_locale update_url author persistent "
                "path permissions permissions_json optional_permissions optional_permissions_json "
                "manifest_hash referenced from_webstore state install_time install_timestamp "
                "manifest_json key"
            ),
            (
                ("identifier", "extension_id"),
                ("name", "name"),
                ("version", "version"),
                ("author", "author"),
                ("description", "description"),
                ("path", "install_location"),
            ),
            (("ecosystem", "chrome"),),
        ),
        TableSpec(
            "firefox_addons",
            K.BROWSER_EXTENSION,
            _cols(
                "uid name identifier creator type version description source_url visible active "
                "disabled autoupdate location path"
            ),
            (
                ("identifier", "extension_id"),
                ("name", "name"),
                ("version", "version"),
                ("creator", "author"),
                ("description", "description"),
                ("path", "install_location"),
            ),
            (("ecosystem", "firefox"),),
        ),
        TableSpec(
            "drivers",
            K.DRIVER,
            _cols(
                "device_id device_name image description service service_key version inf class "
                "provider manufacturer driver_key date signed"
            ),
            (
                ("image", "path"),
                ("service", "service"),
                ("provider", "vendor"),
                ("manufacturer", "manufacturer"),
                ("description", "description"),
                ("version", "version"),
            ),
            basename_fields=(("image", "driver"),),
        ),
        TableSpec(
            "services",
            K.SERVICE,
            _cols(
                "name service_type display_name status pid start_type win32_exit_code "
                "service_exit_code path module_path description user_account"
            ),
            (
                ("name", "service"),
                ("display_name", "name"),
                ("module_path", "path"),
                ("path", "path"),
                ("description", "description"),
            ),
        ),
        TableSpec(
            "kernel_modules",
            K.KERNEL_MODULE,
            _cols("name size used_by status address"),
            (("name", "driver"), ("name", "name")),
        ),
        TableSpec(
            "kernel_extensions",
            K.KERNEL_MODULE,
            _cols("idx refs size name version linked_against path"),
            (
                ("name", "driver"),
                ("name", "name"),
                ("name", "bundle_id"),
                ("version", "version"),
                ("path", "path"),
            ),
        ),
        TableSpec(
            "certificates",
            K.CERTIFICATE,
            _cols(
                "common_name subject subject2 issuer issuer2 ca self_signed not_valid_before "
                "not_valid_after signing_algorithm key_algorithm key_strength key_usage "
                "subject_key_id authority_key_id sha1 path serial sid store_location store "
                "username store_id"
            ),
            (
                ("common_name", "name"),
                ("subject", "cert_subject"),
                ("issuer", "cert_issuer"),
                ("sha1", "cert_sha1"),
                ("path", "path"),
                ("store", "store"),
                ("not_valid_before", "not_valid_before"),
                ("not_valid_after", "not_valid_after"),
            ),
        ),
        TableSpec(
            "processes",
            K.PROCESS,
            _cols(
                "pid name path cmdline state cwd root uid gid euid egid suid sgid on_disk "
                "wired_size resident_size total_size user_time system_time disk_bytes_read "
                "disk_bytes_written start_time parent pgroup threads nice elevated_token "
                "secure_process protection_type virtual_process elapsed_time handle_count "
                "percent_processor_time upid uppid cpu_type cpu_subtype translated cgroup_path"
            ),
            (("name", "process"), ("path", "path")),
        ),
        TableSpec(
            "interface_details",
            K.NETWORK_DEVICE,
            _cols(
                "interface mac type mtu metric flags ipackets opackets ibytes obytes ierrors "
                "oerrors idrops odrops collisions last_change link_speed pci_slot friendly_name "
                "description manufacturer connection_id connection_status enabled "
                "physical_adapter speed service dhcp_enabled dhcp_lease_expires "
                "dhcp_lease_obtained dhcp_server dns_domain dns_domain_suffix_search_order "
                "dns_host_name dns_server_search_order"
            ),
            (("mac", "mac"), ("description", "name"), ("manufacturer", "manufacturer")),
        ),
        TableSpec(
            "arp_cache",
            K.NETWORK_DEVICE,
            _cols("address mac interface permanent"),
            (("mac", "mac"), ("address", "ip")),
        ),
        TableSpec(
            "windows_security_products",
            K.SECURITY_PRODUCT,
            _cols("type name state state_timestamp remediation_path signatures_up_to_date"),
            (("name", "name"), ("remediation_path", "path")),
        ),
        TableSpec(
            "authenticode",
            K.FILE,
            _cols("path original_program_name serial_number issuer_name subject_name result"),
            (
                ("path", "path"),
                ("subject_name", "signer"),
                ("issuer_name", "cert_issuer"),
                ("original_program_name", "name"),
            ),
        ),
        TableSpec(
            "signature",
            K.FILE,
            _cols(
                "path hash_resources hash_executable arch signed identifier cdhash "
                "team_identifier authority entitlements"
            ),
            (("path", "path"), ("authority", "signer"), ("identifier", "bundle_id")),
        ),
        TableSpec(
            "package_receipts",
            K.PACKAGE,
            _cols("package_id package_filename version location install_time installer_name path"),
            (("package_id", "package"), ("package_id", "name"), ("version", "version")),
            (("ecosystem", "pkg"),),
        ),
        TableSpec(
            "system_extensions",
            K.KERNEL_MODULE,
            _cols("path UUID state identifier version category bundle_path team mdm_managed"),
            (
                ("identifier", "bundle_id"),
                ("identifier", "name"),
                ("version", "version"),
                ("path", "path"),
            ),
        ),
        TableSpec(
            "safari_extensions",
            K.BROWSER_EXTENSION,
            _cols("uid name identifier version sdk description path bundle_version copyright"),
            (
                ("identifier", "extension_id"),
                ("name", "name"),
                ("version", "version"),
                ("description", "description"),
                ("path", "install_location"),
            ),
            (("ecosystem", "safari"),),
        ),
        TableSpec(
            "vscode_extensions",
            K.BROWSER_EXTENSION,
            _cols(
                "name uuid version path publisher publisher_id installed_at prerelease uid "
                "vscode_edition"
            ),
            (
                ("name", "extension_id"),
                ("name", "name"),
                ("publisher", "publisher"),
                ("version", "version"),
                ("path", "install_location"),
            ),
            (("ecosystem", "vscode"),),
        ),
    )
}

HOST_COLUMNS = frozenset({"hostname", "computer_name", "host_uuid", "hardware_serial"})
"""Columns a query may join in (from ``system_info``) to name the host; never part of a table."""

_NAME_SPLIT = re.compile(r"[^a-z0-9_]+")
_SHORT_NAMES = {
    "deb": "deb_packages",
    "rpm": "rpm_packages",
    "brew": "homebrew_packages",
    "homebrew": "homebrew_packages",
    "chocolatey": "chocolatey_packages",
    "npm": "npm_packages",
    "pip": "python_packages",
    "chrome": "chrome_extensions",
    "firefox": "firefox_addons",
    "kexts": "kernel_extensions",
}
"""Words that name a table in query names such as ``pack_inventory_deb``."""


def tables_named_in(text: str) -> tuple[str, ...]:
    """Tables whose name appears in ``text`` as a whole word (``pack_rootout_programs``).

    Underscores also separate words, so ``pack_x_deb_packages`` names ``deb_packages``.
    Full table names come first (longest first), then short names (``deb``, ``rpm``...).
    """
    lowered = _NAME_SPLIT.sub(" ", text.lower())
    padded = f" {lowered.replace('_', ' ')} "
    found = [t for t in TABLES if f" {t.replace('_', ' ')} " in padded]
    found.sort(key=len, reverse=True)
    words = padded.split()
    found += [t for word, t in _SHORT_NAMES.items() if word in words and t not in found]
    return tuple(found)


def infer_table(columns: Iterable[str], hints: tuple[str, ...] = ()) -> str | None:
    """The table a row came from, from its column set and optional name hints.

    A hinted table wins when every column belongs to it (or, for queries that add
    their own columns, when it shares any column). Without a usable hint the
    table must be the only one holding every column, or the only one whose
    columns are exactly these (``SELECT *``). ``None`` when undecidable.
    """
    keys = frozenset(columns) - HOST_COLUMNS
    if not keys:
        return hints[0] if hints else None
    exact = [name for name, spec in TABLES.items() if keys <= spec.columns]
    for hint in hints:
        if hint in exact:
            return hint
    if len(exact) == 1:
        return exact[0]
    whole = [name for name in exact if TABLES[name].columns == keys]
    if len(whole) == 1:
        return whole[0]  # SELECT * of a table whose columns are a subset of another's
    for hint in hints:
        if not exact and keys & TABLES[hint].columns:
            return hint
    return None
