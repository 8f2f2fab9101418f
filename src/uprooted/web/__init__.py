"""The web workspace and API (``uprooted serve``): a FastAPI application over the store, with the
one-page workspace (map, list, timeline, evidence, review, triage, paste box) it serves.

An optional extra (``uprooted[web]``, which brings the store's): nothing here imports FastAPI at
import time, so ``import uprooted`` and the command line stay light; ``missing_extra`` tells the
command line what to install when it is absent. The modules: ``app`` (routes), ``queries`` (what
the routes read), ``security`` (body cap, tokens), ``extract`` (the paste box), ``cli`` (``serve``).
The page's own script and styles are in ``static/``; the libraries it uses (Leaflet, the Natural
Earth countries of world-atlas) are copied into ``static/vendor/`` from npm by ``make setup``.
"""

from __future__ import annotations

from ..store import absent

__all__ = ["INSTALL_HINT", "missing_extra"]

INSTALL_HINT = "pip install 'uprooted[web]'"

_NEEDED = ("fastapi", "uvicorn", "sqlalchemy", "alembic")


def missing_extra() -> list[str]:
    """The workspace's libraries that are not installed (probed without importing them)."""
    return [name for name in _NEEDED if absent(name)]
