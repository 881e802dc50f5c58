"""Read the rulebook, the vocabulary and the knowledge base; edit the knowledge base."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import ValidationError

from comity.api.bodies import Page
from comity.api.context import AppContext, actor_name, context, editor, reader
from comity.api.problems import ProblemError
from comity.knowledge.entities import EntityRecord, EntityType
from comity.knowledge.store.registry import Principal
from comity.profile.vocabulary import vocabulary
from comity.rulebook.loader import Rule

router = APIRouter(dependencies=[Depends(reader)])
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)


def rule_summary(rule: Rule) -> dict[str, Any]:
    return {"id": rule.id, "jurisdiction": rule.jurisdiction, "kind": rule.spec.kind,
            "title": rule.spec.title, "citation": rule.citation, "status": rule.spec.status,
            "in_force_from": rule.spec.in_force.start.isoformat(),
            "applies_from": str(rule.spec.applies_from or rule.spec.in_force.start)}


def rule_detail(ctx: AppContext, rule: Rule) -> dict[str, Any]:
    data = rule.spec.model_dump(mode="json", by_alias=True, exclude_none=True,
                                exclude_defaults=True)
    jurisdiction = ctx.rulebook.jurisdictions[rule.jurisdiction]
    return {"citation_text": rule.citation, "jurisdiction": rule.jurisdiction,
            "instrument_title": rule.instrument.title,
            "source_url": rule.instrument.source_url,
            "applies_from_today": rule.applies_from(_today(), jurisdiction.parameters)
            .isoformat(), **data}


def _today() -> Any:
    from datetime import date

    return date.today()


@router.get("/rules", tags=["rules"], summary="Rules with citations and dates (paged)")
def rules(request: Request, page: Annotated[Page, Depends()],
          jurisdiction: Annotated[list[str] | None, Query()] = None,
          kind: str | None = None) -> dict[str, Any]:
    ctx = context(request)
    ctx.check_jurisdictions(jurisdiction)
    selected = [rule_summary(r) for r in ctx.rulebook.rules()
                if (not jurisdiction or r.jurisdiction in jurisdiction)
                and (kind is None or r.spec.kind == kind)]
    return {"rulebook": ctx.rulebook.version_id, **page.slice(selected)}


@router.get("/rules/{rule_id}", tags=["rules"], summary="One rule in full")
def rule(request: Request, rule_id: str) -> dict[str, Any]:
    ctx = context(request)
    try:
        found = ctx.rulebook.rule(rule_id)
    except KeyError:
        raise ProblemError(404, f"no rule {rule_id!r}", kind="not-found") from None
    return rule_detail(ctx, found)


@router.get("/jurisdictions", tags=["rules"], summary="Jurisdictions, tiers and instruments")
def jurisdictions(request: Request) -> dict[str, Any]:
    ctx = context(request)
    return {"rulebook": ctx.rulebook.version_id, "items": [
        {"code": code, "name": j.name, "rules": len(j.rules),
         "tiers": [{"name": t.name, "common": t.common} for t in j.tiers],
         "instruments": [{"id": i.id, "title": i.title, "status": i.status,
                          "source_url": i.source_url} for i in j.instruments.values()]}
        for code, j in ctx.rulebook.jurisdictions.items()]}


@router.get("/vocabulary", tags=["rules"], summary="The profile's controlled vocabulary")
def vocabulary_lists() -> dict[str, Any]:
    words = vocabulary()
    return {"uses": words.uses, "deployer_kinds": words.deployer_kinds,
            "autonomy": words.autonomy, "outputs": words.outputs,
            "decision_roles": words.decision_roles,
            "safety_legislation": words.safety_legislation, "affected": words.affected,
            "data": words.data, "law_enforcement_exceptions": words.law_enforcement_exceptions,
            "special_markets": words.special_markets}


@router.get("/search", tags=["knowledge"], summary="Full-text search, ranked as the CLI ranks")
def search(request: Request, page: Annotated[Page, Depends()],
           q: Annotated[str, Query(min_length=1, max_length=500)],
           type: Annotated[list[str] | None, Query()] = None,
           jurisdiction: str | None = None, status: str | None = None) -> dict[str, Any]:
    store = context(request).store
    hits = store.search(q, types=type or None, jurisdiction=jurisdiction, status=status,
                        limit=page.offset + page.limit + 1)
    items = [hit.to_dict() for hit in hits[page.offset:page.offset + page.limit]]
    more = len(hits) > page.offset + page.limit
    return {"query": q, "items": items, "limit": page.limit, "offset": page.offset,
            "next_offset": page.offset + page.limit if more else None}


@router.get("/knowledge", tags=["knowledge"], summary="What the knowledge base holds")
def knowledge(request: Request) -> dict[str, Any]:
    return {"types": context(request).store.counts()}


TypePath = Annotated[str, Path(description="Entity type", pattern="^[a-z_]+$")]


def _check_type(kind: str) -> None:
    if kind not in ENTITY_TYPES:
        raise ProblemError(404, f"no entity type {kind!r}", kind="not-found",
                           errors=[{"path": "path:$.type", "message": "unknown entity type",
                                    "allowed": list(ENTITY_TYPES)}])


@router.get("/knowledge/{kind}", tags=["knowledge"], summary="Entities of one type (paged)")
def entities_of(request: Request, kind: TypePath, page: Annotated[Page, Depends()],
                jurisdiction: str | None = None) -> dict[str, Any]:
    _check_type(kind)
    records = context(request).store.records([kind], jurisdiction)
    return page.slice([r.model_dump(mode="json") for r in records])


@router.get("/knowledge/{kind}/{key}", tags=["knowledge"],
            summary="One entity (an old key of a renamed entity finds it under its new key)")
def entity(request: Request, kind: TypePath, key: str) -> dict[str, Any]:
    _check_type(kind)
    record = context(request).store.entity(kind, key)
    if record is None:
        raise ProblemError(404, f"no {kind} {key!r}", kind="not-found")
    return record.model_dump(mode="json")


@router.put("/knowledge/{kind}/{key}", tags=["knowledge"],
            summary="Add or replace an entity (editor)")
def edit_entity(request: Request, kind: TypePath, key: str,
                record: Annotated[dict[str, Any], Body()],
                who: Annotated[Principal | None, Depends(editor)]) -> dict[str, Any]:
    _check_type(kind)
    key = context(request).store.resolve(kind, key)  # an old key edits the renamed entity
    data = {**record, "type": kind, "key": key, "added_by": actor_name(who)}
    try:
        parsed = EntityRecord.model_validate(data)
    except ValidationError as error:
        raise ProblemError(422, "invalid entity", kind="invalid-input", errors=[
            {"path": "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                   for p in e["loc"]), "message": e["msg"]}
            for e in error.errors()]) from None
    outcome = context(request).registry.edit_entity(parsed, actor_name(who))
    return {"result": outcome, "entity": parsed.uid}
