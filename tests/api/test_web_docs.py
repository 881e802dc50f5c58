"""docs/web.md: its curl examples answer, and its error example is what the API says."""

from __future__ import annotations

import json
import re
import shlex

from fastapi.testclient import TestClient

from comity.knowledge.store.registry import Registry
from tests.api.conftest import example
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")


def _curl(line: str, token: str) -> tuple[str, str, bytes | None, dict[str, str]]:
    words = shlex.split(line.split("#", 1)[0].replace("$TOKEN", token))
    method, body, headers, url = "GET", None, {}, ""
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "-X":
            method = value
        elif flag == "--data-binary":
            body = (ROOT / value.removeprefix("@")).read_bytes()
        elif flag == "-H":
            name, _, text = value.partition(": ")
            headers[name] = text
    url = next(w for w in words if w.startswith("http://127.0.0.1:8000"))
    return method, url.removeprefix("http://127.0.0.1:8000"), body, headers


def test_curl_examples_answer(seeded: TestClient) -> None:
    registry: Registry = seeded.app.state.comity.registry  # type: ignore[attr-defined]
    token = registry.create_token("editor", "docs")
    lines = [line for line in DOC.splitlines() if line.startswith("curl ")]
    assert len(lines) >= 5
    for line in lines:
        method, path, body, headers = _curl(line, token)
        reply = seeded.request(method, path, content=body, headers=headers)
        assert reply.is_success, (line, reply.status_code, reply.text[:300])


def test_error_example_is_what_the_api_answers(seeded: TestClient) -> None:
    [block] = re.findall(r"```json\n(.*?)```", DOC, flags=re.S)
    reply = seeded.post("/api/assess", json={**example(), "markets": ["EU", "XX"]})
    assert reply.json() == json.loads(block)
