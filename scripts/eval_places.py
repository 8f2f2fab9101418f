"""Run the place resolver over a corpus and write place records, to score with eval/score.py.

    python scripts/eval_places.py ../shared/corpus/geo-gwn.jsonl > /tmp/gwn.places.jsonl
    python ../shared/eval/score.py ../shared/corpus/geo-gwn.jsonl --pred /tmp/gwn.places.jsonl

A measuring script, not a test: it loads the spaCy pipeline and the default gazetteer (building it on
first use) and prints the documents per second of parsing and of resolution to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

from uprooted.places.gazetteer import Gazetteer
from uprooted.places.resolve import resolve_places
from uprooted.resources import load_resources
from uprooted.settings import load_settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--gazetteer", type=Path, default=None)
    ap.add_argument("--debug", action="store_true", help="add the reason for each choice")
    args = ap.parse_args()
    settings = load_settings()
    nlp = spacy.load(settings.spacy_model)
    res = load_resources(settings)
    gaz = Gazetteer.open(args.gazetteer) if args.gazetteer else res.gazetteer()
    docs = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    t0 = time.perf_counter()
    parsed = list(nlp.pipe((d.get("text") or "" for d in docs), batch_size=32))
    t1 = time.perf_counter()
    out = []
    for d, doc in zip(docs, parsed, strict=True):
        for rp in resolve_places(doc, gaz, d.get("published"), doc_id=str(d["id"]), calendar=res.vocab["calendar"]):
            rec = rp.place.model_dump(mode="json")
            if args.debug:
                rec["reason"] = rp.place.reason
            out.append(json.dumps(rec, ensure_ascii=False))
    t2 = time.perf_counter()
    sys.stdout.write("\n".join(out) + "\n")
    print(f"{len(docs)} docs: parse {len(docs) / (t1 - t0):.1f} docs/s, resolve adds "
          f"{100 * (t2 - t1) / (t1 - t0):.1f}% ({t2 - t1:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
