"""The content shipped with Comity, as store records: rulebook, countries, knowledge."""

from __future__ import annotations

from datetime import date

from comity.knowledge.content import knowledge_records
from comity.knowledge.entities import EntityRecord
from comity.knowledge.synonyms import keywords_for_uses, uses_tested
from comity.profile.vocabulary import load_data_file
from comity.rulebook.loader import Rulebook

SEED = "comity seed"


def shipped_records(rulebook: Rulebook, today: date | None = None) -> list[EntityRecord]:
    """Every record ``comity db init`` loads."""
    return [*rulebook_records(rulebook, today), *country_records(), *knowledge_records()]


def rulebook_records(rulebook: Rulebook, today: date | None = None) -> list[EntityRecord]:
    """Jurisdictions, instruments and provisions (one per rule) of a rulebook."""
    day = today or date.today()
    records: list[EntityRecord] = []
    added_by = f"{SEED}: rulebook {rulebook.version_id}"
    for code, jurisdiction in rulebook.jurisdictions.items():
        records.append(EntityRecord(
            type="jurisdiction", key=code, jurisdiction=code, title=jurisdiction.name,
            text=", ".join(i.title for i in jurisdiction.instruments.values()),
            body={"tiers": [{"name": t.name, "common": t.common}
                            for t in jurisdiction.tiers]},
            added_by=added_by))
        for instrument in jurisdiction.instruments.values():
            records.append(EntityRecord(
                type="instrument", key=instrument.id, jurisdiction=code,
                title=instrument.title, citation=instrument.short_title,
                status=instrument.status,
                date=instrument.in_force.start.isoformat() if instrument.in_force else None,
                source_url=instrument.source_url,
                text=" ".join(filter(None, [instrument.notes, *instrument.amendments])),
                body=instrument.model_dump(mode="json", by_alias=True), added_by=added_by))
    for rule in rulebook.rules():
        spec = rule.spec
        jurisdiction = rulebook.jurisdictions[rule.jurisdiction]
        records.append(EntityRecord(
            type="provision", key=rule.id, jurisdiction=rule.jurisdiction, title=spec.title,
            citation=rule.citation, status=spec.status if rule.in_force_on(day) or
            spec.status == "pending" else "not_in_force",
            date=rule.applies_from(day, jurisdiction.parameters).isoformat(),
            source_url=rule.instrument.source_url,
            text=" ".join(filter(None, [spec.summary, spec.interpretation,
                                        *keywords_for_uses(uses_tested(rule.condition))])),
            body={"kind": spec.kind, "duty": spec.duty, "addressees": spec.addressees,
                  "instrument": rule.instrument.id, "redline": spec.redline,
                  "citation": spec.citation.model_dump(exclude_none=True)},
            added_by=added_by))
    return records


def country_records() -> list[EntityRecord]:
    """Country profiles: codes and names (facts from ISO 3166, see data/SOURCE.md)."""
    data = load_data_file("countries.yaml")
    return [EntityRecord(type="country", key=code, jurisdiction=code, title=entry["name"],
                         body={"alpha_3": entry["alpha_3"]}, added_by=SEED,
                         source_url="https://www.iso.org/iso-3166-country-codes.html")
            for code, entry in data["countries"].items()]
