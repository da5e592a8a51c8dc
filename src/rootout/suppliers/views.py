"""Suppliers as plain JSON data, for the CLI's ``--format json`` and the API."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Engine, select

from rootout.errors import NotFoundError
from rootout.model.finding import Basis, Step
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.suppliers import store
from rootout.suppliers.build import supplier_asset
from rootout.suppliers.model import (
    AccessAgreement,
    Delivery,
    Register,
    Representation,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.representations import Reminder, answer_text


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def supplier_json(supplier: Supplier) -> dict[str, Any]:
    return {
        "id": supplier.id,
        "name": supplier.name,
        "uei": supplier.uei,
        "cage": supplier.cage,
        "duns": supplier.duns,
        "country": supplier.country,
        "parent_name": supplier.parent_name,
        "parent_uei": supplier.parent_uei,
        "provides": list(supplier.provides),
        "source": f"{supplier.source}:{supplier.line}" if supplier.source else None,
    }


def representation_json(rep: Representation, today: dt.date) -> dict[str, Any]:
    return {
        "clause": rep.clause.value,
        "provides": rep.provides,
        "uses": rep.uses,
        "answer": answer_text(rep),
        "disclosure": rep.disclosure,
        "signed_on": rep.signed_on.isoformat(),
        "signer": rep.signer,
        "expires_on": _iso(rep.expires_on),
        "lapsed": rep.lapsed(today),
    }


def access_json(agreement: AccessAgreement, today: dt.date) -> dict[str, Any]:
    return {
        "system": agreement.system,
        "tenant": agreement.tenant,
        "start": agreement.start.isoformat(),
        "end": _iso(agreement.end),
        "active": agreement.active(today),
    }


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return {
        "path": delivery.path,
        "kind": delivery.kind.value,
        "delivered_on": _iso(delivery.delivered_on),
    }


def step_json(step: Step) -> dict[str, Any]:
    return {"kind": step.kind, "text": step.text, "ref": step.ref, "sources": list(step.sources)}


def supplier_finding_json(finding: SupplierFinding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "supplier_id": finding.supplier_id,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "title": finding.title,
        "entity": finding.entity,
        "ask": finding.ask,
        "observed_on": finding.observed_on.isoformat(),
        "explanation": [step_json(s) for s in finding.explanation],
        "evidence": [
            {
                "finding": f.id,
                "entity": f.entity,
                "matched_field": f.matched_field,
                "matched_value": f.matched_value,
                "source": str(f.observation.source),
            }
            for f in finding.evidence
        ],
    }


def reminder_json(reminder: Reminder) -> dict[str, Any]:
    rep = reminder.representation
    return {
        "supplier_id": reminder.supplier_id,
        "clause": rep.clause.value,
        "signed_on": rep.signed_on.isoformat(),
        "signer": rep.signer,
        "expires_on": _iso(rep.expires_on),
        "days_left": reminder.days_left,
        "lapsed": reminder.days_left < 0,
    }


def stored_findings(
    engine: Engine, *, tenant: str, asset_keys: list[str] | None = None
) -> list[dict[str, Any]]:
    """Active stored supplier findings (of the given supplier assets), as the store has them."""
    query = select(t.findings).where(
        t.findings.c.tenant_id == tenant,
        t.findings.c.basis == Basis.SUPPLIER.value,
        t.findings.c.status == "active",
    )
    if asset_keys is not None:
        query = query.where(t.findings.c.asset_key.in_(asset_keys))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(t.findings.c.asset_key, t.findings.c.id))
        return [
            {
                "id": r.id,
                "supplier_key": r.asset_key,
                "kind": r.matched_field,
                "title": r.matched_value,
                "severity": r.evidence.removeprefix("supplier_"),
                "confidence": r.confidence,
                "entity": r.entity,
                "explanation": r.explanation,
                "first_seen_scan": r.first_seen_scan,
            }
            for r in rows
        ]


def supplier_list(
    engine: Engine, *, tenant: str = repo.DEFAULT_TENANT, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Every supplier with counts of representations, active access and open findings."""
    day = today or dt.date.today()
    register = store.load_register(engine, tenant=tenant)
    by_key = Counter(row["supplier_key"] for row in stored_findings(engine, tenant=tenant))
    return [_summary(register, s, day, by_key[supplier_asset(s).key]) for s in register.suppliers]


def _summary(
    register: Register, supplier: Supplier, today: dt.date, findings: int
) -> dict[str, Any]:
    return {
        **supplier_json(supplier),
        "representations": len(register.representations_of(supplier.id)),
        "active_access": sum(1 for a in register.access_of(supplier.id) if a.active(today)),
        "deliveries": len(register.deliveries_of(supplier.id)),
        "findings": findings,
    }


def supplier_detail(
    engine: Engine,
    supplier_id: str,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """One supplier with its representations, access, deliveries and open findings."""
    day = today or dt.date.today()
    register = store.load_register(engine, tenant=tenant, supplier_id=supplier_id)
    supplier = register.supplier(supplier_id)
    if supplier is None:
        raise NotFoundError(f"no supplier {supplier_id!r}")
    return {
        **supplier_json(supplier),
        "representations": [representation_json(r, day) for r in register.representations],
        "access": [access_json(a, day) for a in register.access],
        "deliveries": [delivery_json(d) for d in register.deliveries],
        "findings": stored_findings(
            engine, tenant=tenant, asset_keys=[supplier_asset(supplier).key]
        ),
    }
