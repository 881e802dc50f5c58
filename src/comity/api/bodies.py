"""Request bodies and pagination shared by the routes.

Bodies are read as JSON (or YAML) and validated by the profile model itself, so the
API accepts exactly what ``comity assess`` accepts. The OpenAPI document declares the
body with the project's own JSON Schema (``comity.json_schemas.profile_schema``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Query, Request

from comity.api.context import parse_body_text, profiles_from_body
from comity.api.problems import ProblemError
from comity.json_schemas import profile_schema
from comity.profile.model import Profile

DEFAULT_PAGE = 50
MAX_PAGE = 500


@cache
def profile_body_schema() -> dict[str, Any]:
    """The profile file schema, with refs rewritten into the OpenAPI components."""
    schema = profile_schema()
    text = _rewrite_refs(schema)
    return {"oneOf": text["oneOf"]}


@cache
def profile_components() -> dict[str, Any]:
    defs: dict[str, Any] = _rewrite_refs(profile_schema())["$defs"]
    return defs


def _rewrite_refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref"
                    else _rewrite_refs(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite_refs(v) for v in value]
    return value


PROFILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ProfileFile"}},
            "application/yaml": {"schema": {"$ref": "#/components/schemas/ProfileFile"}},
        },
    }
}


async def read_profiles(request: Request) -> list[Profile]:
    """The profile(s) in the request body."""
    raw = await request.body()
    if not raw.strip():
        raise ProblemError(422, "invalid input", "the request body is empty; send a profile",
                           [{"path": "$", "message": "a profile is required"}],
                           "invalid-input")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(400, "the request body is not UTF-8 text",
                           kind="invalid-input") from None
    return profiles_from_body(parse_body_text(text))


class Page:
    """``limit``/``offset`` query parameters and the envelope of a paged list."""

    def __init__(self, limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE,
                                          description="Items per page."),
                 offset: int = Query(0, ge=0, description="Items to skip.")) -> None:
        self.limit = limit
        self.offset = offset

    def envelope(self, items: list[Any], total: int) -> dict[str, Any]:
        following = self.offset + self.limit
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset,
                "next_offset": following if following < total else None}

    def slice(self, items: list[Any]) -> dict[str, Any]:
        return self.envelope(items[self.offset:self.offset + self.limit], len(items))
