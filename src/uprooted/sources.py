"""Sources stage: who the document says gave a figure.

Takes a parsed spaCy ``Doc``, the sentence of a figure and the figure's anchor token; returns a
``records.Source`` (canonical ``name``, the ``mention`` as written, ``iso3`` for a government or a
national agency) or ``None`` when the document states the figure in its own voice. Finding the
figures, and deciding whether a source makes a figure more or less credible, is left to others.

How English attributes a figure, in the order tried:

1. in the figure's sentence, a reporting verb whose clause holds the figure ("The Armenian
   government said on October 2 that ...", "..., the IOM said in a statement", "OCHA reported"),
   "according to X", or a document that shows it ("official records show");
2. inside a quotation, whoever the quotation is attributed to ("He stated: “... 97,883 ...”");
3. a paragraph opened by "According to X," keeps X for the sentences after it, and a sentence
   with "reportedly" takes the attribution before it;
4. the wire-copy lead: an unattributed lead followed by ", the UN migration agency said on
   Wednesday" (an organisation or a government, never a quoted person).

Pronouns and back-references ("it said", "the agency added", "he stated") take the last source
named before them. Names go through ``data/sources.yaml``: organisations to their canonical short
name (UNHCR, IOM, OCHA...), a country's body to "<demonym> government" with the country's ISO3;
a named person keeps their name, anything else the words of the mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from .datafiles import load_vocabulary
from .records import Source
from .textutil import alternation, doc_text, paragraph_bounds

__all__ = ["SourcesVocab", "figure_source", "load_sources_vocab"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Strict):
    """An organisation that reports figures, with every name the press gives it."""

    name: str
    full_name: str
    aliases: list[str]
    keywords: list[list[str]] = []
    iso3: str | None = None


class BackReferences(_Strict):
    person: list[str]
    organisation: list[str]
    either: list[str]


class Country(_Strict):
    names: list[str]
    demonyms: list[str]


class SourcesVocab(_Strict):
    """The schema of ``data/sources.yaml``; unknown keys stop loading."""

    organisations: list[Organisation]
    reporting_verbs: list[str]
    evidence_verbs: list[str]
    document_nouns: list[str]
    back_references: BackReferences
    role_nouns: list[str]
    government_bodies: dict[str, str]
    countries: dict[str, Country]


@lru_cache(maxsize=1)
def load_sources_vocab() -> SourcesVocab:
    """``data/sources.yaml``, parsed once per process."""
    return load_vocabulary("sources.yaml", SourcesVocab)


# ---------------------------------------------------------------------------------------------
# Name matching.


def _norm(text: str) -> str:
    """Lower case, "U.N."/"United Nations" as "un", no "the", no punctuation but inner hyphens."""
    s = text.replace("’", "'").replace("‘", "'")
    s = re.sub(r"\bU\.\s?N\.?", "UN ", s)
    s = s.lower()
    s = re.sub(r"\bunited nations\b", "un", s)
    s = re.sub(r"'s\b|'", " ", s)
    s = re.sub(r"[^\w\s&-]", " ", s)
    s = re.sub(r"\bthe\b", " ", s)
    return " ".join(s.split())


def _is_acronym(alias: str) -> bool:
    """Acronyms match case-sensitively: "WHO" the agency, not "who fled"."""
    return " " not in alias and len(alias) <= 8 and sum(c.isupper() for c in alias) >= 2


@dataclass(frozen=True)
class _Index:
    vocab: SourcesVocab
    orgs: dict[str, Organisation]
    acronyms: re.Pattern[str]
    names: re.Pattern[str]
    by_acronym: dict[str, Organisation]
    by_name: dict[str, Organisation]
    keywords: list[tuple[frozenset[str], Organisation]]
    country: re.Pattern[str]
    by_country: dict[str, tuple[str, str]]
    body: re.Pattern[str]
    reporting: frozenset[str]
    evidence: frozenset[str]
    documents: frozenset[str]
    roles: frozenset[str]
    back_person: frozenset[str]
    back_org: frozenset[str]
    back_either: frozenset[str]


_INDEXES: dict[int, _Index] = {}


def _index(v: SourcesVocab) -> _Index:
    hit = _INDEXES.get(id(v))
    if hit is not None and hit.vocab is v:
        return hit
    by_acronym: dict[str, Organisation] = {}
    by_name: dict[str, Organisation] = {}
    keywords = []
    for org in v.organisations:
        for alias in [org.name, *org.aliases]:
            if _is_acronym(alias):
                by_acronym[alias] = org
            else:
                by_name[_norm(alias)] = org
        keywords += [(frozenset(k), org) for k in org.keywords]

    by_country: dict[str, tuple[str, str]] = {}
    for iso3, c in v.countries.items():
        demonym = c.demonyms[0] if c.demonyms else c.names[0]
        for form in [*c.names, *c.demonyms]:
            by_country.setdefault(form, (iso3, demonym))
    idx = _Index(
        vocab=v,
        orgs={o.name: o for o in v.organisations},
        acronyms=re.compile(r"(?<![\w-])(?:" + alternation(list(by_acronym)) + r")(?![\w-])"),
        names=re.compile(r"\b(?:" + alternation(list(by_name)) + r")\b"),
        by_acronym=by_acronym,
        by_name=by_name,
        keywords=keywords,
        country=re.compile(r"(?<![\w-])(?:" + alternation(list(by_country)) + r")(?![\w-])"),
        by_country=by_country,
        body=re.compile(r"\b(?:" + alternation([_norm(b) for b in v.government_bodies]) + r")\b"),
        reporting=frozenset(v.reporting_verbs),
        evidence=frozenset(v.evidence_verbs),
        documents=frozenset(v.document_nouns),
        roles=frozenset(v.role_nouns),
        back_person=frozenset(v.back_references.person),
        back_org=frozenset(v.back_references.organisation),
        back_either=frozenset(v.back_references.either),
    )
    _INDEXES[id(v)] = idx
    return idx


def _organisation(text: str, idx: _Index) -> Organisation | None:
    """The organisation named in ``text``: the longest alias, else a keyword set."""
    best: tuple[int, Organisation] | None = None
    for m in idx.acronyms.finditer(text):
        org = idx.by_acronym[m.group()]
        if best is None or len(m.group()) > best[0]:
            best = (len(m.group()), org)
    norm = _norm(text)
    for m in idx.names.finditer(norm):
        org = idx.by_name[m.group()]
        # A longer descriptive alias ("UN migration agency") beats the bare "UN" acronym.
        if best is None or len(m.group()) > best[0] or best[1].name == "UN":
            best = (len(m.group()), org)
    if best is not None and best[1].name != "UN":
        return best[1]
    words = set(norm.split())
    for keys, org in idx.keywords:
        if keys <= words:
            return org
    return best[1] if best else None


def _government(text: str, idx: _Index) -> tuple[str, str] | None:
    """("Armenian government", "ARM") for "The Armenian government", "the government of Armenia"."""
    body = idx.body.search(_norm(text))
    country = idx.country.search(text)
    if body is None or country is None:
        return None
    iso3, demonym = idx.by_country[country.group()]
    canonical = next(c for b, c in idx.vocab.government_bodies.items() if _norm(b) == body.group())
    return f"{demonym} {canonical}", iso3


# ---------------------------------------------------------------------------------------------
# Attribution in one sentence.


def _np(head: Token) -> Span:
    """The noun phrase of ``head``, without a leading "according to" or trailing punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        if doc[end - 1].text == ")" and any(t.text == "(" for t in doc[start:end]):
            break
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return child
    # "was reported by the agency"
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    # "..., Rottensteiner said, adding": a conjoined verb shares the subject.
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def _governs(verb: Token, anchor: Token) -> bool:
    """The figure is in what ``verb`` reports: below it, or in the clause its comma clause hangs on."""
    if verb in anchor.ancestors:
        return True
    return verb.dep_ in ("parataxis", "advcl", "conj", "ccomp") and verb.head in [anchor, *anchor.ancestors]


def _is_reporting(tok: Token, idx: _Index) -> bool:
    return tok.lemma_.lower() in idx.reporting and tok.pos_ in ("VERB", "AUX")


def _attributions(sent: Span, idx: _Index) -> list[tuple[Token, Token]]:
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
                # "It provided statistics indicating that ...": the document, or who gave it.
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


def _evidence_subject(subj: Token, idx: _Index) -> bool:
    """ "figures show" and "OCHA data indicate" attribute; "a satellite image shows" does not."""
    span = _np(subj)
    return subj.lower_ in idx.documents or _organisation(span.text, idx) is not None


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


def _in_sentence(sent: Span, anchor: Token, idx: _Index) -> Span | None:
    best: tuple[int, Span] | None = None
    for verb, head in _attributions(sent, idx):
        if head.left_edge.i <= anchor.i <= head.right_edge.i:
            continue  # the figure is inside the would-be source: "100 people said ..."
        if verb.lower_ != "according" and not _governs(verb, anchor):
            continue
        depth = sum(1 for _ in verb.ancestors)
        rank = -depth if verb.lower_ != "according" else 50
        if best is None or rank < best[0]:
            best = (rank, _np(head))
    if best is not None:
        return best[1]
    return _tail_attribution(sent, anchor)


# ---------------------------------------------------------------------------------------------
# Naming a source phrase, and pronouns.


def _head_person(span: Span) -> Span | None:
    """The person a phrase names when its head is a PERSON ("IOM chief Christa Rottensteiner")."""
    root = span.root
    for ent in span.ents:
        if ent.label_ == "PERSON" and (ent.start <= root.i < ent.end or root.dep_ == "appos"):
            return ent
    for ent in span.ents:
        if ent.label_ == "PERSON" and ent.start == span.start:
            return ent
        if ent.label_ == "PERSON" and ent.end == root.i + 1:
            return ent
    return None


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


def _plain(span: Span) -> str:
    words = list(span)
    while words and words[0].lower_ in _DETERMINERS:
        words = words[1:]
    text = span.doc[words[0].i:span.end].text if words else span.text
    return " ".join(text.split())


def _is_back_reference(span: Span, idx: _Index) -> str | None:
    """ "it", "he", "the agency": which kind of earlier source it points to, else ``None``."""
    words = [t for t in span if t.lower_ not in _DETERMINERS and not t.is_punct]
    if len(words) != 1 or words[0].pos_ == "PROPN":
        return None
    w = words[0].lower_
    if w in idx.back_person:
        return "person"
    if w in idx.back_org:
        return "organisation"
    if w in idx.back_either:
        return "either"
    return None


def _name(span: Span, idx: _Index) -> Source:
    mention = " ".join(span.text.split())
    person = _head_person(span)
    if person is not None:
        return Source(name=person.text, mention=mention)
    org = _organisation(span.text, idx)
    if org is not None:
        # Acronym first, then the full name: analysts search by either ("IOM", "Organization for Migration").
        full = re.sub(r"\s*\([^)]*\)$", "", org.full_name)
        name = org.name if full.lower() == org.name.lower() else f"{org.name} ({full})"
        return Source(name=name, mention=mention, iso3=org.iso3)
    gov = _government(span.text, idx)
    if gov is not None:
        return Source(name=gov[0], mention=mention, iso3=gov[1])
    root = span.root
    if root.ent_type_ == "GPE" and root.text in idx.by_country:
        iso3, demonym = idx.by_country[root.text]
        return Source(name=f"{demonym} government", mention=mention, iso3=iso3)
    for ent in span.ents:
        # The phrase is the organisation ("the Bauchi State Emergency Management Agency"), not a
        # person or a document located by one ("a local politician in Dori").
        if ent.label_ == "ORG" and (ent.start <= root.i < ent.end or root.lower_ in idx.documents):
            return Source(name=_plain(ent), mention=mention)
    return Source(name=_plain(span), mention=mention)


def _resolve(span: Span, idx: _Index, *, depth: int = 0) -> Source | None:
    """The source a phrase names, following a pronoun or "the agency" back to the last source."""
    kind = _is_back_reference(span, idx)
    if kind is None:
        return _name(span, idx)
    if depth > 3:
        return None
    earlier = _previous_source(span, kind, idx)
    if earlier is None:
        return None if span.root.pos_ == "PRON" else _name(span, idx)
    return _resolve(earlier, idx, depth=depth + 1)


def _fits(span: Span, kind: str, idx: _Index) -> bool:
    if kind == "either":
        return True
    person = _head_person(span) is not None or span.root.lower_ in idx.back_person
    return person if kind == "person" else not person


def _previous_source(span: Span, kind: str, idx: _Index) -> Span | None:
    """The last source-like phrase before ``span``: an attribution, else a named subject."""
    doc = span.doc
    sents = _sents(doc)
    k = next(i for i, s in enumerate(sents) if s.start <= span.start < s.end)
    same = sents[k]
    for s in [same, *reversed(sents[max(0, k - 4):k])]:
        found: list[Span] = []
        for _verb, head in _attributions(s, idx):
            if head.i < span.start or s is not same:
                found.append(_np(head))
        for tok in s:
            if tok.dep_ in ("nsubj", "nsubjpass") and (tok.i < span.start or s is not same) and (
                tok.ent_type_ in ("ORG", "PERSON") or _organisation(tok.text, idx) is not None
            ):
                found.append(_np(tok))
        found = [f for f in found if f.start != span.start and _fits(f, kind, idx)]
        if found:
            return max(found, key=lambda f: f.start)
    return None


# ---------------------------------------------------------------------------------------------
# Beyond the sentence.


def _sents(doc: Doc) -> list[Span]:
    """The document's sentences, listed once per ``Doc`` (spaCy rebuilds them on every access)."""
    cached = doc.user_data.get("uprooted.sents")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["uprooted.sents"] = cached
    return list(cached)


_QUOTES = re.compile('[“«"]')
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


def _quote_bounds(doc: Doc, pos: int) -> tuple[int, int] | None:
    """Character bounds of the double-quoted passage holding ``pos``, within its paragraph."""
    text = doc_text(doc)
    para_start, para_end = next(((s, e) for s, e in paragraph_bounds(doc) if s <= pos < e), (0, len(text)))
    if not _QUOTES.search(text, para_start, pos):
        return None
    opened: int | None = None
    straight_open = False
    for i in range(para_start, pos):
        c = text[i]
        if c in _OPEN_QUOTES:
            opened = i
        elif c in _CLOSE_QUOTES:
            opened = None
        elif c == '"':
            straight_open = not straight_open
            opened = i if straight_open else None
    if opened is None:
        return None
    for i in range(pos, para_end):
        if text[i] in _CLOSE_QUOTES or text[i] == '"':
            return opened, i
    return opened, para_end


def _quote_speaker(doc: Doc, anchor: Token, idx: _Index) -> Span | None:
    bounds = _quote_bounds(doc, anchor.idx)
    if bounds is None:
        return None
    open_at, close_at = bounds
    for s in _sents(doc):
        if s.start_char <= close_at < s.end_char:
            for verb, head in _attributions(s, idx):
                if verb.idx > close_at and verb.lower_ != "according":
                    return _np(head)
        if s.start_char <= open_at < s.end_char:
            for verb, head in _attributions(s, idx):
                if verb.idx < open_at and verb.lower_ != "according":
                    return _np(head)
    return None


def _paragraph_sentences_before(sent: Span) -> list[Span]:
    doc = sent.doc
    para_start = next((s for s, e in paragraph_bounds(doc) if s <= sent.start_char < e), 0)
    return [s for s in _sents(doc) if para_start <= s.start_char and s.end_char <= sent.start_char]


def _carried(sent: Span, idx: _Index) -> Span | None:
    """A paragraph opened by "According to X," keeps X; "reportedly" takes the last attribution."""
    before = _paragraph_sentences_before(sent)
    reportedly = any(t.lower_ in ("reportedly", "allegedly") for t in sent)
    for s in reversed(before):
        for verb, head in _attributions(s, idx):
            if verb.lower_ == "according" and (verb.i == s.start or reportedly):
                return _np(head)
            if reportedly:
                return _np(head)
    return None


def _wire_lead(sent: Span, idx: _Index) -> Span | None:
    """ "45,000 fled. Conditions are poor, the UN migration agency said on Wednesday.": the source
    of an unattributed lead comes in the next sentence, as an organisation or a government."""
    doc = sent.doc
    if any(c in sent.text for c in '"“”'):
        return None
    nxt = next((s for s in _sents(doc) if s.start >= sent.end and s.text.strip()), None)
    if nxt is None or any(c in nxt.text for c in '"“”'):
        return None
    for verb, head in _attributions(nxt, idx):
        if verb.lower_ not in ("said", "reported", "added", "noted"):
            continue
        np = _np(head)
        if np.start < verb.i and any(t.text == "," for t in doc[nxt.start:np.start]) and (
            _organisation(np.text, idx) is not None or _government(np.text, idx) is not None
        ):
            return np
    return None


def figure_source(sent: Span, anchor: Token, doc: Doc, vocab: SourcesVocab | None = None) -> Source | None:
    """Who ``doc`` says gave the figure at ``anchor`` in ``sent``; ``None`` in the document's own voice."""
    idx = _index(vocab or load_sources_vocab())
    finders: list[Callable[[], Span | None]] = [
        lambda: _in_sentence(sent, anchor, idx),
        lambda: _quote_speaker(doc, anchor, idx),
        lambda: _carried(sent, idx),
        lambda: _wire_lead(sent, idx),
    ]
    for finder in finders:
        span = finder()
        if span is not None:
            source = _resolve(span, idx)
            if source is not None:
                return source
    return None
