"""Finding dates: every date a parsed document states, in one pass of the grammar over its text.

Part of the dates stage. Why rules first and dateparser second: dateparser reads one string at a
time and is slow, and its relative forms count from the machine's clock unless told otherwise. Only
spaCy DATE entities the grammar does not cover go to dateparser, always with the publication date
as ``RELATIVE_BASE`` and cached. Without a publication date nothing relative is guessed: the mention
keeps its text and precision with ``start``/``end`` left ``None``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from ..records import DatePeriod
from ..textutil import doc_text
from .grammar import (
    Grammar,
    Res,
    alt,
    grammar_for,
    infer_year,
    join_range,
    month_end,
    number_of,
    resolve_point,
    safe_date,
    shift,
    unit_of,
)
from .vocab import DateMention, DatesVocab, Relation, load_dates_vocab

__all__ = ["find_dates", "scan_dates"]




@dataclass
class _Raw:
    start: int
    end: int
    res: Res | None
    relation: Relation = "point"
    kind: str = ""


def _preceding_word(text: str, start: int, words: list[str]) -> int | None:
    """Start offset of one of ``words`` standing right before ``start``, else ``None``."""
    head = text[max(0, start - 16):start]
    for w in sorted(words, key=len, reverse=True):
        mm = re.search(r"(?i)\b" + re.escape(w).replace(r"\ ", r"\s+") + r"\s+$", head)
        if mm:
            return start - (len(head) - mm.start())
    return None


def _scan(text: str, date_ents: list[tuple[int, int]], pub: dt.date | None, g: Grammar) -> list[_Raw]:
    """Every date the grammar reads in ``text``, in order, with ranges and "since" joined."""
    v = g.vocab
    taken: list[tuple[int, int]] = []
    raws: list[_Raw] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in g.ended.finditer(text):
        y, n, unit = int(m.group("y")), number_of(m.group("n"), v), unit_of(m.group("u"))
        start = shift(dt.date(y, 1, 1), -n, unit)
        raws.append(_Raw(m.start(), m.end(), (dt.date(start.year, 1, 1), dt.date(y, 12, 31), "period"),
                         "range", "ended"))
        taken.append((m.start("y"), m.end("y")))
    for m in g.part_of_month.finditer(text):
        if not free(m.start(), m.end()):
            continue
        mo = g.month[m.group("m").rstrip(".").lower()]
        yp = int(m.group("y")) if m.group("y") else (infer_year(mo, 1, pub) if pub else None)
        n = number_of(m.group("n"), v) if m.group("n") else 1
        days = n * (7 if m.group("u").lower().startswith("week") else 1)
        if yp is None:
            raws.append(_Raw(m.start(), m.end(), (None, None, "period"), "range", "part"))
        else:
            last = month_end(yp, mo)
            if m.group("side").lower() in ("last", "final"):
                lo, hi = last - dt.timedelta(days=days - 1), last
            else:
                lo = dt.date(yp, mo, 1)
                hi = min(last, lo + dt.timedelta(days=days - 1))
            raws.append(_Raw(m.start(), m.end(), (lo, hi, "period"), "range", "part"))
        taken.append((m.start(), m.end()))
    for m in g.day_range.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("b_m"):
            mo = g.month[m.group("b_m").rstrip(".").lower()]
            d1, d2 = int(re.sub(r"\D", "", m.group("a_d"))), int(re.sub(r"\D", "", m.group("b_d")))
        else:
            mo = g.month[m.group("c_m").rstrip(".").lower()]
            d1, d2 = int(re.sub(r"\D", "", m.group("c_d"))), int(re.sub(r"\D", "", m.group("d_d")))
        if d2 <= d1:
            continue
        yr = int(m.group("y")) if m.group("y") else (infer_year(mo, d2, pub) if pub else None)
        lo_d = safe_date(yr, mo, d1) if yr else None
        hi_d = safe_date(yr, mo, d2) if yr else None
        raws.append(_Raw(m.start(), m.end(), (lo_d, hi_d, "period"), "range", "day_range"))
        taken.append((m.start(), m.end()))

    ent_starts = [s for s, _ in date_ents]

    def in_date_ent(s: int, e: int) -> bool:
        i = bisect.bisect_right(ent_starts, s) - 1
        return i >= 0 and date_ents[i][0] <= s and e <= date_ents[i][1]

    points: list[tuple[re.Match[str], int, int]] = []
    for m in g.point.finditer(text):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        kind = m.lastgroup or ""
        if kind in ("year", "month") and not in_date_ent(s, e):
            # "the 2009 war", "the 2012 earthquake": a year naming an event.
            names_event = kind == "year" and _preceding_word(text, s, ["the"]) is not None and bool(
                re.match(r"\s+[a-z]", text[e:e + 2]))
            if _preceding_word(text, s, v.date_prepositions) is None and not names_event:
                continue
        if kind == "month" and not in_date_ent(s, e) and text[e:e + 1].isalpha():
            continue
        points.append((m, s, e))

    ref: dt.date | None = None
    i = 0
    while i < len(points):
        m, s, e = points[i]
        res = resolve_point(m, g, pub, ref)
        kind = m.lastgroup or ""
        i += 1
        if res is None:
            continue
        raw = _Raw(s, e, res, "point", kind)
        # "Monday, May 12": the explicit date is the one to keep.
        if kind == "wd" and i < len(points) and re.fullmatch(r",?\s*", text[e:points[i][1]]) and \
                points[i][0].lastgroup in ("dmy", "mdy"):
            continue
        # A range: "between 14 October and 9 March", "from 2016 to 2018".
        if i < len(points):
            m2, s2, e2 = points[i]
            gap = text[e:s2]
            if re.fullmatch(r"\s*(?:" + alt(v.range_joiners, ci=True) + r")\s*", gap):
                res2 = resolve_point(m2, g, pub, ref)
                if res2 is not None and res[0] is None and res2[1] is not None:
                    # "between October and early November 2019": the start takes the end's year.
                    res = resolve_point(m, g, res2[1], ref) or res
                if res2 is not None:
                    opener = _preceding_word(text, s, v.range_openers)
                    joined = join_range(res, res2)
                    raw = _Raw(opener if opener is not None else s, e2, joined, "range", kind)
                    i += 1
        if raw.relation == "point":
            since = _preceding_word(text, s, v.since_words)
            as_of = _preceding_word(text, s, v.as_of_words)
            if since is not None:
                first = res[0]
                upto = pub if pub and first and pub >= first else None
                raw = _Raw(since, e, (first, upto, "period"), "since", kind)
            elif as_of is not None:
                raw = _Raw(as_of, e, res, "as_of", kind)
            else:
                on = _preceding_word(text, s, ["on", "in", "during"])
                if on is not None:
                    raw = _Raw(on, e, res, "point", kind)
        if raw.res and raw.res[0] and kind not in ("later", "next", "ago", "back", "within", "rel"):
            ref = raw.res[1] if raw.relation == "range" else raw.res[0]
        raws.append(raw)
    raws.sort(key=lambda r: r.start)
    return raws


@lru_cache(maxsize=4096)
def _dateparse(text: str, pub: dt.date | None) -> dt.date | None:
    """dateparser on one DATE entity the grammar missed, counting from publication, never the clock."""
    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": True}
    if pub is None:
        settings["REQUIRE_PARTS"] = ["year"]
        settings["RELATIVE_BASE"] = dt.datetime(1900, 1, 1)
    else:
        settings["RELATIVE_BASE"] = dt.datetime(pub.year, pub.month, pub.day)
    got = dateparser.parse(text, languages=["en"], settings=settings)
    return got.date() if got is not None else None


_DATEPARSER_HINT = re.compile(r"\d")  # a digit: a day or a year to anchor on


def scan_dates(text: str, published: dt.date | None, vocab: DatesVocab) -> list[tuple[int, int, DatePeriod]]:
    """The dates of a short unparsed text (a title): offsets and periods, by the grammar alone."""
    raws = sorted(_scan(text, [], published, grammar_for(vocab)), key=lambda r: r.start)
    return [(r.start, r.end, period) for r in raws if (period := _period(r, text)) is not None]


def _period(r: _Raw, text: str) -> DatePeriod | None:
    """The published period of a date the grammar read, with its words; ``None`` when unread."""
    if r.res is None:
        return None
    lo, hi, prec = r.res
    return DatePeriod(start=lo.isoformat() if lo else None, end=hi.isoformat() if hi else None,
                      precision=prec, text=text[r.start:r.end])


def find_dates(doc: Doc, published: dt.date | None, vocab: DatesVocab | None = None) -> list[DateMention]:
    """Every date ``doc`` states, resolved against ``published``, in text order."""
    g = grammar_for(vocab or load_dates_vocab())
    text = doc_text(doc)
    ents = sorted((e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME"))
    raws = _scan(text, ents, published, g)
    covered = [(r.start, r.end) for r in raws]
    for s, e in ents:
        if any(not (e <= a or s >= b) for a, b in covered):
            continue
        chunk = text[s:e]
        # Only what names a calendar date the grammar could not read ("18October"); dateparser
        # turns durations ("18 months") and ages into dates counted back from the base.
        if len(chunk) > 40 or not _DATEPARSER_HINT.search(chunk) or not g.month_word.search(chunk):
            continue
        d = _dateparse(chunk, published)
        if d is not None and 1900 <= d.year <= 2099:
            raws.append(_Raw(s, e, (d, d, "day"), "point", "dateparser"))
    raws.sort(key=lambda r: r.start)
    sent_starts = [s.start_char for s in doc.sents]
    out: list[DateMention] = []
    for r in raws:
        period = _period(r, text)
        span = doc.char_span(r.start, r.end, alignment_mode="expand") if period is not None else None
        if period is None or span is None:
            continue
        out.append(DateMention(r.start, r.end, span.start, span.end,
                               bisect.bisect_right(sent_starts, r.start) - 1, period, r.relation))
    return _extend_since(doc, out, published, g.vocab)


def _extend_since(doc: Doc, mentions: list[DateMention], pub: dt.date | None, v: DatesVocab) -> list[DateMention]:
    """"since clashes erupted there on Tuesday": a "since" a few words back opens the period too."""
    out = []
    prev_end = 0
    for m in mentions:
        if m.relation == "point":
            for i in range(m.token_start - 1, max(-1, m.token_start - 1 - v.since_reach), -1):
                tok = doc[i]
                if tok.idx < prev_end or tok.is_punct or (tok.is_sent_start and tok.lower_ not in v.since_words):
                    break
                if tok.lower_ in v.since_words:
                    ok = pub is not None and m.period.start is not None and pub.isoformat() >= m.period.start
                    period = DatePeriod(start=m.period.start, end=pub.isoformat() if ok and pub else None,
                                        precision="period", text=doc_text(doc)[tok.idx:m.end])
                    m = replace(m, start=tok.idx, token_start=i, period=period, relation="since")
                    break
        out.append(m)
        prev_end = m.end
    return out

