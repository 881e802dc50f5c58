"""The cooperation page: readiness of country pairs by issue area, and a dialogue agenda
for two parties (``comity cooperation`` and ``comity agenda`` for people who never open
a terminal)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comity.api.cooperation import readiness_matrix
from comity.api.problems import ProblemError
from comity.cooperation.agenda import Agenda, dialogue_agenda
from comity.cooperation.readiness import Readiness
from comity.cooperation.settings import issues
from comity.errors import InputError
from comity.render.cooperation import readiness_html
from comity.web.pages import page, readable_context

router = APIRouter(include_in_schema=False)


def _query(request: Request) -> dict[str, Any]:
    params = request.query_params
    parties = [code for code in re.split(r"[\s,;]+", (params.get("parties") or "").upper())
               if code]
    chosen = [issue for issue in params.getlist("issue") if issue]
    as_of_text = params.get("as_of") or ""
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else None
    except ValueError:
        as_of = None
    return {"parties": parties, "issues": chosen, "as_of": as_of, "as_of_text": as_of_text}


def _rated(request: Request, query: dict[str, Any]
           ) -> tuple[list[Readiness], Agenda | None, list[str]]:
    """The ratings (and the agenda of a pair), or the problems to show beside the form."""
    if not query["parties"]:
        return [], None, []
    try:
        ratings = readiness_matrix(query["parties"], query["issues"] or None, query["as_of"],
                                   request)
        pair = list(dict.fromkeys(query["parties"]))
        agenda = (dialogue_agenda(pair[0], pair[1], issue_ids=query["issues"] or None,
                                  as_of=query["as_of"], rulebook=readable_context(request).rulebook)
                  if len(pair) == 2 else None)
    except InputError as error:
        return [], None, [f"{problem.path}: {problem.message}" for problem in error.problems]
    except ProblemError as error:
        return [], None, [error.title]
    return ratings, agenda, []


@router.get("/cooperation", response_class=HTMLResponse)
def cooperation(request: Request) -> HTMLResponse:
    readable_context(request)
    query = _query(request)
    ratings, agenda, errors = _rated(request, query)
    pairs = list(dict.fromkeys(f"{r.a}–{r.b}" for r in ratings))
    rated_issues = list(dict.fromkeys(r.issue.id for r in ratings))
    cells = {(f"{r.a}–{r.b}", r.issue.id): r for r in ratings}
    api = urlencode([*(("party", p) for p in query["parties"]),
                     *(("issue", i) for i in query["issues"]),
                     *((("as_of", query["as_of_text"]),) if query["as_of"] else ())])
    return page(request, "cooperation.html", coop=query, all_issues=issues(),
                ratings=ratings, pairs=pairs, rated_issues=rated_issues, cells=cells,
                agenda=agenda, errors=errors, api_query=api,
                report_query=str(request.url.query))


@router.get("/cooperation/report.html", response_class=HTMLResponse)
def cooperation_report(request: Request) -> HTMLResponse:
    readable_context(request)
    ratings, _, errors = _rated(request, _query(request))
    if errors or not ratings:
        raise ProblemError(422, "; ".join(errors) or "give two or more parties",
                           kind="invalid-input")
    return HTMLResponse(readiness_html(ratings))
