"""The MCP tools, called in-process through the official SDK's client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from comity.api.mcp_server import build_server
from comity.api.settings import ApiSettings
from tests.api.conftest import example
from tests.conftest import minimal_profile


def _calls(tmp_path: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    server = build_server(ApiSettings(db_url=f"sqlite:///{tmp_path / 'kb.db'}"))

    async def run() -> list[Any]:
        async with Client(server) as client:
            listed = await client.list_tools()
            results: list[Any] = [sorted(tool.name for tool in listed.tools)]
            for name, arguments in calls:
                results.append(await client.call_tool(name, arguments))
            return results

    return anyio.run(run)


def test_tools_answer_with_cited_results(tmp_path: Path) -> None:
    names, assessed, explained, questions, compared, rules, rule, found = _calls(tmp_path, [
        ("assess", {"profile": example(), "jurisdictions": ["EU"]}),
        ("explain", {"profile": example(), "jurisdiction": "EU",
                     "rules": ["eu.ai_act.annex3.4.a"]}),
        ("questions", {"profile": minimal_profile(uses=["employment.recruitment"])}),
        ("compare", {"profile": example()}),
        ("rules", {"jurisdiction": "EU", "limit": 3}),
        ("rules", {"rule_id": "eu.ai_act.art5.1.f"}),
        ("search", {"query": "emotion recognition"}),
    ])
    assert names == ["assess", "compare", "explain", "questions", "rules", "search"]
    eu = assessed.structured_content["results"][0]
    assert eu["tier"] == "high"
    assert "AI Act, Annex III, point 4(a)" in [f["citation"] for f in eu["classifications"]]
    assert explained.structured_content["rules"][0]["result"] == "holds"
    assert questions.structured_content["questions"]
    assert compared.structured_content["format"] == "comity.comparison.v1"
    assert len(rules.structured_content["items"]) == 3
    assert rule.structured_content["citation_text"].startswith("AI Act, Art. 5(1)")
    ids = [hit["id"] for hit in found.structured_content["items"]]
    assert "provision:eu.ai_act.art5.1.f" in ids


def test_bad_input_is_a_tool_error_with_the_field_path(tmp_path: Path) -> None:
    _, bad_profile, bad_code, bad_rule = _calls(tmp_path, [
        ("assess", {"profile": {**example(), "uses": ["employment.recruiting"]}}),
        ("assess", {"profile": example(), "jurisdictions": ["XX"]}),
        ("rules", {"rule_id": "no.such.rule"}),
    ])
    assert bad_profile.is_error
    assert "$.uses[0]" in bad_profile.content[0].text
    assert "employment.recruitment" in bad_profile.content[0].text
    assert bad_code.is_error and "XX" in bad_code.content[0].text
    assert bad_rule.is_error and "no.such.rule" in bad_rule.content[0].text
