"""Reconcile the figures of a corpus across its documents and write them with group, recommended, why.

    python scripts/aggregate_corpus.py ../shared/corpus/aggregate-dev.jsonl -o /tmp/groups.jsonl
    python scripts/aggregate_corpus.py CORPUS.jsonl --extracted RECORDS.jsonl -o OUT.jsonl
    python3 ../shared/eval/score_groups.py ../shared/corpus/aggregate-dev.jsonl --pred OUT.jsonl

A development aid beside the store's ``uprooted aggregate`` (``scripts/aggregate_store.py`` runs that
path and gives the same verdicts): it runs ``uprooted extract`` on the corpus (or reads the extract
output given with ``--extracted``, so the reconcile step can be tuned without parsing again),
applies ``uprooted.reconcile`` and writes one figure record a line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from uprooted.reconcile import load_rules, reconcile, with_verdicts
from uprooted.records import Document, Figure, to_json


def _extract(corpus: Path) -> list[dict[str, object]]:
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        uprooted = Path(sys.executable).with_name("uprooted")
        cmd = [str(uprooted), "extract", "--format", "jsonl", "--no-progress", str(corpus), "-o", out.name]
        subprocess.run(cmd, check=True)
        return _read(Path(out.name))


def _read(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--extracted", type=Path, help="an extract output of the corpus, read instead of extracting")
    ap.add_argument("--authority", type=Path, help="your own source ranking (see data/authority.yaml)")
    ap.add_argument("--all-whys", action="store_true", help="also write each losing figure's reason")
    a = ap.parse_args()
    records = _read(a.extracted) if a.extracted else _extract(a.corpus)
    docs: dict[str, Document] = {}
    figures: dict[str, list[Figure]] = {}
    for r in records:
        if r.get("type") == "document":
            doc = Document.model_validate(r)
            docs[doc.doc_id] = doc
        elif r.get("type") == "figure":
            fig = Figure.model_validate(r)
            figures.setdefault(fig.doc_id, []).append(fig)
    pairs = [(docs.get(d) or Document(doc_id=d), figs) for d, figs in figures.items()]
    verdicts = reconcile(pairs, load_rules(a.authority))
    with a.output.open("w", encoding="utf-8") as out:
        for _, figs in pairs:
            for fig in with_verdicts(figs, verdicts):
                line = to_json(fig)
                if a.all_whys and fig.id in verdicts and not verdicts[fig.id].recommended:
                    line["why"] = verdicts[fig.id].why
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    groups = {v.group for v in verdicts.values()}
    flagged = {v.group for v in verdicts.values() if v.contradiction}
    print(f"{len(verdicts)} figures, {len(groups)} groups, {len(flagged)} flagged as contradictory", file=sys.stderr)


if __name__ == "__main__":
    main()
