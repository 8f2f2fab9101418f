"""Ranking: each mention's candidates scored by their weighted features, in two passes over the
document (the second sees what the first chose).

Part of the places stage. Takes the mentions with their uses and containers; sets each one's
``choice``, the margin over the runner-up and the reason (the top feature).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from .common import SEAT_TOWN, Mention, distance_km
from .features import Context, Tracer, candidate_features, check_weights, governed
from .gazetteer import Candidate
from .names import name_key
from .vocab import place_ranker

__all__ = ["rank_mentions", "shipped_weights"]


@lru_cache(maxsize=1)
def shipped_weights() -> Mapping[str, float]:
    """The weights of ``data/place_ranker.yaml``, checked against the feature registry once."""
    weights = place_ranker().weights
    check_weights(weights)
    return weights


def _score(c: Candidate, m: Mention, k: int, ctx: Context, countries: Counter[str]) -> tuple[float, str]:
    """How well candidate ``c`` fits mention ``m`` in the document; the reason names the top factor."""
    values = candidate_features(c, m, k, ctx, countries)
    if ctx.trace is not None:
        ctx.trace(m.text_start, m.text_end, c, values)
    parts = {name: ctx.weights[name] * value for name, value in values.items()}
    top = max(parts, key=lambda n: parts[n])
    return sum(parts.values()), top



def rank_mentions(mentions: list[Mention], weights: Mapping[str, float], trace: Tracer | None = None) -> None:
    """Two passes: the first uses the document's countries, the second adds admin regions, "X, Y"
    containers and distance to the places the first pass chose."""
    votes: Counter[str] = Counter()  # weights: 2 a sure country name, 1 an unambiguous town
    own: dict[int, Counter[str]] = {}  # what each mention added, so that it is not its own evidence
    for k, m in enumerate(mentions):
        own[k] = Counter()
        if not m.candidates:
            continue
        # Only names that cannot mean another country vote ("Georgia" could be the US state; "Middle
        # East" the region as well as a neighbourhood of a US city).
        isos = {c.iso3 for c in m.candidates if c.iso3}
        rivals = {c.iso3 for c in m.candidates if c.exact and c.level in ("country", "admin1", "region")}
        strong = [c for c in m.candidates if c.exact and (c.level == "country" or c.kind == "demonym")]
        if strong and len(rivals - {None}) <= 1 and strong[0].iso3:
            own[k][strong[0].iso3] += 2
        elif len(isos) == 1 and not any(c.iso3 is None and c.exact for c in m.candidates):
            own[k][isos.pop()] += 1
        votes += own[k]
    ctx = Context(weights=weights, countries=votes, admin1={}, choices={}, points=[], own=own, trace=trace)
    for k, m in enumerate(mentions):
        if m.container is not None:
            ctx.contained.setdefault(m.container, []).append(k)
    for _ in range(2):
        for k, m in enumerate(mentions):
            _choose(m, k, ctx)
            ctx.choices[k] = m.choice
        chosen = [(k, m.choice) for k, m in enumerate(mentions) if m.choice is not None]
        # The towns chosen count as the document's countries only when nothing surer names one: else
        # one wrong namesake (Tarnick, Washington) pulls the next ones abroad (Ostrel, Washington).
        ctx.countries = votes + Counter(c.iso3 for _, c in chosen
                                        if c.iso3 and (c.level != "city" or not votes))
        ctx.own = {k: own[k] + Counter([c.iso3] if c is not None and c.iso3 else []) for k, c in ctx.choices.items()}
        ctx.admin1, ctx.towns_in = {}, {}
        for k, c in chosen:
            if c.level == "admin1":
                ctx.admin1.setdefault(name_key(c.name), set()).add(k)
            elif c.admin1 and c.level in ("city", "admin2"):
                ctx.towns_in.setdefault(name_key(c.admin1), set()).add(k)
        ctx.points = [(k, c.lat, c.lon) for k, c in chosen
                      if c.lat is not None and c.lon is not None and c.level in ("city", "admin2", "admin1")]


def _seat_of(town: Candidate, unit: Candidate) -> bool:
    """A town of the unit's name inside it, of a seat's size: what a bare name of both means."""
    return (town.population >= SEAT_TOWN and town.admin1 is not None
            and name_key(town.admin1) == name_key(unit.name)) and name_key(town.name).startswith(name_key(unit.name))


def _choose(m: Mention, k: int, ctx: Context) -> None:
    if not m.candidates:
        return
    countries = ctx.countries - ctx.own.get(k, Counter())
    scored = sorted(((*_score(c, m, k, ctx, countries), c) for c in m.candidates), key=lambda t: -t[0])
    best_score, reason, best = scored[0]
    if best.level in ("admin1", "admin2") and not m.hint:
        # A city at the centre of a unit of the same name, or its seat (Velmora, Brannow), is the better
        # answer: it carries the GeoNames id readers expect, and the unit is rarely meant without "province".
        # Unless the text speaks of the unit's government ("the Velmora government").
        town = next((c for _, _, c in scored if c.level == "city" and c.iso3 == best.iso3
                     and c.lat is not None and best.lat is not None
                     and (distance_km(c.lat, c.lon, best.lat, best.lon) < 30
                          or (_seat_of(c, best) and not governed(m)))), None)
        if town is not None:
            best, reason = town, "city at the centre of the unit of the same name"
    m.choice = best
    m.score_margin = best_score - scored[1][0] if len(scored) > 1 else 3.0
    m.reason = f"{reason}; {len(scored)} candidates" if len(scored) > 1 else "only candidate"

