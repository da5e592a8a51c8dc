"""Removal cases: findings grouped into work with an owner, legal deadlines and a verified end.

* :mod:`rootout.cases.model`: statuses, allowed transitions, grouping, the read model;
* :mod:`rootout.cases.businessdays` and :mod:`rootout.cases.deadlines`: pure deadline logic;
* :mod:`rootout.cases.policy`: the organisation's deadline policy (calendar, own deadlines);
* :mod:`rootout.cases.grouping`: ``case open --auto``, findings grouped into cases;
* :mod:`rootout.cases.lifecycle`: user actions (status, waive, false positive, move, edit);
* :mod:`rootout.cases.verify`: verification by rescan, called by the scanning service;
* :mod:`rootout.cases.service`: :func:`list_cases` and :func:`get_case` for reports and surfaces.

docs/cases.md describes the lifecycle, the deadline rules and the policy file.
"""

from rootout.cases.grouping import OpenResult, open_cases
from rootout.cases.lifecycle import (
    change_status,
    edit_case,
    mark_false_positive,
    move_finding,
    waive_case,
)
from rootout.cases.model import CaseStatus, CaseView, DeadlineView, WaiverView
from rootout.cases.service import case_log, get_case, list_cases, record_done
from rootout.cases.verify import verify_after_scan

__all__ = [
    "CaseStatus",
    "CaseView",
    "DeadlineView",
    "OpenResult",
    "WaiverView",
    "case_log",
    "change_status",
    "edit_case",
    "get_case",
    "list_cases",
    "mark_false_positive",
    "move_finding",
    "open_cases",
    "record_done",
    "verify_after_scan",
    "waive_case",
]
