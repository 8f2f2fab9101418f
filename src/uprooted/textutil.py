"""Small text helpers shared by the stages that compile vocabularies into regular expressions."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["alternation"]


def alternation(words: Iterable[str], *, flexible_spaces: bool = False) -> str:
    """A regex alternation of ``words``, escaped and longest first, so "the end of" beats "end";
    ``flexible_spaces`` lets a space in a phrase match any run of white space."""
    items = {re.escape(w) for w in words}
    if flexible_spaces:
        items = {i.replace(r"\ ", r"\s+") for i in items}
    return "|".join(sorted(items, key=len, reverse=True))
