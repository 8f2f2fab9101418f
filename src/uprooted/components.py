"""spaCy components registered under ``uprooted_*`` names (spaCy forbids dots in factory names).

``uprooted_block_boundaries`` runs after the tagger and before the parser. It starts a sentence
after every blank line, so a headline or photo caption never fuses with the paragraph after it, and
after a single line break when the next line opens with a capital or a bullet and the line before
did not stop on a word that needs a continuation ("of", "the", ","): scraped pages put headlines and
list items on lines of their own, while wrapped text breaks inside phrases (a document's short first
line is its headline, whatever its case). It never starts one at a
lower-case word that follows a word or a number on its line ("2,460 people displaced" in a key-figure
box, which the parser cuts after the count), and starts one at a capitalised function word pasted
after a lower-case word or a count with no stop between (key figures run together).

``AttributeRuleMatches`` takes the place of the model's attribute ruler's matching step (the loader
sets it): the same matches from table lookups, at a third of the cost.
"""

from __future__ import annotations

from itertools import pairwise, product
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from spacy.attrs import IDS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token
from thinc.types import Ints2d

__all__ = ["AttributeRuleMatches", "block_boundaries"]

_CONTINUES = frozenset({"DT", "IN", "CC", "TO", "PRP$", "POS", ",", "HYPH", "CD"})
_BULLETS = frozenset("-•*–—·")


@Language.component("uprooted_block_boundaries", assigns=["token.is_sent_start"])
def block_boundaries(doc: Doc) -> Doc:
    """Mark sentence starts at blank lines and at line breaks that open a new block."""
    prev_word: Token | None = None
    text = doc.text
    # Starts are gathered, then written at once: ``Token.is_sent_start = ...`` scans the whole
    # document for a parse on every assignment, which made long documents quadratic.
    starts: dict[int, int] = {}  # token -> 1 starts a sentence, -1 does not
    for tok, nxt in pairwise(doc):
        gap = (tok.text if tok.is_space else "") + tok.whitespace_
        if not tok.is_space:
            prev_word = tok
        if nxt.is_space:
            continue
        if "\n" not in gap:
            # "2,460 people displaced": a lower-case word straight after a number or a word on the
            # same line continues the sentence (the parser otherwise cuts after a bare count).
            if nxt.text[:1].islower() and not tok.is_space and not tok.is_punct:
                starts[nxt.i] = -1
            elif _run_on(tok, nxt):
                starts[nxt.i] = 1
            continue
        if gap.count("\n") >= 2:
            starts[nxt.i] = 1
            continue
        opens = nxt.text[:1].isupper() or nxt.text[:1] in _BULLETS or nxt.text[:1] in "\"“'"
        if opens and (prev_word is None or prev_word.tag_ not in _CONTINUES) and _ends_a_block(text, nxt):
            starts[nxt.i] = 1
    if starts:
        if doc.has_annotation("DEP"):
            raise ValueError("uprooted_block_boundaries must run before the parser")
        column = doc.to_array([SENT_START]).astype(np.int64).reshape(-1, 1)
        column[list(starts), 0] = list(starts.values())
        doc.from_array([SENT_START], cast(Ints2d, column.astype(np.uint64)))
    return doc


_NO_BREAK_AFTER = frozenset({"IN", "DT", "TO", "CC", "POS", "PRP$", "HYPH", "WDT"})


def _run_on(tok: Token, nxt: Token) -> bool:
    """Key figures pasted without stops ("... 39,627 families) The number of victims rose to 53 ...
    still displaced In Bekasi City ..."): a capitalised function word after a lower-case word, a
    number or a closing bracket opens a new sentence."""
    if not (nxt.is_title and nxt.is_stop) or nxt.text == "I":
        return False
    if tok.tag_ in _NO_BREAK_AFTER or tok.is_space:
        return False
    return (tok.is_lower and tok.is_alpha) or tok.like_num or tok.text == ")"


def _ends_a_block(text: str, nxt: Token) -> bool:
    """A line ends a block when it ends a sentence, is a headline (mostly capitalised words) or a
    bullet, or the next line is a bullet; prose wrapped inside a sentence is none of these."""
    end = text.rfind("\n", 0, nxt.idx)
    line = text[text.rfind("\n", 0, end) + 1:end].strip()
    if not line or nxt.text[:1] in _BULLETS or line[:1] in _BULLETS:
        return True
    if line[-1] in ".!?:;\"”'’)":
        return True
    if not text[:end].strip().count("\n") and len(line.split()) <= 20:
        return True  # the first line of a document is its headline, in sentence case or not
    words = [w for w in line.split() if w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


_RULE_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes single-token rules test


class AttributeRuleMatches:
    """The matches of an ``AttributeRuler``, found faster and exactly as its own ``match`` finds them.

    spaCy's ruler runs every rule through its ``Matcher``; nearly all of the small English model's
    rules test one token for equal values (a tag, a word form), which a table lookup per token
    answers: that took the ruler from a tenth of the parse to a fraction of it. Rules that test a
    token against values it must not have, or by a regular expression, and rules of several tokens,
    stay with a ``Matcher`` of their own. The list returned (rule, match id, start, end) is sorted as
    the ruler sorts it, so later rules still win.
    """

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.strings = ruler.vocab.strings
        self.columns = [IDS[name] for name in _RULE_COLUMNS]
        self.tables: dict[tuple[int, ...], dict[tuple[int, ...], list[tuple[int, int]]]] = {}
        self.excluding: list[tuple[int, int, list[tuple[int, bool, npt.NDArray[np.uint64]]]]] = []
        self.rest = Matcher(ruler.vocab)
        self._indexed: dict[tuple[int, ...], tuple[dict[tuple[int, ...], list[tuple[int, int]]],
                                                   npt.NDArray[np.uint64]]] | None = None
        for key in range(len(ruler.attrs)):
            match_id = self.strings[str(key)]
            for pattern in ruler.matcher.get(str(key))[1]:
                if not (len(pattern) == 1 and self._add_single(key, match_id, pattern[0])):
                    self.rest.add(str(key), [pattern])

    def _value(self, value: Any) -> int:
        return int(value) if isinstance(value, bool) else int(self.strings.add(value))

    def _add_single(self, key: int, match_id: int, token: dict[str, Any]) -> bool:
        """File a one-token rule under a table, or under the rules with exclusions; False when it
        tests something else (a regular expression), for the ``Matcher``."""
        tests: list[tuple[int, str, list[int]]] = []
        for name, value in sorted(token.items()):
            if name not in _RULE_COLUMNS:
                return False
            if isinstance(value, dict):
                if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN"):
                    return False
                op, values = next(iter(value.items()))
                tests.append((_RULE_COLUMNS.index(name), op, [self._value(v) for v in values]))
            else:
                tests.append((_RULE_COLUMNS.index(name), "IN", [self._value(value)]))
        if any(op == "NOT_IN" for _, op, _ in tests):
            self.excluding.append((key, match_id, [(col, op == "IN", np.array(values, dtype=np.uint64))
                                                   for col, op, values in tests]))
            return True
        table = self.tables.setdefault(tuple(col for col, _, _ in tests), {})
        for combination in product(*(values for _, _, values in tests)):
            table.setdefault(combination, []).append((key, match_id))
        return True

    def _tables(self) -> dict[tuple[int, ...], tuple[dict[tuple[int, ...], list[tuple[int, int]]],
                                                    npt.NDArray[np.uint64]]]:
        """Each table with the values its first column takes in some rule (built once)."""
        if self._indexed is None:
            self._indexed = {columns: (table, np.array(sorted({k[0] for k in table}), dtype=np.uint64))
                             for columns, table in self.tables.items()}
        return self._indexed

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(self.columns)
        matches: list[tuple[int, int, int, int]] = []
        listed = rows.tolist()
        for columns, (table, first) in self._tables().items():
            if len(columns) == 1:  # the tag map: one lookup per distinct value, not per token
                seen, where = np.unique(rows[:, columns[0]], return_inverse=True)
                for n, value in enumerate(seen.tolist()):
                    found = table.get((value,))
                    if found:
                        at = np.flatnonzero(where == n).tolist()
                        matches.extend((key, match_id, i, i + 1) for key, match_id in found for i in at)
                continue
            # Only the tokens whose first tested value some rule of the table names are looked up.
            for i in np.flatnonzero(np.isin(rows[:, columns[0]], first)).tolist():
                row = listed[i]
                found = table.get(tuple(row[c] for c in columns))
                if found:
                    matches.extend((key, match_id, i, i + 1) for key, match_id in found)
        for key, match_id, tests in self.excluding:
            mask = np.ones(len(doc), dtype=bool)
            for col, inside, wanted in tests:
                mask &= np.isin(rows[:, col], wanted) == inside
            matches.extend((key, match_id, i, i + 1) for i in np.flatnonzero(mask).tolist())
        matches.extend((int(self.strings[match_id]), match_id, start, end)
                       for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False))
        matches.sort()
        return matches
