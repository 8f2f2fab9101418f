"""uprooted: displacement figures, places, dates, sources and conflict events from news text.

    >>> from uprooted import extract
    >>> [r for r in extract("Floods forced 5,000 people to flee.") if r.type == "figure"]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .errors import (
    DecisionError,
    ExtractionError,
    MissingInputError,
    NotFoundError,
    ReadError,
    RecordError,
    ResourceError,
    StoreError,
    UprootedError,
)
from .read import InputDoc
from .records import (
    Actor,
    AnyRecord,
    DatePeriod,
    Document,
    ErrorRecord,
    Event,
    Evidence,
    Figure,
    Location,
    Place,
    Quantity,
    Source,
)

__all__ = [
    "Actor",
    "AnyRecord",
    "DatePeriod",
    "DecisionError",
    "Document",
    "ErrorRecord",
    "Event",
    "Evidence",
    "ExtractionError",
    "Figure",
    "InputDoc",
    "Location",
    "MissingInputError",
    "NotFoundError",
    "Place",
    "Quantity",
    "ReadError",
    "RecordError",
    "ResourceError",
    "Source",
    "StoreError",
    "UprootedError",
    "extract",
]

if TYPE_CHECKING:
    from .api import extract

try:
    __version__ = version("uprooted")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0"


def __getattr__(name: str) -> Any:
    """``extract`` is imported on first use: it pulls in spaCy, which the command line's ``--help``
    and ``--version`` must not wait for."""
    if name == "extract":
        from .api import extract

        return extract
    raise AttributeError(f"module 'uprooted' has no attribute {name!r}")
