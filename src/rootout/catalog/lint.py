"""``rootout catalog lint``: every problem of every pack, each with ``path:line``.

The loader and :func:`~rootout.catalog.catalog.assemble` already report YAML,
schema, duplicate-id and dangling-reference problems. The checks here are the
semantic ones: intervals, regular expressions, and signatures that would match
one of the catalog's own hard negatives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rootout.catalog.catalog import Catalog, assemble
from rootout.catalog.loader import ReadResult, builtin_pack_paths, read_packs
from rootout.errors import Problem

Check = Callable[[Catalog], Iterator[Problem]]
CHECKS: list[Check] = []


def check(func: Check) -> Check:
    """Register a lint check; each check is a pure function of the catalog."""
    CHECKS.append(func)
    return func


def lint_paths(
    paths: Iterable[Path], *, with_builtin: bool = True
) -> tuple[Catalog, list[Problem]]:
    """Lint ``paths`` (and the built-in packs, which they may refer to)."""
    result = read_packs(builtin_pack_paths(), builtin=True) if with_builtin else ReadResult([], [])
    extra = read_packs(list(paths))
    result.packs.extend(extra.packs)
    result.problems.extend(extra.problems)
    catalog, problems = assemble(result)
    for func in CHECKS:
        problems.extend(func(catalog))
    return catalog, sorted(set(problems))


# The semantic checks live in rootout.catalog.checks and register themselves on import.
from rootout.catalog import checks as _checks  # noqa: E402,F401
