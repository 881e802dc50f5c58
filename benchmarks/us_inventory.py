"""Benchmark: free text -> profile -> US-FED rules, against the agencies' own answers.

    python benchmarks/us_inventory.py [--data ../shared/data/us-ai-use-case-inventory]
                                      [--year 2025 --year 2024] [--worst 20]

Needs scikit-learn (``pip install -e '.[train]'``) to train the out-of-year models.

For each inventory year the script runs intake on the whole file, assesses every profile
against the US-FED rules on a date when that year's memorandum was in force (M-25-21 for
2025, M-24-10 for 2024), and compares Comity's "high-impact" (2024: rights- or
safety-impacting) with the agency's answer. Honest protocol: the learned principal-basis
model is never tested on the year it was trained on (main figures: trained on the other
year); a second protocol trains it within the year with 5-fold agency-grouped
cross-validation (no agency in both training and test folds). Cues and rules are the
same for every run and were not edited to fit rows.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from comity import Profile, assess_profile, default_rulebook
from comity.engine.results import JurisdictionResult
from comity.intake.evidence import IntakeRecord
from comity.intake.mapping import load_mapping
from comity.intake.run import intake_file
from comity.intake.text_model import LinearTextModel
from comity.intake.train import (
    LabelledRow,
    fit,
    grouped_thresholds,
    label_of,
    label_spec,
    labelled_rows,
)

ROOT = Path(__file__).resolve().parent.parent
_DATA = Path("shared") / "data" / "us-ai-use-case-inventory"
# ../shared beside the checkout (also from a git worktree one level deeper)
DEFAULT_DATA = next((base / _DATA for base in (ROOT.parent, ROOT.parent.parent)
                     if (base / _DATA).is_dir()), ROOT.parent / _DATA)
FILES = {"2025": "2025_individually_reported_AI_use_cases.csv",
         "2024": "2024_consolidated_ai_inventory_raw_v2.cp1252.csv"}
DECIDING_RULES = {"2025": ("us-fed.m25_21.sec5.high_impact",),
                  "2024": ("us-fed.m24_10.sec6.rights_impacting",
                           "us-fed.m24_10.sec6.safety_impacting")}


@dataclass
class Outcome:
    """One labelled row: the agency's answer and what Comity concluded."""

    record: IntakeRecord
    label: int
    topic: str
    group: str
    justification: str
    verdict: str  # "yes", "no", "undetermined", "error"
    probability: float | None
    trace: str


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (f"P {self.precision:.2f}  R {self.recall:.2f}  F1 {self.f1:.2f}  "
                f"(TP {self.tp}, FP {self.fp}, FN {self.fn}, TN {self.tn})")


def score(pairs: Sequence[tuple[int, bool]]) -> Scores:
    counts = Counter(pairs)
    return Scores(counts[(1, True)], counts[(0, True)], counts[(1, False)], counts[(0, False)])


def verdict_of(result: JurisdictionResult, year: str) -> str:
    if result.tier in label_spec(year)["high_tiers"]:
        return "yes"
    undetermined = {finding.rule_id for finding in result.undetermined}
    if undetermined & set(DECIDING_RULES[year]):
        return "undetermined"
    return "no"


def trace_summary(record: IntakeRecord, result: JurisdictionResult | None) -> str:
    """What Comity saw and concluded, in one line: applied facts with their evidence."""
    parts = []
    for item in record.inferences:
        if item.method in ("mapping",) or not item.applied or item.field in (
                "deployer.name", "system.outputs"):
            continue
        words = "; ".join(e.text for e in item.evidence)[:160]
        parts.append(f"{item.field}={item.value} ({item.method} {item.confidence:.2f}: {words})")
    if result is not None:
        undetermined = [f"{f.rule_id} needs {', '.join(f.needs) or 'facts'}"
                        for f in result.undetermined if f.kind == "classification"][:2]
        parts.append(f"tier {result.tier}" + (f"; undetermined: {'; '.join(undetermined)}"
                                               if undetermined else ""))
    return " | ".join(parts)


def model_probability(record: IntakeRecord) -> float | None:
    for item in record.inferences:
        if item.method == "model":
            match = re.search(r"P\(principal basis\) = ([0-9.]+)", item.evidence[0].text)
            if match:
                return float(match.group(1))
    return None


def run_year(path: Path, year: str, model: LinearTextModel | None) -> tuple[list[Outcome], float]:
    spec = label_spec(year)
    base = load_mapping(spec["mapping"])
    carried = [spec["column"], spec["topic_column"], spec["group_column"],
               spec["justification_column"] or spec["column"]]
    # The answer columns ride along in ``kept`` (copied to the sidecar), never as inputs.
    mapping = base.model_copy(update={"keep": [*base.keep, *carried]})
    started = time.perf_counter()
    run = intake_file(path, mapping, model=model if model is not None else False)
    elapsed = time.perf_counter() - started
    book = default_rulebook()
    as_of = date.fromisoformat(str(spec["as_of"]))
    outcomes = []
    for record in run.records:
        label = label_of(record.kept.get(spec["column"], ""), spec)
        if label is None:
            continue
        result = None
        if record.profile is None:
            verdict = "error"
        else:
            profile = Profile.model_validate(record.profile)
            result = assess_profile(profile, book, as_of=as_of,
                                    jurisdictions=["US-FED"]).result("US-FED")
            verdict = verdict_of(result, year)
        why = record.kept.get(spec["justification_column"], "") \
            if spec["justification_column"] else ""
        outcomes.append(Outcome(record, label,
                                record.kept.get(spec["topic_column"], "").strip() or "(blank)",
                                record.kept.get(spec["group_column"], ""), why,
                                verdict, model_probability(record),
                                trace_summary(record, result)))
    return outcomes, elapsed


def report(outcomes: list[Outcome], title: str, worst: int, show_worst: bool) -> None:
    print(f"\n### {title}\n")
    counted = [(o.label, o.verdict == "yes") for o in outcomes]
    main = score(counted)
    loose = score([(o.label, o.verdict in ("yes", "undetermined")) for o in outcomes])
    print("```text")
    print(f"rows with the agency's yes/no answer: {len(outcomes)} "
          f"(yes {sum(o.label for o in outcomes)})")
    print(f"high-impact = Comity concludes it:          {main.line()}")
    print(f"high-impact = concluded or undetermined:    {loose.line()}")
    print("```\n")
    verdicts = ("yes", "no", "undetermined", "error")
    print("| agency says \\ Comity says | " + " | ".join(verdicts) + " |")
    print("|---|" + "---|" * len(verdicts))
    for label, name in ((1, "yes"), (0, "no")):
        row = Counter(o.verdict for o in outcomes if o.label == label)
        print(f"| {name} | " + " | ".join(str(row[v]) for v in verdicts) + " |")
    if not show_worst:
        return
    print("\nPer topic area (Comity concludes = yes):\n")
    print("| topic area | rows | agency yes | P | R | F1 |")
    print("|---|---|---|---|---|---|")
    topics: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        topics[outcome.topic].append(outcome)
    for topic, items in sorted(topics.items(), key=lambda kv: -len(kv[1])):
        s = score([(o.label, o.verdict == "yes") for o in items])
        print(f"| {topic} | {len(items)} | {s.tp + s.fn} | {s.precision:.2f} | "
              f"{s.recall:.2f} | {s.f1:.2f} |")
    wrong = [o for o in outcomes if (o.verdict == "yes") != bool(o.label)]
    wrong.sort(key=lambda o: -abs(o.label - (o.probability if o.probability is not None
                                              else 0.5)))
    print(f"\n{min(worst, len(wrong))} worst disagreements (of {len(wrong)}), ranked by how "
          "far the learned model's probability is from the agency's answer:\n")
    for number, o in enumerate(wrong[:worst], start=1):
        name = (o.record.profile or {}).get("name", "?")
        agency = "high-impact" if o.label else "not high-impact"
        why = o.justification.replace("\n", " ")[:300] or "(no justification column)"
        print(f"{number}. **{o.group}, row {o.record.row}: {name}** - agency: {agency}; "
              f"Comity: {o.verdict}.  ")
        print(f"   Agency's justification: {why}  ")
        print(f"   Comity's trace: {o.trace[:600]}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--year", action="append", choices=sorted(FILES))
    parser.add_argument("--worst", type=int, default=20)
    args = parser.parse_args(argv)
    years = args.year or ["2025", "2024"]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"rulebook {default_rulebook().version_id}")
    for year in years:
        other = "2024" if year == "2025" else "2025"
        path = args.data / FILES[year]
        train_rows = labelled_rows(args.data / FILES[other], other)
        cross_model = fit(train_rows, f"inventory {other}", "out-of-year")
        print(f"\n## {year} inventory ({label_spec(year)['memorandum']}), {path.name}")
        print(f"\nOut-of-year model: trained on {len(train_rows)} labelled {other} rows, "
              f"thresholds {cross_model.thresholds} (from agency-grouped CV on {other}).")
        outcomes, seconds = run_year(path, year, cross_model)
        print(f"\nIntake of {len(outcomes)} labelled rows' file with the model: {seconds:.1f} s")
        report(outcomes, f"{year}: cues + rules + model trained on {other} (main protocol)",
               args.worst, show_worst=True)
        overlap_names = {_norm(row.text.split("\n", 1)[0]) for row in train_rows}
        fresh = [o for o in outcomes
                 if _norm(str((o.record.profile or {}).get("name", ""))) not in overlap_names]
        report(fresh, f"{year}: same, only use cases whose name does not occur in {other} "
               f"({len(outcomes) - len(fresh)} re-reported rows left out)", 0, False)
        plain, _ = run_year(path, year, None)
        report(plain, f"{year}: cues + rules only (no learned model)", 0, False)
        report(grouped_cv(path, year), f"{year}: cues + rules + model trained within "
               f"{year}, 5-fold agency-grouped cross-validation", 0, False)
        alone = model_alone(path, year, cross_model)
        print(f"\nFor reference, the {other}-trained model alone (no rules), threshold "
              f"{cross_model.thresholds['principal']}: {alone.line()}")
    return 0


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def grouped_cv(path: Path, year: str) -> list[Outcome]:
    rows = labelled_rows(path, year)
    groups = sorted({row.group for row in rows})
    from sklearn.model_selection import GroupKFold

    outcomes: list[Outcome] = []
    splitter = GroupKFold(n_splits=5)
    for train_index, test_index in splitter.split(rows, groups=[r.group for r in rows]):
        train = [rows[i] for i in train_index]
        test_groups = {rows[i].group for i in test_index}
        model = fit(train, f"{year} folds", "grouped-cv", grouped_thresholds(train))
        fold, _ = run_year(path, year, model)
        outcomes += [o for o in fold if o.group in test_groups]
    assert len({o.group for o in outcomes}) <= len(groups)
    return outcomes


def model_alone(path: Path, year: str, model: LinearTextModel) -> Scores:
    rows: list[LabelledRow] = labelled_rows(path, year)
    return score([(row.label, model.probability(row.text) >= model.thresholds["principal"])
                  for row in rows])


if __name__ == "__main__":
    sys.exit(main())
