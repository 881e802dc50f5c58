"""Property tests of the cooperation layer (the invariants named in the issue)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from comity.analysis.compare import TIER_SCALE
from comity.cooperation import rate
from comity.cooperation.parties import Party, VdemTrend
from comity.cooperation.readiness import (
    RawFactor,
    combine,
    factor_results,
    redline_factor,
    regulatory_factor,
)
from comity.cooperation.regulatory import (
    RedlineStanding,
    Regime,
    RegulatoryComparison,
    ScenarioAlignment,
)
from comity.cooperation.settings import (
    FactorId,
    issues,
    readiness_settings,
    transfer_settings,
)
from comity.cooperation.transfer import screen
from comity.profile.files import load_profiles
from comity.rulebook.loader import default_rulebook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "cooperation"
PARTIES = ["US", "CN", "EU", "GB", "JP", "KR", "IN", "BR", "DE", "KE", "AD", "SG"]
DUTIES = ["risk_management", "transparency_to_users", "impact_assessment", "logging",
          "human_oversight", "content_labelling"]
REDLINES = ["social_scoring", "facial_image_scraping", "harmful_manipulation",
            "emotion_recognition_work_education"]
OTHERS: list[FactorId] = ["institutional_ties", "democracy_distance", "unga_agreement",
          "unga_human_rights_agreement", "principle_overlap", "export_control_alignment"]
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(st.sampled_from(PARTIES), st.sampled_from(PARTIES), st.sampled_from(sorted(issues())))
def test_ratings_are_symmetric_in_the_two_parties(a: str, b: str, issue: str) -> None:
    assume(a != b)
    forward, backward = rate(a, b, issue), rate(b, a, issue)
    assert forward.rating == backward.rating
    assert forward.score == backward.score and forward.coverage == backward.coverage
    assert [f.value for f in forward.factors] == [f.value for f in backward.factors]


regimes = st.builds(
    lambda tier, duties: Regime(tier, frozenset(duties), frozenset(), ()),
    st.sampled_from(TIER_SCALE), st.sets(st.sampled_from(DUTIES)))
standing = st.builds(
    lambda key, a, b: RedlineStanding(key, key, (("A", "x"),) if a else (),
                                      (("B", "y"),) if b else ()),
    st.sampled_from(REDLINES), st.booleans(), st.booleans())
other_factor = st.one_of(
    st.builds(lambda v: ("present", v, "", ""), st.floats(0, 1)),
    st.just(("missing", None, "", "")),
    st.just(("not_applicable", None, "", "")))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(issues())), st.lists(regimes, min_size=1, max_size=3),
       st.lists(regimes, min_size=1, max_size=3), st.lists(standing, max_size=4),
       st.lists(other_factor, min_size=len(OTHERS), max_size=len(OTHERS)),
       st.sampled_from(REDLINES), st.lists(st.booleans(), min_size=3, max_size=3))
def test_adding_a_shared_prohibition_never_lowers_readiness(
        issue_id: str, regimes_a: list[Regime], regimes_b: list[Regime],
        standings: list[RedlineStanding], others: list[RawFactor], added: str,
        applies: list[bool]) -> None:
    """Both parties come to ban ``added``: the redline becomes shared, and in the
    scenarios the ban catches, both regimes reach the top tier."""
    issue = issues()[issue_id].model_copy(update={
        "scenarios": [{}], "redlines": REDLINES})
    pairs = list(zip(regimes_a, regimes_b, strict=False))
    a, b = (Party(code, code, {}, (code,)) for code in ("A", "B"))
    before = RegulatoryComparison(
        [ScenarioAlignment(f"s{i}", ra, rb) for i, (ra, rb) in enumerate(pairs)],
        [s for s in {s.id: s for s in standings}.values()])
    banned = [ScenarioAlignment(s.name, _banned(s.regime_a, added), _banned(s.regime_b, added))
              if applies[i] else s for i, s in enumerate(before.scenarios)]
    shared = [s for s in before.redlines if s.id != added] + [
        RedlineStanding(added, added, (("A", "new"),), (("B", "new"),))]
    after = RegulatoryComparison(banned, shared)
    config = readiness_settings()

    def score(regulation: RegulatoryComparison) -> float | None:
        raw: dict[FactorId, RawFactor] = {
            "regulatory_alignment": regulatory_factor(issue, a, b, regulation),
            "shared_redlines": redline_factor(issue, a, b, regulation),
            **dict(zip(OTHERS, others, strict=True))}
        return combine(factor_results(issue, raw, config), config)[0]

    old, new = score(before), score(after)
    assert new is not None
    assert old is None or new >= old - 1e-12


def _banned(regime: Regime, redline: str) -> Regime:
    return Regime("unacceptable", regime.duties, regime.banned | {redline}, regime.in_scope)


@SLOW
@given(st.floats(0, 1), st.floats(0, 1), st.floats(-0.5, 0.5), st.floats(0, 0.5),
       st.one_of(st.none(), st.floats(0.3, 1)),
       st.sampled_from([None, "low", "lower_middle", "upper_middle", "high"]),
       st.sampled_from([None, "police", "health_ministry", "private_company"]),
       st.booleans())
def test_worse_human_rights_indicators_never_make_surveillance_more_permissible(
        vdem: float, drop: float, change: float, extra_fall: float, hdi: float | None,
        income: str | None, end_user: str | None, ldc: bool) -> None:
    [profile] = load_profiles(EXAMPLES / "face-id-system.yaml")
    book = default_rulebook()
    order = transfer_settings().outcomes
    exporter = Party("US", "United States",
                     {r: True for r in ("wassenaar", "mtcr", "nsg", "australia_group")}, ())

    def recipient(value: float, trend: float) -> Party:
        return Party("XX", "Somewhere", {r: False for r in ("wassenaar", "mtcr", "nsg",
                                                           "australia_group")}, (),
                     vdem=value, vdem_year=2022, vdem_trend=VdemTrend(2012, value - trend, 2022,
                                                                     value),
                     hdi=hdi, income_group=income, ldc=ldc)

    better = screen(profile, exporter, recipient(vdem, change), end_user=end_user,
                    rulebook=book)
    worse = screen(profile, exporter, recipient(max(0.0, vdem - drop), change - extra_fall),
                   end_user=end_user, rulebook=book)
    assert order.index(worse.outcome) >= order.index(better.outcome)
