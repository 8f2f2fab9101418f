"""The order of the stages, nothing else: classify -> normalize -> (gate) -> parse -> quantities ->
figures -> dates -> places -> records -> restatements -> events -> causes.

``extract_docs`` takes ``InputDoc``s (or the ``ReadError`` a reader produced in their place) and
yields, for each document, the list of records it gave, in input order. Documents are parsed in
batches with ``nlp.pipe``; with ``Settings.workers`` above one, worker processes take the batches
side by side (a few in flight at a time, so memory stays flat on a stream) and the results are
yielded in input order. Under ``skip_irrelevant`` the gate decides which documents are parsed, and
only their candidate sentences are (cut out with their map to the original text). Every stage runs
inside ``_stage``, so a failure names the document and the stage: the project's own errors (and
foreign ones translated where they arise) become an ``error`` record and the batch goes on. Anything
else is a bug: ``Settings.strict`` lets it raise (the tests and ``--strict`` do); otherwise it is
logged with its traceback and reported as an internal error of that document, so one bad document
never costs a long run.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import re
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any

from pydantic import BaseModel

from .assemble import document_record, event_records, figure_records, original_place, record_id
from .breakdowns import find_breakdowns
from .category import CategoryModel, CategoryVerdict
from .causes import attach_figures, link_figures
from .dates import at_report_time, find_dates, reference_date, report_period
from .errors import ExtractionError, ReadError, UprootedError
from .events import compiled, detect_events
from .figures import find_figures, internal_refugees
from .gate import Gate, focus, kept_spans
from .normalize import Normalized, normalize
from .places import resolve_places
from .quantities import find_quantities
from .read import InputDoc
from .records import Category, ErrorRecord, Location
from .resources import Resources, blas_threads, load_resources
from .restatements import link_restatements
from .settings import Settings
from .tables import find_tables

__all__ = ["error_record", "extract_docs", "shutdown_workers"]

_log = logging.getLogger(__name__)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def error_record(exc: UprootedError, fallback_id: str = "unknown") -> ErrorRecord:
    """The ``error`` line for a failure, naming the document and the stage."""
    return ErrorRecord(doc_id=exc.doc_id or fallback_id, error=exc.message, stage=exc.stage)


@contextmanager
def _stage(name: str, doc_id: str, strict: bool) -> Iterator[None]:
    """Run one stage on one document: its errors carry the document and the stage's name."""
    try:
        yield
    except UprootedError as exc:
        exc.doc_id = exc.doc_id or doc_id
        exc.stage = exc.stage or name
        raise
    except Exception as exc:
        if strict:
            raise
        _log.error("internal error in stage %s on document %s", name, doc_id, exc_info=exc)
        raise ExtractionError(f"internal error: {type(exc).__name__}: {exc}", doc_id=doc_id, stage=name) from exc


def worker_count(settings: Settings) -> int:
    """How many processes extract: the setting, or one per CPU core this process may use."""
    if settings.workers > 0:
        return settings.workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_docs(
    inputs: Iterable[InputDoc | ReadError], res: Resources
) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """Records for each input, in order, parsing documents in batches. An input that fits in one
    batch runs in this process (starting workers would cost more than it saves); with several
    workers, a longer one goes to them from its first batch on, while this process only reads, hands
    out and collects: parsing the first batch here left the workers unstarted for that long."""
    # The event matchers hold strings of spaCy's vocabulary: built before the first memory zone (and
    # before workers fork), so that they outlive it.
    compiled(res.vocab["events"], res.nlp.make_doc(""))
    batches = _batches(inputs, res.settings.batch_size)
    first = next(batches, None)
    if first is None:
        return
    workers = worker_count(res.settings)
    if workers < 2 or len(first) < res.settings.batch_size:  # a short batch is the input's last
        yield from _in_zone(first, res)
        for batch in batches:
            yield from _in_zone(batch, res)
        return
    yield from _parallel(chain([first], batches), res, workers)


def _in_zone(batch: list[InputDoc | ReadError], res: Resources) -> list[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """One batch in this process. Strings it adds to spaCy's vocabulary go with it: memory stays flat
    on a long stream."""
    with res.nlp.memory_zone():
        return _batch_records(batch, res, res.vocab["category"], res.settings.strict)


_END = object()
_POLL = 0.05  # seconds between looks at the input queue while results are pending
# Batches in flight per worker. Results are yielded in input order, so a slow batch at the head holds
# back the ones after it: with two per worker, the other worker finished what it had and waited. A
# batch in flight costs this process only its input and records (kilobytes a document).
_IN_FLIGHT = 4


def _parallel(
    batches: Iterator[list[InputDoc | ReadError]], res: Resources, workers: int
) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """Batches through ``workers`` processes, at most ``_IN_FLIGHT`` per worker, yielded in input
    order as soon as each is done, even while the input waits (a stream on stdin). The workers
    outlive the call (``_pool``), so a second call finds them loaded and their caches warm. A pool
    starts with its first batch, before the reading thread, so no worker inherits a lock that
    thread holds."""
    first = next(batches, None)
    if first is None:
        return
    limit = _IN_FLIGHT * workers
    pending: deque[tuple[list[InputDoc | ReadError], Future[list[list[BaseModel]]]]] = deque()
    pool = _pool(res, workers)

    def submit(batch: list[InputDoc | ReadError]) -> None:
        docs = [item for item in batch if isinstance(item, InputDoc)]
        pending.append((batch, pool.submit(_worker_batch, docs, res.settings)))

    try:
        try:
            submit(first)
        except BrokenProcessPool:  # its workers died since the last call (killed, or out of memory)
            _drop_pool(pool)
            pool = _pool(res, workers)
            submit(first)
        ahead: queue.Queue[Any] = queue.Queue(maxsize=limit)
        threading.Thread(target=_read_ahead, args=(batches, ahead), daemon=True).start()
        ended = False
        while not ended or pending:
            if not ended and len(pending) < limit:
                try:
                    batch = ahead.get(timeout=_POLL) if pending else ahead.get()
                except queue.Empty:
                    batch = None
                if isinstance(batch, BaseException):
                    raise batch
                if batch is _END:
                    ended = True
                elif batch is not None:
                    submit(batch)
                    continue
            if pending and (ended or len(pending) >= limit or pending[0][1].done()):
                yield from _collect(*pending.popleft())
    except GeneratorExit:  # the caller stopped reading: what has not started is not done
        for _, future in pending:
            future.cancel()
        raise
    except BaseException:
        _drop_pool(pool)
        raise


_pools_lock = threading.RLock()
_pools: dict[tuple[Any, ...], ProcessPoolExecutor] = {}


def _pool(res: Resources, workers: int) -> ProcessPoolExecutor:
    """The worker pool for these resources, started on first use and kept for later calls. It is
    this process's and this thread's own: a forked child must not use its parent's, and workers die
    with the thread that forked them (``_die_with_parent``). Starting another drops the one before."""
    s = res.settings
    key = (workers, s.spacy_model, s.gazetteer_path, s.user_places_path, os.getpid(), threading.get_ident())
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None and not getattr(pool, "_broken", False):
            return pool
        for old in list(_pools.values()):
            _drop_pool(old)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(s,))
        # Objects alive now (the resources) leave the collector's view while the workers fork, so
        # that a worker's collections do not write to, and so copy, the pages it shares with this
        # process. A forking pool starts every worker at its first task: one that does nothing.
        gc.freeze()
        try:
            pool.submit(int).result()
        finally:
            gc.unfreeze()
        _pools[key] = pool
        return pool


def _drop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers and forget it (a broken pool, or one another run replaces)."""
    with _pools_lock:
        for key in [k for k, p in _pools.items() if p is pool]:
            del _pools[key]
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown_workers() -> None:
    """Stop the worker processes kept for later calls (they stop by themselves when this process
    ends); for a long-lived program that is done extracting and wants their memory back."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_ahead(batches: Iterator[list[InputDoc | ReadError]], ahead: queue.Queue[Any]) -> None:
    """Read batches into ``ahead`` (bounded, so the input is read only a little ahead), then the end
    mark; an exception while reading travels to the consumer instead."""
    try:
        for batch in batches:
            ahead.put(batch)
    except BaseException as exc:  # re-raised in the consuming thread
        ahead.put(exc)
        return
    ahead.put(_END)


def _collect(
    batch: list[InputDoc | ReadError], done: Future[list[list[BaseModel]]]
) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """A batch's inputs paired with their records: a worker's for documents, the error for the rest."""
    records = iter(done.result())
    for item in batch:
        yield item, ([error_record(item)] if isinstance(item, ReadError) else next(records))


def _start_worker(settings: Settings) -> None:
    """A worker's set-up: the resources (inherited through fork, or loaded once in this process),
    with a gazetteer connection of its own; and it dies with the process that started it."""
    _die_with_parent()
    load_resources(settings).forget_handles()


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that forked it ends


def _die_with_parent() -> None:
    """A worker must not outlive a killed parent (kill -9): an orphan would keep the parent's open
    files and sockets, and so a store's transaction and its locks, and the rerun would wait on them."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the signal was asked for
        os._exit(1)


def _worker_batch(docs: list[InputDoc], settings: Settings) -> list[list[BaseModel]]:
    """The records of a batch of documents, in a worker process."""
    return [records for _, records in _in_zone(list(docs), load_resources(settings))]


def _batch_records(
    batch: list[InputDoc | ReadError], res: Resources, model: Any, strict: bool
) -> list[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """The records of one batch; no spaCy object outlives the call."""
    results: list[list[BaseModel] | None] = []
    todo: list[tuple[int, InputDoc, CategoryVerdict, Normalized]] = []
    for item in batch:
        results.append(None)
        if isinstance(item, ReadError):
            results[-1] = [error_record(item)]
            continue
        try:
            with _stage("classify", item.id, strict):
                verdict = model.classify_document(item.title, item.text)
            with _stage("normalize", item.id, strict):
                norm = normalize(item.text, res.vocab["words"])
            if res.settings.skip_irrelevant:
                with _stage("gate", item.id, strict):
                    focused = _focus(item, norm, verdict, res.vocab["gate"])
                if focused is None:
                    results[-1] = [document_record(item, verdict, [])]
                    continue
                norm = focused
            todo.append((len(results) - 1, item, verdict, norm))
        except UprootedError as exc:
            results[-1] = [error_record(exc)]
    with blas_threads(res):
        parsed = _parse(todo, res)
    for (slot, item, verdict, norm), doc in zip(todo, parsed, strict=True):
        if isinstance(doc, BaseModel):
            results[slot] = [doc]
            continue
        try:
            results[slot] = _records(item, doc, norm, verdict, res)
        except UprootedError as exc:
            results[slot] = [error_record(exc)]
    return [(item, records or []) for item, records in zip(batch, results, strict=True)]


# Rough sentences kept around each candidate (its neighbours lend a source, "..., officials said", or
# a date), and at the start of a document with no publication date (its dateline and lead date it).
_NEIGHBOURS = 1
_LEAD = 2


def _focus(item: InputDoc, norm: Normalized, verdict: CategoryVerdict, gate: Gate) -> Normalized | None:
    """The text to parse under ``skip_irrelevant``: None when the document fails the gate; else only
    its candidate sentences, their neighbours and its lead, with the map to the original text, so
    that every stage after the parse runs as it does on a whole document. A document
    that passes on the classifier's word alone has no cue, so its sentences with a count are the
    candidates."""
    found = gate.verdict(item.title, norm.text)
    candidates: list[tuple[int, int]] = list(found.candidates)
    if not candidates and verdict.relevant:
        candidates = gate.counted(norm.text)
    if not candidates and not found.passes:
        return None
    lead = _LEAD if item.published_date() is None else 0
    return focus(norm, kept_spans(norm.text, candidates, _NEIGHBOURS, lead))


def _parse(todo: list[tuple[int, InputDoc, CategoryVerdict, Normalized]], res: Resources) -> list[Any]:
    """Parsed docs in batch (``nlp.pipe``); a text longer than the pipeline's ``max_length`` is parsed
    in pieces cut at block boundaries and joined. If the batch fails, one by one, so only the bad
    document fails. spaCy signals a text it refuses with ``ValueError``, translated here."""
    texts = [norm.text for _, _, _, norm in todo]
    limit = res.nlp.max_length
    if any(len(t) > limit for t in texts):
        short = [n for n, t in enumerate(texts) if len(t) <= limit]
        parsed = dict(zip(short, _parse([todo[n] for n in short], res), strict=True))
        return [parsed[n] if n in parsed else _parse_one(todo[n][1], texts[n], res) for n in range(len(todo))]
    try:
        return list(res.nlp.pipe(texts, batch_size=res.settings.batch_size))
    except ValueError:
        return [_parse_one(item, text, res) for (_, item, _, _), text in zip(todo, texts, strict=True)]


def _parse_one(item: InputDoc, text: str, res: Resources) -> Any:
    try:
        with _stage("parse", item.id, res.settings.strict):
            try:
                return _parse_long(text, res.nlp) if len(text) > res.nlp.max_length else res.nlp(text)
            except ValueError as exc:
                raise ExtractionError(f"ValueError: {exc}", doc_id=item.id, stage="parse") from exc
    except UprootedError as exc:
        return error_record(exc)


_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?]\s+"), re.compile(r"\s+"))


def _pieces(text: str, limit: int) -> Iterator[str]:
    """``text`` in pieces of at most ``limit`` characters, each ending after a blank line where one
    falls in reach (else a line end, a sentence end, a space): a sentence never runs across one."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = 0
        for rx in _BREAKS:
            ends = [m.end() for m in rx.finditer(window) if m.end() < len(window)]
            if ends and ends[-1] > limit // 4:
                cut = ends[-1]
                break
        cut = cut or limit
        yield text[start:start + cut]
        start += cut
    yield text[start:]


def _parse_long(text: str, nlp: Any) -> Any:
    """One ``Doc`` for a text over spaCy's length limit, from the parses of its pieces."""
    from spacy.tokens import Doc

    # from_docs carries extension attributes only, not the pieces' cached texts in user_data.
    doc = Doc.from_docs([nlp(piece) for piece in _pieces(text, nlp.max_length)], ensure_whitespace=False)
    if doc.text != text:
        raise ExtractionError("the pieces of a long text did not join back into it", stage="parse")
    return doc


def _conflict_setting(verdict: CategoryVerdict, model: CategoryModel) -> Callable[[Any], bool]:
    """Whether a sentence is set in armed conflict: the whole document is, or the sentence itself."""
    if verdict.category == "conflict":
        return lambda sentence: True
    return lambda sentence: model.sentence_category(sentence.text, verdict) == "conflict"


def _country(res: Resources) -> Callable[[str], Location | None]:
    """A country's own location, from the gazetteer."""
    def lookup(iso3: str) -> Location | None:
        c = res.gazetteer().country(iso3)
        if c is None:
            return None
        return Location(role="location", name=c.name, geonameid=c.geonameid, iso3=c.iso3, lat=c.lat, lon=c.lon,
                        level="country")
    return lookup


def _records(inp: InputDoc, doc: Any, norm: Normalized, verdict: CategoryVerdict, res: Resources) -> list[BaseModel]:
    """The stages after the parse, in order, each named for the errors it may raise."""
    lex, strict, model = res.vocab["lexicon"], res.settings.strict, res.vocab["category"]
    with _stage("quantities", inp.id, strict):
        quantities = find_quantities(norm.text, lex)
    with _stage("figures", inp.id, strict):
        mentions = find_figures(doc, quantities, lex)
    with _stage("breakdowns", inp.id, strict):
        tables = find_tables(doc, quantities, mentions, lex)
        mentions = [*(m for m in mentions if m.quantity.core_start not in tables.read_past), *tables.figures]
        mentions = sorted([*mentions, *find_breakdowns(doc, quantities, mentions, lex)],
                          key=lambda m: m.quantity.core_start)
        if verdict.category == "disaster":
            mentions = [internal_refugees(m, lex) for m in mentions]
    with _stage("dates", inp.id, strict):
        reference = inp.published_date()
        dates = find_dates(doc, reference, res.vocab["dates"])
        if reference is None and (reference := reference_date(dates)) is not None:
            dates = find_dates(doc, reference, res.vocab["dates"])
        report = report_period(inp.title, reference, res.vocab["dates"])
        dates = at_report_time(dates, report, res.vocab["dates"])
    with _stage("places", inp.id, strict):
        places = resolve_places(doc, res.gazetteer(), inp.published, doc_id=inp.id, calendar=res.vocab["calendar"],
                                weights=res.vocab["place_weights"])
    with _stage("records", inp.id, strict):
        figures = figure_records(inp, mentions, dates, places, norm, res.settings.min_confidence,
                                 res.vocab["sources"], reference, report, country=_country(res))
        by_sentence: dict[str, Category] = {}
        for f in figures:
            if f.evidence.text not in by_sentence:
                by_sentence[f.evidence.text] = model.sentence_category(f.evidence.text, verdict)
        figures = [f.model_copy(update={"category": by_sentence[f.evidence.text]}) for f in figures]
    with _stage("restatements", inp.id, strict):
        figures = link_restatements(figures)
    with _stage("events", inp.id, strict):
        event_mentions = detect_events(doc, res.vocab["events"], _conflict_setting(verdict, model))
    with _stage("causes", inp.id, strict):
        links = link_figures(
            {record_id(inp, "f", n): m for n, m in enumerate(mentions, 1)},
            {record_id(inp, "e", n): m for n, m in enumerate(event_mentions, 1)},
            res.vocab["events"],
        )
    with _stage("records", inp.id, strict):
        reporting = frozenset(res.vocab["sources"].reporting_verbs)
        events = attach_figures(event_records(inp, event_mentions, dates, places, norm, reporting, reference),
                                links, kept={f.id for f in figures})
        place_records = [original_place(p, inp, norm) for p in places]
        return [document_record(inp, verdict, figures), *figures, *events, *place_records]
