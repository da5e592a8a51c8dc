"""Pure normalisers: the keys observations and signatures are compared on.

Every function here is total (any string in, a string out), idempotent, and
free of I/O; ``tests/match/test_normalize.py`` checks those properties with
Hypothesis.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal-form words dropped from organisation names, compared after folding.
# Multi-word forms are matched before single words.
LEGAL_FORMS: tuple[str, ...] = (
    "co ltd",
    "company limited",
    "co limited",
    "corporation limited",
    "pte ltd",
    "pvt ltd",
    "private limited",
    "s a u",
    "fz llc",
    "sau",
    "ao",
    "zao",
    "ooo",
    "oao",
    "pao",
    "jsc",
    "pjsc",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "corp",
    "corporation",
    "company",
    "co",
    "sa",
    "s a",
    "bv",
    "b v",
    "nv",
    "srl",
    "spa",
    "kk",
    "oy",
    "ab",
)
_LEGAL_RE = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r")(?=\s|$)")

# Tails that vary between installs of one product: versions, editions, platforms, bitness.
# A number counts as a version only when whitespace separates it from the name:
# "Firewall-1" and "iVMS-4200" keep their digits (joined to the word), "KES 12.4" does not.
_JOIN_DIGITS = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_VERSION = re.compile(
    r"\s+(?:v(?:ersion)?\s*)?\d[\w.\-]*|\s+\((?:x64|x86|64[\s-]?bit|32[\s-]?bit|amd64|arm64)\)"
)
_TOKEN_TAIL = re.compile(
    r"\s+(?:v(?:ersion)?\s*)?\d\w*"  # a bare number left after punctuation became spaces
    r"|\s+(?:x64|x86|64 bit|32 bit|amd64|arm64)(?=\s|$)"  # bitness
    r"|\s+for (?:windows|mac|macos|linux|android|ios)(?: workstations?)?$"  # trailing platform
)
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")

# Transliteration of the Cyrillic alphabet (GOST 7.79 system B, simplified) so that
# "Лаборатория Касперского" compares with its Latin spelling.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


def fold(text: str) -> str:
    """NFKC, case-fold, and transliterate Cyrillic."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _CYRILLIC_RE.search(folded):
        folded = "".join(_CYRILLIC.get(ch, ch) for ch in folded)
    return folded


def simplify(text: str) -> str:
    """Fold, turn punctuation into spaces, collapse whitespace."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def tokens(text: str) -> tuple[str, ...]:
    return tuple(simplify(text).split())


@lru_cache(maxsize=65536)
def org_name(text: str) -> str:
    """Normalise an organisation name: simplified, with legal-form words removed.

    "AO Kaspersky Lab" and "Kaspersky Lab JSC" both become "kaspersky lab";
    "ZHEJIANG DAHUA TECHNOLOGYCO.,LTD" becomes "zhejiang dahua technologyco" (the
    registry's missing space is kept: fuzzy matching handles it).
    """
    simple = simplify(text)
    previous = None
    while previous != simple:
        previous = simple
        simple = _SPACE.sub(" ", _LEGAL_RE.sub(" ", f" {simple} ")).strip()
    return simple or simplify(text)


@lru_cache(maxsize=65536)
def product_name(text: str) -> str:
    """Normalise a product name: drop version, edition, platform and bitness tails.

    "Kaspersky Endpoint Security 12.4 for Windows (x64)" -> "kaspersky endpoint security";
    "Kaspersky Security for Windows Server" keeps its platform ("... for windows server"),
    because there the platform names a different product. The result is a fixed
    point: normalising it again changes nothing.
    """
    base = _JOIN_DIGITS.sub("", fold(text))
    previous = None
    while previous != base:
        previous, base = base, _VERSION.sub("", base)
    base = simplify(base)
    previous = None
    while previous != base:
        previous, base = base, simplify(_TOKEN_TAIL.sub("", base))
    return base or simplify(_JOIN_DIGITS.sub("", fold(text)))


def hex_only(text: str) -> str:
    """Upper-case hex digits of a MAC address or prefix, separators removed."""
    return re.sub(r"[^0-9A-Fa-f]", "", text).upper()


def domain(text: str) -> str:
    """A DNS name in lower case without a trailing dot."""
    value = fold(text).strip()
    while value.endswith("."):
        value = value[:-1].rstrip()
    return value
