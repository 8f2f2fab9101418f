"""The causes stage: which event of a sentence caused which figure.

Runs after figures and events exist. ``link_figures`` takes one document's figure and event mentions
(still tied to their parsed tokens) and returns, for each figure id, the ids of the events its
sentence names as its cause; ``attach_figures`` writes those links into the events' ``figures`` field.

Links are read from the dependency parse, never from word order alone: the event's phrase must
hang on the figure's verb through a word of cause ("fled following the takeover", "displaced by
the fighting", "as a result of the shelling"), be the object of a verb of flight ("fled the fighting"),
the subject of the figure's verb or of a causative one ("the offensive forced 4,000 to flee"), or
govern the figure's clause ("attacked the village, forcing 2,000 to flee"). The words live in
``data/event_types.yaml`` under ``causes``. Figures and events of different sentences are never
linked: coreference ("these clashes" three sentences later) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.tokens import Token

from .events import CauseWords, EventMention, EventVocab
from .figures import FigureMention
from .records import Event

__all__ = ["attach_figures", "link_figures"]


# Dependencies by which a figure's verb sits below the clause of its cause, without a subject
# of its own ("attacked the village, forcing 2,000 to flee"; "shelled the town and displaced 300").
_CLAUSE_CHAIN = frozenset({"xcomp", "advcl", "conj", "ccomp"})


def link_figures(
    figures: Mapping[str, FigureMention],
    events: Mapping[str, EventMention],
    vocab: EventVocab,
) -> dict[str, list[str]]:
    """For each figure id, the ids of the events its sentence says caused it, in text order.

    ``figures`` and ``events`` map record ids to the mentions of one parsed document. Figures
    with no stated cause are absent from the result.
    """
    words = vocab.event_types.causes
    links: dict[str, list[str]] = {}
    for figure_id, figure in figures.items():
        found = [
            event_id
            for event_id, event in sorted(events.items(), key=lambda kv: kv[1].start)
            if event.sentence.start == figure.sent.start and _caused(figure.trigger, event.anchor, words)
        ]
        if found:
            links[figure_id] = found
    return links


def attach_figures(
    events: Iterable[Event], links: Mapping[str, list[str]], kept: Iterable[str] | None = None
) -> list[Event]:
    """The event records with ``figures`` filled from ``link_figures``' result.

    ``kept`` (the ids of the figure records actually published) drops links to figures that
    fell below the confidence threshold, so no record points at a missing id.
    """
    allowed = set(kept) if kept is not None else None
    caused: dict[str, list[str]] = {}
    for figure_id, event_ids in links.items():
        if allowed is not None and figure_id not in allowed:
            continue
        for event_id in event_ids:
            caused.setdefault(event_id, []).append(figure_id)
    out: list[Event] = []
    for event in events:
        extra = [f for f in caused.get(event.id, []) if f not in event.figures]
        out.append(event.model_copy(update={"figures": [*event.figures, *extra]}) if extra else event)
    return out


def _caused(trigger: Token, anchor: Token, words: CauseWords) -> bool:
    """True when the parse makes the event at ``anchor`` the cause of the figure at ``trigger``."""
    if anchor.i == trigger.i:
        return False
    return _marked_cause(trigger, anchor, words) or _subject_cause(trigger, anchor, words) or _governing_cause(
        trigger, anchor
    )


def _figure_heads(trigger: Token) -> set[int]:
    """The figure's verb and the verbs it depends on without a new subject ("forced ... to flee")."""
    heads = {trigger.i}
    node = trigger
    if node.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and node.head.i != node.i:
        # "20,000 refugees arrived since the war": the trigger is a noun, its verb carries the cause.
        node = node.head
        heads.add(node.i)
    # "refugees are said to have arrived since the ceasefire": the verb's own complement.
    heads |= {c.i for c in node.children if c.dep_ == "xcomp"}
    for _ in range(2):
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head.i == node.i:
            break
        node = node.head
        heads.add(node.i)
    return heads


def _marker_at(token: Token, markers: list[str]) -> int:
    """Length in tokens of the cause marker starting at ``token`` ("as a result of" -> 4), or 0."""
    doc = token.doc
    for marker in markers:
        parts = marker.split()
        end = token.i + len(parts)
        if end <= len(doc) and [t.lower_ for t in doc[token.i : end]] == parts:
            return len(parts)
    return 0


def _marked_cause(trigger: Token, anchor: Token, words: CauseWords) -> bool:
    """The event's phrase hangs on the figure's verb through a word of cause.

    Climbs from the event to the figure's verb; every token passed must be the marker itself,
    "of" or a bridge noun ("since the outbreak of the war"), so "fled to the town where fighting
    broke out after the attack" does not tie the flight to the attack.
    """
    heads = _figure_heads(trigger)
    markers = sorted(words.markers, key=lambda m: -len(m.split()))
    path: list[Token] = []
    node = anchor
    for _ in range(8):
        if node.head.i == node.i:
            return False
        if node.head.i in heads:
            break
        node = node.head
        path.append(node)
    else:
        return False
    top = node  # the token attached to the figure's verb
    if top.i == anchor.i:
        # "fled the fighting"; "fled after gunmen attacked the village" (a clause with its marker)
        if anchor.dep_ in ("dobj", "obj") and anchor.head.lemma_.lower() in words.flee_verbs:
            return True
        if anchor.head.i != trigger.i and _marker_at(anchor.head, markers):
            return True  # "fled following the takeover", "following" parsed as the verb's complement
        if anchor.dep_ in ("advcl", "prep", "pcomp"):
            return any(c.dep_ in ("mark", "advmod") and _marker_at(c, markers) for c in anchor.children)
        return False
    if top.dep_ == "advcl":
        # "fled after fighting broke out": the event is the subject of a marked clause;
        marked = any(c.dep_ in ("mark", "advmod") and _marker_at(c, markers) for c in top.children)
        # "after insurgents launched an attack", "as gangs continue to burn houses": its object too.
        return marked and path == [top] and anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "xcomp")
    if top.dep_ == "agent" or top.lower_ == "by":
        covered = {top.i}
    else:
        size = _marker_at(top, markers)
        if not size:
            return False
        covered = set(range(top.i, top.i + size))
    bridges = set(words.bridges)
    return all(t.i in covered or t.lower_ == "of" or t.lemma_.lower() in bridges or t.lower_ in bridges for t in path)


def _subject_cause(trigger: Token, anchor: Token, words: CauseWords) -> bool:
    """The event is the subject of the figure's verb ("clashes displaced 3,000") or of a causative
    verb the figure depends on ("the offensive forced 4,000 people to flee")."""
    if anchor.dep_ not in ("nsubj", "csubj"):
        return False
    verb = anchor.head
    if verb.i == trigger.i:
        return True
    if verb.lemma_.lower() not in words.cause_verbs:
        return False
    node = trigger
    for _ in range(3):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.i == verb.i:
            return True
    return False


def _governing_cause(trigger: Token, anchor: Token) -> bool:
    """The figure's clause depends on the event's verb without a subject of its own: "gunmen
    attacked the village, forcing 2,000 people to flee" (the doer of the attack displaced them)."""
    if anchor.pos_ not in ("VERB", "AUX"):
        return False
    node = trigger
    for _ in range(3):
        if node.dep_ not in _CLAUSE_CHAIN or node.head.i == node.i:
            return False
        if any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in node.children) and node.i != trigger.i:
            return False
        if node.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return False  # "the army attacked and 2,000 people fled": two clauses, two subjects
        node = node.head
        if node.i == anchor.i:
            return True
    return False

