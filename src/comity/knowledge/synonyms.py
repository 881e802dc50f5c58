"""Search that understands the field: a query names a glossary concept in any of its words.

The glossary (``data/glossary.yaml``) gives each concept its term, its official
translations and its ``synonyms`` (other words in use for the same concept, in any
language), and may link it to the profile's use tags (``uses``). A query that names a
concept in any of these forms is searched as all of them; a provision whose rule tests
a linked use tag is indexed with the concept's term, so that a provision summarised in
other words is still found.

>>> sorted(expansions("Affect recognition"))[:3]
['affect recognition', 'detecting emotions', 'emotion analysis']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from comity.knowledge.content import Term, load_items
from comity.rulebook.conditions import AllOf, AnyOf, Condition, FactTest, Not


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower(), flags=re.UNICODE))


def concept_names(term: Term) -> list[str]:
    """Every name of a concept: term, translations and synonyms, without repeats."""
    names = [term.term, *term.translations.values(),
             *(name for names in term.synonyms.values() for name in names)]
    return list(dict.fromkeys(names))


@cache
def _concepts() -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Per concept: its normalised names (to match a query) and its names (to search)."""
    found = []
    for term in load_items("glossary.yaml"):
        if not isinstance(term, Term):
            continue
        names = tuple(concept_names(term))
        found.append((frozenset(_normal(name) for name in names), names))
    return tuple(found)


def expansions(query: str) -> list[str]:
    """The phrases to search for a query: the query, and every name of the glossary
    concept it names (exactly, in any language and letter case)."""
    wanted = _normal(query)
    phrases = [query.strip()]
    for normalised, names in _concepts():
        if wanted in normalised:
            phrases += names
    return list(dict.fromkeys(phrase for phrase in phrases if phrase))


@cache
def _concepts_by_use() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for term in load_items("glossary.yaml"):
        if isinstance(term, Term):
            for tag in term.uses:
                index.setdefault(tag, []).append(term.term)  # synonyms: by expansion
    return {tag: tuple(dict.fromkeys(names)) for tag, names in index.items()}


def uses_tested(condition: Condition) -> set[str]:
    """The use tags a rule's condition tests (``{fact: uses, has...: ...}``)."""
    if isinstance(condition, FactTest):
        if condition.fact != "uses" or condition.operator not in ("has", "has_any", "has_all"):
            return set()
        value = condition.value
        return {value} if isinstance(value, str) else set(value)
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(uses_tested(item) for item in condition.items))
    if isinstance(condition, Not):
        return set()  # a use the rule excludes does not make it about that use
    return set()


def keywords_for_uses(tags: Iterable[str]) -> list[str]:
    """The terms of the concepts linked to use tags a rule tests (indexed with the
    provision; the query's expansion covers their synonyms)."""
    index = _concepts_by_use()
    return list(dict.fromkeys(name for tag in tags for name in index.get(tag, ())))
