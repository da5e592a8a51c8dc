"""Roles and what each may do. A user or a token has exactly one role in one tenant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"
    AGENT = "agent"
    """Ingest only: an agent posts scans and reads nothing back."""


class Permission(StrEnum):
    READ = "read"
    """See scans, findings, cases, the catalog and reports."""
    INGEST = "ingest"
    """Upload inventory files as scans."""
    TRIAGE = "triage"
    """Change cases."""
    ADMIN = "admin"
    """Create and revoke API tokens."""


PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ANALYST: frozenset({Permission.READ, Permission.INGEST, Permission.TRIAGE}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.AGENT: frozenset({Permission.INGEST}),
}

USER_ROLES = (Role.ADMIN, Role.ANALYST, Role.VIEWER)
"""Roles a person can have; ``agent`` is for tokens only."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user through a session, or an API token."""

    tenant: str
    actor: str
    """Recorded in the event log: the user name, or ``token:<id>``."""
    role: Role
    session_csrf: str | None = None
    """The session's CSRF token when the call came with a session cookie."""

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]
