"""The data-file reader every stage shares: YAML, JSON and binary files shipped in ``uprooted/data``.

A leaf module: it imports nothing of uprooted but the exception family, so any stage may use it
without pulling in the loader that assembles the stages. A file that cannot be read, or does not fit
its pydantic model (``extra="forbid"``), raises ``ResourceError`` naming the file and the key.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ResourceError

__all__ = ["load_vocabulary", "read_data_bytes", "read_data_file"]

M = TypeVar("M", bound=BaseModel)


def read_data_file(name: str) -> Any:
    """Parse a YAML or JSON file shipped in ``uprooted/data``; errors name the file."""
    try:
        text = files("uprooted").joinpath("data", name).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read vocabulary data/{name}: {exc}") from exc


def read_data_bytes(name: str) -> bytes:
    """The raw bytes of a binary artifact shipped in ``uprooted/data`` (a trained model)."""
    return files("uprooted").joinpath("data", name).read_bytes()


def load_vocabulary(name: str, model: type[M]) -> M:
    """Read ``data/<name>`` into ``model``; a bad entry raises ``ResourceError`` naming file and key."""
    raw = read_data_file(name)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ResourceError(f"invalid vocabulary data/{name}: {exc}") from exc
