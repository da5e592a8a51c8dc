"""Purchase or removal: split a contract description into what is bought and what is removed.

A description such as "REMOVE AND REPLACE HIKVISION CAMERAS WITH AXIS CAMERAS"
pays for removing Hikvision cameras and buying Axis ones. :func:`classify`
finds the removal cues (remove, uninstall, decommission, replace, rip and
replace, removal of, ... replacement) and the words they govern, and returns
the removal objects and the rest of the text separately. The reader makes one
observation of each, so the matcher gives ``procurement_removal`` for a
covered name among the removal objects and ``procurement`` for one in the rest.

It knows no vendor names: it reads the sentence, not the catalog. Guards:

* "replacement" used as an adjective ("replacement licenses", "Hikvision
  replacement cameras") is a purchase of the replacement, not a cue;
* renewals, subscriptions and maintenance are never cues ("Kaspersky Total
  Security renewal" stays a purchase);
* an object ends at punctuation, at "with", "by", "to", "for", "in", "on", "from"
  ..., and at "and" followed by another action ("remove Kaspersky and install
  Defender"); "remove McAfee and Kaspersky" removes both.

Cuts fall only between whole words, so every word of either part is a whole
word of the description (the DuckDB prefilter relies on it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
_BOUNDARY_GAP = re.compile(r"[,;:.()\[\]{}/|\\\n\r\t*#&]|\s-|-\s")
"""Text between two words that ends a clause (a hyphen only with a space beside it: "IVMS-4200")."""

VERB_CUES: tuple[tuple[str, ...], ...] = (
    ("rip", "and", "replace"),
    ("remove", "and", "replace"),
    ("removal", "and", "replacement"),
    ("removal", "and", "disposal", "of"),
    ("transition", "away", "from"),
    ("move", "away", "from"),
    ("removal", "of"),
    ("replacement", "of"),
    ("disposal", "of"),
    ("decommissioning", "of"),
    ("uninstallation", "of"),
    ("dispose", "of"),
    ("rip", "out"),
    ("phase", "out"),
    ("swap", "out"),
    ("migrate", "from"),
    ("migrate", "off"),
    ("migration", "from"),
    ("transition", "from"),
    ("remove",),
    ("removes",),
    ("removing",),
    ("uninstall",),
    ("uninstalling",),
    ("decommission",),
    ("decommissioning",),
    ("replace",),
    ("replacing",),
    ("eradicate",),
    ("retire",),
    ("deinstall",),
)
"""Cues whose object follows them (longest first)."""
NOUN_CUES = frozenset(
    {
        "removal",
        "replacement",
        "decommissioning",
        "uninstallation",
        "deinstallation",
        "disposal",
        "eradication",
        "removed",
        "replaced",
        "decommissioned",
        "uninstalled",
        "retired",
    }
)
"""Cues whose object precedes them ("Kaspersky removal", "cameras replaced")."""
ADJECTIVE_CUES = frozenset({"replacement"})
"""Read as an adjective when a noun follows: "replacement licenses" is a purchase."""
FILLERS = frozenset(
    {"services", "service", "project", "effort", "work", "program", "support", "task", "labor"}
)
STOP_AFTER = frozenset(
    {"with", "by", "using", "to", "for", "in", "on", "at", "from", "into", "per", "under"}
    | {"within", "across", "throughout", "via", "as", "at", "including", "then"}
)
STOP_BEFORE = frozenset({"and", "or", "with", "for", "of", "to", "by", "in", "on", "at", "from"})
ACTIONS = frozenset(
    {"install", "installation", "installing", "provide", "provision", "deploy", "deployment"}
    | {"configure", "configuration", "implement", "implementation", "maintain", "maintenance"}
    | {"purchase", "procure", "procurement", "acquire", "acquisition", "upgrade", "new"}
    | {"replace", "replacement", "support", "train", "training", "integrate", "integration"}
)
"""After "and", these start a new action: the removal object ends before them."""


@dataclass(frozen=True, slots=True)
class Purpose:
    """A description split into removal objects and the rest."""

    removal: str
    """The removed things, whole words joined by spaces ('' when nothing is removed)."""
    purchase: str
    """The rest of the description (what the action buys), whole words joined by spaces."""
    cue: str = ""
    """The cue words found, e.g. 'rip and replace' ('' when none)."""

    @property
    def is_removal(self) -> bool:
        return bool(self.cue)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: str
    boundary_before: bool


def _tokens(text: str) -> list[_Token]:
    tokens, end = [], 0
    for match in _WORD.finditer(text):
        gap = text[end : match.start()]
        boundary = bool(_BOUNDARY_GAP.search(gap))
        tokens.append(_Token(match.start(), match.end(), match.group().casefold(), boundary))
        end = match.end()
    return tokens


def _cue_at(words: list[str], i: int) -> tuple[str, ...] | None:
    for cue in VERB_CUES:
        if tuple(words[i : i + len(cue)]) == cue:
            return cue
    return None


def _forward(tokens: list[_Token], start: int) -> int:
    """End (exclusive) of the object that starts at ``start``."""
    i = start
    while i < len(tokens):
        token = tokens[i]
        if i > start and token.boundary_before:
            break
        if token.word in STOP_AFTER or _cue_at([t.word for t in tokens], i):
            break
        if token.word == "and" and (
            i + 1 >= len(tokens) or tokens[i + 1].word in ACTIONS or tokens[i + 1].boundary_before
        ):
            break
        i += 1
    return i


def _backward(tokens: list[_Token], end: int, floor: int) -> int:
    """Start of the object that ends just before ``end`` (not before ``floor``)."""
    i = end
    while i > floor:
        if tokens[i - 1].word in STOP_BEFORE or tokens[i - 1].word in NOUN_CUES:
            break
        i -= 1
        if tokens[i].boundary_before:
            break
    return i


@functools.lru_cache(maxsize=65_536)
def classify(text: str) -> Purpose:
    """Split ``text`` into removal objects and the rest (see the module docstring).

    Cached: the modifications of one award repeat its description."""
    tokens = _tokens(text)
    words = [t.word for t in tokens]
    removed: set[int] = set()
    cue_words: set[int] = set()
    cues: list[str] = []
    floor, i = 0, 0
    while i < len(tokens):
        cue = _cue_at(words, i)
        if cue is None and (words[i] not in NOUN_CUES or _adjective(tokens, i)):
            i += 1
            continue
        after = i + (len(cue) if cue else 1)
        if (
            cue
            and after < len(tokens)
            and words[after] == "of"
            and not tokens[after].boundary_before
        ):
            after += 1  # "removal and replacement of ..."
        end = after
        if cue and after < len(tokens) and not tokens[after].boundary_before:
            end = _forward(tokens, after)  # a verb's object follows it
        objects = [j for j in range(after, end) if words[j] not in FILLERS]
        if not objects:  # "Kaspersky removal", "cameras replaced"
            objects = list(range(_backward(tokens, i, floor), i))
        cues.append(" ".join(words[i:after]))
        cue_words.update(range(i, after))
        removed.update(objects)
        floor = i = end
    if not cues:
        return Purpose("", text.strip())
    if not removed and not any(w in STOP_AFTER for w in words):
        removed = set(range(len(tokens))) - cue_words
    rest = [j for j in range(len(tokens)) if j not in removed and j not in cue_words]
    return Purpose(_join(text, tokens, sorted(removed)), _join(text, tokens, rest), "; ".join(cues))


def _adjective(tokens: list[_Token], at: int) -> bool:
    """'replacement licenses': a noun (not a filler or stop word) follows in the same clause."""
    if tokens[at].word not in ADJECTIVE_CUES:
        return False
    after = at + 1
    if after >= len(tokens) or tokens[after].boundary_before:
        return False
    word = tokens[after].word
    return word not in FILLERS and word not in STOP_AFTER and word not in ("and", "of")


def _join(text: str, tokens: list[_Token], indexes: Iterable[int]) -> str:
    """The chosen words as written: adjacent words keep the text between them ("IVMS-4200")."""
    runs: list[list[int]] = []
    for j in indexes:
        if runs and runs[-1][-1] == j - 1 and not tokens[j].boundary_before:
            runs[-1].append(j)
        else:
            runs.append([j])
    return " ".join(text[tokens[run[0]].start : tokens[run[-1]].end] for run in runs)
