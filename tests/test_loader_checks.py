"""The rulebook loader's reference checks and citation rendering, each message and
field path pinned on a small rulebook written for the test (mutation testing,
docs/testing.md)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from comity.errors import InputError, Problem
from comity.rulebook.loader import (
    Citation,
    DateParameter,
    default_rules_folder,
    load_rulebook,
)

INSTRUMENTS = ("xx-act", "xx-code")


def _rule(rule_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": rule_id, "kind": "obligation", "title": "A duty",
            "summary": "Providers must do the thing the act asks of them.",
            "citation": {"instrument": "xx-act", "article": "1"},
            "in_force": {"from": "2025-01-01"}, "addressees": ["provider"],
            "duty": "logging", **fields}


def _questions(folder: Path, questions: list[dict[str, Any]]) -> None:
    (folder / "questions.yaml").write_text(yaml.safe_dump({"questions": [
        {"text": "Is it so?", "help": "Answer from the system's documentation.",
         "citation": "Act, Art. 1", "version": "1", **q} for q in questions]}))


def _rulebook(tmp_path: Path, rules: list[dict[str, Any]], **jurisdiction: Any) -> Path:
    root = tmp_path / "rules"
    (root / "xx").mkdir(parents=True)
    shutil.copy(default_rules_folder() / "rulebook.yaml", root / "rulebook.yaml")
    _questions(root, [{"id": "common.shared"}])
    _questions(root / "xx", [{"id": "xx.yes"}, {"id": "xx.kind", "type": "one_of",
                                                  "options": ["a", "b"]}])
    (root / "yy").mkdir()
    _questions(root / "yy", [{"id": "yy.other"}])
    spec = {"code": "XX", "name": "Test land", "scope": None,
            "tiers": [{"name": "all", "common": "minimal"}],
            "sets": {"members": ["DE"]},
            "parameters": {"start": {"description": "When it starts", "values": [
                {"since": "2024-01-01", "value": "2026-01-01",
                 "citation": {"instrument": "xx-act", "article": "9"}}]}},
            "instruments": [{"id": i, "title": "The act", "short_title": "Act",
                             "kind": "law", "status": "in_force",
                             "source_url": "https://example.org/act"} for i in INSTRUMENTS],
            **jurisdiction}
    (root / "xx" / "jurisdiction.yaml").write_text(yaml.safe_dump({"jurisdiction": spec}))
    (root / "xx" / "duties.yaml").write_text(yaml.safe_dump(
        {"instrument": "xx-act", "rules": rules}))
    return root


def _problems(folder: Path) -> list[Problem]:
    """The problems reported, with "allowed" sorted: the loader lists the established
    conclusions from a set, in an order that varies with the hash seed."""
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    return [Problem(p.path, p.message, tuple(sorted(p.allowed)))
            for p in caught.value.problems]


def test_a_valid_small_rulebook_loads(tmp_path: Path) -> None:
    rulebook = load_rulebook(_rulebook(tmp_path, [_rule("xx.act.a")]))
    assert [rule.id for rule in rulebook.rules()] == ["xx.act.a"]
    assert set(rulebook.jurisdictions["XX"].questions) == {"common.shared", "xx.yes", "xx.kind"}


def test_each_reference_problem_is_reported(tmp_path: Path) -> None:
    duties = tuple(sorted(yaml.safe_load((default_rules_folder() / "rulebook.yaml").read_text())
                   ["duty_types"]))
    redlines = tuple(sorted(yaml.safe_load((default_rules_folder() / "rulebook.yaml").read_text())
                     ["redlines"]))
    rules = [
        _rule("xx.act.dup"), _rule("xx.act.dup"),
        _rule("xx.act.exc", kind="exception", exception_of=["xx.act.none"], addressees=[],
              duty=None),
        _rule("xx.act.exc2", kind="exception", addressees=[], duty=None),
        _rule("xx.act.duty", duty="paperwork"),
        _rule("xx.act.noduty", kind="expectation", duty=None),
        _rule("xx.act.noduty2", duty=None),
        _rule("xx.act.red", redline="no_such_redline"),
        _rule("xx.act.ban", kind="prohibition", duty=None, addressees=[]),
        _rule("xx.act.nobody", addressees=[]),
        _rule("xx.act.param", applies_from="finish"),
        _rule("xx.act.window", in_force={"from": "2025-01-01", "until": "2025-01-01"}),
        _rule("xx.act.est", when={"established": "nobody"}),
        _rule("xx.act.set", when={"fact": "deployer.country", "in_set": "nowhere"}),
        _rule("xx.act.set2", when={"fact": "markets", "has_any_in_set": "nowhere2"}),
    ]
    at = "duties.yaml: rule "
    assert _problems(_rulebook(tmp_path, rules)) == [
        Problem(at + "xx.act.dup", "duplicate rule id"),
        Problem(at + "xx.act.dup", "duplicate rule id"),
        Problem(at + "xx.act.exc", "exception_of names unknown rule 'xx.act.none'"),
        Problem(at + "xx.act.exc2", "an exception needs exception_of"),
        Problem(at + "xx.act.duty", "unknown duty type 'paperwork'", duties),
        Problem(at + "xx.act.noduty", "an obligation needs a duty type", duties),
        Problem(at + "xx.act.noduty2", "an obligation needs a duty type", duties),
        Problem(at + "xx.act.red", "unknown redline 'no_such_redline'", redlines),
        Problem(at + "xx.act.red", "only a prohibition can name a redline"),
        Problem(at + "xx.act.ban", "an obligation or prohibition needs addressees"),
        Problem(at + "xx.act.nobody", "an obligation or prohibition needs addressees"),
        Problem(at + "xx.act.param", "unknown date parameter 'finish'", ("start",)),
        Problem(at + "xx.act.window", "in_force.until must be after in_force.from"),
        Problem("rule xx.act.est", "no rule establishes 'nobody'", ("prohibited",)),
        Problem("rule xx.act.set", "unknown set 'nowhere'", ("members",)),
        Problem("rule xx.act.set2", "unknown set 'nowhere2'", ("members",)),
    ]


def test_scope_tier_market_and_cycle_problems(tmp_path: Path) -> None:
    rules = [_rule("xx.act.a", kind="scope", duty=None, establishes=["a"],
                   when={"established": "b"}),
             _rule("xx.act.b", kind="scope", duty=None, establishes="b",
                   when={"all": [{"established": "a"}]})]
    folder = _rulebook(tmp_path, rules, scope={"established": "gone"},
                       tiers=[{"name": "top", "common": "high", "when": {"established": "lost"}}],
                       markets={"within": ["ATLANTIS"], "parts_in_set": "absent"})
    assert _problems(folder) == [
        Problem("scope", "no rule establishes 'gone'", ("a", "b")),
        Problem("tier top", "no rule establishes 'lost'", ("a", "b")),
        Problem("jurisdiction.markets.within", "'ATLANTIS' is not a market code"),
        Problem("jurisdiction.markets.parts_in_set", "unknown set 'absent'", ("members",)),
        Problem("rule xx.act.a", "circular dependency: xx.act.a -> xx.act.b -> xx.act.a"),
    ]


def test_an_exception_cycle_is_found(tmp_path: Path) -> None:
    rules = [_rule("xx.act.a", kind="exception", exception_of=["xx.act.b"], duty=None),
             _rule("xx.act.b", kind="exception", exception_of=["xx.act.a"], duty=None)]
    assert _problems(_rulebook(tmp_path, rules)) == [
        Problem("rule xx.act.a", "circular dependency: xx.act.a -> xx.act.b -> xx.act.a")]


def test_no_cycle_through_a_shared_dependency(tmp_path: Path) -> None:
    rules = [_rule("xx.act.base", kind="scope", duty=None, establishes=["base"]),
             _rule("xx.act.one", when={"established": "base"}),
             _rule("xx.act.two", when={"all": [{"established": "base"}]})]
    assert len(load_rulebook(_rulebook(tmp_path, rules)).rules()) == 3


@pytest.mark.parametrize(("when", "message", "allowed"), [
    ({"needs": "xx.nope"}, "needs names unknown question 'xx.nope'",
     ("common.shared", "xx.kind", "xx.yes")),
    ({"needs": "yy.other"}, "question 'yy.other' belongs to another regime; move it to "
     "questions.yaml at the top to share it", ("common.shared", "xx.kind", "xx.yes")),
    ({"needs": "xx.yes", "equals": "a"}, "question 'xx.yes' is yes_no; test it with no "
     "operator", ()),
    ({"needs": "xx.kind"}, "question 'xx.kind' is one_of; test it with one of "
     "['equals', 'in']", ()),
    ({"needs": "xx.kind", "gt": 1}, "question 'xx.kind' is one_of; test it with one of "
     "['equals', 'in']", ()),
    ({"needs": "xx.kind", "in": ["a", "c"]}, "value not among the options of 'xx.kind'",
     ("a", "b")),
    ({"needs": "xx.kind", "equals": "c"}, "value not among the options of 'xx.kind'",
     ("a", "b")),
])
def test_question_problems(tmp_path: Path, when: Any, message: str,
                           allowed: tuple[str, ...]) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.q", when={"any": [{"needs": "common.shared"},
                                                                   when]})])
    assert _problems(folder) == [Problem("rule xx.act.q", message, allowed)]


def test_the_reference_problems_name_the_jurisdiction_folder(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a", duty="paperwork")])
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    assert caught.value.source == str(folder / "xx")


def test_a_question_id_with_a_dotted_name_belongs_to_its_first_segment(
        tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.q", when={"needs": "xx.group.item"})])
    _questions(folder / "xx", [{"id": "xx.group.item"}])
    rulebook = load_rulebook(folder)
    assert rulebook.rules()[0].id == "xx.act.q"
    assert "xx.group.item" in rulebook.jurisdictions["XX"].questions


def test_good_question_leaves_load(tmp_path: Path) -> None:
    when = {"all": [{"needs": "xx.yes"}, {"needs": "xx.kind", "in": ["a", "b"]},
                    {"needs": "common.shared"}]}
    assert load_rulebook(_rulebook(tmp_path, [_rule("xx.act.q", when=when)])).rules()


def test_condition_errors_name_the_rule_file_and_path(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a"), _rule("xx.act.b", when={"fact": "uses",
                                                                               "has": "nope"})])
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    assert caught.value.source == str(folder / "xx" / "duties.yaml")
    assert caught.value.problems == [
        Problem("rules[1].when.has", "'nope' is not in the vocabulary of uses")]


def test_unknown_instruments(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a", citation={"instrument": "zz", "article": "1"})])
    assert _problems(folder) == [Problem("rules[0].citation.instrument", "unknown instrument",
                                         INSTRUMENTS)]
    folder = _rulebook(tmp_path / "2", [_rule("xx.act.a", related=[{"instrument": "zz"}])])
    assert _problems(folder) == [Problem("rules[0]: related citation",
                                         "unknown instrument 'zz'", INSTRUMENTS)]


def _source_and_problems(folder: Path) -> tuple[str, list[Problem]]:
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    return caught.value.source, caught.value.problems


def test_a_rule_file_of_an_unknown_instrument_is_refused_with_its_path(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    rules = folder / "xx" / "duties.yaml"
    rules.write_text(rules.read_text().replace("instrument: xx-act\nrules",
                                               "instrument: zz\nrules"))
    assert _source_and_problems(folder) == (str(rules), [
        Problem("instrument", "unknown instrument", INSTRUMENTS)])
    folder = _rulebook(tmp_path / "2", [_rule("xx.act.a", citation={"instrument": "zz"})])
    assert _source_and_problems(folder)[0] == str(folder / "xx" / "duties.yaml")


def test_scope_and_tier_conditions_are_checked_with_their_paths(tmp_path: Path) -> None:
    spec = tmp_path / "rules" / "xx" / "jurisdiction.yaml"
    _rulebook(tmp_path, [_rule("xx.act.a")], scope={"fact": "nope"})
    source, problems = _source_and_problems(tmp_path / "rules")
    assert (source, [p.path for p in problems]) == (str(spec), ["jurisdiction.scope.fact"])
    assert problems[0].message.startswith("unknown fact 'nope'; known: ")
    spec = tmp_path / "2" / "rules" / "xx" / "jurisdiction.yaml"
    _rulebook(tmp_path / "2", [_rule("xx.act.a")],
              tiers=[{"name": "top", "common": "high", "when": {"fact": "nope"}}])
    source, problems = _source_and_problems(tmp_path / "2" / "rules")
    assert (source, [p.path for p in problems]) == (str(spec),
                                                    ["jurisdiction.tiers[0].when.fact"])


def test_a_jurisdiction_keeps_its_name_tiers_and_gaps(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")],
                       not_covered=[{"title": "The other act", "note": "Not yet encoded."}])
    jurisdiction = load_rulebook(folder).jurisdictions["XX"]
    assert jurisdiction.name == "Test land"
    assert [(tier.name, tier.common) for tier in jurisdiction.tiers] == [("all", "minimal")]
    assert [item.title for item in jurisdiction.not_covered] == ["The other act"]


def test_a_jurisdiction_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    (folder / "xx" / "jurisdiction.yaml").write_text("- XX\n")
    source, problems = _source_and_problems(folder)
    assert source == str(folder / "xx" / "jurisdiction.yaml")
    assert problems


def test_rulebook_file_problems_name_the_rulebook_file(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    book = folder / "rulebook.yaml"
    data = yaml.safe_load(book.read_text())
    wrong = ["public_authority", "pirates"]
    book.write_text(yaml.safe_dump({**data, "public_deployer_kinds": wrong}))
    source, problems = _source_and_problems(folder)
    assert source == str(book)
    assert [(p.path, p.message) for p in problems] == [
        ("public_deployer_kinds", "not deployer kinds: ['pirates']")]
    assert "public_authority" in problems[0].allowed
    book.write_text(yaml.safe_dump({**data, "colour": "red"}))
    assert _source_and_problems(folder) == (str(book), [
        Problem("colour", "Extra inputs are not permitted")])


def test_a_layer_must_sit_on_a_base_jurisdiction(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")], layer_of="ZZ")
    spec = yaml.safe_load((folder / "xx" / "jurisdiction.yaml").read_text())
    base = {**spec["jurisdiction"], "code": "YY", "name": "Base land"}
    del base["layer_of"]
    (folder / "yy" / "jurisdiction.yaml").write_text(yaml.safe_dump({"jurisdiction": base}))
    assert _source_and_problems(folder) == (str(folder / "xx" / "jurisdiction.yaml"), [
        Problem("jurisdiction.layer_of", "'ZZ' is not a base jurisdiction", ("YY",))])


def test_the_rulebook_carries_its_top_level_settings(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    settings = yaml.safe_load((folder / "rulebook.yaml").read_text())
    rulebook = load_rulebook(folder)
    assert (rulebook.version, rulebook.folder) == (settings["version"], folder)
    assert (rulebook.duty_types, rulebook.redlines) == (settings["duty_types"],
                                                        settings["redlines"])
    assert rulebook.state_addressees == frozenset(settings["state_addressees"])
    assert rulebook.public_deployer_kinds == frozenset(settings["public_deployer_kinds"])
    assert set(rulebook.questions) == {"common.shared", "xx.yes", "xx.kind", "yy.other"}
    with pytest.raises(KeyError) as caught:
        rulebook.rule("xx.act.none")
    assert caught.value.args == ("xx.act.none",)


def test_the_rules_folder_can_be_set_in_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMITY_RULES", str(tmp_path))
    assert default_rules_folder() == tmp_path


def test_a_related_provision_is_cited_under_its_own_instrument(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a", related=[{"instrument": "xx-code",
                                                                "article": "7"}])])
    instruments = yaml.safe_load((folder / "xx" / "jurisdiction.yaml").read_text())
    instruments["jurisdiction"]["instruments"][1]["short_title"] = "Code"
    (folder / "xx" / "jurisdiction.yaml").write_text(yaml.safe_dump(instruments))
    assert load_rulebook(folder).rules()[0].related == ("Code, Art. 7",)
    folder = _rulebook(tmp_path / "2", [_rule("xx.act.a", related=[{"instrument": "zz"}])])
    assert _source_and_problems(folder)[0] == str(folder / "xx" / "duties.yaml")


def test_question_file_problems_name_the_question_file(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    questions = folder / "xx" / "questions.yaml"
    because = "The profile says so already."
    _questions(folder / "xx", [{"id": "xx.yes", "derived": [
        {"when": {"fact": "nope"}, "answer": "yes", "because": because}]}])
    source, [problem] = _source_and_problems(folder)
    assert (source, problem.path) == (str(questions), "questions[0].derived[0]")
    assert problem.message.startswith(
        "questions[0].derived[0].when.fact: unknown fact 'nope'; known: ")
    _questions(folder / "xx", [{"id": "xx.yes", "derived": [
        {"when": {"fact": "flags.profiling"}, "answer": "maybe", "because": because}]}])
    assert _source_and_problems(folder) == (str(questions), [Problem(
        "questions[0].derived[0]", "'maybe' is not a valid answer to this yes_no question")])
    _questions(folder / "xx", [{"id": "xx.yes", "colour": 1}])
    assert _source_and_problems(folder) == (str(questions), [
        Problem("questions.0.colour", "Extra inputs are not permitted")])
    _questions(folder / "xx", [{"id": "xx.yes"}, {"id": "xx.yes"}])
    assert _source_and_problems(folder)[0] == str(questions)
    _questions(folder / "xx", [{"id": "yy.not_mine"}])
    assert _source_and_problems(folder)[0] == str(questions)
    questions.write_text("questions: [\n")
    assert _source_and_problems(folder) == (str(questions), [Problem(
        "", "not valid YAML or JSON (line 2, column 1): did not find expected node content")])


def test_each_question_knows_its_file(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    rulebook = load_rulebook(folder)
    assert rulebook.questions["xx.yes"].source == str(folder / "xx" / "questions.yaml")
    assert rulebook.questions["common.shared"].source == str(folder / "questions.yaml")


def test_a_folder_named_like_a_rule_file_is_reported_not_a_crash(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    (folder / "xx" / "drafts.yaml").mkdir()
    assert _source_and_problems(folder) == (str(folder / "xx" / "drafts.yaml"), [
        Problem("", "cannot read file: Is a directory")])


def test_question_namespace_and_duplicates(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a")])
    _questions(folder / "xx", [{"id": "xx.yes"}, {"id": "xx.yes"}])
    assert _problems(folder) == [Problem("questions[1].id", "duplicate question id 'xx.yes'")]
    _questions(folder / "xx", [{"id": "xx.yes"}, {"id": "yy.not_mine"}])
    assert _problems(folder) == [Problem("questions[1].id",
                                         "'yy.not_mine' must start with 'xx.'")]


def test_bad_yaml_and_schema_errors(tmp_path: Path) -> None:
    folder = _rulebook(tmp_path, [_rule("xx.act.a", colour="red")])
    assert _source_and_problems(folder) == (str(folder / "xx" / "duties.yaml"), [
        Problem("rules.0.colour", "Extra inputs are not permitted")])
    (folder / "xx" / "jurisdiction.yaml").write_text("jurisdiction: {code: XX}\n")
    assert [p.path for p in _problems(folder)] == [
        "jurisdiction.name", "jurisdiction.scope", "jurisdiction.tiers",
        "jurisdiction.instruments"]


@pytest.mark.parametrize(("fields", "text"), [
    ({"article": "5", "paragraph": "1", "point": "f"}, "Act, Art. 5(1)(f)"),
    ({"article": "5"}, "Act, Art. 5"),
    ({"article": "6", "paragraph": "3", "subparagraph": "1"}, "Act, Art. 6(3), first subparagraph"),
    ({"article": "6", "paragraph": "3", "subparagraph": "2", "point": "a"},
     "Act, Art. 6(3), second subparagraph, point (a)"),
    ({"article": "6", "subparagraph": "3"}, "Act, Art. 6, third subparagraph"),
    ({"article": "6", "subparagraph": "4"}, "Act, Art. 6, fourth subparagraph"),
    ({"article": "6", "subparagraph": "5"}, "Act, Art. 6, fifth subparagraph"),
    ({"article": "6", "subparagraph": "6"}, "Act, Art. 6, subparagraph 6 of the subparagraph"),
    ({"annex": "III", "point": "4(a)"}, "Act, Annex III, point 4(a)"),
    ({"annex": "I", "section": "A", "point": "2"}, "Act, Annex I, Section A, point 2"),
    ({"article": "6", "annex": "III", "point": "1"}, "Act, Art. 6, Annex III, point 1"),
    ({"appendix": "B", "section": "2", "point": "c"}, "Act, Appendix B, section 2, point c"),
    ({"appendix": "B"}, "Act, Appendix B"),
    ({"section": "1002"}, "Act, § 1002"),
    ({"rule": "3(3)(a)(ii)", "amended_by": "Rules 2026"},
     "Act, Rule 3(3)(a)(ii), as amended by Rules 2026"),
    ({"article": "3", "section": "7"}, "Act, Art. 3"),
    ({"article": "5", "amended_by": "Reg. 2026/1"}, "Act, Art. 5, as amended by Reg. 2026/1"),
    ({}, "Act"),
])
def test_citation_render_for_each_unit(fields: dict[str, str], text: str) -> None:
    assert Citation(instrument="x", **fields).render("Act") == text


def test_a_date_parameter_has_no_value_before_its_first_date() -> None:
    parameter = DateParameter.model_validate({"description": "When it starts", "values": [
        {"since": "2025-01-01", "value": "2026-08-02",
         "citation": {"instrument": "xx-act", "article": "1"}},
        {"since": "2024-01-01", "value": "2026-02-02",
         "citation": {"instrument": "xx-act", "article": "1"}}]})
    assert parameter.value_on(date(2023, 12, 31)) is None
    assert parameter.value_on(date(2024, 6, 1)) == date(2026, 2, 2)
    assert parameter.value_on(date(2025, 1, 1)) == date(2026, 8, 2)
