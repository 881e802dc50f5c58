"""Assess, explain, questions, compare, plan and export: one profile (or a portfolio) in."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse

from comity.analysis.audit_plan import audit_plan
from comity.analysis.compare import compare_portfolio, markets_of
from comity.analysis.oscal import oscal_catalog
from comity.api.bodies import PROFILE_BODY, read_profiles
from comity.api.context import AppContext, context, reader
from comity.engine.assess import assess_profile
from comity.engine.open_questions import open_fields, open_questions
from comity.engine.results import Assessment, JurisdictionResult
from comity.profile.model import Profile
from comity.render.markdown import assessments_markdown

router = APIRouter(tags=["assess"])
Codes = Annotated[list[str] | None, Query(alias="jurisdiction",
                                          description="Jurisdiction code (repeatable). "
                                          "Default: all (assess) or the markets (compare).")]
AsOf = Annotated[date | None, Query(description="Law as it stood on this date. Default: today.")]
Role = Annotated[Literal["provider", "deployer"] | None,
                 Query(description="Only obligations of this role.")]


def assess_all(ctx: AppContext, profiles: list[Profile], codes: list[str] | None,
               as_of: date | None, role: str | None = None) -> list[Assessment]:
    ctx.check_jurisdictions(codes)
    return [assess_profile(p, ctx.rulebook, as_of=as_of, jurisdictions=codes, role=role)
            for p in profiles]


def one_or_many(items: list[dict[str, Any]]) -> Any:
    return items[0] if len(items) == 1 else items


@router.post("/assess", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="Assess a profile in each jurisdiction")
async def assess(request: Request, jurisdictions: Codes = None, as_of: AsOf = None,
                 role: Role = None, trace: bool = True) -> Any:
    """In scope, tier, prohibitions, obligations, each with citation, dates and trace.

    One profile gives one ``comity.result.v1`` object; a ``profiles:`` list gives a list.
    """
    ctx = context(request)
    profiles = await read_profiles(request)
    results = assess_all(ctx, profiles, jurisdictions, as_of, role)
    return one_or_many([a.to_dict(with_trace=trace) for a in results])


def explained(result: JurisdictionResult, rules: set[str] | None, show_all: bool
              ) -> dict[str, Any]:
    traces = [t.to_dict() for t in result.trace
              if (rules is None or t.rule_id in rules)
              and (show_all or rules is not None or t.result is not False)]
    return {"jurisdiction": result.jurisdiction, "tier": result.tier,
            "as_of": result.as_of.isoformat(), "rulebook": result.rulebook_version,
            "rules": traces}


@router.post("/explain", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="The evaluation trace: rule, citation, condition, facts seen")
async def explain(request: Request, jurisdictions: Codes = None, as_of: AsOf = None,
                  rule: Annotated[list[str] | None, Query(description="Only these rules.")]
                  = None,
                  show_all: Annotated[bool, Query(alias="all")] = False) -> Any:
    ctx = context(request)
    profiles = await read_profiles(request)
    selected = set(rule) if rule else None
    return one_or_many([
        {"id": a.profile_id, "traces": [explained(r, selected, show_all) for r in a.results]}
        for a in assess_all(ctx, profiles, jurisdictions, as_of)])


@router.post("/questions", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="Open questions (typed, with ids) and the facts undetermined rules need")
async def questions(request: Request, jurisdictions: Codes = None,
                    as_of: AsOf = None) -> Any:
    """``questions``: the rulebook's typed questions the profile leaves open, those that
    can change a tier first (answer them under ``answers:``); ``missing_facts``: the
    profile fields undetermined rules wait for."""
    ctx = context(request)
    profiles = await read_profiles(request)
    return one_or_many([question_report(ctx, p, a) for p, a in zip(
        profiles, assess_all(ctx, profiles, jurisdictions, as_of), strict=True)])


def question_report(ctx: AppContext, profile: Profile, assessment: Assessment
                    ) -> dict[str, Any]:
    reports = open_questions(profile, ctx.rulebook, as_of=assessment.as_of,
                             jurisdictions=[r.jurisdiction for r in assessment.results],
                             assessment=assessment)
    return {"id": assessment.profile_id, "questions": [r.to_dict() for r in reports],
            "missing_facts": [r.to_dict() for r in open_fields(assessment)]}


@router.post("/compare", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="Side by side, duty matrix, comply-once plan and divergence")
async def compare(request: Request, jurisdictions: Codes = None, as_of: AsOf = None) -> Any:
    ctx = context(request)
    profiles = await read_profiles(request)
    ctx.check_jurisdictions(jurisdictions)
    portfolio = compare_portfolio(profiles, ctx.rulebook, as_of=as_of,
                                  jurisdictions=jurisdictions)
    data = portfolio.to_dict()
    return data["profiles"][0] if len(portfolio.comparisons) == 1 else data


@router.post("/plan", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="Audit plan: a standard's controls mapped to the provisions")
async def plan(request: Request, jurisdictions: Codes = None, as_of: AsOf = None,
               standard: Literal["iso42001", "nist-ai-rmf"] = "iso42001") -> Any:
    ctx = context(request)
    profiles = await read_profiles(request)
    ctx.check_jurisdictions(jurisdictions)
    plans = []
    for profile in profiles:
        codes = jurisdictions or markets_of([profile], ctx.rulebook)
        assessment = assess_profile(profile, ctx.rulebook, as_of=as_of, jurisdictions=codes)
        plans.append({"id": profile.id, **audit_plan(assessment, standard).to_dict()})
    return one_or_many(plans)


@router.post("/export/{kind}", openapi_extra=PROFILE_BODY, dependencies=[Depends(reader)],
             summary="The result as Markdown or an OSCAL 1.1 catalog",
             response_model=None)
async def export(request: Request, kind: Literal["markdown", "oscal"],
                 jurisdictions: Codes = None, as_of: AsOf = None) -> Any:
    ctx = context(request)
    profiles = await read_profiles(request)
    assessments = assess_all(ctx, profiles, jurisdictions, as_of)
    if kind == "markdown":
        return PlainTextResponse(assessments_markdown(assessments), media_type="text/markdown")
    return json.loads(json.dumps(oscal_catalog(assessments)))
