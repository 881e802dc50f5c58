"""The learned principal-basis model: stored as data, applied without scikit-learn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comity.intake.text_model import load_text_model, model_from_dict, model_to_dict
from comity.intake.train import LabelledRow, f1_score, fit, labelled_rows

SAMPLE_2025 = Path(__file__).parent / "data" / "intake" / "us-2025-sample.csv"


def test_shipped_model_loads_and_explains_its_score() -> None:
    model = load_text_model()
    assert model.target == "principal-basis" and "2024" in model.trained_on
    assert 0 < model.thresholds["not_principal"] <= model.thresholds["principal"] < 1
    text = "Determines eligibility for disability benefits from medical evidence."
    probability = model.probability(text)
    assert 0 < probability < 1
    up, down = model.explain(text)
    assert all(part.weight > 0 for part in up) and all(part.weight < 0 for part in down)
    assert model.probability("") == pytest.approx(1 / (1 + 2.718281828459045 ** -model.intercept))


def test_model_round_trips_through_json() -> None:
    model = load_text_model()
    again = model_from_dict(json.loads(json.dumps(model_to_dict(model))), "copy")
    text = "Flags suspicious travelers for secondary inspection."
    assert again.probability(text) == pytest.approx(model.probability(text), abs=1e-5)


def test_scores_equal_scikit_learns_own() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = labelled_rows(SAMPLE_2025, "2025")
    assert {row.label for row in rows} == {0, 1}
    fixed = {"principal": 0.5, "not_principal": 0.5}
    model = fit(rows, "sample", "test", thresholds=fixed)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=8000,
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform([row.text for row in rows])
    reference = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    reference.fit(matrix, [row.label for row in rows])
    expected = reference.predict_proba(matrix)[:, 1]
    for row, want in zip(rows, expected, strict=True):
        assert model.probability(row.text) == pytest.approx(want, abs=1e-9)


def test_f1_score() -> None:
    assert f1_score([1, 0, 1, 0], [True, True, False, False]) == pytest.approx(0.5)
    assert f1_score([0, 0], [False, False]) == 0.0
    assert LabelledRow("g", "t", 1).topic == ""
