"""Reconcile a corpus through the store, as an analyst would: ingest, aggregate, export JSONL.

    python scripts/aggregate_store.py ../shared/corpus/aggregate-dev.jsonl -o /tmp/export.jsonl
    python3 ../shared/eval/score_groups.py ../shared/corpus/aggregate-dev.jsonl --pred /tmp/export.jsonl

Runs ``uprooted ingest``, ``uprooted aggregate`` and ``uprooted export --format jsonl`` on a new SQLite
store in a temporary folder (``--db`` to keep one), each as its own process, so it checks the commands
end to end; ``scripts/aggregate_corpus.py`` gives the same verdicts without a store. The store knows a
document by its canonical URL: two lines of one URL are one document (the same text) or two versions
of it (the newer counts), so the script says which input ids the export lacks and how many gold
figures went with them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def _run(*args: str) -> None:
    uprooted = Path(sys.executable).with_name("uprooted")
    done = subprocess.run([str(uprooted), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"uprooted {args[0]} failed ({done.returncode}):\n{done.stderr}")
    if done.stderr.strip():
        print(f"{args[0]}: {done.stderr.strip().splitlines()[-1]}", file=sys.stderr)


def _lines(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def missing_documents(corpus: Path, export: Path) -> list[tuple[str, int]]:
    """(input id, its gold figures) of the corpus documents with figures that the export has no figure of,
    for those whose extraction gave some: what a collapse of two lines into one document would lose."""
    exported = {str(r["doc_id"]) for r in _lines(export) if r.get("type") == "figure"}
    return [(str(d["id"]), len(d.get("figures") or [])) for d in _lines(corpus)  # type: ignore[arg-type]
            if d.get("figures") and str(d["id"]) not in exported]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--db", help="the store to use (default: a new SQLite file, removed afterwards)")
    ap.add_argument("--authority", type=Path, help="your own source ranking (see data/authority.yaml)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="uprooted-store-") as tmp:
        db = a.db or f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        _run("ingest", "--db", db, "--no-progress", str(a.corpus))
        _run("aggregate", "--db", db, "--no-progress", *(["--authority", str(a.authority)] if a.authority else []))
        _run("export", "--db", db, "--format", "jsonl", "-o", str(a.output))
    lost = missing_documents(a.corpus, a.output)
    for doc_id, n in lost:
        print(f"no figure exported for {doc_id} ({n} gold figure(s)): not extracted, or one stored "
              "document with another line of its URL", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
