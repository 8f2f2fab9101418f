"""The registry of vocabulary files: which file, which schema. ``resources.load_resources`` calls it.

Each stage module defines the pydantic model of its own vocabulary and a ``load_*`` function;
this module is the single list of them, so loading happens in one place and one order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_all"]


def load_all() -> dict[str, Any]:
    """Every vocabulary, parsed and validated, keyed by its short name."""
    from .category import load_category_model
    from .dates import load_dates_vocab
    from .events import load_event_vocab
    from .lexicon import load_lexicon
    from .sources import load_sources_vocab

    return {
        "lexicon": load_lexicon(),
        "dates": load_dates_vocab(),
        "sources": load_sources_vocab(),
        "category": load_category_model(),
        "events": load_event_vocab(),
    }
