"""The breakdowns stage: figures that reports state as lists and conversions, where the parse ties
no displacement word to the number.

Takes the parsed ``Doc``, every ``QuantityMention`` of its text, the figures ``figures`` found and the
``Lexicon``; returns more ``FigureMention``s. Situation reports give one count, then break it down
("evacuated by district: Norbury-2,500, Kelvin-1,200"; "in Wrenfield district (12 households or 60
individuals); in Birch district (...)") or restate it in another unit ("3,120 households/15,600
people", "410 people (82 families)"). The parse of such lines is unreliable, so this stage reads their
shape instead:

- a conversion: two counts of one group in two units, side by side, are one figure twice: the second
  takes the term of the first;
- a breakdown: a run of items, each a label and one count ("label - count", "label (count unit)",
  "count in label"), after a figure or after a heading that names a displacement ("people evacuated
  by district:"), takes the heading's term and unit; each item is located by its own label.

Nothing here decides that a lone number is a figure: an item needs a head the other stages or the
heading's displacement word vouched for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from .figures import FigureMention, sentence_triggers
from .lexicon import Lexicon, Trigger
from .places.vocab import place_words
from .quantities import QuantityMention, quantity_at
from .records import Unit
from .textutil import doc_text, paragraph_bounds

__all__ = ["find_breakdowns"]

# A number as reports write it, Indian grouping ("1,19,567") included.
_NUM = r"\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
# Where a report's list breaks into items.
_SPLIT = re.compile(r"\s*(?:;|,(?!\d{2,3}\b)|\n|[•▪·●]|\s\.\s|\s+and\s+|\s+while\s+|\((?!\s*\d)"
                    r"|(?<=[a-z0-9)])\.\s+(?=[A-Z])|:\s+(?=[A-Z\d])|(?<=\))\s*[–—-]\s+)\s*")
_QUALIFIER = r"(?:about|approximately|approx\.|around|some|nearly|almost|over|more than|at least|another)\s+"
_ITEM_END = re.compile(rf"^(?P<label>[^:=;]*?)\s*(?:[-–—:=]|\()\s*(?:{_QUALIFIER})?"
                       rf"(?P<num>{_NUM})\s*(?P<unit>[A-Za-z][A-Za-z.']*)?"
                       rf"(?:\s*(?:or|/|,)\s*(?:{_QUALIFIER})?(?P<num2>{_NUM})\s*(?P<unit2>[A-Za-z][A-Za-z.']*))?\s*\)?\.?$")
_ITEM_START = re.compile(rf"^\(?(?:{_QUALIFIER})?(?P<num>{_NUM})\s*(?P<unit>[A-Za-z][A-Za-z.']*)?"
                         r"(?P<num2>)(?P<unit2>)\s+(?:in|to|at|into|from)\s+(?P<label>[^\d]+?)\.?\)?$")
# "2,740 vulnerable families (13,700 persons)": up to two words describe the group before its unit.
_CONVERSION = re.compile(rf"^\s*(?:(?!(?:in|of|and|or|from|to|at|with|by|for)\b)[a-z][a-z-]*\s+){{0,2}}"
                         rf"(?P<unit1>[A-Za-z.']+)\s*(?:\(|/|,|or|comprising|from|i\.e\.)\s*"
                         rf"(?:{_QUALIFIER})?$", re.IGNORECASE)
_MAX_LABEL_WORDS = 7
# The next section's heading, run into the last item of a list when a page is flattened.
_HEADING_AFTER = re.compile(r"(?<=\d)(?:\s+[A-Z][A-Za-z]*){1,3}$")
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})  # a finite verb with its subject makes a clause, not a label
_ITEM_CONFIDENCE = 0.6
_HEADLINE_GROUP_WORDS = 2  # words naming the group between a headline's count and its verb
_FLIGHT_TERMS = frozenset({"forced_to_flee", "evacuated", "displaced"})  # verbs that displace whoever they count


@dataclass(frozen=True)
class _Item:
    start: int  # characters of the item in the document
    end: int
    num_start: int
    num_end: int
    unit: Unit | None
    also: tuple[int, int, Unit] | None = None  # the same count in another unit: "(12 households or 60 individuals)"


def find_breakdowns(doc: Doc, quantities: list[QuantityMention], figures: list[FigureMention],
                    lex: Lexicon) -> list[FigureMention]:
    """Figures a report states as conversions and breakdowns of the figures already found."""
    by_start = {q.core_start: q for q in quantities}
    taken = {f.quantity.core_start for f in figures}
    found = _conversions(doc, figures, by_start, taken, lex)  # adds what it takes to ``taken``
    heads = sorted([*figures, *found], key=lambda f: f.quantity.core_start)
    for start, end in paragraph_bounds(doc):
        found.extend(_breakdowns(doc, start, end, heads, by_start, taken, lex))
    found.extend(_headlines(doc, by_start, taken, lex))
    found.extend(_coordinated([*figures, *found], by_start, taken, lex))
    found.extend(_elliptic([*figures, *found], by_start, taken, lex))
    return found


def _elliptic(figures: list[FigureMention], by_start: dict[int, QuantityMention], taken: set[int],
              lex: Lexicon) -> list[FigureMention]:
    """A count that leaves out the unit a figure before it in its sentence named: "863 homes flooded,
    8 destroyed and 224 damaged". The count stands right before its participle and names no noun."""
    out: list[FigureMention] = []
    for f in figures:
        sent = f.sent
        for tok in sent:
            if tok.i <= f.number.i or not tok.like_num or tok.i + 1 >= sent.end:
                continue
            verb = tok.nbor(1)
            q = by_start.get(tok.idx)
            if q is None or q.core_start in taken or q.year_like or q.value < 1 or verb.tag_ not in ("VBN", "VBD"):
                continue
            rule = next((t for t in lex.triggers.get(verb.lemma_.lower(), [])
                         if t.as_ == "verb" and not (t.object or t.prep) and t.unit in (None, f.unit)), None)
            if rule is None:
                continue
            made = _figure_at(sent.doc, q, f.unit, f, "a count that leaves out its unit")
            if made is not None:
                out.append(replace(made, term=rule.term, kind=rule.kind, trigger=verb, cross_border=rule.cross_border))
                taken.add(q.core_start)
    return out


def _coordinated(figures: list[FigureMention], by_start: dict[int, QuantityMention], taken: set[int],
                 lex: Lexicon) -> list[FigureMention]:
    """The other counts of "sites with 75 and 150 families": the parse gives the noun to the first
    count only, the rest hang on it as conjuncts."""
    out: list[FigureMention] = []
    for f in figures:
        for tok in f.number.children:
            if tok.dep_ != "conj" or not tok.like_num or f.quantity.core_start <= tok.idx < f.quantity.core_end:
                continue
            q = by_start.get(tok.idx) or quantity_at(doc_text(f.sent.doc), tok.idx, tok.idx + len(tok), lex)
            if q is None or q.core_start in taken or q.year_like or q.value < 1:
                continue
            made = _figure_at(f.sent.doc, q, f.unit, f, "a count coordinated with a figure")
            if made is not None:
                out.append(made)
                taken.add(q.core_start)
    return out


def _headlines(doc: Doc, by_start: dict[int, QuantityMention], taken: set[int], lex: Lexicon) -> list[FigureMention]:
    """A headline opening with a count and a verb of displacement ("3,000 flee clashes in the east"):
    the small parser reads headline English as a noun phrase ("flee" a noun), so its shape is read."""
    out: list[FigureMention] = []
    for sent in doc.sents:
        first = sent[0]
        q = by_start.get(first.idx)
        if q is None or q.core_start in taken or sent[-1].text in (".", "!", "?") or len(sent) < 3:
            continue
        span = doc.char_span(q.core_start, q.core_end, alignment_mode="expand")
        listed = not doc_text(doc)[q.core_end:q.core_end + 1].isspace()  # "2- More people flee": an item's number
        if span is None or span.end >= sent.end or q.year_like or listed:
            continue
        # The verb follows the count or the group it counts: "3,000 flee", "200 displaced villagers return".
        found, unit = None, None
        for k, verb in enumerate(doc[span.end:min(span.end + 1 + _HEADLINE_GROUP_WORDS, sent.end)]):
            last = span.end + k + 1 >= sent.end
            modifier = k < _HEADLINE_GROUP_WORDS and not last and doc[verb.i + 1].pos_ in ("NOUN", "PROPN") and (
                verb.tag_ in ("VBN", "JJ"))  # "displaced" in "200 displaced villagers return"
            if not modifier:
                found = next((t for t in lex.triggers.get(verb.lower_, []) or lex.triggers.get(verb.lemma_.lower(), [])
                              if t.as_ == "verb" and not (t.object or t.prep)), None)
            if found is not None or not verb.is_alpha or verb.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
                break
            unit = unit or _unit_word(verb.text, lex)
        if found is None:
            continue
        group = doc[span.end:verb.i]
        if len(group) and found.term not in _FLIGHT_TERMS and not any(
                lex.triggers.get(t.lower_) or lex.triggers.get(t.lemma_.lower()) for t in group):
            continue  # "12 students return to class": a return is a displacement's only when the group was displaced
        trig = found
        out.append(FigureMention(
            quantity=q, number=span[-1], group=span[-1], trigger=verb, sent=sent,
            unit=trig.unit or unit or "person",
            term=trig.term, kind=trig.kind, cross_border=trig.cross_border, confidence=_ITEM_CONFIDENCE,
            reason=f"headline '{verb.text}' ({trig.term})",
        ))
        taken.add(q.core_start)
    return out


def _unit_word(word: str | None, lex: Lexicon) -> Unit | None:
    if not word:
        return None
    w = word.lower().rstrip(".")
    return lex.unit_of.get(w) or lex.unit_of.get(w.rstrip("s"))


def _conversions(doc: Doc, figures: list[FigureMention], by_start: dict[int, QuantityMention], taken: set[int],
                 lex: Lexicon) -> list[FigureMention]:
    """The other count of a figure's group in another unit: "412 households (2,030 individuals)"."""
    text = doc_text(doc)
    out: list[FigureMention] = []
    starts = sorted(by_start)
    for f in figures:
        q = f.quantity
        i = starts.index(q.core_start) if q.core_start in by_start else -1
        for j in (i + 1, i - 1):
            if i < 0 or not 0 <= j < len(starts) or starts[j] in taken:
                continue
            other = by_start[starts[j]]
            first, second = (q, other) if j > i else (other, q)
            m = _CONVERSION.match(text[first.core_end:second.start])
            if m is None:
                continue
            unit1 = _unit_word(m["unit1"], lex)
            unit2 = _unit_word(_word_after(text, second.core_end), lex)
            if unit1 is None or unit2 is None or unit1 == unit2:
                continue
            if (unit1 if first is q else unit2) != f.unit:
                continue
            made = _figure_at(doc, other, unit2 if other is second else unit1, f, "the same group in another unit")
            if made is not None:
                out.append(made)
                taken.add(other.core_start)
    return out


def _word_after(text: str, pos: int) -> str | None:
    m = re.match(r"\s*([A-Za-z.']+)", text[pos:pos + 20])
    return m.group(1) if m else None


def _breakdowns(doc: Doc, start: int, end: int, heads: list[FigureMention], by_start: dict[int, QuantityMention],
                taken: set[int], lex: Lexicon) -> list[FigureMention]:
    """The items of the lists in one paragraph, each inheriting its list's head."""
    text = doc_text(doc)
    items = _items(doc, start, end, lex)
    out: list[FigureMention] = []
    run: list[_Item] = []
    for item in [*items, None]:
        if item is not None and (not run or _adjacent(text, run[-1], item)):
            run.append(item)
            continue
        if run:
            made = _inherit(doc, run, heads, by_start, taken, lex)
            out.extend(made)
            heads = sorted([*heads, *made], key=lambda f: f.quantity.core_start)  # a list resumed after a gap
        run = [item] if item is not None else []
    return out


def _items(doc: Doc, start: int, end: int, lex: Lexicon) -> list[_Item]:
    """Segments of the paragraph shaped like one list item."""
    text = doc_text(doc)
    found: list[_Item] = []
    pos = start
    for piece in [*_SPLIT.finditer(text, start, end), None]:
        seg_end = piece.start() if piece is not None else end
        seg = text[pos:seg_end]
        lead = len(seg) - len(seg.lstrip())
        seg = seg.strip()
        s = pos + lead
        seg = _without_designators(seg)  # "Kaiga (33 HH) sub-prefectures": the list's designator
        m = _ITEM_END.match(seg) or _ITEM_START.match(seg) or _item_start_in_words(lex).match(seg)
        if m is None and (head := _HEADING_AFTER.search(seg)) is not None:
            m = _ITEM_END.match(seg[:head.start()])  # "Total - 683,930 Damage Assessment": the next heading
        inner = list(re.finditer(r"\b(?:in|at|from)\s+(?=[A-Z])", m["label"])) if m and m.re is _ITEM_END else []
        prefix = doc.char_span(s + m.start("label"), s + m.start("label") + inner[-1].start(),
                               alignment_mode="contract") if m is not None and inner else None
        if m is not None and inner and prefix is not None and any(t.pos_ == "VERB" for t in prefix):
            # "Floods displaced families in Wara (84 HH)": the list's heading runs into its first label.
            cut = m.start("label") + inner[-1].end()
            s, seg = s + cut, seg[cut:]
            m = _ITEM_END.match(seg)
        if m is not None and (m["unit"] is None or _unit_word(m["unit"], lex) is not None) and _label_ok(
                doc, s + m.start("label"), s + m.end("label")):
            also = None
            if m["num2"] and (unit2 := _unit_word(m["unit2"], lex)) is not None:
                also = (s + m.start("num2"), s + m.end("num2"), unit2)
            found.append(_Item(start=s, end=s + len(seg), num_start=s + m.start("num"), num_end=s + m.end("num"),
                               unit=_unit_word(m["unit"], lex), also=also))
        if piece is None:
            break
        pos = piece.end()
    return found


@lru_cache(maxsize=4)
def _item_start_in_words(lex: Lexicon) -> re.Pattern[str]:
    """ "nine in Bhalu": an item whose count is written in words (the small numbers of numbers.yaml)."""
    words = "|".join(sorted({*lex.numbers.units, *lex.numbers.tens} - {"a"}, key=len, reverse=True))
    return re.compile(rf"^(?P<num>(?:{words})(?:[\s-](?:{words}))*)(?P<unit>(?!x)x)?(?P<num2>)(?P<unit2>)"
                      r"\s+(?:in|at)\s+(?P<label>[A-Z][^\d]*?)\.?$", re.IGNORECASE)


def _without_designators(seg: str) -> str:
    """The segment without the designators that close a list after its last count ("(33 HH)
    sub-prefectures", "(12 households) villages")."""
    m = re.search(r"\)\s+((?:[a-z][a-z-]*\s*){1,2})\.?$", seg)
    if m is None:
        return seg
    designators = place_words().designators
    singular = [w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") else w for w in m.group(1).split()]
    if all(w in designators for w in singular):
        return seg[:m.start() + 1]
    return seg


def _plain_label(label: str) -> str:
    """The label without its parentheses and site numbers: "Kibo (Block 4) in Wrenfield district" ->
    "in Wrenfield district"."""
    label = re.sub(r"\([^()]*\)", " ", label).split(")")[-1]
    return re.sub(r"\b(?:No|Nr|no)\.?\s*\d+\b", " ", label)


def _label_ok(doc: Doc, start: int, end: int) -> bool:
    """A place or site name, not a clause: few words, no number of its own, no verb."""
    label = _plain_label(doc_text(doc)[start:end])
    words = label.split()
    if not 0 < len(words) <= _MAX_LABEL_WORDS or re.search(r"\d", label) or label.rstrip().endswith((" the", " of")):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is None or not any(t.tag_ in _FINITE and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
                                   for t in span)


def _adjacent(text: str, a: _Item, b: _Item) -> bool:
    """Items of one list: between them only separators, or a site name with no number."""
    gap = _plain_label(text[a.end:b.start])
    return not re.search(r"\d", gap) and len(gap.split()) <= _MAX_LABEL_WORDS


def _inherit(doc: Doc, run: list[_Item], heads: list[FigureMention], by_start: dict[int, QuantityMention],
             taken: set[int], lex: Lexicon) -> list[FigureMention]:
    head = _head(doc, run, heads, lex)
    if head is None:
        return []
    out: list[FigureMention] = []
    for item in run:
        if item.num_start in taken:
            continue
        q = by_start.get(item.num_start) or quantity_at(doc_text(doc), item.num_start, item.num_end, lex)
        if q is None or q.year_like or q.value < 1:
            continue
        unit = item.unit or head.unit
        made = _figure_at(doc, q, unit, head, "an item of a breakdown", scope=(item.start, item.end))
        if made is None:
            continue
        out.append(made)
        taken.add(item.num_start)
        if item.also is not None and item.also[0] not in taken:
            other = by_start.get(item.also[0]) or quantity_at(doc_text(doc), item.also[0], item.also[1], lex)
            twin = other and _figure_at(doc, other, item.also[2], made, "the same group in another unit",
                                        scope=(item.start, item.end))
            if twin:
                out.append(twin)
                taken.add(item.also[0])
    return out


def _head(doc: Doc, run: list[_Item], heads: list[FigureMention], lex: Lexicon) -> FigureMention | None:
    """What a list breaks down: the figure just before it in its paragraph or the sentence before,
    else a heading with a displacement word ("people evacuated by district:")."""
    first = run[0].start
    text = doc_text(doc)
    before = [f for f in heads if f.quantity.core_end <= first and f.sent.start >= _previous_sentence_start(doc, first)]
    if before:
        f = before[-1]
        between = text[f.quantity.core_end:first]
        if not re.search(rf"(?<![\w,.]){_NUM}(?![\w,])", between):
            return f
    if len(run) < 2:
        return None
    heading = _heading(doc, first, run, lex)
    if heading is not None:
        return heading
    # An item the parse already tied to a displacement word: its siblings share its term and unit.
    counts = {item.num_start for item in run}
    return next((f for f in heads if f.quantity.core_start in counts), None)


def _previous_sentence_start(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return 0
    sent = span[0].sent
    return sent[0].nbor(-1).sent.start if sent.start > 0 else sent.start


def _heading(doc: Doc, first: int, run: list[_Item], lex: Lexicon) -> FigureMention | None:
    """A heading just before the list (the text since the last number, in this sentence or the one
    before) with a displacement word: "people evacuated by district:", "No. of persons relocated"."""
    text = doc_text(doc)
    begin = _previous_sentence_start(doc, first)
    begin_char = doc[begin].idx if begin < len(doc) else first
    window = text[begin_char:first]
    numbers = [m.end() for m in re.finditer(rf"(?<![\w,.]){_NUM}(?![\w,])", window)
               if not re.search(r"(?:No|Nr)\.?\s*$|\d\s*$", window[:m.start()][-4:])]
    if numbers and not window.rstrip().endswith(":"):
        begin_char += numbers[-1]
    elif ":" in window:  # "households now live in: ..." heads the list, not the sentence before it
        colon = doc.char_span(begin_char + window.rfind(":") - 1, begin_char + window.rfind(":"),
                              alignment_mode="expand")
        if colon is not None:
            begin_char = max(begin_char, colon[0].sent.start_char)
    sent = doc.char_span(begin_char, first, alignment_mode="contract")
    if sent is None or not len(sent):
        return None
    triggers = sentence_triggers(sent, lex)
    if any(t is None and tok.lemma_.lower() not in lex.qualifiable for tok, t in triggers):
        return None  # deaths, injuries or "affected" named in the heading: no displacement list
    best = _strongest([(tok, t) for tok, t in triggers if t is not None])
    if best is None:
        return None
    trigger_tok, trig = best
    unit: Unit = next((u for t in sent if (u := lex.unit_of.get(t.lower_)) is not None), trig.unit or "person")
    number = doc.char_span(run[0].num_start, run[0].num_end, alignment_mode="expand")
    if number is None:
        return None
    return FigureMention(
        quantity=QuantityMention(start=0, end=0, core_start=-1, core_end=-1, value=0, low=0, high=0,
                                 qualifier="exact", text="", vague=False, year_like=False),
        number=number[0], group=number[0], trigger=trigger_tok, sent=sent, unit=unit, term=trig.term,
        kind=trig.kind, cross_border=trig.cross_border, confidence=_ITEM_CONFIDENCE,
        reason=f"heading '{trigger_tok.text}' ({trig.term})",
    )


def _strongest(triggers: list[tuple[Token, Trigger]]) -> tuple[Token, Trigger] | None:
    """The heading's displacement word: its last verb ("where people were evacuated"), else its last word."""
    verbs = [x for x in triggers if x[1].as_ == "verb"]
    pool = verbs or triggers
    return pool[-1] if pool else None


def _figure_at(doc: Doc, q: QuantityMention, unit: Unit | None, like: FigureMention, why: str,
               scope: tuple[int, int] | None = None) -> FigureMention | None:
    """A figure for quantity ``q`` with the term, kind and trigger of ``like``."""
    span = doc.char_span(q.core_start, q.core_end, alignment_mode="expand")
    if span is None or not len(span) or unit is None:
        return None
    number = span[-1]
    scope_span: Span | None = None
    if scope is not None:
        scope_span = doc.char_span(scope[0], scope[1], alignment_mode="expand")
    return replace(
        like, quantity=q, number=number, group=number, sent=number.sent, unit=unit,
        confidence=min(like.confidence, _ITEM_CONFIDENCE), reason=f"{why}: {like.reason}", scope=scope_span,
    )
