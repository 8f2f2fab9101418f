"""Stage 2, quantities: every number expression in a text, with its value, bounds and qualifier.

Takes the raw text and the ``Lexicon``; returns ``QuantityMention``s with character offsets.
Whether a number is a displacement figure is left to ``figures``: this stage only reads how
many. Digits, decimals with scales ("2.3 million", "1.5m"), number words ("twelve",
"three million"), vague amounts ("tens of thousands") and ranges ("between 2,000 and 4,000",
"2,000-4,000") are covered. Number words are parsed by hand: the libraries that do it
(word2number, text2num) cover less of news English (lakh, "1.4 mn") than this short grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon
from .records import Qualifier, Quantity
from .textutil import alternation

__all__ = ["QuantityMention", "find_quantities", "parse_number", "quantity_at"]

_YEAR = re.compile(r"1[89]\d\d|20\d\d")  # a number that reads as a year


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A number expression: ``start``/``end`` include the qualifier, ``core_*`` only the number."""

    start: int
    end: int
    core_start: int
    core_end: int
    value: float
    low: float
    high: float
    qualifier: Qualifier
    text: str
    vague: bool
    year_like: bool

    def to_quantity(self) -> Quantity:
        """The published ``quantity`` object, integers where the value is whole."""
        return Quantity(
            value=_int(self.value), low=_int(self.low), high=_int(self.high),
            qualifier=self.qualifier, text=self.text,
        )


def _int(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


class _Grammar:
    """The compiled regular expressions for one lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        n = lex.numbers
        self.lex = lex
        self.words = {**n.units, **n.tens}
        self.scales = n.scales
        # Scale words that follow a number word: "two million", "two lakh", "three crore".
        scale_words = [s for s in n.scales if s.isalpha() and len(s) > 3 and s not in n.vague]
        word = alternation([w for w in self.words if w != "a"] + scale_words)
        spaced_scale = alternation([s for s in n.scales if len(s) > 2 or s in ("mn", "bn")])
        tight_scale = alternation([s for s in n.scales if len(s) <= 2])
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:\.\d+)?"
        num_digits = rf"(?:{digits})(?:(?:\s+|-)?(?:{spaced_scale})\b|(?:{tight_scale})\b)?"
        num_words = rf"(?:a\s+(?:hundred|thousand|million|billion)\b|(?:{word})\b)(?:(?:\s+and\s+|[\s-]+)(?:{word})\b)*"
        vague = alternation(list(n.vague))
        core = rf"(?:{vague}\b|{num_digits}|{num_words})"
        joiners = alternation(lex.qualifiers.range_joiners)
        self.pattern = re.compile(
            rf"(?<![\w.,$€£-])(?<![\d/]/)(?P<opener>(?:between|from)\s+)?(?P<x>{core})"
            rf"(?:(?P<join>\s*(?:{joiners})\s*|\s+and\s+)(?P<y>{core}))?(?![\w/%])",
            re.IGNORECASE,
        )
        self.vague = {k.lower(): v for k, v in n.vague.items()}
        self.before = sorted(lex.qualifiers.before.items(), key=lambda kv: -len(kv[0]))
        self.after = sorted(lex.qualifiers.after.items(), key=lambda kv: -len(kv[0]))
        self.scale_re = re.compile(rf"^(?P<num>{digits})(?:\s+|-)?(?P<scale>{spaced_scale}|{tight_scale})?$", re.I)


@lru_cache(maxsize=4)
def _grammar(lex: Lexicon) -> _Grammar:
    return _Grammar(lex)


def parse_number(text: str, lex: Lexicon) -> tuple[float, float, float, bool] | None:
    """Value, low, high and vagueness of one number expression, or None if it is not one."""
    g = _grammar(lex)
    t = " ".join(text.lower().split())
    if t in g.vague:
        v = g.vague[t]
        return float(v.value), float(v.low), float(v.high), True
    m = g.scale_re.match(t)
    if m:
        value = float(re.sub(r"[,\s\u00a0\u202f]", "", m["num"]))
        if m["scale"]:
            value *= g.scales[m["scale"].lower()]
        return value, value, value, False
    total, current, seen, after_scale = 0.0, 0.0, False, False
    for w in re.split(r"[\s-]+", t):
        if w == "and":
            continue
        scale = w in g.scales
        if w == "a":
            current = max(current, 1)
        elif w in g.words:
            current += g.words[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif scale and after_scale and current == 0:
            # "one million million" is a million millions (10^12), not two million.
            total *= g.scales[w]
        elif scale:
            total += max(current, 1) * g.scales[w]
            current = 0
            seen = True
        else:
            return None
        after_scale = scale
    if not seen:
        return None
    value = total + current
    return value, value, value, False


def quantity_at(text: str, start: int, end: int, lex: Lexicon) -> QuantityMention | None:
    """The plain count written at ``text[start:end]`` ("2,500", "1,19,567", "nine"), for the shapes
    that read a count where the quantity grammar took none (a list item, a table cell)."""
    raw = text[start:end]
    parsed = parse_number(raw.replace(",", ""), lex)
    if parsed is None:
        return None
    value, low, high, vague = parsed
    return QuantityMention(start=start, end=end, core_start=start, core_end=end, value=value, low=low, high=high,
                           qualifier="exact", text=raw, vague=vague, year_like=bool(_YEAR.fullmatch(raw)))


def _qualifier_before(text: str, start: int, g: _Grammar) -> tuple[Qualifier | None, int]:
    head = text[max(0, start - 30):start].lower()
    for phrase, qual in g.before:
        if head.endswith(phrase + " ") or head.endswith(phrase + "\u00a0"):
            begin = start - len(phrase) - 1
            if begin == 0 or not text[begin - 1].isalnum():
                return qual, begin  # type: ignore[return-value]
    return None, start


def _qualifier_after(text: str, end: int, g: _Grammar) -> tuple[Qualifier | None, int]:
    tail = text[end:end + 12].lower()
    for phrase, qual in g.after:
        if tail.startswith(" " + phrase) and (len(tail) == len(phrase) + 1 or not tail[len(phrase) + 1].isalnum()):
            return qual, end + len(phrase) + 1  # type: ignore[return-value]
    return None, end


# Thousands written the way part of the world writes them, read as such only before a word that
# counts people or homes, where a decimal would make no sense: "1.165 families" (dot), "8, 210
# people" (comma and space).
_LOCALE_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3})(?:\.|,\s)(\d{3})(?![\w.,])(?=(?P<words>(?:\s+[A-Za-z-]+){1,3}))")


def _locale_thousands(text: str, lex: Lexicon, found: list[QuantityMention]) -> list[QuantityMention]:
    """Merge "8, 210 people" into one count; read "1.165 families" as 1,165."""
    extra: list[QuantityMention] = []
    for m in _LOCALE_THOUSANDS.finditer(text):
        if not any(w.lower() in lex.unit_of for w in m["words"].split()):
            continue
        value = float(m.group(1) + m.group(2))
        start, end = m.start(), m.start() + len(m.group(0))
        qual, qstart = _qualifier_before(text, start, _grammar(lex))
        extra.append(QuantityMention(
            start=qstart, end=end, core_start=start, core_end=end, value=value, low=value, high=value,
            qualifier=qual or "exact", text=text[qstart:end], vague=False, year_like=False,
        ))
    if not extra:
        return found
    covered = [(q.core_start, q.core_end) for q in extra]
    kept = [q for q in found if not any(s <= q.core_start < e or q.core_start <= s < q.core_end for s, e in covered)]
    return sorted([*kept, *extra], key=lambda q: q.start)


# "won 4-1", "a 1-0 defeat", "a 2-2 draw": a score or a tally, not a count, unless a count noun follows.
_SCORE = re.compile(r"(?<![\w.,-])\d{1,2}-\d{1,2}(?![\w.,%-])")


def _not_scores(text: str, lex: Lexicon, found: list[QuantityMention]) -> list[QuantityMention]:
    scores = [m.span() for m in _SCORE.finditer(text)
              if not any(w.lower().strip(".,;") in lex.unit_of for w in text[m.end():m.end() + 30].split()[:2])]
    return [q for q in found if not any(s <= q.core_start < e for s, e in scores)]


# "10^400", "10**6", "2.5e9", "10⁶": a power or a scientific notation is no count of people, and
# its parts ("10" and "400") are none either.
_POWER = re.compile(r"\d+(?:\.\d+)?(?:\s*(?:\^|\*\*)\s*[-+]?\d+|[eE][-+]?\d+\b|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)")


def _not_powers(text: str, found: list[QuantityMention]) -> list[QuantityMention]:
    powers = [m.span() for m in _POWER.finditer(text)]
    if not powers:
        return found
    return [q for q in found if not any(s < q.core_end and q.core_start < e for s, e in powers)]


def find_quantities(text: str, lex: Lexicon) -> list[QuantityMention]:
    """Every number expression in ``text``, left to right."""
    found = _not_scores(text, lex, _locale_thousands(text, lex, _find_quantities(text, lex)))
    return _not_powers(text, found)


def _find_quantities(text: str, lex: Lexicon) -> list[QuantityMention]:
    g = _grammar(lex)
    found: list[QuantityMention] = []
    for m in g.pattern.finditer(text):
        x = parse_number(m["x"], lex)
        if x is None:
            continue
        value, low, high, vague = x
        qualifier: Qualifier = "approximately" if vague else "exact"
        core_start, core_end = m.start("x"), m.end("x")
        if m["y"] is not None:
            y = parse_number(m["y"], lex)
            joined_by_and = m["join"].strip().lower() == "and"
            if y is None or (joined_by_and and not m["opener"]):
                core_end = m.end("x")
            else:
                ylow, yhigh = y[1], y[2]
                if ylow >= 1000 and low < 1000 and not vague and "," not in m["x"]:
                    scale = _trailing_scale(m["y"], g)
                    low, value = low * scale, value * scale
                if ylow > low:
                    high, qualifier = yhigh, "range"
                    core_end = m.end("y")
                elif ylow < low and not vague and (m["opener"] or "").strip().lower() == "between":
                    # "between 5,000 and 2,000": written high to low, still the range 2,000-5,000.
                    value, low, high, qualifier = ylow, ylow, low, "range"
                    core_end = m.end("y")
                else:
                    core_end = m.end("x")
        elif m["opener"]:
            core_start = m.start("x")
        start = m.start("opener") if m["opener"] and qualifier == "range" else core_start
        qual, qstart = _qualifier_before(text, start, g)
        if qual is not None and qualifier != "range":
            qualifier = qual
        if qual is not None:
            start = qstart
        after, end = _qualifier_after(text, core_end, g)
        if after is not None and qualifier == "exact":
            qualifier = after
        else:
            end = core_end
        year_like = bool(_YEAR.fullmatch(m["x"]))
        found.append(QuantityMention(
            start=start, end=end, core_start=core_start, core_end=core_end,
            value=value, low=low, high=high, qualifier=qualifier,
            text=text[start:end], vague=vague, year_like=year_like,
        ))
    return found


def _trailing_scale(text: str, g: _Grammar) -> float:
    last = re.split(r"[\s-]+", text.strip().lower())[-1]
    m = re.search(r"[a-z]+$", last)
    return float(g.scales.get(m.group(0), 1)) if m else 1.0
