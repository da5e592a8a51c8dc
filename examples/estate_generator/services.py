"""Windows services and drivers (the third-party ones osquery reports), with the planted Kaspersky ones."""

from __future__ import annotations

from dataclasses import dataclass

from .common import KES_HOSTS, RESIDUAL_HOST, Host


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    display: str
    path: str
    start: str = "AUTO_START"
    status: str = "RUNNING"
    account: str = "LocalSystem"


S = Service
_CHROME_APP = "C:\\Program Files\\Google\\Chrome\\Application\\133.0.6943.142"
_EDGE_APP = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\133.0.3065.92"
WINDOWS_SERVICES = (
    S(
        "osqueryd",
        "osqueryd",
        '"C:\\Program Files\\osquery\\osqueryd\\osqueryd.exe" --flagfile="C:\\Program Files\\osquery\\osquery.flags" --service',
    ),
    S(
        "edgeupdate",
        "Microsoft Edge Update Service (edgeupdate)",
        '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /svc',
        status="STOPPED",
    ),
    S(
        "edgeupdatem",
        "Microsoft Edge Update Service (edgeupdatem)",
        '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /medsvc',
        "DEMAND_START",
        "STOPPED",
    ),
    S(
        "MicrosoftEdgeElevationService",
        "Microsoft Edge Elevation Service (MicrosoftEdgeElevationService)",
        f'"{_EDGE_APP}\\elevation_service.exe"',
        "DEMAND_START",
        "STOPPED",
    ),
    S(
        "GoogleChromeElevationService",
        "Google Chrome Elevation Service (GoogleChromeElevationService)",
        f'"{_CHROME_APP}\\elevation_service.exe"',
        "DEMAND_START",
        "STOPPED",
    ),
    S(
        "gupdate",
        "Google Update Service (gupdate)",
        '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /svc',
        status="STOPPED",
    ),
    S(
        "AdobeARMservice",
        "Adobe Acrobat Update Service",
        '"C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\armsvc.exe"',
    ),
    S(
        "ClickToRunSvc",
        "Microsoft Office Click-to-Run Service",
        '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" /service',
    ),
    S(
        "csc_vpnagent",
        "Cisco Secure Client - AnyConnect VPN Agent",
        '"C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\csc_vpnagent.exe"',
    ),
    S(
        "DellClientManagementService",
        "Dell Client Management Service",
        '"C:\\Program Files (x86)\\Dell\\UpdateService\\ServiceShell.exe"',
    ),
    S(
        "WinDefend",
        "Microsoft Defender Antivirus Service",
        '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.25010.11-0\\MsMpEng.exe"',
    ),
    S(
        "Sense",
        "Windows Defender Advanced Threat Protection Service",
        '"C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe"',
    ),
    S("Spooler", "Print Spooler", "C:\\Windows\\System32\\spoolsv.exe"),
    S(
        "RtkAudioUniversalService",
        "Realtek Audio Universal Service",
        '"C:\\Windows\\System32\\RtkAudUService64.exe"',
    ),
)
DOCKER_SERVICE = S(
    "com.docker.service",
    "Docker Desktop Service",
    '"C:\\Program Files\\Docker\\Docker\\com.docker.service"',
    "DEMAND_START",
    "STOPPED",
)
KLNAGENT = S(
    "klnagent",
    "Kaspersky Security Center Network Agent",
    '"C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\klnagent.exe"',
)
KLNAGENT_LEFTOVER = S(KLNAGENT.name, KLNAGENT.display, KLNAGENT.path, "AUTO_START", "STOPPED")


def windows_services(host: Host) -> list[Service]:
    found = list(WINDOWS_SERVICES)
    if host.role == "developer":
        found.append(DOCKER_SERVICE)
    if host.name in KES_HOSTS:
        found.append(KLNAGENT)
    if host.name == RESIDUAL_HOST:
        found.append(KLNAGENT_LEFTOVER)
    return sorted(found, key=lambda s: s.name.lower())


@dataclass(frozen=True, slots=True)
class Driver:
    device_id: str
    name: str
    image: str
    service: str
    provider: str
    device_class: str
    inf: str
    version: str
    date: str


D = Driver
_DRV = "C:\\Windows\\System32\\drivers\\"
WINDOWS_DRIVERS = (
    D(
        "PCI\\VEN_8086&DEV_15FB&SUBSYS_0B791028&REV_20\\3&11583659&0&FE",
        "Intel(R) Ethernet Connection (13) I219-LM",
        _DRV + "e1d68x64.sys",
        "e1dexpress",
        "Intel",
        "Net",
        "oem23.inf",
        "12.19.2.60",
        "2024-01-03",
    ),
    D(
        "PCI\\VEN_8086&DEV_51F1&SUBSYS_00948086&REV_01\\3&11583659&0&A3",
        "Intel(R) Wi-Fi 6E AX211 160MHz",
        _DRV + "Netwtw14.sys",
        "Netwtw14",
        "Intel",
        "Net",
        "oem41.inf",
        "23.110.0.5",
        "2024-12-03",
    ),
    D(
        "PCI\\VEN_8086&DEV_A7A0&SUBSYS_0B791028&REV_04\\3&11583659&0&10",
        "Intel(R) Iris(R) Xe Graphics",
        _DRV + "igdkmdn64.sys",
        "igfxn",
        "Intel Corporation",
        "Display",
        "oem52.inf",
        "31.0.101.5590",
        "2024-06-17",
    ),
    D(
        "PCI\\VEN_8086&DEV_51E0&SUBSYS_0B791028&REV_01\\3&11583659&0&B0",
        "Intel(R) Management Engine Interface #1",
        _DRV + "TeeDriverW10x64.sys",
        "MEIx64",
        "Intel",
        "System",
        "oem17.inf",
        "2406.5.5.0",
        "2024-03-11",
    ),
    D(
        "INTELAUDIO\\FUNC_01&VEN_10EC&DEV_0257&SUBSYS_10280B79&REV_1000\\5&2C1B1B1&0&0001",
        "Realtek(R) Audio",
        _DRV + "RTKVHD64.sys",
        "IntcAzAudAddService",
        "Realtek Semiconductor Corp.",
        "MEDIA",
        "oem33.inf",
        "6.0.9600.1",
        "2024-05-20",
    ),
    D(
        "ROOT\\NET\\0000",
        "Cisco Secure Client Virtual Miniport Adapter for Windows x64",
        _DRV + "vpnva64-6.sys",
        "vpnva",
        "Cisco Systems",
        "Net",
        "oem61.inf",
        "5.1.7.80",
        "2024-11-19",
    ),
)
NPCAP = D(
    "ROOT\\NET\\0001",
    "Npcap Packet Driver (NPCAP)",
    _DRV + "npcap.sys",
    "npcap",
    "Nmap Project",
    "NetService",
    "oem70.inf",
    "14.14.50.641",
    "2024-10-18",
)
KLIF = D(
    "ROOT\\LEGACY_KLIF\\0000",
    "Kaspersky Lab KLIF Driver",
    _DRV + "klif.sys",
    "klif",
    "Kaspersky Lab",
    "LegacyDriver",
    "",
    "12.4.0.467",
    "",
)


def windows_drivers(host: Host) -> list[Driver]:
    found = list(WINDOWS_DRIVERS)
    if host.role in ("it-admin", "soc-analyst"):
        found.append(NPCAP)
    if host.name in KES_HOSTS or host.name == RESIDUAL_HOST:
        found.append(KLIF)
    return found
