"""The JSON Schema of the published records, written to ``docs/schema/`` by ``uprooted schema``.

A test regenerates it in memory and fails when the committed files differ from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .records import Document, ErrorRecord, Event, Figure, Place

__all__ = ["schemas", "write_schemas"]

_MODELS: dict[str, type[BaseModel]] = {
    "figure": Figure, "event": Event, "place": Place, "document": Document, "error": ErrorRecord,
}


def schemas() -> dict[str, dict[str, Any]]:
    """Record type -> JSON Schema (serialisation mode: what users read)."""
    return {name: model.model_json_schema(mode="serialization") for name, model in _MODELS.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write one ``<type>.schema.json`` per record type."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
