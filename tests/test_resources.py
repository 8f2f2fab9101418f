"""The loader: resources cached by what defines them, pickled as settings, and the gazetteer file."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pytest

from uprooted.errors import ResourceError
from uprooted.places import Gazetteer
from uprooted.places.features import FEATURES, check_weights
from uprooted.places.vocab import place_ranker
from uprooted.resources import Resources, blas_threads, gazetteer_path, load_resources
from uprooted.settings import load_settings


def test_settings_that_do_not_define_a_resource_share_the_loaded_ones(res: Resources) -> None:
    """A flag such as skip_irrelevant must not load a second spaCy pipeline and gazetteer."""
    other = load_resources(load_settings(skip_irrelevant=True, min_confidence=0.5))
    assert other.settings.skip_irrelevant and other.settings.min_confidence == 0.5
    assert other.nlp is res.nlp and other.vocab is res.vocab
    assert other.gazetteer() is res.gazetteer()


def test_the_same_settings_give_the_same_resources(res: Resources) -> None:
    assert load_resources(res.settings) is res


def test_threads_loading_at_once_get_one_set_of_resources(res: Resources) -> None:
    got: list[Resources] = []
    threads = [threading.Thread(target=lambda: got.append(load_resources(res.settings))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(r.nlp is res.nlp for r in got)


def test_resources_pickle_as_reopen_from_settings(res: Resources) -> None:
    """Worker processes receive settings, not a parser and a database handle."""
    blob = pickle.dumps(res)
    assert len(blob) < 10_000
    again = pickle.loads(blob)
    assert again.settings == res.settings
    assert again.nlp is res.nlp  # in this process the cached resources are reused


def test_gazetteer_pickles_as_its_path(res: Resources) -> None:
    gaz = res.gazetteer()
    again = pickle.loads(pickle.dumps(gaz))
    assert isinstance(again, Gazetteer) and again.path == gaz.path and again is not gaz
    assert again.lookup("Lisbon")[0].iso3 == "PRT"


def test_a_gazetteer_path_the_user_named_must_exist(tmp_path: Path) -> None:
    """A mistyped path is an error; a default gazetteer is never built at a path the user named."""
    missing = tmp_path / "typo" / "places.sqlite"
    res = load_resources(load_settings(gazetteer_path=str(missing)))
    with pytest.raises(ResourceError, match=r"does not exist; build it with `uprooted gazetteer build"):
        res.gazetteer()
    assert not missing.exists()


def test_the_default_gazetteer_lives_in_the_user_cache() -> None:
    path = gazetteer_path(load_settings(gazetteer_path=""))
    assert path.parent == Path("~/.cache/uprooted").expanduser() and path.suffix == ".sqlite"


def test_every_ranking_feature_has_a_shipped_weight() -> None:
    assert set(place_ranker().weights) == set(FEATURES)


@pytest.mark.parametrize(("weights", "message"), [
    pytest.param({f: 1.0 for f in FEATURES if f != "capital"}, r"features without a weight \['capital'\]",
                 id="missing"),
    pytest.param({**dict.fromkeys(FEATURES, 1.0), "captial": 1.0}, r"weights without a feature \['captial'\]",
                 id="misspelt"),
])
def test_a_weight_file_that_does_not_fit_the_features_stops_loading(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        check_weights(weights)


def test_the_attribute_rules_match_as_spacy_matches_them(res: Resources) -> None:
    """The pipeline's attribute ruler looks its one-token rules up in tables; every rule must still
    match where spaCy's own matcher matches it, in the same order (later rules win), including the
    rules of several tokens ("gonna"), the rules that exclude values and the regular expressions."""
    from spacy.pipeline import AttributeRuler

    ruler = res.nlp.get_pipe("attribute_ruler")
    texts = [
        "There are 300 families who ain't gonna stay in Kelvale, y'all know it.",
        "Let's say the river rose; nothin' was left and they had to go, didn't they?",
        "Officials said   2,400 people were moved to schools.\n\nMore rain is expected.",
        "",
    ]
    with res.nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(res.nlp.pipe(texts))
    for doc in docs:
        assert ruler.match(doc) == AttributeRuler.match(ruler, doc)
    assert any(end - start > 1 for doc in docs for _, _, start, end in ruler.match(doc))


def test_the_layers_multiply_through_numpy_not_blis(res: Resources) -> None:
    """blis runs its generic kernels on processors it has none for; numpy's BLAS is the fast path."""
    for name, component in res.nlp.components:
        model = getattr(component, "model", None)
        if model is None:
            continue
        assert all(getattr(node.ops, "use_blis", False) is False for node in model.walk()), name


def test_the_parse_is_the_same_through_numpy_as_through_blis(res: Resources) -> None:
    """Tags, dependencies, sentences and entities as spaCy's pipeline as shipped (blis) gives them."""
    import spacy

    texts = [
        "Heavy rain in Dorvale forced 3,200 families to leave their homes, the Red Cross said on Tuesday.",
        "Gunmen attacked a convoy near Pellin.\n\nAbout 900 people fled to camps in the north of Varno.",
    ]
    shipped = spacy.load(res.settings.spacy_model)
    with blas_threads(res):
        ours = list(res.nlp.pipe(texts))
    for mine, theirs in zip(ours, shipped.pipe(texts), strict=True):
        assert [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in mine] == [
            (t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in theirs]
        assert [s.text for s in mine.sents] == [s.text for s in theirs.sents]


def test_blas_runs_one_thread_while_parsing_and_as_before_after(res: Resources) -> None:
    from threadpoolctl import threadpool_info

    def threads() -> list[int]:
        return [int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"]

    before = threads()
    with blas_threads(res):
        assert all(n == 1 for n in threads())
    assert threads() == before
