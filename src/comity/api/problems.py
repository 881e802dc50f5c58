"""Errors as RFC 9457 ``application/problem+json``, each bad field located by a JSON path."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from comity.errors import ComityError, InputError, Problem

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:comity:problem:"


class ProblemError(Exception):
    """Raised by routes: becomes a problem+json response."""

    def __init__(self, status: int, title: str, detail: str = "",
                 errors: list[dict[str, Any]] | None = None, kind: str = "request",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors, self.kind, self.headers = errors or [], kind, headers


def json_path(path: str, root: str = "$") -> str:
    """``markets[0]`` -> ``$.markets[0]``; ``""`` -> ``$``."""
    if not path:
        return root
    return root + ("" if path.startswith("[") else ".") + path


def problem_entries(problems: list[Problem], root: str = "$") -> list[dict[str, Any]]:
    return [{"path": json_path(p.path, root), "message": p.message,
             **({"allowed": list(p.allowed)} if p.allowed else {})} for p in problems]


def input_problem(error: InputError, root: str = "$") -> ProblemError:
    return ProblemError(422, "invalid input", str(error.problems[0].describe()
                                                  if error.problems else error),
                        problem_entries(error.problems, root), "invalid-input")


def response(problem: ProblemError, instance: str) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_PREFIX + problem.kind, "title": problem.title,
                            "status": problem.status, "instance": instance}
    if problem.detail:
        body["detail"] = problem.detail
    if problem.errors:
        body["errors"] = problem.errors
    return JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE,
                        headers=problem.headers)


def _loc_path(loc: tuple[Any, ...] | list[Any]) -> str:
    # FastAPI's locations start with where the value came from (query, path, body).
    parts = list(loc)
    where = str(parts.pop(0)) if parts else "body"
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return f"{where}:$" + path if where != "body" else "$" + path


def install(app: FastAPI) -> None:
    """Route every error, expected or not, through problem+json."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        return response(error, request.url.path)

    @app.exception_handler(InputError)
    async def _input(request: Request, error: InputError) -> JSONResponse:
        return response(input_problem(error), request.url.path)

    @app.exception_handler(ComityError)
    async def _comity(request: Request, error: ComityError) -> JSONResponse:
        return response(ProblemError(422, "invalid request", str(error), kind="invalid-input"),
                        request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"path": _loc_path(e["loc"]), "message": e["msg"]} for e in error.errors()]
        return response(ProblemError(422, "invalid request", errors[0]["message"]
                                     if errors else "", errors, "invalid-input"),
                        request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = re.sub(r"\s+", " ", str(error.detail))
        return response(ProblemError(error.status_code, title, kind=f"http-{error.status_code}",
                                     headers=dict(error.headers or {})), request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        return response(ProblemError(500, "internal error", type(error).__name__,
                                     kind="internal"), request.url.path)
