"""The joint R&D page: a proposal scored on the six FCAI criteria (``comity project
score`` for people who never open a terminal).

Each proposal field is a form field of the same name; lists are typed comma-separated
(``partners``, ``sectors``, ``sdgs``) or one per line (``goals``,
``governance_questions``); a yes/no left at "not stated" stays unstated, which the
score reports as missing evidence, never as "no".
"""

from __future__ import annotations

import re
from typing import Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from comity.cooperation.projects import (
    ProjectScore,
    Proposal,
    Stakeholder,
    parse_proposal,
    proposal_from_project,
    score_project,
)
from comity.errors import InputError
from comity.knowledge.content import load_items
from comity.web.form import Choice
from comity.web.pages import invalid_query, page, readable_context

router = APIRouter(include_in_schema=False)
COMMA_LISTS = ("partners", "sectors", "sdgs")
LINE_LISTS = ("goals", "governance_questions")


def form_kind(name: str, annotation: Any) -> str:
    """How the form asks a proposal field: text, yes_no, boxes (stakeholders) or lines."""
    if name in LINE_LISTS:
        return "lines"
    if name == "stakeholders":
        return "boxes"
    return "yes_no" if annotation == bool | None else "text"


def form_fields() -> list[tuple[str, str, str]]:
    """(name, label, kind) for every proposal field, labels from the model's descriptions."""
    return [(name, info.description or name, form_kind(name, info.annotation))
            for name, info in Proposal.model_fields.items() if name != "proposal"]


def proposal_data(form: Any) -> dict[str, Any]:
    """The proposal a submitted form stands for (blank fields are not stated)."""
    data: dict[str, Any] = {}
    for name, _, kind in form_fields():
        if kind == "boxes":
            chosen = [value for value in form.getlist(name) if value]
            if chosen:
                data[name] = chosen
            continue
        text = (form.get(name) or "").strip()
        if not text:
            continue
        if kind == "yes_no":
            data[name] = {"true": True, "false": False}.get(text, text)
        elif name in COMMA_LISTS:
            items = [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
            data[name] = ([int(i) if i.isdigit() else i for i in items] if name == "sdgs"
                          else [i.upper() for i in items] if name == "partners" else items)
        elif kind == "lines":
            data[name] = [line.strip() for line in text.splitlines() if line.strip()]
        else:
            data[name] = text
    return data


def proposal_query(proposal: Proposal) -> str:
    """A proposal as the address of its filled-in form (links to knowledge-base projects)."""
    pairs: list[tuple[str, str]] = []
    for name, value in proposal.model_dump(exclude_none=True, exclude={"proposal"}).items():
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif name == "stakeholders":
            pairs += [(name, item) for item in value]
        elif isinstance(value, list):
            joiner = "\n" if name in LINE_LISTS else ", "
            pairs.append((name, joiner.join(str(item) for item in value)))
        else:
            pairs.append((name, str(value)))
    return urlencode(pairs)


def _scored(request: Request) -> tuple[ProjectScore | None, dict[str, list[str]]]:
    readable_context(request)
    form = request.query_params
    if not any(form.get(name) for name in ("id", "name")):
        return None, {}
    try:
        return score_project(parse_proposal(proposal_data(form), "form")), {}
    except InputError as error:
        errors: dict[str, list[str]] = {}
        for problem in error.problems:
            field = problem.path.split(".")[0] or "form"
            errors.setdefault(field, []).append(f"{problem.path}: {problem.message}")
        return None, errors


@router.get("/projects", response_class=HTMLResponse)
def projects(request: Request) -> HTMLResponse:
    score, errors = _scored(request)
    bundled = [{"name": project.name, "query": proposal_query(proposal_from_project(project))}
               for project in load_items("projects.yaml")]
    stakeholders = [Choice(value, value.replace("_", " ")) for value in get_args(Stakeholder)]
    return page(request, "projects.html", score=score, errors=errors, form=request.query_params,
                fields=form_fields(), stakeholders=stakeholders, bundled=bundled)


@router.get("/projects/score.json")
def project_json(request: Request) -> JSONResponse:
    score, errors = _scored(request)
    if score is None:
        raise invalid_query("give the proposal's id and name", errors)
    return JSONResponse(score.to_dict())
