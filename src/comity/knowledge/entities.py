"""The exchange format of the store: one record per entity, for import and export."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from comity.errors import InputError, Problem

EntityType = Literal[
    "jurisdiction", "instrument", "provision", "standard", "sandbox", "term",
    "principles_document", "project", "country", "country_profile", "crosswalk_relation",
]
EXPORT_FORMAT = "comity.export.v1"
CSV_COLUMNS = ("type", "key", "jurisdiction", "title", "citation", "status", "date",
               "source_url", "text", "body", "added_by", "added_at")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class EntityRecord(BaseModel):
    """One knowledge-base item, with its provenance (who or what added it, and when)."""

    model_config = ConfigDict(extra="forbid")

    type: EntityType
    key: str = Field(min_length=1, max_length=200)
    jurisdiction: str | None = None
    title: str = Field(min_length=1)
    citation: str | None = None
    status: str | None = None
    date: str | None = Field(default=None, pattern=DATE_PATTERN)
    source_url: str | None = None
    text: str = ""
    body: dict[str, Any] = Field(default_factory=dict)
    added_by: str = "import"
    added_at: str | None = None

    @property
    def uid(self) -> str:
        return f"{self.type}:{self.key}"


def records_to_json(records: list[EntityRecord]) -> str:
    payload = {"format": EXPORT_FORMAT,
               "entities": [r.model_dump(mode="json") for r in records]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def records_to_csv(records: list[EntityRecord]) -> str:
    out = io.StringIO(newline="")
    # RFC 4180 line ends: the writer then quotes any field holding \r or \n.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = record.model_dump(mode="json")
        row["body"] = json.dumps(row["body"], ensure_ascii=False, sort_keys=True)
        writer.writerow({key: "" if row[key] is None else row[key] for key in CSV_COLUMNS})
    return out.getvalue()


def parse_records(text: str, source: str, kind: Literal["json", "csv"]) -> list[EntityRecord]:
    """Validate an export (JSON or CSV); every problem is reported before anything is used."""
    rows = _json_rows(text, source) if kind == "json" else _csv_rows(text, source)
    records: list[EntityRecord] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows):
        try:
            records.append(EntityRecord.model_validate(row))
        except ValidationError as error:
            problems += [Problem(f"entities[{index}].{'.'.join(str(p) for p in e['loc'])}",
                                 e["msg"]) for e in error.errors(include_url=False)]
    if problems:
        raise InputError(source, problems)
    return records


def _json_rows(text: str, source: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(source, [Problem("", f"not valid JSON: {error}")]) from None
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        data = data.get("entities")
    if not isinstance(data, list):
        raise InputError(source, [Problem("", f"expected a {EXPORT_FORMAT} export or a list")])
    return data


def _csv_rows(text: str, source: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = set(CSV_COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise InputError(source, [Problem("header", f"missing columns {sorted(missing)}",
                                          CSV_COLUMNS)])
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(reader, start=2):
        parsed: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        try:
            parsed["body"] = json.loads(row["body"] or "{}")
        except json.JSONDecodeError:
            raise InputError(source, [Problem(f"line {number}.body", "not valid JSON")]) from None
        parsed["text"] = row["text"] or ""
        rows.append(parsed)
    return rows
