"""The web application for analysts: server-rendered pages over the same library calls.

Reading works without JavaScript (plain links and GET forms; the address of a page is
its draft). htmx, vendored in ``static/``, only re-assesses as the form changes.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Form, Query, Request, UploadFile
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from comity.analysis.compare import compare_portfolio, markets_of
from comity.analysis.oscal import oscal_catalog
from comity.api.bodies import MAX_OFFSET
from comity.api.context import (
    TOKEN_COOKIE,
    AppContext,
    actor_name,
    context,
    parse_body_text,
    principal_of,
)
from comity.api.problems import ProblemError
from comity.api.problems import response as problem_response
from comity.api.watch import watch_report
from comity.engine.assess import assess_profile
from comity.engine.open_questions import OpenQuestionReport, open_fields, open_questions
from comity.engine.results import Assessment
from comity.engine.roles import ROLES
from comity.errors import InputError, Problem
from comity.knowledge.store.registry import Principal
from comity.profile.files import parse_profiles
from comity.profile.model import Profile
from comity.render.html import assessments_html
from comity.render.markdown import assessments_markdown
from comity.web import charts
from comity.web.form import (
    VERSION_PREFIX,
    answers_in,
    choices,
    field_of,
    form_from_profile,
    has_draft,
    profile_from_form,
)

HERE = Path(__file__).parent
templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True,
                        lstrip_blocks=True)
templates.filters["plain"] = lambda value: (
    "yes" if value is True else "no" if value is False else "undetermined" if value is None
    else str(value).replace("_", " "))
templates.globals["field_of"] = field_of  # an open fact links to its form field
router = APIRouter(include_in_schema=False)
KNOWLEDGE_TYPES = ("provision", "standard", "sandbox", "project", "term",
                   "principles_document", "country_profile", "instrument")


def mount(app: FastAPI) -> None:
    # The cooperation pages import this module (page, readable_context): imported here.
    from comity.web.cooperation import router as cooperation_router
    from comity.web.projects import router as projects_router
    from comity.web.transfer import router as transfer_router

    app.include_router(router)
    for pages in (cooperation_router, transfer_router, projects_router):
        app.include_router(pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> Response:
        """Pages get an HTML error page; the API keeps problem+json."""
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
                "accept", ""):
            return problem_response(error, request.url.path)
        return page(request, "error.html", status=error.status, problem=error)


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    who = _who(request)
    html = templates.get_template(name).render(request=request, who=who,
                                               query=str(request.url.query), **values)
    return HTMLResponse(html, status_code=status)


def _who(request: Request) -> Principal | None:
    try:
        return principal_of(request)
    except ProblemError:
        return None


def readable_context(request: Request) -> AppContext:
    """The context, if reading is open or the visitor has a token."""
    ctx = context(request)
    if not ctx.settings.open_reading and _who(request) is None:
        raise ProblemError(401, "reading needs a token: log in first", kind="unauthorized")
    return ctx


# describe and result --------------------------------------------------------------------

def view_of(request: Request) -> dict[str, Any]:
    params = request.query_params
    as_of_text = params.get("as_of") or ""
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else None
    except ValueError:
        as_of = None
    role = params.get("role") if params.get("role") in ROLES else None
    codes = [c for c in params.getlist("jurisdiction") if c]
    return {"as_of": as_of, "as_of_text": as_of_text, "role": role, "codes": codes}


def _draft(ctx: AppContext, form: Any
           ) -> tuple[dict[str, Any], Profile | None, dict[str, list[str]]]:
    """The form as profile data, the profile if it is valid, and problems by form field."""
    types = {question.id: question.type for question in ctx.rulebook.questions.values()}
    draft = profile_from_form(form, types)
    errors: dict[str, list[str]] = {}
    if not has_draft(form):
        return draft, None, errors
    try:
        [profile] = parse_profiles(draft, "form")
    except InputError as error:
        for problem in error.problems:
            errors.setdefault(field_of(problem.path) or "form", []).append(
                f"{problem.path or 'profile'}: {problem.message}")
        return draft, None, errors
    return draft, profile, errors


def draft_profile(ctx: AppContext, form: Any) -> tuple[Profile | None, dict[str, list[str]]]:
    """The system the page's address describes (None before one is described or while
    it is invalid), and the problems by form field: for pages that work on it."""
    _, profile, errors = _draft(ctx, form)
    return profile, errors


def _draft_assessment(ctx: AppContext, form: Any, view: dict[str, Any]
                      ) -> tuple[dict[str, Any], Assessment | None, dict[str, list[str]]]:
    draft, profile, errors = _draft(ctx, form)
    if profile is None:
        return draft, None, errors
    codes = [c for c in view["codes"] if c in ctx.rulebook.jurisdictions] or None
    assessment = assess_profile(profile, ctx.rulebook, as_of=view["as_of"],
                                jurisdictions=codes, role=view["role"])
    return draft, assessment, errors


def _open_questions(ctx: AppContext, draft: dict[str, Any], assessment: Assessment | None,
                    ) -> list[OpenQuestionReport]:
    """The typed questions still open, tier-changing first (none without a result)."""
    if assessment is None:
        return []
    [profile] = parse_profiles(draft, "form")
    return open_questions(profile, ctx.rulebook, as_of=assessment.as_of,
                          jurisdictions=[r.jurisdiction for r in assessment.results],
                          assessment=assessment)


def _answered(ctx: AppContext, form: Any) -> list[dict[str, Any]]:
    """The answers the form carries, with their questions (unknown ids left out: the
    validation error names them)."""
    return [{"question": ctx.rulebook.questions[question_id], "values": values,
             "version": form.get(VERSION_PREFIX + question_id)
             or ctx.rulebook.questions[question_id].version}
            for question_id, values in answers_in(form).items()
            if question_id in ctx.rulebook.questions and any(v.strip() for v in values)]


@router.get("/", response_class=HTMLResponse)
def describe(request: Request) -> HTMLResponse:
    ctx = readable_context(request)
    view = view_of(request)
    form = request.query_params
    draft, assessment, errors = _draft_assessment(ctx, form, view)
    answered = _answered(ctx, form)
    answered_ids = {item["question"].id for item in answered}
    values: dict[str, Any] = dict(form=form, draft=draft, assessment=assessment, errors=errors,
                  choices=choices(), view=view, rulebook=ctx.rulebook,
                  questions=open_fields(assessment) if assessment else [],
                  open_questions=[report for report in _open_questions(ctx, draft, assessment)
                                  if report.question.id not in answered_ids],
                  answered=answered,
                  download=_without(request, ()))
    if request.headers.get("hx-request"):
        return page(request, "_result.html", **values)
    return page(request, "describe.html", **values)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, file: UploadFile) -> Any:
    ctx = readable_context(request)
    name = file.filename or "upload"
    raw = await file.read()
    data: Any = None
    problems: list[Problem]
    try:
        data = parse_body_text(raw.decode("utf-8"), name)
        [profile] = parse_profiles(data, name)
    except UnicodeDecodeError:
        problems = [Problem("", "the file is not UTF-8 text")]
    except InputError as error:
        problems = error.problems
    except ValueError:
        problems = [Problem("profiles", "upload one profile at a time")]
    else:
        pairs = form_from_profile(profile.model_dump(mode="json", exclude_none=True))
        return RedirectResponse("/?" + urlencode(pairs), status_code=303)
    form = _MultiDict(form_from_profile(data) if isinstance(data, dict) else [])
    errors: dict[str, list[str]] = {"file": [f"{name}: {p.path or 'profile'}: {p.message}"
                                             for p in problems]}
    for problem in problems:
        target = field_of(problem.path)
        if target:
            errors.setdefault(target, []).append(f"{problem.path}: {problem.message}")
    return page(request, "describe.html", status=422, form=form, draft={}, assessment=None,
                errors=errors, choices=choices(), view=view_of(request), rulebook=ctx.rulebook,
                questions=[], open_questions=[], answered=_answered(ctx, form), download="")


class _MultiDict:
    """Just enough of a query multi-dict for the form template."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def get(self, name: str, default: Any = None) -> Any:
        return next((v for k, v in self.pairs if k == name), default)

    def getlist(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def keys(self) -> list[str]:
        return [k for k, _ in self.pairs]


def _without(request: Request, names: tuple[str, ...]) -> str:
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in names])


def invalid_query(title: str, errors: dict[str, list[str]]) -> ProblemError:
    """A 422 problem for a download whose address holds no valid input, naming each
    field's problems as a page shows them beside the field."""
    return ProblemError(422, title, kind="invalid-input",
                        errors=[{"path": f"query:$.{name}", "message": message}
                                for name, messages in errors.items() for message in messages])


def _assessed(request: Request) -> tuple[AppContext, Assessment]:
    ctx = readable_context(request)
    _, assessment, errors = _draft_assessment(ctx, request.query_params, view_of(request))
    if assessment is None:
        raise invalid_query("the draft is not a valid profile", errors)
    return ctx, assessment


@router.get("/report.json")
def report_json(request: Request) -> JSONResponse:
    _, assessment = _assessed(request)
    return JSONResponse(assessment.to_dict(), headers=_attachment(assessment, "json"))


@router.get("/report.md")
def report_markdown(request: Request) -> PlainTextResponse:
    _, assessment = _assessed(request)
    return PlainTextResponse(assessments_markdown([assessment]), media_type="text/markdown",
                             headers=_attachment(assessment, "md"))


@router.get("/report.oscal.json")
def report_oscal(request: Request) -> JSONResponse:
    _, assessment = _assessed(request)
    return JSONResponse(oscal_catalog([assessment]),
                        headers=_attachment(assessment, "oscal.json"))


@router.get("/report.html", response_class=HTMLResponse)
def report_html(request: Request) -> HTMLResponse:
    ctx, assessment = _assessed(request)
    return HTMLResponse(assessments_html([assessment], ctx.rulebook.duty_types))


def _attachment(assessment: Assessment, suffix: str) -> dict[str, str]:
    return {"Content-Disposition":
            f'attachment; filename="{assessment.profile_id}.{suffix}"'}


# compare ------------------------------------------------------------------------------

@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request) -> HTMLResponse:
    ctx = readable_context(request)
    view = view_of(request)
    draft, assessment, errors = _draft_assessment(ctx, request.query_params,
                                                  {**view, "codes": []})
    values: dict[str, Any] = dict(view=view, errors=errors, rulebook=ctx.rulebook,
                                  draft_query=_without(request, ("jurisdiction",)))
    if assessment is not None:
        [profile] = parse_profiles(draft, "form")
        codes = [c for c in view["codes"] if c in ctx.rulebook.jurisdictions] or \
            markets_of([profile], ctx.rulebook)
        comparison = compare_portfolio([profile], ctx.rulebook, as_of=view["as_of"],
                                       jurisdictions=codes).comparisons[0]
        values.update(comparison=comparison, codes=codes,
                      heatmap=charts.divergence_heatmap(codes, comparison.divergence),
                      timeline=charts.plan_timeline(comparison.plan,
                                                    comparison.assessment.as_of))
    return page(request, "compare.html", **values)


# knowledge base ---------------------------------------------------------------------------

@router.get("/knowledge", response_class=HTMLResponse)
def knowledge(request: Request, q: str = "", type: str = "") -> HTMLResponse:
    store = readable_context(request).store
    hits = store.search(q, types=[type] if type else None, limit=50) if q.strip() else []
    return page(request, "knowledge.html", q=q, type=type, hits=hits,
                counts=store.counts(), types=KNOWLEDGE_TYPES)


@router.get("/knowledge/{kind}", response_class=HTMLResponse)
def knowledge_type(request: Request, kind: str, jurisdiction: str = "",
                   offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    store = readable_context(request).store
    records = store.records([kind], jurisdiction or None)
    if not records and kind not in store.counts():
        raise ProblemError(404, f"no entity type {kind!r}", kind="not-found")
    languages = sorted({lang for r in records if kind == "term"
                        for lang in r.body.get("translations", {})})
    return page(request, "knowledge_list.html", kind=kind, records=records[offset:offset + 100],
                total=len(records), offset=offset, jurisdiction=jurisdiction,
                languages=languages)


@router.get("/knowledge/{kind}/{key:path}", response_class=HTMLResponse)
def knowledge_entity(request: Request, kind: str, key: str
                     ) -> Response:
    store = readable_context(request).store
    record = store.entity(kind, key)
    if record is None:
        raise ProblemError(404, f"no {kind} {key!r}", kind="not-found")
    if record.key != key:  # an old key: send links that use it to the current page
        return RedirectResponse(f"/knowledge/{kind}/{quote(record.key)}", status_code=301)
    return page(request, "entity.html", record=record,
                body=json.dumps(record.body, indent=2, ensure_ascii=False))


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(request: Request, rule_id: str) -> HTMLResponse:
    from comity.api.catalog import rule_detail

    ctx = readable_context(request)
    try:
        rule = ctx.rulebook.rule(rule_id)
    except KeyError:
        raise ProblemError(404, f"no rule {rule_id!r}", kind="not-found") from None
    detail = rule_detail(ctx, rule)
    return page(request, "rule.html", rule=rule, detail=detail,
                condition=json.dumps(detail.get("when"), indent=2, ensure_ascii=False))


# register, audit, watch, login --------------------------------------------------------------

@router.get("/systems", response_class=HTMLResponse)
def systems(request: Request) -> HTMLResponse:
    registry = readable_context(request).registry
    return page(request, "systems.html", systems=registry.systems(limit=500))


@router.post("/systems", response_class=HTMLResponse)
async def save_system(request: Request) -> Any:
    ctx = context(request)
    who = _who(request)
    form = await request.form()
    draft_query = str(form.get("draft") or "")
    if who is None or not who.may("editor"):
        status = 401 if who is None else 403
        return page(request, "refused.html", status=status, needed="editor",
                    back="/?" + draft_query)
    from urllib.parse import parse_qsl

    pairs = parse_qsl(draft_query, keep_blank_values=False)
    draft_form = _MultiDict(pairs)
    view: dict[str, Any] = {"as_of": None, "role": None,
                            "codes": [v for k, v in pairs if k == "jurisdiction"]}
    as_of = draft_form.get("as_of")
    if as_of:
        view["as_of"] = date.fromisoformat(as_of)
    draft, assessment, errors = _draft_assessment(ctx, draft_form, view)
    if assessment is None:
        raise ProblemError(422, "the draft is not a valid profile", kind="invalid-input")
    ctx.registry.save_system(assessment, parse_profiles(draft, "form")[0]
                             .model_dump(mode="json"), actor_name(who))
    return RedirectResponse(f"/systems/{assessment.profile_id}", status_code=303)


@router.get("/systems/{key}", response_class=HTMLResponse)
def system(request: Request, key: str) -> HTMLResponse:
    from comity.api.register import entries_diff

    registry = readable_context(request).registry
    found = registry.system(key)
    if found is None:
        raise ProblemError(404, f"no saved system {key!r}", kind="not-found")
    params = request.query_params
    diff = None
    if len(found["history"]) > 1 or params.get("from"):
        before = int(params["from"]) if params.get("from", "").isdigit() else None
        after = int(params["to"]) if params.get("to", "").isdigit() else None
        diff = entries_diff(request, key, before, after)
    saved = registry.saved(key)
    pairs = form_from_profile(saved[0]) if saved else []
    return page(request, "system.html", system=found, diff=diff,
                draft_query=urlencode(pairs))


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    who = _who(request)
    if who is None or not who.may("admin"):
        return page(request, "refused.html", status=401 if who is None else 403,
                    needed="admin", back="/")
    registry = context(request).registry
    return page(request, "audit.html", entries=registry.audit_entries(100, offset),
                total=registry.audit_count(), offset=offset)


@router.get("/watch", response_class=HTMLResponse)
def watch(request: Request, since: str = "", until: str = "") -> HTMLResponse:
    ctx = readable_context(request)
    start = _date_or(since, date.today())
    end = _date_or(until, date(start.year + 1, start.month, min(start.day, 28)))
    report = watch_report(ctx.rulebook, ctx.registry, start, min(max(end, start),
                                                                 date(2100, 1, 1)))
    return page(request, "watch.html", report=report.to_dict())


def _date_or(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: str = Form(...)) -> Any:
    found = context(request).registry.principal(token.strip())
    if found is None:
        return page(request, "login.html", status=401, error="unknown or revoked token")
    reply = RedirectResponse("/", status_code=303)
    reply.set_cookie(TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict")
    return reply


@router.post("/logout")
def logout() -> RedirectResponse:
    reply = RedirectResponse("/", status_code=303)
    reply.delete_cookie(TOKEN_COOKIE)
    return reply
