"""Intake of a whole file: rows in, profiles and their evidence sidecar out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from comity.intake.cues import CueSet, load_cues
from comity.intake.evidence import IntakeRecord
from comity.intake.infer import Inferrer
from comity.intake.mapping import Mapping, load_mapping
from comity.intake.readers import read_rows
from comity.intake.text_model import LinearTextModel, load_text_model


@dataclass
class IntakeRun:
    """The outcome of one intake: a record per row, and how the file was read."""

    source: str
    mapping: str
    encoding: str | None
    records: list[IntakeRecord] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def profiles(self) -> int:
        return sum(1 for record in self.records if record.profile is not None)

    @property
    def errors(self) -> int:
        return sum(1 for record in self.records if record.error is not None)

    @property
    def flagged(self) -> int:
        return sum(1 for record in self.records if record.flagged or record.problems)


def intake_file(path: str | Path, mapping: Mapping | str, *, cues: CueSet | None = None,
                model: LinearTextModel | None | bool = True, encoding: str | None = None,
                input_format: str | None = None,
                progress: Callable[[Iterable[int], int], Iterable[int]] | None = None,
                ) -> IntakeRun:
    """Turn every row of ``path`` into a profile with evidence; never stops on a bad row.

    ``model=True`` uses the shipped principal-basis model, ``False``/``None`` none.
    ``encoding`` overrides the mapping's; when neither says, it is detected.
    """
    chosen = load_mapping(mapping) if isinstance(mapping, str) else mapping
    text_model = load_text_model() if model is True else (model or None)
    inferrer = Inferrer(chosen, cues or load_cues(), text_model)
    rows, decoded = read_rows(path, encoding=encoding or chosen.encoding,
                              input_format=input_format or chosen.format)
    present = set().union(*(row.cells for row in rows)) if rows else set()
    missing = [name for name in chosen.columns() if name not in present]
    run = IntakeRun(str(path), chosen.name, decoded.encoding if decoded else None,
                    missing_columns=missing)
    used_ids: set[str] = set()
    indexes: Iterable[int] = range(len(rows))
    if progress is not None:
        indexes = progress(indexes, len(rows))
    for index in indexes:
        run.records.append(inferrer.record(rows[index], missing, used_ids))
    return run


def write_outputs(run: IntakeRun, profiles: IO[str], sidecar: IO[str],
                  as_document: bool = False) -> None:
    """Profiles as JSON Lines (one v1 profile per line) and the evidence sidecar.

    ``as_document`` writes the profiles as one JSON document (``{"profiles": [...]}``)
    that ``comity validate`` and ``comity assess`` read as it is.
    """
    made = [record.profile for record in run.records if record.profile is not None]
    if as_document:
        json.dump({"profiles": made}, profiles, ensure_ascii=False, indent=1)
        profiles.write("\n")
    else:
        profiles.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in made)
    for record in run.records:
        sidecar.write(json.dumps(record.sidecar(), ensure_ascii=False) + "\n")


def sidecar_path(out: Path) -> Path:
    """Where the evidence of ``profiles.jsonl`` goes: ``profiles.evidence.jsonl``."""
    return out.with_name(out.stem + ".evidence.jsonl")
