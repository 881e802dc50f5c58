"""UN General Assembly vote agreement between two countries (derived, CC0 source).

Read from ``cooperation/data/unga_agreement.csv``, built by
``scripts/build_cooperation_data.py`` from the Voeten, Strezhnev and Bailey roll-call data.
A pair that never voted together in the window (or a party with no vote, like the EU) has
no entry: the agreement is then missing, not zero.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from comity.cooperation.settings import data_folder

FILE = "unga_agreement.csv"


@dataclass(frozen=True)
class VoteAgreement:
    votes: int
    agreement: float | None
    human_rights_votes: int
    human_rights_agreement: float | None


@cache
def _table() -> tuple[str, dict[tuple[str, str], VoteAgreement]]:
    with (data_folder() / FILE).open(encoding="utf-8", newline="") as handle:
        window = handle.readline().lstrip("# ").strip()
        rows = {(row["a"], row["b"]): VoteAgreement(
                    int(row["votes"]), float(row["agreement"]) if row["agreement"] else None,
                    int(row["hr_votes"]),
                    float(row["hr_agreement"]) if row["hr_agreement"] else None)
                for row in csv.DictReader(handle)}
    return window, rows


def window() -> str:
    """The description of the sessions the agreement covers (first line of the file)."""
    return _table()[0]


def vote_agreement(a: str, b: str) -> VoteAgreement | None:
    """Agreement of two countries (order does not matter); ``None`` if no common vote."""
    if a == b:
        return None
    return _table()[1].get((min(a, b), max(a, b)))
