from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from trestle.oscal.catalog import Catalog

from comity import assess_profile, load_profiles
from comity.analysis.oscal import oscal_catalog

STAMP = datetime(2026, 11, 22, tzinfo=UTC)


def _catalog(examples: Path) -> dict[str, object]:
    assessments = [assess_profile(p, as_of=date(2026, 11, 22), jurisdictions=["EU"])
                   for name in ("cv-screener", "workplace-emotion")
                   for p in load_profiles(examples / f"{name}.yaml")]
    return oscal_catalog(assessments, last_modified=STAMP)


def test_catalog_is_valid_oscal_under_trestle(examples: Path) -> None:
    data = _catalog(examples)
    catalog = Catalog.model_validate(data["catalog"])
    assert catalog.groups is not None
    [eu] = catalog.groups
    ids = [control.id for control in getattr(eu, "controls", None) or []]
    assert "eu.ai_act.art9" in ids and "eu.ai_act.art5.1.f" in ids
    assert len(ids) == len(set(ids))


def test_catalog_is_deterministic(examples: Path) -> None:
    assert _catalog(examples) == _catalog(examples)


def test_trestle_rejects_a_broken_catalog(examples: Path) -> None:
    data = copy.deepcopy(_catalog(examples))
    catalog = data["catalog"]
    assert isinstance(catalog, dict)
    catalog["groups"][0]["controls"][0]["id"] = "9 starts with a digit"
    with pytest.raises(ValidationError):
        Catalog.model_validate(catalog)
