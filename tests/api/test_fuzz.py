"""API fuzzing with schemathesis: generated requests from the OpenAPI document.

Every operation, fed valid and invalid data derived from its schema, must answer
without a server error, and every error must be application/problem+json.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from comity.api import ApiSettings, create_app

_FOLDER = Path(tempfile.mkdtemp(prefix="comity-fuzz-"))
APP = create_app(ApiSettings(db_url=f"sqlite:///{_FOLDER / 'kb.db'}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
def test_no_server_errors_and_problem_json(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json"), (
            response.status_code, response.headers)


@pytest.fixture(scope="module", autouse=True)
def _store_ready() -> None:
    APP.state.comity.store  # noqa: B018 - migrate and seed once, before the cases run
