"""Learn the weights that rank a place name's candidates and write ``src/uprooted/data/place_ranker.yaml``.

    .venv/bin/python scripts/train_place_ranker.py [--shared ../shared] [--write]

The resolver scores each candidate of a name as a weighted sum of named clues (kind and
population of the place, its own name or a by-name, designators, the document's countries, "X, Y",
distance to the other places; ``places/features.py: candidate_features``). The first weights were set by hand;
this script fits them as a conditional logit: for every mention with a gold point, the softmax over
its candidates should put its mass on the candidates within 161 km of the gold point. The fit is
pulled towards the hand weights (L2 around them), so a clue the data rarely shows keeps its
hand-set weight. Context clues depend on the other mentions' choices, so features are collected,
weights fitted, and the features collected again with the new weights (``--rounds``).

Data: the toponym benchmarks (geo-gwn, geo-trnews), news-dev and seed from ``../shared/corpus``;
news-dev and seed, the displacement reports, count three times. Scores: places_161km per corpus
computed as eval/score.py does, for the hand weights and for weights fitted by 5-fold
cross-validation over documents (each document resolved with weights that never saw it). With
``--write`` the weights fitted on all documents are written with both scores, but only when the
cross-validated scores beat the hand weights' (summed over the corpora) by ``--margin``, more than
a few mentions' noise; else the hand weights stay.

Needs the dev dependencies (scipy); the package itself does not.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import minimize

from uprooted.dates import load_dates_vocab
from uprooted.places.features import Tracer
from uprooted.places.gazetteer import Candidate, Gazetteer
from uprooted.places.resolve import ResolvedPlace, resolve_places
from uprooted.places.vocab import place_ranker
from uprooted.resources import load_resources
from uprooted.settings import load_settings

CORPORA = {"geo-gwn": 1.0, "geo-trnews": 1.0, "news-dev": 3.0, "seed": 3.0}
CALENDAR = load_dates_vocab().calendar_words()
OUT = Path(__file__).resolve().parents[1] / "src" / "uprooted" / "data" / "place_ranker.yaml"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


class Doc:
    def __init__(self, corpus: str, raw: dict[str, Any], parsed: Any) -> None:
        self.corpus, self.raw, self.parsed = corpus, raw, parsed
        self.id = str(raw["id"])

    def golds_for(self, start: int, end: int, mention: str) -> list[dict[str, Any]]:
        """The gold places a predicted span answers, matched as eval/score.py matches them."""
        out = []
        for g in self.raw.get("places", []):
            if "start" in g:
                if start < g["end"] and end > g["start"]:
                    out.append(g)
            elif g["mention"].lower() == mention.lower():
                out.append(g)
        return out


def _resolve(doc: Doc, gaz: Gazetteer, weights: dict[str, float],
             trace: Tracer | None = None) -> list[ResolvedPlace]:
    return resolve_places(doc.parsed, gaz, None, doc_id=doc.id, calendar=CALENDAR, weights=weights, trace=trace)


Group = tuple[list[dict[str, float]], list[bool], float]  # candidates' features, which are right, weight


def collect(docs: list[Doc], gaz: Gazetteer, weights: dict[str, float]) -> list[Group]:
    """One training group per mention with a gold point: its candidates' features and which are right."""
    groups = []
    for doc in docs:
        seen: dict[tuple[int, int], dict[int, tuple[Candidate, dict[str, float]]]] = defaultdict(dict)

        def trace(start: int, end: int, c: Candidate, f: dict[str, float],
                  seen: dict[tuple[int, int], dict[int, tuple[Candidate, dict[str, float]]]] = seen) -> None:
            seen[(start, end)][c.id] = (c, f)

        _resolve(doc, gaz, weights, trace)
        text = doc.parsed.text
        for (start, end), cands in seen.items():
            golds = doc.golds_for(start, end, text[start:end])
            if not golds or len(cands) < 2:
                continue
            points = [(g["lat"], g["lon"]) for g in golds]
            right = [c.lat is not None and any(_km((c.lat, c.lon or 0.0), p) <= 161 for p in points)
                     for c, _ in cands.values()]
            if any(right) and not all(right):
                groups.append(([f for _, f in cands.values()], right, CORPORA[doc.corpus]))
    return groups


def fit(groups: list[Group], prior: dict[str, float], strength: float) -> dict[str, float]:
    names = sorted(set(prior) | {n for feats, _, _ in groups for f in feats for n in f})
    index = {n: i for i, n in enumerate(names)}
    w0 = np.array([prior.get(n, 0.0) for n in names])
    mats = []
    for feats, right, weight in groups:
        x = np.zeros((len(feats), len(names)))
        for r, f in enumerate(feats):
            for n, v in f.items():
                x[r, index[n]] = v
        mats.append((x, np.array(right), weight))
    total = sum(weight for _, _, weight in mats)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value = strength * float(np.sum((w - w0) ** 2))
        grad = 2 * strength * (w - w0)
        for x, right, weight in mats:
            s = x @ w
            s -= s.max()
            p = np.exp(s)
            p /= p.sum()
            mass = p[right].sum()
            value -= weight * math.log(max(mass, 1e-12)) / total
            q = np.where(right, p / max(mass, 1e-12), 0.0)  # posterior over the right candidates
            grad -= weight * (x.T @ (q - p)) / total
        return value, grad

    res = minimize(loss, w0, jac=True, method="L-BFGS-B")
    return {n: round(float(v), 3) for n, v in zip(names, res.x, strict=True)}


def score(docs: list[Doc], gaz: Gazetteer, weights_of: dict[str, dict[str, float]]) -> dict[str, float]:
    """places_161km per corpus, as eval/score.py counts it; each document with its own weights."""
    hit: dict[str, int] = defaultdict(int)
    n: dict[str, int] = defaultdict(int)
    for doc in docs:
        places = _resolve(doc, gaz, weights_of[doc.id])
        for g in doc.raw.get("places", []):
            n[doc.corpus] += 1
            if "start" in g:
                cand = [p.place for p in places if p.start < g["end"] and p.end > g["start"]]
            else:
                cand = [p.place for p in places if p.place.mention.lower() == g["mention"].lower()]
            hit[doc.corpus] += any(p.lat is not None and p.lon is not None
                                   and _km((p.lat, p.lon), (g["lat"], g["lon"])) <= 161 for p in cand)
    return {c: round(hit[c] / n[c], 4) for c in sorted(n)}


def train(docs: list[Doc], gaz: Gazetteer, prior: dict[str, float], rounds: int, strength: float) -> dict[str, float]:
    weights = dict(prior)
    for _ in range(rounds):
        weights = fit(collect(docs, gaz, weights), prior, strength)
    return weights


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--strength", type=float, default=0.01, help="pull towards the hand weights")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--margin", type=float, default=0.005,
                    help="how much the summed cross-validated scores must beat the hand weights' to ship")
    ap.add_argument("--write", action="store_true", help=f"write the weights fitted on all documents to {OUT}")
    args = ap.parse_args()
    t0 = time.perf_counter()
    res = load_resources(load_settings())
    gaz = res.gazetteer()
    docs: list[Doc] = []
    for corpus in CORPORA:
        raws = [json.loads(line) for line in (args.shared / "corpus" / f"{corpus}.jsonl").open(encoding="utf-8")
                if line.strip()]
        for raw, parsed in zip(raws, res.nlp.pipe(r["text"] for r in raws), strict=True):
            docs.append(Doc(corpus, raw, parsed))
    print(f"parsed {len(docs)} documents in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    current = place_ranker()
    prior = dict(current.trained.get("hand_weights") or current.weights)  # type: ignore[arg-type]
    hand = score(docs, gaz, {d.id: prior for d in docs})
    print("hand weights:", hand, file=sys.stderr)
    order = sorted(docs, key=lambda d: (d.corpus, d.id))
    random.Random(4).shuffle(order)
    folds = [order[i::args.folds] for i in range(args.folds)]
    fold_weights: dict[str, dict[str, float]] = {}
    for i, test in enumerate(folds):
        train_docs = [d for j, f in enumerate(folds) if j != i for d in f]
        w = train(train_docs, gaz, prior, args.rounds, args.strength)
        fold_weights.update({d.id: w for d in test})
        print(f"fold {i + 1}/{args.folds} trained", file=sys.stderr)
    cv = score(docs, gaz, fold_weights)
    print("cross-validated:", cv, file=sys.stderr)
    final = train(docs, gaz, prior, args.rounds, args.strength)
    print(json.dumps({"hand": hand, "cross_validated": cv, "weights": final}, indent=1))
    better = sum(cv.values()) > sum(hand.values()) + args.margin
    if args.write:
        data = {
            "weights": dict(final if better else prior),
            "trained": {
                "by": "scripts/train_place_ranker.py",
                "shipped": "fitted" if better else f"hand (the fitted weights did not beat them by {args.margin})",
                "corpora": list(CORPORA),
                "rounds": args.rounds,
                "strength": args.strength,
                "places_161km_hand_weights": hand,
                "places_161km_cross_validated": cv,
                "hand_weights": dict(prior),
            },
        }
        header = ("# Weights of the clues that rank the candidate places of a name (places/features.py: every\n"
                  "# name of FEATURES, no other). Written by scripts/train_place_ranker.py: edit hand_weights\n"
                  "# and retrain.\n")
        OUT.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
