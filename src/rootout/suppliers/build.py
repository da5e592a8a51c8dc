"""Building blocks of supplier findings: the supplier as an asset and observation,
explanation steps, and one constructor for :class:`SupplierFinding`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from rootout.catalog.model import Confidence
from rootout.model.finding import CONFIDENCE_RANK, Basis, Finding, Step, finding_id
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from rootout.procurement.purpose import classify
from rootout.suppliers.clauses import ASK_OTHER_DELIVERY
from rootout.suppliers.model import Evidence, Severity, Supplier, SupplierFinding
from rootout.suppliers.model import SupplierFindingKind as Kind

SOURCE_FORMAT = "suppliers"
ENTITY_FIELDS = frozenset({"vendor", "uei", "cage", "duns"})
PARENT_FIELDS = frozenset({"parent_name", "parent_uei"})
PROVIDES_FIELD = "item_description"

ASKS = {
    Kind.COVERED_ENTITY: (
        "its SAM entity registration (legal name, UEI, CAGE, immediate and highest-level "
        "owner) to confirm or rule out the match; while it stands, the legal bases in the "
        "explanation apply to contracting with it"
    ),
    Kind.COVERED_PARENT: (
        "its ownership: the immediate and highest-level owner in its SAM registration and "
        "whether the covered parent controls it"
    ),
    Kind.PROVIDES_COVERED: (
        "a disclosure under FAR 52.204-24(e) for the covered product it offers (brand, "
        "model number, item description, proposed use) or confirmation it no longer offers it"
    ),
    Kind.SCREENING_LIST: (
        "confirmation whether it is the listed party (identifiers, address) and, if so, "
        "the licence or authorisation it relies on"
    ),
    Kind.COVERED_DELIVERY: ASK_OTHER_DELIVERY,  # screening asks by clause (clauses.delivery_ask)
}
TITLES = {
    Kind.COVERED_ENTITY: "supplier is a covered entity or its affiliate",
    Kind.COVERED_PARENT: "supplier's parent is a covered entity",
    Kind.PROVIDES_COVERED: "supplier offers a covered product",
    Kind.SCREENING_LIST: "supplier appears on a screening list",
    Kind.COVERED_DELIVERY: "supplier delivered covered technology",
}


# -- the supplier as an observation ----------------------------------------------------


def supplier_asset(supplier: Supplier) -> Asset:
    """The supplier as an asset: key ``supplier:name:<id>`` (ids are stable, names change)."""
    identifiers = tuple(
        (scheme, value)
        for scheme, value in (("cage", supplier.cage), ("duns", supplier.duns))
        if value
    )
    tags = (("supplier", supplier.name), *((("uei", supplier.uei),) if supplier.uei else ()))
    return Asset(AssetKind.SUPPLIER, supplier.id, identifiers, tags)


def supplier_observation(supplier: Supplier, today: dt.date) -> Observation:
    fields = {
        "vendor": supplier.name,
        "uei": supplier.uei or "",
        "cage": supplier.cage or "",
        "duns": supplier.duns or "",
        "parent_name": supplier.parent_name or "",
        "parent_uei": supplier.parent_uei or "",
        PROVIDES_FIELD: offered(supplier.provides),
    }
    return Observation(
        ObservationKind.VENDOR_RECORD,
        {k: v for k, v in fields.items() if v},
        supplier_asset(supplier),
        SourceRef(
            supplier.source or "supplier register", supplier.line, supplier.id, SOURCE_FORMAT
        ),
        dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC),
    )


def offered(provides: Sequence[str]) -> str:
    """What the supplier offers, as searched text: a removal service names the product it
    removes ("Kaspersky removal and migration") without offering it, so the removal objects
    (:func:`rootout.procurement.purpose.classify`) are left out."""
    return "; ".join(part for item in provides if (part := classify(item).purchase))


def in_force(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.legal and not f.historical]


def supplier_step(supplier: Supplier) -> Step:
    ids = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("UEI", supplier.uei),
            ("CAGE", supplier.cage),
            ("DUNS", supplier.duns),
        )
        if value
    )
    where = f" at {supplier.source}:{supplier.line}" if supplier.source else ""
    return Step(
        "supplier",
        f"supplier {supplier.id} {supplier.name!r}{where}" + (f" ({ids})" if ids else ""),
    )


def make_finding(
    supplier: Supplier,
    kind: Kind,
    today: dt.date,
    steps: Sequence[Step],
    *,
    severity: Severity = Severity.HIGH,
    evidence: Sequence[Finding] = (),
    confidence: Confidence | None = None,
    entity: str | None = None,
    ask: str | None = None,
    title: str | None = None,
) -> SupplierFinding:
    asset_key = supplier_asset(supplier).key
    best = strongest(evidence)
    target = entity or (best.entity if best else None)
    return SupplierFinding(
        id=finding_id(asset_key, Basis.SUPPLIER, kind.value, target or ""),
        supplier_id=supplier.id,
        kind=kind,
        severity=severity,
        confidence=confidence or (best.confidence if best else Confidence.HIGH),
        title=title or TITLES[kind],
        explanation=(supplier_step(supplier), *steps),
        ask=ask or ASKS[kind],
        observed_on=today,
        entity=target,
        evidence=tuple(evidence),
    )


def strongest(findings: Sequence[Finding]) -> Finding | None:
    """The most confident finding; on a tie the one more legal bases reach (an affiliate of
    the designated parent before the affiliate's own narrower listing), then direct, then id."""
    if not findings:
        return None
    return min(
        findings,
        key=lambda f: (
            -CONFIDENCE_RANK[f.confidence],
            -len(f.legal),
            f.basis is not Basis.DIRECT,
            f.id,
        ),
    )


def evidence_steps(item: Evidence, finding: Finding) -> list[Step]:
    """The delivered file and component, then the matcher's chain for it."""
    observation = finding.observation
    component = observation.fields.get("name") or finding.matched_value
    version = observation.fields.get("version")
    head = Step(
        "evidence",
        f"delivered {item.kind.value} {item.path}: {observation.kind.value} {component!r}"
        + (f" {version}" if version else "")
        + f" at {observation.source}, matched {finding.matched_field} = {finding.matched_value!r}"
        + f" -> {entity_text(finding)}",
    )
    return [head, *finding.explanation]


def entity_text(finding: Finding) -> str:
    rules = ", ".join(sorted({ref.short for ref in finding.legal}))
    return f"{finding.entity} ({finding.basis.value}; {rules})"
