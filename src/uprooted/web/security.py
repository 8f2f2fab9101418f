"""What stands between the network and the store: a cap on request bodies and the tokens.

The body cap is an ASGI middleware, so it holds for every route, FastAPI's own included: a declared
``Content-Length`` over the cap is refused with 413 before anything is read, and a body sent in
chunks without one is read up to the cap before the route sees it, and refused past it. Writes need a token: the one
``uprooted serve --token`` was given, or a reviewer's from ``uprooted db token`` (whose name goes
into the audit log); reads need one only when ``serve_read_token`` says so.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sqlalchemy import Engine

from ..store.tokens import reviewer_for

__all__ = ["BodyLimit", "TokenCheck"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware refusing request bodies larger than ``limit`` bytes with 413."""

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.limit:
                await self._refuse(send)
                return
            await self.app(scope, receive, send)
            return
        # No declared length: read the body here, up to the cap, then hand it on whole. (An error
        # raised from inside the app's own read would reach the client as FastAPI's 400.)
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body larger than {self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class TokenCheck:
    """Who a bearer token belongs to: the server's own token, or a reviewer's from the store."""

    def __init__(self, engine: Engine, server_token: str) -> None:
        self.engine = engine
        self.server_token = server_token

    def reviewer(self, authorization: str | None) -> str | None:
        """The reviewer's name for a valid ``Authorization: Bearer`` header ("" for the server's
        token, which names no one), None when there is no valid token."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        token = authorization[7:].strip()
        if not token:
            return None
        if self.server_token and hmac.compare_digest(token.encode(), self.server_token.encode()):
            return ""
        return reviewer_for(self.engine, token)
