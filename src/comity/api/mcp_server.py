"""Comity as Model Context Protocol tools, so AI assistants answer with cited results.

The tools call the same library functions as the HTTP API; bad input comes back as a
tool error naming each field's JSON path and the allowed values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from comity.analysis.compare import compare_portfolio
from comity.api.assessing import explained, open_questions
from comity.api.catalog import rule_detail, rule_summary
from comity.api.context import AppContext
from comity.api.problems import ProblemError, json_path
from comity.api.settings import ApiSettings
from comity.engine.assess import assess_profile
from comity.engine.results import Assessment
from comity.errors import ComityError, InputError
from comity.profile.files import parse_profiles
from comity.profile.model import Profile

INSTRUCTIONS = ("Comity assesses an AI-system profile (format v1: profile: 1, id, name, "
                "markets, uses, ...) against the AI laws of many jurisdictions. Quote the "
                "citations it returns; do not add provisions it did not return.")


def build_server(settings: ApiSettings | None = None) -> MCPServer:
    """An MCP server with the assess, explain, questions, compare, rules and search tools."""
    ctx = AppContext(settings or ApiSettings())
    server: MCPServer = MCPServer("comity", instructions=INSTRUCTIONS, log_level="WARNING")

    def profile_of(data: dict[str, Any]) -> Profile:
        try:
            [profile] = parse_profiles(data, "profile")
        except InputError as error:
            raise ToolError("; ".join(f"{json_path(p.path)}: {p.message}"
                                      + (f" (allowed: {', '.join(p.allowed[:40])})"
                                         if p.allowed else "")
                                      for p in error.problems)) from None
        except ValueError:
            raise ToolError("send one profile, not a list") from None
        return profile

    def assessed(data: dict[str, Any], jurisdictions: list[str] | None,
                 as_of: str | None) -> Assessment:
        profile = profile_of(data)
        try:
            ctx.check_jurisdictions(jurisdictions)
            day = date.fromisoformat(as_of) if as_of else None
            return assess_profile(profile, ctx.rulebook, as_of=day, jurisdictions=jurisdictions)
        except ProblemError as error:
            raise ToolError(error.detail) from None
        except (ValueError, ComityError) as error:
            raise ToolError(str(error)) from None

    @server.tool()
    def assess(profile: dict[str, Any], jurisdictions: list[str] | None = None,
               as_of: str | None = None) -> dict[str, Any]:
        """Assess a profile: per jurisdiction in scope, tier, prohibitions and obligations,
        each with its citation and the date it applies from (as_of: YYYY-MM-DD)."""
        return assessed(profile, jurisdictions, as_of).to_dict(with_trace=False)

    @server.tool()
    def explain(profile: dict[str, Any], jurisdiction: str,
                rules: list[str] | None = None, as_of: str | None = None) -> dict[str, Any]:
        """The evaluation trace in one jurisdiction: each rule, its citation, its condition
        and the facts it saw."""
        result = assessed(profile, [jurisdiction], as_of).results[0]
        return explained(result, set(rules) if rules else None, False)

    @server.tool()
    def questions(profile: dict[str, Any], jurisdictions: list[str] | None = None
                  ) -> dict[str, Any]:
        """The facts the profile leaves open, each with the rules that wait for it."""
        return {"questions": open_questions(assessed(profile, jurisdictions, None))}

    @server.tool()
    def compare(profile: dict[str, Any], jurisdictions: list[str] | None = None,
                as_of: str | None = None) -> dict[str, Any]:
        """Duty matrix, comply-once plan and divergence index across jurisdictions
        (default: the profile's markets)."""
        assessed(profile, jurisdictions, as_of)  # validates the input first
        day = date.fromisoformat(as_of) if as_of else None
        portfolio = compare_portfolio([profile_of(profile)], ctx.rulebook, as_of=day,
                                      jurisdictions=jurisdictions)
        return portfolio.comparisons[0].to_dict()

    @server.tool()
    def rules(jurisdiction: str | None = None, kind: str | None = None,
              rule_id: str | None = None, limit: int = 50, offset: int = 0
              ) -> dict[str, Any]:
        """List rules (citation, dates), or show one in full with rule_id."""
        if rule_id:
            try:
                return rule_detail(ctx, ctx.rulebook.rule(rule_id))
            except KeyError:
                raise ToolError(f"no rule {rule_id!r}") from None
        if jurisdiction and jurisdiction not in ctx.rulebook.jurisdictions:
            raise ToolError(f"unknown jurisdiction {jurisdiction!r}; known: "
                            f"{', '.join(ctx.rulebook.jurisdictions)}")
        found = [rule_summary(r) for r in ctx.rulebook.rules()
                 if (not jurisdiction or r.jurisdiction == jurisdiction)
                 and (not kind or r.spec.kind == kind)]
        return {"total": len(found), "items": found[offset:offset + max(1, min(limit, 500))]}

    @server.tool()
    def search(query: str, type: str | None = None, jurisdiction: str | None = None,
               limit: int = 10) -> dict[str, Any]:
        """Full-text search of provisions, standards, sandboxes, glossary, projects."""
        hits = ctx.store.search(query, types=[type] if type else None,
                                jurisdiction=jurisdiction, limit=max(1, min(limit, 100)))
        return {"items": [hit.to_dict() for hit in hits]}

    return server
