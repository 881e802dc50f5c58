"""JSON Schemas (draft 2020-12) of Comity's exchange formats.

``profile``: a profile file (one profile, or ``profiles:`` list), the common input
contract. ``rules``: a rule file (``rules/<code>/<name>.yaml``). ``jurisdiction``: a
folder's ``jurisdiction.yaml``. ``questions``: a ``questions.yaml`` file. ``export``:
the store's ``comity.export.v1`` JSON. ``intake-mapping`` and ``intake-cues``: the
mapping and text-cue files of ``comity intake``.

The schemas are derived from the validating models, so they cannot drift from what
Comity accepts; vocabulary-constrained fields carry their allowed values as ``enum``.
Comity itself validates with the models (better error messages); the schemas are for
other tools and editors. ``python -m comity.json_schemas DIR`` writes them as files.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from comity.knowledge.entities import COMMON_BODY_KEYS, EXPORT_FORMAT, EntityRecord
from comity.output_files import write_text_atomically
from comity.profile.fields import field_docs
from comity.profile.model import FACT_NAMES, Profile
from comity.rulebook.conditions import LEAF_OPERATORS
from comity.rulebook.loader import JurisdictionSpec, RuleFileSpec
from comity.rulebook.questions import QUESTION_ID_PATTERN, QuestionFileSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _document(name: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DIALECT, "$id": f"urn:comity:schema:{name}", "title": title, **body}


def profile_schema() -> dict[str, Any]:
    """A profile file: one profile object, or ``{profiles: [...]}``."""
    single = Profile.model_json_schema(ref_template="#/$defs/{model}")
    defs = single.pop("$defs", {})
    defs["Profile"] = single
    _describe(single, defs, "")
    return _document("profile-v1", "Comity AI-system profile file (v1)", {
        "oneOf": [
            {"$ref": "#/$defs/Profile"},
            {"type": "object", "additionalProperties": False, "required": ["profiles"],
             "properties": {"profiles": {"type": "array", "minItems": 1,
                                         "items": {"$ref": "#/$defs/Profile"}}}},
        ],
        "$defs": defs,
    })


def _describe(node: dict[str, Any], defs: dict[str, Any], prefix: str) -> None:
    """Give every profile property its user description (``data/profile-fields.yaml``)."""
    docs = field_docs()
    for name, prop in node.get("properties", {}).items():
        path = prefix + name
        if path in docs:
            prop["description"] = docs[path].description
        refs = [prop.get("$ref"), *(item.get("$ref") for item in prop.get("anyOf", []))]
        for ref in filter(None, refs):
            _describe(defs[ref.rsplit("/", 1)[1]], defs, path + ".")


def condition_schema() -> dict[str, Any]:
    """The condition tree of rules and tiers (see ``comity.rulebook.conditions``)."""
    ref = {"$ref": "#/$defs/Condition"}
    leaf_properties: dict[str, Any] = {"fact": {"enum": sorted(FACT_NAMES)}}
    leaf_properties.update({operator: {} for operator in LEAF_OPERATORS})
    question_properties: dict[str, Any] = {"needs": {"type": "string",
                                                     "pattern": QUESTION_ID_PATTERN}}
    question_properties.update({operator: {} for operator in LEAF_OPERATORS})

    def only(key: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": [key],
                "properties": {key: schema}}

    return {"oneOf": [
        only("all", {"type": "array", "minItems": 1, "items": ref}),
        only("any", {"type": "array", "minItems": 1, "items": ref}),
        only("not", ref),
        {"type": "object", "required": ["needs"], "additionalProperties": False,
         "properties": question_properties, "maxProperties": 2},
        only("established", {"type": "string"}),
        {"type": "object", "required": ["fact"], "additionalProperties": False,
         "properties": leaf_properties, "maxProperties": 2},
    ]}


def _with_conditions(schema: dict[str, Any], *models: str) -> dict[str, Any]:
    defs = schema.setdefault("$defs", {})
    for model in models:
        defs[model]["properties"]["when"] = {"anyOf": [{"$ref": "#/$defs/Condition"},
                                                       {"type": "null"}]}
    defs["Condition"] = condition_schema()
    return schema


def rule_file_schema() -> dict[str, Any]:
    """A rule file: the instrument it belongs to and its rules."""
    schema = _with_conditions(RuleFileSpec.model_json_schema(), "RuleSpec")
    return _document("rules-v1", "Comity rule file", schema)


def jurisdiction_schema() -> dict[str, Any]:
    """A jurisdiction file: scope, tiers, named sets, date parameters, instruments."""
    spec = JurisdictionSpec.model_json_schema(ref_template="#/$defs/{model}")
    spec["properties"]["scope"] = {"$ref": "#/$defs/Condition"}
    defs = spec.pop("$defs", {})
    defs["Jurisdiction"] = spec
    return _document("jurisdiction-v1", "Comity jurisdiction file", _with_conditions({
        "type": "object", "additionalProperties": False, "required": ["jurisdiction"],
        "properties": {"jurisdiction": {"$ref": "#/$defs/Jurisdiction"}},
        "$defs": defs,
    }, "TierSpec"))


def questions_schema() -> dict[str, Any]:
    """A questions file (``rules/questions.yaml`` or ``rules/<code>/questions.yaml``)."""
    return _document("questions-v1", "Comity questions file",
                     QuestionFileSpec.model_json_schema())


def export_schema() -> dict[str, Any]:
    """The JSON export of the knowledge base (``comity db export``)."""
    record = EntityRecord.model_json_schema()
    record["properties"]["body"]["properties"] = COMMON_BODY_KEYS
    return _document("export-v1", f"Comity knowledge-base export ({EXPORT_FORMAT})", {
        "type": "object", "additionalProperties": False, "required": ["format", "entities"],
        "properties": {"format": {"const": EXPORT_FORMAT},
                       "entities": {"type": "array", "items": {"$ref": "#/$defs/Entity"}}},
        "$defs": {"Entity": record},
    })


def _fields_enum(schema: dict[str, Any], *models: str) -> dict[str, Any]:
    from comity.intake.mapping import SETTABLE_FIELDS

    for model in models:
        schema["$defs"][model]["properties"]["field"]["enum"] = list(SETTABLE_FIELDS)
    return schema


def intake_mapping_schema() -> dict[str, Any]:
    """A mapping file of ``comity intake``: which columns hold which profile facts."""
    from comity.intake.mapping import Mapping

    schema = _fields_enum(Mapping.model_json_schema(), "Constant", "ColumnField")
    return _document("intake-mapping-v1", "Comity intake mapping file", schema)


def intake_cues_schema() -> dict[str, Any]:
    """A text-cue file of ``comity intake``: words that are evidence for profile values."""
    from comity.intake.cues import CueFile

    schema = _fields_enum(CueFile.model_json_schema(), "CueEntry")
    return _document("intake-cues-v1", "Comity intake cue file", schema)


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "profile": profile_schema,
    "rules": rule_file_schema,
    "jurisdiction": jurisdiction_schema,
    "questions": questions_schema,
    "export": export_schema,
    "intake-mapping": intake_mapping_schema,
    "intake-cues": intake_cues_schema,
}


def schema_text(name: str) -> str:
    """One schema as stable, indented JSON."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema as ``<name>.schema.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        write_text_atomically(path, schema_text(name))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(written)
