"""Two SBOMs of products the agency runs.

* ``sbom/acme-secure-mail-gateway-5.2.1.cdx.json`` (CycloneDX 1.5 JSON, syft-style):
  a fictional mail gateway whose content scanner embeds an anti-virus engine
  supplied by AO Kaspersky Lab, three levels down the component tree.
* ``sbom/example-case-tracker-3.4.0.spdx.json`` (SPDX 2.3 JSON): a fictional case
  tracker built on Dropwizard, with no covered component.

The open-source components (names, versions, publishers, hashes, licences, purls)
are copied from the real Dropwizard 1.3.15 SBOM in
``shared/data/sbom/cyclonedx/dropwizard-1.3.15/bom.json`` (CycloneDX bom-examples,
CC0-1.0). The products, their own components and the Kaspersky engine's place in
them are invented; they assert no real OEM relation.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from .common import SHARED_DATA, rng, words, write_text

DROPWIZARD = SHARED_DATA / "sbom" / "cyclonedx" / "dropwizard-1.3.15" / "bom.json"
ACME = {"name": "Acme Example Systems, Inc.", "url": ["https://acme.example/"]}
GATEWAY_LIBS = words(
    "jackson-databind jackson-core jackson-annotations guava slf4j-api logback-classic "
    "logback-core jetty-server jetty-http jetty-io jetty-util jersey-server jersey-common "
    "hibernate-validator commons-lang3 snakeyaml"
)
TRACKER_LIBS = words(
    "dropwizard-core dropwizard-jersey dropwizard-jetty dropwizard-db dropwizard-hibernate "
    "dropwizard-migrations hibernate-core liquibase-core jdbi3-core h2 tomcat-jdbc freemarker "
    "jackson-databind jackson-core guava logback-classic slf4j-api jetty-server jersey-server "
    "httpclient httpcore commons-lang3 snakeyaml joda-time amqp-client"
)
DEBIAN = (
    ("libc6", "2.36-9+deb12u9", "GNU Libc Maintainers <debian-glibc@lists.debian.org>"),
    (
        "openssl",
        "3.0.11-1~deb12u2",
        "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>",
    ),
    ("postfix", "3.7.10-0+deb12u1", "Debian Postfix Team <team+postfix@tracker.debian.org>"),
    ("zlib1g", "1:1.2.13.dfsg-1", "Mark Brown <broonie@debian.org>"),
    ("ca-certificates", "20230311", "Julien Cristau <jcristau@debian.org>"),
)


def dropwizard_components() -> dict[str, dict[str, Any]]:
    data = json.loads(DROPWIZARD.read_text(encoding="utf-8"))
    return {c["name"]: c for c in data["components"]}


def _maven(component: dict[str, Any]) -> dict[str, Any]:
    """A Dropwizard SBOM component, trimmed to SHA-1/SHA-256 and the fields syft writes."""
    kept: dict[str, Any] = {"bom-ref": component["purl"], "type": component["type"]}
    for key in ("publisher", "group", "name", "version", "description"):
        if key in component:
            kept[key] = component[key]
    kept["hashes"] = [h for h in component["hashes"] if h["alg"] in ("SHA-1", "SHA-256")]
    if component.get("licenses"):
        kept["licenses"] = component["licenses"]
    kept["purl"] = component["purl"]
    return kept


def _deb(name: str, version: str, maintainer: str) -> dict[str, Any]:
    purl = f"pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"
    return {
        "bom-ref": purl,
        "type": "library",
        "publisher": maintainer,
        "name": name,
        "version": version,
        "purl": purl,
        "properties": [
            {"name": "syft:package:type", "value": "deb"},
            {"name": "syft:location:0:path", "value": "/var/lib/dpkg/status"},
        ],
    }


def _kaspersky_engine() -> dict[str, Any]:
    digest = rng("sbom/kav-sdk").getrandbits(256)
    return {
        "bom-ref": "acme-mgw:kav-sdk",
        "type": "library",
        "supplier": {"name": "AO Kaspersky Lab", "url": ["https://www.kaspersky.com/"]},
        "publisher": "AO Kaspersky Lab",
        "name": "Kaspersky Anti-Virus SDK",
        "version": "8.0",
        "description": "Anti-virus scan engine linked into the content scanner",
        "purl": "pkg:generic/kaspersky/kav-sdk@8.0",
        "hashes": [{"alg": "SHA-256", "content": f"{digest:064x}"}],
        "properties": [{"name": "syft:package:type", "value": "binary"}],
    }


def _acme(name: str, kind: str, children: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "bom-ref": f"acme-mgw:{name}",
        "type": kind,
        "supplier": ACME,
        "group": "com.acme.mgw",
        "name": name,
        "version": "5.2.1",
        "purl": f"pkg:maven/com.acme.mgw/{name}@5.2.1?type=jar",
        "components": children,
    }


def mail_gateway() -> dict[str, Any]:
    libs = dropwizard_components()
    scanner = _acme(
        "mgw-content-scanner", "library", [_kaspersky_engine(), _maven(libs["jackson-databind"])]
    )
    console = _acme("mgw-admin-console", "application", [_maven(libs[n]) for n in GATEWAY_LIBS])
    core = _acme("mgw-core", "application", [scanner, console])
    os_component = {
        "bom-ref": "os:debian-12",
        "type": "operating-system",
        "name": "debian",
        "version": "12",
        "description": "Debian GNU/Linux 12 (bookworm)",
        "swid": {"tagId": "debian", "name": "debian", "version": "12"},
    }
    debs = [_deb(*d) for d in DEBIAN]
    refs = [c["bom-ref"] for c in console["components"]]
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.UUID(int=rng('sbom/acme').getrandbits(128), version=4)}",
        "version": 1,
        "metadata": {
            "timestamp": "2025-06-02T14:05:31Z",
            "lifecycles": [{"phase": "build"}],
            "tools": {
                "components": [
                    {
                        "type": "application",
                        "author": "anchore",
                        "name": "syft",
                        "version": "1.26.1",
                    }
                ]
            },
            "component": {
                "bom-ref": "acme-secure-mail-gateway",
                "type": "application",
                "supplier": ACME,
                "group": "com.acme.mgw",
                "name": "Acme Secure Mail Gateway",
                "version": "5.2.1",
                "purl": "pkg:generic/acme/secure-mail-gateway@5.2.1",
            },
            "manufacture": {"name": ACME["name"]},
        },
        "components": [core, os_component, *debs],
        "dependencies": [
            {"ref": "acme-secure-mail-gateway", "dependsOn": ["acme-mgw:mgw-core", "os:debian-12"]},
            {
                "ref": "acme-mgw:mgw-core",
                "dependsOn": ["acme-mgw:mgw-content-scanner", "acme-mgw:mgw-admin-console"],
            },
            {
                "ref": "acme-mgw:mgw-content-scanner",
                "dependsOn": [c["bom-ref"] for c in scanner["components"]],
            },
            {"ref": "acme-mgw:mgw-admin-console", "dependsOn": refs},
        ],
    }


def _spdx_licence(component: dict[str, Any]) -> str:
    ids = [
        entry["license"]["id"]
        for entry in component.get("licenses", [])
        if "id" in entry.get("license", {})
    ]
    return " OR ".join(ids) if ids else "NOASSERTION"


def _spdx_package(component: dict[str, Any]) -> dict[str, Any]:
    checksums = {"SHA-1": "SHA1", "SHA-256": "SHA256"}
    licence = _spdx_licence(component)
    package: dict[str, Any] = {
        "SPDXID": f"SPDXRef-Package-maven-{component['group']}-{component['name']}".replace(
            "_", "-"
        ),
        "name": component["name"],
        "versionInfo": component["version"],
        "supplier": f"Organization: {component['publisher']}"
        if component.get("publisher")
        else "NOASSERTION",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "checksums": [
            {"algorithm": checksums[h["alg"]], "checksumValue": h["content"]}
            for h in component["hashes"]
            if h["alg"] in checksums
        ],
        "licenseConcluded": licence,
        "licenseDeclared": licence,
        "copyrightText": "NOASSERTION",
        "externalRefs": [
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": component["purl"],
            }
        ],
        "primaryPackagePurpose": "LIBRARY",
    }
    return package


def case_tracker() -> dict[str, Any]:
    libs = dropwizard_components()
    root_id = "SPDXRef-Package-example-case-tracker"
    packages = [_spdx_package(libs[name]) for name in TRACKER_LIBS]
    namespace = uuid.UUID(int=rng("sbom/tracker").getrandbits(128), version=4)
    root = {
        "SPDXID": root_id,
        "name": "Example Case Tracker",
        "versionInfo": "3.4.0",
        "supplier": "Organization: Example Software Corp (synthetic)",
        "originator": "Organization: Example Software Corp (synthetic)",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "APPLICATION",
    }
    relationships = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": root_id,
        }
    ]
    relationships += [
        {
            "spdxElementId": root_id,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": p["SPDXID"],
        }
        for p in packages
    ]
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "example-case-tracker-3.4.0",
        "documentNamespace": f"https://example.com/spdxdocs/example-case-tracker-3.4.0-{namespace}",
        "creationInfo": {
            "created": "2025-09-15T10:22:48Z",
            "creators": ["Organization: Example Software Corp (synthetic)"],
            "licenseListVersion": "3.25",
        },
        "documentDescribes": [root_id],
        "packages": [root, *packages],
        "relationships": relationships,
    }


def generate(out: Path) -> list[Path]:
    written = []
    for name, document in (
        ("acme-secure-mail-gateway-5.2.1.cdx.json", mail_gateway()),
        ("example-case-tracker-3.4.0.spdx.json", case_tracker()),
    ):
        path = out / "sbom" / name
        write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
