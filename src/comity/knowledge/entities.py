"""The exchange format of the store: one record per entity, for import and export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from comity.errors import InputError, Problem
from comity.input_limits import INT64_MAX, INT64_MIN, current_limits
from comity.json_input import load_json

EntityType = Literal[
    "jurisdiction", "instrument", "provision", "standard", "sandbox", "term",
    "principles_document", "project", "country", "country_profile", "crosswalk_relation",
]
EXPORT_FORMAT = "comity.export.v1"
CSV_COLUMNS = ("type", "key", "jurisdiction", "title", "citation", "status", "date",
               "source_url", "text", "body", "added_by", "added_at")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV
#: injection"). Such a cell is written with a leading apostrophe, which spreadsheets
#: show as text; a leading apostrophe is doubled the same way, so import undoes it exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


#: The body keys every entity type reads the same way (validated by ``EntityRecord``).
COMMON_BODY_KEYS: dict[str, dict[str, Any]] = {
    "aliases": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": "Keys the entity had before it was renamed; they resolve to it."},
    "checked": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                "description": "The day the entity's facts were last checked against a source."},
}


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

    @field_validator("key", "jurisdiction", "title", "citation", "status", "source_url", "text",
                     "added_by", "added_at")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL cannot store U+0000 in text; refuse it on every store alike.
        if value is not None and "\x00" in value:
            raise ValueError("contains a NUL character (U+0000)")
        return value

    @field_validator("body")
    @classmethod
    def _json_numbers(cls, value: dict[str, Any]) -> dict[str, Any]:
        # What export writes, import must read back: plain JSON numbers only.
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, float) and not math.isfinite(item):
                raise ValueError("holds a number that is not finite")
            elif isinstance(item, int) and not INT64_MIN <= item <= INT64_MAX:
                raise ValueError("holds an integer beyond 64 bits")
        return value

    @field_validator("body")
    @classmethod
    def _known_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Two body keys mean the same for every type: old ids and the last check.
        aliases = value.get("aliases", [])
        if not isinstance(aliases, list) or not all(
                isinstance(a, str) and 0 < len(a) <= 200 for a in aliases):
            raise ValueError("'aliases' must be a list of ids (strings of 1 to 200 characters)")
        checked = value.get("checked")
        if checked is not None and not (isinstance(checked, str)
                                        and re.match(r"^\d{4}-\d{2}-\d{2}$", checked)):
            raise ValueError("'checked' must be a date YYYY-MM-DD")
        return value

    @model_validator(mode="after")
    def _not_its_own_alias(self) -> EntityRecord:
        if self.key in self.aliases:
            raise ValueError(f"body.aliases: {self.key!r} is the record's own key")
        return self

    @property
    def uid(self) -> str:
        return f"{self.type}:{self.key}"

    @property
    def aliases(self) -> list[str]:
        """Keys the entity had before (``body.aliases``): they resolve to this entity."""
        return list(self.body.get("aliases", []))

    @property
    def checked(self) -> dt.date | None:
        """The day the entity's facts were last checked (``body.checked``), if recorded."""
        value = self.body.get("checked")
        return dt.date.fromisoformat(value) if isinstance(value, str) else None


def stale_records(records: list[EntityRecord], today: dt.date, days: int) -> list[EntityRecord]:
    """Records last checked more than ``days`` days before ``today``, oldest first."""
    limit = today - dt.timedelta(days=days)
    return sorted((r for r in records if r.checked is not None and r.checked < limit),
                  key=lambda r: (r.checked or today, r.uid))


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
        writer.writerow({key: "" if row[key] is None else csv_cell(str(row[key]))
                         for key in CSV_COLUMNS})
    return out.getvalue()


def csv_cell(value: str) -> str:
    """A value as a CSV cell no spreadsheet runs as a formula (see ``FORMULA_STARTS``)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_value(cell: str) -> str:
    """The value of a cell written by :func:`csv_cell`."""
    return cell[1:] if cell.startswith("'") else cell


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
    data = load_json(text, source)
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        data = data.get("entities")
    if not isinstance(data, list):
        raise InputError(source, [Problem("", f"expected a {EXPORT_FORMAT} export or a list")])
    return data


def _csv_rows(text: str, source: str) -> list[dict[str, Any]]:
    # A field may be as large as the whole input may be (the csv module stops at 128 KiB,
    # which export can exceed). The limit is process-wide; it is only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), current_limits().max_bytes))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise InputError(source, [Problem("header", f"missing columns {sorted(missing)}",
                                              CSV_COLUMNS)])
        return [_csv_row(row, source, reader.line_num) for row in reader]
    except csv.Error as error:
        raise InputError(source, [Problem(f"line {reader.line_num}",
                                          f"not valid CSV: {error}")]) from None


def _csv_row(row: dict[str | Any, Any], source: str, line: int) -> dict[str, Any]:
    if None in row or any(value is None for value in row.values()):
        raise InputError(source, [Problem(f"line {line}", "the row does not have one field "
                                          "per column of the header")])
    parsed: dict[str, Any] = {k: (csv_value(v) if v != "" else None) for k, v in row.items()}
    try:
        parsed["body"] = load_json(parsed["body"] or "{}", f"{source}, line {line}, body")
    except InputError as error:
        raise InputError(source, [Problem(f"line {line}.body", p.message)
                                  for p in error.problems]) from None
    parsed["text"] = parsed["text"] or ""
    return parsed
