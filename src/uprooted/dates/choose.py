"""The date a figure refers to: of the dates in and around its sentence, the one its clause governs,
else the publication date for a stock ("the camps hold 900 people" is true as of the report).

Part of the dates stage; the figures stage says whether the figure is a flow or a stock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spacy.tokens import Span, Token

from ..records import DatePeriod
from ..textutil import paragraph_bounds
from .vocab import DateMention, load_dates_vocab

__all__ = ["figure_date", "publication_period", "reference_date"]


def _tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (sentence-internal)."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


def publication_period(pub: dt.date) -> DatePeriod:
    """The publication day as a period with no text: a date the document did not write by the figure."""
    return DatePeriod(start=pub.isoformat(), end=pub.isoformat(), precision="day", text=None)


def _governing_verb(tok: Token) -> Token:
    """The verb a date hangs from ("told ... on Thursday" -> told), or the sentence root."""
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok


def _foreign(head: Token, anchor: Token, others: Sequence[Token], contrast: frozenset[str]) -> bool:
    """The date sits in a clause set against this figure's ("while 200,000 were displaced since July,
    35,000 are newly displaced") whose own figure it dates."""
    verb = _governing_verb(head)
    if verb.i == _governing_verb(anchor).i or not any(c.dep_ == "mark" and c.lower_ in contrast for c in verb.children):
        return False
    if anchor.i in {t.i for t in verb.subtree}:
        return False
    return any(_governing_verb(o).i == verb.i for o in others)


def figure_date(sent: Span, anchor: Token, mentions: list[DateMention], default: DatePeriod | None, *,
                kind: str, reporting: frozenset[str] = frozenset(),
                others: Sequence[Token] = (), contrast: frozenset[str] | None = None) -> DatePeriod | None:
    """The period the figure at ``anchor`` refers to.

    In order: a date in the same sentence, nearest in the dependency tree (a period introduced by
    "since" or "between" keeps its span, a reporting date "said on May 12" counts like any other);
    else a date earlier in the paragraph (news carries its reference time forward), then later in
    it; a headline takes the dates of the lead paragraph under it; else ``default``: the report's own
    date or the publication date, since a figure a report states without a date is the one current
    when it was written (a stock "remain displaced" most of all). ``default`` has no ``text``, so
    users can tell it was not written next to the figure; without one an undated figure gets ``None``.
    For an event, ``reporting`` lists the verbs of reporting: a date they govern
    ("an official told reporters on Thursday") is when it was told, so another date of the sentence wins.
    ``others`` are the other figures of the sentence: a date in a contrasted clause of one of them
    (``contrast`` marks, from ``data/dates.yaml`` by default) is its own.
    """
    marks = frozenset(load_dates_vocab().contrast_marks) if contrast is None else contrast
    in_sent = [m for m in mentions if sent.start_char <= m.start < sent.end_char
               and not (others and _foreign(sent.doc[m.token_start:m.token_end].root, anchor, others, marks))]
    if in_sent:
        doc = sent.doc

        def score(m: DateMention) -> tuple[int, int, int, int]:
            head = doc[m.token_start:m.token_end].root
            told = int(bool(reporting) and _governing_verb(head).lemma_.lower() in reporting)
            return (0 if m.resolved else 1, told, _tree_distance(anchor, head), abs(head.i - anchor.i))

        return min(in_sent, key=score).period
    paras = paragraph_bounds(sent.doc)
    p = next((k for k, (s, e) in enumerate(paras) if s <= sent.start_char < e), None)
    if p is not None:
        ps, pe = paras[p]
        before = [m for m in mentions if ps <= m.start < sent.start_char and m.resolved]
        if before:
            return before[-1].period
        after = [m for m in mentions if sent.end_char <= m.start < pe and m.resolved]
        if after:
            return after[0].period
        if p == 0 and len(paras) > 1:
            ns, ne = paras[1]
            lead = [m for m in mentions if ns <= m.start < ne and m.resolved]
            if lead:
                return lead[0].period
    return default


def reference_date(mentions: list[DateMention], today: dt.date | None = None) -> dt.date | None:
    """The date a document without a publication date speaks from: the latest full date it states
    (a report's "as of 8 March 2021", its title's date), never a future one. Relative and yearless
    dates ("last week", "9 March") are read from it, as from a publication date."""
    today = today or dt.date.today()
    ends = [dt.date.fromisoformat(m.period.end) for m in mentions
            if m.period.end and m.period.precision in ("day", "month") and m.relation != "since"]
    ends = [d for d in ends if d <= today]
    return max(ends) if ends else None
