"""osqueryd logs per host: ``osqueryd.snapshots.log`` (snapshot form) and ``osqueryd.results.log``.

Shapes follow osquery's logging docs (formats.md §1.3): one JSON object per line;
snapshot queries log ``"action":"snapshot"`` with all rows, differential queries
log one line per changed row (``"action":"added"|"removed"`` with ``columns``).
Decorations come from ``system_info`` (``host_uuid``, ``hostname``,
``hardware_serial``). Row values are strings and row keys sorted, as osqueryd
writes them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .common import HISUITE_HOST, Host, hosts, rng, utc, words, write_text
from .programs import CHROME_OLD, HISUITE, Program, windows_programs
from .services import Driver, Service, windows_drivers, windows_services
from .software import Extension, chrome_extensions, deb_packages, mac_apps

Row = dict[str, str]
SNAPSHOT_DAY = (2026, 3, 9)

PROGRAM_COLUMNS = words(
    "name version install_location install_source language publisher uninstall_string "
    "install_date identifying_number package_family_name upgrade_code"
)
SERVICE_COLUMNS = words(
    "name service_type display_name status pid start_type win32_exit_code service_exit_code "
    "path module_path description user_account"
)
DRIVER_COLUMNS = words(
    "device_id device_name image description service service_key version inf class provider "
    "manufacturer driver_key date signed"
)
EXTENSION_COLUMNS = words(
    "browser_type uid name profile profile_path referenced_identifier identifier version "
    "description default_locale current_locale update_url author persistent path permissions "
    "permissions_json optional_permissions optional_permissions_json manifest_hash referenced "
    "from_webstore state install_time install_timestamp manifest_json key"
)
APP_COLUMNS = words(
    "name path bundle_executable bundle_identifier bundle_name bundle_short_version "
    "bundle_version bundle_package_type environment element compiler development_region "
    "display_name info_string minimum_system_version category applescript_enabled copyright "
    "last_opened_time"
)
DEB_COLUMNS = ["name", "version", "source", "arch", "revision", "status", "section", "priority"]


def _row(columns: Iterable[str], values: Mapping[str, str]) -> Row:
    return {c: values.get(c, "") for c in sorted(columns)}


def calendar_time(when: dt.datetime) -> str:
    """osquery's asctime-style ``calendarTime`` (day padded with a space)."""
    return f"{when:%a %b} {when.day:2d} {when:%H:%M:%S %Y} UTC"


def _envelope(host: Host, query: str, when: dt.datetime, counter: int) -> dict[str, Any]:
    return {
        "name": query,
        "hostIdentifier": host.name,
        "calendarTime": calendar_time(when),
        "unixTime": int(when.timestamp()),
        "epoch": 0,
        "counter": counter,
        "numerics": False,
        "decorations": {
            "hardware_serial": host.serial,
            "host_uuid": host.uuid,
            "hostname": host.name,
        },
    }


def snapshot_line(host: Host, query: str, when: dt.datetime, rows: list[Row]) -> str:
    record = {"snapshot": rows, "action": "snapshot", **_envelope(host, query, when, 0)}
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def event_line(
    host: Host, query: str, when: dt.datetime, counter: int, action: str, row: Row
) -> str:
    record = {**_envelope(host, query, when, counter), "columns": row, "action": action}
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def program_row(program: Program, install_date: str) -> Row:
    return _row(
        PROGRAM_COLUMNS,
        {
            "name": program.name,
            "version": program.version,
            "install_location": program.location,
            "publisher": program.publisher,
            "uninstall_string": program.uninstall_string(),
            "install_date": install_date,
            "identifying_number": program.code(),
            "language": "1033" if program.msi else "",
        },
    )


def _service_row(service: Service, pid: int) -> Row:
    running = service.status == "RUNNING"
    return _row(
        SERVICE_COLUMNS,
        {
            "name": service.name,
            "service_type": "OWN_PROCESS",
            "display_name": service.display,
            "status": service.status,
            "pid": str(pid if running else 0),
            "start_type": service.start,
            "win32_exit_code": "0" if running else "1077",
            "service_exit_code": "0",
            "path": service.path,
            "user_account": service.account,
        },
    )


def _driver_row(driver: Driver) -> Row:
    return _row(
        DRIVER_COLUMNS,
        {
            "device_id": driver.device_id,
            "device_name": driver.name,
            "image": driver.image,
            "description": driver.name,
            "service": driver.service,
            "service_key": f"HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\{driver.service}",
            "version": driver.version,
            "inf": driver.inf,
            "class": driver.device_class,
            "provider": driver.provider,
            "manufacturer": driver.provider,
            "date": driver.date,
            "signed": "1",
        },
    )


def _profile_dir(host: Host, user: str) -> str:
    if host.platform == "darwin":
        return f"/Users/{user}/Library/Application Support/Google/Chrome/Default"
    return f"C:\\Users\\{user}\\AppData\\Local\\Google\\Chrome\\User Data\\Default"


def _extension_row(host: Host, ext: Extension, user: str, installed: int) -> Row:
    profile = _profile_dir(host, user)
    sep = "/" if host.platform == "darwin" else "\\"
    return _row(
        EXTENSION_COLUMNS,
        {
            "browser_type": "chrome",
            "uid": "501" if host.platform == "darwin" else "",
            "name": ext.name,
            "profile": "Person 1",
            "profile_path": profile,
            "referenced_identifier": ext.identifier,
            "identifier": ext.identifier,
            "version": ext.version,
            "description": ext.description,
            "default_locale": "en",
            "current_locale": "en",
            "update_url": "https://clients2.google.com/service/update2/crx",
            "author": ext.author,
            "persistent": "0",
            "path": f"{profile}{sep}Extensions{sep}{ext.identifier}{sep}{ext.version}_0",
            "referenced": "1",
            "from_webstore": "true",
            "state": "1",
            "install_timestamp": str(installed),
        },
    )


def _app_row(name: str, bundle_id: str, version: str, executable: str) -> Row:
    return _row(
        APP_COLUMNS,
        {
            "name": f"{name}.app",
            "path": f"/Applications/{name}.app",
            "bundle_executable": executable,
            "bundle_identifier": bundle_id,
            "bundle_name": name,
            "bundle_short_version": version,
            "bundle_version": version,
            "bundle_package_type": "APPL",
            "display_name": name,
            "development_region": "en",
            "applescript_enabled": "0",
        },
    )


def _deb_row(name: str, version: str, arch: str, section: str) -> Row:
    return _row(
        DEB_COLUMNS,
        {
            "name": name,
            "version": version,
            "source": "",
            "arch": arch,
            "revision": version.rsplit("-", 1)[1] if "-" in version else "",
            "status": "install ok installed",
            "section": section,
            "priority": "optional",
        },
    )


def _user(host: Host) -> str:
    return "u" + host.name[-4:]


def snapshots(host: Host) -> list[str]:
    r = rng(f"osquery-snapshot/{host.name}")
    base = utc(*SNAPSHOT_DAY, 6, 0) + dt.timedelta(minutes=r.randrange(0, 600))
    at = [base + dt.timedelta(seconds=s) for s in (0, 41, 97, 153)]
    if host.platform == "windows":
        dates = [f"2025{r.randint(1, 12):02d}{r.randint(1, 28):02d}" for _ in range(64)]
        programs = [program_row(p, d) for p, d in zip(windows_programs(host), dates, strict=False)]
        services = [_service_row(s, r.randrange(800, 12000, 4)) for s in windows_services(host)]
        drivers = [_driver_row(d) for d in windows_drivers(host)]
        return [
            snapshot_line(host, "pack_inventory_programs", at[0], programs),
            snapshot_line(host, "pack_inventory_services", at[1], services),
            snapshot_line(host, "pack_inventory_drivers", at[2], drivers),
            snapshot_line(host, "pack_inventory_chrome_extensions", at[3], _extensions(host, r)),
        ]
    if host.platform == "darwin":
        apps = [_app_row(a.name, a.bundle_id, a.version, a.executable) for a in mac_apps(host)]
        return [
            snapshot_line(host, "pack_inventory_apps", at[0], apps),
            snapshot_line(host, "pack_inventory_chrome_extensions", at[1], _extensions(host, r)),
        ]
    debs = [_deb_row(*p) for p in deb_packages(host)]
    return [snapshot_line(host, "pack_inventory_deb_packages", at[0], debs)]


def _extensions(host: Host, r: Any) -> list[Row]:
    installed = int(utc(2025, 6, 1).timestamp())
    return [
        _extension_row(host, e, _user(host), installed + r.randrange(0, 200) * 86400)
        for e in chrome_extensions(host)
    ]


def changes(host: Host) -> list[str]:
    """Differential results: the few rows that changed in the weeks before the snapshot."""
    r = rng(f"osquery-results/{host.name}")
    when = utc(2026, 2, 25, 13, 0) + dt.timedelta(minutes=r.randrange(0, 240))
    counter = r.randint(40, 60)
    lines: list[str] = []
    if host.platform == "windows":
        query = "pack_inventory_program_changes"
        old = _subset(program_row(CHROME_OLD, "20250114"))
        new = _subset(
            program_row(
                next(p for p in windows_programs(host) if p.name == "Google Chrome"), "20260225"
            )
        )
        lines += [
            event_line(host, query, when, counter, "removed", old),
            event_line(host, query, when, counter, "added", new),
        ]
        if host.name == HISUITE_HOST:
            later = utc(2026, 1, 20, 15, 12, 7)
            lines.insert(
                0,
                event_line(
                    host,
                    query,
                    later,
                    counter - 5,
                    "added",
                    _subset(program_row(HISUITE, "20260120")),
                ),
            )
    elif host.platform == "linux":
        query = "pack_inventory_deb_changes"
        for name in ("libssl3", "openssl"):
            old = _deb_row(
                name, "3.0.14-1~deb12u2", "amd64", "libs" if name == "libssl3" else "utils"
            )
            new = _deb_row(
                name, "3.0.15-1~deb12u1", "amd64", "libs" if name == "libssl3" else "utils"
            )
            lines += [
                event_line(host, query, when, counter, "removed", old),
                event_line(host, query, when, counter, "added", new),
            ]
    else:
        query = "pack_inventory_apps_changes"
        old = _app_row("Google Chrome", "com.google.Chrome", "132.0.6834.160", "Google Chrome")
        new = _app_row("Google Chrome", "com.google.Chrome", "133.0.6943.142", "Google Chrome")
        lines += [
            event_line(host, query, when, counter, "removed", old),
            event_line(host, query, when, counter, "added", new),
        ]
    return lines


def _subset(row: Row) -> Row:
    """The differential query selects four columns of ``programs``."""
    return {k: row[k] for k in ("install_location", "name", "publisher", "version")}


def generate(out: Path) -> list[Path]:
    written: list[Path] = []
    for host in hosts():
        folder = out / "osquery" / host.name
        for name, lines in (
            ("osqueryd.snapshots.log", snapshots(host)),
            ("osqueryd.results.log", changes(host)),
        ):
            write_text(folder / name, "".join(line + "\n" for line in lines))
            written.append(folder / name)
    return written
