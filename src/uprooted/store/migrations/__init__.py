"""Alembic migrations of the store's schema, shipped in the package so `uprooted db upgrade` runs
them on any installed copy; one file a revision under ``versions/``."""
