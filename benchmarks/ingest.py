"""Speed of ``ingest`` (into a fresh store) against ``extract --format jsonl`` on the same stream.

    python benchmarks/ingest.py --shared ../shared [--repeat 2] [--db postgresql+psycopg://...]

Not a test (pytest never collects it). Both run in this process on the reference stream
(geo-gwn, geo-trnews and idmc, read from their JSONL files as the commands read them), after a
warm-up that extracts it once: the extract side reads, extracts and writes JSONL to a file; the
ingest side reads, looks each document up, extracts and commits it with its records. The store
must not be the bottleneck: the ratio ingest / extract is the figure to watch (target: 1.10 or
less). Runs alternate which goes first; the best of each is kept. Two documents of the stream with
one URL and one text are one document in the store. Prints the commit, the times and the ratio,
and the share of an ingest spent in the store's lookups and writes (steady when the machine is not).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from uprooted.batch import Tally, unique_inputs
from uprooted.output import JsonlWriter
from uprooted.pipeline import extract_docs
from uprooted.read import iter_inputs
from uprooted.resources import load_resources
from uprooted.settings import load_settings
from uprooted.store import ingest as store_ingest
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import StoreTally, ingest

ROOT = Path(__file__).resolve().parent.parent
STREAM = ("geo-gwn.jsonl", "geo-trnews.jsonl", "idmc.jsonl")


def time_store_calls() -> list[float]:
    """Wrap the ingest loop's two database calls (the lookup before extraction, the write after) to
    add up their time: the store's own share of an ingest, whatever else the machine is doing."""
    spent = [0.0]
    for name in ("_is_stored", "write_document"):
        original = getattr(store_ingest, name)

        def timed(*args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        setattr(store_ingest, name, timed)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--db", help="a PostgreSQL URL of an empty database to ingest into (default: SQLite files)")
    args = parser.parse_args()
    targets = [str(args.shared / "corpus" / name) for name in STREAM]
    res = load_resources(load_settings())
    res.gazetteer()
    work = Path(tempfile.mkdtemp(prefix="uprooted-bench-"))

    def run_extract(n: int) -> float:
        started = time.perf_counter()
        with (work / f"extract-{n}.jsonl").open("w", encoding="utf-8") as out:
            writer = JsonlWriter(out)

            def inputs():  # type: ignore[no-untyped-def]
                for target in targets:
                    yield from iter_inputs(target, res.settings)

            for _, records in extract_docs(unique_inputs(inputs(), set(), Tally()), res):
                writer.write(records)
        return time.perf_counter() - started

    def run_ingest(n: int) -> tuple[float, int]:
        url = args.db or f"sqlite:///{work / f'store-{n}.sqlite'}"
        engine = open_store(url)
        upgrade(engine)
        tally = StoreTally()
        spent[0] = 0.0
        started = time.perf_counter()
        ingest(engine, targets, res, tally)
        elapsed = time.perf_counter() - started
        store_share.append(spent[0] / elapsed)
        engine.dispose()
        if args.db:
            with open_store(url).begin() as conn:
                conn.exec_driver_sql("TRUNCATE document, figure, event, place, ingest_error CASCADE")
        return elapsed, tally.documents

    spent = time_store_calls()
    run_extract(-1)  # warm-up on the whole stream: lazy resources and the caches of text helpers
    extract_times, ingest_times, documents = [], [], 0
    store_share: list[float] = []
    for n in range(args.repeat):  # alternating which goes first, so neither always runs on warmer caches
        if n % 2:
            took, documents = run_ingest(n)
            extract_times.append(run_extract(n))
        else:
            extract_times.append(run_extract(n))
            took, documents = run_ingest(n)
        ingest_times.append(took)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    best_extract, best_ingest = min(extract_times), min(ingest_times)
    print(f"commit {commit.stdout.strip() or '?'}: {documents} documents; extract --format jsonl {best_extract:.1f} s "
          f"({documents / best_extract:.1f} docs/s), ingest {best_ingest:.1f} s ({documents / best_ingest:.1f} "
          f"docs/s); ingest / extract = {best_ingest / best_extract:.3f} "
          f"(runs: extract {', '.join(f'{t:.1f}' for t in extract_times)}; "
          f"ingest {', '.join(f'{t:.1f}' for t in ingest_times)}); store lookups and writes "
          f"{max(store_share):.1%} of an ingest at most")


if __name__ == "__main__":
    main()
