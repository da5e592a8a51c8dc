"""Case records: statuses, allowed transitions, grouping keys and the read model.

The read model (:class:`CaseView`, :class:`DeadlineView`, :class:`WaiverView`)
is what reports and other surfaces consume; its field names are a contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rootout.catalog.model import Removal
from rootout.errors import RootoutError

UNASSIGNED = "unassigned"
ORG_UNIT_TAG = "org_unit"


class CaseStatus(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    REMOVING = "removing"
    REMOVED = "removed"
    VERIFIED = "verified"
    WAIVED = "waived"
    FALSE_POSITIVE = "false_positive"


S = CaseStatus
TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = {
    S.OPEN: frozenset({S.PLANNED, S.REMOVING, S.REMOVED, S.WAIVED, S.FALSE_POSITIVE}),
    S.PLANNED: frozenset({S.OPEN, S.REMOVING, S.REMOVED, S.WAIVED, S.FALSE_POSITIVE}),
    S.REMOVING: frozenset({S.PLANNED, S.REMOVED, S.WAIVED, S.FALSE_POSITIVE}),
    S.REMOVED: frozenset({S.REMOVING, S.VERIFIED, S.OPEN, S.WAIVED}),
    S.VERIFIED: frozenset({S.OPEN}),
    S.WAIVED: frozenset({S.OPEN}),
    S.FALSE_POSITIVE: frozenset({S.OPEN}),
}
"""Every status a case may move to from each status."""

WORKING = frozenset({S.OPEN, S.PLANNED, S.REMOVING, S.REMOVED})
"""Statuses in which a case still takes new findings of its group."""

BY_SCAN_ONLY = frozenset({S.VERIFIED})
"""Reached only through a rescan that proves removal."""

WITH_OWN_COMMAND = frozenset({S.WAIVED, S.FALSE_POSITIVE})
"""Need more than a reason: an approver and expiry, or a false-positive reason."""


class CaseError(RootoutError):
    """A case operation is not allowed in the case's present state."""

    exit_code = 2


class TransitionError(CaseError):
    hint = "`rootout case show ID` shows the status; docs/cases.md lists the allowed moves"


def check_transition(case_id: str, current: CaseStatus, new: CaseStatus) -> None:
    if new == current:
        raise TransitionError(f"case {case_id} is already {current.value}")
    allowed = TRANSITIONS[current]
    if new not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "none"
        raise TransitionError(
            f"case {case_id} cannot move from {current.value} to {new.value}; allowed: {names}"
        )


def org_unit_of(observation: Mapping[str, Any]) -> str:
    """The asset's ``org_unit`` tag from a stored observation, else ``unassigned``."""
    for key, value in observation["asset"]["tags"]:
        if key == ORG_UNIT_TAG and str(value).strip():
            return str(value).strip()
    return UNASSIGNED


ARTIFACT_KINDS = frozenset(
    {"driver", "service", "kernel_module", "certificate", "registry_key", "file"}
)
"""Observation kinds that can outlive the product they came with."""


def is_residual_like(finding: Mapping[str, Any]) -> bool:
    """A leftover rather than the product: residual basis, artifact evidence or an artifact kind."""
    return (
        finding["basis"] == "residual"
        or finding["evidence"] == "artifact"
        or finding["observation"]["kind"] in ARTIFACT_KINDS
    )


def describe_finding(finding: Mapping[str, Any]) -> str:
    """``driver klif.sys (F0123...)``: the observed thing in a few words."""
    observation = finding["observation"]
    fields = observation["fields"]
    what = fields.get("driver") or fields.get("name") or fields.get("path")
    return f"{observation['kind']} {what or finding['matched_value']} ({finding['id']})"


@dataclass(frozen=True, order=True)
class GroupKey:
    """What findings of one case share: covered entity, product (or entity), org unit."""

    entity: str
    subject: str
    org_unit: str

    def __str__(self) -> str:
        return f"{self.entity}|{self.subject}|{self.org_unit}"


def group_key(finding: Mapping[str, Any]) -> GroupKey:
    """The default grouping of a stored finding row."""
    subject = finding["product"] or finding["matched_entity"]
    return GroupKey(finding["entity"], subject, org_unit_of(finding["observation"]))


@dataclass(frozen=True)
class DeadlineView:
    obligation_id: str
    legal_basis_short: str
    action: str
    due: dt.date
    days_left: int
    at_risk: bool
    report_id: str | None
    done_on: dt.date | None = None
    """When the organisation recorded the obligation as met (reports: when submitted)."""
    legal_basis: str = ""
    """Legal basis id (empty for the organisation's own deadlines)."""
    met: bool = False
    """Done (recorded), or met by the removal (removal work, repeating status reports)."""
    passed_before_identification: bool = False
    """A fixed-date deadline (issuance, listing) already past when the case was identified:
    reported, never at risk (the organisation could not act on it in time)."""


@dataclass(frozen=True)
class WaiverView:
    justification: str
    approver: str
    expires: dt.date | None
    suppressions: tuple[str, ...]
    expired: bool


@dataclass(frozen=True)
class CaseView:
    id: str
    title: str
    entity: str
    product: str | None
    org_unit: str
    status: CaseStatus
    owner: str | None
    identified_at: dt.datetime
    finding_ids: tuple[str, ...]
    asset_names: tuple[str, ...]
    deadlines: tuple[DeadlineView, ...]
    waiver: WaiverView | None
    false_positive_reason: str | None
    verified_scan: str | None
    removed_scan: str | None
    residual_reason: str | None
    events: int
    """Number of events in the case's log."""
    identified_how: str = ""
    matched_entity: str = ""
    notes: str | None = None
    removal: Removal | None = None
    """The catalog's removal guidance for the case's product."""

    @property
    def event_count(self) -> int:
        return self.events

    @property
    def at_risk(self) -> bool:
        return any(d.at_risk for d in self.deadlines)
