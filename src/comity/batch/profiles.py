"""Rows of a flat table (or profile documents) to validated fact tables and row errors.

Flat rows take a vectorised path: each column is checked and converted with polars
expressions built from the profile model's own constraints (value lists, patterns,
bounds), and the input hash is built from the same canonical JSON as
:func:`comity.engine.assess.input_hash`. A row the vectorised checks do not pass, or
that carries something they cannot check (``impact_assessments``), goes through the
profile model itself: it is then valid exactly when ``comity validate`` says so, and
its errors carry the same messages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import polars as pl
from pydantic import BaseModel, ValidationError

from comity.batch.columns import (
    FALSE_WORDS,
    LIST_SEPARATOR,
    TRUE_WORDS,
    FlatColumn,
    column_names,
    flat_columns,
    unflatten,
)
from comity.batch.readers import Located, Unreadable
from comity.engine.assess import ADDITIVE_FIELDS, input_hash
from comity.engine.fact_table import ABSENT, cell, fact_schema
from comity.errors import InputError, Problem
from comity.profile.files import validation_problems
from comity.profile.model import Profile, Unknown

ROW = "row"
HASH = "input_hash"
ERROR_SCHEMA: dict[str, pl.DataType] = {
    ROW: pl.Int64(), "id": pl.String(), "field": pl.String(), "message": pl.String(),
    "allowed": pl.String(),
}
# Facts read from one flat column only; on the fast path that column is empty, so the
# fact has its default (unknown).
DERIVED_FROM_SLOW_COLUMNS = {"ca_aia.impact_level": "impact_assessments"}
_JSON_SAFE = r"^[ !#-\[\]-~]*$"  # printable ASCII but '"' and '\': JSON text is the same


@dataclass
class ValidatedChunk:
    """The valid rows as a fact table (with ``row`` and ``input_hash``) and the errors."""

    facts: pl.DataFrame
    errors: pl.DataFrame
    # Valid profiles the fact table cannot hold (answers, facts stated unknown, use
    # areas), by row: the per-profile engine assesses them.
    profiles: list[tuple[int, Profile]] = field(default_factory=list)


def needs_the_profile_engine(profile: Profile) -> bool:
    """A fact-table cell cannot hold an answer, and a null cannot tell "not given" from
    "I don't know" (which rules read differently in ``known`` tests) or a use area."""
    return bool(profile.answers or profile.unknown or profile.use_areas)


def validate_flat(table: pl.DataFrame, first_row: int) -> ValidatedChunk:
    """Validate a flat table whose rows are numbered from ``first_row``."""
    unknown = [name for name in table.columns if name not in column_names()]
    if unknown:
        raise ValueError(f"unmapped columns {unknown}")  # readers check headers first
    table = _with_every_column(table)
    frame = _normalised(table).with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias(ROW))
    if fast_path_available():
        passes = frame.select(_row_passes()).to_series()
    else:
        passes = pl.Series([False] * frame.height)
    fast = frame.filter(passes)
    slow = table.with_columns(frame[ROW]).filter(~passes)
    fast_facts = _facts_of_flat(_typed_cells(fast))
    slow_rows = [(row.pop(ROW), unflatten(row)) for row in slow.to_dicts()]
    slow_chunk = validate_documents(slow_rows)
    slow_facts = slow_chunk.facts
    facts = pl.concat([fast_facts, slow_facts]).sort(ROW) if slow_facts.height else fast_facts
    return ValidatedChunk(facts, slow_chunk.errors, slow_chunk.profiles)


def validate_documents(items: Iterable[tuple[int, Any]]) -> ValidatedChunk:
    """Profile documents through the profile model: facts of the valid, errors of the rest
    (and, apart, the valid profiles only the per-profile engine reads)."""
    facts_rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    profiles: list[tuple[int, Profile]] = []
    schema = fact_schema()
    for row, item in items:
        document, file, path = item, "", ""
        if isinstance(item, Located):
            document, file, path = item.document, item.file, item.path
        try:
            if isinstance(document, Unreadable):
                raise InputError(file, [Problem(path, document.message)])
            profile = Profile.model_validate(document)
            facts = profile.facts()
        except ValidationError as error:
            errors += error_rows(row, document, validation_problems(error, path), file)
            continue
        except InputError as error:  # e.g. an impact assessment that cannot be scored
            errors += error_rows(row, document, error.problems, file)
            continue
        if needs_the_profile_engine(profile):
            profiles.append((row, profile))
            continue
        facts_rows.append({ROW: row, HASH: input_hash(profile),
                           **{name: cell(facts[name]) for name in schema}})
    table = pl.DataFrame(facts_rows, schema=facts_schema(), orient="row") if facts_rows else (
        pl.DataFrame(schema=facts_schema()))
    return ValidatedChunk(table, pl.DataFrame(errors, schema=ERROR_SCHEMA), profiles)


def _join_path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def error_rows(row: int, document: Any, problems: Sequence[Problem],
               file: str = "") -> list[dict[str, Any]]:
    """One error row per problem, as the errors file holds them (``file:`` in a folder)."""
    identifier = document.get("id") if isinstance(document, dict) else None
    return [{ROW: row, "id": identifier if isinstance(identifier, str) else None,
             "field": f"{file}: {problem.path}".strip(": ") if file else problem.path,
             "message": problem.message,
             "allowed": ", ".join(problem.allowed) or None} for problem in problems]


@cache
def facts_schema() -> dict[str, pl.DataType]:
    return {ROW: pl.Int64(), HASH: pl.String(), **fact_schema()}


@cache
def fast_path_available() -> bool:
    """Whether every fact can be read from flat columns (else every row takes the model)."""
    columns = set(column_names())
    defaults = Profile(profile=1, id="x", name="x").facts()
    for name in fact_schema():
        if name in columns:
            continue
        source = DERIVED_FROM_SLOW_COLUMNS.get(name)
        if source is None or not isinstance(defaults[name], Unknown):
            return False
    return all(column.checked or column.kind == "json" for column in flat_columns()) and all(
        column.allowed is not None for column in flat_columns() if column.kind == "list")


def _normalised(table: pl.DataFrame) -> pl.DataFrame:
    """Cells as the model will read them: lists split, booleans and numbers parsed."""
    exprs = []
    for column in flat_columns():
        if column.name not in table.columns:
            continue
        source = pl.col(column.name)
        if column.kind == "list" and table.schema[column.name] == pl.String():
            source = source.str.split(LIST_SEPARATOR).list.eval(
                pl.element().str.strip_chars()).list.eval(
                pl.element().filter(pl.element() != ""))
        exprs.append(source.alias(column.name))
    return table.select(exprs)


def _cell_passes(column: FlatColumn) -> pl.Expr:
    """Whether a cell of the column is certainly valid (null: omitted, handled apart)."""
    value = pl.col(column.name)
    if not column.checked:
        return value.is_null()
    if column.kind == "bool":
        return value.str.strip_chars().str.to_lowercase().is_in(sorted(TRUE_WORDS | FALSE_WORDS))
    if column.kind == "version":
        return value.str.strip_chars() == "1"
    if column.kind == "number":
        number = value.str.strip_chars().cast(pl.Float64, strict=False)
        ok = number.is_not_null() & number.is_not_nan()
        if column.integer:
            ok = ok & number.is_finite() & (number == number.floor())
        if column.finite:
            ok = ok & number.is_finite()
        for name, bound in column.bounds:
            ok = ok & {"ge": number >= bound, "gt": number > bound, "le": number <= bound,
                       "lt": number < bound}[name]
        return ok
    if column.kind == "list":
        assert column.allowed is not None
        return value.list.eval(pl.element().is_in(sorted(column.allowed))).list.all()
    ok = pl.lit(True)
    if column.allowed is not None:
        ok = ok & value.is_in(sorted(column.allowed))
    if column.pattern is not None:
        ok = ok & value.str.contains(column.pattern)
    if column.min_length is not None:
        ok = ok & (value.str.len_chars() >= column.min_length)
    return ok


def _row_passes() -> pl.Expr:
    available = set(column_names())
    checks: list[pl.Expr] = []
    blocks: dict[str, list[FlatColumn]] = {}
    for column in flat_columns():
        if column.block is not None:
            blocks.setdefault(column.block, []).append(column)
        checks.append(pl.col(column.name).is_null() | _cell_passes(column).fill_null(False))
        if column.required and column.kind != "version":
            checks.append(pl.col(column.name).is_not_null())
    for block_columns in blocks.values():
        present = [c for c in block_columns if c.name in available]
        given = pl.any_horizontal([pl.col(c.name).is_not_null() for c in present]) if present \
            else pl.lit(False)
        for column in present:
            if column.block_required:
                checks.append(~given | pl.col(column.name).is_not_null())
    return pl.all_horizontal(checks).alias("passes")


def _facts_of_flat(frame: pl.DataFrame) -> pl.DataFrame:
    """The fact table of rows that passed the vectorised checks, as ``Profile.facts()``."""
    defaults = Profile(profile=1, id="x", name="x").facts()
    exprs: list[pl.Expr] = [pl.col(ROW), _hash_column(frame)]
    kinds = {column.name: column.kind for column in flat_columns()}
    for name, dtype in fact_schema().items():
        default = defaults[name]
        if name not in kinds:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        value = pl.col(name)
        if default is None:
            value = value.fill_null(pl.lit(ABSENT))
        elif isinstance(default, bool):
            value = value.fill_null(default)
        elif isinstance(default, frozenset):
            value = value.fill_null(pl.lit([], dtype=pl.List(pl.String())))
        exprs.append(value.cast(dtype).alias(name))
    if "safety_component_of.third_party_conformity" in fact_schema():
        # bool(component and component.third_party_conformity): no block, no conformity.
        exprs = [e for e in exprs if e.meta.output_name() !=
                 "safety_component_of.third_party_conformity"]
        exprs.append((pl.col("safety_component_of.legislation").is_not_null()
                      & pl.col("safety_component_of.third_party_conformity").fill_null(False)
                      ).alias(
            "safety_component_of.third_party_conformity"))
    return frame.select(exprs).select(list(facts_schema()))


def _with_every_column(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in flat_columns() if c.name not in frame.columns]
    return frame.with_columns(
        pl.lit(None, dtype=pl.List(pl.String()) if c.kind == "list" else pl.String()
               ).alias(c.name) for c in missing)


def _typed_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Booleans and numbers of rows that passed the checks, parsed once (null stays null)."""
    exprs = []
    for column in flat_columns():
        value = pl.col(column.name)
        if column.kind == "bool":
            exprs.append(pl.when(value.is_null()).then(None).otherwise(
                value.str.strip_chars().str.to_lowercase().is_in(sorted(TRUE_WORDS))
            ).alias(column.name))
        elif column.kind == "number":
            exprs.append(value.str.strip_chars().cast(pl.Float64).alias(column.name))
    return frame.with_columns(exprs)


def _hash_column(frame: pl.DataFrame) -> pl.Expr:
    """SHA-256 of each row's canonical JSON, the same text ``input_hash`` hashes."""
    texts = frame.select(pl.concat_str(_canonical(Profile, "", frame)).alias("json"))
    hashes = [hashlib.sha256(_joined(text).encode()).hexdigest()
              for text in texts["json"].to_list()]
    return pl.lit(pl.Series(HASH, hashes, dtype=pl.String()))


# Each member of a JSON object is written after this separator, which json.dumps never
# emits (it escapes control characters); _joined turns it into ", " between members.
# A member left out (an empty additive field) then leaves no stray comma.
_MEMBER = "\x01"


def _joined(text: str) -> str:
    return text.replace("{" + _MEMBER, "{").replace(_MEMBER, ", ")


def _canonical(model: type[BaseModel], prefix: str, frame: pl.DataFrame) -> list[pl.Expr]:
    """``json.dumps(profile.model_dump(mode="json"), sort_keys=True)`` as string pieces
    (members separated by ``_MEMBER``; see :func:`_joined`)."""
    columns = {column.name: column for column in flat_columns()}
    pieces: list[pl.Expr] = [pl.lit("{")]
    for name in sorted(model.model_fields):
        path = f"{prefix}{name}"
        key = pl.lit(_MEMBER + json.dumps(name) + ": ")
        info = model.model_fields[name]
        nested = _nested_model(info.annotation)
        if nested is not None:
            inner = pl.concat_str(_canonical(nested, f"{path}.", frame))
            if info.default is None and not info.is_required():
                members = [c for c in columns if c.startswith(f"{path}.")]
                given = pl.any_horizontal([pl.col(c).is_not_null() for c in members])
                if path in ADDITIVE_FIELDS:  # left out of the hash when not given
                    pieces.append(pl.when(given).then(pl.concat_str([key, inner])).otherwise(
                        pl.lit("")))
                    continue
                inner = pl.when(given).then(inner).otherwise(pl.lit("null"))
            pieces += [key, inner]
            continue
        if path in ADDITIVE_FIELDS:  # left out of the hash when empty
            pieces.append(_additive(key, columns[path], frame))
            continue
        pieces += [key, _json_value(columns[path], frame)]
    pieces.append(pl.lit("}"))
    return pieces


def _additive(key: pl.Expr, column: FlatColumn, frame: pl.DataFrame) -> pl.Expr:
    """A field ``input_hash`` leaves out when empty, so older hashes stay the same."""
    if column.kind == "json":
        return pl.lit("")  # never given on the fast path (such rows take the model)
    value = pl.col(column.name)
    empty = value.is_null() | (value.list.len() == 0) if column.kind == "list" else (
        value.is_null())
    return pl.when(empty).then(pl.lit("")).otherwise(
        pl.concat_str([key, _json_value(column, frame)]))


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _json_value(column: FlatColumn, frame: pl.DataFrame) -> pl.Expr:
    value = pl.col(column.name)
    if column.kind == "bool":
        return pl.when(value.is_null()).then(pl.lit(column.default_json)).when(value).then(
            pl.lit("true")).otherwise(pl.lit("false"))
    if column.kind == "version":
        return pl.lit("1")
    if column.kind == "json":
        return pl.lit("{}")
    if column.kind == "list":
        return pl.when(value.is_null() | (value.list.len() == 0)).then(pl.lit("[]")).otherwise(
            pl.concat_str([pl.lit('["'), value.list.join('", "'), pl.lit('"]')]))
    if column.kind == "number":
        numbers = frame[column.name].unique().drop_nulls()
        texts = {number: json.dumps(int(number) if column.integer else number)
                 for number in numbers.to_list()}
        encoded = value.replace_strict(
            list(texts), list(texts.values()), return_dtype=pl.String, default=None)
        return encoded.fill_null(pl.lit("null"))
    if column.allowed is not None:  # codes and vocabulary: plain ASCII words
        return pl.when(value.is_null()).then(pl.lit("null")).otherwise(
            pl.concat_str([pl.lit('"'), value, pl.lit('"')]))
    return pl.lit(_json_text(frame[column.name]).fill_null("null"))


def _json_text(series: pl.Series) -> pl.Series:
    """``json.dumps`` of each text (ASCII-escaped), computed in Python only where needed."""
    safe = series.str.contains(_JSON_SAFE).fill_null(True)
    encoded = series.to_frame().select(
        pl.concat_str([pl.lit('"'), pl.col(series.name), pl.lit('"')])).to_series()
    unsafe = (~safe).arg_true()
    if len(unsafe):
        values = [json.dumps(text) for text in series.gather(unsafe).to_list()]
        encoded = encoded.scatter(unsafe, values)
    return encoded
