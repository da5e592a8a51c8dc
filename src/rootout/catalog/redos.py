"""Spot regular expressions that can backtrack catastrophically.

A heuristic over CPython's own parse of the pattern (``re._parser``), so it sees
the pattern as the engine runs it: CPython already turns ``(\\w|\\d)`` into the
character class ``[\\w\\d]`` (one step, nothing to backtrack) and factors
``(ab|ac)`` into ``a(b|c)``, while it parses ``(a|a)`` as ``a(|)``. Flagged:

1. **Nested quantifiers**: inside an unbounded repeat (``*``, ``+``, ``{n,}``), a
   repeat of variable length: ``(a+)+``, ``(a*)*``, ``(\\w+\\s?)*``, ``(a?a?)+``;
   and inside any repeat that can run more than once (``{2}``, ``{1,5}``), an
   unbounded repeat: ``(a+){2}``.
2. **Ambiguous alternation**: inside an unbounded repeat, an alternation two of
   whose branches can start with the same character, can both match the empty
   text, or differ in length: ``(a|ab|b)*``, ``(a|aa)+``, ``(a|a)*``.

Each lets one input split between iterations in exponentially many ways, which a
backtracking engine tries one by one when the rest of the pattern fails.

**Pinned iterations are exempt.** When a repeated part is one mandatory
character S followed (or preceded) by characters and at most one variable-length
run of single characters, none able to match S -- ``(?:\\.\\d+)*``,
``(?:[a-z0-9-]+\\.)*`` -- every iteration starts (or ends) at an S and holds no
other, so the split is unique and matching stays linear.

**Atomic groups and possessive quantifiers** (``(?>...)``, ``*+``, ``++``) are never
backtracked into, so they do not count as outer repeats (their insides are
checked on their own). Rewrite a flagged pattern with them, or use a simpler
match mode.

Limits: the check over-approximates (it flags some safe patterns, e.g.
``(?:\\.a*b*)+``), ignores polynomial slow-downs (``\\d+\\d+``; bounded repeats
nested in bounded repeats) and never proves a pattern safe.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")
MAXREPEAT: int = _constants.MAXREPEAT

# Characters the first-character sets are computed over: ASCII, Latin-1 and the
# Latin Extended blocks cover every character a catalog pattern is likely to use.
ALPHABET = frozenset(range(0x250))

_CATEGORY_REGEX = {
    "DIGIT": r"\d",
    "NOT_DIGIT": r"\D",
    "SPACE": r"\s",
    "NOT_SPACE": r"\S",
    "WORD": r"\w",
    "NOT_WORD": r"\W",
}

_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT"})
_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})

Node = tuple[Any, Any]
"""One ``(opcode, argument)`` pair as ``re._parser`` produces it."""


@dataclass(frozen=True)
class Hazard:
    """A shape in a pattern that can backtrack catastrophically."""

    shape: str  # "nested-quantifier" or "ambiguous-alternation"
    detail: str

    def __str__(self) -> str:
        return f"{self.shape.replace('-', ' ')}: {self.detail}"


def hazards(pattern: str, flags: int = re.IGNORECASE) -> list[Hazard]:
    """Every catastrophic-backtracking shape in ``pattern`` (which must compile)."""
    found = _walk(_parser.parse(pattern, flags), in_bounded=False, in_unbounded=False)
    return list(dict.fromkeys(found))


def _walk(seq: Iterable[Node], *, in_bounded: bool, in_unbounded: bool) -> Iterator[Hazard]:
    """``in_bounded``: inside a repeat that can run more than once; ``in_unbounded``:
    inside an unbounded one (in both cases, one whose iterations are not pinned)."""
    for op, av in seq:
        name = op.name
        if name in _REPEATS:
            low, high, body = av
            if consumes(body) and (
                (in_unbounded and _variable((op, av))) or (in_bounded and high == MAXREPEAT)
            ):
                yield Hazard(
                    "nested-quantifier",
                    f"a variable-length repeat {_bounds(low, high)} inside another repeat",
                )
            loose = not pinned(body)
            yield from _walk(
                body,
                in_bounded=in_bounded or (high > 1 and loose),
                in_unbounded=in_unbounded or (high == MAXREPEAT and loose),
            )
        elif name == "BRANCH":
            if in_unbounded:
                yield from _ambiguous(av[1])
            for branch in av[1]:
                yield from _walk(branch, in_bounded=in_bounded, in_unbounded=in_unbounded)
        elif name == "SUBPATTERN":
            yield from _walk(av[3], in_bounded=in_bounded, in_unbounded=in_unbounded)
        elif name == "GROUPREF_EXISTS":
            for branch in av[1:]:
                if branch is not None:
                    yield from _walk(branch, in_bounded=in_bounded, in_unbounded=in_unbounded)
        elif name in {"ATOMIC_GROUP", "POSSESSIVE_REPEAT", "ASSERT", "ASSERT_NOT"}:
            # Never backtracked into from outside: check the inside on its own.
            yield from _walk(_children(op, av), in_bounded=False, in_unbounded=False)


def pinned(body: Iterable[Node]) -> bool:
    """Whether each iteration of a repeat over ``body`` is pinned by a separator.

    True when ``body`` is a mandatory single character S followed (or preceded) by
    characters and simple repeats of single characters, at most one of them of
    variable length, none of which can match S: ``\\.\\d+``, ``[a-z0-9-]+\\.``.
    Every iteration then starts (or ends) at an S and contains no other, so the
    split between iterations, and within one, is unique.
    """
    items = list(body)
    while len(items) == 1 and items[0][0].name == "SUBPATTERN":
        items = list(items[0][1][3])
    if len(items) < 2:
        return False
    return _pins(items[0], items[1:]) or _pins(items[-1], items[:-1])


def _pins(separator: Node, rest: list[Node]) -> bool:
    if not _is_char(separator):
        return False
    stop = _first(*separator)
    variable = 0
    for op, av in rest:
        if _is_char((op, av)):
            chars = _first(op, av)
        elif op.name in _REPEATS and len(av[2]) == 1 and _is_char(av[2][0]):
            chars = _first(*av[2][0])
            variable += av[0] != av[1]
        else:
            return False
        if chars & stop:
            return False
    return variable <= 1


def _is_char(node: Node) -> bool:
    return bool(node[0].name in {"LITERAL", "NOT_LITERAL", "IN"})


def _children(op: Any, av: Any) -> Any:
    name = op.name
    if name == "POSSESSIVE_REPEAT":
        return av[2]
    if name == "ATOMIC_GROUP":
        return av
    return av[1]  # ASSERT, ASSERT_NOT: (direction, pattern)


def _ambiguous(branches: list[Any]) -> Iterator[Hazard]:
    for i, left in enumerate(branches):
        for right in branches[i + 1 :]:
            if nullable(left) and nullable(right):
                yield Hazard(
                    "ambiguous-alternation",
                    "two alternatives inside an unbounded repeat can both match the empty text",
                )
                return
            if lengths(left) != lengths(right):
                yield Hazard(
                    "ambiguous-alternation",
                    "alternatives of different lengths inside an unbounded repeat",
                )
                return
            shared = first_chars(left) & first_chars(right)
            if shared:
                sample = _printable(shared)
                yield Hazard(
                    "ambiguous-alternation",
                    f"two alternatives inside an unbounded repeat can both start with {sample}",
                )
                return


def _variable(node: Node) -> bool:
    low, high = _length(*node)
    return low != high


def lengths(seq: Iterable[Node]) -> tuple[int, float]:
    """The shortest and longest text ``seq`` can match (``inf``: unbounded)."""
    low, high = 0, 0.0
    for op, av in seq:
        item_low, item_high = _length(op, av)
        low, high = low + item_low, high + item_high
    return low, high


def _length(op: Any, av: Any) -> tuple[int, float]:
    name = op.name
    if name in _ZERO_WIDTH:
        return 0, 0.0
    if name in _REPEATS or name == "POSSESSIVE_REPEAT":
        body_low, body_high = lengths(av[2])
        high = math.inf if av[1] == MAXREPEAT and body_high > 0 else av[1] * body_high
        return av[0] * body_low, high
    if name == "SUBPATTERN":
        return lengths(av[3])
    if name == "ATOMIC_GROUP":
        return lengths(av)
    if name in {"BRANCH", "GROUPREF_EXISTS"}:
        options = [lengths(b) if b is not None else (0, 0.0) for b in _options(op, av)]
        return min(o[0] for o in options), max(o[1] for o in options)
    if name == "GROUPREF":
        return 0, math.inf
    return 1, 1.0  # one character


def _options(op: Any, av: Any) -> list[Any]:
    return list(av[1]) if op.name == "BRANCH" else list(av[1:])


def consumes(seq: Iterable[Node]) -> bool:
    """Whether ``seq`` can match at least one character."""
    return any(_consumes(op, av) for op, av in seq)


def _consumes(op: Any, av: Any) -> bool:
    name = op.name
    if name in _ZERO_WIDTH:
        return False
    if name in _REPEATS or name == "POSSESSIVE_REPEAT":
        return bool(av[1] > 0 and consumes(av[2]))
    if name == "SUBPATTERN":
        return consumes(av[3])
    if name == "ATOMIC_GROUP":
        return consumes(av)
    if name == "BRANCH":
        return any(consumes(branch) for branch in av[1])
    if name == "GROUPREF_EXISTS":
        return any(branch is not None and consumes(branch) for branch in av[1:])
    return True  # characters, classes, backreferences


def nullable(seq: Iterable[Node]) -> bool:
    """Whether ``seq`` can match the empty text."""
    return all(_nullable(op, av) for op, av in seq)


def _nullable(op: Any, av: Any) -> bool:
    name = op.name
    if name in _ZERO_WIDTH or name == "GROUPREF":
        return True
    if name in _REPEATS or name == "POSSESSIVE_REPEAT":
        return bool(av[0] == 0 or nullable(av[2]))
    if name == "SUBPATTERN":
        return nullable(av[3])
    if name == "ATOMIC_GROUP":
        return nullable(av)
    if name == "BRANCH":
        return any(nullable(branch) for branch in av[1])
    if name == "GROUPREF_EXISTS":
        return any(branch is None or nullable(branch) for branch in av[1:])
    return False


def first_chars(seq: Iterable[Node]) -> frozenset[int]:
    """Characters (of :data:`ALPHABET`, case-closed) a match of ``seq`` can begin with."""
    found: set[int] = set()
    for op, av in seq:
        found |= _first(op, av)
        if not _nullable(op, av):
            break
    return frozenset(found)


def _first(op: Any, av: Any) -> frozenset[int]:
    name = op.name
    if name == "LITERAL":
        return _case_closed(frozenset({av}))
    if name == "NOT_LITERAL":
        return ALPHABET - _case_closed(frozenset({av}))
    if name == "ANY" or name == "GROUPREF":
        return ALPHABET
    if name == "IN":
        return _case_closed(_class(tuple(av)))
    if name in _REPEATS or name == "POSSESSIVE_REPEAT":
        return first_chars(av[2]) if av[1] > 0 else frozenset()
    if name == "SUBPATTERN":
        return first_chars(av[3])
    if name == "ATOMIC_GROUP":
        return first_chars(av)
    if name == "BRANCH":
        return frozenset().union(*(first_chars(branch) for branch in av[1]))
    if name == "GROUPREF_EXISTS":
        return frozenset().union(*(first_chars(b) for b in av[1:] if b is not None))
    return frozenset()  # zero-width


def _class(items: tuple[Node, ...]) -> frozenset[int]:
    members: set[int] = set()
    negate = False
    for op, av in items:
        name = op.name
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            members.add(av)
        elif name == "RANGE":
            members.update(c for c in range(av[0], av[1] + 1) if c in ALPHABET)
        elif name == "CATEGORY":
            members |= _category(av.name)
        else:  # pragma: no cover - nothing else appears in a parsed class
            members |= ALPHABET
    return ALPHABET - members if negate else frozenset(members)


@lru_cache(maxsize=32)
def _category(name: str) -> frozenset[int]:
    key = name.removeprefix("CATEGORY_").removeprefix("UNI_").removeprefix("LOC_")
    regex = _CATEGORY_REGEX.get(key)
    if regex is None:  # line breaks and the like: assume anything
        return ALPHABET
    compiled = re.compile(regex)
    return frozenset(c for c in ALPHABET if compiled.fullmatch(chr(c)))


def _case_closed(chars: frozenset[int]) -> frozenset[int]:
    closed = set(chars)
    for code in chars:
        for variant in (chr(code).lower(), chr(code).upper()):
            if len(variant) == 1 and ord(variant) in ALPHABET:
                closed.add(ord(variant))
    return frozenset(closed)


def _bounds(low: int, high: int) -> str:
    if (low, high) == (0, 1):
        return "'?'"
    if high == MAXREPEAT:
        return "'*'" if low == 0 else "'+'" if low == 1 else f"'{{{low},}}'"
    return f"'{{{low},{high}}}'"


def _printable(chars: frozenset[int]) -> str:
    shown = sorted(chars)[:3]
    return ", ".join(repr(chr(c)) for c in shown) + (" ..." if len(chars) > 3 else "")
