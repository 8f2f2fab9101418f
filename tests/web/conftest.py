"""Fixtures of the web workspace's tests: a real store filled by ingesting invented texts, a real
``uprooted serve`` process on a free loopback port, and Debian's chromium driven by Playwright.

The server runs as the command line starts it (a subprocess), so the tests go through uvicorn, the
middleware and the routes as a user's browser does. Chromium is the machine's (``apt-get install
chromium``; ``.ci/run`` installs it), never a browser Playwright downloads: without it the browser
cases are skipped with the reason. Screenshots of each view are kept in ``test-artifacts/web/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from uprooted.reconcile import load_rules
from uprooted.resources import Resources
from uprooted.store.aggregate import aggregate
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import StoreTally, ingest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "test-token-of-the-review-desk"
SEED = ROOT.parent / "shared" / "corpus" / "seed.jsonl"

# Invented reports: two of one flood (so they form a group), one landslide, and one whose sentence
# carries markup that must never run in the page.
HOSTILE = ('<script>window.__pwned = "script"</script><img src="x" onerror="window.__pwned = \'img\'">'
           '<a href="javascript:window.__pwned = \'link\'">more</a>')
DOCS: list[dict[str, Any]] = [
    {"id": "w1", "published": "2024-05-09",
     "text": "Storms forced 3,000 people to flee their homes in Tartu, Estonia on Monday, officials said."},
    {"id": "w2", "published": "2024-05-12",
     "text": "The regional governor said 3,400 people had fled their homes in Tartu, Estonia since the storms began."},
    {"id": "w3", "published": "2023-07-01", "text": "Landslides left 450 people homeless in Bhutan in June 2023."},
    {"id": "w4", "published": "2024-02-20",
     "text": f"Floods forced 1,200 people to leave their homes in Narva, Estonia on Sunday {HOSTILE}, the mayor said."},
    {"id": "w5", "published": "2024-03-02",
     "text": "Armed men attacked a village near Paramaribo, Suriname last week and clashes with soldiers "
             "displaced about 800 families."},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_store(path: Path, docs_file: Path, res: Resources) -> str:
    """A SQLite store at ``path`` holding the documents of ``docs_file``, aggregated."""
    url = f"sqlite:///{path}"
    engine = open_store(url)
    upgrade(engine)
    ingest(engine, [str(docs_file)], res, StoreTally())
    aggregate(engine, load_rules())
    engine.dispose()
    return url


@dataclass
class Server:
    """A running ``uprooted serve``: its base URL, the store it serves, its process."""

    url: str
    db: str
    process: subprocess.Popen[bytes]

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def start_server(db: str, *extra: str, env: dict[str, str] | None = None) -> Server:
    """``uprooted serve`` on a free port, once it answers."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "uprooted"), "serve", "--db", db, "--port", str(port), *extra]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uprooted serve exited {process.returncode}: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            if httpx.get(url + "/api/meta", timeout=2).status_code in (200, 401):
                return Server(url, db, process)
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(Server(url, db, process))
    raise RuntimeError("uprooted serve did not answer within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def store_db(tmp_path_factory: pytest.TempPathFactory, res: Resources) -> str:
    folder = tmp_path_factory.mktemp("web-store")
    docs = folder / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    return make_store(folder / "store.sqlite", docs, res)


@pytest.fixture(scope="session")
def server(store_db: str) -> Iterator[Server]:
    """The workspace over the invented store, writes open to ``TOKEN``."""
    running = start_server(store_db, "--token", TOKEN)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def page_server(tmp_path_factory: pytest.TempPathFactory, res: Resources) -> Iterator[Server]:
    """The workspace over a store of its own for the browser cases, whose reviews the API cases
    do not see."""
    folder = tmp_path_factory.mktemp("page-store")
    docs = folder / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    running = start_server(make_store(folder / "store.sqlite", docs, res), "--token", TOKEN)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory: pytest.TempPathFactory, res: Resources) -> Iterator[Server]:
    """The workspace over a store holding the shared seed document (read at test time, not copied)."""
    if not SEED.is_file():
        pytest.skip(f"no seed document at {SEED}")
    folder = tmp_path_factory.mktemp("seed-store")
    running = start_server(make_store(folder / "store.sqlite", SEED, res))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium to run the browser cases")
    vendor = ROOT / "src" / "uprooted" / "web" / "static" / "vendor" / "leaflet.js"
    assert vendor.is_file(), "the page's libraries are not built: run make web-assets (needs npm)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own storage) that records script errors; 1400x900 like an analyst's screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
