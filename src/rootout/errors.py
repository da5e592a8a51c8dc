"""One error hierarchy for the whole package.

Every error carries a message a user can act on. The CLI turns these into an
exit code and a hint in one place (``rootout.cli.main``); nothing else catches
them to print.
"""

from __future__ import annotations

from dataclasses import dataclass


class RootoutError(Exception):
    """Base of every error rootout raises on purpose."""

    exit_code = 2
    hint: str | None = None


@dataclass(frozen=True, order=True)
class Location:
    """A position in an input file: path and 1-based line (0 when unknown)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a catalog pack, with where it is."""

    location: Location
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} [{self.code}] {self.message}"


class CatalogError(RootoutError):
    """The catalog cannot be loaded; ``problems`` lists every reason found."""

    exit_code = 1
    hint = "run `rootout catalog lint` to see every problem with its file and line"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else None
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}" if first else "invalid catalog")


class InputError(RootoutError):
    """An input file is malformed; names the file and the position."""

    exit_code = 2

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        super().__init__(f"{location}: {message}")


class NotFoundError(RootoutError):
    """A named object (catalog id, finding, case) does not exist."""

    exit_code = 3


class ConfigError(RootoutError):
    """The configuration file or environment is invalid."""

    exit_code = 2
