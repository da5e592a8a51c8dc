"""``rootout catalog ...``: lint, list, show and explain the catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rootout.catalog import Catalog, load_catalog, oui_import
from rootout.catalog.explain import explain_text
from rootout.catalog.lint import lint_paths
from rootout.catalog.schema import schema_text
from rootout.catalog.stats import catalog_stats
from rootout.config import load_settings

app = typer.Typer(help="Inspect and check the covered-entity catalog.", no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)

CatalogOpt = typer.Option(
    None,
    "--catalog",
    "-c",
    help="Extra pack file or folder (repeatable); adds to the config file's.",
)


def _catalog(extra: list[Path] | None) -> Catalog:
    settings = load_settings()
    return load_catalog([*settings.catalog_dirs, *(extra or [])])


@app.command("lint")
def lint_cmd(
    paths: list[Path] = typer.Argument(
        None, help="Pack files or folders to check with the built-in packs."
    ),
    only: bool = typer.Option(
        False, "--only", help="Check PATHS alone, without the built-in packs."
    ),
) -> None:
    """Report every problem in the packs, each with path:line. Exit 1 on any error."""
    settings = load_settings()
    _, problems = lint_paths([*settings.catalog_dirs, *(paths or [])], with_builtin=not only)
    for problem in problems:
        out.print(str(problem), markup=False)
    errors = sum(p.severity == "error" for p in problems)
    out.print(f"{errors} error(s), {len(problems) - errors} warning(s)", markup=False)
    if errors:
        raise typer.Exit(1)


@app.command("list")
def list_cmd(
    stats: bool = typer.Option(False, "--stats", help="Print counts instead of the entity list."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    catalog_dirs: list[Path] = CatalogOpt,
) -> None:
    """List covered entities, or with --stats the catalog's counts."""
    catalog = _catalog(catalog_dirs)
    if stats:
        _print_stats(catalog, as_json)
        return
    entities = sorted(catalog.entities.values(), key=lambda e: e.id)
    if as_json:
        rows = [
            {
                "id": e.id,
                "name": e.name,
                "country": e.country,
                "designations": _designated(catalog, e.id),
            }
            for e in entities
        ]
        out.print(json.dumps(rows, indent=2), markup=False)
        return
    table = Table("id", "name", "country", "designated under")
    table.caption = f"catalog {catalog.version}; base: {catalog.base}"
    for e in entities:
        table.add_row(e.id, e.name, e.country or "", ", ".join(_designated(catalog, e.id)))
    out.print(table)


def _designated(catalog: Catalog, entity_id: str) -> list[str]:
    return sorted(
        {
            catalog.legal_bases[d.legal_basis].short
            for d in catalog.designations.values()
            if d.entity == entity_id
        }
    )


def _print_stats(catalog: Catalog, as_json: bool) -> None:
    stats = catalog_stats(catalog)
    if as_json:
        out.print(json.dumps(stats.__dict__, indent=2), markup=False)
        return
    out.print(
        f"catalog {stats.version} from {stats.packs} pack(s); base: {stats.base}", markup=False
    )
    table = Table("object", "count", title="Objects")
    for name, count in stats.counts.items():
        table.add_row(name, str(count))
    out.print(table)
    table = Table("kind", "signatures", "patterns", title="Signatures by kind")
    for kind, count in stats.signatures_by_kind.items():
        table.add_row(kind, str(count), str(stats.patterns_by_kind[kind]))
    out.print(table)
    table = Table("entity", "name", "MAC prefixes", title="MAC prefixes per entity")
    for entity_id, count in stats.mac_prefixes_by_entity.items():
        table.add_row(entity_id, catalog.entities[entity_id].name, str(count))
    out.print(table)
    if stats.disabled:
        out.print(f"{stats.disabled} object(s) disabled by organisation packs", markup=False)


@app.command("show")
def show_cmd(
    object_id: str = typer.Argument(..., help="Id of any catalog object."),
    catalog_dirs: list[Path] = CatalogOpt,
) -> None:
    """Show one object with where it is defined and the sources it cites."""
    catalog = _catalog(catalog_dirs)
    obj = catalog.get(object_id)
    out.print(
        f"{catalog.kinds[object_id].rstrip('s')} {object_id}  ({catalog.locations[object_id]})",
        markup=False,
    )
    data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.pop("id", None)
    data.pop("sources", None)
    for key, value in data.items():
        out.print(f"  {key}: {_compact(value)}", markup=False)
    source_ids = list(getattr(obj, "sources", ()))
    if source_ids:
        out.print("  sources:", markup=False)
        for source_id in source_ids:
            source = catalog.sources.get(source_id)
            if source is not None:
                out.print(
                    f"    [{source_id}] {source.title} — {source.publisher}, {source.date} "
                    f"({source.reliability.value})\n      {source.url}",
                    markup=False,
                )


def _compact(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@app.command("explain")
def explain_cmd(
    text: str = typer.Argument(..., help="Any string: a product name, publisher, domain, MAC, ..."),
    catalog_dirs: list[Path] = CatalogOpt,
) -> None:
    """Show which signatures TEXT would hit, and for a miss, what came close and why not."""
    catalog = _catalog(catalog_dirs)
    result = explain_text(catalog, text)
    out.print(f"text: {text!r}", markup=False)
    for name, key in result.keys.items():
        out.print(f"  {name} key: {key!r}", markup=False)
    if result.hits:
        out.print(f"HIT: {len(result.hits)} signature(s)", markup=False)
        for verdict, entity_id, product_id in result.hits:
            signature = catalog.signatures[verdict.signature_id]
            target = f"{product_id} → {entity_id}" if product_id else entity_id
            out.print(
                f"  {verdict.signature_id} [{signature.kind.value}, {signature.match.value}, "
                f"{signature.confidence.value}] pattern {verdict.pattern!r} on key {verdict.key!r} → {target}",
                markup=False,
            )
            out.print(f"    sources: {', '.join(signature.sources)}", markup=False)
    else:
        out.print("MISS: no signature matches", markup=False)
    for near in result.near:
        out.print(f"  not a match: {near.object_id} ({near.what}): {near.reason}", markup=False)


@app.command("import-oui")
def import_oui_cmd(
    registry: Annotated[
        Path,
        typer.Argument(
            help="IEEE oui.csv/mam.csv/oui36.csv or oui.txt, arp-scan ieee-oui.txt, or manuf."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Pack to write (default: built-in mac-prefixes.yaml)."),
    ] = None,
    registry_date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; needed when the file's header carries no date.")
    ] = None,
    pack_name: Annotated[
        str, typer.Option(help="Pack name; any other than mac-prefixes namespaces the ids.")
    ] = oui_import.DEFAULT_PACK,
    catalog_dirs: list[Path] = CatalogOpt,
) -> None:
    """Generate the MAC-prefix pack: registrants resolve to entities by their names and aliases."""
    target = output or oui_import.default_output()
    extra = [*load_settings().catalog_dirs, *(catalog_dirs or [])]
    catalog = oui_import.resolution_catalog(extra, exclude=[target])
    report = oui_import.import_oui(
        registry, target, catalog, registry_date=registry_date, pack_name=pack_name
    )
    for line in oui_import.summary_lines(report):
        out.print(line, markup=False)


@app.command("schema")
def schema_cmd(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the schema to this file instead of printing it."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a pack file, generated from the models."""
    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@app.command("keygen")
def keygen_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the key pair.")],
) -> None:
    """Make an Ed25519 key pair for signing catalog bundles (private key mode 0600)."""
    from rootout.catalog import bundle

    private, public = bundle.generate_keys(output)
    out.print(f"private key: {private} (keep it offline)\npublic key:  {public}", markup=False)


@app.command("bundle")
def bundle_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Bundle file to write.")],
    key: Annotated[Path, typer.Option("--key", help="Ed25519 private key (PEM).")],
    changelog: Annotated[str, typer.Option(help="What changed, for reviewers.")] = "",
    packs: Annotated[Path | None, typer.Option(help="Pack folder (default: built-in).")] = None,
    oui: Annotated[Path | None, typer.Option(help="OUI registry file to ship.")] = None,
    catalog_version: Annotated[
        str | None, typer.Option(help="Version (default: the packs' highest version).")
    ] = None,
) -> None:
    """Write a signed catalog bundle: packs, OUI data and a manifest of SHA-256s."""
    from rootout.catalog import bundle

    manifest = bundle.make_bundle(
        output,
        key,
        packs=packs or bundle.DEFAULT_PACKS,
        oui=oui or bundle.DEFAULT_OUI,
        changelog=changelog,
        catalog_version=catalog_version,
    )
    out.print(f"wrote {output}: {bundle.manifest_summary(manifest)}", markup=False)


@app.command("install")
def install_cmd(
    path: Annotated[Path, typer.Argument(help="Bundle file.")],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", help="Trusted public key (repeatable).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Allow installing an older catalog.")] = False,
) -> None:
    """Verify a bundle's signature and hashes, then install it; the old one is kept."""
    from rootout.catalog import bundle

    manifest = bundle.install_bundle(path, bundle.trusted_keys(trust or []), force=force)
    home = bundle.catalog_home()
    out.print(f"installed {bundle.manifest_summary(manifest)} in {home}", markup=False)


@app.command("rollback")
def rollback_cmd() -> None:
    """Go back to the previously installed catalog (run again to undo)."""
    from rootout.catalog import bundle

    manifest = bundle.rollback()
    out.print(f"current: {bundle.manifest_summary(manifest)}", markup=False)


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="Old pack folder or bundle file.")],
    new: Annotated[Path, typer.Argument(help="New pack folder or bundle file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show objects added, removed and changed (with the changed fields) between catalogs."""
    from rootout.catalog.diff import diff_json, diff_lines, diff_paths

    result = diff_paths(old, new)
    if as_json:
        typer.echo(diff_json(result))
        return
    for line in diff_lines(result):
        out.print(line, markup=False)
