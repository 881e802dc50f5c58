"""The controlled vocabulary of the profile format and the codes of places, loaded from data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


def load_data_file(name: str) -> Any:
    """Read one YAML file shipped in ``comity/data``."""
    text = resources.files("comity").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Vocabulary:
    """Closed value lists of the v1 profile (see ``data/vocabulary.yaml``)."""

    uses: dict[str, str]
    deployer_kinds: tuple[str, ...]
    autonomy: tuple[str, ...]
    outputs: tuple[str, ...]
    decision_roles: dict[str, str]
    safety_legislation: tuple[str, ...]
    affected: tuple[str, ...]
    data: tuple[str, ...]
    law_enforcement_exceptions: tuple[str, ...]
    operator_roles: tuple[str, ...]
    countries: dict[str, str]
    us_subdivisions: dict[str, str]
    special_markets: dict[str, str]
    government_levels: dict[str, str]
    currencies: dict[str, str]
    use_implies: dict[str, tuple[str, ...]]
    union_members: tuple[str, ...] = ()
    # Area -> (meaning, the use tags that are its points); see ``use_areas`` in the data.
    use_areas: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def area_of(self, tag: str) -> str | None:
        """The area whose points include the use tag, if any."""
        return _area_index().get(tag)

    def is_country(self, code: str) -> bool:
        """ISO 3166-1 alpha-2, or ``EU`` for the Union (the spec's party countries)."""
        return code in self.countries or code == "EU"

    def is_market(self, code: str) -> bool:
        """Country codes, the EU, US subdivisions (ISO 3166-2), US-NYC and US-FED."""
        return (
            code in self.countries or code in self.us_subdivisions or code in self.special_markets
        )

    def market_codes(self) -> tuple[str, ...]:
        return (*self.special_markets, *self.countries, *self.us_subdivisions)


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once per process)."""
    words = load_data_file("vocabulary.yaml")
    places = load_data_file("countries.yaml")
    return Vocabulary(
        uses=dict(words["uses"]),
        deployer_kinds=tuple(words["deployer_kinds"]),
        autonomy=tuple(words["autonomy"]),
        outputs=tuple(words["outputs"]),
        decision_roles=dict(words["decision_roles"]),
        safety_legislation=tuple(words["safety_legislation"]),
        affected=tuple(words["affected"]),
        data=tuple(words["data"]),
        law_enforcement_exceptions=tuple(words["law_enforcement_exceptions"]),
        operator_roles=tuple(words["operator_roles"]),
        countries={code: entry["name"] for code, entry in places["countries"].items()},
        us_subdivisions=dict(places["us_subdivisions"]),
        special_markets=dict(words["special_markets"]),
        union_members=tuple(words["union_members"]),
        use_areas={name: (str(entry["meaning"]), tuple(entry["tags"]))
                   for name, entry in words["use_areas"].items()},
        government_levels=dict(words["government_levels"]),
        currencies=dict(words["currencies"]),
        use_implies={tag: tuple(implied) for tag, implied in words["use_implies"].items()},
    )


@cache
def _area_index() -> dict[str, str]:
    """Use tag -> its area, for the shipped vocabulary."""
    return {tag: area for area, (_, tags) in vocabulary().use_areas.items() for tag in tags}
