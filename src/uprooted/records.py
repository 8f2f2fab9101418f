"""The published record format (../shared/FORMAT.md) as pydantic models.

Field names are the JSON names; every record is frozen and forbids unknown fields, so a stage
cannot invent a key that users would then depend on. Output goes only through ``to_json``.
Closed value sets are ``Literal`` types; ``tests/test_records.py`` checks them against the
vocabulary files so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Actor",
    "AnyRecord",
    "DatePeriod",
    "Document",
    "ErrorRecord",
    "Event",
    "Evidence",
    "Figure",
    "Location",
    "Place",
    "Quantity",
    "Record",
    "Source",
    "to_json",
]

Qualifier = Literal["exact", "approximately", "more_than", "at_least", "less_than", "up_to", "range"]
Unit = Literal["person", "household", "dwelling"]
Term = Literal[
    "displaced",
    "evacuated",
    "forced_to_flee",
    "relocated",
    "sheltered",
    "in_relief_camp",
    "homeless",
    "evicted",
    "destroyed_housing",
    "partially_destroyed_housing",
    "uninhabitable_housing",
    "refugee",
    "asylum_seeker",
    "returned",
]
Kind = Literal["flow", "stock", "unknown"]
Displacement = Literal["internal", "cross_border", "unknown"]
Category = Literal["conflict", "disaster", "other", "unknown"]
Role = Literal["origin", "destination", "location"]
Level = Literal["country", "admin1", "admin2", "region", "city", "place"]
Precision = Literal["day", "week", "month", "year", "period"]
Use = Literal["literal", "metonymy", "modifier"]
EventType = Literal[
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quantity(_Model):
    """How many: ``value`` is the best single figure, ``low``/``high`` the bounds the words allow."""

    value: float | int
    low: float | int | None = None
    high: float | int | None = None
    qualifier: Qualifier = "exact"
    text: str


class Location(_Model):
    """A place a figure or event refers to, with the role it plays (origin, destination, location)."""

    role: Role = "location"
    mention: str | None = None
    name: str | None = None
    geonameid: int | None = None
    iso3: str | None = None
    lat: float | None = None
    lon: float | None = None
    level: Level | None = None


class DatePeriod(_Model):
    """The period a figure or event refers to; unknown parts stay ``None`` rather than guessed."""

    start: str | None = None
    end: str | None = None
    precision: Precision | None = None
    text: str | None = None


class Source(_Model):
    """Who the document says gave a figure."""

    name: str
    mention: str | None = None
    iso3: str | None = None


class Evidence(_Model):
    """The sentence a record was read from, with character offsets into the document text."""

    text: str
    start: int
    end: int


class Figure(_Model):
    """One displacement figure stated in a document."""

    type: Literal["figure"] = "figure"
    doc_id: str
    id: str
    quantity: Quantity
    unit: Unit
    term: Term
    kind: Kind = "unknown"
    displacement: Displacement = "unknown"
    category: Category = "unknown"
    locations: list[Location] = Field(default_factory=list)
    date: DatePeriod | None = None
    source: Source | None = None
    evidence: Evidence
    confidence: float = Field(ge=0.0, le=1.0)
    same_as: list[str] = Field(default_factory=list)
    projection: bool = False
    # Across documents (``uprooted.reconcile``): the displacement movement the figure belongs to, whether
    # it is the one to publish, and why. Absent from a line when unset, so ``extract`` output is unchanged.
    group: str | None = None
    recommended: bool | None = None
    why: str | None = None
    reason: str | None = Field(default=None, exclude=True)


class Actor(_Model):
    """A party to an event, normalised to a canonical name."""

    role: Literal["actor1", "actor2", "associate"]
    name: str
    mention: str | None = None
    iso3: str | None = None


class Event(_Model):
    """One conflict or violence event in ACLED's typology."""

    type: Literal["event"] = "event"
    doc_id: str
    id: str
    event_type: EventType
    sub_event_type: str
    actors: list[Actor] = Field(default_factory=list)
    date: DatePeriod | None = None
    locations: list[Location] = Field(default_factory=list)
    fatalities: int | None = None
    evidence: Evidence
    confidence: float = Field(ge=0.0, le=1.0)
    figures: list[str] = Field(default_factory=list)


class Place(_Model):
    """A place name mentioned in a document, resolved to the gazetteer where possible."""

    type: Literal["place"] = "place"
    doc_id: str
    mention: str
    start: int
    end: int
    name: str | None = None
    geonameid: int | None = None
    iso3: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    level: Level | None = None
    also_known_as: list[str] = Field(default_factory=list)
    use: Use = "literal"
    confidence: float = Field(ge=0.0, le=1.0)
    # Extension: the P-code of a place from the analyst's own list (``uprooted gazetteer add``).
    pcode: str | None = None
    reason: str | None = Field(default=None, exclude=True)


class Document(_Model):
    """One line for each document read, with its relevance and crisis category."""

    type: Literal["document"] = "document"
    doc_id: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = "en"
    relevant: bool = False
    category: Category = "unknown"
    # Extension: how many lines of this document follow its line in a JSONL output. A reader (and
    # ``--resume``) knows a document is whole when that many are there: a killed run leaves no doubt.
    record_count: int | None = Field(default=None, ge=0)


class ErrorRecord(_Model):
    """A document that could not be read or processed; the batch goes on."""

    type: Literal["error"] = "error"
    doc_id: str
    error: str
    stage: str | None = None


AnyRecord = Figure | Event | Place | Document | ErrorRecord
Record = Annotated[AnyRecord, Field(discriminator="type")]


# Keys that only reconciliation across documents sets: left out of a line while unset.
_ABSENT_WHEN_UNSET = ("group", "recommended", "why")


def to_json(record: BaseModel, *, debug: bool = False) -> dict[str, Any]:
    """The one way records leave the program; ``debug`` adds the reasons behind choices."""
    data = record.model_dump(mode="json")
    if isinstance(record, Figure):
        for key in _ABSENT_WHEN_UNSET:
            if data.get(key) is None:
                del data[key]
    if debug and getattr(record, "reason", None):
        data["reason"] = record.reason  # type: ignore[attr-defined]
    return data
