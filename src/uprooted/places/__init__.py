"""The places stage: the embedded gazetteer, toponym resolution and figure locations.

``Gazetteer`` looks names up, ``resolve_places`` turns a parsed document into place records,
``figure_locations`` gives a figure its origin, destination and displacement, and
``build_gazetteer`` is what ``uprooted gazetteer build`` runs.
"""

from __future__ import annotations

from pathlib import Path

from .build import build_default, build_from_geonames
from .gazetteer import Candidate, Gazetteer, default_gazetteer_path
from .locate import figure_locations
from .rank import shipped_weights
from .resolve import ResolvedPlace, resolve_places
from .user import add_user_places, default_user_layer

__all__ = [
    "Candidate",
    "Gazetteer",
    "ResolvedPlace",
    "add_user_places",
    "build_default",
    "build_from_geonames",
    "build_gazetteer",
    "default_gazetteer_path",
    "default_user_layer",
    "figure_locations",
    "resolve_places",
    "shipped_weights",
]


def build_gazetteer(
    path: Path,
    geonames: Path | None = None,
    alternate_names: Path | None = None,
    admin1: Path | None = None,
) -> None:
    """Build the gazetteer at ``path``: from the full GeoNames dumps when ``geonames`` is given,
    else the default from shipped data. Replaces an existing file only once the new one is complete."""
    if geonames is not None:
        build_from_geonames(path, geonames, alternate_names, admin1)
    else:
        build_default(path)
