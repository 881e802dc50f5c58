"""Reading portfolios in fixed-size chunks: CSV, JSON Lines, Parquet, or a folder of profiles.

Flat files (CSV, Parquet) use the column mapping of :mod:`comity.batch.columns`; their
header is checked before any row is read, so an unmapped column or a wrong Parquet type
stops the run at once (exit code 2) instead of failing every row. JSON Lines hold one
profile document per line; a folder holds profile files as ``comity assess`` reads them.

Chunk *k* always holds the same rows (``k * size`` onwards), which is what makes a run
resumable: a rerun skips the chunks its manifest records as written.
"""

from __future__ import annotations

import codecs
import difflib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from comity.batch.columns import column_names, flat_columns
from comity.errors import InputError, Problem, read_input_text
from comity.yaml12 import load_yaml

FLAT_SUFFIXES = (".csv", ".parquet")
LINE_SUFFIXES = (".jsonl", ".ndjson")
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
_SCAN_BLOCK = 1 << 20


@dataclass
class RawChunk:
    """Rows ``first_row`` .. of one chunk: a flat table, or profile documents by row."""

    index: int
    first_row: int
    table: pl.DataFrame | None = None
    documents: list[tuple[int, Any]] | None = None

    @property
    def rows(self) -> int:
        if self.table is not None:
            return self.table.height
        return len(self.documents or [])


def open_input(path: Path, encoding: str = "utf-8") -> Input:
    """The reader for a CSV, JSON Lines or Parquet file, or a folder of profile files."""
    if path.is_dir():
        return FolderInput(path, encoding)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvInput(path, encoding)
    if suffix == ".parquet":
        return ParquetInput(path, encoding)
    if suffix in LINE_SUFFIXES:
        return JsonLinesInput(path, encoding)
    raise InputError(str(path), [Problem("", f"unsupported input {suffix or 'without suffix'}",
                                         (*FLAT_SUFFIXES, *LINE_SUFFIXES, "a folder"))])


class Input(ABC):
    """A portfolio on disk, read chunk by chunk."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.check()

    @abstractmethod
    def check(self) -> None:
        """Fail before the run starts on what would fail it later (encoding, header)."""

    def fingerprint(self) -> dict[str, Any]:
        """What identifies this input for a resumed run: its path, size and modification."""
        stat = self.path.stat()
        return {"path": str(self.path.resolve()), "size": stat.st_size,
                "modified_ns": stat.st_mtime_ns}

    def expected_rows(self) -> int | None:
        """About how many rows there are (for a progress bar), if cheap to know."""
        return None

    @abstractmethod
    def chunks(self, size: int) -> Iterator[RawChunk]:
        """Chunks of ``size`` rows (the last may be shorter), numbered from 0."""

    def error(self, message: str, path: str = "", allowed: tuple[str, ...] = ()) -> InputError:
        return InputError(str(self.path), [Problem(path, message, allowed)])


def _check_encoding(path: Path, encoding: str) -> int:
    """Decode the whole file once, so a bad byte stops the run before any output.

    Returns the number of lines.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with path.open("rb") as stream:
            while block := stream.read(_SCAN_BLOCK):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    line += block[:error.start].count(b"\n")
                    hint = (" (Windows-1252 files, like the 2024 US federal AI use-case "
                            "inventory, need --encoding cp1252)") if encoding == "utf-8" else ""
                    raise InputError(str(path), [Problem(
                        f"line {line}", f"not {encoding} text: byte "
                        f"0x{block[error.start]:02x} cannot be decoded{hint}")]) from None
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
            return line - 1
    except OSError as error:
        raise InputError(str(path), [Problem("", f"cannot read file: {error.strerror}")]
                         ) from None
    except UnicodeDecodeError:
        raise InputError(str(path), [Problem(f"line {line}", f"file ends inside a {encoding} "
                                                             "character")]) from None


def check_header(source: str, names: list[str]) -> None:
    """Every column maps to a profile field, and ``id`` and ``name`` are there."""
    known = column_names()
    problems = []
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(f"column {name!r}", f"maps to no profile field{hint}",
                                    known))
    for column in flat_columns():
        if column.required and column.kind != "version" and column.name not in names:
            problems.append(Problem(f"column {column.name!r}", "required column is missing"))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    problems += [Problem(f"column {name!r}", "appears more than once") for name in duplicates]
    if problems:
        raise InputError(source, problems)


def _rechunk(tables: Iterator[pl.DataFrame], size: int) -> Iterator[RawChunk]:
    """Fixed-size chunks from batches of any size."""
    pending: list[pl.DataFrame] = []
    held = 0
    index = 0
    for table in tables:
        pending.append(table)
        held += table.height
        while held >= size:
            whole = pl.concat(pending, how="vertical")
            yield RawChunk(index, index * size + 1, table=whole.head(size))
            rest = whole.slice(size)
            pending, held, index = [rest], rest.height, index + 1
    if held:
        yield RawChunk(index, index * size + 1, table=pl.concat(pending, how="vertical"))


class CsvInput(Input):
    """A CSV file with a header row; every cell is read as text."""

    def check(self) -> None:
        self.lines = _check_encoding(self.path, self.encoding)
        self.names = self._header()
        check_header(str(self.path), self.names)

    def expected_rows(self) -> int:
        return max(self.lines - 1, 0)  # a quoted line break makes it an estimate

    def _header(self) -> list[str]:
        try:
            reader = pacsv.open_csv(self.path, read_options=pacsv.ReadOptions(
                encoding=self.encoding, block_size=1 << 16))
        except pa.ArrowInvalid as error:
            if "Empty CSV file" in str(error):
                raise self.error("the file is empty; expected a header row") from None
            raise self.error(f"not a readable CSV file: {error}") from None
        return list(reader.schema.names)

    def chunks(self, size: int) -> Iterator[RawChunk]:
        reader = pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(encoding=self.encoding, block_size=16 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(self.names, pa.string()),
                strings_can_be_null=True, null_values=[""]),
        )

        def tables() -> Iterator[pl.DataFrame]:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return
                except pa.ArrowInvalid as error:
                    raise self.error(f"not a readable CSV file: {error}") from None
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                yield frame

        yield from _rechunk(tables(), size)


_PARQUET_TYPES = {
    "text": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
    "json": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
    "version": (pa.types.is_integer, pa.types.is_string, pa.types.is_null),
    "bool": (pa.types.is_boolean, pa.types.is_string, pa.types.is_null),
    "number": (pa.types.is_integer, pa.types.is_floating, pa.types.is_string, pa.types.is_null),
    "list": (pa.types.is_list, pa.types.is_large_list, pa.types.is_string, pa.types.is_null),
}
_EXPECTED = {"text": "string", "json": "string (JSON text)", "version": "integer",
             "bool": "boolean", "number": "double or integer",
             "list": "list<string> or string ('a;b')"}


class ParquetInput(Input):
    """A Parquet file whose columns follow the flat mapping, typed or as text."""

    def check(self) -> None:
        try:
            self.file = pq.ParquetFile(self.path)
        except (OSError, pa.ArrowInvalid) as error:
            raise self.error(f"not a readable Parquet file: {error}") from None
        schema = self.file.schema_arrow
        check_header(str(self.path), list(schema.names))
        kinds = {column.name: column.kind for column in flat_columns()}
        problems = []
        for field in schema:
            kind = kinds[field.name]
            ok = any(test(field.type) for test in _PARQUET_TYPES[kind])
            if ok and kind == "list" and not pa.types.is_string(field.type) and not (
                    pa.types.is_null(field.type)):
                value_type = field.type.value_type
                ok = pa.types.is_string(value_type) or pa.types.is_large_string(value_type)
            if not ok:
                problems.append(Problem(f"column {field.name!r}",
                                        f"has type {field.type}; expected {_EXPECTED[kind]}"))
        if problems:
            raise InputError(str(self.path), problems)

    def expected_rows(self) -> int:
        rows: int = self.file.metadata.num_rows
        return rows

    def chunks(self, size: int) -> Iterator[RawChunk]:
        kinds = {column.name: column.kind for column in flat_columns()}

        def tables() -> Iterator[pl.DataFrame]:
            for batch in self.file.iter_batches(batch_size=size):
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                yield frame.with_columns(
                    _as_cells(name, kinds[name], frame.schema[name]).alias(name)
                    for name in frame.columns)

        yield from _rechunk(tables(), size)


def _as_cells(name: str, kind: str, dtype: pl.DataType) -> pl.Expr:
    """A typed Parquet column as the text cells a CSV would hold (lists stay lists)."""
    column = pl.col(name)
    if kind == "list":
        return column.cast(pl.List(pl.String())) if dtype != pl.String() else column
    if dtype == pl.Boolean():
        return pl.when(column).then(pl.lit("true")).otherwise(
            pl.when(column.is_null()).then(None).otherwise(pl.lit("false")))
    if dtype.is_float():
        return column.map_elements(repr, return_dtype=pl.String)
    return column.cast(pl.String())


class JsonLinesInput(Input):
    """One profile document (a JSON object) per line; blank lines are skipped."""

    def check(self) -> None:
        self.lines = _check_encoding(self.path, self.encoding)

    def expected_rows(self) -> int:
        return self.lines

    def chunks(self, size: int) -> Iterator[RawChunk]:
        batch: list[tuple[int, Any]] = []
        index = 0
        with self.path.open(encoding=self.encoding) as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                batch.append((number, _json_document(line)))
                if len(batch) == size:
                    yield RawChunk(index, batch[0][0], documents=batch)
                    batch, index = [], index + 1
        if batch:
            yield RawChunk(index, batch[0][0], documents=batch)


@dataclass(frozen=True)
class Unreadable:
    """A line or file that does not parse: validation reports it as the row's error."""

    message: str


@dataclass(frozen=True)
class Located:
    """A profile document from a file of a folder, to name the file in errors."""

    file: str
    path: str
    document: Any


def _json_document(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return Unreadable(f"not valid JSON (column {error.colno}): {error.msg}")


class FolderInput(Input):
    """Profile files (YAML or JSON, one profile or a ``profiles:`` list), in name order."""

    def check(self) -> None:
        self.files = sorted(p for p in self.path.iterdir() if p.suffix in PROFILE_SUFFIXES)
        if not self.files:
            raise self.error("folder holds no .yaml, .yml or .json file")

    def fingerprint(self) -> dict[str, Any]:
        stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in self.files]
        return {"path": str(self.path.resolve()), "files": stats}

    def chunks(self, size: int) -> Iterator[RawChunk]:
        batch: list[tuple[int, Any]] = []
        row = index = 0
        for file in self.files:
            for item in _file_documents(file, self.encoding):
                row += 1
                batch.append((row, item))
                if len(batch) == size:
                    yield RawChunk(index, batch[0][0], documents=batch)
                    batch, index = [], index + 1
        if batch:
            yield RawChunk(index, batch[0][0], documents=batch)


def _file_documents(file: Path, encoding: str) -> list[Any]:
    """The profile documents of one file, each located by file and path."""
    try:
        text = read_input_text(file, encoding)
        data = json.loads(text) if file.suffix == ".json" else load_yaml(text)
    except InputError as error:
        return [Located(file.name, "", Unreadable(error.problems[0].message))]
    except Exception as error:  # noqa: BLE001 - any parse failure is that file's error
        return [Located(file.name, "", Unreadable(f"not valid YAML or JSON: {error}"))]
    if isinstance(data, dict) and "profiles" in data:
        items = data["profiles"] if isinstance(data["profiles"], list) else [data["profiles"]]
        return [Located(file.name, f"profiles[{i}]", item) for i, item in enumerate(items)]
    if isinstance(data, list):
        return [Located(file.name, f"profiles[{i}]", item) for i, item in enumerate(data)]
    return [Located(file.name, "", data)]
