"""A party to cooperation (a country, or the EU) and the facts Comity holds about it.

Country facts come from the knowledge base's country profiles
(``knowledge/data/countries.yaml``) and the derived trends file; the EU's forum
memberships from ``cooperation/data/parties.yaml``. A party's own jurisdictions are read
from the rulebook: the jurisdiction with its code, its sub-national codes (``US-CO``) and
``EU`` for an EU member state. A fact Comity does not hold is ``None`` (missing), never 0.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache

from comity.cooperation.settings import ReadinessSettings, data_folder, parties
from comity.errors import InputError, Problem
from comity.knowledge.content import CountryProfile, load_items
from comity.rulebook.loader import Rulebook
from comity.yaml12 import load_yaml


@dataclass(frozen=True)
class VdemTrend:
    from_year: int
    start: float
    to_year: int
    end: float

    @property
    def change(self) -> float:
        return round(self.end - self.start, 3)


@dataclass(frozen=True)
class Party:
    """What the cooperation layer knows about one party; ``None`` means missing."""

    id: str
    name: str
    memberships: dict[str, bool | None]
    jurisdictions: tuple[str, ...]
    vdem: float | None = None
    vdem_year: int | None = None
    vdem_trend: VdemTrend | None = None
    hdi: float | None = None
    income_group: str | None = None
    ldc: bool | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def forums(self, settings: ReadinessSettings, rulebook: Rulebook) -> dict[str, bool | None]:
        """Participation in each AI forum of the settings (``None``: not known)."""
        found: dict[str, bool | None] = {}
        for key, forum in settings.forums.items():
            if forum.membership is not None:
                found[key] = self.memberships.get(forum.membership)
                continue
            found[key] = any(self.id in rulebook.jurisdictions[code].sets.get(name, ())
                             for code, names in forum.rulebook_sets.items()
                             if code in rulebook.jurisdictions for name in names)
        return found


@cache
def _country_profiles() -> dict[str, CountryProfile]:
    return {c.id: c for c in load_items("countries.yaml")}


@cache
def _trends() -> dict[str, tuple[bool, VdemTrend | None]]:
    data = load_yaml((data_folder() / "country_trends.yaml").read_text(encoding="utf-8"))
    found: dict[str, tuple[bool, VdemTrend | None]] = {}
    for entry in data["countries"]:
        raw = entry.get("vdem_trend")
        trend = (VdemTrend(raw["from_year"], raw["from"], raw["to_year"], raw["to"])
                 if raw else None)
        found[entry["id"]] = (bool(entry["ldc"]), trend)
    return found


def known_party_codes() -> list[str]:
    return sorted({*_country_profiles(), *parties()})


def check_code(code: str, known: list[str], what: str, source: str) -> str:
    """``code`` if known, else an :class:`InputError` listing close matches."""
    if code in known:
        return code
    close = list(dict.fromkeys(
        difflib.get_close_matches(code, known, n=5, cutoff=0.5)
        + difflib.get_close_matches(code.upper(), known, n=5, cutoff=0.5)))[:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(source, [Problem(what, f"unknown {what} {code!r}{hint}", tuple(known))])


def own_jurisdictions(code: str, is_eu_member: bool, rulebook: Rulebook) -> tuple[str, ...]:
    """The rulebook jurisdictions that are the party's own law (not international sets)."""
    codes = [j for j in rulebook.jurisdictions
             if j == code or (j.startswith(f"{code}-") and not j.startswith("INT-"))]
    if is_eu_member and "EU" in rulebook.jurisdictions and "EU" not in codes:
        codes.append("EU")
    return tuple(codes)


def load_party(code: str, rulebook: Rulebook) -> Party:
    """The party with this code (ISO 3166-1 alpha-2, or EU); unknown code: InputError."""
    check_code(code, known_party_codes(), "party", "countries")
    profiles = _country_profiles()
    if code not in profiles:
        entry = parties()[code]
        return Party(code, entry.name, {k: m.member for k, m in entry.memberships.items()},
                     own_jurisdictions(code, False, rulebook),
                     sources={k: m.source for k, m in entry.memberships.items()})
    profile = profiles[code]
    indicators = profile.indicators
    ldc, trend = _trends().get(code, (None, None))
    vdem = indicators.vdem_electoral_democracy
    return Party(
        code, profile.name,
        {forum: m.member for forum, m in profile.memberships.items()},
        own_jurisdictions(code, profile.memberships["eu"].member, rulebook),
        vdem=vdem.value if vdem else None, vdem_year=vdem.year if vdem else None,
        vdem_trend=trend,
        hdi=indicators.hdi.value if indicators.hdi else None,
        income_group=indicators.wb_income_group.value if indicators.wb_income_group else None,
        ldc=ldc,
        sources={forum: m.source for forum, m in profile.memberships.items()},
    )
