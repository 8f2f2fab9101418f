"""Whether a trigger states an event that happened: ACLED codes what took place, not what was
denied, planned or feared, nor what a unit habitually does.

Part of the event stage; each test reads the clause of the trigger in the dependency parse.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

__all__ = ["happened"]


def happened(anchor: Token, hypothetical_words: list[str], trigger: Token, attributes: Collection[str]) -> bool:
    """Neither negated, hypothetical, a standing activity nor a kind of something else."""
    return not (_negated(anchor) or _hypothetical(anchor, hypothetical_words) or _standing(anchor)
                or _attribute(anchor, trigger, attributes))


def _attribute(anchor: Token, trigger: Token, attributes: Collection[str]) -> bool:
    """"combat experiences", "battle gear": the event word only says what kind of record or kit."""
    return trigger.i != anchor.i and anchor.lemma_.lower() in attributes


def _hypothetical(anchor: Token, words: list[str]) -> bool:
    """ACLED codes what happened, not what should, could or will: "should send demonstrators",
    "threatened to attack", "plans to deploy", "if war breaks out". Read from the clause the trigger
    belongs to: a modal or future auxiliary or an "if" on its verb, or a verb of intent above it."""
    tok = anchor
    for _ in range(4):
        if any(c.dep_ in ("aux", "mark") and c.lower_ in words for c in tok.children):
            return True
        if tok is not anchor and tok.pos_ == "VERB" and tok.lemma_.lower() in words:
            return True
        if tok.head.i == tok.i or tok.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "conj"):
            return False
        tok = tok.head
    return False


def _standing(anchor: Token) -> bool:
    """ "forces battling the rebels", "a unit fighting in the north": a participle describing a
    noun says what someone does, not that an event happened (the event, if any, is the clause's own
    verb)."""
    return anchor.tag_ == "VBG" and anchor.dep_ == "acl"


def _negated(anchor: Token) -> bool:
    """ACLED codes what happened: "did not attack", "no fighting was reported", "there is no
    authority to fight them" are not events. Read from the parse: a negation on the trigger, a
    "no" determiner on an event noun, or either on the word an infinitive trigger completes."""

    def denies(tok: Token) -> bool:
        return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children)

    if denies(anchor):
        return True
    return anchor.dep_ in ("xcomp", "acl") and anchor.tag_ == "VB" and denies(anchor.head)
