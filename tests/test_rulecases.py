from comity.rulebook.cases import coverage_gaps
from comity.rulebook.loader import default_rulebook


def test_every_rule_has_positive_and_negative_cases() -> None:
    gaps = coverage_gaps(default_rulebook())
    assert not gaps, "\n".join(gaps)
