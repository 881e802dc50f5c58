"""The shipped knowledge base: sizes the issue asks for, sources, and referential integrity."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from comity.errors import InputError
from comity.knowledge import content as knowledge
from comity.knowledge.content import knowledge_records, load_crosswalks, load_items
from comity.rulebook.loader import default_rulebook

RULEBOOK = default_rulebook()
THEMES = {"privacy", "accountability", "safety_security", "transparency_explainability",
          "fairness_non_discrimination", "human_control", "professional_responsibility",
          "promotion_of_human_values"}


@pytest.mark.parametrize(("name", "minimum"), [
    ("standards.yaml", 60), ("sandboxes.yaml", 20), ("principles.yaml", 8),
    ("glossary.yaml", 20), ("projects.yaml", 10),
])
def test_seed_content_is_as_large_as_promised(name: str, minimum: int) -> None:
    assert len(load_items(name)) >= minimum


@pytest.mark.parametrize("name", ["standards.yaml", "sandboxes.yaml", "principles.yaml",
                                  "projects.yaml"])
def test_every_item_cites_a_web_source(name: str) -> None:
    for item in load_items(name):
        assert item.source_url.startswith(("https://", "http://")), item.id


def test_standards_support_known_duty_types_and_span_the_bodies() -> None:
    standards = load_items("standards.yaml")
    for standard in standards:
        assert set(standard.supports) <= set(RULEBOOK.duty_types), standard.id
    bodies = " ".join(s.body for s in standards)
    for body in ("ISO/IEC JTC 1/SC 42", "CEN", "IEEE", "NIST", "TC260"):
        assert body in bodies
    assert any(s.harmonised_for for s in standards)
    assert {s.status for s in standards} >= {"published", "under development"}


def test_sandboxes_are_comparable() -> None:
    sandboxes = load_items("sandboxes.yaml")
    assert len({s.jurisdiction for s in sandboxes}) >= 10
    described = [s for s in sandboxes if s.eligibility and s.legal_effect]
    assert len(described) >= 0.8 * len(sandboxes)


def test_principles_are_coded_to_the_eight_common_themes() -> None:
    documents = load_items("principles.yaml")
    used: Counter[str] = Counter()
    for document in documents:
        assert not document.binding
        for principle in document.principles:
            assert principle.themes and set(principle.themes) <= THEMES, principle.id
            used.update(principle.themes)
    assert set(used) == THEMES


def test_glossary_defines_the_key_terms_side_by_side_in_seven_languages() -> None:
    terms = {term.term.lower(): term for term in load_items("glossary.yaml")}
    for key in ("ai system", "provider", "deployer", "deepfake", "general-purpose ai model"):
        assert any(key in name for name in terms), key
    assert len(terms["ai system"].definitions) >= 4
    languages = {lang for term in terms.values() for lang in term.translations}
    assert {"en", "zh", "fr", "de", "ja", "ko", "es"} <= languages
    for term in terms.values():
        assert set(term.translations) - {"en"} <= set(term.translation_sources), term.id


def test_crosswalks_point_at_real_rules_and_controls() -> None:
    walks = load_crosswalks()
    assert walks is not None
    assert {"iso42001", "nist-ai-rmf"} <= set(walks.frameworks)
    items = {name: {item.id for item in framework.items}
             for name, framework in walks.frameworks.items()}
    for framework in walks.frameworks.values():
        for item in framework.items:
            assert set(item.duty_types) <= set(RULEBOOK.duty_types), item.id
    for relation in walks.relations:
        for end in (relation.from_, relation.to):
            if end.framework in items:
                assert end.id in items[end.framework], end
            else:
                assert RULEBOOK.rule(end.id) is not None, end
        assert relation.rationale


def test_knowledge_records_are_unique() -> None:
    uids = [record.uid for record in knowledge_records()]
    assert len(uids) == len(set(uids))


def test_a_bad_knowledge_file_names_the_field(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path
    (folder / "sandboxes.yaml").write_text(
        "sandboxes:\n  - {id: x, name: X, jurisdiction: EU, authority: A, status: s,"
        " source_url: 'https://x', colour: blue}\n", encoding="utf-8")
    monkeypatch.setattr(knowledge, "knowledge_folder", lambda: folder)
    knowledge.load_items.cache_clear()
    try:
        with pytest.raises(InputError, match=r"sandboxes\[0\]\.colour"):
            load_items("sandboxes.yaml")
    finally:
        knowledge.load_items.cache_clear()


def _load_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[object, ...]:
    (tmp_path / "sandboxes.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(knowledge, "knowledge_folder", lambda: tmp_path)
    knowledge.load_items.cache_clear()
    try:
        return load_items("sandboxes.yaml")
    finally:
        knowledge.load_items.cache_clear()


SANDBOX = "{{id: {id}, name: X, jurisdiction: EU, authority: A, status: s, source_url: 'https://x'{more}}}"


def test_every_entry_carries_the_day_it_was_last_checked() -> None:
    records = knowledge_records()
    assert records and all(record.checked is not None for record in records)
    renamed = next(r for r in records if r.key == "iso-iec-tr-29119-11-2020")
    assert str(renamed.checked) == "2026-12-04"  # its own date, not the file's default


def test_an_entry_inherits_the_files_check_date_or_names_the_gap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _load_from(tmp_path, monkeypatch, "provenance: {added_by: t, checked: 2025-01-02}\n"
                       "sandboxes:\n  - " + SANDBOX.format(id="a", more="") + "\n  - "
                       + SANDBOX.format(id="b", more=", checked: 2026-03-04") + "\n")
    assert [str(item.checked) for item in items] == ["2025-01-02", "2026-03-04"]  # type: ignore[attr-defined]
    with pytest.raises(InputError, match=r"sandboxes\[0\]\.checked"):
        _load_from(tmp_path, monkeypatch, "sandboxes:\n  - " + SANDBOX.format(id="a", more=""))


@pytest.mark.parametrize(("aliases", "message"), [
    ("[b]", "'b' names several items"),
    ("[a]", "other than the item's own"),
    ("['no spaces']", "other than the item's own"),
])
def test_aliases_name_one_item_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    aliases: str, message: str) -> None:
    text = ("provenance: {added_by: t, checked: 2025-01-02}\nsandboxes:\n  - "
            + SANDBOX.format(id="a", more=f", aliases: {aliases}") + "\n  - "
            + SANDBOX.format(id="b", more="") + "\n")
    with pytest.raises(InputError, match=message):
        _load_from(tmp_path, monkeypatch, text)


def test_the_renamed_testing_report_is_sc7_only_and_keeps_its_old_id() -> None:
    standard = next(s for s in load_items("standards.yaml")
                    if s.id == "iso-iec-tr-29119-11-2020")
    assert standard.number == "ISO/IEC TR 29119-11:2020" and "IEEE" not in standard.body
    assert standard.aliases == ["iso-iec-ieee-tr-29119-11-2020"]
    assert str(standard.published) == "2020-11-27"
