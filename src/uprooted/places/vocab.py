"""The place vocabularies (``data/regions.yaml``, ``islands.yaml``, ``demonyms*.yaml``,
``country_names.yaml``, ``admin_abbreviations.yaml``, ``place_words.yaml``, ``place_ranker.yaml``)
parsed into checked models.

Part of the places stage: read by the gazetteer builder and by the resolver. Each file is parsed into
a pydantic model with ``extra="forbid"``, so a misspelt key stops loading and names the file, as
``resources.py`` does for the other vocabularies.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..datafiles import load_vocabulary as load

__all__ = [
    "AdminAbbreviations",
    "CountryNames",
    "CountryPoints",
    "Demonyms",
    "PlaceRanker",
    "PlaceWords",
    "Region",
    "Regions",
    "load",
    "place_ranker",
    "place_words",
]

Level = Literal["country", "admin1", "admin2", "region", "city", "place"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(_Strict):
    """A region news names that the upstream lists lack: a disputed enclave, a historic province, a desert belt."""

    name: str
    names: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    geonameid: int | None = None
    iso3: str | None = Field(default=None, min_length=3, max_length=3)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    level: Level = "region"


class Regions(_Strict):
    regions: list[Region]


class Demonyms(_Strict):
    demonyms: dict[str, str]


class CountryNames(_Strict):
    countries: dict[str, list[str]]


class CountryPoints(_Strict):
    points: dict[str, tuple[float, float]]
    subdivisions: dict[str, tuple[float, float]] = Field(default_factory=dict)


class NaturalEarthPoints(_Strict):
    countries: dict[str, tuple[float, float]]
    subdivisions: dict[str, tuple[float, float, list[str]]]
    geonames_subdivisions: dict[str, tuple[float, float, list[str]]]


class AdminAbbreviations(_Strict):
    abbreviations: dict[str, list[str]]


class AdminNames(_Strict):
    """English names of admin-1 units by ISO 3166-2 code ("ZZ-07": "Upper Tarn")."""

    names: dict[str, list[str]]


class PlaceShortNames(_Strict):
    """Short forms of towns' and districts' names by GeoNames id (1180289: "D.G. Khan")."""

    names: dict[int, list[str]]


class Cues(_Strict):
    prepositions: list[str] = Field(default_factory=list)
    verbs: list[str] = Field(default_factory=list)
    arrival_verbs: list[str] = Field(default_factory=list)
    # verbs of movement whose "from"/"to"/"into" phrase is a place whatever the recogniser said
    movement_verbs: list[str] = Field(default_factory=list)


class PlaceWords(_Strict):
    """How English refers to places: designators, anaphors, metonymy verbs, direction cues."""

    designators: dict[str, list[Level]]
    name_only_designators: list[str] = Field(default_factory=list)
    anaphors: dict[str, list[Level]]
    metonymy_verbs: list[str]
    agent_participles: list[str] = Field(default_factory=list)
    event_words: list[str] = Field(default_factory=list)
    geographic_nouns: list[str] = Field(default_factory=list)
    facility_words: list[str] = Field(default_factory=list)
    displaced_people: list[str] = Field(default_factory=list)
    place_of_nouns: list[str] = Field(default_factory=list)
    nationwide: list[str] = Field(default_factory=list)
    list_nouns: list[str] = Field(default_factory=list)
    origin: Cues
    destination: Cues

    def singular_designator(self, word: str) -> str | None:
        """"Sundpur and Kalir upazilas": the designator after a list of names is plural."""
        for singular in (word[:-3] + "y", word[:-1]) if word.endswith("ies") else (word[:-1],):
            if word.endswith("s") and singular in self.designators:
                return singular
        return None


class PlaceRanker(_Strict):
    """Weights of the clues that rank a name's candidate places, and how they were obtained."""

    weights: dict[str, float]
    trained: dict[str, object] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """``data/place_words.yaml``, read once."""
    return load("place_words.yaml", PlaceWords)


@lru_cache(maxsize=1)
def place_ranker() -> PlaceRanker:
    """``data/place_ranker.yaml``, read once."""
    return load("place_ranker.yaml", PlaceRanker)
