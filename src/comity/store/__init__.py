"""The knowledge-base store: SQLite by default, PostgreSQL when a URL says so.

Interfaces call this package; the domain core (profile, rulebook, engine, compare)
never imports it.
"""
