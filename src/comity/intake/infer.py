"""From one input row to a v1 profile, every value with its confidence and evidence.

Order of trust, highest first, for a field that holds one value: a structured column of
the mapping, a constant of the mapping, text cues, the learned model. List fields add up
the values of every source. A value without evidence is never set: the field stays
unset, and the rules report what depends on it as undetermined.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from comity.intake.cues import CueMatch, CueSet
from comity.intake.evidence import Evidence, Inference, IntakeRecord
from comity.intake.mapping import LIST_FIELDS, ColumnField, Mapping
from comity.intake.readers import SourceRow
from comity.intake.text_model import LinearTextModel
from comity.profile.model import SLUG, Profile

PRINCIPAL_ROLES = frozenset({"sole", "substantial_factor"})
_PRIORITY = {"review": 4, "column": 3, "mapping": 2, "cue": 1, "model": 0}


@dataclass(frozen=True)
class Inferrer:
    """Everything intake needs to turn rows into profiles."""

    mapping: Mapping
    cues: CueSet
    model: LinearTextModel | None = None

    def text_of(self, row: SourceRow) -> dict[str, str]:
        """The free text that cues and the model read, by column."""
        return {column: row.cells[column] for column in self.mapping.text
                if row.cells.get(column, "").strip()}

    def record(self, row: SourceRow, missing_columns: list[str],
               used_ids: set[str]) -> IntakeRecord:
        """The profile and evidence for one row; problems become flags or a row error."""
        record = IntakeRecord(row.number, None, None, problems=list(row.problems))
        record.problems += [f"mapped column {name!r} is not in the input" for name in
                            missing_columns]
        record.kept = {name: row.cells[name] for name in self.mapping.keep if name in row.cells}
        name = " ".join(row.cells.get(self.mapping.profile_name, "").split())
        if not name:
            record.error = f"column {self.mapping.profile_name!r} is empty: a profile needs a name"
            return record
        record.profile_id = _unique(_slug(row, self.mapping), used_ids)
        texts = self.text_of(row)
        description = self._description(row)
        inferences = self._constants() + self._columns(row)
        inferences += self._from_cues(self.cues.matches(texts))
        if description is None and self.mapping.description:
            record.problems.append("no description text: only the name was read")
            inferences.append(Inference("description", None, 0.0, "column", applied=False,
                                        flagged=True, note="empty description"))
        record.inferences = _resolve(inferences, self.cues.thresholds.set,
                                     self.cues.thresholds.review)
        if self.model is not None and texts:
            record.inferences += self._model_role(record.inferences, "\n".join(texts.values()))
        profile = build_profile(record, name, description)
        try:
            record.profile = profile_json(Profile.model_validate(profile))
        except ValidationError as error:
            record.error = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}"
                                     for d in error.errors(include_url=False))
            record.profile = None
        return record

    def _description(self, row: SourceRow) -> str | None:
        parts = [" ".join(row.cells.get(column, "").split()) for column in self.mapping.description]
        text = "\n\n".join(part for part in parts if part)
        return text or None

    def _constants(self) -> list[Inference]:
        found: list[Inference] = []
        for constant in self.mapping.constants:
            values = constant.value if constant.field in LIST_FIELDS else [constant.value]
            found += [Inference(constant.field, value, 1.0, "mapping",
                                [Evidence("mapping", constant.reason)]) for value in values]
        return found

    def _columns(self, row: SourceRow) -> list[Inference]:
        found: list[Inference] = []
        for spec in self.mapping.fields:
            cell = " ".join(row.cells.get(spec.column, "").split())
            if not cell:
                continue
            for value in _column_values(spec, cell):
                found.append(Inference(spec.field, value, spec.confidence, "column",
                                       [Evidence(spec.column, cell[:200])], note=spec.reason))
        return found

    def _from_cues(self, matches: list[CueMatch]) -> list[Inference]:
        grouped: dict[tuple[str, str], list[CueMatch]] = defaultdict(list)
        for match in matches:
            grouped[(match.field, repr(match.value))].append(match)
        found: list[Inference] = []
        for group in grouped.values():
            doubt = 1.0
            for match in group:
                doubt *= 1.0 - match.weight
            found.append(Inference(group[0].field, group[0].value, 1.0 - doubt, "cue",
                                   [match.evidence for match in group]))
        return found

    def _model_role(self, inferences: list[Inference], text: str) -> list[Inference]:
        """The learned model's view of decision_role: sets it only when nothing else did."""
        assert self.model is not None
        model = self.model
        probability = model.probability(text)
        up, down = model.explain(text)
        evidence = [Evidence(f"model:{model.target}",
                             f"P(principal basis) = {probability:.2f}; words for: "
                             + ", ".join(t.term for t in up) + "; against: "
                             + ", ".join(t.term for t in down))]
        current = next((i for i in inferences if i.field == "decision_role" and i.applied), None)
        high, low = model.thresholds["principal"], model.thresholds["not_principal"]
        says_principal = probability >= high
        says_not = probability <= low
        if current is not None:
            disagrees = ((says_principal and current.value not in PRINCIPAL_ROLES)
                         or (says_not and current.value in PRINCIPAL_ROLES))
            if disagrees:
                current.flagged = True
                current.note = f"the learned model disagrees (P = {probability:.2f})"
            return []
        if says_principal:
            return [Inference("decision_role", "substantial_factor", probability, "model",
                              evidence, flagged=probability < self.cues.thresholds.review)]
        if says_not:
            people = any(i.field == "affected" and i.applied for i in inferences)
            role = "supporting" if people else "none"
            return [Inference("decision_role", role, 1.0 - probability, "model", evidence,
                              flagged=1.0 - probability < self.cues.thresholds.review)]
        return [Inference("decision_role", "substantial_factor", probability, "model", evidence,
                          applied=False, note="the model is undecided: left unset")]


def profile_json(profile: Profile) -> dict[str, Any]:
    """A profile as compact JSON data: defaults left out, the format version kept."""
    data = profile.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    return {"profile": 1, **{k: v for k, v in data.items() if k != "profile"}}


def _column_values(spec: ColumnField, cell: str) -> list[Any]:
    if spec.copy_value:
        return [cell]
    values: list[Any] = []
    for key, value in spec.values.items():
        hit = (re.search(r"\b" + re.escape(key) + r"\b", cell, re.IGNORECASE) if spec.contains
               else cell.casefold() == key.casefold())
        if hit:
            values += value if isinstance(value, list) else [value]
    return list(dict.fromkeys(values))  # two matching keys may give the same value


def _resolve(inferences: list[Inference], set_at: float, review_at: float) -> list[Inference]:
    """Decide which values are applied and which are flagged."""
    by_field: dict[str, list[Inference]] = defaultdict(list)
    for item in inferences:
        if item.field != "description":
            item.applied = item.confidence >= set_at
            item.flagged = item.applied and item.method != "mapping" \
                and item.confidence < review_at
        by_field[item.field].append(item)
    for field, items in by_field.items():
        if field in LIST_FIELDS:
            _agree(items, review_at)
        if field in LIST_FIELDS or field == "description":
            continue
        ranked = sorted((i for i in items if i.applied),
                        key=lambda i: (_PRIORITY[i.method], i.confidence), reverse=True)
        for loser in ranked[1:]:
            loser.applied = False
            if loser.value != ranked[0].value and _PRIORITY[loser.method] == _PRIORITY[
                    ranked[0].method]:
                ranked[0].flagged = True
                ranked[0].note = f"also evidence for {loser.value!r}"
    return inferences


def _agree(items: list[Inference], review_at: float) -> None:
    """Independent sources for the same list value add up (1 - Π(1 - c)) before flagging."""
    by_value: dict[str, list[Inference]] = defaultdict(list)
    for item in items:
        if item.applied:
            by_value[repr(item.value)].append(item)
    for same in by_value.values():
        if len(same) < 2:
            continue
        doubt = 1.0
        for item in same:
            doubt *= 1.0 - item.confidence
        if 1.0 - doubt >= review_at:
            for item in same:
                item.flagged = False


def build_profile(record: IntakeRecord, name: str, description: str | None) -> dict[str, Any]:
    """Profile data from the record's applied values (validated by the caller)."""
    profile: dict[str, Any] = {"profile": 1, "id": record.profile_id, "name": name}
    if description:
        profile["description"] = description
    for item in record.inferences:
        if not item.applied or item.field == "description":
            continue
        *parents, leaf = item.field.split(".")
        target = profile
        for part in parents:
            target = target.setdefault(part, {})
        if item.field in LIST_FIELDS:
            values = target.setdefault(leaf, [])
            if item.value not in values:
                values.append(item.value)
        else:
            target[leaf] = item.value
    return profile


def _slug(row: SourceRow, mapping: Mapping) -> str:
    parts = [row.cells.get(column, "").strip() for column in mapping.id.columns]
    if not all(parts) and mapping.id.fallback:
        parts = [row.cells.get(column, "").strip() for column in mapping.id.fallback]
    text = "-".join(part for part in parts if part.strip()) or f"row-{row.number}"
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    slug = slug or f"row-{row.number}"
    if not slug[0].isalnum() or not SLUG.fullmatch(slug):
        slug = f"row-{row.number}"
    return slug


def _unique(slug: str, used: set[str]) -> str:
    candidate, count = slug, 1
    while candidate in used:
        count += 1
        candidate = f"{slug}-{count}"
    used.add(candidate)
    return candidate
