"""Cases from the IEEE registry: covered registrants' MACs, and every other registrant.

* ``mac_samples``: for a covered registrant (exact IEEE spelling), ``count`` of its
  prefixes drawn at random, each completed with random host bytes; plus one
  locally administered twin of the first (a negative).
* ``registry_negatives``: every other registrant in the registry, as a publisher
  and as one MAC from one of its prefixes. Registrants whose normalised name is a
  name or alias of a covered-group entity are left out (they are covered, or
  labelled by hand), and so are the ones listed under ``exclude``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import EmbeddingKind
from rootout.match.normalize import hex_only, org_name
from rootout.model.observation import ObservationKind
from tests.eval.cases import Case, CaseError, CaseFile, as_datetime, parse_expect
from tests.eval.records import SEED, SHARED_DATA, Generated, negative, observation, slug

OUI_FILE = SHARED_DATA / "oui" / "ieee-oui.txt"


def read_oui(path: Path = OUI_FILE) -> dict[str, tuple[str, ...]]:
    """Registrant (exact spelling) -> its prefixes, from an arp-scan ``ieee-oui.txt``."""
    found: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prefix, _, registrant = line.partition("\t")
        found[registrant.strip()].append(prefix.strip().upper())
    return {name: tuple(sorted(prefixes)) for name, prefixes in found.items()}


def universal(prefix: str) -> bool:
    """Universally administered and unicast: the two low bits of the first octet clear."""
    return int(prefix[:2], 16) & 0x03 == 0


def random_mac(prefix: str, rng: random.Random) -> str:
    digits = prefix + "".join(rng.choice("0123456789ABCDEF") for _ in range(12 - len(prefix)))
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def locally_administered(mac: str) -> str:
    digits = hex_only(mac)
    first = f"{int(digits[:2], 16) | 0x02:02X}"
    return ":".join((first + digits[2:])[i : i + 2] for i in range(0, 12, 2))


# -- covered group: registrants that must not be auto-labelled negative -----------------


def covered_group(catalog: Catalog) -> frozenset[str]:
    """Designated entities, everything related to one (any date, either direction), and
    makers of products that embed covered hardware (``odm_hardware``)."""
    links: dict[str, set[str]] = defaultdict(set)
    for relation in catalog.relations.values():
        links[relation.subject].add(relation.object)
        links[relation.object].add(relation.subject)
    group: set[str] = set()
    todo = [d.entity for d in catalog.designations.values()]
    while todo:
        entity_id = todo.pop()
        if entity_id not in group:
            group.add(entity_id)
            todo.extend(links[entity_id])
    for embedding in catalog.embeddings.values():
        host = catalog.products.get(embedding.host_product)
        if host and embedding.kind is EmbeddingKind.ODM_HARDWARE:
            group.add(host.entity)
    return frozenset(group)


def covered_names(catalog: Catalog) -> dict[str, str]:
    """org_name of every name and alias of a covered-group entity -> the entity id."""
    group = covered_group(catalog)
    names: dict[str, str] = {}
    for entity_id in sorted(group):
        entity = catalog.entities[entity_id]
        for name in (entity.name, *entity.aliases):
            names.setdefault(org_name(name), entity_id)
    return names


def mac_samples(
    items: Sequence[Mapping[str, Any]], source: CaseFile, oui: Mapping[str, tuple[str, ...]]
) -> Generated:
    out = Generated()
    for item in items:
        registrant = str(item["registrant"])
        where = f"{source.path.name} mac_samples {registrant!r}"
        prefixes = [p for p in oui.get(registrant, ()) if universal(p)]
        if not prefixes:
            raise CaseError(f"{where}: registrant not in the registry (exact spelling)")
        when = as_datetime(item.get("observed_at"), where) or source.observed_at
        rng = random.Random(f"{SEED}:{registrant}:{when}")
        chosen = sorted(rng.sample(prefixes, min(int(item.get("count", 1)), len(prefixes))))
        expected = parse_expect(item.get("expect") or [], where)
        stamp = when.strftime("%Y%m%d") if when else "today"
        macs = [random_mac(prefix, rng) for prefix in chosen]
        for prefix, mac in zip(chosen, macs, strict=True):
            case_id = f"{source.group}.{slug(registrant)}.{stamp}.{prefix.lower()}"
            fields = {"mac": mac}
            obs = observation(ObservationKind.NETWORK_DEVICE, fields, case_id, where, when)
            out.cases.append(
                Case(
                    case_id,
                    source.group,
                    (obs,),
                    expected,
                    item.get("known_issue"),
                    f"{registrant} {prefix} (ieee-oui.txt); {item.get('note', '')}".strip(),
                )
            )
        if expected:
            case_id = f"local-mac.{slug(registrant)}.{stamp}.{chosen[0].lower()}"
            local = locally_administered(macs[0])
            out.cases.append(
                negative(
                    case_id,
                    "local-mac",
                    ObservationKind.NETWORK_DEVICE,
                    {"mac": local},
                    where=where,
                    when=when,
                    note=f"{registrant} prefix {chosen[0]} with the locally administered bit set",
                )
            )
    return out


def registry_negatives(
    spec: Mapping[str, Any],
    source: CaseFile,
    oui: Mapping[str, tuple[str, ...]],
    catalog: Catalog,
    labelled: Iterable[str],
) -> Generated:
    out = Generated()
    where = f"{source.path.name} registry_negatives"
    when = as_datetime(spec.get("observed_at"), where) or source.observed_at
    excluded = {str(e["registrant"]): str(e["reason"]) for e in spec.get("exclude", [])}
    issues = {
        str(registrant): str(item["issue"])
        for item in spec.get("publisher_known_issues", [])
        for registrant in item["registrants"]
    }
    missing = sorted((set(excluded) | set(issues)) - set(oui))
    if missing:
        raise CaseError(f"{where}: registrants not in the registry: {missing}")
    names = covered_names(catalog)
    labelled = set(labelled)
    skipped_covered: list[str] = []
    index = 0
    for registrant in sorted(oui):
        if registrant in labelled or registrant in excluded:
            continue
        if org_name(registrant) in names:
            skipped_covered.append(f"{registrant} ({names[org_name(registrant)]})")
            continue
        index += 1
        note = f"IEEE registrant {registrant!r}"
        publisher = negative(
            f"registry.{index:05d}.publisher",
            "registry-publisher",
            ObservationKind.PROGRAM,
            {"publisher": registrant},
            where=where,
            when=when,
            note=note,
        )
        out.cases.append(replace(publisher, known_issue=issues.get(registrant)))
        prefixes = [p for p in oui[registrant] if universal(p)]
        if prefixes:
            rng = random.Random(f"{SEED}:{registrant}")
            prefix = rng.choice(prefixes)
            out.cases.append(
                negative(
                    f"registry.{index:05d}.mac",
                    "registry-mac",
                    ObservationKind.NETWORK_DEVICE,
                    {"mac": random_mac(prefix, rng)},
                    where=where,
                    when=when,
                    note=f"{note}, prefix {prefix}",
                )
            )
    out.notes.append(
        f"registry negatives: {index} registrants as publisher and MAC; left out: "
        f"{len(labelled)} labelled by hand, {len(excluded)} excluded "
        f"({'; '.join(f'{k}: {v}' for k, v in sorted(excluded.items()))}), "
        f"{len(skipped_covered)} named like a covered-group entity without a hand label"
        + (f" ({', '.join(skipped_covered)})" if skipped_covered else "")
    )
    return out
