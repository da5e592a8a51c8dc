"""Records of the synthetic register, and the invented names and identifiers it uses.

Company names are made of invented stems ("Quorvane", "Tessaly"...) so that none
is a real small company's; the covered entities and catalog traps are the only
real names, spelt exactly as ``src/rootout/catalog/packs`` has them, and they get
no identifiers (the catalog lists none; inventing one for a real company is not
allowed). UEIs and CAGE codes of invented companies are random strings of the
right shape; DUNS numbers are left empty because almost every nine-digit number is
some real company's DUNS.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SEED = "example-suppliers-v1"
TODAY = dt.date(2026, 11, 28)
"""The screening date the labels are written for (the eval and golden tests use it)."""

# The UEI alphabet: A-Z and 0-9 without O and I (GSA); CAGE codes use it too here.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_ONSETS = ("b", "br", "c", "cr", "d", "dr", "f", "g", "gl", "h", "k", "l", "m", "n", "p")
_ONSETS += ("pr", "qu", "r", "s", "st", "t", "tr", "v", "w", "z", "th", "sk", "pl")
_NUCLEI = ("a", "e", "i", "o", "u", "ae", "ou", "ea", "y")
_CODAS = ("lix", "vane", "ndra", "rvis", "mont", "sely", "thar", "rix", "nova", "quist")
_CODAS += ("well", "brook", "stead", "ridge", "mark", "tora", "lyn", "vex", "dane", "coria")


def rng(label: str) -> random.Random:
    """A random stream per label, so changing one part never shifts another."""
    return random.Random(f"{SEED}/{label}")


def stem(r: random.Random) -> str:
    """An invented word such as "Trouvane" or "Skelix"."""
    return (r.choice(_ONSETS) + r.choice(_NUCLEI) + r.choice(_CODAS)).capitalize()


def uei(r: random.Random) -> str:
    first = r.choice(_ALPHABET[:-10] + _ALPHABET[-9:])  # never 0
    return first + "".join(r.choice(_ALPHABET) for _ in range(11))


def cage(r: random.Random) -> str:
    return "".join(r.choice(_ALPHABET) for _ in range(5))


@dataclass(frozen=True)
class Rep:
    """A FAR representation row."""

    clause: str
    provides: str
    uses: str
    signed_on: dt.date
    signer: str
    expires_on: dt.date | None = None
    disclosure: str = ""


@dataclass(frozen=True)
class Access:
    system: str
    start: dt.date
    end: dt.date | None = None
    tenant: str = ""


@dataclass(frozen=True)
class Delivered:
    """A delivered file: ``path`` relative to the register folder."""

    path: str
    kind: str  # sbom or inventory
    delivered_on: dt.date


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    category: str
    provides: tuple[str, ...]
    uei: str = ""
    cage: str = ""
    country: str = ""
    parent_name: str = ""
    parent_uei: str = ""
    reps: tuple[Rep, ...] = ()
    access: tuple[Access, ...] = ()
    delivered: tuple[Delivered, ...] = ()
    expected: tuple[str, ...] = ()
    """Finding kinds correct screening reports on TODAY (empty for negatives)."""
    group: str = "background"
    """``planted``, ``hard_negative`` or ``background``."""
    note: str = ""
