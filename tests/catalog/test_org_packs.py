"""Organisation packs add entities and designations, extend entities and disable rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.catalog import load_catalog
from rootout.errors import CatalogError

BASE = """\
pack: base
version: "1"
description: base
sources:
  - {id: src.base, url: "https://example.org", title: Base, publisher: Ex, date: "2024", reliability: official}
entities:
  - {id: ent.vendor, name: Vendor Ltd, sources: [src.base]}
signatures:
  - {id: sig.vendor, kind: publisher, patterns: [Vendor], match: name, confidence: high,
     entity: ent.vendor, sources: [src.base]}
"""

ORG = """\
pack: org
version: "1"
description: our own banned-vendor list
sources:
  - {id: src.memo, url: "https://intranet.example/memo", title: Memo, publisher: CISO, date: "2025-01-02",
     reliability: official}
extend:
  - entity: ent.vendor
    aliases: [Vendor Trading GmbH]
    identifiers:
      - {scheme: uei, value: ABCDEFGH1234, sources: [src.memo]}
disable:
  - {id: sig.vendor, reason: "replaced by our stricter rule"}
"""


def test_extend_and_disable(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "org.yaml").write_text(ORG)
    catalog = load_catalog([tmp_path / "base.yaml", tmp_path / "org"], builtin=False)
    entity = catalog.entities["ent.vendor"]
    assert "Vendor Trading GmbH" in entity.aliases
    assert [i.value for i in entity.identifiers] == ["ABCDEFGH1234"]
    assert "sig.vendor" not in catalog.signatures
    assert catalog.disabled == {"sig.vendor": "replaced by our stricter rule"}


def test_disabling_changes_the_catalog_version(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    before = load_catalog([tmp_path / "base.yaml"], builtin=False).version
    (tmp_path / "org.yaml").write_text(ORG)
    after = load_catalog([tmp_path / "base.yaml", tmp_path / "org.yaml"], builtin=False).version
    assert before != after


def test_disabling_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "org.yaml").write_text(ORG.replace("id: sig.vendor", "id: sig.nothing"))
    with pytest.raises(CatalogError, match=r"org\.yaml:\d+: error \[dangling-ref\]"):
        load_catalog([tmp_path / "base.yaml", tmp_path / "org.yaml"], builtin=False)


def test_disabling_a_fact_others_depend_on_asks_to_disable_them_too(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "org.yaml").write_text(
        ORG.replace("id: sig.vendor", "id: ent.vendor").replace(
            "extend:\n  - entity: ent.vendor\n    aliases: [Vendor Trading GmbH]\n    identifiers:\n"
            "      - {scheme: uei, value: ABCDEFGH1234, sources: [src.memo]}\n",
            "",
        )
    )
    with pytest.raises(CatalogError) as info:
        load_catalog([tmp_path / "base.yaml", tmp_path / "org.yaml"], builtin=False)
    assert any("disable 'sig.vendor' too" in p.message for p in info.value.problems)
