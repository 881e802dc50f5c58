"""One chunk of a portfolio, validated and assessed: the unit of work of every engine.

:func:`assess_chunk` is a plain function of picklable arguments, so the local engine
calls it in-process and the Dask engine ships it to workers unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from comity.batch.profiles import HASH, ROW, validate_documents, validate_flat
from comity.batch.readers import RawChunk
from comity.engine.assess import assess_profile, input_hash
from comity.engine.columnar import OUTPUT_SCHEMA, ColumnarAssessor
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook, load_rulebook

RESULT_SCHEMA: dict[str, pl.DataType] = {
    ROW: pl.Int64(), "id": pl.String(), **OUTPUT_SCHEMA, "rulebook": pl.String(),
    "as_of": pl.Date(), HASH: pl.String(),
}
"""The columns of a batch result: one row per profile and jurisdiction."""


@dataclass(frozen=True)
class BatchSettings:
    """What every chunk of a run is assessed with (recorded in the run's manifest)."""

    as_of: date
    jurisdictions: tuple[str, ...] | None = None
    rules_folder: str | None = None

    def rulebook(self) -> Rulebook:
        return _rulebook(self.rules_folder)


@cache
def _rulebook(folder: str | None) -> Rulebook:
    return load_rulebook(Path(folder)) if folder else default_rulebook()


@cache
def _assessor(settings: BatchSettings) -> ColumnarAssessor:
    return ColumnarAssessor(settings.rulebook(), settings.as_of, settings.jurisdictions)


@dataclass
class ChunkResult:
    """A chunk's result rows, its row errors, and the row and id of each valid profile."""

    index: int
    rows: int
    results: pl.DataFrame
    errors: pl.DataFrame
    valid: pl.DataFrame  # row, id


def assess_chunk(chunk: RawChunk, settings: BatchSettings) -> ChunkResult:
    """Validate and assess one chunk (facts computed once, every rule over the whole chunk;
    the few profiles a fact table cannot hold, one by one with the per-profile engine)."""
    if chunk.table is not None:
        validated = validate_flat(chunk.table, chunk.first_row)
    else:
        validated = validate_documents(chunk.documents or [])
    assessor = _assessor(settings)
    columnar = assessor.assess(validated.facts, keep=[ROW, "id", HASH])
    one_by_one = _assessed_one_by_one(validated.profiles, assessor)
    results = pl.concat([columnar, one_by_one.select(columnar.columns)]).with_columns(
        pl.lit(assessor.rulebook.version_id).alias("rulebook"),
        pl.lit(settings.as_of).alias("as_of"),
    ).select(list(RESULT_SCHEMA)).sort(ROW, maintain_order=True)
    apart = pl.DataFrame({ROW: [row for row, _ in validated.profiles],
                          "id": [profile.id for _, profile in validated.profiles]},
                         schema={ROW: pl.Int64(), "id": pl.String()})
    valid = pl.concat([validated.facts.select(ROW, "id"), apart]).sort(ROW)
    return ChunkResult(chunk.index, chunk.rows, results, validated.errors, valid)


def _assessed_one_by_one(profiles: list[tuple[int, Profile]], assessor: ColumnarAssessor
                         ) -> pl.DataFrame:
    """The columnar engine's result rows for profiles assessed by the per-profile engine
    (the two engines agree wherever both apply: tests/test_columnar.py)."""
    rows = []
    for row, profile in profiles:
        assessment = assess_profile(profile, assessor.rulebook, as_of=assessor.as_of,
                                    jurisdictions=assessor.codes)
        by_code = {result.jurisdiction: result for result in assessment.results}
        digest = input_hash(profile)
        for code in assessor.codes:
            result = by_code[code]
            rows.append({
                ROW: row, "id": profile.id, HASH: digest, "jurisdiction": code,
                "in_scope": result.in_scope, "tier": result.tier,
                "common_tier": result.common_tier,
                "prohibitions": [f.rule_id for f in result.prohibitions],
                "obligations": [f.rule_id for f in result.obligations],
                "undetermined": [f.rule_id for f in result.undetermined]})
    schema = {ROW: pl.Int64(), "id": pl.String(), HASH: pl.String(), **OUTPUT_SCHEMA}
    return pl.DataFrame(rows, schema=schema)
