"""Show the gold figures a run missed, with their sentence and what was extracted instead.

    python scripts/misses.py ../shared/corpus/idmc.jsonl [--limit 30] [--wrong]

A development aid, not a test: it runs the pipeline in process and prints, for each missed gold
figure, the document's figures and the parse of the sentence holding the number.
"""

from __future__ import annotations

import argparse
import json
import re

from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import Figure
from uprooted.resources import load_resources
from uprooted.settings import load_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--wrong", action="store_true", help="also list predicted figures that match no gold")
    ap.add_argument("--parse", action="store_true", help="print the dependency parse of the sentence")
    a = ap.parse_args()
    res = load_resources(load_settings())
    with open(a.corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    inputs = [InputDoc.model_validate(d) for d in docs]
    shown = 0
    for gold, (_, records) in zip(docs, extract_docs(inputs, res), strict=True):
        figs = [r for r in records if isinstance(r, Figure)]
        unit = {"dwelling": "household"}
        free = list(figs)
        for g in gold.get("figures", []):
            if g.get("optional"):
                continue
            hit = next((f for f in free if g["value"] in {f.quantity.value, f.quantity.low, f.quantity.high}
                        and unit.get(f.unit, f.unit) == unit.get(g["unit"], g["unit"])), None)
            if hit:
                free.remove(hit)
                continue
            shown += 1
            if shown > a.limit:
                return
            print(f"--- {gold['id']}: missed {g['value']} {g['unit']} {g.get('term')} | {g.get('evidence', '')}")
            for f in figs:
                print(f"    got {f.quantity.text!r} {f.unit} {f.term} ({f.reason})")
            text = gold["text"]
            num = f"{g['value']:,}"
            m = re.search(re.escape(num), text) or re.search(str(g["value"]), text)
            if m:
                s = max(0, text.rfind(".", 0, m.start()) + 1)
                e = text.find(".", m.end())
                snippet = text[s:e + 1 if e > 0 else len(text)].strip()
                print("    " + snippet[:400].replace("\n", " "))
                if a.parse:
                    doc = res.nlp(snippet)
                    print("    " + " ".join(f"{t.text}/{t.dep_}>{t.head.i}" for t in doc))
        if a.wrong and gold.get("complete"):
            for f in free:
                print(f"+++ {gold['id']}: extra {f.quantity.text!r} {f.unit} {f.term} | {f.evidence.text[:200]}")


if __name__ == "__main__":
    main()
