"""Who gave a figure when its own sentence does not say: the document's one source, or its issuer."""

from __future__ import annotations

from uprooted import Figure, extract


def _sources(text: str, **kw: object) -> dict[float, str | None]:
    return {r.quantity.value: (r.source.name if r.source else None)
            for r in extract(text, **kw) if isinstance(r, Figure)}


def test_an_unattributed_figure_takes_the_one_organisation_the_document_cites() -> None:
    text = ("Floods forced 3,000 people from their homes, the UN refugee agency said on Monday.\n\n"
            "In the hills, another 450 families were displaced by landslides.")
    sources = _sources(text)
    assert sources[450] == sources[3000] and "UNHCR" in str(sources[3000])


def test_two_sources_leave_an_unattributed_figure_alone() -> None:
    text = ("Floods forced 3,000 people from their homes, the UN refugee agency said.\n\n"
            "Local officials said 900 families fled.\n\nAnother 450 families were displaced by landslides.")
    assert _sources(text)[450] is None


def test_a_report_is_the_source_of_its_own_figures() -> None:
    text = "Heavy rain displaced 1,200 households in the delta on Tuesday."
    assert "IOM" in str(_sources(text, title="IOM flash update: floods in the delta")[1200])


def test_a_dateline_is_no_source() -> None:
    text = "TOKA (Radio 9) – The Ministry of Migration announced on Saturday that 200 families had returned."
    assert _sources(text)[200] == "Ministry of Migration"


def test_without_a_publication_date_the_latest_date_stated_anchors_the_others() -> None:
    """A report pasted without its metadata still says when it speaks from."""
    text = ("Flood update, 14 March 2021.\n\n"
            "As of 12 March, 2,300 people were displaced in the valley.")
    (figure,) = [r for r in extract(text) if isinstance(r, Figure)]
    assert figure.date is not None and figure.date.start == "2021-03-12"
