"""Removal cases as the reports see them.

Cases live in :mod:`rootout.cases` (``service.list_cases`` / ``get_case``). Reports
copy what they show into the small frozen records below, so rendering never
depends on the cases package's own classes, and a build without that package
still renders every report (without the case sections).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from rootout.catalog.catalog import Catalog
from rootout.errors import RootoutError

try:
    from rootout.cases import service as case_service
except ModuleNotFoundError as exc:  # pragma: no cover - a build without removal cases
    if not (exc.name or "").startswith("rootout.cases"):
        raise
    case_service = None  # type: ignore[assignment]


@dataclass(frozen=True)
class DeadlineInfo:
    obligation_id: str
    legal_basis_short: str
    action: str
    due: dt.date | None
    days_left: int | None
    at_risk: bool
    report_id: str | None
    done_on: dt.date | None = None
    met: bool = False
    passed_before_identification: bool = False


@dataclass(frozen=True)
class CaseLike:
    id: str
    title: str
    entity: str | None
    product: str | None
    org_unit: str | None
    status: str
    owner: str | None
    identified_at: str | None
    identified_how: str | None
    finding_ids: tuple[str, ...]
    asset_names: tuple[str, ...]
    deadlines: tuple[DeadlineInfo, ...]
    waiver: str | None = None
    false_positive_reason: str | None = None
    verified_scan: str | None = None
    removed_scan: str | None = None
    residual_reason: str | None = None


class CasesUnavailableError(RootoutError):
    """A case was asked for, but this installation has no removal cases."""

    exit_code = 2
    hint = "removal cases come with the `rootout case` commands; drop --case to report without them"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    inner = getattr(value, "value", value)  # enums
    return str(inner)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _when(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return None if value is None else str(value)[:10]


def _waiver(value: Any) -> str | None:
    if value is None:
        return None
    parts = [
        f"{name}: {getattr(value, name)}"
        for name in ("justification", "approver", "expires")
        if getattr(value, name, None) is not None
    ]
    return "; ".join(parts) if parts else str(value)


def adapt_deadline(deadline: Any) -> DeadlineInfo:
    days = getattr(deadline, "days_left", None)
    return DeadlineInfo(
        obligation_id=str(deadline.obligation_id),
        legal_basis_short=str(deadline.legal_basis_short),
        action=str(deadline.action),
        due=_date(getattr(deadline, "due", None)),
        days_left=None if days is None else int(days),
        at_risk=bool(getattr(deadline, "at_risk", False)),
        report_id=_text(getattr(deadline, "report_id", None)),
        done_on=_date(getattr(deadline, "done_on", None)),
        met=bool(getattr(deadline, "met", False)),
        passed_before_identification=bool(getattr(deadline, "passed_before_identification", False)),
    )


def _strings(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def adapt(case: Any) -> CaseLike:
    """Copy a ``rootout.cases`` CaseView into the reports' record."""
    return CaseLike(
        id=str(case.id),
        title=str(case.title),
        entity=_text(getattr(case, "entity", None)),
        product=_text(getattr(case, "product", None)),
        org_unit=_text(getattr(case, "org_unit", None)),
        status=_text(case.status) or "",
        owner=_text(getattr(case, "owner", None)),
        identified_at=_when(getattr(case, "identified_at", None)),
        identified_how=_text(getattr(case, "identified_how", None)) or None,
        finding_ids=_strings(getattr(case, "finding_ids", ())),
        asset_names=_strings(getattr(case, "asset_names", ())),
        deadlines=tuple(adapt_deadline(d) for d in getattr(case, "deadlines", ()) or ()),
        waiver=_waiver(getattr(case, "waiver", None)),
        false_positive_reason=_text(getattr(case, "false_positive_reason", None)),
        verified_scan=_text(getattr(case, "verified_scan", None)),
        removed_scan=_text(getattr(case, "removed_scan", None)),
        residual_reason=_text(getattr(case, "residual_reason", None)),
    )


def load(
    engine: Engine,
    catalog: Catalog,
    *,
    tenant: str,
    case_id: str | None = None,
    today: dt.date | None = None,
) -> tuple[CaseLike, ...] | None:
    """Cases of the tenant (or the one asked for); None when cases are not installed."""
    if case_service is None:  # pragma: no cover - a build without removal cases
        if case_id is not None:
            raise CasesUnavailableError(f"cannot report on case {case_id!r}: no removal cases")
        return None
    if case_id is not None:
        return (adapt(case_service.get_case(engine, catalog, case_id, tenant=tenant, today=today)),)
    return tuple(
        adapt(c) for c in case_service.list_cases(engine, catalog, tenant=tenant, today=today)
    )
