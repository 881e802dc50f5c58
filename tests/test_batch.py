"""``comity batch``: every input format, per-row errors, bad input, and parity with the engine."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity import assess_profile, default_rulebook, parse_profiles
from comity.batch.chunks import BatchSettings
from comity.batch.columns import column_names, flatten, unflatten
from comity.batch.readers import open_input
from comity.batch.run import run_batch
from comity.cli.app import main
from comity.engine.assess import input_hash
from tests.test_columnar import profile_data

AS_OF = date(2026, 11, 22)
LISTS = ("prohibitions", "obligations", "undetermined")


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as stream:
        writer = csv.DictWriter(stream, fieldnames=list(column_names()))
        writer.writeheader()
        writer.writerows(rows)
    return path


def documents(count: int) -> list[dict[str, Any]]:
    """Varied valid profiles (deterministic): every tenth is a GPAI model, some in the EU."""
    uses = ["employment.recruitment", "chatbot", "credit.scoring", "social_scoring",
            "biometric.emotion_recognition", "content.generation"]
    markets = [["EU"], ["US", "US-CO"], ["CN"], ["KR", "EU"], ["CA"], []]
    return [{
        "profile": 1, "id": f"s{index}", "name": f"System {index} – ü",
        "markets": markets[index % len(markets)],
        "system": {"machine_based": True, "infers_outputs": index % 7 != 0,
                   "interacts_with_people": index % 2 == 0},
        "uses": [uses[index % len(uses)], uses[(index * 3) % len(uses)]][: 1 + index % 2],
        "deployer": {"country": ["DE", "US", "FR"][index % 3]},
        "gpai": {"is_gpai_model": index % 10 == 0, "training_compute_flop": 2e25},
        "decision_role": ["sole", "supporting"][index % 2] if index % 5 else None,
    } for index in range(count)]


def reference(profiles: list[dict[str, Any]], day: date = AS_OF) -> list[dict[str, Any]]:
    rows = []
    for number, profile in enumerate(parse_profiles(profiles), start=1):
        for result in assess_profile(profile, as_of=day).results:
            rows.append({
                "row": number, "id": profile.id, "jurisdiction": result.jurisdiction,
                "in_scope": result.in_scope, "tier": result.tier,
                "common_tier": result.common_tier,
                "prohibitions": [f.rule_id for f in result.prohibitions],
                "obligations": [f.rule_id for f in result.obligations],
                "undetermined": [f.rule_id for f in result.undetermined],
                "input_hash": input_hash(profile),
            })
    return rows


def results_of(path: Path) -> list[dict[str, Any]]:
    table = pl.read_parquet(path).drop("rulebook", "as_of")
    return table.to_dicts()


def batch(source: Path, out: Path, day: date = AS_OF, **options: Any) -> Any:
    return run_batch(open_input(source), out, BatchSettings(day), **options)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profile_data, min_size=1, max_size=8),
       st.sampled_from([date(2025, 2, 2), AS_OF, date(2027, 8, 2)]))
def test_batch_from_csv_equals_the_per_profile_engine(items: list[dict[str, Any]],
                                                      day: date) -> None:
    rows = [flatten({**item, "id": f"p{index}"}) for index, item in enumerate(items)]
    # A flat row cannot tell an empty block ({provider: {}}) from none: the reference
    # is the profile the row describes.
    described = [unflatten(row) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        source = write_csv(Path(folder) / "in.csv", rows)
        batch(source, Path(folder) / "out.parquet", day, chunk_size=3)
        assert results_of(Path(folder) / "out.parquet") == reference(described, day)


def test_every_input_format_gives_the_same_results(tmp_path: Path) -> None:
    profiles = documents(40)
    expected = reference(profiles)
    sources = {
        "csv": write_csv(tmp_path / "in.csv", [flatten(p) for p in profiles]),
        "jsonl": tmp_path / "in.jsonl",
        "folder": tmp_path / "folder",
        "parquet": tmp_path / "in.parquet",
        "file": tmp_path / "profiles.json",
    }
    sources["file"].write_text(json.dumps({"profiles": profiles}), "utf-8")
    sources["jsonl"].write_text("".join(json.dumps(p) + "\n" for p in profiles), "utf-8")
    sources["folder"].mkdir()
    (sources["folder"] / "a.yaml").write_text(yaml.safe_dump({"profiles": profiles[:25]}))
    (sources["folder"] / "b.json").write_text(json.dumps({"profiles": profiles[25:]}))
    _typed_parquet(profiles, sources["parquet"])
    for name, source in sources.items():
        out = tmp_path / f"{name}.parquet"
        summary = batch(source, out, chunk_size=7)
        assert summary.valid == 40 and summary.invalid == 0, name
        assert results_of(out) == expected, name


def _typed_parquet(profiles: list[dict[str, Any]], path: Path) -> None:
    """Parquet with real booleans, numbers and lists, as a data tool would write it."""
    rows = [flatten(p) for p in profiles]
    columns: dict[str, Any] = {}
    for name in ("id", "name", "deployer.country", "decision_role"):
        columns[name] = pa.array([row.get(name) for row in rows], pa.string())
    for name in ("markets", "uses"):
        columns[name] = pa.array([row[name].split(";") if row.get(name) else []
                                  for row in rows], pa.list_(pa.string()))
    for name in ("system.machine_based", "system.infers_outputs",
                 "system.interacts_with_people", "gpai.is_gpai_model"):
        columns[name] = pa.array([row.get(name) == "true" for row in rows], pa.bool_())
    columns["gpai.training_compute_flop"] = pa.array(
        [float(row["gpai.training_compute_flop"]) for row in rows], pa.float64())
    pq.write_table(pa.table(columns), path)


def test_bad_rows_go_to_the_errors_file_with_the_messages_of_validate(tmp_path: Path) -> None:
    profiles = documents(12)
    rows = [flatten(p) for p in profiles]
    rows[3]["uses"] = "employment.recruitmnt"
    rows[5]["flags.profiling"] = "perhaps"
    rows[8]["id"] = "s2"  # a duplicate of row 3
    rows[9]["name"] = ""
    source = write_csv(tmp_path / "in.csv", rows)
    result = CliRunner().invoke(main, ["batch", str(source), "--out",
                                       str(tmp_path / "out.parquet"), "--as-of", "2026-11-22",
                                       "--chunk-size", "5"])
    assert result.exit_code == 0, result.output
    assert "12 rows: 8 valid, 4 invalid" in result.output
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors.select("row", "field").rows() == [
        (4, "uses[0]"), (6, "flags.profiling"), (9, "id"), (10, "name")]
    assert errors["message"][2] == "duplicate id 's2' in this batch"
    assert "did you mean 'employment.recruitment'?" in errors["message"][0]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**profiles[3], "uses": ["employment.recruitmnt"]}))
    validate = CliRunner().invoke(main, ["validate", str(bad)])
    assert validate.exit_code == 2 and errors["message"][0] in validate.output
    assessed = pl.read_parquet(tmp_path / "out.parquet")
    assert sorted(set(assessed["row"])) == [1, 2, 3, 5, 7, 8, 11, 12]


def test_csv_output_and_the_template(tmp_path: Path) -> None:
    template = CliRunner().invoke(main, ["batch", "--template", "csv"])
    assert template.exit_code == 0
    assert template.output.strip().split(",") == list(column_names())
    cells = dict.fromkeys(column_names(), "")
    cells.update({"profile": "1", "id": "minimal", "name": "Minimal system", "markets": "EU"})
    filled = template.output + ",".join(cells.values()) + "\n"
    (tmp_path / "in.csv").write_text(filled)
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "in.csv"), "--out",
                                       str(tmp_path / "out.csv"), "-j", "EU,KR",
                                       "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    table = pl.read_csv(tmp_path / "out.csv")
    assert table["jurisdiction"].to_list() == ["EU", "KR"]
    [profile] = parse_profiles({"profile": 1, "id": "minimal", "name": "Minimal system",
                                "markets": ["EU"]})
    expected = assess_profile(profile, as_of=AS_OF, jurisdictions=["EU", "KR"])
    assert table["tier"].to_list() == [r.tier for r in expected.results]
    assert table["in_scope"].to_list() == [r.in_scope for r in expected.results]


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(main, ["batch", *args, "--as-of", "2026-11-22"])


def test_bad_input_is_a_clear_error_and_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    cases: dict[str, tuple[Path, str]] = {}
    cp1252 = tmp_path / "inventory.csv"
    rows = [flatten(p) for p in documents(3)]
    rows[2]["description"] = "Agency’s résumé triage"
    write_csv(cp1252, rows, encoding="cp1252")
    cases["encoding"] = (cp1252, "line 2: not utf-8 text: byte 0x96")  # the en dash
    unmapped = tmp_path / "unmapped.csv"
    unmapped.write_text("id,name,deployer.knd\na,A,private\n")
    cases["unmapped"] = (unmapped, "column 'deployer.knd': maps to no profile field; "
                                   "did you mean 'deployer.kind'?")
    wrong_types = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a"], "name": ["A"], "system.deepfake": [1.5],
                             "uses": [[1, 2]]}), wrong_types)
    cases["types"] = (wrong_types, "column 'system.deepfake': has type double; expected "
                                   "boolean")
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    cases["corrupt"] = (corrupt, "not a readable Parquet file")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,name\n" + "a,A\n" * 5 + "b,B,extra\n")
    cases["ragged"] = (ragged, "not a readable CSV file")
    cases["missing"] = (tmp_path / "absent.csv", "no such file")
    for name, (source, message) in cases.items():
        result = _run([str(source), "--out", str(out), "--chunk-size", "2"])
        assert result.exit_code == 2, (name, result.output)
        assert message in result.output, (name, result.output)
        assert "Traceback" not in result.output
        assert not out.exists(), name
        if name == "types":
            assert "column 'uses': has type list<element: int64>" in result.output
    fixed = _run([str(cp1252), "--out", str(out), "--encoding", "cp1252", "--restart"])
    assert fixed.exit_code == 0, fixed.output
    assert pl.read_parquet(out)["id"].unique().len() == 3


def test_a_resumed_run_with_other_options_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [flatten(p) for p in documents(4)])
    parts = tmp_path / "out.parquet.parts"
    parts.mkdir()
    (parts / "manifest.json").write_text(json.dumps({
        "input": {"path": "elsewhere.csv"}, "settings": {}, "chunks": [],
        "format": "comity.batch.manifest.v1", "started": ""}))
    refused = _run([str(source), "--out", str(tmp_path / "out.parquet")])
    assert refused.exit_code == 2 and "--restart" in refused.output
    restarted = _run([str(source), "--out", str(tmp_path / "out.parquet"), "--restart"])
    assert restarted.exit_code == 0 and not parts.exists()


def test_a_folder_names_the_file_of_a_bad_profile(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml.safe_dump(documents(1)[0]))
    (folder / "bad.yaml").write_text("profile: 1\nid: x\nname: X\nmarkets: [ZZ]\n")
    (folder / "broken.json").write_text("{not json")
    out = tmp_path / "out.parquet"
    summary = batch(folder, out)
    assert (summary.valid, summary.invalid) == (1, 2)
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors["field"].to_list() == ["bad.yaml: markets[0]", "broken.json"]


def test_jsonl_rows_that_are_not_json_are_row_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps(documents(1)[0])
    source.write_text(f"{good}\n\n{{oops\n")
    summary = batch(source, tmp_path / "out.parquet")
    assert (summary.valid, summary.invalid) == (1, 1)
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors.row(0)[:1] == (3,) and "not valid JSON" in errors["message"][0]


def test_results_are_written_only_when_complete(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [flatten(p) for p in documents(6)])

    def failing(chunks: Any, settings: BatchSettings) -> Any:
        from comity.batch.chunks import assess_chunk

        for chunk in chunks:
            if chunk.index == 2:
                raise RuntimeError("worker lost")
            yield assess_chunk(chunk, settings)

    out = tmp_path / "out.parquet"
    with pytest.raises(RuntimeError, match="worker lost"):
        batch(source, out, chunk_size=2, engine=failing)
    assert not out.exists()
    manifest = json.loads((tmp_path / "out.parquet.parts" / "manifest.json").read_text())
    assert [chunk["index"] for chunk in manifest["chunks"]] == [0, 1]
    summary = batch(source, out, chunk_size=2)
    assert summary.resumed_chunks == 2 and summary.valid == 6
    assert results_of(out) == reference(documents(6))


def test_the_output_is_read_back_as_csv_lists(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [flatten(p) for p in documents(6)])
    batch(source, tmp_path / "out.csv")
    table = pl.read_csv(io.BytesIO((tmp_path / "out.csv").read_bytes()))
    expected = reference(documents(6))
    assert table.height == len(expected)
    assert [v or "" for v in table["obligations"].to_list()] == [
        ";".join(row["obligations"]) for row in expected]
    assert default_rulebook().version_id in set(table["rulebook"])


def test_organisation_facts_in_flat_rows_equal_the_engine(tmp_path: Path) -> None:
    """Revenue by currency, headcounts, government level and user counts are flat columns:
    the fast path decides the same rules and gives the same input hash as the model."""
    items = [
        {"profile": 1, "id": "large", "name": "Large deployer", "markets": ["US-CO", "US-CA"],
         "uses": ["employment.recruitment"], "decision_role": "sole",
         "deployer": {"kind": "private", "employees": 120,
                      "annual_revenue": {"USD": 30000000.0, "KRW": 2.0e12}},
         "system": {"monthly_users": 2000000}},
        {"profile": 1, "id": "small", "name": "Small public body", "markets": ["CA"],
         "uses": ["public_benefits.eligibility"], "decision_role": "sole",
         "deployer": {"kind": "public_authority", "employees": 12,
                      "government_level": "municipal"}},
        {"profile": 1, "id": "companion", "name": "Companion tag only", "markets": ["US-CA"],
         "uses": ["chatbot.companion"], "affected": ["consumers"],
         "flags": {"public_service": True}},  # implies chatbot on both paths
        {"profile": 1, "id": "plain", "name": "No organisation facts", "markets": ["US-CO"],
         "uses": ["employment.recruitment"], "decision_role": "sole",
         "deployer": {"kind": "private"}},
    ]
    rows = [flatten(item) for item in items]
    assert rows[0]["deployer.employees"] == "120"
    batch(write_csv(tmp_path / "in.csv", rows), tmp_path / "out.parquet")
    assert results_of(tmp_path / "out.parquet") == reference([unflatten(r) for r in rows])


def test_a_headcount_must_be_a_whole_number(tmp_path: Path) -> None:
    row = flatten({"profile": 1, "id": "x", "name": "X", "deployer": {"kind": "private"}})
    row["deployer.employees"] = "12.5"
    batch(write_csv(tmp_path / "in.csv", [row]), tmp_path / "out.parquet")
    errors = (tmp_path / "out.errors.csv").read_text(encoding="utf-8")
    assert "deployer.employees" in errors and "not a whole number" in errors


def test_profiles_a_fact_table_cannot_hold_are_assessed_one_by_one(tmp_path: Path) -> None:
    """Answers, facts stated unknown and use areas: the per-profile engine assesses those
    rows, in their place among the others, with the same result as ``comity assess``."""
    plain = documents(6)
    plain[1]["answers"] = {"common.publicly_accessible_space": "yes"}
    plain[1]["uses"] = ["biometric.remote_identification_realtime"]
    plain[2]["unknown"] = ["flags.profiling", "decision_role"]
    plain[2].pop("decision_role", None)
    plain[4]["use_areas"] = ["employment"]
    plain[5]["answers"] = {"common.publicly_accessible_space": "unknown"}
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in plain), encoding="utf-8")
    summary = batch(source, tmp_path / "out.parquet", chunk_size=4)
    assert (summary.valid, summary.invalid) == (6, 0)
    assert results_of(tmp_path / "out.parquet") == reference(plain)
