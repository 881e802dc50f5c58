"""Reading and writing the store: upserts in one transaction, search, assessments."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from comity.engine.results import Assessment
from comity.knowledge.entities import EntityRecord
from comity.knowledge.store.aliases import record_aliases, resolve, under_current_keys
from comity.knowledge.store.database import retry_when_locked, write_transaction
from comity.knowledge.store.schema import assessments, entities
from comity.knowledge.synonyms import expansions

BATCH_SIZE = 500
Progress = Callable[[int], None]


@dataclass(frozen=True)
class SearchHit:
    id: str
    type: str
    jurisdiction: str | None
    title: str
    citation: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "jurisdiction": self.jurisdiction,
                "title": self.title, "citation": self.citation, "snippet": self.snippet,
                "score": round(self.score, 4)}


class KnowledgeBase:
    """The store behind ``comity db``, ``comity search`` and stored assessments."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def upsert(self, records: Sequence[EntityRecord], progress: Progress | None = None
               ) -> tuple[int, int]:
        """Insert or update records by (type, key), all in one transaction.

        Returns (inserted, updated). If anything fails, nothing is written. The write is
        an ``INSERT ... ON CONFLICT DO UPDATE``, so two processes loading the same
        records at once both succeed.
        """
        return retry_when_locked(lambda: self._upsert(records, progress))

    def _upsert(self, records: Sequence[EntityRecord], progress: Progress | None
                ) -> tuple[int, int]:
        inserted = updated = 0
        now = _now()
        with write_transaction(self.engine) as connection:
            records = under_current_keys(connection, records)
            statement = _upsert_statement(connection)
            for start in range(0, len(records), BATCH_SIZE):
                batch = records[start:start + BATCH_SIZE]
                known = _existing_ids(connection, batch)
                connection.execute(statement, [_row(record, now) for record in batch])
                new = {(record.type, record.key) for record in batch} - set(known)
                inserted += len(new)
                updated += len(batch) - len(new)
                if progress:
                    progress(len(batch))
            record_aliases(connection, records)
        return inserted, updated

    def resolve(self, kind: str, key: str) -> str:
        """The current key of ``kind:key``: ``key`` itself unless it is an old key (alias)."""
        with self.engine.connect() as connection:
            return resolve(connection, kind, key)

    def entity(self, kind: str, key: str) -> EntityRecord | None:
        """One entity by type and key; an old key (alias) finds the renamed entity."""
        with self.engine.connect() as connection:
            current = resolve(connection, kind, key)
            row = connection.execute(select(entities).where(
                entities.c.type == kind, entities.c.key == current)).first()
        return None if row is None else _record(row._mapping)

    def records(self, types: Iterable[str] | None = None,
                jurisdiction: str | None = None) -> list[EntityRecord]:
        query = select(entities).order_by(entities.c.type, entities.c.key)
        if types:
            query = query.where(entities.c.type.in_(list(types)))
        if jurisdiction:
            query = query.where(entities.c.jurisdiction == jurisdiction)
        with self.engine.connect() as connection:
            return [_record(row._mapping) for row in connection.execute(query)]

    def counts(self) -> dict[str, int]:
        query = select(entities.c.type, func.count()).group_by(entities.c.type)
        with self.engine.connect() as connection:
            return {kind: count for kind, count in connection.execute(query)}

    def search(self, query: str, *, types: Iterable[str] | None = None,
               jurisdiction: str | None = None, status: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               limit: int = 20) -> list[SearchHit]:
        """Full-text search, best first (SQLite FTS5 bm25; PostgreSQL ts_rank).

        The query is searched as a phrase together with every name the glossary gives
        the concept it names (synonyms, other languages: ``knowledge.synonyms``). A
        multi-word query then falls back to its words, ranked below every phrase hit.
        PostgreSQL ranks with length normalisation (flag 1) so that a short title
        that names the term is not outranked by a long text that repeats it.
        """
        words = re.findall(r"\w+", query, flags=re.UNICODE)
        if not words:
            return []
        phrases = [found for phrase in expansions(query)
                   if (found := re.findall(r"\w+", phrase, flags=re.UNICODE))]
        hits = self._search(phrases, types, jurisdiction, status, date_from, date_to, limit)
        if len(words) > 1 and len(hits) < limit:
            seen = {hit.id for hit in hits}
            floor = min((hit.score for hit in hits), default=0.0)
            more = [hit for hit in self._search([words], types, jurisdiction, status, date_from,
                                                date_to, limit, as_words=True)
                    if hit.id not in seen]
            hits += [replace(hit, score=floor - 1.0 - index / (len(more) + 1))
                     for index, hit in enumerate(more[:limit - len(hits)])]
        return hits

    def _search(self, phrases: list[list[str]], types: Iterable[str] | None,
                jurisdiction: str | None, status: str | None, date_from: str | None,
                date_to: str | None, limit: int, as_words: bool = False) -> list[SearchHit]:
        """One query: any of the phrases (or, ``as_words``, all words of the first)."""
        filters, parameters = _filters(types, jurisdiction, status, date_from, date_to)
        parameters["limit"] = limit
        if self.engine.dialect.name == "sqlite":
            parameters["q"] = (" ".join(f'"{word}"' for word in phrases[0]) if as_words
                               else " OR ".join('"' + " ".join(p) + '"' for p in phrases))
            sql = ("SELECT e.type, e.key, e.jurisdiction, e.title, e.citation, "
                   "snippet(entities_fts, -1, '[', ']', '…', 16) AS snippet, "
                   "bm25(entities_fts, 10.0, 5.0, 1.0) AS score "
                   "FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid "
                   f"WHERE entities_fts MATCH :q{filters} ORDER BY score LIMIT :limit")
            flip = -1.0
        else:
            if as_words:
                parameters["p0"] = " ".join(phrases[0])
                query_sql = "plainto_tsquery('english', :p0)"
            else:
                parameters.update({f"p{i}": " ".join(p) for i, p in enumerate(phrases)})
                query_sql = " || ".join(f"phraseto_tsquery('english', :p{i})"
                                        for i in range(len(phrases)))
            sql = ("SELECT e.type, e.key, e.jurisdiction, e.title, e.citation, "
                   "ts_headline('english', coalesce(e.text, '') || ' ' || e.title, query.q, "
                   "'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet, "
                   "ts_rank(e.search_vector, query.q, 1) AS score "
                   f"FROM entities e, (SELECT {query_sql} AS q) AS query "
                   f"WHERE e.search_vector @@ query.q{filters} ORDER BY score DESC "
                   "LIMIT :limit")
            flip = 1.0
        with self.engine.connect() as connection:
            rows = connection.execute(text(sql), parameters).all()
        return [SearchHit(f"{r.type}:{r.key}", r.type, r.jurisdiction, r.title, r.citation,
                          r.snippet or "", flip * float(r.score)) for r in rows]

    def save_assessment(self, assessment: Assessment, profile: dict[str, Any]) -> int:
        """Store a result pinned to its input hash and rulebook version (idempotent)."""
        return self.save_assessments([(assessment, profile)])[0]

    def save_assessments(self, items: Sequence[tuple[Assessment, dict[str, Any]]]
                         ) -> list[int]:
        """Store several results in one transaction: all of them, or none.

        Idempotent: a result with the same input hash, rulebook version and date is
        stored once (``ON CONFLICT DO NOTHING``), and its existing id is returned.
        """
        return retry_when_locked(lambda: self._save_assessments(items))

    def _save_assessments(self, items: Sequence[tuple[Assessment, dict[str, Any]]]
                          ) -> list[int]:
        now = _now()
        ids: list[int] = []
        with write_transaction(self.engine) as connection:
            insert = _insert_for(connection)
            statement = insert(assessments).on_conflict_do_nothing(
                index_elements=["input_hash", "rulebook_version", "as_of"])
            for assessment, profile in items:
                connection.execute(statement, {
                    "profile_id": assessment.profile_id, "input_hash": assessment.input_hash,
                    "rulebook_version": assessment.rulebook_version,
                    "as_of": assessment.as_of.isoformat(),
                    "profile": json.dumps(profile, sort_keys=True),
                    "result": json.dumps(assessment.to_dict(with_trace=True)),
                    "created_at": now})
                pin = and_(assessments.c.input_hash == assessment.input_hash,
                           assessments.c.rulebook_version == assessment.rulebook_version,
                           assessments.c.as_of == assessment.as_of.isoformat())
                ids.append(int(connection.execute(select(assessments.c.id).where(pin))
                               .scalar_one()))
        return ids

    def stored_assessment(self, assessment_id: int) -> dict[str, Any] | None:
        """One stored assessment with its profile and result (parsed JSON), or None."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(assessments).where(assessments.c.id == assessment_id)).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data["profile"] = json.loads(data["profile"])
        data["result"] = json.loads(data["result"])
        return data

    def stored_assessments(self) -> list[dict[str, Any]]:
        query = select(assessments.c.id, assessments.c.profile_id, assessments.c.input_hash,
                       assessments.c.rulebook_version, assessments.c.as_of,
                       assessments.c.created_at).order_by(assessments.c.id)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]


def _filters(types: Iterable[str] | None, jurisdiction: str | None, status: str | None,
             date_from: str | None, date_to: str | None) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    parameters: dict[str, Any] = {}
    for index, kind in enumerate(types or []):
        parameters[f"type{index}"] = kind
    if parameters:
        clauses.append("e.type IN (" + ", ".join(f":{k}" for k in parameters) + ")")
    if jurisdiction:
        clauses.append("e.jurisdiction = :jurisdiction")
        parameters["jurisdiction"] = jurisdiction
    if status:
        clauses.append("e.status = :status")
        parameters["status"] = status
    if date_from:
        clauses.append("e.date >= :date_from")
        parameters["date_from"] = date_from
    if date_to:
        clauses.append("e.date <= :date_to")
        parameters["date_to"] = date_to
    return "".join(f" AND {clause}" for clause in clauses), parameters


def _insert_for(connection: Connection) -> Any:
    """The dialect's ``insert`` (the one with ``on_conflict_do_*``)."""
    return sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert


def _upsert_statement(connection: Connection) -> Any:
    statement = _insert_for(connection)(entities)
    columns = [c.name for c in entities.columns if c.name not in ("id", "type", "key")]
    return statement.on_conflict_do_update(
        index_elements=["type", "key"],
        set_={name: statement.excluded[name] for name in columns})


def _existing_ids(connection: Connection, batch: Sequence[EntityRecord]
                  ) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    by_type: dict[str, list[str]] = {}
    for record in batch:
        by_type.setdefault(record.type, []).append(record.key)
    for kind, keys in by_type.items():
        query = select(entities.c.id, entities.c.key).where(
            entities.c.type == kind, entities.c.key.in_(keys))
        for row in connection.execute(query):
            found[(kind, row.key)] = row.id
    return found


def _row(record: EntityRecord, now: str) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    data["body"] = json.dumps(data["body"], ensure_ascii=False, sort_keys=True)
    data["added_at"] = record.added_at or now
    return data


def _record(row: Any) -> EntityRecord:
    data = {key: row[key] for key in ("type", "key", "jurisdiction", "title", "citation",
                                      "status", "date", "source_url", "text", "added_by",
                                      "added_at")}
    data["body"] = json.loads(row["body"])
    return EntityRecord.model_validate(data)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
