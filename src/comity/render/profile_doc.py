"""``docs/profile.md``: the user guide of the profile format, generated from data.

Every field of the model with its description, type, default and an example (from
``data/profile-fields.yaml``), then every controlled list of the vocabulary. Rewrite
with ``python -m comity.render.profile_doc > docs/profile.md``; a test checks it.
"""

from __future__ import annotations

from typing import Any

import yaml

from comity.profile.fields import default_text, field_docs, field_paths
from comity.profile.vocabulary import vocabulary

#: Closed value lists of the vocabulary behind each field.
FIELD_LISTS = {
    "deployer.kind": "deployer_kinds",
    "system.autonomy": "autonomy",
    "system.outputs": "outputs",
    "decision_role": "decision_roles",
    "safety_component_of.legislation": "safety_legislation",
    "affected": "affected",
    "data": "data",
    "flags.law_enforcement_exception": "law_enforcement_exceptions",
    "uses": "uses",
    "markets": "markets",
    "roles": "operator_roles",
    "use_areas": "use_areas",
}


#: Top-level fields left out of the complete example (they describe other kinds of system).
EXAMPLE_SKIPS = ("gpai", "safety_component_of", "impact_assessments", "answers", "roles",
                 "lifecycle", "unknown", "use_areas")


#: How to say "I don't know" (issue #16): one representation for every field type.
DONT_KNOW_SECTION = [
    "## Saying \"I don't know\"",
    "",
    "Leaving a field out is not the same as not knowing it: an omitted boolean is "
    "false and an omitted list empty. To say you do not know a fact, of any type "
    "(true/false, one of a list, a list, a date, a number, a text), list its dotted path "
    "under `unknown:`, and do not give the field itself (giving both is an error). "
    "Every rule that turns on it is then undetermined, never false, and the trace "
    "shows the value as `unknown (answered)` where an omitted fact shows `unknown`. "
    "For a typed question, answer `unknown` under `answers:`; the trace then reads "
    "`question <id> answered unknown`. `comity validate` accepts both, and "
    "`comity interview` offers \"I don't know\" for every field and question where "
    "it makes sense. Two partial answers have their own form: a product under "
    "harmonisation legislation you cannot name is `safety_component_of` without "
    "`legislation`, and a use whose area you know but not the exact use is "
    "`use_areas:`.",
    "",
    "```yaml",
    "profile: 1",
    "id: legacy-screener",
    "name: Legacy CV screener",
    "markets: [EU]",
    "system: {machine_based: true, infers_outputs: true, autonomy: partial}",
    "uses: [employment.recruitment]",
    "provider: {established_in_union: false}",
    "lifecycle: {placed_on_market: 2025-03-01}",
    "unknown: [lifecycle.significant_change, flags.profiling]",
    "answers: {common.publicly_accessible_space: unknown}",
    "```",
    "",
]


def example_profile_text() -> str:
    """The complete example of the guide, as YAML text (it is a valid profile)."""
    return _example_profile()


def controlled_lists() -> dict[str, tuple[str, ...]]:
    """Every closed list of the profile vocabulary (uses and markets included)."""
    words = vocabulary()
    return {
        "uses": tuple(words.uses),
        "deployer_kinds": words.deployer_kinds,
        "autonomy": words.autonomy,
        "outputs": words.outputs,
        "decision_roles": tuple(words.decision_roles),
        "government_levels": tuple(words.government_levels),
        "currencies": tuple(words.currencies),
        "safety_legislation": words.safety_legislation,
        "affected": words.affected,
        "data": words.data,
        "law_enforcement_exceptions": words.law_enforcement_exceptions,
        "operator_roles": words.operator_roles,
        "use_areas": tuple(words.use_areas),
        "markets": (*words.special_markets, "ISO 3166-1 alpha-2 country codes",
                    "ISO 3166-2 US subdivisions (US-CA, US-CO, ...)"),
        "flags": tuple(path.split(".", 1)[1] for path in field_paths()
                       if path.startswith("flags.")),
    }


def _kind(example: Any) -> str:
    if isinstance(example, bool):
        return "true or false"
    if isinstance(example, int | float):
        return "number"
    if isinstance(example, list):
        return "list"
    if isinstance(example, dict):
        return "mapping"
    return "text"


def _inline(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _example_profile() -> str:
    """A complete profile assembled from the top-level examples."""
    docs = field_docs()
    lines = []
    for path in field_paths():
        if "." in path or path in EXAMPLE_SKIPS:
            continue
        lines.append(f"{path}: {_inline(docs[path].example)}")
    return "\n".join(lines)


def profile_markdown() -> str:
    docs = field_docs()
    lists = controlled_lists()
    lines = [
        "# The AI-system profile (format version 1)",
        "",
        "A profile describes one AI system (or general-purpose model) once, in one shared "
        "vocabulary, so that every jurisdiction's rules read the same facts. Write it as "
        "YAML or JSON: one profile per file, or several under `profiles:`. Unknown fields "
        "are an error. `comity validate FILE` checks a file; `comity schema profile` "
        "prints the JSON Schema with these descriptions; `comity vocab` lists every "
        "controlled list.",
        "",
        "Generated from the profile model, `src/comity/data/profile-fields.yaml` and the "
        "vocabulary (`python -m comity.render.profile_doc > docs/profile.md`).",
        "",
        "## A complete example",
        "",
        "```yaml",
        _example_profile(),
        "```",
        "",
        "Omitted booleans are false and omitted lists empty, except the fields whose "
        "default below is *unknown*: Comity never guesses those, and every rule that "
        "needs one is reported as undetermined, with the question.",
        "",
        *DONT_KNOW_SECTION,
        "## Fields",
        "",
        "| Field | Type | If omitted | Description | Example |",
        "|---|---|---|---|---|",
    ]
    for path in field_paths():
        doc = docs[path]
        kind = _kind(doc.example)
        if path in FIELD_LISTS:
            kind += f" ([{FIELD_LISTS[path]}](#{FIELD_LISTS[path].replace('_', '-')}))"
        lines.append(f"| `{path}` | {kind} | {default_text(path)} | {doc.description} | "
                     f"`{_inline(doc.example)}` |")
    lines += ["", "## Controlled lists", ""]
    meanings = vocabulary().uses
    for name, values in lists.items():
        lines += [f"### {name}", ""]
        if name == "uses":
            lines += ["| Tag | Meaning |", "|---|---|"]
            lines += [f"| `{tag}` | {meanings[tag]} |" for tag in values]
        elif name == "use_areas":
            areas = vocabulary().use_areas
            lines += ["| Area | Meaning | Its uses |", "|---|---|---|"]
            lines += [f"| `{area}` | {areas[area][0]} | "
                      + ", ".join(f"`{tag}`" for tag in areas[area][1]) + " |"
                      for area in values]
        else:
            lines.append(", ".join(f"`{value}`" if " " not in value else value
                                   for value in values))
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(profile_markdown(), end="")
