"""uprooted: displacement figures, places, dates, sources and conflict events from news text.

    >>> from uprooted import extract
    >>> [r for r in extract("Floods forced 5,000 people to flee.") if r.type == "figure"]
"""

from __future__ import annotations

from .api import extract
from .errors import ExtractionError, ReadError, RecordError, ResourceError, UprootedError
from .read import InputDoc
from .records import (
    Actor,
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
    "DatePeriod",
    "Document",
    "ErrorRecord",
    "Event",
    "Evidence",
    "ExtractionError",
    "Figure",
    "InputDoc",
    "Location",
    "Place",
    "Quantity",
    "ReadError",
    "RecordError",
    "ResourceError",
    "Source",
    "UprootedError",
    "extract",
]
__version__ = "0.1.0"
