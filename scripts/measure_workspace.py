"""How long the web workspace's first page load takes on a reference store: the shared corpora
ingested and aggregated, ``uprooted serve`` on a free local port, Debian's chromium opening the page
a few times in fresh contexts (empty cache, as a first visit).

Reports the browser's navigation timing (DOMContentLoaded, load) and the moment the figures are on
the map and in the list (the page's ``uprooted-data-drawn`` mark), with the API's own answer time
for the figures, as the median of the runs. A measurement to run on purpose, not a test:

    python scripts/measure_workspace.py --shared ../shared            # builds the store in a temp folder
    python scripts/measure_workspace.py --db /path/store.sqlite       # an existing store
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = Path(sys.executable).parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build(shared: Path, folder: Path) -> str:
    db = str(folder / "store.sqlite")
    corpora = sorted(str(p) for p in (shared / "corpus").glob("*.jsonl"))
    started = time.monotonic()
    subprocess.run([str(BIN / "uprooted"), "-q", "ingest", "--db", db, "--no-progress", *corpora], check=False)
    subprocess.run([str(BIN / "uprooted"), "-q", "aggregate", "--db", db, "--no-progress"], check=True)
    print(f"store built from {len(corpora)} corpora in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--db", help="An existing store instead of building one from the shared corpora.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="uprooted-measure-") as tmp:
        db = args.db or _build(args.shared, Path(tmp))
        port = _port()
        server = subprocess.Popen([str(BIN / "uprooted"), "serve", "--db", db, "--port", str(port)],
                                  env=os.environ.copy(), stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(300):
                try:
                    httpx.get(url + "api/meta", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            started = time.monotonic()
            figures = httpx.get(url + "api/figures", params={"per_page": 5000}, timeout=120).json()
            api_ms = (time.monotonic() - started) * 1000
            runs = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = context.new_page()
                    page.goto(url)
                    page.wait_for_selector("body[data-loaded=true]", timeout=120_000)
                    runs.append(page.evaluate("""() => {
                        const nav = performance.getEntriesByType('navigation')[0];
                        const drawn = performance.getEntriesByName('uprooted-data-drawn')[0];
                        return {dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
                                data_drawn_ms: drawn.startTime};
                    }"""))
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    report = {"figures": figures["total"], "api_figures_ms": round(api_ms),
              **{k: round(statistics.median(r[k] for r in runs)) for k in runs[0]}, "runs": len(runs)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
