"""Browser extensions, Mac apps and Debian packages (real names and ids, invented versions)."""

from __future__ import annotations

from dataclasses import dataclass

from .common import KASPERSKY_EXTENSION_MAC, KESL_SERVER, Host, rng


@dataclass(frozen=True, slots=True)
class Extension:
    identifier: str
    name: str
    version: str
    author: str = ""
    description: str = ""


E = Extension
DOCS_OFFLINE = E(
    "ghbmnnjooekpmoecnnnilnnbdlolhkhi",
    "Google Docs Offline",
    "1.89.1",
    "",
    "Edit, create, and view your documents, spreadsheets, and presentations - all without internet access.",
)
ACROBAT_EXT = E(
    "efaidnbmnnnibpcajpcglclefindmkaj",
    "Adobe Acrobat: PDF edit, convert, sign tools",
    "25.1.1.0",
    "Adobe Inc.",
    "Do more in Google Chrome with Adobe Acrobat PDF tools.",
)
UBO_LITE = E(
    "ddkjiahejlhfcafbddmgiahcphecmpfh",
    "uBlock Origin Lite",
    "2025.216.1720",
    "Raymond Hill",
    "An efficient content blocker.",
)
TRANSLATE = E(
    "aapbdbdomjkkjkaonfhkkikfgjllcleb",
    "Google Translate",
    "2.0.16",
    "",
    "View translations easily as you browse the web.",
)
KASPERSKY_PROTECTION = E(
    "ahkjpbeeocnddjkakilopmfdlnjdpcdm", "Kaspersky Protection", "4.0.59.1", "", ""
)


def chrome_extensions(host: Host) -> list[Extension]:
    r = rng(f"extensions/{host.name}")
    found = [DOCS_OFFLINE]
    found += [e for e in (ACROBAT_EXT, UBO_LITE, TRANSLATE) if r.random() < 0.5]
    if host.name == KASPERSKY_EXTENSION_MAC:
        found.append(KASPERSKY_PROTECTION)
    return found


@dataclass(frozen=True, slots=True)
class MacApp:
    name: str
    bundle_id: str
    version: str
    executable: str


M = MacApp
MAC_APPS = (
    M("Google Chrome", "com.google.Chrome", "133.0.6943.142", "Google Chrome"),
    M("Microsoft Word", "com.microsoft.Word", "16.94", "Microsoft Word"),
    M("Microsoft Excel", "com.microsoft.Excel", "16.94", "Microsoft Excel"),
    M("Microsoft Outlook", "com.microsoft.Outlook", "16.94", "Microsoft Outlook"),
    M("Microsoft Teams", "com.microsoft.teams2", "25031.805.3440.5290", "MSTeams"),
    M("zoom.us", "us.zoom.xos", "6.3.11", "zoom.us"),
    M("Slack", "com.tinyspeck.slackmacgap", "4.41.105", "Slack"),
    M("Safari", "com.apple.Safari", "18.3", "Safari"),
    M("Keynote", "com.apple.iWork.Keynote", "14.3", "Keynote"),
    M("osquery", "io.osquery.agent", "5.15.0", "osqueryd"),
)
MAC_ROLE = {
    "design": (
        M("Adobe Photoshop 2025", "com.adobe.Photoshop", "26.3.0", "Adobe Photoshop 2025"),
        M("Figma", "com.figma.Desktop", "124.7.4", "Figma"),
    ),
    "developer": (
        M("Visual Studio Code", "com.microsoft.VSCode", "1.97.2", "Electron"),
        M("iTerm", "com.googlecode.iterm2", "3.5.11", "iTerm2"),
        M("Docker", "com.docker.docker", "4.38.0", "Docker Desktop"),
    ),
}


def mac_apps(host: Host) -> list[MacApp]:
    return sorted([*MAC_APPS, *MAC_ROLE.get(host.role, ())], key=lambda a: a.name.lower())


DEB_BASE = (
    ("adduser", "3.134", "all", "admin"),
    ("apt", "2.6.1", "amd64", "admin"),
    ("base-files", "12.4+deb12u9", "amd64", "admin"),
    ("bash", "5.2.15-2+b7", "amd64", "shells"),
    ("ca-certificates", "20230311", "all", "misc"),
    ("coreutils", "9.1-1", "amd64", "utils"),
    ("curl", "7.88.1-10+deb12u8", "amd64", "web"),
    ("libc6", "2.36-9+deb12u9", "amd64", "libs"),
    ("libssl3", "3.0.15-1~deb12u1", "amd64", "libs"),
    ("openssh-server", "1:9.2p1-2+deb12u4", "amd64", "net"),
    ("openssl", "3.0.15-1~deb12u1", "amd64", "utils"),
    ("osquery", "5.15.0-1.linux", "amd64", "default"),
    ("python3", "3.11.2-1+b1", "amd64", "python"),
    ("rsyslog", "8.2302.0-1", "amd64", "admin"),
    ("sudo", "1.9.13p3-1+deb12u1", "amd64", "admin"),
    ("systemd", "252.33-1~deb12u1", "amd64", "admin"),
    ("tzdata", "2024b-0+deb12u1", "all", "localization"),
    ("unattended-upgrades", "2.9.1+nmu3", "all", "admin"),
    ("vim", "2:9.0.1378-2", "amd64", "editors"),
    ("zlib1g", "1:1.2.13.dfsg-1", "amd64", "libs"),
)
DEB_ROLE = {
    "web": (("nginx", "1.22.1-9", "amd64", "httpd"), ("certbot", "2.1.0-4", "all", "web")),
    "database": (("postgresql-15", "15.10-0+deb12u1", "amd64", "database"),),
    "files": (
        ("samba", "2:4.17.12+dfsg-0+deb12u1", "amd64", "net"),
        ("kesl", "10.0.0-3458", "amd64", ""),
    ),
    "mail": (
        ("postfix", "3.7.10-0+deb12u1", "amd64", "mail"),
        ("dovecot-imapd", "1:2.3.19.1+dfsg1-2.1+deb12u1", "amd64", "mail"),
    ),
}


def deb_packages(host: Host) -> list[tuple[str, str, str, str]]:
    found = [*DEB_BASE, *DEB_ROLE.get(host.role, ())]
    if host.name != KESL_SERVER:
        found = [p for p in found if p[0] != "kesl"]
    return sorted(found)
