"""The tables stage: figures in tables that text extraction flattened into runs of words and numbers.

Takes the parsed ``Doc``, its ``QuantityMention``s, the figures found so far and the ``Lexicon``;
returns more ``FigureMention``s. A PDF or web page's table reaches us as one line: the lines of its
header one after the other, then each row's label and cells ("Province Deaths Persons in Houses
camps damaged 1. Northam 12 3,100 420 2. Southam 3 800 95 Total 15 3,900 515"). No parse ties
those numbers to a displacement word, so this stage reads the shape instead:

- rows: a label (or a serial number, or "Total") and a run of cells; a table is two rows or more
  with the same number of cells, N;
- columns: a flattened header gives the first line of every column before the lines that wrap, so
  the first N column words of the header (``tables.yaml``), in order, open the N columns;
- a key-figure strip is a row of numbers whose labels follow it ("638 12 4,100 Affected districts
  Deaths Displaced people"); there each label opens with a capital.

A column yields figures only when its header names a unit (people, households, houses) and exactly
one displacement term: in its own words, else in the header's wrapped tail. Deaths, crops and
"affected" columns name no term and are read past. Each cell is located by its row's label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from .figures import FigureMention
from .lexicon import Lexicon, Trigger
from .quantities import QuantityMention, quantity_at
from .records import Unit
from .textutil import doc_text, paragraph_bounds

__all__ = ["TableReading", "find_tables"]

_NUM = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
_SERIAL = re.compile(r"\d{1,2}\.")
_CONFIDENCE = 0.6
_HEADER_WORDS = 40  # a header longer than this is prose, not a table's header
_UNIT_REACH = 3  # a column's unit is among its first words
_MAX_GAP = 3  # words between two rows of one table ("Approx." notes left from a wrapped cell)
_MIN_STRIP = 3


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    kind: str  # "cell", "serial" or "word"


@dataclass(frozen=True)
class _Row:
    first: int  # token index where the row starts (serial or label)
    end: int  # token index just after its last cell
    label: tuple[int, int] | None  # characters of its label
    total: bool
    cells: tuple[_Tok, ...]


@dataclass
class TableReading:
    """The figures read from tables' cells, and the cells whose column says they are not figures
    (deaths, crops, people affected), whatever the parse of the flattened line made of them."""

    figures: list[FigureMention]
    read_past: set[int]  # ``core_start`` of those cells' quantities


@dataclass(frozen=True)
class _Column:
    unit: Unit
    trigger: Token
    rule: Trigger
    header: str


def find_tables(doc: Doc, quantities: list[QuantityMention], figures: list[FigureMention],
                lex: Lexicon) -> TableReading:
    """Figures in the cells of flattened tables and key-figure strips."""
    by_start = {q.core_start: q for q in quantities}
    reading = TableReading(figures=[], read_past=set())
    taken = {f.quantity.core_start for f in figures}
    for start, end in paragraph_bounds(doc):
        toks = _tokens(doc_text(doc), start, end, lex)
        runs = _runs(toks)
        _read_tables(doc, toks, runs, by_start, taken, lex, reading)
        _read_strips(doc, toks, runs, by_start, taken, lex, reading)
    reading.read_past -= {f.quantity.core_start for f in reading.figures}
    return reading


def _tokens(text: str, start: int, end: int, lex: Lexicon) -> list[_Tok]:
    """Words, cells (a count, with its scale word: "2.47 M") and serial numbers ("3.")."""
    raw = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", text[start:end])]
    scales = set(lex.tables.cell_scales)
    out: list[_Tok] = []
    i = 0
    while i < len(raw):
        s, e, w = raw[i]
        if _NUM.fullmatch(w):
            if i + 1 < len(raw) and raw[i + 1][2] in scales:
                e = raw[i + 1][1]
                i += 1
            out.append(_Tok(s, e, text[s:e], "cell"))
        elif _SERIAL.fullmatch(w):
            out.append(_Tok(s, e, w, "serial"))
        else:
            out.append(_Tok(s, e, w, "word"))
        i += 1
    return out


def _runs(toks: list[_Tok]) -> list[tuple[int, int]]:
    """Token index ranges of consecutive cells."""
    runs, i = [], 0
    while i < len(toks):
        if toks[i].kind == "cell":
            j = i
            while j < len(toks) and toks[j].kind == "cell":
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _rows(toks: list[_Tok], runs: list[tuple[int, int]], lex: Lexicon) -> list[_Row]:
    """Each run of two cells or more, with the label before it."""
    rows: list[_Row] = []
    prev_end = 0
    for i, j in runs:
        if j - i < 2:
            prev_end = j
            continue
        k, words = i, 0
        while k > prev_end and toks[k - 1].kind == "word" and words < lex.tables.max_label_words:
            k -= 1
            words += 1
        serial = next((m for m in range(i - 1, max(prev_end, i - lex.tables.max_label_words - 2) - 1, -1)
                       if toks[m].kind == "serial"), None)
        if serial is not None:
            k = serial + 1
        # A label reads like a name: no lower-case word of its own ("3. Northam", "Total", "AJ&K").
        while k < i and serial is None and not toks[k].text[:1].isupper():
            k += 1
        label_toks = [t for t in toks[k:i] if t.kind == "word"]
        label = (label_toks[0].start, label_toks[-1].end) if label_toks else None
        text = " ".join(t.text for t in label_toks).lower().rstrip(":")
        first = serial if serial is not None else k
        rows.append(_Row(first=first, end=j, label=label, total=text in lex.tables.total_labels,
                         cells=tuple(toks[i:j])))
        prev_end = j
    return rows


def _tables(rows: list[_Row]) -> list[list[_Row]]:
    """Rows grouped into tables: rows with at most a few stray words between them."""
    groups: list[list[_Row]] = []
    for row in rows:
        if groups:
            if row.first - groups[-1][-1].end <= _MAX_GAP:
                groups[-1].append(row)
                continue
        groups.append([row])
    return [g for g in groups if len(g) >= 2 and any(r.label is not None for r in g)]


def _read_tables(doc: Doc, toks: list[_Tok], runs: list[tuple[int, int]], by_start: dict[int, QuantityMention],
                 taken: set[int], lex: Lexicon, reading: TableReading) -> None:
    prev = 0
    for table in _tables(_rows(toks, runs, lex)):
        counts = Counter(len(r.cells) for r in table)
        width, n = counts.most_common(1)[0]
        header = [t for t in toks[prev:table[0].first] if t.kind == "word"][-_HEADER_WORDS:]
        prev = table[-1].end
        if n < 2:
            continue
        columns = _columns(doc, header, width, lex, _table_anchors(header, lex))
        if columns is None:
            continue
        for row in table:
            if len(row.cells) != width:
                continue  # a row whose cells wrapped or merged cannot be aligned
            whole = row.total or row.label is None
            scope = (row.label[0] if row.label and not whole else row.cells[0].start, row.cells[-1].end)
            _read_row(doc, row.cells, columns, by_start, taken, lex, reading, scope, whole=whole)


def _read_strips(doc: Doc, toks: list[_Tok], runs: list[tuple[int, int]], by_start: dict[int, QuantityMention],
                 taken: set[int], lex: Lexicon, reading: TableReading) -> None:
    """A run of bare numbers opening a paragraph or following a full stop, its labels after it."""
    for n, (i, j) in enumerate(runs):
        if j - i < _MIN_STRIP or (i > 0 and not toks[i - 1].text.endswith((".", ":"))):
            continue
        stop = runs[n + 1][0] if n + 1 < len(runs) else len(toks)
        labels = [t for t in toks[j:stop] if t.kind == "word"]
        anchors = [m for m, t in enumerate(labels) if t.text[:1].isupper()]
        columns = _columns(doc, labels, j - i, lex, anchors)
        if columns is not None:
            _read_row(doc, toks[i:j], columns, by_start, taken, lex, reading, None)


def _read_row(doc: Doc, cells: Sequence[_Tok], columns: list[_Column | None], by_start: dict[int, QuantityMention],
              taken: set[int], lex: Lexicon, reading: TableReading, scope: tuple[int, int] | None,
              *, whole: bool = False) -> None:
    for cell, column in zip(cells, columns, strict=True):
        if column is None:
            reading.read_past.add(cell.start)
            continue
        made = _figure(doc, cell, column, by_start, taken, lex, scope or (cell.start, cell.end))
        if made is not None:
            reading.figures.append(replace(made, whole=whole))


def _table_anchors(header: list[_Tok], lex: Lexicon) -> list[int]:
    """Where columns open in a header: its column words, with "No. of Persons" one column."""
    heads = set(lex.tables.column_heads)
    anchors: list[int] = []
    for m, t in enumerate(header):
        w = _plain(t.text)
        if w not in heads:
            continue
        if m >= 2 and _plain(header[m - 1].text) == "of" and anchors and anchors[-1] == m - 2:
            continue  # "No. of Persons": what the number counts
        anchors.append(m)
    return anchors


def _columns(doc: Doc, header: list[_Tok], width: int, lex: Lexicon,
             anchors: list[int]) -> list[_Column | None] | None:
    """What each of ``width`` columns counts (None where it is not a displacement figure); None when
    the header has too few column words to align."""
    if len(anchors) < width:
        return None
    anchors = anchors[:width]
    tail = header[anchors[-1]:]
    out: list[_Column | None] = []
    for c, a in enumerate(anchors):
        own = header[a:anchors[c + 1]] if c + 1 < len(anchors) else tail
        unit = next((u for t in own[:_UNIT_REACH] if (u := _unit(t.text, lex)) is not None), None)
        if unit is None:
            out.append(None)
            continue
        cue = _cue(doc, own, unit, lex) or _cue(doc, tail, unit, lex)
        if cue is None:
            out.append(None)
            continue
        out.append(_Column(unit=unit, trigger=cue[0], rule=cue[1], header=" ".join(t.text for t in own[:_UNIT_REACH])))
    return out


def _cue(doc: Doc, words: list[_Tok], unit: Unit, lex: Lexicon) -> tuple[Token, Trigger] | None:
    """The one displacement term the words give a column of ``unit``; None when none or several."""
    found: dict[str, tuple[Token, Trigger]] = {}
    for t in words:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        tok = span[0]
        is_unit = _unit(t.text, lex) is not None
        for rule in lex.triggers.get(tok.lemma_.lower()) or lex.triggers.get(_plain(t.text)) or []:
            if rule.object or rule.prep or (is_unit and rule.as_ not in ("person", "adj")):
                continue
            housing = rule.unit == "dwelling" or rule.term.endswith("_housing")
            if housing == (unit == "dwelling"):
                found.setdefault(rule.term, (tok, rule))
    return next(iter(found.values())) if len(found) == 1 else None


def _figure(doc: Doc, cell: _Tok, column: _Column, by_start: dict[int, QuantityMention], taken: set[int],
            lex: Lexicon, scope: tuple[int, int]) -> FigureMention | None:
    if cell.start in taken:
        return None
    q = by_start.get(cell.start) or quantity_at(doc_text(doc), cell.start, cell.start + len(cell.text.split()[0]), lex)
    if q is None or q.year_like or q.value < 1:
        return None
    span = doc.char_span(cell.start, cell.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    number = span[0]
    taken.add(cell.start)
    return FigureMention(
        quantity=q, number=number, group=number, trigger=column.trigger, sent=number.sent, unit=column.unit,
        term=column.rule.term, kind=column.rule.kind, cross_border=column.rule.cross_border,
        confidence=_CONFIDENCE, reason=f"a cell of a table, column '{column.header}' ({column.rule.term})",
        scope=doc.char_span(scope[0], scope[1], alignment_mode="expand"),
    )


def _plain(text: str) -> str:
    return text.lower().strip("()[],;:")


def _unit(text: str, lex: Lexicon) -> Unit | None:
    w = _plain(text).rstrip(".")
    return lex.unit_of.get(w)
