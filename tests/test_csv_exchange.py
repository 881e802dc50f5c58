"""CSV export/import: no formula reaches a spreadsheet, and every record round-trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from comity.cli.app import main
from comity.knowledge.entities import (
    CSV_COLUMNS,
    FORMULA_STARTS,
    EntityRecord,
    parse_records,
    records_to_csv,
)

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "-2+3", "\t=1", "\r=1", "'=already quoted", "=1\n=2"]


def test_formula_cells_are_neutralised_and_come_back_unchanged() -> None:
    records = [EntityRecord(type="standard", key=f"k{i}", title=value, text=value,
                            citation=value) for i, value in enumerate(HOSTILE)]
    text = records_to_csv(records)
    for row in csv.DictReader(io.StringIO(text, newline="")):
        for column in ("title", "text", "citation"):
            assert not row[column].startswith(FORMULA_STARTS[:-1]), row[column]
    assert parse_records(text, "x.csv", "csv") == records


STORABLE = st.characters(exclude_characters="\x00")


@settings(max_examples=150, deadline=None)
@given(title=st.text(STORABLE, min_size=1), text=st.text(STORABLE),
       key=st.text(STORABLE, min_size=1, max_size=200),
       body=st.dictionaries(st.text(), st.one_of(st.text(), st.integers(-10**6, 10**6))))
def test_any_record_round_trips_through_csv(title: str, text: str, key: str,
                                            body: dict[str, object]) -> None:
    record = EntityRecord(type="term", key=key, title=title, text=text, body=body)
    assert parse_records(records_to_csv([record]), "x.csv", "csv") == [record]


def test_a_field_over_128_kib_is_exported_and_imported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    big = EntityRecord(type="standard", key="big", title="Big", text="word " * 60_000)
    source = tmp_path / "big.csv"
    source.write_text(records_to_csv([big]), encoding="utf-8", newline="")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "import", str(source), "--db", url]).exit_code == 0
    exported = tmp_path / "out.csv"
    result = runner.invoke(main, ["db", "export", "--type", "standard", "--format", "csv",
                                  "-o", str(exported), "--db", url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["db", "import", str(exported), "--db", url])
    assert result.exit_code == 0 and "0 added, 1 updated" in result.output
    records = parse_records(exported.read_text(encoding="utf-8"), "out.csv", "csv")
    assert records[0].text == big.text


def test_ragged_and_broken_csv_are_clean_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    header = ",".join(CSV_COLUMNS)
    for name, text in (("short.csv", header + "\nstandard,k\n"),
                       ("nul.csv", header + "\nstandard,k,,T,,,,,\x00,{},x,\n"),
                       ("body.csv", header + "\nstandard,k,,T,,,,,,\"{\"\"a\"\": NaN}\",x,\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["db", "import", str(path), "--db", url])
        assert result.exit_code == 2, (name, result.output)
        assert "line 2" in result.output or "entities[0].text" in result.output
