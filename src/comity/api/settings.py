"""What an API process is configured with (from ``comity serve`` options or a test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Default request size limit: a profile is a few KiB; a large portfolio well under this.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ApiSettings:
    """``db_url`` None means ``$COMITY_DB`` or the default SQLite file."""

    db_url: str | None = None
    rules_folder: Path | None = None
    #: Reading (assess, rules, search, ...) without a token; writes always need one.
    open_reading: bool = True
    max_body_bytes: int = MAX_BODY_BYTES
    #: Origins allowed to call the API from a browser; empty: CORS off.
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    #: Load the shipped knowledge content when the store is empty (``comity serve``).
    seed_empty_store: bool = True
