"""Cooperation analytics over HTTP: readiness of country pairs, a dialogue agenda, the
technology-transfer screen and the scoring of joint R&D proposals."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from comity.api.assessing import one_or_many
from comity.api.bodies import PROFILE_BODY, read_profiles
from comity.api.context import context, parse_body_text, reader
from comity.api.problems import ProblemError
from comity.cooperation.agenda import dialogue_agenda
from comity.cooperation.projects import parse_proposal, score_project
from comity.cooperation.readiness import Readiness, rate_matrix
from comity.cooperation.settings import issues
from comity.cooperation.transfer import screen_transfer

router = APIRouter(dependencies=[Depends(reader)], tags=["cooperation"])
#: Parties are rated in pairs: with n parties and k issues, n(n-1)/2 * k ratings.
MAX_PARTIES = 12

Parties = Annotated[list[str], Query(alias="party", description=(
    "Two or more parties (ISO 3166-1 alpha-2 codes or EU); every pair is rated."))]
Issues = Annotated[list[str] | None, Query(alias="issue", description=(
    "Issue areas (see GET /api/cooperation/issues). Default: all."))]
AsOf = Annotated[date | None, Query(description="Law as it stood on this date. Default: today.")]


def readiness_matrix(parties: list[str], issue_ids: list[str] | None, as_of: date | None,
                     request: Request) -> list[Readiness]:
    """Every pair of ``parties`` on each issue, or a 422 problem naming the bad input."""
    codes = list(dict.fromkeys(code.strip().upper() for code in parties if code.strip()))
    if not 2 <= len(codes) <= MAX_PARTIES:
        raise ProblemError(422, f"give 2 to {MAX_PARTIES} different parties, got {len(codes)}",
                           kind="invalid-input")
    chosen = list(dict.fromkeys(issue_ids or issues()))
    return rate_matrix(codes, chosen, rulebook=context(request).rulebook, as_of=as_of)


def matrix_document(ratings: list[Readiness]) -> dict[str, Any]:
    return {"format": "comity.cooperation.matrix.v1", "ratings": [r.to_dict() for r in ratings]}


@router.get("/cooperation", summary="Cooperation readiness of every pair of parties, by issue")
def cooperation(request: Request, parties: Parties, issue_ids: Issues = None,
                as_of: AsOf = None) -> dict[str, Any]:
    """Green, yellow or red per pair and issue area, with the score, each factor and the
    enablers and barriers found, each with its source (as ``comity cooperation``)."""
    return matrix_document(readiness_matrix(parties, issue_ids, as_of, request))


@router.get("/cooperation/issues", summary="The issue areas readiness is rated on")
def cooperation_issues() -> dict[str, Any]:
    return {"items": [{"id": issue.id, "title": issue.title} for issue in issues().values()]}


@router.get("/cooperation/agenda", summary="A dialogue agenda for two parties")
def agenda(request: Request, a: str, b: str,
           top: Annotated[int, Query(ge=1, le=10)] = 2, as_of: AsOf = None) -> dict[str, Any]:
    """Issue areas ranked by readiness, the shared ground to start from and the barriers
    of the least ready (as ``comity agenda``)."""
    return dialogue_agenda(a.strip().upper(), b.strip().upper(), top=top, as_of=as_of,
                           rulebook=context(request).rulebook).to_dict()


@router.post("/cooperation/transfer", openapi_extra=PROFILE_BODY,
             summary="Proportionality screen of a technology transfer")
async def transfer(request: Request,
                   exporter: Annotated[str, Query(alias="from", description="Exporting party.")],
                   recipient: Annotated[str, Query(alias="to", description="Receiving party.")],
                   end_user: Annotated[str | None, Query(description=(
                       "The end user's kind, e.g. health_ministry, police."))] = None,
                   dual_use: bool | None = None, as_of: AsOf = None) -> Any:
    """The technology is described by the profile in the body: encourage, permit, permit
    with named safeguards, or do not transfer, with the reasoning (as ``comity
    transfer``). A ``profiles:`` list gives a list."""
    book = context(request).rulebook
    profiles = await read_profiles(request)
    return one_or_many([screen_transfer(profile, exporter.strip().upper(),
                                        recipient.strip().upper(), end_user=end_user,
                                        dual_use=dual_use, rulebook=book,
                                        as_of=as_of).to_dict() for profile in profiles])


PROPOSAL_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object"}},
    "application/yaml": {"schema": {"type": "object"}}}}}


@router.post("/cooperation/projects/score", openapi_extra=PROPOSAL_BODY,
             summary="Score a joint R&D proposal on the six FCAI criteria")
async def project_score(request: Request) -> dict[str, Any]:
    """The proposal (YAML or JSON, as for ``comity project score``) scored on each
    criterion, with its gaps and suggested test beds and audit standards."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(400, "the request body is not UTF-8 text",
                           kind="invalid-input") from None
    if not text.strip():
        raise ProblemError(422, "the request body is empty; send a proposal",
                           kind="invalid-input")
    return score_project(parse_proposal(parse_body_text(text), "request body")).to_dict()
