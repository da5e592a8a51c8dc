"""Delivered files as supplier evidence: read with rootout's readers, matched with its matcher.

The edge between the register and :func:`rootout.suppliers.screen.screen`: each
delivered SBOM or inventory is read (:func:`rootout.ingest.scan.read_inputs`, format
detected), its observations are matched, and the findings become the supplier's
:class:`~rootout.suppliers.model.Evidence`. A file that cannot be read becomes
evidence with an ``error`` (shown, never silently dropped).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rootout.ingest.scan import InputStatus, read_inputs
from rootout.match.engine import Matcher
from rootout.suppliers.model import Delivery, Evidence


def delivery_evidence(delivery: Delivery, matcher: Matcher) -> Evidence:
    """Findings of one delivered file (``delivery.path`` must be absolute or cwd-relative)."""
    path = Path(delivery.path)
    base = Evidence(delivery.supplier_id, delivery.path, delivery.kind, (), delivery.delivered_on)
    if not path.is_file():
        return _failed(base, f"delivered file not found: {delivery.path}")
    read = read_inputs([path])
    errors = [
        f"{record.path}: {record.error or record.status.value}"
        for record in read.inputs
        if record.status in (InputStatus.FAILED, InputStatus.UNRECOGNISED, InputStatus.SKIPPED)
    ]
    if errors and not read.observations:
        return _failed(base, "; ".join(errors))
    findings = tuple(matcher.match(read.observations))
    return Evidence(
        delivery.supplier_id,
        delivery.path,
        delivery.kind,
        findings,
        delivery.delivered_on,
        "; ".join(errors) or None,
    )


def gather(deliveries: Sequence[Delivery], matcher: Matcher) -> list[Evidence]:
    return [delivery_evidence(d, matcher) for d in deliveries]


def _failed(base: Evidence, reason: str) -> Evidence:
    return Evidence(base.supplier_id, base.path, base.kind, (), base.delivered_on, reason)
