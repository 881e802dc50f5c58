"""``comity intake``: files written, summary printed, review dialogue, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from comity.cli.app import main

DATA = Path(__file__).parent / "data" / "intake"


def test_intake_writes_profiles_and_evidence(tmp_path: Path) -> None:
    out = tmp_path / "profiles.jsonl"
    result = CliRunner().invoke(main, ["intake", str(DATA / "us-2024-sample.cp1252.csv"),
                                       "--map", "us-inventory-2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 rows read (cp1252)" in result.output and "7 profiles" in result.output
    profiles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    evidence = [json.loads(line) for line in
                (tmp_path / "profiles.evidence.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(profiles) == len(evidence) == 7
    assert [p["id"] for p in profiles] == [e["id"] for e in evidence]
    assert all(e["format"] == "comity.intake.evidence.v1" for e in evidence)
    validate = CliRunner().invoke(main, ["validate", str(_as_yaml(profiles, tmp_path))])
    assert validate.exit_code == 0, validate.output


def _as_yaml(profiles: list[dict[str, object]], folder: Path) -> Path:
    path = folder / "profiles.json"
    path.write_text(json.dumps({"profiles": profiles}), encoding="utf-8")
    return path


def test_review_accepts_rejects_and_quits(tmp_path: Path) -> None:
    out = tmp_path / "reviewed.jsonl"
    result = CliRunner().invoke(
        main, ["intake", str(DATA / "us-2025-sample.csv"), "--map", "us-inventory-2025",
               "--out", str(out), "--review"], input="r\n" * 3 + "a\n" * 3 + "q\n")
    assert result.exit_code == 0, result.output
    assert "rows to review" in result.output and "decision" in result.output
    evidence = [json.loads(line) for line in
                (tmp_path / "reviewed.evidence.jsonl").read_text(encoding="utf-8").splitlines()]
    reviewed = [f for e in evidence for f in e["fields"]
                if any(item["source"] == "review" for item in f["evidence"])]
    assert len(reviewed) == 6
    assert sum(1 for f in reviewed if f["method"] == "review") == 3  # the accepted ones
    assert sum(1 for f in reviewed if not f["applied"]) >= 3  # the rejected ones


def test_unknown_mapping_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["intake", str(DATA / "us-2025-sample.csv"), "--map",
                                       str(tmp_path / "none.yaml"), "--out",
                                       str(tmp_path / "p.jsonl")])
    assert result.exit_code == 2
    assert "none.yaml" in result.output and "cannot read file" in result.output
