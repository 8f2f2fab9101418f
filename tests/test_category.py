"""The category and relevance stage: invented texts, the shipped artifact, its scores."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from uprooted.category import CategoryModel, load_category_model
from uprooted.errors import ResourceError


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    return load_category_model()


FLOOD = (
    "Heavy monsoon rains caused the river to burst its banks on Tuesday, flooding hundreds of "
    "homes in the district. Thousands of residents were evacuated to schools and relief camps."
)
SHELLING = (
    "Government troops and rebel fighters clashed for a third day near the town, and artillery "
    "shelling forced more than 5,000 villagers to flee their homes, the UN refugee agency said."
)
FOOTBALL = (
    "The home side scored twice in the second half to win the cup final, and the captain lifted "
    "the trophy in front of a sold-out stadium on Saturday night."
)
DEPORTATIONS = (
    "Officials at the border crossing said 3,000 deportees arrived this month. The returnees, "
    "many of whom had lived abroad for decades, were repatriated by bus and now need housing."
)
EVICTIONS = (
    "City authorities demolished forty houses near the railway line to make way for a new "
    "shopping centre, and 200 more families have been served eviction notices."
)


# -- categories -----------------------------------------------------------------------------


def test_flood_paragraph_is_disaster(model: CategoryModel) -> None:
    verdict = model.classify(FLOOD)
    assert verdict.category == "disaster"
    assert verdict.relevant


def test_shelling_paragraph_is_conflict(model: CategoryModel) -> None:
    verdict = model.classify(SHELLING)
    assert verdict.category == "conflict"
    assert verdict.relevant


def test_sports_report_is_other_and_not_relevant(model: CategoryModel) -> None:
    verdict = model.classify(FOOTBALL)
    assert verdict.category == "other"
    assert not verdict.relevant


def test_deportations_without_fighting_are_other_but_relevant(model: CategoryModel) -> None:
    """IDMC counts returns and deportations apart from conflict displacement."""
    verdict = model.classify(DEPORTATIONS)
    assert verdict.category == "other"
    assert verdict.relevant


def test_evictions_are_relevant(model: CategoryModel) -> None:
    """Evictions are displacement though neither conflict nor disaster."""
    verdict = model.classify(EVICTIONS)
    assert verdict.category != "disaster"
    assert verdict.relevant


def test_probabilities_cover_the_three_classes_and_sum_to_one(model: CategoryModel) -> None:
    probs = model.classify(FLOOD).probabilities
    assert set(probs) == {"conflict", "disaster", "other"}
    assert sum(probs.values()) == pytest.approx(1.0)


def test_empty_text_gets_a_verdict_not_an_error(model: CategoryModel) -> None:
    """No features at all: the intercepts decide; an empty document is a valid input (STYLE.md)."""
    assert model.classify("").category in {"conflict", "disaster", "other"}


# -- the cheap prefilter -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("About 1,200 people were displaced by the fighting.", id="displaced"),
        pytest.param("Residents fled to the hills overnight.", id="fled"),
        pytest.param("Two hundred families remain in evacuation centres.", id="evacuation-centres"),
        pytest.param("Forty houses were washed away by the torrent.", id="houses-washed-away"),
        pytest.param("The court ordered the eviction of 50 households.", id="eviction"),
    ],
)
def test_prefilter_flags_displacement_wording(model: CategoryModel, text: str) -> None:
    assert model.reports_displacement(text)


def test_prefilter_ignores_sports_report(model: CategoryModel) -> None:
    assert not model.reports_displacement(FOOTBALL)


def test_prefilter_matches_stems_at_word_start_only(model: CategoryModel) -> None:
    """'misplaced' must not pass for 'displaced': patterns anchor at a word start."""
    assert not model.reports_displacement("The misplaced file was found in the reflection room.")


# -- the shipped artifact ------------------------------------------------------------------


def _scores() -> dict[str, object]:
    text = files("uprooted").joinpath("data", "category_model.scores.json").read_text(encoding="utf-8")
    scores: dict[str, object] = json.loads(text)
    return scores


def test_recorded_scores_belong_to_the_shipped_artifact() -> None:
    """The scores were measured on one artifact; a retrained model shipped without rescoring fails here."""
    import hashlib

    digest = hashlib.sha256(files("uprooted").joinpath("data", "category_model.npz").read_bytes()).hexdigest()
    assert _scores().get("model_sha256") == digest


def test_recorded_scores_come_from_a_model_that_never_saw_the_held_out_split() -> None:
    scores = _scores()
    assert scores["shipped_model_trained_on"] == "the 80% training split only"
    assert scores["split"] == {"kind": "stratified", "test_size": 0.2, "seed": 5, "train": 2597, "test": 650}


@pytest.mark.parametrize("key", ["relevance_precision", "relevance_recall"])
def test_recorded_relevance_scores_meet_targets(key: str) -> None:
    """Relevance precision and recall reach 0.90 on the held-out 20% (other = not relevant)."""
    held_out = _scores()["held_out"]
    assert isinstance(held_out, dict)
    assert held_out[key] >= 0.90


@pytest.mark.xfail(
    strict=True,
    reason="the target is macro F1 >= 0.90; every honest candidate scores 0.82-0.83 on the held-out "
    "split (90% bootstrap interval of the best: 0.80-0.86) and 0.83-0.855 in cross-validation inside "
    "the 80% (scripts/compare_category.py): TF-IDF + LR or NB-SVM, MiniLM embeddings, spaCy textcat. "
    "The crowd labels bound it. Remove this mark when a retrained artifact meets the target.",
)
def test_recorded_macro_f1_meets_target() -> None:
    """Macro F1 reaches 0.90 on a held-out 20% of the labelled paragraphs, split fixed by a seed."""
    held_out = _scores()["held_out"]
    assert isinstance(held_out, dict)
    assert held_out["macro_f1"] >= 0.90


def test_recorded_documents_are_all_categorised_right() -> None:
    """Every whole labelled document recorded with the scores is put in its gold category."""
    documents = _scores()["documents"]
    assert isinstance(documents, list)
    assert [d["doc_id"] for d in documents if d["category"] != d["gold"]] == []


def test_runtime_reproduces_sklearn_on_invented_paragraphs(model: CategoryModel) -> None:
    """The numpy analysers must give scikit-learn's features, or the weights mean something else."""
    pytest.importorskip("sklearn", reason="scikit-learn is a dev dependency; install uprooted[dev]")
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    paragraphs = [
        FLOOD,
        SHELLING,
        FOOTBALL,
        DEPORTATIONS,
        EVICTIONS,
        "A 6.1-magnitude QUAKE   struck at dawn;\n\taftershocks (two) followed. I a é — ok?",
        "x",
        "",
    ]
    matrices = []
    for block in model.blocks:
        terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        vec = TfidfVectorizer(
            analyzer=block.analyzer, ngram_range=block.ngram_range, sublinear_tf=True, vocabulary=terms
        )
        vec.fit(paragraphs)
        vec.idf_ = block.idf
        matrices.append(vec.transform(paragraphs))
    features = hstack(matrices).tocsr()
    clf = LogisticRegression()
    clf.classes_ = np.array(model.classes)
    clf.coef_ = model.coef.T
    clf.intercept_ = model.intercept
    expected = clf.predict_proba(features)

    for row, text in enumerate(paragraphs):
        columns, values = model.features(text)
        dense = np.zeros(model.n_features)
        dense[columns] = values
        np.testing.assert_allclose(dense, features[row].toarray().ravel(), atol=1e-12)
        np.testing.assert_allclose(model.probabilities(text), expected[row], atol=1e-9)


# -- errors ---------------------------------------------------------------------------------


def test_missing_artifact_raises_resource_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.npz"
    with pytest.raises(ResourceError, match=r"cannot read category model .*absent\.npz") as info:
        load_category_model(path)
    assert info.value.doc_id is None


def test_corrupt_artifact_raises_resource_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a numpy archive")
    with pytest.raises(ResourceError, match=r"cannot read category model .*broken\.npz"):
        load_category_model(path)


def test_artifact_of_another_format_raises_resource_error(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    meta = json.dumps({"format": "uprooted.category_model.v0"}).encode()
    np.savez(path, meta=np.frombuffer(meta, dtype=np.uint8))
    with pytest.raises(ResourceError, match=r"has format 'uprooted.category_model.v0', expected"):
        load_category_model(path)
