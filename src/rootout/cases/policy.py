"""The organisation's deadline policy: which rules apply, the calendar, its own deadlines.

The policy is the ``[cases]`` table of the config file (``rootout.toml``), or a
TOML file of its own named by ``--policy`` / ``ROOTOUT_CASE_POLICY`` (the same
keys, at the top level or under ``[cases]``). Every key is documented in
``docs/cases.md``; unknown keys are errors, so a typo never silently changes a
deadline.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rootout.cases.businessdays import BusinessCalendar
from rootout.catalog.model import DayUnit
from rootout.config import config_path
from rootout.errors import ConfigError
from rootout.store.clock import as_utc

POLICY_ENV = "ROOTOUT_CASE_POLICY"
ORGANISATION_SHORT = "Organisation policy"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class CalendarSettings(_Strict):
    country: str = Field(default="US", description="holidays country code.")
    subdivision: str | None = Field(default=None, description="State or territory, e.g. DC.")
    categories: tuple[str, ...] = Field(
        default=("public",), description="holidays categories; add 'government' for closures."
    )
    closures: tuple[dt.date, ...] = Field(default=(), description="Extra dates the office is shut.")


class OrgObligationSettings(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.:-]*$", description="Stable id of the deadline.")
    action: str = Field(min_length=1, description="What must be done.")
    days: int = Field(ge=0, description="Days allowed.")
    unit: DayUnit = Field(default=DayUnit.BUSINESS, description="business or calendar.")
    from_event: str = Field(
        default="identification",
        alias="from",
        pattern=r"^(identification|obligation:[a-z0-9_.:-]+)$",
        description="identification, or obligation:<id> (another deadline's completion).",
    )
    repeat_every: int | None = Field(default=None, ge=1, description="Repeats every N days.")
    entities: tuple[str, ...] = Field(
        default=(), description="Covered entity ids it applies to (empty: every case)."
    )


class PolicySettings(_Strict):
    legal_bases: tuple[str, ...] | None = Field(
        default=None, description="Legal basis ids whose deadlines apply (default: all)."
    )
    exclude_obligations: tuple[str, ...] = Field(default=(), description="Obligation ids to drop.")
    clause_dates: dict[str, dt.date] = Field(
        default_factory=dict,
        description="Legal basis id -> clause date in the contract; picks the clause version.",
    )
    anchor_at_identification: tuple[str, ...] = Field(
        default=(),
        description="Legal basis ids whose issuance- or listing-dated deadlines start at "
        "identification instead.",
    )
    at_risk_days: int = Field(
        default=2, ge=0, description="Days left at which a deadline is at risk."
    )
    timezone: str = Field(default="UTC", description="Time zone that dates identification.")
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    obligations: tuple[OrgObligationSettings, ...] = Field(
        default=(), description="The organisation's own deadlines."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value != "UTC":
            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value


@dataclass(frozen=True)
class OrgObligation:
    """A deadline the organisation sets itself."""

    id: str
    action: str
    days: int
    unit: DayUnit
    from_event: str
    repeat_every: int | None
    entities: frozenset[str]

    def applies_to(self, entity: str) -> bool:
        return not self.entities or entity in self.entities


@dataclass(frozen=True)
class Policy:
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    legal_bases: frozenset[str] | None = None
    exclude_obligations: frozenset[str] = frozenset()
    clause_dates: tuple[tuple[str, dt.date], ...] = ()
    anchor_at_identification: frozenset[str] = frozenset()
    at_risk_days: int = 2
    timezone: str = "UTC"
    obligations: tuple[OrgObligation, ...] = ()
    source: str = "built-in defaults"

    def clause_date(self, legal_basis: str) -> dt.date | None:
        return dict(self.clause_dates).get(legal_basis)

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The calendar date of ``moment`` in the policy's time zone (naive means UTC)."""
        moment = as_utc(moment)
        zone = dt.UTC if self.timezone == "UTC" else zoneinfo.ZoneInfo(self.timezone)
        return moment.astimezone(zone).date()


def policy_from_settings(settings: PolicySettings, source: str) -> Policy:
    cal = settings.calendar
    return Policy(
        calendar=BusinessCalendar(
            cal.country, cal.subdivision, cal.categories, frozenset(cal.closures)
        ),
        legal_bases=frozenset(settings.legal_bases) if settings.legal_bases is not None else None,
        exclude_obligations=frozenset(settings.exclude_obligations),
        clause_dates=tuple(sorted(settings.clause_dates.items())),
        anchor_at_identification=frozenset(settings.anchor_at_identification),
        at_risk_days=settings.at_risk_days,
        timezone=settings.timezone,
        obligations=tuple(
            OrgObligation(
                o.id, o.action, o.days, o.unit, o.from_event, o.repeat_every, frozenset(o.entities)
            )
            for o in settings.obligations
        ),
        source=source,
    )


def parse_policy(data: dict[str, Any], source: str) -> Policy:
    """A policy from TOML data; errors name the source and the key."""
    try:
        settings = PolicySettings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"cases.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from exc
    return policy_from_settings(settings, source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read case policy: {exc}") from exc


def load_policy(path: Path | None = None) -> Policy:
    """``path``, else ``ROOTOUT_CASE_POLICY``, else the config file's ``[cases]``, else defaults."""
    named = path or (Path(os.environ[POLICY_ENV]) if os.environ.get(POLICY_ENV) else None)
    if named is not None:
        data = _read_toml(named)
        section = data.get("cases", data)
    else:
        config = config_path()
        if config is None:
            return Policy()
        named, section = config, _read_toml(config).get("cases", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{named}: [cases] must be a table")
    return parse_policy(section, str(named))
