from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def minimal_profile(**fields: Any) -> dict[str, Any]:
    """A valid EU-market AI system profile, with overrides."""
    profile: dict[str, Any] = {
        "profile": 1,
        "id": "test-system",
        "name": "Test system",
        "markets": ["EU"],
        "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
    }
    profile.update(fields)
    return profile


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
