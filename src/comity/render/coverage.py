"""``docs/coverage.md``: per jurisdiction, the instruments checked and those not covered.

Generated from the rulebook's ``jurisdiction.yaml`` files (``python -m
comity.render.coverage > docs/coverage.md``); every assessment result links here.
"""

from __future__ import annotations

from datetime import date

from comity.engine.assess import coverage_of
from comity.rulebook.loader import Rulebook, default_rulebook


def coverage_markdown(rulebook: Rulebook, as_of: date) -> str:
    lines = ["# What the rulebook covers", "",
             "Generated from the rulebook (`python -m comity.render.coverage > "
             "docs/coverage.md`); read as of the rulebook version "
             f"{rulebook.version}. A result that says a system has nothing to do in a "
             "jurisdiction speaks only for the instruments checked there: other law of that "
             "jurisdiction (data protection, consumer, sector law) may still apply.", ""]
    for code, jurisdiction in rulebook.jurisdictions.items():
        coverage = coverage_of(jurisdiction, as_of)
        lines += [f"<a id=\"{code.lower()}\"></a>", "", f"## {jurisdiction.name} ({code})", ""]
        for title, key in (("Checked", "checked"), ("Encoded, not in force", "not_in_force"),
                           ("Pending (shown as if enacted, never in the tier)", "pending"),
                           ("Not covered", "not_covered")):
            if coverage[key]:
                lines.append(f"- **{title}:** " + "; ".join(coverage[key]))
        notes = [f"- *{item.title}*: {item.note}" for item in jurisdiction.not_covered]
        lines += [*notes, ""]
    return "\n".join(lines)


def rulebook_date(rulebook: Rulebook) -> date:
    """The date a rulebook version names (``2026.11.30``), to read coverage as of then."""
    try:
        return date.fromisoformat(rulebook.version.replace(".", "-"))
    except ValueError:
        return date.today()


if __name__ == "__main__":
    book = default_rulebook()
    print(coverage_markdown(book, rulebook_date(book)), end="")
