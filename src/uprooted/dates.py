"""Dates stage: every date a document states, anchored to its publication date, and the one a figure refers to.

Takes a parsed spaCy ``Doc`` and the publication date; returns ``DateMention`` objects (character and
token spans, sentence index, and a ``records.DatePeriod``) and, for a figure, the ``DatePeriod`` it
refers to. Finding figures, their kind (flow or stock) and where the date goes in the record is
left to the figures stage and the pipeline.

Why rules first and dateparser second: dateparser reads one string at a time and is slow, and its
relative forms count from the machine's clock unless told otherwise. News dates come in a few dozen
shapes ("on October 2", "last week", "since late 2014", "between 17 October and 23 March"), which
a grammar built from ``data/dates.yaml`` reads in one regular-expression pass over the text. Only
spaCy DATE entities the grammar does not cover go to dateparser, always with the publication date
as ``RELATIVE_BASE`` and cached. Without a publication date nothing relative is guessed: the
mention keeps its text and precision with ``start``/``end`` left ``None``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from .datafiles import load_vocabulary
from .records import DatePeriod, Precision
from .textutil import alternation, doc_text, paragraph_bounds

__all__ = ["DateMention", "DatesVocab", "figure_date", "find_dates", "load_dates_vocab"]

Relation = Literal["point", "since", "range", "as_of"]


class DatesVocab(BaseModel):
    """The schema of ``data/dates.yaml``; unknown keys stop loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: dict[str, int]
    weekdays: dict[str, int]
    day_parts: list[str]
    numbers: dict[str, int]
    units: dict[str, Precision]
    relative_days: dict[str, int]
    back_period_openers: list[str]
    approximators: list[str]
    year_parts: dict[str, tuple[int, int]]
    month_parts: dict[str, tuple[int, int]]
    date_prepositions: list[str]
    period_end_verbs: list[str]
    since_words: list[str]
    as_of_words: list[str]
    range_openers: list[str]
    range_joiners: list[str]
    since_reach: int

    def calendar_words(self) -> frozenset[str]:
        """Every lowercased word that belongs to a date: month and weekday names, units, day parts.
        Place resolution uses it to tell a town the tagger called a date from a real date."""
        words = {*self.months, *self.weekdays, *self.units, *(f"{u}s" for u in self.units), *self.relative_days,
                 *self.day_parts, *self.year_parts, *self.month_parts}
        return frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def load_dates_vocab() -> DatesVocab:
    """``data/dates.yaml``, parsed once per process."""
    return load_vocabulary("dates.yaml", DatesVocab)


@dataclass(frozen=True)
class DateMention:
    """One date the document states: where it is and the period it names.

    ``relation`` says how the words around it bend the period: ``since`` runs to publication,
    ``range`` joins two ends, ``as_of`` is the date a count stands at ("by 29 September").
    """

    start: int
    end: int
    token_start: int
    token_end: int
    sent_index: int
    period: DatePeriod
    relation: Relation = "point"

    @property
    def text(self) -> str:
        return self.period.text or ""

    @property
    def resolved(self) -> bool:
        return self.period.start is not None


# ---------------------------------------------------------------------------------------------
# Grammar: one compiled pattern per vocabulary, built from the YAML lists.


def _alt(words: list[str] | Any, *, ci: bool = False) -> str:
    """A regex alternation of ``words``, longest first so "the end of" beats "end"."""
    body = alternation(words, flexible_spaces=True)
    return f"(?i:{body})" if ci else f"(?:{body})"


@dataclass(frozen=True)
class _Grammar:
    vocab: DatesVocab
    month: dict[str, int]
    point: re.Pattern[str]
    day_range: re.Pattern[str]
    ended: re.Pattern[str]
    part_of_month: re.Pattern[str]
    month_word: re.Pattern[str]


_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


def _grammar(vocab: DatesVocab) -> _Grammar:
    key = id(vocab)
    hit = _GRAMMARS.get(key)
    if hit is not None and hit.vocab is vocab:
        return hit
    g = _build_grammar(vocab)
    _GRAMMARS[key] = g
    return g


_GRAMMARS: dict[int, _Grammar] = {}


def _build_grammar(v: DatesVocab) -> _Grammar:
    month_names = list(v.months)
    month = r"(?:" + "|".join(
        sorted((re.escape(m) + (r"\.?" if len(m) <= 4 and m != "May" else "") for m in month_names),
               key=len, reverse=True)
    ) + r")(?![a-z])"
    wd = _alt(list(v.weekdays))
    num = r"(?i:\d{1,2}|" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in v.numbers),
                                               key=len, reverse=True)) + ")"
    unit = r"(?i:" + "|".join(sorted(v.units, key=len, reverse=True)) + r")s?"
    approx = _alt(v.approximators, ci=True)
    back = _alt(v.back_period_openers, ci=True)
    ypart = _alt(list(v.year_parts), ci=True)
    mpart = _alt(list(v.month_parts), ci=True)
    rel_day = _alt(list(v.relative_days), ci=True)
    day_part = _alt(v.day_parts, ci=True)
    alternatives = [
        rf"(?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d))",
        rf"(?P<dmy>(?i:the\s+)?(?P<dmy_d>{_DAY})(?:\s+of)?\s+(?P<dmy_m>{month})(?:,?\s+(?P<dmy_y>{_YEAR}))?)",
        rf"(?P<mdy>(?P<mdy_m>{month})\s+(?P<mdy_d>{_DAY})(?!\d|,\d|\.\d)(?:,?\s+(?P<mdy_y>{_YEAR}))?)",
        rf"(?P<mpart>(?P<mpart_p>{mpart})[\s-]*(?P<mpart_m>{month})(?:,?\s+(?P<mpart_y>{_YEAR}))?)",
        rf"(?P<ypart>(?P<ypart_p>{ypart})[\s-]*(?P<ypart_y>{_YEAR}))(?!\d)",
        rf"(?P<my>(?P<my_m>{month}),?\s+(?P<my_y>{_YEAR}))(?!\d)",
        r"(?P<decade>(?i:the\s+)?(?P<decade_y>(?:19|20)\d0)'?s)\b",
        rf"(?P<ago>(?P<ago_n>{num})\s+(?P<ago_u>{unit})\s+(?i:ago))\b",
        rf"(?P<later>(?P<later_n>{num})\s+(?P<later_u>{unit})\s+(?i:later|afterwards))\b",
        r"(?P<next>(?i:the\s+(?:next|following))\s+(?P<next_u>(?i:day|week|month|year|morning)))\b",
        rf"(?P<back>(?i:(?:in|over|during|within|for)\s+)?(?i:the\s+)(?:{back})\s+(?:(?P<back_n>{num})\s+)?"
        rf"(?P<back_u>{unit}))\b",
        rf"(?P<within>(?i:in|within|over)\s+(?:{approx})\s+(?P<within_n>{num})\s+(?P<within_u>{unit}))\b",
        r"(?P<relp>(?i:(?:(?P<relp_side>earlier|later)\s+)?(?P<relp_w>last|this|past|previous)\s+)"
        r"(?P<relp_u>(?i:weekend|week|month|year)))\b",
        # "earlier in the week": the same as "earlier this week"
        r"(?P<relin>(?P<relin_side>(?i:earlier|later))\s+(?i:in\s+the)\s+(?P<relin_u>(?i:week|month|year)))\b",
        r"(?P<weekend>(?i:over\s+the|at\s+the|this)\s+weekend)\b",
        rf"(?P<wd>(?P<wd_n>{wd})(?:\s+(?:{day_part}))?)\b",
        rf"(?P<rel>\b{rel_day})\b",
        rf"(?P<month>(?P<month_m>{month}))",
        rf"(?P<year>(?<![\d,.$€£])(?P<year_y>{_YEAR})(?![\d,]\d|%))",
    ]
    point = re.compile(r"\b(?:" + "|".join(alternatives) + r")")
    day_range = re.compile(
        rf"\b(?:(?i:between|from)\s+)?(?:"
        rf"(?P<a_d>{_DAY})\s*(?:-|–|—|(?i:and|to|until|till))\s*(?P<b_d>{_DAY})\s+(?P<b_m>{month})"
        rf"|(?P<c_m>{month})\s+(?P<c_d>{_DAY})\s*(?:-|–|—|(?i:and|to|until|till))\s*(?P<d_d>{_DAY})(?![\d:])"
        rf")(?:,?\s+(?P<y>{_YEAR}))?"
    )
    ended = re.compile(
        rf"\b(?P<n>{num})[\s-]+(?P<u>(?i:year|month|decade))s?\b[^.;]{{0,60}}?\b"
        rf"(?:{_alt(v.period_end_verbs, ci=True)})\s+(?i:in\s+)?(?P<y>{_YEAR})\b"
    )
    part_of_month = re.compile(
        rf"\b(?i:the\s+)(?P<side>(?i:first|last|final|second))\s+(?:(?P<n>{num})\s+)?(?P<u>(?i:day|week))s?\s+"
        rf"(?i:of)\s+(?P<m>{month})(?:,?\s+(?P<y>{_YEAR}))?"
    )
    month_word = re.compile(r"(?i:" + "|".join(sorted(month_names, key=len, reverse=True)) + ")")
    return _Grammar(v, {m.lower(): n for m, n in v.months.items()}, point, day_range, ended, part_of_month,
                    month_word)


# ---------------------------------------------------------------------------------------------
# Calendar helpers.


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _shift(d: dt.date, n: int, unit: str) -> dt.date:
    """``d`` moved by ``n`` units (negative = back)."""
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + dt.timedelta(days=n * (14 if unit == "fortnight" else 7))
    if unit == "month":
        return _add_months(d, n)
    if unit == "decade":
        return _add_months(d, 120 * n)
    return _add_months(d, 12 * n)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, pub: dt.date) -> int:
    """The year of a day-and-month without one: the publication's year, or the one before when that
    would put the date more than a week after publication. News reports the past; the week allows
    for "on Friday"-style announcements of the days ahead and for late-stamped pages."""
    cand = _safe_date(pub.year, m, min(d, 28) if m == 2 and d == 29 else d)
    if cand is not None and cand > pub + dt.timedelta(days=7):
        return pub.year - 1
    return pub.year


def _last_weekday(wd: int, pub: dt.date) -> dt.date:
    """The most recent ``wd`` on or before publication: "on Friday" in Saturday's paper is yesterday."""
    return pub - dt.timedelta(days=(pub.weekday() - wd) % 7)


_Res = tuple[dt.date | None, dt.date | None, Precision]


def _num(word: str, v: DatesVocab) -> int:
    w = " ".join(word.lower().split())
    return int(w) if w.isdigit() else v.numbers.get(w, 1)


def _unit(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") else w


def _precision(unit: str, v: DatesVocab) -> Precision:
    return v.units.get(unit, "period")


def _resolve_point(m: re.Match[str], g: _Grammar, pub: dt.date | None, ref: dt.date | None) -> _Res | None:
    """The period one point-pattern match names, or ``None`` when the match is not a date after all."""
    v = g.vocab
    kind = m.lastgroup
    gd = m.groupdict()

    def month_of(name: str) -> int:
        return g.month[name.rstrip(".").lower()]

    if kind == "iso":
        d = _safe_date(int(gd["iso_y"]), int(gd["iso_m"]), int(gd["iso_d"]))
        return (d, d, "day") if d else None
    if kind in ("dmy", "mdy"):
        mo = month_of(gd[f"{kind}_m"])
        day = int(re.sub(r"\D", "", gd[f"{kind}_d"]))
        y_text = gd[f"{kind}_y"]
        if y_text:
            d = _safe_date(int(y_text), mo, day)
            return (d, d, "day") if d else None
        if pub is None:
            return (None, None, "day")
        d = _safe_date(_infer_year(mo, day, pub), mo, day)
        return (d, d, "day") if d else None
    if kind == "my":
        y, mo = int(gd["my_y"]), month_of(gd["my_m"])
        return dt.date(y, mo, 1), _month_end(y, mo), "month"
    if kind == "mpart":
        mo = month_of(gd["mpart_m"])
        lo, hi = v.month_parts[" ".join(gd["mpart_p"].lower().split())]
        if gd["mpart_y"]:
            y = int(gd["mpart_y"])
        elif pub is not None:
            y = _infer_year(mo, 1, pub)
        else:
            return (None, None, "period")
        last = _month_end(y, mo)
        return dt.date(y, mo, lo), last.replace(day=min(hi, last.day)), "period"
    if kind == "ypart":
        y = int(gd["ypart_y"])
        lo, hi = v.year_parts[" ".join(gd["ypart_p"].lower().split())]
        return dt.date(y, lo, 1), _month_end(y, hi), "period"
    if kind == "decade":
        y = int(gd["decade_y"])
        return dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "period"
    if kind == "year":
        y = int(gd["year_y"])
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    if kind == "month":
        mo = month_of(gd["month_m"])
        if pub is None:
            return (None, None, "month")
        y = pub.year if mo <= pub.month else pub.year - 1
        return dt.date(y, mo, 1), _month_end(y, mo), "month"
    if kind in ("ago", "later"):
        n, unit = _num(gd[f"{kind}_n"], v), _unit(gd[f"{kind}_u"])
        base = pub if kind == "ago" else ref
        prec = _precision(unit, v)
        if base is None:
            return (None, None, prec)
        d = _shift(base, -n if kind == "ago" else n, unit)
        return d, d, prec
    if kind == "next":
        unit = _unit(gd["next_u"])
        unit = "day" if unit == "morning" else unit
        if ref is None:
            return (None, None, _precision(unit, v))
        d = _shift(ref, 1, unit)
        return d, d, _precision(unit, v)
    if kind in ("back", "within"):
        n = _num(gd[f"{kind}_n"], v) if gd.get(f"{kind}_n") else 1
        unit = _unit(gd[f"{kind}_u"])
        if pub is None:
            return (None, None, "period")
        return _shift(pub, -n, unit), pub, "period"
    if kind == "relp":
        return _relative_period(gd["relp_w"].lower(), _unit(gd["relp_u"]), gd["relp_side"], pub)
    if kind == "relin":
        return _relative_period("this", _unit(gd["relin_u"]), gd["relin_side"].lower(), pub)
    if kind == "weekend":
        return _relative_period("last", "weekend", None, pub)
    if kind == "wd":
        if pub is None:
            return (None, None, "day")
        d = _last_weekday(v.weekdays[gd["wd_n"]], pub)
        return d, d, "day"
    if kind == "rel":
        if pub is None:
            return (None, None, "day")
        d = pub + dt.timedelta(days=v.relative_days[" ".join(m.group("rel").lower().split())])
        return d, d, "day"
    return None


def _relative_period(word: str, unit: str, side: str | None, pub: dt.date | None) -> _Res:
    """"last week", "this month", "earlier this year": calendar periods around publication."""
    prec: Precision = "week" if unit in ("week", "weekend") else ("month" if unit == "month" else "year")
    if pub is None:
        return (None, None, prec)
    this = word == "this"
    if unit == "weekend":
        sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        return sat, min(sat + dt.timedelta(days=1), pub), "week"
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday())
        if this:
            return monday, pub, "week"
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "week"
    if unit == "month":
        first = pub.replace(day=1)
        if this:
            return first, (pub if side == "earlier" else _month_end(pub.year, pub.month)), "month"
        prev = _add_months(first, -1)
        return prev, first - dt.timedelta(days=1), "month"
    if this:
        return dt.date(pub.year, 1, 1), (pub if side == "earlier" else dt.date(pub.year, 12, 31)), "year"
    return dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year"


# ---------------------------------------------------------------------------------------------
# Finding mentions.


@dataclass
class _Raw:
    start: int
    end: int
    res: _Res | None
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


def _scan(text: str, date_ents: list[tuple[int, int]], pub: dt.date | None, g: _Grammar) -> list[_Raw]:
    """Every date the grammar reads in ``text``, in order, with ranges and "since" joined."""
    v = g.vocab
    taken: list[tuple[int, int]] = []
    raws: list[_Raw] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in g.ended.finditer(text):
        y, n, unit = int(m.group("y")), _num(m.group("n"), v), _unit(m.group("u"))
        start = _shift(dt.date(y, 1, 1), -n, unit)
        raws.append(_Raw(m.start(), m.end(), (dt.date(start.year, 1, 1), dt.date(y, 12, 31), "period"),
                         "range", "ended"))
        taken.append((m.start("y"), m.end("y")))
    for m in g.part_of_month.finditer(text):
        if not free(m.start(), m.end()):
            continue
        mo = g.month[m.group("m").rstrip(".").lower()]
        yp = int(m.group("y")) if m.group("y") else (_infer_year(mo, 1, pub) if pub else None)
        n = _num(m.group("n"), v) if m.group("n") else 1
        days = n * (7 if m.group("u").lower().startswith("week") else 1)
        if yp is None:
            raws.append(_Raw(m.start(), m.end(), (None, None, "period"), "range", "part"))
        else:
            last = _month_end(yp, mo)
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
        yr = int(m.group("y")) if m.group("y") else (_infer_year(mo, d2, pub) if pub else None)
        lo_d = _safe_date(yr, mo, d1) if yr else None
        hi_d = _safe_date(yr, mo, d2) if yr else None
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
            # "the 2020 war", "the 2015 earthquake": a year naming an event.
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
        res = _resolve_point(m, g, pub, ref)
        kind = m.lastgroup or ""
        i += 1
        if res is None:
            continue
        raw = _Raw(s, e, res, "point", kind)
        # "Monday, October 2": the explicit date is the one to keep.
        if kind == "wd" and i < len(points) and re.fullmatch(r",?\s*", text[e:points[i][1]]) and \
                points[i][0].lastgroup in ("dmy", "mdy"):
            continue
        # A range: "between 17 October and 23 March", "from 2016 to 2018".
        if i < len(points):
            m2, s2, e2 = points[i]
            gap = text[e:s2]
            if re.fullmatch(r"\s*(?:" + _alt(v.range_joiners, ci=True) + r")\s*", gap):
                res2 = _resolve_point(m2, g, pub, ref)
                if res2 is not None and res[0] is None and res2[1] is not None:
                    # "between November and early December 2017": the start takes the end's year.
                    res = _resolve_point(m, g, res2[1], ref) or res
                if res2 is not None:
                    opener = _preceding_word(text, s, v.range_openers)
                    joined = _join_range(res, res2)
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


def _join_range(a: _Res, b: _Res) -> _Res:
    """Two ends of a range; a start later than the end moves back a year ("17 October and 23 March")."""
    lo, hi = a[0], b[1]
    if lo and hi and lo > hi and a[2] in ("day", "month") and lo.year == hi.year:
        lo = lo.replace(year=lo.year - 1) if not (lo.month == 2 and lo.day == 29) else lo.replace(
            year=lo.year - 1, day=28)
    if lo and hi and lo > hi:
        return (None, None, "period")
    return lo, hi, "period"


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


def find_dates(doc: Doc, published: dt.date | None, vocab: DatesVocab | None = None) -> list[DateMention]:
    """Every date ``doc`` states, resolved against ``published``, in text order."""
    g = _grammar(vocab or load_dates_vocab())
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
        if r.res is None:
            continue
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        if span is None:
            continue
        lo, hi, prec = r.res
        period = DatePeriod(start=lo.isoformat() if lo else None, end=hi.isoformat() if hi else None,
                            precision=prec, text=text[r.start:r.end])
        out.append(DateMention(r.start, r.end, span.start, span.end,
                               bisect.bisect_right(sent_starts, r.start) - 1, period, r.relation))
    return _extend_since(doc, out, published, g.vocab)


def _extend_since(doc: Doc, mentions: list[DateMention], pub: dt.date | None, v: DatesVocab) -> list[DateMention]:
    """"since fighting broke out there on Sunday": a "since" a few words back opens the period too."""
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


# ---------------------------------------------------------------------------------------------
# The date of one figure.


def _tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (sentence-internal)."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


def _publication(pub: dt.date) -> DatePeriod:
    return DatePeriod(start=pub.isoformat(), end=pub.isoformat(), precision="day", text=None)


def _governing_verb(tok: Token) -> Token:
    """The verb a date hangs from ("told ... on Monday" -> told), or the sentence root."""
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
    return tok


def figure_date(sent: Span, anchor: Token, mentions: list[DateMention], published: dt.date | None, *,
                kind: str, reporting: frozenset[str] = frozenset()) -> DatePeriod | None:
    """The period the figure at ``anchor`` refers to.

    In order: a date in the same sentence, nearest in the dependency tree (a period introduced by
    "since" or "between" keeps its span, a reporting date "said on October 2" counts like any other);
    else a date earlier in the paragraph (news carries its reference time forward), then later in
    it; a headline takes the dates of the lead paragraph under it; else the publication date, since
    a figure a news report states without a date is the one current when it went out (a stock
    "remain displaced" most of all). ``text`` is ``None`` when the date comes from publication, so
    users can tell it was not written next to the figure. Without a publication date an undated
    figure gets ``None``. For an event, ``reporting`` lists the verbs of reporting: a date they govern
    ("a source told reporters on Monday") is when it was told, so another date of the sentence wins.
    """
    in_sent = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
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
    if published is None:
        return None
    return _publication(published)
