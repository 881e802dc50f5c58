"""Comity: international AI governance as machine-readable, cited, dated rules.

>>> from comity import load_profiles, assess_profile
>>> [profile] = load_profiles("examples/cv-screener.yaml")  # doctest: +SKIP
>>> assess_profile(profile).result("EU").tier                 # doctest: +SKIP
'high'
"""

from comity.engine.assess import assess_profile
from comity.engine.results import Assessment, Finding, JurisdictionResult, RuleTrace
from comity.errors import ComityError, InputError, Problem
from comity.profile.files import load_profiles, parse_profiles
from comity.profile.model import UNKNOWN, Profile
from comity.rulebook.loader import Rule, Rulebook, default_rulebook, load_rulebook

__all__ = [
    "UNKNOWN",
    "Assessment",
    "ComityError",
    "Finding",
    "InputError",
    "JurisdictionResult",
    "Problem",
    "Profile",
    "Rule",
    "RuleTrace",
    "Rulebook",
    "assess_profile",
    "default_rulebook",
    "load_profiles",
    "load_rulebook",
    "parse_profiles",
]
