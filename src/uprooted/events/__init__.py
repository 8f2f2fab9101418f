"""The event stage: conflict events in ACLED's typology, with their actors and fatalities.

Takes a parsed ``Doc`` (the shared spaCy pipeline, with its dependency parse) and the event
vocabulary (``data/event_types.yaml`` + ``data/actors.yaml``); returns ``EventMention`` values,
one per event found in a sentence, each with ACLED's event and sub-event type, the actors
(actor1 = who acted, actor2 = who was acted on), fatalities when stated, the evidence sentence
and the trigger it was read from. Dates and locations are left to the dates and places stages:
the mention keeps its trigger token and character span so the records stage can attach them.

Rules, not a trained model: ``vocab`` holds the rules, ``matcher`` finds their phrases in a
document, ``scope`` drops what was denied, planned or habitual, ``detect`` weighs each trigger's
arguments and cues and keeps the most specific rule that holds.
"""

from __future__ import annotations

from .detect import detect_events
from .matcher import compiled
from .vocab import CauseWords, EventMention, EventRule, EventTypesFile, EventVocab, load_event_vocab

__all__ = [
    "CauseWords",
    "EventMention",
    "EventRule",
    "EventTypesFile",
    "EventVocab",
    "compiled",
    "detect_events",
    "load_event_vocab",
]
