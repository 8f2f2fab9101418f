"""CPU cost of extraction per document and per 1,000 characters, corpus by corpus, in the default mode
and under ``--skip-irrelevant``: the per-document figures behind ``docs/scale.md``.

    python benchmarks/doc_costs.py --shared ../shared [--corpora geo-gwn,geo-trnews,idmc]

Not a test (pytest never collects it). One process, one worker (``workers = 1``), resources loaded
and warmed before the clock starts; the clock is this process's CPU time (``time.process_time``),
which moves little when other work shares the machine, unlike wall time. Reported per corpus and
mode: documents, mean characters, CPU milliseconds per document and per 1,000 characters, and the
share of documents the classifier calls relevant (their ``document`` record's ``relevant``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import Document
from uprooted.resources import load_resources
from uprooted.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--corpora", default="geo-gwn,geo-trnews,idmc")
    a = ap.parse_args()
    corpora = {}
    for name in a.corpora.split(","):
        with (Path(a.shared) / "corpus" / f"{name}.jsonl").open(encoding="utf-8") as f:
            corpora[name] = [InputDoc.model_validate(json.loads(line)) for line in f]
    one, five, fifteen = os.getloadavg()
    print(f"load average: {one:.2f} {five:.2f} {fifteen:.2f}")
    print(f"{'corpus':<12} {'mode':<16} {'docs':>5} {'chars':>6} {'ms/doc':>7} {'ms/kchar':>9} {'relevant':>9}")
    for skip in (False, True):
        res = load_resources(load_settings(skip_irrelevant=skip, workers=1))
        res.gazetteer()
        for _ in extract_docs(next(iter(corpora.values()))[:20], res):  # warm-up
            pass
        for name, docs in corpora.items():
            started = time.process_time()
            relevant = 0
            for _, records in extract_docs(docs, res):
                relevant += any(isinstance(r, Document) and r.relevant for r in records)
            cpu = time.process_time() - started
            chars = sum(len(d.text) for d in docs)
            print(f"{name:<12} {'skip-irrelevant' if skip else 'default':<16} {len(docs):5d} "
                  f"{chars // len(docs):6d} {1000 * cpu / len(docs):7.1f} {1000 * cpu / (chars / 1000):9.1f} "
                  f"{relevant / len(docs):9.0%}")


if __name__ == "__main__":
    main()
