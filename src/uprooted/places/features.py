"""Candidate features: what speaks for one candidate place of a name in this document.

Part of the places stage. Each feature is a named clue an analyst would use (the kind and size of
the place, the designator beside the name, the countries and regions the document names, "X, Y"
patterns, distance to the other places). ``FEATURES`` is the registry of every name ``features`` can
produce; ``data/place_ranker.yaml`` must weigh exactly these, so a feature without a weight or a
misspelt weight stops loading instead of counting as zero. Ranking is ``rank.py``'s job.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import ResourceError
from .common import BIG_TOWN, NEAR_KM, STRONG_LEVELS, Mention, bare_name, distance_km
from .gazetteer import Candidate
from .names import name_key

__all__ = ["FEATURES", "LEVELS", "Context", "Tracer", "candidate_features", "check_weights", "governed"]

LEVELS = ("country", "region", "admin1", "admin2", "city", "place")
# How a name matched, other than by a place's own name; "user": a place of the analyst's own list.
_KINDS = ("abbreviation", "demonym", "curated", "user")
_LABELS = ("LOC", "NORP", "FAC")  # entity labels other than GPE that tell something of the level

# Every feature ``candidate_features`` can produce. ``data/place_ranker.yaml`` must weigh exactly
# these (a weight of 0.0 says "computed for training, not used"): see ``check_weights``.
FEATURES: tuple[str, ...] = (
    *(f"level {level}" for level in LEVELS),
    "log population", "capital", "population gap", "unit log population",
    "inexact spelling", "own name", *_KINDS,
    "namesake of a country or region", "namesake of a state", "capital known by the country's name",
    "another place's own name", "government",
    "designator", "designator is the unit's own word", "designator is not the unit's word",
    "designator against a country",
    "no country", "document country", "document country share", "outside the document's countries",
    "admin region named", "contains named towns", "contains X of X, Y",
    "X, Y pattern", "X, Y pattern: in that region", "X, Y pattern: near it",
    "within 50 km of other places", "within 250 km of other places",
    *(f"found outside an entity: {level}" for level in LEVELS),
    *(f"{label}: {level}" for label in _LABELS for level in LEVELS),
)


def check_weights(weights: Mapping[str, float]) -> None:
    """A feature without a weight, or a weight without a feature (a misspelt key), is an error:
    either would silently count as zero."""
    missing = [f for f in FEATURES if f not in weights]
    unknown = [w for w in weights if w not in FEATURES]
    if missing or unknown:
        raise ResourceError(
            f"invalid vocabulary data/place_ranker.yaml: features without a weight {missing}, "
            f"weights without a feature {unknown}"
        )


# Called with (mention start, mention end, candidate, features) for every candidate scored; the last
# call for a pair carries the final context. Used to train the weights, not by the pipeline.
Tracer = Callable[[int, int, Candidate, dict[str, float]], None]

@dataclass
class Context:
    """What the document says around each mention, rebuilt after every ranking pass."""

    weights: Mapping[str, float]  # by feature name, checked against FEATURES
    countries: Counter[str]
    # Context from other mentions, keyed so that a mention never counts as its own evidence.
    admin1: dict[str, set[int]]  # admin-1 regions chosen -> the mentions that chose them
    choices: dict[int, Candidate | None]
    points: list[tuple[int, float, float]]  # (mention, lat, lon) of the places chosen
    towns_in: dict[str, set[int]] = field(default_factory=dict)  # admin-1 names of the towns chosen
    own: dict[int, Counter[str]] = field(default_factory=dict)  # each mention's own country votes
    contained: dict[int, list[int]] = field(default_factory=dict)  # Y -> the X of each "X, Y"
    trace: Tracer | None = None  # sees every candidate's features (scripts/train_place_ranker.py)


# Degrees of latitude beyond which a place is surely over 250 km away (250 km is 2.25 degrees).
_NEAR_DEGREES = 3.0

_GOVERNMENT_WORDS = {"gov.", "gov", "governor", "government", "premier", "legislature", "lawmakers",
                     "lieutenant", "statehouse"}


def governed(m: Mention) -> bool:
    """A name followed by a word for its government ("New York Gov.", "the Kelvale government") is a
    state, province or country: a town has a mayor and a council."""
    return m.next_word in _GOVERNMENT_WORDS


def candidate_features(c: Candidate, m: Mention, k: int, ctx: Context, countries: Counter[str]) -> dict[str, float]:
    """What speaks for candidate ``c`` of mention ``m`` (the k-th) in this document, as named values;
    ``data/place_ranker.yaml`` weighs them. Each reads one clue an analyst would use."""
    f: dict[str, float] = {f"level {c.level}": 1.0}
    if c.level == "city":
        f["log population"] = math.log10(c.population + 1)
        f["capital"] = float(c.feature == "PPLC")
        rival = max((o.population for o in m.candidates if o.level == "city" and o.id != c.id), default=0)
        f["population gap"] = max(-3.0, min(3.0, math.log10(c.population + 1) - math.log10(rival + 1)))
    elif c.level in ("admin1", "admin2"):
        f["unit log population"] = math.log10(c.population + 1)
    if not c.exact:
        f["inexact spelling"] = 1.0
    own_key = name_key(bare_name(m))
    own_name = c.kind != "name" or own_key == name_key(c.name)  # its own name, not a by-name
    f["own name"] = float(own_name)
    if c.kind != "name":
        f[c.kind] = 1.0
    if c.level in ("city", "admin2", "place") and m.container is None:
        # A town known by the own name of a country, region or state ("Lebanon", Pennsylvania;
        # "Missouri" for Bozeman; "Kuwait" for Kuwait City) is that place's namesake.
        # A demonym ("English") or a curated region ("Middle East") is such a rival too; a state only
        # in the town's own country (a Californian town owes nothing to a Costa Rican province of its name).
        # A building news names for a government ("White House") counts as a region.
        rivals = {"region" if o.kind == "curated" else o.level for o in m.candidates
                  if o.id != c.id and (o.level in STRONG_LEVELS or o.kind == "curated") and (
                      o.kind == "demonym" or (o.kind in ("name", "curated") and name_key(o.name) == own_key))
                  and (o.level != "admin1" or o.iso3 == c.iso3)}
        if rivals and own_name and c.feature != "PPLC":  # Washington, the capital, is no namesake
            f["namesake of a country or region"] = float(bool(rivals & {"country", "region"}))
            # A big city gives its name to its province ("Velmora", "Ostrel"), not the reverse.
            f["namesake of a state"] = float("admin1" in rivals and c.population < BIG_TOWN)
        elif rivals and c.feature == "PPLC":
            f["capital known by the country's name"] = float("country" in rivals)
        elif rivals:
            f["another place's own name"] = 1.0
    if c.level in ("admin1", "country") and governed(m):
        f["government"] = 1.0
    if m.hint and c.level in m.hint:
        f["designator"] = 1.0 - 0.2 * m.hint.index(c.level)
        unit_type = c.feature.partition(":")[2]
        if unit_type and m.designator:  # the country's own word for its units: "Upper Tarn department"
            f["designator is the unit's own word" if m.designator in unit_type.split() else
              "designator is not the unit's word"] = 1.0
    elif m.hint and c.level == "country":
        f["designator against a country"] = 1.0
    if c.iso3 is None:
        f["no country"] = 1.0
    if c.iso3 and countries:  # the countries the document's other mentions name
        f["document country"] = countries.get(c.iso3, 0.0) / max(countries.values())
        f["document country share"] = countries.get(c.iso3, 0.0) / sum(countries.values())
        if c.iso3 not in countries and c.level != "country":
            f["outside the document's countries"] = 1.0
    if c.admin1 and ctx.admin1.get(name_key(c.admin1), set()) - {k} and c.level != "admin1":
        f["admin region named"] = 1.0
    if c.level == "admin1" and ctx.towns_in.get(name_key(c.name), set()) - {k}:
        f["contains named towns"] = 1.0
    for j in ctx.contained.get(k, ()):  # Y of "X, Y": the state or country the town X lies in
        inner = ctx.choices.get(j)
        if inner is not None and inner.iso3 == c.iso3 and (c.level == "country" or (
                c.level == "admin1" and inner.admin1 and name_key(inner.admin1) == name_key(c.name))):
            f["contains X of X, Y"] = 1.0
    cont = ctx.choices.get(m.container) if m.container is not None else None
    if cont is not None and cont.iso3 == c.iso3:
        f["X, Y pattern"] = 1.0
        if cont.level in ("admin1", "admin2") and c.admin1 and name_key(c.admin1) == name_key(cont.name):
            f["X, Y pattern: in that region"] = 1.0
        if cont.lat is not None and c.lat is not None and distance_km(cont.lat, cont.lon, c.lat, c.lon) < NEAR_KM:
            f["X, Y pattern: near it"] = 1.0
    if ctx.points and c.lat is not None and c.level in ("city", "admin2", "place"):
        # Only the nearest place within 250 km counts; a point further north or south than that is
        # never within it (a degree of latitude is 111 km), so most are skipped before the haversine.
        near = min((distance_km(c.lat, c.lon or 0.0, la, lo) for j, la, lo in ctx.points
                    if j != k and abs(la - c.lat) < _NEAR_DEGREES), default=1e9)
        if near < 50:
            f["within 50 km of other places"] = 1.0
        elif near < 250:
            f["within 250 km of other places"] = 1.0
    if m.weak:
        f[f"found outside an entity: {c.level}"] = 1.0
    if m.label in ("LOC", "NORP", "FAC"):
        f[f"{m.label}: {c.level}"] = 1.0
    return f

