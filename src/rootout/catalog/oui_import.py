"""Generate the ``mac-prefixes`` pack from an IEEE registry file.

MAC prefixes are generated, never typed. Each registry assignment whose
registrant name equals, after :func:`~rootout.match.normalize.org_name`, the name
or an alias of a catalog entity becomes a prefix of that entity; a registrant that
equals any hard negative's value (after :func:`~rootout.match.normalize.simplify`,
which keeps legal forms) is skipped as a known trap. Equality is on the whole
normalised name, never a substring, so "Shanghai Dahua Scale Factory" cannot become
Zhejiang Dahua. Only entities in a covered group (:func:`covered_group`) get prefixes.

The output is sorted and rendered the same way every time, so regenerating from
the same file is a no-op, and it is written atomically (temporary file + rename).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rootout.catalog.catalog import Catalog, assemble
from rootout.catalog.loader import BUILTIN_PACKS, builtin_pack_paths, pack_paths, read_packs
from rootout.catalog.model import EmbeddingKind
from rootout.catalog.oui import Assignment, Block, Registry, read_registry
from rootout.errors import CatalogError, ConfigError, InputError, Location
from rootout.match.normalize import org_name, simplify

DEFAULT_PACK = "mac-prefixes"
BUILTIN_OUTPUT = BUILTIN_PACKS / f"{DEFAULT_PACK}.yaml"
_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
IEEE_REGISTRY_URL = "https://standards-oui.ieee.org/oui/oui.csv"

SHIPPED_SHA256 = "cdd0adf375f2f7d87607963f4856322259744afa06974d921c80cc0d72e3e787"
"""SHA-256 of ``data/oui/ieee-oui.txt`` (arp-scan, generated 2025-01-29): see data/SOURCES.md."""

ARP_SCAN_SOURCE: dict[str, str] = {
    "id": "src.ieee-oui-arp-scan",
    "url": "https://github.com/royhills/arp-scan/blob/a0466d5fc7fa8a1e5625b7aae568ffb384e3f5a5/ieee-oui.txt",
    "title": "ieee-oui.txt: IEEE Ethernet OUI-Vendor mapping file for arp-scan",
    "publisher": "royhills/arp-scan (GitHub); registry data by the IEEE Registration Authority",
    "date": "2025-01-29",
    "reliability": "official",
    "notes": "The IEEE Registration Authority's public MA-L/MA-M/MA-S/IAB registry, reformatted by "
    "arp-scan's get-oui on 2025-01-29 (file SHA-256 " + SHIPPED_SHA256 + "; repository GPL-3.0). "
    "Copy in data/oui/ieee-oui.txt.",
}


@dataclass(frozen=True)
class NameIndex:
    """Entity names and aliases, and hard-negative values, as the keys they are compared on.

    Entities are keyed by :func:`org_name` (legal forms dropped). Traps are keyed by
    :func:`simplify` (legal forms kept), so the trap "Teltronic AG" does not also
    swallow "Teltronic S.A.U.", whose ``org_name`` is the same.
    """

    entities: dict[str, tuple[str, ...]]
    exact: frozenset[str]  # simplify() of every entity name and alias
    traps: dict[str, str]  # simplify(value) -> hard negative id
    eligible: frozenset[str]  # entities whose hardware can matter: see covered_group()


@dataclass(frozen=True)
class EntityBlock:
    """The prefixes of one entity in one block, with the registrant spellings seen."""

    entity_id: str
    block: Block
    prefixes: tuple[str, ...]
    spellings: tuple[tuple[str, int], ...]  # registrant as written, number of prefixes


@dataclass(frozen=True)
class Skipped:
    """Registrants not turned into prefixes: a trap, or a name two entities share."""

    registrant: str
    reason: str
    assignments: int


@dataclass(frozen=True)
class Resolution:
    blocks: tuple[EntityBlock, ...]
    skipped: tuple[Skipped, ...]
    loose: tuple[tuple[str, str], ...]  # (registrant, entity id) equal only once legal forms drop


@dataclass(frozen=True)
class ImportReport:
    """What ``import-oui`` read, resolved and wrote."""

    registry: Registry
    registry_date: dt.date
    output: Path
    changed: bool
    resolution: Resolution

    def prefixes_by_entity(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for block in self.resolution.blocks:
            counts[block.entity_id] += len(block.prefixes)
        return dict(sorted(counts.items()))


# -- the catalog the names are resolved against ------------------------------------------


def resolution_catalog(
    extra: Iterable[Path] = (), *, builtin: bool = True, exclude: Iterable[Path] = ()
) -> Catalog:
    """The catalog without any generated MAC pack: built-in packs (optional) plus ``extra``.

    Dangling references do not stop an import: names resolve the same without them, and
    other packs may cite the registry source that only the generated pack defines.
    ``rootout catalog lint`` still reports them.
    """
    skip = {p.resolve() for p in exclude} | {BUILTIN_OUTPUT.resolve()}
    paths = pack_paths([*(builtin_pack_paths() if builtin else []), *extra])
    result = read_packs([p for p in paths if p.resolve() not in skip], builtin=builtin)
    catalog, problems = assemble(result)
    errors = [p for p in problems if p.severity == "error" and p.code != "dangling-ref"]
    if errors:
        raise CatalogError(errors)
    return catalog


def name_index(catalog: Catalog) -> NameIndex:
    entities: dict[str, set[str]] = defaultdict(set)
    exact: set[str] = set()
    for entity in catalog.entities.values():
        for name in (entity.name, *entity.aliases):
            entities[org_name(name)].add(entity.id)
            exact.add(simplify(name))
    negatives = sorted(catalog.hard_negatives.values(), key=lambda n: n.id, reverse=True)
    traps = {simplify(n.value): n.id for n in negatives}  # the first id wins on a repeat
    keyed = {k: tuple(sorted(v)) for k, v in entities.items() if k}
    return NameIndex(keyed, frozenset(exact), traps, covered_group(catalog))


def covered_group(catalog: Catalog) -> frozenset[str]:
    """Entities whose MAC prefixes are worth a signature.

    Those are the designated entities, every entity linked to one through relations (any
    kind, any date, either direction: a former subsidiary still made the old hardware),
    and the makers of products that embed a grouped entity's hardware (``odm_hardware``).
    A third party that is in the catalog only as the host of embedded software (say
    Microsoft) is not: its network cards say nothing about covered technology.
    """
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
        if (
            embedding.kind is EmbeddingKind.ODM_HARDWARE
            and host
            and embedding.technology_entity in group
        ):
            group.add(host.entity)
    return frozenset(group)


# -- resolution (pure) -----------------------------------------------------------------


def resolve(assignments: Iterable[Assignment], index: NameIndex) -> Resolution:
    """Group assignments by (entity, block); collect the registrants that were skipped."""
    found: dict[tuple[str, Block], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    skipped: Counter[tuple[str, str]] = Counter()
    loose: set[tuple[str, str]] = set()
    for record in assignments:
        simple = simplify(record.registrant)
        if simple in index.traps:
            skipped[(record.registrant, f"hard negative {index.traps[simple]}")] += 1
            continue
        owners = index.entities.get(org_name(record.registrant), ())
        if len(owners) > 1:
            skipped[(record.registrant, f"name shared by {', '.join(owners)}")] += 1
        elif owners and owners[0] not in index.eligible:
            skipped[(record.registrant, f"{owners[0]} is outside every covered group")] += 1
        elif owners:
            found[(owners[0], record.block)][record.registrant].add(record.prefix)
            if simple not in index.exact:
                loose.add((record.registrant, owners[0]))
    skips = tuple(Skipped(r, why, n) for (r, why), n in sorted(skipped.items()))
    return Resolution(_blocks(found), skips, tuple(sorted(loose)))


def _blocks(found: dict[tuple[str, Block], dict[str, set[str]]]) -> tuple[EntityBlock, ...]:
    return tuple(
        EntityBlock(
            entity_id=entity_id,
            block=block,
            prefixes=tuple(sorted(set().union(*found[(entity_id, block)].values()))),
            spellings=tuple(sorted((s, len(p)) for s, p in found[(entity_id, block)].items())),
        )
        for entity_id, block in sorted(found)
    )


# -- rendering (pure) ------------------------------------------------------------------


def signature_id(entity_id: str, block: Block, pack_name: str = DEFAULT_PACK) -> str:
    middle = "" if pack_name == DEFAULT_PACK else f"{pack_name}."
    return f"mac.{middle}{entity_id}.{block.value}"


def registry_source(
    registry: Registry, date: dt.date, pack_name: str, url: str | None = None
) -> dict[str, str]:
    """The source every generated signature cites."""
    if registry.sha256 == SHIPPED_SHA256 and url is None and pack_name == DEFAULT_PACK:
        return dict(ARP_SCAN_SOURCE)
    name = Path(registry.path).name
    return {
        "id": "src.ieee-oui-registry" if pack_name == DEFAULT_PACK else f"src.{pack_name}.registry",
        "url": url or IEEE_REGISTRY_URL,
        "title": f"IEEE Registration Authority MA-L/MA-M/MA-S registry ({name})",
        "publisher": "IEEE Registration Authority",
        "date": date.isoformat(),
        "reliability": "official",
        "notes": f"Read from {name} ({registry.format.value}, SHA-256 {registry.sha256}).",
    }


def render_pack(
    resolution: Resolution,
    registry: Registry,
    date: dt.date,
    *,
    pack_name: str = DEFAULT_PACK,
    source: dict[str, str] | None = None,
) -> str:
    """The pack as YAML text: same input, same bytes."""
    source = source or registry_source(registry, date, pack_name)
    name = Path(registry.path).name
    data: dict[str, Any] = {
        "pack": pack_name,
        "version": date.isoformat(),
        "description": "MAC address prefixes (IEEE MA-L, MA-M, MA-S) registered to catalog entities. "
        "Generated by `rootout catalog import-oui`; do not edit by hand.",
        "generated_from": f"{name} ({date.isoformat()}, sha256 {registry.sha256})",
        "sources": [source],
        "signatures": [
            _signature(b, source["id"], name, date, pack_name) for b in resolution.blocks
        ],
    }
    header = (
        f"# GENERATED by `rootout catalog import-oui` from {name}: do not edit by hand.\n"
        "# Registrants resolve to entities through entity names and aliases in the other packs;\n"
        "# to change what resolves, edit those aliases or hard_negatives and regenerate.\n"
    )
    body = yaml.dump(
        data,
        Dumper=yaml.SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


def _signature(
    block: EntityBlock, source_id: str, file_name: str, date: dt.date, pack_name: str
) -> dict[str, Any]:
    spellings = "; ".join(f'"{s}" ({n})' for s, n in block.spellings)
    return {
        "id": signature_id(block.entity_id, block.block, pack_name),
        "kind": "mac_prefix",
        "entity": block.entity_id,
        "match": "prefix",
        "confidence": "medium",
        "evidence": "hardware",
        "registry_date": date.isoformat(),
        "sources": [source_id],
        "notes": f"{block.block.value.upper()} assignments in {file_name} ({date.isoformat()}) to IEEE "
        f"registrant spelling(s), with prefix counts: {spellings}.",
        "patterns": list(block.prefixes),
    }


# -- files -------------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file and a rename; False if unchanged."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _file_mode(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)  # mkstemp makes 0600; keep what a plain write gives
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def _file_mode(path: Path) -> int:
    """The existing file's permissions, or those a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def default_output() -> Path:
    """The built-in pack path, when rootout runs from a source checkout."""
    if (BUILTIN_PACKS.parents[3] / "pyproject.toml").is_file() and os.access(
        BUILTIN_PACKS, os.W_OK
    ):
        return BUILTIN_OUTPUT
    raise ConfigError(
        "the built-in packs are not in a writable source checkout; pass -o OUTPUT.yaml"
    )


def import_oui(
    registry_path: Path,
    output: Path,
    catalog: Catalog,
    *,
    registry_date: dt.date | str | None = None,
    pack_name: str = DEFAULT_PACK,
    source_url: str | None = None,
) -> ImportReport:
    """Read a registry, resolve registrants against ``catalog``, write the pack to ``output``.

    ``registry_date`` (a date or "YYYY-MM-DD") overrides the date in the file's header;
    a file without one needs it.
    """
    if isinstance(registry_date, str):
        registry_date = _parse_date(registry_date)
    if not _PACK_NAME.match(pack_name):
        raise ConfigError(f"pack name {pack_name!r} must be lowercase letters, digits and . _ : -")
    registry = read_registry(registry_path)
    date = registry_date or registry.registry_date
    if date is None:
        raise InputError(
            Location(str(registry_path)),
            "the file carries no registry date (no 'generated ... YYYY-MM-DD' header); "
            "pass --registry-date YYYY-MM-DD with the date the registry was downloaded",
        )
    resolution = resolve(registry.assignments, name_index(catalog))
    source = registry_source(registry, date, pack_name, source_url)
    text = render_pack(resolution, registry, date, pack_name=pack_name, source=source)
    changed = write_atomic(output, text)
    return ImportReport(registry, date, output, changed, resolution)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"registry date {text!r} is not a date; use YYYY-MM-DD") from None


def summary_lines(report: ImportReport, *, max_problems: int = 25) -> list[str]:
    """A plain-text summary of an import, for the CLI."""
    registry = report.registry
    blocks = Counter(a.block for a in registry.assignments)
    lines = [
        f"read {len(registry.assignments)} assignment(s) from {registry.path} ({registry.format.value}, "
        f"registry date {report.registry_date}): "
        + ", ".join(f"{b.value.upper()} {blocks[b]}" for b in Block),
    ]
    errors = len(registry.errors)
    lines.append(f"{errors} malformed line(s), {len(registry.problems) - errors} line(s) skipped")
    lines += [f"  {p}" for p in registry.problems[:max_problems]]
    if len(registry.problems) > max_problems:
        lines.append(f"  ... and {len(registry.problems) - max_problems} more")
    lines.append(f"MAC prefixes per entity ({sum(report.prefixes_by_entity().values())} in all):")
    by_entity: dict[str, list[EntityBlock]] = defaultdict(list)
    for block in report.resolution.blocks:
        by_entity[block.entity_id].append(block)
    for entity_id, blocks_of in sorted(by_entity.items()):
        parts = ", ".join(f"{b.block.value.upper()} {len(b.prefixes)}" for b in blocks_of)
        names = sorted({s for b in blocks_of for s, _ in b.spellings})
        total = sum(len(b.prefixes) for b in blocks_of)
        lines.append(f"  {entity_id}: {total} ({parts}) from {'; '.join(names)}")
    for skip in report.resolution.skipped:
        lines.append(f"skipped {skip.registrant!r} ({skip.assignments}): {skip.reason}")
    for registrant, entity_id in report.resolution.loose:
        lines.append(
            f"check: {registrant!r} -> {entity_id} matched only once legal forms were dropped"
        )
    lines.append(f"{'wrote' if report.changed else 'unchanged'} {report.output}")
    return lines
