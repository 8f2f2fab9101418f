"""Attribution inside a sentence: the reporting verbs whose clause holds a figure, their subjects, and
"according to X" or ", X said" at the end.

Part of the sources stage; it finds the span a figure is attributed to and leaves naming it to
``naming.py``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from .vocab import Index, organisation_of

__all__ = []


def noun_phrase(head: Token) -> Span:
    """The noun phrase of ``head``, without a leading "according to" or trailing punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    # "the agency updating its data on Monday said": a clause on the name is not part of it.
    clause = [c for c in head.rights if c.dep_ in ("acl", "relcl", "xcomp") and c.tag_ in ("VBG", "VBN", "VBD", "VBZ")]
    if clause:
        end = min(end, clause[0].left_edge.i)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        if doc[end - 1].text == ")" and any(t.text == "(" for t in doc[start:end]):
            break
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _dateline_end(doc: Doc, start: int) -> int:
    """The token after a dateline ("TOWN, date (Agency) -", "TOWN (Agency) –") opening a line at
    ``start``; ``start`` when there is none."""
    if start > 0 and "\n" not in doc[start - 1].whitespace_ + doc[start - 1].text:
        return start
    if not (doc[start].is_upper and len(doc[start].text) > 1):
        return start
    dash = next((i for i in range(start + 1, min(len(doc), start + 12)) if doc[i].text in ("-", "–", "—")), None)
    return dash + 1 if dash is not None else start


def _subject(verb: Token) -> Token | None:
    # "was reported by the agency", "Population identified by the agency": the agent is who spoke,
    # whatever the parser made the subject.
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    for child in verb.children:
        # "TOKA (Radio 9) – The ministry announced": the dateline is parsed as a second subject.
        if child.dep_ in ("nsubj", "nsubjpass", "csubj") and _dateline_end(child.doc, child.left_edge.i) <= child.i:
            # "KRDMA updating its records said": the parser makes the participle the subject.
            own = [c for c in child.children if c.dep_ == "nsubj" and c.i < child.i]
            return own[0] if child.dep_ == "csubj" and child.tag_ == "VBG" and own else child
    # "..., Vollenweider said, adding": a conjoined verb shares the subject.
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def _governs(verb: Token, anchor: Token) -> bool:
    """The figure is in what ``verb`` reports: below it, or in the clause its comma clause hangs on."""
    if verb in anchor.ancestors:
        return True
    return verb.dep_ in ("parataxis", "advcl", "conj", "ccomp") and verb.head in [anchor, *anchor.ancestors]


def _is_reporting(tok: Token, idx: Index) -> bool:
    return tok.lemma_.lower() in idx.reporting and tok.pos_ in ("VERB", "AUX")


def attributions(sent: Span, idx: Index) -> list[tuple[Token, Token]]:
    """(verb or "according", head of the source phrase) for each attribution in ``sent``."""
    out: list[tuple[Token, Token]] = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
            to = tok.nbor(1)
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if objs:
                out.append((tok, objs[0]))
            continue
        lemma = tok.lemma_.lower()
        if _is_reporting(tok, idx) or (lemma in idx.evidence and tok.pos_ == "VERB"):
            subj = _subject(tok)
            if subj is None and tok.dep_ == "acl" and tok.head.lemma_.lower() in idx.documents:
                # "It shared statistics showing that ...": the document, or who gave it.
                document = tok.head
                subj = _subject(document.head) if document.dep_ == "dobj" else None
                out.append((tok, subj if subj is not None else document))
                continue
            if subj is None:
                continue
            if lemma not in idx.reporting and not _evidence_subject(subj, idx):
                continue
            out.append((tok, subj))
    return out


def _evidence_subject(subj: Token, idx: Index) -> bool:
    """ "figures show" and "OCHA data indicate" attribute; "a satellite photo shows" does not."""
    span = noun_phrase(subj)
    return subj.lower_ in idx.documents or organisation_of(span.text, idx) is not None


_TAIL_VERBS = re.compile(
    r"^(?:said|says|say|reported|reports|report|told|tells|stated|states|added|adds|noted|notes|confirmed|"
    r"confirms|estimated|estimates|announced|announces)$"
)


def _tail_attribution(sent: Span, anchor: Token) -> Span | None:
    """", UN reports" at the end of a headline the parser misread: the words between the last comma
    and a reporting verb, when the figure stands before that comma."""
    commas = [t for t in sent if t.text == "," and t.i > anchor.i]
    if not commas:
        return None
    comma = commas[-1]
    rest = [t for t in sent.doc[comma.i + 1:sent.end] if not t.is_space]
    for k, t in enumerate(rest[:8]):
        if _TAIL_VERBS.match(t.lower_) and k > 0:
            np = sent.doc[rest[0].i:t.i]
            if any(w.pos_ in ("PROPN", "NOUN") for w in np):
                return np
            return None
    return None


def in_sentence(sent: Span, anchor: Token, idx: Index) -> Span | None:
    best: tuple[int, Span] | None = None
    for verb, head in attributions(sent, idx):
        if head.left_edge.i <= anchor.i <= head.right_edge.i:
            continue  # the figure is inside the would-be source: "100 people said ..."
        if verb.lower_ != "according" and not _governs(verb, anchor):
            continue
        depth = sum(1 for _ in verb.ancestors)
        rank = -depth if verb.lower_ != "according" else 50
        if best is None or rank < best[0]:
            best = (rank, noun_phrase(head))
    if best is not None:
        return best[1]
    return _tail_attribution(sent, anchor)


def sentences_of(doc: Doc) -> list[Span]:
    """The document's sentences, listed once per ``Doc`` (spaCy rebuilds them on every access)."""
    cached = doc.user_data.get("uprooted.sents")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["uprooted.sents"] = cached
    return list(cached)

