"""Windows programs: real product names and publishers, invented versions and paths.

Product names, publishers, bundle ids, extension ids and package names (here and in
``services.py`` and ``software.py``) are the real ones. Versions, install dates, MSI product codes of non-covered software and
install paths are plausible but invented. Covered-vendor identifiers are the public
ones in ``shared/reference/identifiers.md`` (KES and Network Agent product codes,
``klnagent``, ``klif.sys``, ``kesl``, the Kaspersky Protection extension id).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from .common import (
    AZTECH_HOST,
    HISUITE_HOST,
    KASPA_HOST,
    KES_HOSTS,
    PANGOTERM_HOST,
    RESIDUAL_HOST,
    Host,
    rng,
)

_GUIDS = uuid.UUID("6f6e8a36-2f4b-4d52-9a51-0c7e1b0e4a11")


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    version: str
    publisher: str
    location: str = ""
    msi: bool = False
    uninstall: str = ""
    product_code: str = ""

    def code(self) -> str:
        """The MSI product code: the real one for covered products, else an invented GUID."""
        if self.product_code:
            return self.product_code
        if not self.msi:
            return ""
        return "{" + str(uuid.uuid5(_GUIDS, self.name)).upper() + "}"

    def uninstall_string(self) -> str:
        if self.uninstall:
            return self.uninstall
        return f"MsiExec.exe /X{self.code()}" if self.msi else ""


P = Program
KES = P(
    "Kaspersky Endpoint Security for Windows",
    "12.4.0.467",
    "AO Kaspersky Lab",
    "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\",
    msi=True,
    product_code="{27534751-4A40-48BD-B393-BC3BF28C876E}",
)
NETWORK_AGENT = P(
    "Kaspersky Security Center Network Agent",
    "14.0.0.10902",
    "AO Kaspersky Lab",
    "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\",
    msi=True,
    product_code="{0F05E4E5-5A89-482C-9A62-47CC58643788}",
    uninstall="MsiExec.exe /I{0F05E4E5-5A89-482C-9A62-47CC58643788}",
)
ULTRAAV = P("UltraAV", "1.8.0.4", "", "C:\\Program Files\\UltraAV\\")  # publisher not known
HISUITE = P("HiSuite", "14.0.0.380", "Huawei Technologies Co., Ltd.")
KASPA_WALLET = P("Kaspa Wallet", "0.3.14", "")
PANGOTERM = P("PangoTerm", "1.0.4", "fpaitoo")
AZTECH_UTILITY = P("Aztech Powerline Utility", "1.2.0", "Aztech Electronics Pte Ltd")

WINDOWS_BASE = (
    P(
        "Microsoft Edge",
        "133.0.3065.92",
        "Microsoft Corporation",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
        uninstall='"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\133.0.3065.92\\Installer\\setup.exe" --uninstall --msedge --channel=stable --system-level --verbose-logging',
    ),
    P(
        "Microsoft Edge WebView2 Runtime",
        "133.0.3065.92",
        "Microsoft Corporation",
        "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application",
        uninstall='"C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\133.0.3065.92\\Installer\\setup.exe" --uninstall --msedgewebview --system-level --verbose-logging',
    ),
    P(
        "Microsoft 365 Apps for enterprise - en-us",
        "16.0.18429.20158",
        "Microsoft Corporation",
        "C:\\Program Files\\Microsoft Office",
        uninstall='"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" scenario=install scenariosubtype=ARP sourcetype=None productstoremove=O365ProPlusRetail.16_en-us_x-none culture=en-us version.16=16.0',
    ),
    P(
        "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.42.34433",
        "14.42.34433.0",
        "Microsoft Corporation",
    ),
    P(
        "Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.42.34433",
        "14.42.34433.0",
        "Microsoft Corporation",
    ),
    P("Microsoft Update Health Tools", "5.72.0.0", "Microsoft Corporation", msi=True),
    P("Microsoft Teams Meeting Add-in for Microsoft Office", "1.25.01902", "Microsoft", msi=True),
    P(
        "Google Chrome",
        "133.0.6943.142",
        "Google LLC",
        "C:\\Program Files\\Google\\Chrome\\Application",
        msi=True,
    ),
    P(
        "Adobe Acrobat (64-bit)",
        "24.005.20399",
        "Adobe",
        "C:\\Program Files\\Adobe\\Acrobat DC\\",
        msi=True,
    ),
    P(
        "Zoom Workplace (64-bit)",
        "6.3.11.60501",
        "Zoom Video Communications, Inc.",
        "C:\\Program Files\\Zoom\\bin\\",
        msi=True,
    ),
    P(
        "7-Zip 24.09 (x64)",
        "24.09",
        "Igor Pavlov",
        "C:\\Program Files\\7-Zip\\",
        uninstall='"C:\\Program Files\\7-Zip\\Uninstall.exe"',
    ),
    P(
        "Cisco Secure Client - AnyConnect VPN",
        "5.1.7.80",
        "Cisco Systems, Inc.",
        "C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\",
        msi=True,
    ),
    P(
        "Dell Command | Update for Windows Universal",
        "5.4.0",
        "Dell Inc.",
        "C:\\Program Files\\Dell\\CommandUpdate\\",
        msi=True,
    ),
    P("Intel(R) Chipset Device Software", "10.1.19627.8423", "Intel(R) Corporation", msi=True),
    P("Realtek Audio Driver", "6.0.9600.1", "Realtek Semiconductor Corp.", msi=True),
    P("osquery", "5.15.0", "osquery", "C:\\Program Files\\osquery\\", msi=True),
)
WINDOWS_ROLE = {
    "developer": (
        P("Python 3.12.9 (64-bit)", "3.12.9150.0", "Python Software Foundation", msi=True),
        P(
            "Git",
            "2.48.1",
            "The Git Development Community",
            "C:\\Program Files\\Git\\",
            uninstall='"C:\\Program Files\\Git\\unins000.exe"',
        ),
        P(
            "Microsoft Visual Studio Code",
            "1.97.2",
            "Microsoft Corporation",
            "C:\\Program Files\\Microsoft VS Code\\",
            uninstall='"C:\\Program Files\\Microsoft VS Code\\unins000.exe"',
        ),
        P(
            "PyCharm Community Edition 2024.3.3",
            "243.24978.54",
            "JetBrains s.r.o.",
            "C:\\Program Files\\JetBrains\\PyCharm Community Edition 2024.3.3",
            uninstall="C:\\Program Files\\JetBrains\\PyCharm Community Edition 2024.3.3\\bin\\Uninstall.exe",
        ),
        P("Docker Desktop", "4.38.0", "Docker Inc.", "C:\\Program Files\\Docker\\Docker"),
        P("Node.js", "22.14.0", "Node.js Foundation", "C:\\Program Files\\nodejs\\", msi=True),
    ),
    "it-admin": (
        P(
            "PuTTY release 0.83 (64-bit)",
            "0.83.0.0",
            "Simon Tatham",
            "C:\\Program Files\\PuTTY\\",
            msi=True,
        ),
        P("WinSCP 6.3.7", "6.3.7", "Martin Prikryl", "C:\\Program Files (x86)\\WinSCP\\"),
        P(
            "KeePass Password Safe 2.57.1",
            "2.57.1",
            "Dominik Reichl",
            "C:\\Program Files\\KeePass Password Safe 2\\",
        ),
        P("Notepad++ (64-bit x64)", "8.7.7", "Notepad++ Team", "C:\\Program Files\\Notepad++"),
        P(
            "Wireshark 4.4.3 x64",
            "4.4.3",
            "The Wireshark developer community, https://www.wireshark.org",
        ),
        P("Npcap", "1.80", "Nmap Project", "C:\\Program Files\\Npcap"),
    ),
    "soc-analyst": (
        P(
            "Wireshark 4.4.3 x64",
            "4.4.3",
            "The Wireshark developer community, https://www.wireshark.org",
        ),
        P("Npcap", "1.80", "Nmap Project", "C:\\Program Files\\Npcap"),
        P("Nmap 7.95", "7.95", "Nmap Project", "C:\\Program Files (x86)\\Nmap"),
        P(
            "Mozilla Firefox (x64 en-US)",
            "135.0.1",
            "Mozilla",
            "C:\\Program Files\\Mozilla Firefox",
        ),
        P(
            "KeePass Password Safe 2.57.1",
            "2.57.1",
            "Dominik Reichl",
            "C:\\Program Files\\KeePass Password Safe 2\\",
        ),
    ),
    "finance": (
        P(
            "Java 8 Update 441 (64-bit)",
            "8.0.4410.7",
            "Oracle Corporation",
            "C:\\Program Files\\Java\\jre-1.8\\",
            msi=True,
        ),
        P("Microsoft Power BI Desktop (x64)", "2.140.1078.0", "Microsoft Corporation", msi=True),
    ),
}
WINDOWS_OPTIONAL = (
    P("Notepad++ (64-bit x64)", "8.7.7", "Notepad++ Team", "C:\\Program Files\\Notepad++"),
    P("VLC media player", "3.0.21", "VideoLAN", "C:\\Program Files\\VideoLAN\\VLC"),
    P("Mozilla Firefox (x64 en-US)", "135.0.1", "Mozilla", "C:\\Program Files\\Mozilla Firefox"),
    P("Greenshot 1.2.10.6", "1.2.10.6", "Greenshot", "C:\\Program Files\\Greenshot\\"),
    P("Slack (Machine - MSI)", "4.41.105", "Slack Technologies Inc.", msi=True),
)
CHROME_OLD = P(
    "Google Chrome",
    "132.0.6834.160",
    "Google LLC",
    "C:\\Program Files\\Google\\Chrome\\Application",
    msi=True,
)


def windows_programs(host: Host) -> list[Program]:
    r = rng(f"programs/{host.name}")
    found = list(WINDOWS_BASE)
    found += WINDOWS_ROLE.get(host.role, ())
    if host.role == "office":
        found += r.sample(WINDOWS_OPTIONAL, r.randint(1, 3))
    if host.name in KES_HOSTS:
        found += [KES, NETWORK_AGENT]
    planted = {
        RESIDUAL_HOST: ULTRAAV,
        HISUITE_HOST: HISUITE,
        KASPA_HOST: KASPA_WALLET,
        PANGOTERM_HOST: PANGOTERM,
        AZTECH_HOST: AZTECH_UTILITY,
    }
    if host.name in planted:
        found.append(planted[host.name])
    unique = {p.name: p for p in found}
    return sorted(unique.values(), key=lambda p: p.name.lower())
