"""Reading inventory rows (CSV, JSON Lines, Parquet) whatever their text encoding.

A bad row never stops the run: each :class:`SourceRow` carries its own problems (bytes
that could not be decoded, a cell cut to size, a JSON line that does not parse), and
the caller turns them into per-row errors or review flags.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comity.errors import InputError, Problem

MAX_CELL_CHARS = 100_000
"""Longer cells are cut to this size (and the row flagged): no description needs more,
and a 10 MB cell must not slow every matcher down."""

_CSV_FIELD_LIMIT = 256 * 1024 * 1024  # let the csv module read huge cells; we cut them after
REPLACEMENT = "\ufffd"
FORMATS = ("csv", "jsonl", "parquet")


@dataclass
class SourceRow:
    """One input row: its 1-based number, its cells as text, and what went wrong reading it."""

    number: int
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DecodedText:
    """A file's text and how it was decoded."""

    text: str
    encoding: str
    how: str  # "declared", "detected" or "fallback"


def decode_bytes(raw: bytes, declared: str | None = None) -> DecodedText:
    """Decode a file: the declared encoding, else UTF-8, else Windows-1252.

    Detection is deliberately simple and explainable: a byte-order mark or strict UTF-8
    wins; a file that fails UTF-8 but holds valid multi-byte UTF-8 sequences is read as
    UTF-8 with the bad bytes replaced (U+FFFD, flagged per row); anything else is read
    as Windows-1252, the usual encoding of spreadsheets saved on Windows, with undefined
    bytes replaced.
    """
    if declared:
        try:
            return DecodedText(raw.decode(declared), declared, "declared")
        except LookupError:
            raise InputError("<mapping>", [Problem("encoding", f"unknown encoding {declared!r}")])\
                from None
        except UnicodeDecodeError:
            return DecodedText(raw.decode(declared, errors="replace"), declared, "declared")
    if raw.startswith(b"\xef\xbb\xbf"):
        return DecodedText(raw[3:].decode("utf-8", errors="replace"), "utf-8-sig", "detected")
    try:
        return DecodedText(raw.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    lenient = raw.decode("utf-8", errors="replace")
    replaced = lenient.count(REPLACEMENT)
    multibyte = sum(1 for char in lenient if ord(char) > 0x7F and char != REPLACEMENT)
    if multibyte > replaced:
        return DecodedText(lenient, "utf-8", "fallback")
    return DecodedText(raw.decode("cp1252", errors="replace"), "cp1252", "detected")


def detect_format(path: Path, declared: str | None = None) -> str:
    """The input format: declared, else from the file suffix (CSV by default)."""
    if declared:
        if declared not in FORMATS:
            raise InputError(str(path), [Problem("format", f"unknown format {declared!r}",
                                                 FORMATS)])
        return declared
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def read_rows(path: str | Path, *, encoding: str | None = None,
              input_format: str | None = None) -> tuple[list[SourceRow], DecodedText | None]:
    """Every row of an input file, with per-row problems; the decoded text's encoding.

    Raises :class:`InputError` only when the file as a whole cannot be read.
    """
    source = Path(path)
    kind = detect_format(source, input_format)
    if kind == "parquet":
        return list(_parquet_rows(source)), None
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InputError(str(path), [Problem("", f"cannot read file: {error.strerror}")])\
            from None
    decoded = decode_bytes(raw, encoding)
    rows = _csv_rows(decoded.text) if kind == "csv" else _jsonl_rows(decoded.text)
    return [_checked(row) for row in rows], decoded


def _checked(row: SourceRow) -> SourceRow:
    for column, value in row.cells.items():
        if REPLACEMENT in value:
            row.problems.append(f"column {column!r}: bytes that are not valid text were "
                                "replaced by U+FFFD")
        if len(value) > MAX_CELL_CHARS:
            row.cells[column] = value[:MAX_CELL_CHARS]
            row.problems.append(f"column {column!r}: {len(value):,} characters, cut to "
                                f"{MAX_CELL_CHARS:,}")
    return row


def _csv_rows(text: str) -> Iterator[SourceRow]:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    names = [name.strip() for name in header]
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            number += 1
            yield SourceRow(number, {}, [f"not a readable CSV row: {error}"])
            continue
        number += 1
        if not any(value.strip() for value in values):
            continue
        row = SourceRow(number, dict(zip(names, values, strict=False)))
        if len(values) != len(names):
            row.problems.append(f"{len(values)} cells where the header has {len(names)}")
        yield row


def _jsonl_rows(text: str) -> Iterator[SourceRow]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield SourceRow(number, {}, [f"not valid JSON: {error.msg}"])
            continue
        if not isinstance(data, dict):
            yield SourceRow(number, {}, ["expected a JSON object per line"])
            continue
        yield SourceRow(number, {str(key): _cell_text(value) for key, value in data.items()})


def _parquet_rows(path: Path) -> Iterator[SourceRow]:
    try:
        import pyarrow.parquet as parquet  # optional: only Parquet input needs it
    except ImportError:
        raise InputError(str(path), [Problem("", "reading Parquet needs pyarrow: "
                                                 "pip install pyarrow")]) from None
    try:
        table = parquet.read_table(path)
    except (OSError, ValueError) as error:
        raise InputError(str(path), [Problem("", f"not a readable Parquet file: {error}")])\
            from None
    for number, record in enumerate(table.to_pylist(), start=1):
        yield _checked(SourceRow(number, {str(k): _cell_text(v) for k, v in record.items()}))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)
