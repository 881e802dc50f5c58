from __future__ import annotations

from datetime import date

from comity.analysis.redlines import redlines


def test_eu_bans_map_to_common_redlines() -> None:
    codes, lines = redlines(jurisdictions=["EU"], as_of=date(2026, 11, 22))
    by_id = {line.id: line for line in lines}
    assert codes == ["EU"]
    assert by_id["social_scoring"].bans["EU"] == [("eu.ai_act.art5.1.c",
                                                   "AI Act, Art. 5(1)(c)")]
    assert by_id["social_scoring"].share(codes) == "all"
    assert by_id["unlawful_discrimination"].share(codes) == "none"


def test_new_bans_are_not_redlines_before_they_exist() -> None:
    _, lines = redlines(jurisdictions=["EU"], as_of=date(2026, 7, 1))
    by_id = {line.id: line for line in lines}
    assert "EU" not in by_id["non_consensual_intimate_imagery"].bans
    assert "EU" in by_id["social_scoring"].bans
