#!/usr/bin/env python3
"""Score the dates and sources stages alone on the gold figures of a corpus, until the pipeline runs them.

For each gold figure: the sentence holding its ``evidence``, the number in it as anchor, then
``dates.figure_date`` and ``sources.figure_source``. Scored as ``../shared/eval/score.py`` does:
date = the predicted interval overlaps the gold one; source = a word shared with the gold name
(also shown with the gold's brackets stripped, so "(IOM)" in the gold meets the name "IOM").
Also counts sources given where the gold has none (the document's own voice).

    .venv/bin/python scripts/eval_dates_sources.py [CORPUS.jsonl ...] [--show]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc, Token

from uprooted.dates import figure_date, find_dates
from uprooted.sources import figure_source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def overlaps(d: dict[str, str | None] | None, s: str, e: str | None) -> bool:
    d = d or {}
    ps, pe = d.get("start"), d.get("end") or d.get("start")
    if not (ps and s):
        return False
    return ps[:10] <= (e or s) and (pe or ps)[:10] >= s


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    i = text.find(evidence)
    if i >= 0:
        return i, i + len(evidence)
    pattern = r"\s+".join(re.escape(w) for w in evidence.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def anchor_token(doc: Doc, start: int, end: int, value: float | None) -> Token | None:
    nums = [t for t in doc if start <= t.idx < end and (t.like_num or t.text[:1].isdigit())]
    for t in nums:
        try:
            if value is not None and float(t.text.replace(",", "")) == float(value):
                return t
        except ValueError:
            pass
    span = doc.char_span(start, end, alignment_mode="expand")
    return nums[0] if nums else (span.root if span is not None else None)


def pipeline() -> spacy.language.Language:
    """The project's spaCy pipeline (with its sentence-boundary component), as the stages will see it."""
    from uprooted.resources import _load_spacy
    from uprooted.settings import load_settings

    return _load_spacy(load_settings())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", default=[str(CORPUS / "seed.jsonl"), str(CORPUS / "news-dev.jsonl")])
    ap.add_argument("--show", action="store_true", help="print every scored figure")
    a = ap.parse_args()
    nlp = pipeline()
    for path in a.corpora:
        with open(path, encoding="utf-8") as f:
            docs = [json.loads(line) for line in f if line.strip()]
        c = dict(date=0, date_n=0, src=0, src_loose=0, src_n=0, own=0, own_n=0, unfound=0)
        t_stage = 0.0
        for d in docs:
            doc = nlp(d["text"])
            pub = dt.date.fromisoformat(d["published"]) if d.get("published") else None
            t0 = time.perf_counter()
            mentions = find_dates(doc, pub)
            t_stage += time.perf_counter() - t0
            for g in d.get("figures", []):
                if g.get("optional") or not g.get("evidence"):
                    continue
                loc = locate(d["text"], g["evidence"])
                anchor = anchor_token(doc, *loc, g.get("value")) if loc else None
                if anchor is None:
                    c["unfound"] += 1
                    continue
                t0 = time.perf_counter()
                period = figure_date(anchor.sent, anchor, mentions, pub, kind=g.get("kind", "unknown"))
                source = figure_source(anchor.sent, anchor, doc)
                t_stage += time.perf_counter() - t0
                pdate = period.model_dump() if period else None
                psrc = source.name if source else None
                ok_d = ok_s = None
                if g.get("date_start"):
                    ok_d = overlaps(pdate, g["date_start"], g.get("date_end"))
                    c["date_n"] += 1
                    c["date"] += ok_d
                if g.get("source"):
                    ok_s = bool(set(g["source"].lower().split()) & set((psrc or "").lower().split()))
                    c["src_n"] += 1
                    c["src"] += ok_s
                    loose = {w.strip("()[],.’'\"") for w in g["source"].lower().split()}
                    c["src_loose"] += bool(loose & set((psrc or "").lower().split()))
                else:
                    c["own_n"] += 1
                    c["own"] += psrc is None
                if a.show or ok_d is False or ok_s is False:
                    mark = "ok " if ok_d is not False and ok_s is not False else "MISS"
                    got = pdate and (pdate["start"], pdate["end"], pdate["text"])
                    print(f"{mark} {d['id']} {g.get('value')}: date {got} gold ({g.get('date_start')}, "
                          f"{g.get('date_end')}); source {psrc!r} gold {g.get('source')!r}", file=sys.stderr)
        n_docs = len(docs)
        print(f"{Path(path).name}: date {c['date']}/{c['date_n']} = {c['date'] / max(1, c['date_n']):.3f}  "
              f"source {c['src']}/{c['src_n']} = {c['src'] / max(1, c['src_n']):.3f} "
              f"(gold words without brackets: {c['src_loose'] / max(1, c['src_n']):.3f})  "
              f"own voice kept None {c['own']}/{c['own_n']}  evidence not found {c['unfound']}  "
              f"stage time {1000 * t_stage / max(1, n_docs):.1f} ms/doc")


if __name__ == "__main__":
    main()
