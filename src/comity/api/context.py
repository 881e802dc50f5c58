"""One context per application: the rulebook (loaded once), the store and the register.

Routes get it with ``Depends(context)``; who is asking with ``Depends(reader)``,
``Depends(editor)`` or ``Depends(admin)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import Request

from comity.api.problems import ProblemError
from comity.api.settings import ApiSettings
from comity.errors import InputError, Problem
from comity.profile.files import parse_profiles
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook, load_rulebook
from comity.yaml12 import load_yaml

if TYPE_CHECKING:
    from comity.knowledge.store.registry import Principal, Registry
    from comity.knowledge.store.repository import KnowledgeBase

TOKEN_COOKIE = "comity_token"
ANONYMOUS = "anonymous"


class AppContext:
    """Shared by every request of one process."""

    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings
        self.rulebook: Rulebook = (load_rulebook(settings.rules_folder)
                                   if settings.rules_folder else default_rulebook())
        self._store: KnowledgeBase | None = None
        self._registry: Registry | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> KnowledgeBase:
        """The store, connected and migrated on first use (and seeded if empty)."""
        with self._lock:
            if self._store is None:
                from comity.knowledge.store.content import shipped_records
                from comity.knowledge.store.database import connect, migrate
                from comity.knowledge.store.registry import Registry
                from comity.knowledge.store.repository import KnowledgeBase

                engine = connect(self.settings.db_url)
                migrate(engine)
                store = KnowledgeBase(engine)
                if self.settings.seed_empty_store and not store.counts():
                    store.upsert(shipped_records(self.rulebook))
                self._store, self._registry = store, Registry(store)
            return self._store

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self.store  # noqa: B018 - connects and builds the register
        assert self._registry is not None
        return self._registry

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def check_jurisdictions(self, codes: list[str] | None, where: str = "jurisdiction"
                            ) -> None:
        known = list(self.rulebook.jurisdictions)
        unknown = [code for code in codes or [] if code not in known]
        if unknown:
            raise ProblemError(422, "unknown jurisdiction", f"unknown: {', '.join(unknown)}",
                               [{"path": f"query:$.{where}", "message":
                                 f"unknown jurisdiction {code!r}", "allowed": known}
                                for code in unknown], "invalid-input")


def context(request: Request) -> AppContext:
    found: AppContext = request.app.state.comity
    return found


def profiles_from_body(data: Any, source: str = "request body") -> list[Profile]:
    """Validate a parsed body (one profile or ``profiles:``); errors carry JSON paths."""
    return parse_profiles(data, source)


def parse_body_text(text: str, source: str = "request body") -> Any:
    """JSON or YAML text (JSON is YAML); a clear problem if it is neither."""
    import yaml

    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InputError(source, [Problem("", f"not valid JSON or YAML{where}")]) from None


def request_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(TOKEN_COOKIE) or None


def principal_of(request: Request) -> Principal | None:
    """The principal behind the request's token; 401 for a token that is not known."""
    token = request_token(request)
    if token is None:
        return None
    found = context(request).registry.principal(token)
    if found is None:
        raise ProblemError(401, "unknown or revoked token", kind="unauthorized",
                           headers={"WWW-Authenticate": "Bearer"})
    return found


def _requiring(role: str) -> Callable[[Request], Principal | None]:
    def dependency(request: Request) -> Principal | None:
        found = principal_of(request)
        if role == "reader" and context(request).settings.open_reading:
            return found
        if found is None:
            raise ProblemError(401, f"a bearer token with role {role} or above is required",
                               kind="unauthorized", headers={"WWW-Authenticate": "Bearer"})
        if not found.may(role):
            raise ProblemError(403, f"role {found.role} may not do this; {role} or above "
                               "is required", kind="forbidden")
        return found
    dependency.__name__ = f"require_{role}"
    return dependency


reader = _requiring("reader")
editor = _requiring("editor")
admin = _requiring("admin")


def actor_name(principal: Principal | None) -> str:
    return f"token:{principal.name}" if principal else ANONYMOUS
