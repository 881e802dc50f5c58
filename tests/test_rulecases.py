from comity.rulebook import default_rulebook
from comity.rulecases import coverage_gaps


def test_every_rule_has_positive_and_negative_cases() -> None:
    gaps = coverage_gaps(default_rulebook())
    assert not gaps, "\n".join(gaps)
