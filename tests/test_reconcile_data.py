"""The reconcile step's data files: they load, and they agree with the other vocabularies."""

from __future__ import annotations

from uprooted.reconcile import load_rules
from uprooted.sources.vocab import load_sources_vocab


def test_household_sizes_are_keyed_by_known_country_codes() -> None:
    """A typo in an ISO code would silently leave that country's households unconverted."""
    known = set(load_sources_vocab().countries)
    assert set(load_rules().households.countries) <= known


def test_authority_class_names_are_unique() -> None:
    """The why names the class that won; two classes of one name would make it ambiguous."""
    names = [c.name for c in load_rules().authority.classes]
    assert len(names) == len(set(names))


def test_every_unit_has_a_class() -> None:
    """A unit without a class would fail on the first figure that uses it, deep in a batch."""
    from uprooted.records import Unit

    assert set(load_rules().terms.unit_classes) == set(Unit.__args__)  # type: ignore[attr-defined]
