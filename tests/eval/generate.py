"""Cases generated from the real data files, driven by sections of the case files.

* ``mac_samples`` and ``registry_negatives``: the IEEE registry (:mod:`tests.eval.registry`);
* ``sbom_components``: every component of the listed SBOM files, one case each,
  and each file as one whole asset; ``sbom_derived``: a real dependency chain
  whose innermost component gets changed fields;
* ``catalog_hard_negatives``: every hard negative in the catalog, as its kind.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import SignatureKind
from rootout.match.normalize import hex_only, simplify
from rootout.model.observation import FIELD_KINDS, AssetKind, ObservationKind
from tests.eval.cases import Case, CaseError, CaseFile, as_datetime, parse_expect
from tests.eval.records import SEED, SHARED_DATA, Generated, negative, observation, slug
from tests.eval.registry import (
    OUI_FILE,
    mac_samples,
    random_mac,
    read_oui,
    registry_negatives,
    universal,
)
from tests.eval.sbom import Component, components, dependency_path

SECTIONS = frozenset(
    {
        "mac_samples",
        "registry_negatives",
        "sbom_components",
        "sbom_derived",
        "catalog_hard_negatives",
    }
)

FIELD_FOR_KIND: dict[SignatureKind, str] = {}
for _name, _kind in FIELD_KINDS.items():
    FIELD_FOR_KIND.setdefault(_kind, _name)

OBSERVATION_FOR_KIND: dict[SignatureKind, ObservationKind] = {
    SignatureKind.PRODUCT_NAME: ObservationKind.PROGRAM,
    SignatureKind.PUBLISHER: ObservationKind.PROGRAM,
    SignatureKind.SIGNER: ObservationKind.FILE,
    SignatureKind.PACKAGE: ObservationKind.PACKAGE,
    SignatureKind.SERVICE: ObservationKind.SERVICE,
    SignatureKind.DRIVER: ObservationKind.DRIVER,
    SignatureKind.PROCESS: ObservationKind.PROCESS,
    SignatureKind.FILE_PATH: ObservationKind.FILE,
    SignatureKind.REGISTRY_KEY: ObservationKind.REGISTRY_KEY,
    SignatureKind.BUNDLE_ID: ObservationKind.PROGRAM,
    SignatureKind.BROWSER_EXTENSION: ObservationKind.BROWSER_EXTENSION,
    SignatureKind.CERT_SUBJECT: ObservationKind.CERTIFICATE,
    SignatureKind.CERT_FINGERPRINT: ObservationKind.CERTIFICATE,
    SignatureKind.CPE: ObservationKind.PROGRAM,
    SignatureKind.PURL: ObservationKind.PACKAGE,
    SignatureKind.MAC_PREFIX: ObservationKind.NETWORK_DEVICE,
    SignatureKind.MODEL_PREFIX: ObservationKind.NETWORK_DEVICE,
    SignatureKind.DNS_DOMAIN: ObservationKind.DNS_QUERY,
}


def sbom_components(spec: Mapping[str, Any], source: CaseFile) -> Generated:
    out = Generated()
    when = as_datetime(spec.get("observed_at"), f"{source.path.name} sbom_components")
    seen: set[tuple[tuple[str, str], ...]] = set()
    for name in spec["files"]:
        path = SHARED_DATA / "sbom" / name
        items = components(path)
        file_id = f"sbom.{slug(path.parent.name)}.{slug(path.name)}"
        for index, comp in enumerate(items):
            key = tuple(sorted(comp.fields.items()))
            if key in seen:
                continue
            seen.add(key)
            out.cases.append(
                negative(
                    f"{file_id}.{index:03d}",
                    "sbom-component",
                    ObservationKind.SBOM_COMPONENT,
                    comp.fields,
                    where=f"shared/data/sbom/{name}",
                    when=when,
                    asset_kind=AssetKind.SBOM,
                    parents=comp.parents,
                    note=f"{comp.label} in {name}",
                )
            )
        whole = tuple(
            observation(
                ObservationKind.SBOM_COMPONENT,
                comp.fields,
                f"{file_id}.whole",
                f"shared/data/sbom/{name}",
                when,
                AssetKind.SBOM,
                comp.parents,
            )
            for comp in items
        )
        out.cases.append(Case(f"{file_id}.whole", "sbom-file", whole, (), None, f"all of {name}"))
    return out


def sbom_derived(items: Sequence[Mapping[str, Any]], source: CaseFile) -> Generated:
    out = Generated()
    for item in items:
        name = str(item["file"])
        where = f"{source.path.name} sbom_derived {item.get('id')!r}"
        chain: list[Component] = dependency_path(SHARED_DATA / "sbom" / name, int(item["depth"]))
        case_id = f"{source.group}.{item['id']}"
        when = as_datetime(item.get("observed_at"), where) or source.observed_at
        observations = []
        for level, comp in enumerate(chain):
            fields = dict(comp.fields)
            if level == len(chain) - 1:
                fields.update({str(k): str(v) for k, v in item["set"].items()})
            parents = tuple(c.label for c in chain[:level])
            observations.append(
                observation(
                    ObservationKind.SBOM_COMPONENT,
                    fields,
                    case_id,
                    f"shared/data/sbom/{name}",
                    when,
                    AssetKind.SBOM,
                    parents,
                )
            )
        path_text = " > ".join(c.label for c in chain)
        out.cases.append(
            Case(
                case_id,
                source.group,
                tuple(observations),
                parse_expect(item.get("expect") or [], where),
                item.get("known_issue"),
                f"{item.get('note', '')} chain: {path_text}".strip(),
            )
        )
    return out


def catalog_hard_negatives(
    spec: Mapping[str, Any], source: CaseFile, oui: Mapping[str, tuple[str, ...]], catalog: Catalog
) -> Generated:
    out = Generated()
    when = as_datetime(spec.get("observed_at"), f"{source.path.name} catalog_hard_negatives")
    by_simple = {simplify(name): name for name in oui}
    for trap in sorted(catalog.hard_negatives.values(), key=lambda n: n.id):
        base = f"catalog-hard-negatives.{trap.id}"
        note = f"{trap.value!r}: {trap.reason}"
        kind = trap.kind
        fields = {FIELD_FOR_KIND[kind]: trap.value}
        if kind is SignatureKind.PACKAGE and "." in trap.value:
            fields["ecosystem"] = "winget"
        if kind is SignatureKind.MAC_PREFIX and len(hex_only(trap.value)) < len(trap.value):
            # a registrant name: its prefixes from the registry, and the name as a publisher
            registrant = by_simple.get(simplify(trap.value))
            if registrant is None:
                out.notes.append(f"hard negative {trap.id}: {trap.value!r} not in registry")
            else:
                rng = random.Random(f"{SEED}:{trap.id}")
                prefixes = [p for p in oui[registrant] if universal(p)][:2]
                for prefix in prefixes:
                    out.cases.append(
                        negative(
                            f"{base}.{prefix.lower()}",
                            "catalog-hard-negatives",
                            ObservationKind.NETWORK_DEVICE,
                            {"mac": random_mac(prefix, rng)},
                            when=when,
                            note=note,
                        )
                    )
            kind = SignatureKind.PUBLISHER
            fields = {"publisher": trap.value}
        out.cases.append(
            negative(
                base,
                "catalog-hard-negatives",
                OBSERVATION_FOR_KIND[kind],
                fields,
                when=when,
                note=note,
            )
        )
    return out


def generate(files: Sequence[CaseFile], catalog: Catalog, oui_path: Path = OUI_FILE) -> Generated:
    """Every generated case of every file's sections."""
    oui = read_oui(oui_path)
    out = Generated()
    labelled = [
        str(item["registrant"]) for f in files for item in f.sections.get("mac_samples", [])
    ]
    for source in files:
        unknown = set(source.sections) - SECTIONS
        if unknown:
            raise CaseError(f"{source.path.name}: unknown sections {sorted(unknown)}")
        parts = [
            mac_samples(source.sections.get("mac_samples", []), source, oui),
            sbom_derived(source.sections.get("sbom_derived", []), source),
        ]
        if "registry_negatives" in source.sections:
            parts.append(
                registry_negatives(
                    source.sections["registry_negatives"], source, oui, catalog, labelled
                )
            )
        if "sbom_components" in source.sections:
            parts.append(sbom_components(source.sections["sbom_components"], source))
        if "catalog_hard_negatives" in source.sections:
            parts.append(
                catalog_hard_negatives(
                    source.sections["catalog_hard_negatives"], source, oui, catalog
                )
            )
        for part in parts:
            out.cases.extend(part.cases)
            out.notes.extend(part.notes)
    return out
