"""Reviewers' tokens for the web API's writes: ``uprooted db token NAME`` makes one and prints it
once; the store keeps only its SHA-256, so a copy of the store gives no one the right to write.
The reviewer's name travels with every decision made with the token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from .db import translate
from .models import ApiToken

__all__ = ["create_token", "reviewer_for", "revoke_tokens"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(engine: Engine, name: str) -> str:
    """A new random token for reviewer ``name``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    with translate(doing="write a token"), engine.begin() as conn:
        conn.execute(insert(ApiToken).values(name=name, token_hash=_digest(token), revoked=False,
                                             created_at=datetime.now(UTC).replace(tzinfo=None)))
    return token


def revoke_tokens(engine: Engine, name: str) -> int:
    """Revoke every token of reviewer ``name``; returns how many were still valid."""
    with translate(doing="revoke tokens"), engine.begin() as conn:
        done = conn.execute(update(ApiToken).where(ApiToken.name == name, ApiToken.revoked.is_(False))
                            .values(revoked=True))
        return int(done.rowcount or 0)


def reviewer_for(engine: Engine, token: str) -> str | None:
    """The reviewer a valid token belongs to, None for an unknown or revoked one."""
    with translate(doing="read the store"), engine.connect() as conn:
        return conn.execute(select(ApiToken.name).where(ApiToken.token_hash == _digest(token),
                                                        ApiToken.revoked.is_(False))).scalar()
