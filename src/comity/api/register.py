"""The register of saved systems (history and diff), the audit log and the watch."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from comity.analysis.changes import diff_results
from comity.api.assessing import AsOf, Codes, assess_all
from comity.api.bodies import PROFILE_BODY, Page, read_profiles
from comity.api.context import actor_name, admin, context, editor, reader
from comity.api.problems import ProblemError
from comity.api.watch import watch_report
from comity.knowledge.store.registry import Principal

router = APIRouter()


@router.get("/systems", tags=["systems"], dependencies=[Depends(reader)],
            summary="Saved systems (paged)")
def systems(request: Request, page: Annotated[Page, Depends()]) -> dict[str, Any]:
    registry = context(request).registry
    return page.envelope(registry.systems(page.limit, page.offset), registry.system_count())


@router.post("/systems", tags=["systems"], openapi_extra=PROFILE_BODY, status_code=201,
             summary="Assess a profile and save it in the register (editor)")
async def save_system(request: Request, who: Annotated[Principal | None, Depends(editor)],
                      jurisdictions: Codes = None, as_of: AsOf = None) -> dict[str, Any]:
    ctx = context(request)
    profiles = await read_profiles(request)
    saved = []
    for profile, assessment in zip(
            profiles, assess_all(ctx, profiles, jurisdictions, as_of), strict=True):
        entry = ctx.registry.save_system(assessment, profile.model_dump(mode="json"),
                                         actor_name(who))
        saved.append({"system": profile.id, **entry.to_dict()})
    return {"saved": saved}


def _system(request: Request, key: str) -> dict[str, Any]:
    found = context(request).registry.system(key)
    if found is None:
        raise ProblemError(404, f"no saved system {key!r}", kind="not-found")
    return found


@router.get("/systems/{key}", tags=["systems"], dependencies=[Depends(reader)],
            summary="A saved system and its history")
def system(request: Request, key: str) -> dict[str, Any]:
    return _system(request, key)


@router.get("/systems/{key}/entries/{entry}", tags=["systems"],
            dependencies=[Depends(reader)], summary="One saved assessment: profile and result")
def system_entry(request: Request, key: str, entry: int) -> dict[str, Any]:
    saved = context(request).registry.saved(key, entry)
    if saved is None:
        raise ProblemError(404, f"no entry {entry} of system {key!r}", kind="not-found")
    return {"profile": saved[0], "result": saved[1]}


def entries_diff(request: Request, key: str, before: int | None,
                 after: int | None) -> dict[str, Any]:
    history = _system(request, key)["history"]
    if not history:
        raise ProblemError(404, f"system {key!r} has no saved assessment", kind="not-found")
    after = after or history[-1]["entry"]
    before = before or (history[-2]["entry"] if len(history) > 1 else after)
    registry = context(request).registry
    old, new = registry.saved(key, before), registry.saved(key, after)
    if old is None or new is None:
        missing = before if old is None else after
        raise ProblemError(404, f"no entry {missing} of system {key!r}", kind="not-found")
    return {"system": key, "from": before, "to": after, **diff_results(old[1], new[1]).to_dict()}


@router.get("/systems/{key}/diff", tags=["systems"], dependencies=[Depends(reader)],
            summary="What changed between two saved assessments (default: the last two)")
def system_diff(request: Request, key: str,
                before: Annotated[int | None, Query(alias="from")] = None,
                after: Annotated[int | None, Query(alias="to")] = None) -> dict[str, Any]:
    return entries_diff(request, key, before, after)


@router.get("/audit", tags=["audit"], dependencies=[Depends(admin)],
            summary="The append-only audit log, newest first (admin)")
def audit(request: Request, page: Annotated[Page, Depends()]) -> dict[str, Any]:
    registry = context(request).registry
    return page.envelope(registry.audit_entries(page.limit, page.offset),
                         registry.audit_count())


@router.get("/watch", tags=["watch"], dependencies=[Depends(reader)],
            summary="Dated rule changes and the saved systems whose results change")
def watch(request: Request, since: date | None = None,
          until: Annotated[date | None, Query(description="Default: 365 days after since.")]
          = None) -> dict[str, Any]:
    ctx = context(request)
    start = since or date.today()
    end = until or start + timedelta(days=365)
    if end < start:
        raise ProblemError(422, "until is before since", kind="invalid-input",
                           errors=[{"path": "query:$.until", "message": "must not be "
                                    "before since"}])
    return watch_report(ctx.rulebook, ctx.registry, start, end).to_dict()

