"""Tests of the store: ingest, reprocess, decisions and exports on SQLite and PostgreSQL."""
