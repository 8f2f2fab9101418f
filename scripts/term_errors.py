"""List matched figures whose term differs from the gold term (a development aid, not a test).

    python scripts/term_errors.py ../shared/corpus/idetect.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import Figure
from uprooted.resources import load_resources
from uprooted.settings import load_settings


def main() -> None:
    res = load_resources(load_settings())
    with open(sys.argv[1], encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    pairs: Counter[tuple[str, str]] = Counter()
    for gold, (_, records) in zip(docs, extract_docs([InputDoc.model_validate(d) for d in docs], res), strict=True):
        figs = [r for r in records if isinstance(r, Figure)]
        for g in gold.get("figures", []):
            hit = next((f for f in figs if g.get("value") in {f.quantity.value, f.quantity.low, f.quantity.high}), None)
            if hit and hit.term != g.get("term"):
                pairs[(g.get("term"), hit.term)] += 1
                print(f"{gold['id']}: gold {g.get('term')} got {hit.term} ({hit.reason}) | {hit.evidence.text[:160]}")
    for (gold_term, got), n in pairs.most_common():
        print(f"{n:4}  gold {gold_term:28} got {got}")


if __name__ == "__main__":
    main()
