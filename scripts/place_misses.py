"""Print where places and figure locations went wrong on a corpus, to read beside eval/score.py.

    uprooted extract --format jsonl CORPUS.jsonl > /tmp/run.jsonl
    python scripts/place_misses.py CORPUS.jsonl /tmp/run.jsonl [--figures] [--places] [--all]

Per gold figure (matched by value and unit, as the scorer does) whose country or point is wrong: the
gold location and the predicted locations. Per gold place not found or resolved more than 161 km off:
the mention, the gold point and what was predicted at that span. A reading aid, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _loc(loc: dict[str, Any]) -> str:
    return (f"{loc.get('role', '')}:{loc.get('mention')!r}->{loc.get('name')} {loc.get('iso3')} "
            f"{loc.get('level')} ({loc.get('lat')},{loc.get('lon')})")


def _values(rec: dict[str, Any]) -> set[float]:
    q = rec.get("quantity") or {}
    return {v for v in (q.get("value"), q.get("low"), q.get("high")) if isinstance(v, (int, float))}


def figures(doc: dict[str, Any], got: dict[str, list[dict[str, Any]]], show_all: bool) -> None:
    free = list(got["figure"])
    for g in doc.get("figures", []):
        if g.get("optional"):
            continue
        hit = next((p for p in free if g["value"] in _values(p)
                    and (p.get("unit") == g["unit"] or {p.get("unit"), g["unit"]} == {"dwelling", "household"})),
                   None)
        if hit is None:
            continue
        free.remove(hit)
        locs = hit.get("locations") or []
        iso_ok = not g.get("iso3") or any(loc.get("iso3") == g["iso3"] for loc in locs)
        km_ok = g.get("lat") is None or any(
            loc.get("lat") is not None and _km((loc["lat"], loc["lon"]), (g["lat"], g["lon"])) <= 161 for loc in locs)
        if iso_ok and km_ok and not show_all:
            continue
        mark = ("" if iso_ok else "ISO ") + ("" if km_ok else "KM")
        print(f"[{doc['id']}] {mark:7} gold {g['value']} {g.get('location')!r} {g.get('iso3')} "
              f"({g.get('lat')},{g.get('lon')})")
        ev = (hit.get("evidence") or {}).get("text", "")
        print(f"      sent: {ev[:300]!r}")
        for loc in locs:
            print(f"      pred {_loc(loc)}")
        if not locs:
            print("      pred (no locations)")


def places(doc: dict[str, Any], got: dict[str, list[dict[str, Any]]], show_all: bool) -> None:
    preds = got["place"]
    for g in doc.get("places", []):
        if "start" in g:
            cand = [p for p in preds
                    if isinstance(p.get("start"), int) and p["start"] < g["end"] and p["end"] > g["start"]]
        else:
            cand = [p for p in preds if (p.get("mention") or "").lower() == g["mention"].lower()]
        ok = any(p.get("lat") is not None and _km((p["lat"], p["lon"]), (g["lat"], g["lon"])) <= 161 for p in cand)
        if ok and not show_all:
            continue
        what = "MISS" if not cand else "FAR "
        got_s = "; ".join(f"{p['mention']!r}->{p.get('name')} {p.get('iso3')} {p.get('level')} "
                          f"({p.get('lat')},{p.get('lon')}) {p.get('use')} c={p.get('confidence')}"
                          for p in cand)
        extra = f" {g.get('country_name') or g.get('iso3') or ''} gid={g.get('geonameid')}"
        ctx = ""
        if "start" in g and not cand:
            text = doc.get("text") or ""
            ctx = " ctx=" + repr(text[max(0, g["start"] - 40): g["end"] + 30])
        print(f"[{doc['id']}] {what} {g['mention']!r} ({g['lat']},{g['lon']}){extra} | {got_s}{ctx}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--figures", action="store_true", help="only figures")
    ap.add_argument("--places", action="store_true", help="only places")
    ap.add_argument("--all", action="store_true", help="print hits too")
    a = ap.parse_args()
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in _load(a.pred):
        by_doc[str(r.get("doc_id"))][str(r.get("type"))].append(r)
    for doc in _load(a.corpus):
        got = by_doc[str(doc["id"])]
        if not a.places:
            figures(doc, got, a.all)
        if not a.figures:
            places(doc, got, a.all)


if __name__ == "__main__":
    main()
