"""The date grammar: one regular expression built from ``data/dates.yaml``, and the calendar arithmetic
that turns a match into a period anchored to the publication date.

Part of the dates stage. News dates come in a few dozen shapes ("on May 12", "last week",
"since late 2011", "between 14 October and 9 March"); each named group of the grammar is one
shape, read here into start, end and precision. Finding them in a document is ``find.py``'s job.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..records import Precision
from ..textutil import alternation
from .vocab import DatesVocab

__all__ = []


def alt(words: list[str] | Any, *, ci: bool = False) -> str:
    """A regex alternation of ``words``, longest first so "the end of" beats "end"."""
    body = alternation(words, flexible_spaces=True)
    return f"(?i:{body})" if ci else f"(?:{body})"


@dataclass(frozen=True)
class Grammar:
    vocab: DatesVocab
    month: dict[str, int]
    point: re.Pattern[str]
    day_range: re.Pattern[str]
    ended: re.Pattern[str]
    part_of_month: re.Pattern[str]
    month_word: re.Pattern[str]


_YEAR = r"(?:19|20)\d\d"


_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


# Grammars built, by the identity of their vocabulary: built once per process.
_GRAMMARS: dict[int, Grammar] = {}


def grammar_for(vocab: DatesVocab) -> Grammar:
    key = id(vocab)
    hit = _GRAMMARS.get(key)
    if hit is not None and hit.vocab is vocab:
        return hit
    g = _build_grammar(vocab)
    _GRAMMARS[key] = g
    return g


def _build_grammar(v: DatesVocab) -> Grammar:
    month_names = list(v.months)
    month = r"(?:" + "|".join(
        sorted((re.escape(m) + (r"\.?" if len(m) <= 4 and m != "May" else "") for m in month_names),
               key=len, reverse=True)
    ) + r")(?![a-z])"
    wd = alt(list(v.weekdays))
    num = r"(?i:\d{1,2}|" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in v.numbers),
                                               key=len, reverse=True)) + ")"
    unit = r"(?i:" + "|".join(sorted(v.units, key=len, reverse=True)) + r")s?"
    approx = alt(v.approximators, ci=True)
    back = alt(v.back_period_openers, ci=True)
    ypart = alt(list(v.year_parts), ci=True)
    mpart = alt(list(v.month_parts), ci=True)
    rel_day = alt(list(v.relative_days), ci=True)
    day_part = alt(v.day_parts, ci=True)
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
        rf"(?:{alt(v.period_end_verbs, ci=True)})\s+(?i:in\s+)?(?P<y>{_YEAR})\b"
    )
    part_of_month = re.compile(
        rf"\b(?i:the\s+)(?P<side>(?i:first|last|final|second))\s+(?:(?P<n>{num})\s+)?(?P<u>(?i:day|week))s?\s+"
        rf"(?i:of)\s+(?P<m>{month})(?:,?\s+(?P<y>{_YEAR}))?"
    )
    month_word = re.compile(r"(?i:" + "|".join(sorted(month_names, key=len, reverse=True)) + ")")
    return Grammar(v, {m.lower(): n for m, n in v.months.items()}, point, day_range, ended, part_of_month,
                    month_word)


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def shift(d: dt.date, n: int, unit: str) -> dt.date:
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


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def infer_year(m: int, d: int, pub: dt.date) -> int:
    """The year of a day-and-month without one: the publication's year, or the one before when that
    would put the date more than a week after publication. News reports the past; the week allows
    for "on Friday"-style announcements of the days ahead and for late-stamped pages."""
    cand = safe_date(pub.year, m, min(d, 28) if m == 2 and d == 29 else d)
    if cand is not None and cand > pub + dt.timedelta(days=7):
        return pub.year - 1
    return pub.year


def _last_weekday(wd: int, pub: dt.date) -> dt.date:
    """The most recent ``wd`` on or before publication: "on Friday" in Saturday's paper is yesterday."""
    return pub - dt.timedelta(days=(pub.weekday() - wd) % 7)


Res = tuple[dt.date | None, dt.date | None, Precision]


def number_of(word: str, v: DatesVocab) -> int:
    w = " ".join(word.lower().split())
    return int(w) if w.isdigit() else v.numbers.get(w, 1)


def unit_of(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") else w


def _precision(unit: str, v: DatesVocab) -> Precision:
    return v.units.get(unit, "period")


def resolve_point(m: re.Match[str], g: Grammar, pub: dt.date | None, ref: dt.date | None) -> Res | None:
    """The period one point-pattern match names, or ``None`` when the match is not a date after all."""
    v = g.vocab
    kind = m.lastgroup
    gd = m.groupdict()

    def month_of(name: str) -> int:
        return g.month[name.rstrip(".").lower()]

    if kind == "iso":
        d = safe_date(int(gd["iso_y"]), int(gd["iso_m"]), int(gd["iso_d"]))
        return (d, d, "day") if d else None
    if kind in ("dmy", "mdy"):
        mo = month_of(gd[f"{kind}_m"])
        day = int(re.sub(r"\D", "", gd[f"{kind}_d"]))
        y_text = gd[f"{kind}_y"]
        if y_text:
            d = safe_date(int(y_text), mo, day)
            return (d, d, "day") if d else None
        if pub is None:
            return (None, None, "day")
        d = safe_date(infer_year(mo, day, pub), mo, day)
        return (d, d, "day") if d else None
    if kind == "my":
        y, mo = int(gd["my_y"]), month_of(gd["my_m"])
        return dt.date(y, mo, 1), month_end(y, mo), "month"
    if kind == "mpart":
        mo = month_of(gd["mpart_m"])
        lo, hi = v.month_parts[" ".join(gd["mpart_p"].lower().split())]
        if gd["mpart_y"]:
            y = int(gd["mpart_y"])
        elif pub is not None:
            y = infer_year(mo, 1, pub)
        else:
            return (None, None, "period")
        last = month_end(y, mo)
        return dt.date(y, mo, lo), last.replace(day=min(hi, last.day)), "period"
    if kind == "ypart":
        y = int(gd["ypart_y"])
        lo, hi = v.year_parts[" ".join(gd["ypart_p"].lower().split())]
        return dt.date(y, lo, 1), month_end(y, hi), "period"
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
        return dt.date(y, mo, 1), month_end(y, mo), "month"
    if kind in ("ago", "later"):
        n, unit = number_of(gd[f"{kind}_n"], v), unit_of(gd[f"{kind}_u"])
        base = pub if kind == "ago" else ref
        prec = _precision(unit, v)
        if base is None:
            return (None, None, prec)
        d = shift(base, -n if kind == "ago" else n, unit)
        return d, d, prec
    if kind == "next":
        unit = unit_of(gd["next_u"])
        unit = "day" if unit == "morning" else unit
        if ref is None:
            return (None, None, _precision(unit, v))
        d = shift(ref, 1, unit)
        return d, d, _precision(unit, v)
    if kind in ("back", "within"):
        n = number_of(gd[f"{kind}_n"], v) if gd.get(f"{kind}_n") else 1
        unit = unit_of(gd[f"{kind}_u"])
        if pub is None:
            return (None, None, "period")
        return shift(pub, -n, unit), pub, "period"
    if kind == "relp":
        return _relative_period(gd["relp_w"].lower(), unit_of(gd["relp_u"]), gd["relp_side"], pub)
    if kind == "relin":
        return _relative_period("this", unit_of(gd["relin_u"]), gd["relin_side"].lower(), pub)
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


def _relative_period(word: str, unit: str, side: str | None, pub: dt.date | None) -> Res:
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
            return first, (pub if side == "earlier" else month_end(pub.year, pub.month)), "month"
        prev = _add_months(first, -1)
        return prev, first - dt.timedelta(days=1), "month"
    if this:
        return dt.date(pub.year, 1, 1), (pub if side == "earlier" else dt.date(pub.year, 12, 31)), "year"
    return dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year"


def join_range(a: Res, b: Res) -> Res:
    """Two ends of a range; a start later than the end moves back a year ("14 October and 9 March")."""
    lo, hi = a[0], b[1]
    if lo and hi and lo > hi and a[2] in ("day", "month") and lo.year == hi.year:
        lo = lo.replace(year=lo.year - 1) if not (lo.month == 2 and lo.day == 29) else lo.replace(
            year=lo.year - 1, day=28)
    if lo and hi and lo > hi:
        return (None, None, "period")
    return lo, hi, "period"

