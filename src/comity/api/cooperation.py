"""Cooperation analytics over HTTP: readiness of country pairs and a dialogue agenda."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from comity.api.context import context, reader
from comity.api.problems import ProblemError
from comity.cooperation.agenda import dialogue_agenda
from comity.cooperation.readiness import Readiness, rate_matrix
from comity.cooperation.settings import issues

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
