"""Intake: rows to profiles with evidence, on small real inventory samples and bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comity import Profile, assess_profile
from comity.errors import InputError
from comity.intake import intake_file, load_cues, load_mapping
from comity.intake.evidence import IntakeRecord
from comity.intake.infer import Inferrer
from comity.intake.mapping import parse_mapping
from comity.intake.readers import MAX_CELL_CHARS, SourceRow, decode_bytes, read_rows
from comity.intake.review import Decision, apply_decision
from comity.intake.run import write_outputs

DATA = Path(__file__).parent / "data" / "intake"
SAMPLE_2025 = DATA / "us-2025-sample.csv"
SAMPLE_2024 = DATA / "us-2024-sample.cp1252.csv"
M25_DAY = date(2025, 12, 1)


def _by_name(records: list[IntakeRecord], name: str) -> IntakeRecord:
    return next(r for r in records if r.profile and r.profile["name"].startswith(name))


def _sample_header() -> list[str]:
    with SAMPLE_2025.open(encoding="utf-8") as source:
        return next(csv.reader(source))


def _write_csv(path: Path, rows: list[dict[str, str]], header: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_2025_sample_becomes_valid_profiles_with_evidence() -> None:
    run = intake_file(SAMPLE_2025, "us-inventory-2025")
    assert run.encoding == "utf-8" and not run.missing_columns
    assert run.profiles == len(run.records) == 13
    for record in run.records:
        assert record.profile is not None
        Profile.model_validate(record.profile)  # every profile meets the v1 contract
        assert record.profile["markets"] == ["US-FED"]
        assert record.profile["deployer"]["country"] == "US"
        for item in record.inferences:
            if item.applied:
                assert item.evidence, f"{item.field} set without evidence"
                assert 0 < item.confidence <= 1
    disability = _by_name(run.records, "Quick Disability Determinations")
    uses = {i.value: i for i in disability.inferences if i.field == "uses" and i.applied}
    assert "public_benefits.eligibility" in uses
    assert any("disability" in e.text.lower() for e in uses["public_benefits.eligibility"].evidence)


def test_law_enforcement_bureau_sets_the_deployer_kind_from_its_column() -> None:
    run = intake_file(SAMPLE_2025, "us-inventory-2025", model=False)
    drone = _by_name(run.records, "Autonomous Drone Detection")
    assert drone.profile is not None
    assert drone.profile["deployer"]["kind"] == "law_enforcement"
    kinds = [i for i in drone.inferences if i.field == "deployer.kind"]
    assert [i.applied for i in kinds] == [False, True]  # the column beats the constant


def test_windows_1252_is_detected_when_not_declared() -> None:
    declared = load_mapping("us-inventory-2024")
    undeclared = declared.model_copy(update={"encoding": None})
    run = intake_file(SAMPLE_2024, undeclared, model=False)
    assert run.encoding == "cp1252"
    assert run.profiles == 7
    text = " ".join(r.profile.get("description", "") for r in run.records if r.profile)
    assert "\ufffd" not in text and "’" in text  # a cp1252 quote decoded, not replaced


def test_decode_bytes_prefers_utf8_and_replaces_stray_bytes() -> None:
    assert decode_bytes("Résumé".encode()).encoding == "utf-8"
    assert decode_bytes(b"\xef\xbb\xbfname").text == "name"
    mostly_utf8 = ("café naïve déjà " * 5).encode() + b"\xff"
    decoded = decode_bytes(mostly_utf8)
    assert decoded.encoding == "utf-8" and decoded.how == "fallback"
    assert decode_bytes("it’s".encode("cp1252")).text == "it’s"


def test_no_evidence_leaves_the_field_unset_and_the_rule_undetermined(tmp_path: Path) -> None:
    header = _sample_header()
    row = dict.fromkeys(header, "")
    row.update({"agency": "XYZ", "id": "1", "use_case_name": "Quarterly widget tally",
                "problem_solved": "Counts widgets in the quarterly ledger."})
    run = intake_file(_write_csv(tmp_path / "one.csv", [row], header), "us-inventory-2025",
                      model=False)
    [record] = run.records
    assert record.profile is not None
    assert "decision_role" not in record.profile and "uses" not in record.profile
    result = assess_profile(Profile.model_validate(record.profile), as_of=M25_DAY,
                            jurisdictions=["US-FED"]).result("US-FED")
    assert result.in_scope is True
    assert "us-fed.m25_21.sec5.high_impact" in {f.rule_id for f in result.undetermined}


def test_missing_column_empty_description_and_empty_name_do_not_stop_the_run(
        tmp_path: Path) -> None:
    header = [name for name in _sample_header() if name != "benefits"]
    rows = [dict.fromkeys(header, "") for _ in range(3)]
    rows[0].update({"agency": "A", "id": "1", "use_case_name": "No words at all"})
    rows[1].update({"agency": "A", "id": "2", "use_case_name": "",
                    "problem_solved": "Adjudicates disability claims."})
    rows[2].update({"agency": "A", "id": "3", "use_case_name": "Claims triage",
                    "problem_solved": "Adjudicates disability benefit claims."})
    run = intake_file(_write_csv(tmp_path / "bad.csv", rows, header), "us-inventory-2025",
                      model=False)
    assert run.missing_columns == ["benefits"]
    empty, nameless, fine = run.records
    assert empty.profile is not None and "description" in {i.field for i in empty.flagged}
    assert any("no description" in p for p in empty.problems)
    assert nameless.profile is None and nameless.error and "use_case_name" in nameless.error
    assert fine.profile is not None and "public_benefits.eligibility" in fine.profile["uses"]
    assert any("'benefits' is not in the input" in p for p in fine.problems)
    profiles, sidecar = io.StringIO(), io.StringIO()
    write_outputs(run, profiles, sidecar)
    assert len(profiles.getvalue().splitlines()) == 2
    assert [json.loads(line)["error"] is None for line in sidecar.getvalue().splitlines()] == [
        True, False, True]


def test_non_utf8_bytes_and_a_10_mb_cell_are_flagged_per_row(tmp_path: Path) -> None:
    header = _sample_header()
    big = dict.fromkeys(header, "")
    big.update({"agency": "A", "id": "1", "use_case_name": "Huge",
                "problem_solved": "fraud " + "x" * 10_000_000})
    plain = dict.fromkeys(header, "")
    plain.update({"agency": "A", "id": "2", "use_case_name": "Café chatbot",
                  "problem_solved": "A chatbot answers questions about café permits."})
    path = _write_csv(tmp_path / "mixed.csv", [big, plain], header)
    path.write_bytes(path.read_bytes().replace(b"permits", b"perm\xffits"))
    run = intake_file(path, load_mapping("us-inventory-2025").model_copy(
        update={"encoding": None}), model=False)
    huge, cafe = run.records
    assert any(f"cut to {MAX_CELL_CHARS:,}" in p for p in huge.problems)
    assert huge.profile is not None and "finance.fraud_detection" in huge.profile["uses"]
    assert any("U+FFFD" in p for p in cafe.problems)
    assert cafe.profile is not None and "chatbot" in cafe.profile["uses"]


def test_jsonl_rows_with_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"use_case_name": "A translator", "problem_solved": "translates"}\n'
                    '{not json\n[1, 2]\n', encoding="utf-8")
    rows, _ = read_rows(path)
    assert [bool(r.problems) for r in rows] == [False, True, True]
    run = intake_file(path, "us-inventory-2025", model=False)
    assert [r.profile is not None for r in run.records] == [True, False, False]


def test_mapping_errors_name_the_field_and_the_allowed_values() -> None:
    base = {"mapping": 1, "name": "m", "title": "t", "name_column": "n", "text": ["n"]}
    parse_mapping(base)
    with pytest.raises(InputError) as error:
        parse_mapping({**base, "constants": [{"field": "uses.x", "value": 1, "reason": "r"}]},
                      "m.yaml")
    assert "m.yaml" in str(error.value) and "constants.0.field" in str(error.value)
    assert "decision_role" in str(error.value)  # the allowed fields are listed
    with pytest.raises(InputError, match="colour"):
        parse_mapping({**base, "colour": "red"})


def test_review_decisions_update_the_profile_and_keep_the_proposal() -> None:
    run = intake_file(SAMPLE_2025, "us-inventory-2025")
    record = next(r for r in run.records if r.flagged and r.profile
                  and any(i.field == "decision_role" for i in r.flagged))
    item = next(i for i in record.flagged if i.field == "decision_role")
    assert apply_decision(record, item, Decision("edit", "not-a-role")) is not None
    assert record.profile is not None and record.profile.get("decision_role") == item.value
    assert apply_decision(record, item, Decision("edit", "sole")) is None
    assert record.profile is not None and record.profile["decision_role"] == "sole"
    assert item.method == "review" and item.evidence[-1].source == "review"
    assert apply_decision(record, item, Decision("reject")) is None
    assert record.profile is not None and "decision_role" not in record.profile


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["use_case_name", "problem_solved", "benefits",
                                        "system_outputs", "has_pii", "agency", "id"]),
                       st.text(max_size=300)))
def test_any_row_gives_a_profile_or_a_row_error(cells: dict[str, str]) -> None:
    inferrer = Inferrer(load_mapping("us-inventory-2025"), load_cues())
    record = inferrer.record(SourceRow(1, cells), [], set())
    assert (record.profile is None) != (record.error is None)
    if record.profile is not None:
        Profile.model_validate(record.profile)


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        path = tmp_path / "rows.parquet"
        path.write_bytes(b"PAR1")
        with pytest.raises(InputError, match="pyarrow"):
            read_rows(path)
    else:
        pytest.skip("pyarrow is installed: Parquet input is read")
