"""The register of saved systems, API tokens and the append-only audit log.

Each saved system keeps every assessment saved for it (rulebook version, input hash,
who and when); assessments themselves live in the ``assessments`` table, pinned and
deduplicated by :meth:`KnowledgeBase.save_assessment`. Every write made through the
register appends one audit entry in the same transaction, so a write without its
audit entry cannot happen.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from comity.engine.results import Assessment
from comity.knowledge.entities import EntityRecord
from comity.knowledge.store.aliases import record_aliases, under_current_keys
from comity.knowledge.store.database import write_transaction
from comity.knowledge.store.repository import KnowledgeBase
from comity.knowledge.store.schema import assessments, entities, metadata

ROLES = ("reader", "editor", "admin")
TOKEN_PREFIX = "comity_"

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(80), nullable=False),
    Column("target", String(200), nullable=False),
    Column("before_hash", String(64)),
    Column("after_hash", String(64)),
    Column("detail", Text, nullable=False),
)

systems = Table(
    "systems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200), nullable=False),
)

system_assessments = Table(
    "system_assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("system_id", Integer, ForeignKey("systems.id"), nullable=False),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False),
    Column("saved_at", String(32), nullable=False),
    Column("saved_by", String(200), nullable=False),
)


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a token's name and role."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        """True when this principal's role is ``role`` or above (reader < editor < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class SavedEntry:
    """One assessment in a system's history."""

    entry: int
    assessment_id: int
    rulebook_version: str
    input_hash: str
    as_of: str
    saved_at: str
    saved_by: str

    def to_dict(self) -> dict[str, Any]:
        return {"entry": self.entry, "assessment": self.assessment_id,
                "rulebook": self.rulebook_version, "input_hash": self.input_hash,
                "as_of": self.as_of, "saved_at": self.saved_at, "saved_by": self.saved_by}


def content_hash(value: Any) -> str:
    """SHA-256 of canonical JSON: the before/after fingerprint in audit entries."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def token_hash(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 cannot be reversed or guessed.
    return hashlib.sha256(token.encode()).hexdigest()


class Registry:
    """Systems, tokens and audit entries in the knowledge-base store."""

    def __init__(self, store: KnowledgeBase) -> None:
        self.store = store
        self.engine = store.engine

    # tokens -------------------------------------------------------------------------
    def create_token(self, role: str, name: str, actor: str = "cli") -> str:
        """Store a new token's hash and return the token (the only time it is seen)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; allowed: {', '.join(ROLES)}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        digest = token_hash(token)
        with write_transaction(self.engine) as connection:
            connection.execute(insert(api_tokens).values(
                name=name, role=role, token_hash=digest, created_at=_now()))
            _audit(connection, actor, "token.create", f"token:{name}", None,
                   content_hash({"name": name, "role": role, "hash": digest}),
                   {"role": role})
        return token

    def principal(self, token: str) -> Principal | None:
        """The principal a token stands for, or None if unknown or revoked."""
        query = select(api_tokens.c.name, api_tokens.c.role).where(
            api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked_at.is_(None))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return Principal(row.name, row.role) if row else None

    # audit --------------------------------------------------------------------------
    def audit_entries(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first."""
        query = (select(audit_log).order_by(audit_log.c.id.desc())
                 .limit(limit).offset(offset))
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    def audit_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(audit_log))
                       .scalar_one())

    # knowledge base -----------------------------------------------------------------
    def edit_entity(self, record: EntityRecord, actor: str) -> str:
        """Insert or replace one knowledge-base entity; returns "added" or "updated"."""
        with write_transaction(self.engine) as connection:
            record = under_current_keys(connection, [record])[0]  # an old key: the entity
            row = record.model_dump(mode="json")
            row["body"] = json.dumps(row["body"], ensure_ascii=False, sort_keys=True)
            row["added_at"] = record.added_at or _now()
            where = (entities.c.type == record.type, entities.c.key == record.key)
            found = connection.execute(select(entities).where(*where)).first()
            before = None
            if found is None:
                connection.execute(insert(entities).values(**row))
            else:
                previous = dict(found._mapping)
                previous.pop("id", None)
                previous.pop("search_vector", None)
                before = content_hash(previous)
                connection.execute(update(entities).where(*where).values(**row))
            record_aliases(connection, [record])
            _audit(connection, actor, "entity.edit", f"{record.type}:{record.key}"[:200],
                   before, content_hash(row), {"title": record.title})
        return "added" if before is None else "updated"

    # systems ------------------------------------------------------------------------
    def save_system(self, assessment: Assessment, profile: dict[str, Any],
                    actor: str) -> SavedEntry:
        """Save an assessed profile under its id: create the system or extend its history."""
        assessment_id = self.store.save_assessment(assessment, profile)
        key = assessment.profile_id
        now = _now()
        with write_transaction(self.engine) as connection:
            system = connection.execute(
                select(systems.c.id).where(systems.c.key == key)).scalar()
            before = None
            if system is None:
                created = connection.execute(insert(systems).values(
                    key=key, name=assessment.profile_name, created_at=now, created_by=actor))
                system = created.inserted_primary_key[0]  # type: ignore[index]
            else:
                latest = _latest_result(connection, int(system))
                before = content_hash(latest) if latest is not None else None
            entry = connection.execute(insert(system_assessments).values(
                system_id=system, assessment_id=assessment_id, saved_at=now, saved_by=actor))
            result = assessment.to_dict(with_trace=True)
            _audit(connection, actor, "system.save", f"system:{key}", before,
                   content_hash(result),
                   {"assessment": assessment_id, "rulebook": assessment.rulebook_version,
                    "input_hash": assessment.input_hash})
            entry_id = int(entry.inserted_primary_key[0])  # type: ignore[index]
        return SavedEntry(entry_id, assessment_id, assessment.rulebook_version,
                          assessment.input_hash, assessment.as_of.isoformat(), now, actor)

    def systems(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        query = select(systems).order_by(systems.c.key).limit(limit).offset(offset)
        with self.engine.connect() as connection:
            found = [dict(row._mapping) for row in connection.execute(query)]
            for system in found:
                history = _history(connection, system["id"])
                system["assessments"] = len(history)
                system["latest"] = history[-1].to_dict() if history else None
        for system in found:
            del system["id"]
        return found

    def system_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(systems))
                       .scalar_one())

    def system(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(systems).where(systems.c.key == key)).first()
            if row is None:
                return None
            data = dict(row._mapping)
            data["history"] = [e.to_dict() for e in _history(connection, data.pop("id"))]
        return data

    def saved(self, key: str, entry: int | None = None
              ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(profile, result) of one history entry of a system (default: the latest)."""
        with self.engine.connect() as connection:
            system = connection.execute(
                select(systems.c.id).where(systems.c.key == key)).scalar()
            if system is None:
                return None
            query = (select(assessments.c.profile, assessments.c.result)
                     .join(system_assessments,
                           system_assessments.c.assessment_id == assessments.c.id)
                     .where(system_assessments.c.system_id == system))
            if entry is not None:
                query = query.where(system_assessments.c.id == entry)
            row = connection.execute(
                query.order_by(system_assessments.c.id.desc()).limit(1)).first()
        if row is None:
            return None
        return json.loads(row.profile), json.loads(row.result)


def _history(connection: Connection, system_id: int) -> list[SavedEntry]:
    query = (select(system_assessments.c.id, system_assessments.c.assessment_id,
                    system_assessments.c.saved_at, system_assessments.c.saved_by,
                    assessments.c.rulebook_version, assessments.c.input_hash,
                    assessments.c.as_of)
             .join(assessments, assessments.c.id == system_assessments.c.assessment_id)
             .where(system_assessments.c.system_id == system_id)
             .order_by(system_assessments.c.id))
    return [SavedEntry(r.id, r.assessment_id, r.rulebook_version, r.input_hash, r.as_of,
                       r.saved_at, r.saved_by) for r in connection.execute(query)]


def _latest_result(connection: Connection, system_id: int) -> Any:
    query = (select(assessments.c.result)
             .join(system_assessments, system_assessments.c.assessment_id == assessments.c.id)
             .where(system_assessments.c.system_id == system_id)
             .order_by(system_assessments.c.id.desc()).limit(1))
    found = connection.execute(query).scalar()
    return json.loads(found) if found is not None else None


def _audit(connection: Connection, actor: str, action: str, target: str,
           before: str | None, after: str | None, detail: dict[str, Any]) -> None:
    connection.execute(insert(audit_log).values(
        at=_now(), actor=actor, action=action, target=target, before_hash=before,
        after_hash=after, detail=json.dumps(detail, sort_keys=True)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
