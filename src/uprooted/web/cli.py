"""``uprooted serve``: the web workspace and API on a local port, over the store.

Importing this module costs Typer only; FastAPI and uvicorn load inside the command, which first
checks that the ``web`` extra is installed, else prints how to install it and exits 2. The server
listens on 127.0.0.1 unless told otherwise: the API's writes need a token, but nothing here speaks
TLS, so a wider audience belongs behind a proxy that does.
"""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import UprootedError
from . import INSTALL_HINT, missing_extra

__all__ = ["register"]

err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def serve(
    db: Annotated[str | None, typer.Option("--db", help="The store: a SQLite file or a SQLAlchemy URL; "
                                                        "default from the settings.")] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8765).")] = None,
    token: Annotated[str | None, typer.Option(help="Token that lets review writes in (also "
                                                   "UPROOTED_SERVE_TOKEN; reviewers' own: `uprooted db token`).",
                                              envvar="UPROOTED_SERVE_TOKEN", show_envvar=False)] = None,
    read_token: Annotated[bool | None, typer.Option("--read-token/--open-reads",
                                                    help="Ask for a token on reads too.")] = None,
) -> None:
    """Serve the web workspace (map, timeline, evidence, review) and the API over the store."""
    missing = missing_extra()
    if missing:
        _fail(f"the web workspace needs the 'web' extra ({', '.join(missing)} not installed): {INSTALL_HINT}")
    import uvicorn

    from ..settings import load_settings
    from ..store.db import check, open_store, store_url
    from .app import create_app

    try:
        settings = load_settings(serve_host=host, serve_port=port, serve_read_token=read_token)
        engine = open_store(store_url(settings, db))
        check(engine)
    except UprootedError as exc:
        _fail(str(exc))
    app = create_app(engine, settings, token=token or "")
    writes = "" if token or settings.serve_token else "; no --token: writes need a reviewer's token"
    err.print(f"uprooted workspace on http://{settings.serve_host}:{settings.serve_port}/ (API docs at /docs){writes}",
              highlight=False, soft_wrap=True, markup=False)
    uvicorn.run(app, host=settings.serve_host, port=settings.serve_port, log_level="warning",
                server_header=False, access_log=False)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the main app."""
    app.command()(serve)
