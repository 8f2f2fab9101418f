"""Derived data files match the scripts that derive them (STYLE: regenerate and compare)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demonyms_match_their_extract_from_countryinfo() -> None:
    pytest.importorskip("countryinfo", reason="countryinfo is a dev dependency: pip install -e .[dev]")
    script = _script("extract_demonyms")
    committed = (ROOT / "src" / "uprooted" / "data" / "demonyms.yaml").read_text(encoding="utf-8")
    assert script.render(script.extract()) == committed, "run scripts/extract_demonyms.py"


def test_natural_earth_points_written_by_the_script_are_what_the_gazetteer_reads() -> None:
    """The script's output format and the loader's schema must not drift apart."""
    import yaml

    from uprooted.places.vocab import NaturalEarthPoints

    script = _script("natural_earth_points")
    text = script.render({"XXA": (1.5, 2.25)}, {"XA-01": (3.0, 4.0, ["Velmora", "Velmora Province"])},
                         {"XA.07": (3.0, 4.0, ["Velmora"])})
    points = NaturalEarthPoints.model_validate(yaml.safe_load(text))
    assert points.countries["XXA"] == (1.5, 2.25)
    assert points.subdivisions["XA-01"] == (3.0, 4.0, ["Velmora", "Velmora Province"])
    assert points.geonames_subdivisions["XA.07"][:2] == (3.0, 4.0)
