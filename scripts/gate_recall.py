"""Recall of the relevance gate on labelled displacement documents, and how much it lets through.

    python scripts/gate_recall.py --shared ../shared

A document with at least one gold figure must pass the gate (``--skip-irrelevant`` never parses one
that fails it), so recall is over those documents; the corpora without figures (news, geoparsing
sets) show how much of an ordinary feed passes, and how much of the passing text is candidate
sentences. The gate decides as the pipeline does: a cue and a count together, or the classifier's
relevance and a count.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from uprooted.normalize import normalize
from uprooted.resources import load_resources
from uprooted.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ("idetect", "idmc", "news-dev", "news-dev-2")
FEEDS = ("news-stream", "geo-gwn", "geo-trnews", "events-case2021")
FLOOR = 0.98


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    a = ap.parse_args()
    res = load_resources(load_settings())
    gate, model, words = res.vocab["gate"], res.vocab["category"], res.vocab["words"]
    with_figures = missed = 0
    for name in (*LABELLED, *FEEDS):
        path = Path(a.shared) / "corpus" / f"{name}.jsonl"
        docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        passed = kept = chars = 0
        lost = []
        for d in docs:
            text = normalize(d["text"], words).text
            found = gate.verdict(d.get("title"), text)
            ok = found.passes or (model.classify_document(d.get("title"), d["text"]).relevant and gate.has_number(text))
            passed += ok
            chars += len(text)
            kept += sum(e - s for s, e in found.candidates) if found.candidates else len(text) * ok
            if d.get("figures") and name in LABELLED:
                with_figures += 1
                if not ok:
                    missed += 1
                    lost.append(d["id"])
        print(f"{name:<16} {len(docs):4} documents, {passed:4} pass; candidate sentences {kept / max(chars, 1):.0%} "
              f"of the text" + (f"; missed with figures: {', '.join(lost) or 'none'}" if name in LABELLED else ""))
    recall = 1 - missed / with_figures
    print(f"recall on {with_figures} labelled documents with figures: {recall:.3f} (floor {FLOOR})")
    return 0 if recall >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
