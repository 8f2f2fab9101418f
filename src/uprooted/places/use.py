"""Deciding use: whether a place name is literal, stands for a government (metonymy) or qualifies
another word (modifier), and which mention contains which ("X, Y", "X in Y").

Part of the places stage; runs after the mentions are found and before they are ranked.
"""

from __future__ import annotations

from typing import Any

from .common import DIRECTIONS, Mention, moved
from .vocab import place_words

__all__ = []


def link_containers(doc: Any, mentions: list[Mention]) -> None:
    """"X, Y" and "X in Y (province)": Y is where X lies, when Y can contain X."""
    by_start = {m.start: k for k, m in enumerate(mentions)}
    for k, m in enumerate(mentions):
        nxt = m.end
        if nxt < len(doc) and doc[nxt].text == "," and nxt + 1 in by_start:
            m.container = by_start[nxt + 1]
        elif nxt < len(doc) and doc[nxt].lower_ == "in":
            j = nxt + 1
            while j < len(doc) and doc[j].lower_ in {"the"} | DIRECTIONS:
                j += 1
            if j in by_start:
                m.container = by_start[j]
        if m.container is not None and mentions[m.container].label == "NORP":
            m.container = None
        del k


def decide_use(doc: Any, mentions: list[Mention]) -> None:
    """Demonyms and names qualifying a noun are modifiers (but a name the recogniser called a group
    that a designator follows names a place: "Newroz camp"); a place that is the subject of a verb of
    speech or decision stands for its government (metonymy)."""
    words = place_words()
    verbs = set(words.metonymy_verbs)
    # "Kelvale state", "the Ostrel coast": the name qualifies a word for a place, and still is one.
    geographic = set(words.designators) | set(words.anaphors) | set(words.geographic_nouns)
    for m in mentions:
        # A name the recogniser called a group is still where people went or came from ("fled Belgorod").
        named_site = m.end < len(doc) and doc[m.end].lower_ in words.designators  # "Newroz camp"
        if (m.candidates and all(c.kind == "demonym" for c in m.candidates[:1])) or (
                m.label == "NORP" and not moved(doc, m) and not named_site):
            m.use = "modifier"
            continue
        root = doc[m.start:m.end].root
        if _hyphen_agent(doc, m, words.agent_participles) or (
                root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in verbs):
            m.use = "metonymy"
        elif root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN" and not (
            m.start <= root.head.i < m.end) and root.head.lemma_.lower() not in geographic and not named_site:
            m.use = "modifier"


def _hyphen_agent(doc: Any, m: Mention, participles: list[str]) -> bool:
    """ "Iran-backed", "U.S.-led": the name is joined by a hyphen to a participle of agency."""
    if m.text_end < doc[m.end - 1].idx + len(doc[m.end - 1].text):  # "U.S.-led" is one token
        rest = doc.text[m.text_end:doc[m.end - 1].idx + len(doc[m.end - 1].text)]
        return rest[:1] == "-" and rest[1:].lower() in participles
    return (m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end].whitespace_ == ""
            and doc[m.end + 1].lower_ in participles)

