"""A verified signature hit: the unit passed from verification to resolution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rootout.catalog.model import Signature
from rootout.match.verify import Verdict
from rootout.model.observation import Observation


@dataclass(frozen=True, slots=True)
class Hit:
    """A verified signature hit on one field of one observation."""

    observation: Observation
    field: str
    signature: Signature
    verdict: Verdict
    on: dt.date
