"""The event stage's vocabulary and values: ``data/event_types.yaml`` and ``data/actors.yaml`` as checked
models, and ``EventMention``, what the stage returns for each event it reads.

A rule names trigger phrases and constraints drawn from ACLED's codebook definitions (who is the
doer, what kind of target, which cues must or must not be near); names a rule uses must be declared,
so a typo stops loading instead of dropping the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.tokens import Span, Token

from ..actors import ActorsFile
from ..datafiles import load_vocabulary
from ..records import Actor, DatePeriod, Event, Evidence, Location

__all__ = [
    "EXPLOSIVE_CUE", "CauseWords", "EventMention", "EventRule", "EventTypesFile", "EventVocab", "load_event_vocab",
]


_AGENT_KINDS = {"armed", "state", "non_state", "crowd", "civilian"}


_AGENTS = {"any", "none"} | _AGENT_KINDS | {f"not_{k}" for k in _AGENT_KINDS}


TARGET_KINDS = {"armed", "civilian", "territory", "weapons", "base"}


_TARGETS = {"any", "none"} | TARGET_KINDS | {f"not_{k}" for k in TARGET_KINDS}


# Which cue list marks which kind of target; the names are cue lists of event_types.yaml.
TARGET_CUES = {"civilian_target": "civilian", "armed_target": "armed", "territory": "territory",
                "weapons": "weapons", "base": "base"}


# The cue list of explosive devices: "the blast / bomb that killed five" is an explosion, whatever verb follows.
EXPLOSIVE_CUE = "explosive"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventRule(_Strict):
    """One trigger rule: any phrase gives ``sub_event_type`` when the constraints hold."""

    sub_event_type: str
    confidence: float = Field(ge=0.0, le=1.0)
    phrases: list[str]
    agent: str = "any"
    target: str = "any"
    context_any: list[str] = Field(default_factory=list)
    context_none: list[str] = Field(default_factory=list)
    window: int = Field(default=0, ge=0)
    generic: bool = False


class NegativeCue(_Strict):
    """Words of a non-ACLED story (earthquake, smuggling, embassy) and how much they weigh."""

    factor: float = Field(gt=0.0, le=1.0)
    window: int = Field(default=0, ge=0)
    spare: list[str] = Field(default_factory=list)
    # Lifted when an armed group does it: militants trafficking women is conflict violence, not crime.
    spare_armed: bool = False
    phrases: list[str]


class Fatalities(_Strict):
    """Death words a number must attach to, and number words spelt out in news."""

    lemmas: list[str]
    numbers: dict[str, int]


class CauseWords(_Strict):
    """Words that tie a displacement figure to the event that caused it (``timeline.link_figures``)."""

    markers: list[str]
    bridges: list[str]
    flee_verbs: list[str]
    cause_verbs: list[str]


class EventTypesFile(_Strict):
    """The schema of ``data/event_types.yaml``; names used by rules must be declared in it."""

    min_confidence: float = Field(ge=0.0, le=1.0)
    position_decay: float = Field(ge=0.0, le=1.0)
    position_floor: float = Field(ge=0.0, le=1.0)
    types: dict[str, dict[str, str]]
    cues: dict[str, list[str]]
    negative_cues: dict[str, NegativeCue]
    rules: list[EventRule]
    settings: dict[str, list[str]] = Field(default_factory=dict)
    hypothetical: list[str] = Field(default_factory=list)
    attributes: list[str] = Field(default_factory=list)
    causes: CauseWords
    fatalities: Fatalities

    @model_validator(mode="after")
    def _names_declared(self) -> EventTypesFile:
        subs = {s for subs in self.types.values() for s in subs}
        missing_cues = ({*TARGET_CUES, EXPLOSIVE_CUE}) - set(self.cues)
        if missing_cues:
            raise ValueError(f"cues: missing lists {sorted(missing_cues)} used to classify doers and targets")
        for name, neg in self.negative_cues.items():
            unknown = set(neg.spare) - set(self.types)
            if unknown:
                raise ValueError(f"negative_cues.{name}.spare: unknown event types {sorted(unknown)}")
        for i, rule in enumerate(self.rules):
            where = f"rules[{i}] ({rule.sub_event_type})"
            if rule.sub_event_type not in subs:
                raise ValueError(f"{where}: unknown sub_event_type")
            if rule.agent not in _AGENTS:
                raise ValueError(f"{where}: agent {rule.agent!r} not one of {sorted(_AGENTS)}")
            if rule.target not in _TARGETS:
                raise ValueError(f"{where}: target {rule.target!r} not one of {sorted(_TARGETS)}")
            for cue in [*rule.context_any, *rule.context_none]:
                if cue not in self.cues:
                    raise ValueError(f"{where}: cue {cue!r} is not declared under cues")
        for name, allowed in self.settings.items():
            if name != "default" and name not in self.types and name not in subs:
                raise ValueError(f"settings.{name}: not an event or sub-event type")
            unknown = set(allowed) - {"any", "conflict", "mass"} - set(self.cues)
            if unknown:
                raise ValueError(f"settings.{name}: {sorted(unknown)} are neither 'any', 'conflict', 'mass' "
                                 "nor cue lists")
        return self

    def setting_of(self, event_type: str, sub_event_type: str) -> list[str]:
        """Where an event of this type is coded: the sub-event's setting, else the type's, else the default."""
        for key in (sub_event_type, event_type, "default"):
            if key in self.settings:
                return self.settings[key]
        return ["any"]


class EventVocab(_Strict):
    """Both vocabularies of the stage; ``matcher.compiled`` builds (and caches) their spaCy matchers."""

    event_types: EventTypesFile
    actors: ActorsFile


def load_event_vocab() -> EventVocab:
    """Read and validate ``data/event_types.yaml`` and ``data/actors.yaml``."""
    return EventVocab(
        event_types=load_vocabulary("event_types.yaml", EventTypesFile),
        actors=load_vocabulary("actors.yaml", ActorsFile),
    )


@dataclass(frozen=True)
class EventMention:
    """One event read from one sentence, before dates and places are attached.

    ``anchor`` is the syntactic head of the trigger (the verb or event noun): the dates and
    places stages can look at what hangs off it. ``reason`` says which rule fired, for debug.
    """

    sentence: Span
    trigger: Span
    anchor: Token
    event_type: str
    sub_event_type: str
    actors: tuple[Actor, ...]
    fatalities: int | None
    evidence: Evidence
    confidence: float
    reason: str = ""

    @property
    def start(self) -> int:
        """Character offset of the trigger, for lining up with date and place spans."""
        return self.trigger.start_char

    @property
    def end(self) -> int:
        """Character offset just past the trigger."""
        return self.trigger.end_char

    def to_event(
        self,
        doc_id: str,
        event_id: str,
        *,
        date: DatePeriod | None = None,
        locations: list[Location] | None = None,
    ) -> Event:
        """The published record, once the pipeline has a date and locations for it."""
        return Event(
            doc_id=doc_id,
            id=event_id,
            event_type=self.event_type,  # type: ignore[arg-type]
            sub_event_type=self.sub_event_type,
            actors=list(self.actors),
            date=date,
            locations=locations or [],
            fatalities=self.fatalities,
            evidence=self.evidence,
            confidence=self.confidence,
        )

