"""A learned linear text model (TF-IDF + logistic regression), run without scikit-learn.

The model is trained with scikit-learn by ``python -m comity.intake.train`` and stored as
plain JSON data (terms, IDF weights, coefficients): applying it needs only the standard
library, and the file can be read and diffed. ``tests/test_intake_model.py`` checks that
the scores equal scikit-learn's own ``predict_proba``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from comity.errors import InputError, Problem, read_input_text

MODEL_FORMAT = "comity.intake.linear-text-model.v1"
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
SHIPPED_MODEL = "principal-basis.json"


@dataclass(frozen=True)
class TermWeight:
    term: str
    weight: float


@dataclass(frozen=True)
class LinearTextModel:
    """P(label | text) from word and word-pair TF-IDF features and a logistic regression."""

    target: str
    trained_on: str
    protocol: str
    ngram_max: int
    terms: dict[str, tuple[float, float]]  # term -> (idf, coefficient)
    intercept: float
    thresholds: dict[str, float]

    def features(self, text: str) -> dict[str, float]:
        """L2-normalised sublinear TF-IDF weights of the known terms in ``text``."""
        tokens = TOKEN.findall(text.lower())
        grams: Counter[str] = Counter()
        for size in range(1, self.ngram_max + 1):
            grams.update(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
        weights = {term: (1.0 + math.log(count)) * self.terms[term][0]
                   for term, count in grams.items() if term in self.terms}
        norm = math.sqrt(sum(value * value for value in weights.values()))
        return {term: value / norm for term, value in weights.items()} if norm else {}

    def probability(self, text: str) -> float:
        score = self.intercept + sum(value * self.terms[term][1]
                                     for term, value in self.features(text).items())
        return 1.0 / (1.0 + math.exp(-score))

    def explain(self, text: str, count: int = 5) -> tuple[list[TermWeight], list[TermWeight]]:
        """The terms that pushed the score up most, and those that pushed it down most."""
        parts = [TermWeight(term, value * self.terms[term][1])
                 for term, value in self.features(text).items()]
        parts.sort(key=lambda part: part.weight)
        up = [part for part in reversed(parts) if part.weight > 0][:count]
        down = [part for part in parts if part.weight < 0][:count]
        return up, down


def model_from_dict(data: dict[str, Any], source: str) -> LinearTextModel:
    if data.get("format") != MODEL_FORMAT:
        raise InputError(source, [Problem("format", "not a Comity linear text model",
                                          (MODEL_FORMAT,))])
    try:
        return LinearTextModel(
            target=str(data["target"]),
            trained_on=str(data["trained_on"]),
            protocol=str(data["protocol"]),
            ngram_max=int(data["ngram_max"]),
            terms={str(term): (float(idf), float(coef)) for term, idf, coef in data["terms"]},
            intercept=float(data["intercept"]),
            thresholds={str(k): float(v) for k, v in data["thresholds"].items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(source, [Problem("", f"malformed model: {error}")]) from None


def model_to_dict(model: LinearTextModel) -> dict[str, Any]:
    return {
        "format": MODEL_FORMAT,
        "target": model.target,
        "trained_on": model.trained_on,
        "protocol": model.protocol,
        "ngram_max": model.ngram_max,
        "intercept": round(model.intercept, 6),
        "thresholds": model.thresholds,
        "terms": [[term, round(idf, 6), round(coef, 6)]
                  for term, (idf, coef) in sorted(model.terms.items())],
    }


def load_text_model(path: str | Path | None = None) -> LinearTextModel:
    """A model file by path, or the shipped principal-basis model."""
    if path is None:
        return _shipped_model()
    return model_from_dict(json.loads(read_input_text(path)), str(path))


@cache
def _shipped_model() -> LinearTextModel:
    text = resources.files("comity.intake").joinpath("data", SHIPPED_MODEL).read_text("utf-8")
    return model_from_dict(json.loads(text), f"comity.intake/data/{SHIPPED_MODEL}")
