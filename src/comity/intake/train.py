"""Train the principal-basis model (scikit-learn; ``pip install -e '.[train]'``).

One command retrains the shipped model from the training rows kept in the repository::

    python -m comity.intake.train

and ``--extract INVENTORY.csv --year 2024`` first rebuilds those rows from an inventory
file. The model learns, from the agencies' own answers, how likely a use case's output
is a principal basis for decisions with a significant effect (the M-25-21 § 5 / M-24-10
§ 6 test); its thresholds are chosen by agency-grouped cross-validation on the training
year only. The shipped model is trained on the 2024 inventory, so the 2025 benchmark
never sees its own labels.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from comity.intake.cues import load_cues
from comity.intake.infer import Inferrer
from comity.intake.mapping import load_mapping
from comity.intake.readers import read_rows
from comity.intake.text_model import LinearTextModel, model_to_dict
from comity.yaml12 import load_yaml

REPO = Path(__file__).resolve().parents[3]
TRAINING_ROWS = REPO / "src" / "comity" / "intake" / "training" / "us-inventory-2024.jsonl.gz"
MODEL_OUT = REPO / "src" / "comity" / "intake" / "data" / "principal-basis.json"
TARGET = "principal-basis"
NOT_PRINCIPAL_PRECISION = 0.95  # below the lower threshold, 95 % of training rows are "no"


@dataclass(frozen=True)
class LabelledRow:
    """One inventory row with the agency's answer, and the cells intake reads."""

    group: str
    text: str
    label: int
    year: str = "2024"
    cells: dict[str, str] = field(default_factory=dict)
    topic: str = ""
    justification: str = ""
    row: int = 0


@cache
def label_spec(year: str) -> dict[str, Any]:
    """How the inventory of ``year`` states the agency's own answer (data/us-inventory-labels)."""
    text = resources.files("comity.intake").joinpath("data", "us-inventory-labels.yaml")\
        .read_text("utf-8")
    years: dict[str, dict[str, Any]] = load_yaml(text)["years"]
    return years[year]


def label_of(value: str, spec: dict[str, Any]) -> int | None:
    key = value.strip().casefold()
    if key in {item.casefold() for item in spec["positive"]}:
        return 1
    if key in {item.casefold() for item in spec["negative"]}:
        return 0
    return None


def labelled_rows(path: str | Path, year: str) -> list[LabelledRow]:
    """The rows of an inventory that carry a yes/no answer, with the text intake reads."""
    spec = label_spec(year)
    mapping = load_mapping(spec["mapping"])
    inferrer = Inferrer(mapping, load_cues())
    rows, _ = read_rows(path, encoding=mapping.encoding)
    found = []
    for row in rows:
        label = label_of(row.cells.get(spec["column"], ""), spec)
        if label is None:
            continue
        found.append(LabelledRow(
            group=row.cells.get(spec["group_column"], "").strip(),
            text="\n".join(inferrer.text_of(row).values()),
            label=label,
            year=year,
            cells={name: row.cells[name] for name in mapping.columns() if name in row.cells},
            topic=row.cells.get(spec["topic_column"], "").strip(),
            justification=row.cells.get(spec["justification_column"] or "", "").strip(),
            row=row.number,
        ))
    return found


def fit(rows: Sequence[LabelledRow], trained_on: str, protocol: str,
        thresholds: dict[str, float] | None = None) -> LinearTextModel:
    """Fit TF-IDF + logistic regression; thresholds from grouped CV unless given."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=8000,
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform([row.text for row in rows])
    classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    classifier.fit(matrix, [row.label for row in rows])
    idf = vectorizer.idf_
    coef = classifier.coef_[0]
    terms = {term: (float(idf[index]), float(coef[index]))
             for term, index in vectorizer.vocabulary_.items()}
    chosen = thresholds or grouped_thresholds(rows)
    return LinearTextModel(TARGET, trained_on, protocol, 2, terms,
                           float(classifier.intercept_[0]), chosen)


def grouped_probabilities(rows: Sequence[LabelledRow], folds: int = 5) -> list[float]:
    """Out-of-fold probabilities, no agency in both the training and the test fold."""
    from sklearn.model_selection import GroupKFold

    probabilities = [0.0] * len(rows)
    splitter = GroupKFold(n_splits=folds)
    groups = [row.group for row in rows]
    for train_index, test_index in splitter.split(rows, groups=groups):
        model = fit([rows[i] for i in train_index], "fold", "fold",
                    thresholds={"principal": 0.5, "not_principal": 0.5})
        for i in test_index:
            probabilities[i] = model.probability(rows[i].text)
    return probabilities


def grouped_thresholds(rows: Sequence[LabelledRow]) -> dict[str, float]:
    """Thresholds from out-of-fold probabilities on the training year only.

    "principal": the cut with the best F1 for the agencies' answers; "not_principal": a
    lower cut under which nearly all training rows are "no" (between the two the role is
    left unset). A cut chosen for the best F1 of the whole chain (cues and rules with the
    model) was tried as well and did worse on the other year: see docs/benchmarks.md.
    """
    probabilities = grouped_probabilities(rows)
    labels = [row.label for row in rows]
    best, best_f1 = 0.5, -1.0
    for step in range(5, 96):
        cut = step / 100
        f1 = f1_score(labels, [p >= cut for p in probabilities])
        if f1 > best_f1:
            best, best_f1 = cut, f1
    low = 0.05
    for step in range(5, int(best * 100) + 1):
        cut = step / 100
        below = [label for label, p in zip(labels, probabilities, strict=True) if p <= cut]
        if below and below.count(0) / len(below) >= NOT_PRINCIPAL_PRECISION:
            low = cut
    return {"principal": best, "not_principal": min(low, best)}


def f1_score(labels: Sequence[int], predicted: Sequence[bool]) -> float:
    hits = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    said = sum(1 for p in predicted if p)
    real = sum(1 for y in labels if y)
    if not hits:
        return 0.0
    precision, recall = hits / said, hits / real
    return 2 * precision * recall / (precision + recall)


def save_rows(rows: Sequence[LabelledRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"group": row.group, "label": row.label, "year": row.year,
                                  "text": row.text, "cells": row.cells},
                                 ensure_ascii=False) + "\n")


def load_rows(path: Path) -> list[LabelledRow]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        return [LabelledRow(**json.loads(line)) for line in source if line.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m comity.intake.train",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--extract", metavar="INVENTORY",
                        help="rebuild the training rows from this inventory file first")
    parser.add_argument("--year", default="2024", choices=["2024", "2025"])
    parser.add_argument("--rows", type=Path, default=TRAINING_ROWS)
    parser.add_argument("--out", type=Path, default=MODEL_OUT)
    args = parser.parse_args(argv)
    if args.extract:
        save_rows(labelled_rows(args.extract, args.year), args.rows)
    rows = load_rows(args.rows)
    model = fit(rows, f"US federal AI use-case inventory {args.year} "
                      f"({len(rows)} rows with a yes/no answer)",
                "thresholds chosen by 5-fold agency-grouped cross-validation on the "
                "training year; evaluated on the other year")
    args.out.write_text(json.dumps(model_to_dict(model), ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"{args.out.name}: {len(model.terms)} terms, thresholds {model.thresholds}, "
          f"trained on {len(rows)} rows")


if __name__ == "__main__":
    main()
