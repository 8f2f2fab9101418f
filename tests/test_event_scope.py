"""What one sentence's event is: the circumstance of a "while" clause, a participle describing a
unit, an explosive as the doer, and a casualty's home town are not events or their places."""

from __future__ import annotations

from uprooted import Event, extract


def _events(text: str) -> list[Event]:
    return [r for r in extract(text, published="2024-05-20") if isinstance(r, Event)]


def test_a_while_clause_is_the_circumstance_of_the_sentences_event() -> None:
    got = _events("A soldier was killed by a roadside bomb while battling the rebels near Tolbrook on Monday.")
    assert [e.sub_event_type for e in got] == ["remote_explosive_landmine_ied"]


def test_killed_while_fighting_is_still_one_clash() -> None:
    got = _events("Two soldiers were killed while fighting the rebels near Tolbrook on Monday.")
    assert [e.sub_event_type for e in got] == ["armed_clash"]


def test_a_participle_describing_troops_is_no_event() -> None:
    assert _events("Troops battling the rebels in the hills received new rifles last week.") == []


def test_an_explosive_as_the_doer_makes_an_explosion() -> None:
    got = _events("The blast that targeted an army convoy near Tolbrook on Monday killed four soldiers, "
                  "officials said.")
    assert {e.event_type for e in got} == {"explosions_remote_violence"}


def test_a_casualtys_home_town_is_not_where_the_event_happened() -> None:
    got = _events("Rebels ambushed an army patrol on Monday. "
                  "Corporal Ann Lowe of Timaru, New Zealand, died in the ambush.")
    assert got and all(loc.iso3 != "NZL" for e in got for loc in e.locations)


def test_crimes_of_an_armed_group_are_conflict_violence() -> None:
    """Trafficking is a crime story's word, but militants trafficking women is an ACLED event."""
    got = _events("The militants trafficked women and executed dozens of men in the villages they held.")
    assert "attack" in {e.sub_event_type for e in got}


def test_the_doer_at_the_hands_of() -> None:
    got = _events("Families trapped in the hills suffered atrocities at the hands of the militia.")
    assert got and got[0].sub_event_type == "attack"
    assert any(a.role == "actor1" for a in got[0].actors)


def test_an_event_without_a_place_of_its_own_is_where_the_sentences_before_put_it() -> None:
    """Not the document's most named country: the place of the sentences just before."""
    text = ("Relatives in Geelong, Mildura and Kalgoorlie gathered on Sunday to remember the soldier.\n\n"
            "He was on patrol in western Mongolia when a roadside bomb exploded. Two soldiers died in the blast.")
    got = [e for e in _events(text) if e.evidence.text.startswith("Two soldiers")]
    assert got and {loc.iso3 for e in got for loc in e.locations} == {"MNG"}


def test_an_event_word_naming_a_kind_of_record_or_kit_is_no_event() -> None:
    """"combat experience", "battle gear": a soldier's biography, not a second clash."""
    events = _events("Sergeant Arlo Venn was killed by a roadside bomb while fighting militants in Velmora on "
                     "Monday. Friends said he was a first class soldier who had built up years of combat "
                     "experience in the army.")
    assert [e.event_type for e in events] == ["explosions_remote_violence"]
