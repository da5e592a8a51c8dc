"""Contradictions are clause-scoped: FAR 52.204-24/-26 speak about §889 equipment, FAR
52.204-23 about Kaspersky; evidence contradicts only the clause whose legal bases cover it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import load_settings
from rootout.match.engine import Matcher
from rootout.scanning import matcher_for
from rootout.suppliers.clauses import SCOPES
from rootout.suppliers.evidence import delivery_evidence
from rootout.suppliers.model import (
    AccessAgreement,
    Clause,
    Delivery,
    DeliveryKind,
    Evidence,
    Register,
    Representation,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.model import SupplierFindingKind as Kind
from rootout.suppliers.screen import screen

FIXTURES = Path(__file__).parent / "fixtures"
KASPERSKY_INVENTORY = FIXTURES / "register" / "delivered" / "sup-008-programs.json"
HIKVISION_SBOM = FIXTURES / "clauses" / "camera-client.cdx.json"
TODAY = dt.date(2026, 11, 28)
SIGNED = dt.date(2026, 3, 1)
DELIVERED = dt.date(2026, 7, 1)
SUPPLIER = Supplier("S1", "Example Field Services LLC")
ACCESS = AccessAgreement("S1", "helpdesk", dt.date(2025, 1, 1))


@pytest.fixture(scope="module")
def compiled() -> tuple[Catalog, Matcher]:
    settings = load_settings()
    catalog, index = load_compiled(list(settings.catalog_dirs))
    return catalog, matcher_for(catalog, index, TODAY, settings)


def _evidence(matcher: Matcher, path: Path, kind: DeliveryKind) -> Evidence:
    return delivery_evidence(Delivery("S1", str(path), kind, DELIVERED), matcher)


def _rep(clause: Clause, uses: bool, disclosure: str | None = None) -> Representation:
    provides = False
    expires = None if clause.is_attestation else SIGNED.replace(year=SIGNED.year + 1)
    return Representation(
        "S1", clause, provides, uses, SIGNED, "Ann Lee", disclosure, expires, line=2
    )


def _screen(
    compiled: tuple[Catalog, Matcher], evidence: Evidence, *reps: Representation
) -> dict[Kind, SupplierFinding]:
    catalog, matcher = compiled
    register = Register(suppliers=(SUPPLIER,), representations=reps, access=(ACCESS,))
    found = screen(register, catalog, today=TODAY, evidence=[evidence], matcher=matcher)
    return {f.kind: f for f in found}


def _text(finding: SupplierFinding) -> str:
    return "\n".join(step.text for step in finding.explanation)


def test_kaspersky_evidence_does_not_contradict_a_52_204_26_representation(
    compiled: tuple[Catalog, Matcher],
) -> None:
    evidence = _evidence(compiled[1], KASPERSKY_INVENTORY, DeliveryKind.INVENTORY)
    found = _screen(compiled, evidence, _rep(Clause.FAR_52_204_26, uses=False))
    assert set(found) == {Kind.COVERED_DELIVERY}
    delivery = found[Kind.COVERED_DELIVERY]
    text = _text(delivery)
    assert "FAR 52.204-26 covers covered telecommunications equipment or services" in text
    assert "'Kaspersky Endpoint Security for Windows' (kaspersky.ao-kaspersky-lab;" in text
    assert "is outside it, see FAR 52.204-23" in text
    assert "FAR 52.204-23(c)(1)" in delivery.ask  # the contractor's report, not a disclosure
    assert "52.204-24(e)" not in delivery.ask


def test_section_889_evidence_does_not_contradict_a_52_204_23_attestation(
    compiled: tuple[Catalog, Matcher],
) -> None:
    evidence = _evidence(compiled[1], HIKVISION_SBOM, DeliveryKind.SBOM)
    disclosed = Representation(
        "S1", Clause.FAR_52_204_26, True, True, SIGNED, "Ann Lee", "iVMS-4200 client", line=3
    )
    found = _screen(compiled, evidence, disclosed, _rep(Clause.FAR_52_204_23, uses=False))
    assert set(found) == {Kind.COVERED_DELIVERY}
    delivery = found[Kind.COVERED_DELIVERY]
    assert "FAR 52.204-23 covers Kaspersky Lab covered articles" in _text(delivery)
    assert "is outside it, see FAR 52.204-24 and FAR 52.204-26" in _text(delivery)
    assert "52.204-24(e)" in delivery.ask
    assert "52.204-23" not in delivery.ask


@pytest.mark.parametrize(
    ("delivered", "kind", "named", "not_named", "entity", "ask"),
    [
        pytest.param(
            KASPERSKY_INVENTORY,
            DeliveryKind.INVENTORY,
            "FAR 52.204-23 attestation signed 2026-03-01 by Ann Lee",
            "FAR 52.204-26 representation",
            "kaspersky.ao-kaspersky-lab",
            "a corrected FAR 52.204-23 attestation",
            id="kaspersky-contradicts-52.204-23-does-not-use-attestation",
        ),
        pytest.param(
            HIKVISION_SBOM,
            DeliveryKind.SBOM,
            "FAR 52.204-26 representation signed 2026-03-01",
            "FAR 52.204-23 attestation",
            "hikvision.hangzhou-hikvision",
            "a corrected FAR 52.204-26 representation",
            id="section-889-contradicts-52.204-26-does-not-use",
        ),
    ],
)
def test_evidence_contradicts_only_the_clause_that_covers_it(
    compiled: tuple[Catalog, Matcher],
    delivered: Path,
    kind: DeliveryKind,
    named: str,
    not_named: str,
    entity: str,
    ask: str,
) -> None:
    evidence = _evidence(compiled[1], delivered, kind)
    found = _screen(
        compiled,
        evidence,
        _rep(Clause.FAR_52_204_26, uses=False),
        _rep(Clause.FAR_52_204_23, uses=False),
    )
    assert set(found) == {Kind.COVERED_DELIVERY, Kind.REPRESENTATION_CONTRADICTED}
    contradicted = found[Kind.REPRESENTATION_CONTRADICTED]
    text = _text(contradicted)
    assert named in text
    assert not_named not in text
    assert contradicted.entity == entity
    assert contradicted.ask.startswith(ask)


def test_an_attestation_alone_is_not_a_representation(
    compiled: tuple[Catalog, Matcher],
) -> None:
    clean = Evidence("S1", "clean.json", DeliveryKind.INVENTORY, (), DELIVERED)
    found = _screen(compiled, clean, _rep(Clause.FAR_52_204_23, uses=False))
    assert set(found) == {Kind.REPRESENTATION_MISSING}


def test_clause_scopes_name_legal_bases_of_the_catalog(compiled: tuple[Catalog, Matcher]) -> None:
    catalog, _ = compiled
    for scope in SCOPES.values():
        assert scope.legal_bases <= set(catalog.legal_bases), scope.clause
    designated = {d.legal_basis: d.entity for d in catalog.designations.values()}
    # each scope is reached by real designations: §889 for -24/-26, §1634/52.204-23 for -23
    assert designated.keys() & SCOPES[Clause.FAR_52_204_26].legal_bases
    assert designated.keys() & SCOPES[Clause.FAR_52_204_23].legal_bases
    assert not SCOPES[Clause.FAR_52_204_26].legal_bases & SCOPES[Clause.FAR_52_204_23].legal_bases
