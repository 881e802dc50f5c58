"""A resumable batch run: chunks written one by one with a manifest, then one output file.

While it runs, ``<out>.parts/`` holds one results file and one errors file per chunk
and ``manifest.json``, which records the input (path, size, modification time), the
settings and every chunk written. Each file is written to a temporary name and renamed,
and the manifest is rewritten only after the chunk's files are in place, so a crash
(even ``kill -9``) leaves at worst one chunk to redo. Rerunning the same command reads
the manifest, skips the chunks already written and carries on; the final files are
then the same, byte for byte, as those of an uninterrupted run.

Only when every chunk is written are ``<out>`` and ``<out stem>.errors.csv`` assembled
(again under temporary names, renamed at the end) and the parts folder removed: an
output file that exists is complete.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from comity.batch import DEFAULT_CHUNK_SIZE
from comity.batch.chunks import RESULT_SCHEMA, BatchSettings, ChunkResult, assess_chunk
from comity.batch.columns import LIST_SEPARATOR
from comity.batch.profiles import ERROR_SCHEMA, ROW
from comity.batch.readers import Input, RawChunk
from comity.errors import InputError, Problem
from comity.output_files import atomic_path, write_text_atomically

MANIFEST_FORMAT = "comity.batch.manifest.v1"
OUTPUT_SUFFIXES = (".parquet", ".csv")
Engine = Callable[[Iterator[RawChunk], BatchSettings], Iterator[ChunkResult]]
Progress = Callable[[int], None]


def local_engine(chunks: Iterator[RawChunk], settings: BatchSettings) -> Iterator[ChunkResult]:
    """Chunks assessed one after the other in this process (polars uses every core)."""
    for chunk in chunks:
        yield assess_chunk(chunk, settings)


@dataclass
class Summary:
    """What a run did: rows read, valid and invalid, result rows, files written."""

    rows: int = 0
    valid: int = 0
    invalid: int = 0
    results: int = 0
    resumed_chunks: int = 0
    output: str = ""
    errors_file: str = ""
    seconds: float = 0.0

    def describe(self) -> str:
        resumed = (f" (resumed after {self.resumed_chunks} chunk(s))"
                   if self.resumed_chunks else "")
        return (f"{self.rows} rows: {self.valid} valid, {self.invalid} invalid; "
                f"{self.results} results in {self.output}; errors in {self.errors_file}"
                f"{resumed}")


@dataclass
class Manifest:
    """The record of a run in progress (``<out>.parts/manifest.json``)."""

    input: dict[str, Any]
    settings: dict[str, Any]
    chunks: list[dict[str, int]] = field(default_factory=list)
    format: str = MANIFEST_FORMAT
    started: str = ""

    def same_run(self, other: Manifest) -> bool:
        return (self.format, self.input, self.settings) == (other.format, other.input,
                                                            other.settings)


def errors_path(out: Path) -> Path:
    """Where the row errors of a run writing ``out`` go: ``<stem>.errors.csv`` beside it."""
    return out.with_name(f"{out.stem}.errors.csv")


def parts_path(out: Path) -> Path:
    return out.with_name(f"{out.name}.parts")


def run_batch(source: Input, out: Path, settings: BatchSettings, *,
              chunk_size: int = DEFAULT_CHUNK_SIZE, engine: Engine = local_engine,
              restart: bool = False, progress: Progress | None = None) -> Summary:
    """Assess every row of ``source`` into ``out`` (``.parquet`` or ``.csv``), resumably."""
    if out.suffix not in OUTPUT_SUFFIXES:
        raise InputError(str(out), [Problem("", "the output must be a .parquet or .csv file",
                                            OUTPUT_SUFFIXES)])
    started = time.perf_counter()
    parts = parts_path(out)
    manifest = Manifest(source.fingerprint(), _settings_record(settings, chunk_size, out),
                        started=datetime.now(UTC).isoformat(timespec="seconds"))
    done = _resume(parts, manifest, restart)
    summary = Summary(resumed_chunks=len(done.chunks))
    for record in done.chunks:
        _count(summary, record)
    if progress is not None and summary.rows:
        progress(summary.rows)
    seen = _seen_ids(parts, done)
    remaining = (chunk for chunk in source.chunks(chunk_size) if chunk.index >= len(done.chunks))
    for result in engine(remaining, settings):
        _remove_duplicates(result, seen)
        record = _write_chunk(parts, result)
        done.chunks.append(record)
        _write_json(parts / "manifest.json", asdict(done))
        _count(summary, record)
        if progress is not None:
            progress(result.rows)
    _assemble(parts, done, out)
    shutil.rmtree(parts)
    summary.output, summary.errors_file = str(out), str(errors_path(out))
    summary.seconds = time.perf_counter() - started
    return summary


def _settings_record(settings: BatchSettings, chunk_size: int, out: Path) -> dict[str, Any]:
    return {"as_of": settings.as_of.isoformat(),
            "jurisdictions": list(settings.jurisdictions or []) or None,
            "rules_folder": settings.rules_folder,
            "rulebook": settings.rulebook().version_id, "chunk_size": chunk_size,
            "output": out.suffix}


def _resume(parts: Path, fresh: Manifest, restart: bool) -> Manifest:
    """The manifest to continue: the one on disk for the same run, else a new one."""
    path = parts / "manifest.json"
    if restart and parts.exists():
        shutil.rmtree(parts)
    if path.exists():
        recorded = Manifest(**json.loads(path.read_text(encoding="utf-8")))
        if not recorded.same_run(fresh):
            raise InputError(str(parts), [Problem(
                "manifest.json", "holds an unfinished run of another input or other options; "
                "rerun it as it was, or add --restart to discard it")])
        for record in recorded.chunks:
            for name in _part_names(record["index"]):
                if not (parts / name).exists():
                    raise InputError(str(parts), [Problem(name, "missing; add --restart")])
        return recorded
    parts.mkdir(parents=True, exist_ok=True)
    _write_json(path, asdict(fresh))
    return fresh


def resume_settings(out: Path) -> dict[str, Any] | None:
    """The settings of an unfinished run writing ``out``, if there is one."""
    path = parts_path(out) / "manifest.json"
    if not path.exists():
        return None
    settings: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["settings"]
    return settings


def _part_names(index: int) -> tuple[str, str]:
    return f"results-{index:06d}.parquet", f"errors-{index:06d}.parquet"


def _seen_ids(parts: Path, manifest: Manifest) -> set[str]:
    seen: set[str] = set()
    for record in manifest.chunks:
        table = pl.read_parquet(parts / _part_names(record["index"])[0], columns=["id"])
        seen.update(table["id"].unique().to_list())
    return seen


def _remove_duplicates(result: ChunkResult, seen: set[str]) -> None:
    """A second profile with an id already assessed in this batch is an error row."""
    ids = result.valid["id"]
    duplicate = ids.is_in(list(seen)) | ~ids.is_first_distinct()
    if duplicate.any():
        rows = result.valid.filter(duplicate)
        result.results = result.results.filter(~pl.col(ROW).is_in(rows[ROW].implode()))
        extra = pl.DataFrame(
            [{ROW: row, "id": name, "field": "id",
              "message": f"duplicate id {name!r} in this batch", "allowed": None}
             for row, name in rows.iter_rows()], schema=ERROR_SCHEMA)
        result.errors = pl.concat([result.errors, extra]).sort(ROW, maintain_order=True)
        result.valid = result.valid.filter(~duplicate)
    seen.update(result.valid["id"].to_list())


def _write_chunk(parts: Path, result: ChunkResult) -> dict[str, int]:
    results_name, errors_name = _part_names(result.index)
    _write_parquet(result.results.cast(RESULT_SCHEMA), parts / results_name)  # type: ignore[arg-type]
    _write_parquet(result.errors.cast(ERROR_SCHEMA), parts / errors_name)  # type: ignore[arg-type]
    return {"index": result.index, "rows": result.rows, "valid": result.valid.height,
            "invalid": result.errors[ROW].n_unique() if result.errors.height else 0,
            "results": result.results.height}


def _count(summary: Summary, record: dict[str, int]) -> None:
    summary.rows += record["rows"]
    summary.valid += record["valid"]
    summary.invalid += record["invalid"]
    summary.results += record["results"]


def _write_parquet(table: pl.DataFrame, path: Path) -> None:
    with atomic_path(path) as temporary:
        table.write_parquet(temporary, compression="snappy", statistics=False)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_text_atomically(path, json.dumps(data, indent=1, default=str))


def _assemble(parts: Path, manifest: Manifest, out: Path) -> None:
    """The final results and errors files from the parts, each renamed into place whole."""
    names = [_part_names(record["index"]) for record in manifest.chunks]
    results = [parts / result for result, _ in names]
    errors = [parts / error for _, error in names]
    # Errors file first, then the results (the inner block is renamed first).
    with atomic_path(out) as temporary, atomic_path(errors_path(out)) as errors_temporary:
        if out.suffix == ".parquet":
            _concatenate_parquet(results, temporary, RESULT_SCHEMA)
        else:
            _concatenate_csv(results, temporary, RESULT_SCHEMA)
        _concatenate_csv(errors, errors_temporary, ERROR_SCHEMA)


def _concatenate_parquet(paths: list[Path], target: Path,
                         schema: dict[str, pl.DataType]) -> None:
    arrow_schema = pl.DataFrame(schema=schema).to_arrow().schema
    with pq.ParquetWriter(target, arrow_schema, compression="snappy",
                          write_statistics=False) as writer:
        for path in paths:
            writer.write_table(pq.read_table(path, schema=arrow_schema))


def _concatenate_csv(paths: list[Path], target: Path, schema: dict[str, pl.DataType]) -> None:
    lists = [name for name, dtype in schema.items() if isinstance(dtype, pl.List)]
    with target.open("wb") as stream:
        stream.write((",".join(schema) + "\n").encode())
        for path in paths:
            table = pl.read_parquet(path)
            if lists:  # lists as in the input: values separated by ';'
                table = table.with_columns(pl.col(lists).list.join(LIST_SEPARATOR))
            table.write_csv(stream, include_header=False)
