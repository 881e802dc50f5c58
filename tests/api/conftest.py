"""API tests: the application in-process (httpx transport), a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from comity.api import ApiSettings, create_app
from comity.knowledge.store.registry import Registry
from tests.conftest import EXAMPLES


def example(name: str = "cv-screener") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    return data


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A read-mostly app over a store loaded with the shipped content (shared by a module)."""
    folder = tmp_path_factory.mktemp("seeded")
    with TestClient(create_app(ApiSettings(db_url=f"sqlite:///{folder / 'kb.db'}"))) as client:
        yield client


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    """An app over a new, empty store (no seeding: for register and auth tests)."""
    settings = ApiSettings(db_url=f"sqlite:///{tmp_path / 'kb.db'}", seed_empty_store=False)
    with TestClient(create_app(settings)) as client:
        yield client


def registry_of(client: TestClient) -> Registry:
    registry: Registry = client.app.state.comity.registry  # type: ignore[attr-defined]
    return registry


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
