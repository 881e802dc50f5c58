"""The application factory: API routes under ``/api``, the web pages at ``/``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comity.api import assessing, catalog, cooperation, register
from comity.api.bodies import profile_body_schema, profile_components
from comity.api.context import AppContext
from comity.api.problems import ProblemError, install, response
from comity.api.settings import ApiSettings

API_PREFIX = "/api"


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before any route reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = ProblemError(413, "request body too large",
                               f"the limit is {self.limit} bytes", kind="too-large")
        await response(problem, scope.get("path", ""))(scope, receive, send)


class _TooLarge(Exception):
    pass


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """A new application; the rulebook is loaded now, the store on first use."""
    config = settings or ApiSettings()
    state = AppContext(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    # No /docs or /redoc: their pages load scripts from a CDN, and nothing here may.
    app = FastAPI(title="Comity", version=version("comity"), lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="International AI governance as machine-readable, cited "
                  "rules: assess an AI-system profile per jurisdiction, compare, search "
                  "the knowledge base, keep a register of systems. Errors are "
                  "application/problem+json with the JSON path of each bad field.")
    app.state.comity = state
    install(app)
    for router in (assessing.router, catalog.router, cooperation.router, register.router):
        app.include_router(router, prefix=API_PREFIX)
    from comity.web.pages import mount as mount_pages

    mount_pages(app)
    _openapi_with_profile_schema(app)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST", "PUT"],
                           allow_headers=["Authorization", "Content-Type"])
    return app


def _openapi_with_profile_schema(app: FastAPI) -> None:
    """Put the project's profile JSON Schema into the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(profile_components())
            schemas["ProfileFile"] = profile_body_schema()
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
