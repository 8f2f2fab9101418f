"""The store's tables as SQLAlchemy 2 models: documents (each version of a page), the records
extraction gave them, per-document errors and the analysts' decisions.

Records are kept whole as their FORMAT.md JSON (``record``), so an export writes exactly what
``extract`` wrote; the columns beside it are the ones filters and exports read. ``group``,
``recommended``, ``why`` and ``contradiction`` on figures are filled by ``aggregate``, not here.
Decisions point at a record's stable key, not at its row: reprocessing replaces the rows, the
decision stays attached. The Alembic migrations in ``migrations/`` must say the same as these models
(a test compares them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ApiToken", "Base", "Decision", "DocumentRow", "EventRow", "FigureRow", "IngestError", "PlaceRow"]


class Base(DeclarativeBase):
    """The declarative base of the store's tables."""


class DocumentRow(Base):
    """One version of one document: ``key`` (canonical URL, path or id) and ``content_hash`` make it
    unique, so ingesting the same text again finds it; a changed text is a new row linked to the
    one it replaces (``previous_id``), and only the newest is ``current``."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("key", "content_hash", name="uq_document_key_hash"),
                      Index("ix_document_key_current", "key", "current"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), nullable=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    doc_id: Mapped[str] = mapped_column(Text, index=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[str | None] = mapped_column(String(10), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    relevant: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    category: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[str] = mapped_column(String(8))  # ok | error
    extractor_version: Mapped[str] = mapped_column(String(64))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    processed_at: Mapped[datetime] = mapped_column(DateTime)


class FigureRow(Base):
    """One figure record of a document version."""

    __tablename__ = "figure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[str] = mapped_column(Text)
    stable_key: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    term: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    date_start: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    projection: Mapped[bool] = mapped_column(Boolean, default=False)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    group: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    recommended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    why: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The group's figures of one moment that disagree beyond the margin, when any: flagged, never averaged.
    contradiction: Mapped[str | None] = mapped_column(Text, nullable=True)


class EventRow(Base):
    """One event record of a document version."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[str] = mapped_column(Text)
    stable_key: Mapped[str] = mapped_column(String(40), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    sub_event_type: Mapped[str] = mapped_column(String(60))
    date_start: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlaceRow(Base):
    """One place record of a document version (exports read a location's admin-1 from it)."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    geonameid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name: Mapped[str | None] = mapped_column(Text, nullable=True)
    iso3: Mapped[str | None] = mapped_column(String(3), nullable=True)
    admin1: Mapped[str | None] = mapped_column(Text, nullable=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class IngestError(Base):
    """The last failure of a document that could not be read or processed, until it goes through."""

    __tablename__ = "ingest_error"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, index=True)
    doc_id: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(String(32), nullable=True)
    extractor_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Decision(Base):
    """An analyst's accept, reject or edit of a figure or an event, or a merge or split of its group,
    keyed by the record's stable key (document key, sentence, wording), so it outlives reprocessing
    and new versions of the page. Rows are only ever added: with ``previous`` (what stood before the
    decision) they are the audit log of the review."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(8))  # figure | event
    target_key: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(8))  # accept | reject | edit | merge | split
    edit: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    analyst: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiToken(Base):
    """A reviewer's token for the web API's writes (``uprooted db token``): only its SHA-256 is kept,
    and the reviewer's name goes into the decisions made with it."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
