"""Documents generated from data stay current with the data they describe."""

from __future__ import annotations

from pathlib import Path

from comity.render.coverage import coverage_markdown, rulebook_date
from comity.rulebook.loader import default_rulebook

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_coverage_doc_is_current() -> None:
    book = default_rulebook()
    expected = coverage_markdown(book, rulebook_date(book))
    assert (DOCS / "coverage.md").read_text(encoding="utf-8") == expected, (
        "regenerate: python -m comity.render.coverage > docs/coverage.md")


def test_coverage_lists_every_jurisdiction_with_an_anchor() -> None:
    text = (DOCS / "coverage.md").read_text(encoding="utf-8")
    for code in default_rulebook().jurisdictions:
        assert f'<a id="{code.lower()}"></a>' in text
