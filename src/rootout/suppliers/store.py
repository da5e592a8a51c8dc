"""The register in the store: upsert by key (re-importing a file changes nothing), read back.

Every query filters on the tenant. Dates are stored as ISO strings, as the
findings table does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, Table, and_, insert, select, update
from sqlalchemy.engine import Connection

from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.suppliers.model import (
    AccessAgreement,
    Clause,
    Delivery,
    DeliveryKind,
    ImportProblem,
    ListEntry,
    Register,
    Representation,
    Supplier,
)
from rootout.suppliers.register import Record

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

KEYS: Mapping[str, tuple[str, ...]] = {
    "suppliers": ("tenant_id", "id"),
    "supplier_representations": ("tenant_id", "supplier_id", "clause", "signed_on"),
    "supplier_access": ("tenant_id", "supplier_id", "system", "start_on"),
    "supplier_deliveries": ("tenant_id", "supplier_id", "path"),
    "screening_entries": ("tenant_id", "list_name", "entry_id"),
}
_D = TypeVar("_D", bound="DataclassInstance")

NOT_COMPARED = frozenset({"updated_at", "source", "line"})
"""Bookkeeping columns: where a row was last read from does not make it a change."""


@dataclass(frozen=True)
class ImportOutcome:
    kind: str
    rows: int
    added: int
    changed: int
    unchanged: int
    problems: tuple[ImportProblem, ...]

    def summary(self) -> str:
        return (
            f"{self.kind}: {self.rows} rows, {self.added} added, {self.changed} changed, "
            f"{self.unchanged} unchanged, {len(self.problems)} skipped"
        )


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _undate(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def record_row(record: Record, tenant: str) -> tuple[Table, dict[str, Any]]:
    """The table and row a register record is stored as."""
    if isinstance(record, Supplier):
        return t.suppliers, {
            "tenant_id": tenant,
            "id": record.id,
            "name": record.name,
            "uei": record.uei,
            "cage": record.cage,
            "duns": record.duns,
            "country": record.country,
            "parent_name": record.parent_name,
            "parent_uei": record.parent_uei,
            "provides": list(record.provides),
            "source": record.source,
            "line": record.line,
            "updated_at": dt.datetime.now(dt.UTC),
        }
    if isinstance(record, Representation):
        return t.supplier_representations, {
            "tenant_id": tenant,
            "supplier_id": record.supplier_id,
            "clause": record.clause.value,
            "signed_on": record.signed_on.isoformat(),
            "provides": record.provides,
            "uses": record.uses,
            "disclosure": record.disclosure,
            "signer": record.signer,
            "expires_on": _date(record.expires_on),
            "source": record.source,
            "line": record.line,
        }
    if isinstance(record, AccessAgreement):
        return t.supplier_access, {
            "tenant_id": tenant,
            "supplier_id": record.supplier_id,
            "system": record.system,
            "start_on": record.start.isoformat(),
            "end_on": _date(record.end),
            "access_tenant": record.tenant,
            "source": "",
            "line": record.line,
        }
    return t.supplier_deliveries, {
        "tenant_id": tenant,
        "supplier_id": record.supplier_id,
        "path": record.path,
        "kind": record.kind.value,
        "delivered_on": _date(record.delivered_on),
        "source": "",
        "line": record.line,
    }


def entry_row(entry: ListEntry, tenant: str) -> dict[str, Any]:
    return {
        "tenant_id": tenant,
        "list_name": entry.list_name,
        "entry_id": entry.entry_id,
        "name": entry.name,
        "source": entry.source,
        "alt_names": list(entry.alt_names),
        "uei": entry.uei,
        "cage": entry.cage,
        "duns": entry.duns,
        "country": entry.country,
        "start_on": _date(entry.start),
        "end_on": _date(entry.end),
        "detail": entry.detail,
        "line": entry.line,
    }


def upsert(conn: Connection, table: Table, row: dict[str, Any]) -> str:
    """Insert or update one row by its key: ``added``, ``changed`` or ``unchanged``."""
    key = KEYS[table.name]
    where = and_(*(table.c[k] == row[k] for k in key))
    current = conn.execute(select(table).where(where)).first()
    if current is None:
        conn.execute(insert(table).values(**row))
        return "added"
    old = current._mapping
    compared = [c for c in row if c not in NOT_COMPARED and c not in key]
    if all(old[c] == row[c] for c in compared):
        return "unchanged"
    conn.execute(update(table).where(where).values(**row))
    return "changed"


def save_rows(
    engine: Engine,
    kind: str,
    rows: Iterable[tuple[Table, dict[str, Any]]],
    *,
    total: int,
    problems: Sequence[ImportProblem],
    tenant: str,
    actor: str,
) -> ImportOutcome:
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    with engine.begin() as conn:
        repo.ensure_tenant(conn, tenant)
        for table, row in rows:
            counts[upsert(conn, table, row)] += 1
        if counts["added"] or counts["changed"]:
            repo.log_event(conn, tenant, actor, "suppliers.imported", "register", kind, counts)
    return ImportOutcome(
        kind, total, counts["added"], counts["changed"], counts["unchanged"], tuple(problems)
    )


def save_records(
    engine: Engine,
    kind: str,
    records: Sequence[Record],
    *,
    total: int,
    problems: Sequence[ImportProblem] = (),
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> ImportOutcome:
    rows = (record_row(r, tenant) for r in records)
    return save_rows(engine, kind, rows, total=total, problems=problems, tenant=tenant, actor=actor)


def save_entries(
    engine: Engine,
    list_name: str,
    entries: Sequence[ListEntry],
    *,
    problems: Sequence[ImportProblem] = (),
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> ImportOutcome:
    rows = ((t.screening_entries, entry_row(e, tenant)) for e in entries)
    total = len(entries) + len(problems)
    return save_rows(
        engine, list_name, rows, total=total, problems=problems, tenant=tenant, actor=actor
    )


# -- reading ---------------------------------------------------------------------------


def _rows(conn: Connection, table: Table, tenant: str, **where: str) -> list[Mapping[str, Any]]:
    clauses = [table.c.tenant_id == tenant, *(table.c[k] == v for k, v in where.items())]
    key = [table.c[k] for k in KEYS[table.name]]
    result = conn.execute(select(table).where(*clauses).order_by(*key))
    return [dict(r._mapping) for r in result]


def _from_row(cls: type[_D], row: Mapping[str, Any], **converted: Any) -> _D:
    """``cls`` from a row whose columns carry its field names; ``converted`` gives the
    fields stored another way (dates as ISO strings, enums as values, renamed columns)."""
    plain = {f.name: row[f.name] for f in fields(cls) if f.name not in converted}
    return cls(**plain, **converted)


def supplier_of(row: Mapping[str, Any]) -> Supplier:
    return _from_row(Supplier, row, provides=tuple(row["provides"]))


def representation_of(row: Mapping[str, Any]) -> Representation:
    return _from_row(
        Representation,
        row,
        clause=Clause(row["clause"]),
        signed_on=dt.date.fromisoformat(row["signed_on"]),
        expires_on=_undate(row["expires_on"]),
    )


def access_of(row: Mapping[str, Any]) -> AccessAgreement:
    return _from_row(
        AccessAgreement,
        row,
        start=dt.date.fromisoformat(row["start_on"]),
        tenant=row["access_tenant"],
        end=_undate(row["end_on"]),
    )


def delivery_of(row: Mapping[str, Any]) -> Delivery:
    return _from_row(
        Delivery,
        row,
        kind=DeliveryKind(row["kind"]),
        delivered_on=_undate(row["delivered_on"]),
    )


def entry_of(row: Mapping[str, Any]) -> ListEntry:
    return _from_row(
        ListEntry,
        row,
        alt_names=tuple(row["alt_names"]),
        start=_undate(row["start_on"]),
        end=_undate(row["end_on"]),
    )


def load_register(
    engine: Engine, *, tenant: str = repo.DEFAULT_TENANT, supplier_id: str | None = None
) -> Register:
    """The tenant's register (or one supplier's part of it)."""
    only = {"supplier_id": supplier_id} if supplier_id else {}
    with engine.connect() as conn:
        suppliers = _rows(conn, t.suppliers, tenant, **({"id": supplier_id} if supplier_id else {}))
        return Register(
            suppliers=tuple(supplier_of(r) for r in suppliers),
            representations=tuple(
                representation_of(r)
                for r in _rows(conn, t.supplier_representations, tenant, **only)
            ),
            access=tuple(access_of(r) for r in _rows(conn, t.supplier_access, tenant, **only)),
            deliveries=tuple(
                delivery_of(r) for r in _rows(conn, t.supplier_deliveries, tenant, **only)
            ),
        )


def load_entries(engine: Engine, *, tenant: str = repo.DEFAULT_TENANT) -> tuple[ListEntry, ...]:
    with engine.connect() as conn:
        return tuple(entry_of(r) for r in _rows(conn, t.screening_entries, tenant))
