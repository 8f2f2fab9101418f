"""The registry of vocabulary files: which file, which schema. ``resources.load_resources`` calls it.

Each stage module defines the pydantic model of its own vocabulary and a ``load_*`` function;
this module is the single list of them, so loading happens in one place and one order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_all"]


def load_all() -> dict[str, Any]:
    """Every vocabulary, parsed and validated, keyed by its short name."""
    from .lexicon import load_lexicon

    return {"lexicon": load_lexicon()}
