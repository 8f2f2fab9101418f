"""The document timeline: figures and events in date order, and which event caused which figure.

Not a stage of the extraction proper: it runs after figures and events exist. ``link_figures``
takes one document's figure and event mentions (still tied to their parsed tokens) and returns,
for each figure id, the ids of the events its sentence names as its cause; ``attach_figures``
writes those links into the events' ``figures`` field. ``order_records`` sorts a document's
``figure`` and ``event`` records by date, and ``timeline_table`` / ``print_timeline`` render them
with Rich, so a reader sees the chain from the war to the exodus it caused (issue 6).

Links are read from the dependency parse, never from word order alone: the event's phrase must
hang on the figure's verb through a word of cause ("fled following the takeover", "displaced by
the fighting", "as a result of clashes"), be the object of a verb of flight ("fled the fighting"),
the subject of the figure's verb or of a causative one ("the offensive forced 4,000 to flee"), or
govern the figure's clause ("attacked the village, forcing 2,000 to flee"). The words live in
``data/event_types.yaml`` under ``causes``. Figures and events of different sentences are never
linked: coreference ("these clashes" three sentences later) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from spacy.tokens import Token

from .events import CauseWords, EventMention, EventVocab
from .figures import FigureMention
from .records import DatePeriod, Event, Figure, Location

__all__ = [
    "attach_figures",
    "link_figures",
    "order_records",
    "print_timeline",
    "timeline_table",
]

# Dependencies by which a figure's verb sits below the clause of its cause, without a subject
# of its own ("attacked the village, forcing 2,000 to flee"; "shelled the town and displaced 300").
_CLAUSE_CHAIN = frozenset({"xcomp", "advcl", "conj", "ccomp"})
_EVIDENCE_WIDTH = 160


# --- figure -> event links -------------------------------------------------------------------


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
    # "refugees are reported to have arrived since the surrender": the verb's own complement.
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
    "of" or a bridge noun ("since the start of the war"), so "fled to the town where fighting
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
        # "after insurgents launched an attack", "as gangs continue to loot homes": its object too.
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


# --- ordering and rendering --------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    record: Figure | Event
    when: str | None
    inferred: bool


def order_records(records: Iterable[BaseModel]) -> list[Figure | Event]:
    """The ``figure`` and ``event`` records of one document in date order.

    Records sort by the start of their period (a historic "1988-1994" war sorts in 1988), or by
    its end when only the end is known ("by October 2"); undated records come last. On the same
    date an event comes before the figures (a cause before its effect), then text order. An
    undated event linked to figures sorts at the earliest of their dates (it happened by then).
    Other record types are left out.
    """
    return [row.record for row in _rows(records)]


def _rows(records: Iterable[BaseModel]) -> list[_Row]:
    kept = [r for r in records if isinstance(r, Figure | Event)]
    figure_date = {r.id: _sort_date(r.date) for r in kept if isinstance(r, Figure)}
    rows: list[_Row] = []
    for rec in kept:
        when = _sort_date(rec.date)
        inferred = False
        if when is None and isinstance(rec, Event):
            caused = sorted(d for f in rec.figures if (d := figure_date.get(f)) is not None)
            if caused:
                when, inferred = caused[0], True
        rows.append(_Row(rec, when, inferred))

    def key(row: _Row) -> tuple[bool, str, int, int, str]:
        return (
            row.when is None,
            row.when or "",
            0 if isinstance(row.record, Event) else 1,
            row.record.evidence.start,
            row.record.id,
        )

    return sorted(rows, key=key)


def _sort_date(date: DatePeriod | None) -> str | None:
    if date is None:
        return None
    return date.start or date.end


def timeline_table(records: Iterable[BaseModel], *, title: str | None = None) -> Table:
    """A Rich table of the document's figures and events in date order: when, kind, what,
    where and the evidence sentence. An event lists the figures it caused; a figure the events
    that caused it."""
    rows = _rows(records)
    causes: dict[str, list[str]] = {}
    for row in rows:
        if isinstance(row.record, Event):
            for figure_id in row.record.figures:
                causes.setdefault(figure_id, []).append(_short(row.record.id))
    if title is None and rows:
        title = f"{rows[0].record.doc_id}: {len(rows)} figure(s) and event(s) in date order"
    table = Table(title=title, show_lines=True)
    table.add_column("when", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("what", overflow="fold")
    table.add_column("where", overflow="fold")
    table.add_column("evidence", overflow="fold", max_width=70)
    for row in rows:
        rec = row.record
        when = _period_text(rec.date)
        if row.inferred and row.when:
            when = f"by {row.when}"
        if isinstance(rec, Figure):
            what = describe_figure(rec)
            if rec.id in causes:
                what += f" ← {', '.join(causes[rec.id])}"
        else:
            what = describe_event(rec)
            if rec.figures:
                what += f" → {', '.join(_short(f) for f in rec.figures)}"
        where = _where(rec.locations, roles=isinstance(rec, Figure))
        table.add_row(when, _short(rec.id), rec.type, what, where, _clip(rec.evidence.text))
    return table


def print_timeline(records: Iterable[BaseModel], console: Console | None = None, *, title: str | None = None) -> None:
    """Print the timeline table of one document's records (``uprooted timeline ARTICLE``)."""
    (console or Console()).print(timeline_table(records, title=title))


def describe_figure(rec: Figure) -> str:
    """"100,514 person refugee": the quantity as written, the unit and IDMC's term."""
    return f"{rec.quantity.text} {rec.unit} {rec.term}"


def describe_event(rec: Event) -> str:
    """"battles/armed_clash: Military Forces of Azerbaijan vs Armenian forces (Nagorno-Karabakh)"."""
    kind = f"{rec.event_type}/{rec.sub_event_type}"
    first = [a.name for a in rec.actors if a.role == "actor1"]
    second = [a.name for a in rec.actors if a.role == "actor2"]
    if not first and not second:
        return kind
    sides = " vs ".join(s for s in (", ".join(first), ", ".join(second)) if s)
    return f"{kind}: {sides}"


def _period_text(date: DatePeriod | None) -> str:
    """"2023-09-19", "1988 – 1994" for whole years, "2023-09-19 – 2023-09-20" otherwise."""
    if date is None or not (date.start or date.end):
        return ""
    start, end = date.start, date.end
    if start and end and start[5:] == "01-01" and end[5:] == "12-31":
        return start[:4] if start[:4] == end[:4] else f"{start[:4]} – {end[:4]}"
    if start and end and start != end:
        return f"{start} – {end}"
    if not start:
        return f"by {end}"
    return start


def _where(locations: list[Location], *, roles: bool) -> str:
    """Place names; for a figure, "from" its origin and "to" its destination (an event only
    happens somewhere, whatever role the places stage gave its locations)."""
    parts: list[str] = []
    for loc in locations:
        name = loc.name or loc.mention
        if not name:
            continue
        text = {"origin": f"from {name}", "destination": f"to {name}"}.get(loc.role, name) if roles else name
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


def _short(record_id: str) -> str:
    """"seed#e2" -> "e2": the document is in the title."""
    return record_id.rpartition("#")[2] or record_id


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_WIDTH else text[: _EVIDENCE_WIDTH - 1] + "…"
