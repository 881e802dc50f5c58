"""The knowledge-base store: SQLite by default, PostgreSQL when a URL says so.

Interfaces call this package; the domain core (profile, rulebook, engine, compare)
never imports it.
"""

#: The environment variable that names the store (a SQLAlchemy URL). Defined here, not
#: in ``database``, so the CLI can declare its options without importing SQLAlchemy.
DB_ENVIRONMENT_VARIABLE = "COMITY_DB"
