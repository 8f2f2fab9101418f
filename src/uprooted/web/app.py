"""The web workspace's FastAPI application: the API under ``/api`` (OpenAPI docs at ``/docs``) and
the one-page workspace at ``/``, both over one store.

Reads take the filters of ``uprooted export`` as query parameters and page their results; downloads
write any filtered view in the export formats. Writes (review decisions, merges, splits) need a
token and land in the store's audit log (``store.decisions``). ``POST /api/extract`` runs the
pipeline on a pasted text or a URL, fetched under the reader's rules, without storing anything.
Errors of the ``UprootedError`` family map to HTTP statuses in one handler. No ``from __future__
import annotations`` here: FastAPI reads the routes' annotations, which name dependencies defined
inside ``create_app``.
"""

import io
from collections.abc import Callable, Iterator
from datetime import date
from importlib.resources import files
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from ..errors import DecisionError, NotFoundError, ReadError, ResourceError, StoreError, UprootedError
from ..settings import Settings
from ..store.decisions import decide
from ..store.export import Filters
from ..store.formats import FIGURE_COLUMNS, figure_row, write_csv, write_geojson, write_hxl
from . import queries
from .extract import extract_records
from .security import BodyLimit, TokenCheck

__all__ = ["create_app"]

_STATUS: list[tuple[type[UprootedError], int]] = [
    (NotFoundError, 404), (DecisionError, 422), (ReadError, 422), (StoreError, 503), (ResourceError, 503),
    (UprootedError, 500)]
_MAX_PAGE = 5000


def _status(exc: UprootedError) -> int:
    return next(code for cls, code in _STATUS if isinstance(exc, cls))


def _day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name} {value!r} is not a date (give YYYY-MM-DD)") from None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(422, f"bbox {value!r}: give four numbers, min_lon,min_lat,max_lon,max_lat") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, f"bbox {value!r}: within -180..180 and -90..90, min before max")
    return west, south, east, north


def _filters(
    country: Annotated[list[str] | None, Query(description="ISO3 code of a country (repeat for more).")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat.")] = None,
    since: Annotated[str | None, Query(description="Periods ending on or after this day.")] = None,
    until: Annotated[str | None, Query(description="Periods starting on or before this day.")] = None,
    term: Annotated[list[str] | None, Query(description="IDMC term (repeat for more).")] = None,
    kind: Annotated[list[str] | None, Query(description="flow, stock or unknown.")] = None,
    group: Annotated[list[str] | None, Query(description="Group id (repeat for more).")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> Filters:
    """The export filters from the query string, as ``uprooted export`` takes them."""
    return Filters(countries=frozenset(c.upper() for c in country or [] if c), bbox=_bbox(bbox),
                   since=_day(since, "since"), until=_day(until, "until"),
                   terms=frozenset(t for t in term or [] if t), kinds=frozenset(k for k in kind or [] if k),
                   groups=frozenset(g for g in group or [] if g), min_confidence=min_confidence)


def _review(review: Annotated[list[Literal["none", "accept", "reject", "edit"]] | None,
                              Query(description="Review state (repeat for more).")] = None) -> frozenset[str]:
    return frozenset(review or [])


def _page(items: list[dict[str, Any]], page: int, per_page: int) -> JSONResponse:
    """One page of a list; written straight as JSON (FastAPI's encoder would walk every value of
    thousands of plain dicts again, the larger part of a list's answer time)."""
    start = (page - 1) * per_page
    return JSONResponse({"total": len(items), "page": page, "per_page": per_page,
                         "items": items[start:start + per_page]})


Page = Annotated[int, Query(ge=1)]
PerPage = Annotated[int, Query(ge=1, le=_MAX_PAGE)]


class DecisionIn(BaseModel):
    """A review decision: accept, reject, or correct some fields of the figure."""

    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "reject", "correct"]
    changes: dict[str, Any] | None = Field(default=None, description="With correct: value, term, unit, place, "
                                                                     "date.")
    reviewer: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    """Merge the group of one figure into the group of another."""

    model_config = ConfigDict(extra="forbid")
    into: str = Field(min_length=1, max_length=500)
    reviewer: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class SplitIn(BaseModel):
    """Take a figure out of its group."""

    model_config = ConfigDict(extra="forbid")
    reviewer: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class ExtractIn(BaseModel):
    """A pasted article, or the URL of one, to extract records from at once (nothing is stored)."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, description="YYYY-MM-DD")
    title: str | None = Field(default=None, max_length=1000)


def create_app(engine: Engine, settings: Settings, *, token: str = "") -> FastAPI:
    """The application over ``engine``; ``token`` (else ``settings.serve_token``) lets writes in."""
    app = FastAPI(title="uprooted", description="Displacement figures and events from the store, and their review.",
                  version="1")
    tokens = TokenCheck(engine, token or settings.serve_token)
    static = files("uprooted.web").joinpath("static")

    @app.exception_handler(UprootedError)
    async def _uprooted_error(_request: Request, exc: UprootedError) -> JSONResponse:
        return JSONResponse({"detail": exc.message, "doc_id": exc.doc_id}, status_code=_status(exc))

    def reader(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.serve_read_token and tokens.reviewer(authorization) is None:
            raise HTTPException(401, "reads need a token here (Authorization: Bearer ...)",
                                headers={"WWW-Authenticate": "Bearer"})

    def writer(authorization: Annotated[str | None, Header()] = None) -> str:
        who = tokens.reviewer(authorization)
        if who is None:
            raise HTTPException(401, "review writes need a token (Authorization: Bearer ...)",
                                headers={"WWW-Authenticate": "Bearer"})
        return who

    Read = Depends(reader)

    @app.get("/api/meta", dependencies=[Read])
    def meta() -> dict[str, Any]:
        """What the workspace needs to draw itself: the base layer, the term groups."""
        return {"tiles_url": settings.serve_tiles_url or None, "term_groups": queries.term_groups(),
                "read_token": settings.serve_read_token}

    @app.get("/api/figures", dependencies=[Read])
    def figures(f: Annotated[Filters, Depends(_filters)], review: Annotated[frozenset[str], Depends(_review)],
                page: Page = 1, per_page: PerPage = 500) -> JSONResponse:
        """Current figures passing the filters, as corrected by the analysts, with their review state."""
        return _page(queries.figures(engine, f, review), page, per_page)

    @app.get("/api/figures/{record_id:path}/decisions", dependencies=[Read])
    def figure_decisions(record_id: str) -> list[dict[str, Any]]:
        """The audit log of one figure: every decision with reviewer, time and what stood before."""
        return list(queries.figure_detail(engine, record_id)["decisions"])

    @app.get("/api/figures/{record_id:path}", dependencies=[Read])
    def figure(record_id: str) -> dict[str, Any]:
        """One figure for the evidence view: document text, highlights, group and why, audit log."""
        return queries.figure_detail(engine, record_id)

    @app.post("/api/figures/{record_id:path}/decisions", status_code=201)
    def decide_figure(record_id: str, body: DecisionIn, who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
        """Accept, reject or correct a figure; kept under its stable key, so ``reprocess`` keeps it."""
        action = "edit" if body.action == "correct" else body.action
        if action == "edit" and not body.changes:
            raise DecisionError("a correction needs the fields it changes", doc_id=record_id)
        decide(engine, record_id, action, edit=body.changes if action == "edit" else None,
               analyst=who or body.reviewer, note=body.note)
        return queries.figure_detail(engine, record_id)

    @app.post("/api/figures/{record_id:path}/merge", status_code=201)
    def merge(record_id: str, body: MergeIn, who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
        """Merge this figure's group into the group of ``into`` (applied by the next ``aggregate``)."""
        decide(engine, record_id, "merge", into=body.into, analyst=who or body.reviewer, note=body.note)
        return queries.figure_detail(engine, record_id)

    @app.post("/api/figures/{record_id:path}/split", status_code=201)
    def split(record_id: str, body: SplitIn, who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
        """Take this figure out of its group (applied by the next ``aggregate``)."""
        decide(engine, record_id, "split", analyst=who or body.reviewer, note=body.note)
        return queries.figure_detail(engine, record_id)

    @app.get("/api/groups", dependencies=[Read])
    def groups(f: Annotated[Filters, Depends(_filters)], page: Page = 1, per_page: PerPage = 100) -> JSONResponse:
        """Groups of the filtered figures, largest first, each with its recommended figure and why."""
        return _page(queries.groups(queries.figures(engine, f), queries.group_whys(engine)), page, per_page)

    @app.get("/api/triage", dependencies=[Read])
    def triage(f: Annotated[Filters, Depends(_filters)], page: Page = 1, per_page: PerPage = 100) -> JSONResponse:
        """Figures nobody reviewed yet, those of the largest groups and the most confident first."""
        return _page(queries.triage(queries.figures(engine, f)), page, per_page)

    @app.get("/api/events", dependencies=[Read])
    def events(f: Annotated[Filters, Depends(_filters)], page: Page = 1, per_page: PerPage = 500) -> JSONResponse:
        """Current events passing the filters (figure-only filters go by the figures they caused)."""
        return _page(queries.events(engine, f), page, per_page)

    @app.get("/api/places", dependencies=[Read])
    def places(f: Annotated[Filters, Depends(_filters)], page: Page = 1, per_page: PerPage = 500) -> dict[str, Any]:
        """Places resolved in the current documents, the most named first."""
        total, items = queries.places(engine, f, (page - 1) * per_page, per_page)
        return {"total": total, "page": page, "per_page": per_page, "items": items}

    @app.get("/api/documents", dependencies=[Read])
    def documents(page: Page = 1, per_page: PerPage = 100) -> dict[str, Any]:
        """Current documents, newest first, with how many figures each gave."""
        total, items = queries.documents(engine, (page - 1) * per_page, per_page)
        return {"total": total, "page": page, "per_page": per_page, "items": items}

    @app.get("/api/documents/{row}", dependencies=[Read])
    def document(row: int) -> dict[str, Any]:
        """One document with its text and its records."""
        return queries.document(engine, row)

    @app.get("/api/export.{fmt}", dependencies=[Read])
    def export(fmt: Literal["csv", "hxl", "geojson"], f: Annotated[Filters, Depends(_filters)],
               review: Annotated[frozenset[str], Depends(_review)]) -> StreamingResponse:
        """The filtered view as a download, in the export's formats."""
        writers: dict[str, Callable[[io.StringIO], int]] = {
            "csv": lambda out: write_csv(queries.selected_figures(engine, f, review), out, FIGURE_COLUMNS, figure_row),
            "hxl": lambda out: write_hxl(queries.selected_figures(engine, f, review), out),
            "geojson": lambda out: write_geojson(queries.selected_figures(engine, f, review), iter(()), out)}
        out = io.StringIO()
        writers[fmt](out)
        media = "application/geo+json" if fmt == "geojson" else "text/csv"

        def body() -> Iterator[bytes]:
            yield out.getvalue().encode("utf-8")

        return StreamingResponse(body(), media_type=f"{media}; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="uprooted-figures.{"csv" if fmt == "hxl" else fmt}"'})

    @app.post("/api/extract")
    def extract(body: ExtractIn) -> dict[str, Any]:
        """Records of a pasted text or a URL (fetched under the reader's rules); nothing is stored."""
        if bool(body.text) == bool(body.url):
            raise HTTPException(422, "give either text or url")
        return {"records": extract_records(settings, text=body.text, url=body.url,
                                           published=_day(body.published, "published"), title=body.title)}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(static.joinpath("index.html")), media_type="text/html",
                            headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    if settings.serve_cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.serve_cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, limit=settings.serve_max_body_bytes)
    return app


# Scripts only from this server, no inline script or handler, no plugin: document text shown on the
# page can never run, even if a mistake put it into markup. Tiles may come from any https server.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
