"""Benchmark: `comity batch` end to end (read, validate, assess, write) against the engine.

    python benchmarks/throughput.py [--sizes 10000,100000,1000000] [--seed 7]

For each size N it writes a CSV of N generated profiles (seeded; mixed markets, uses,
parties and flags; about 1 row in 200 invalid), runs ``comity batch`` on it in a child
process over every regime, and reports wall time and the child's peak memory. It then
times the per-profile engine (``assess_profile``, no output) on the first profiles of
the same data and prints the throughput ratio. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from comity import assess_profile, default_rulebook, parse_profiles
from comity.batch.columns import column_names, flatten
from comity.profile.vocabulary import vocabulary

AS_OF = date(2026, 11, 22)
DISTINCT = 10_000  # distinct generated profiles; larger inputs repeat them with new ids
MARKETS = ["EU", "US", "CN", "KR", "US-CO", "US-CA", "CA", "GB", "JP", "BR", "DE", "FR",
           "US-NYC", "US-FED", "SG", "IN"]
FLAGS = ["profiling", "narrow_procedural_task", "medical_or_safety_purpose",
         "public_service", "research_only", "intimate_imagery_foreseeable",
         "exclusively_military", "personal_non_professional"]


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    """Random but valid profile documents: a mix of uses, flags, parties and markets."""
    words = vocabulary()
    rng = random.Random(seed)
    uses = list(words.uses)
    documents = []
    for index in range(count):
        documents.append({
            "profile": 1, "id": f"p{index}", "name": f"Generated system {index}",
            "provider": {"country": rng.choice(["US", "DE", "CN", "FR", "KR", "GB"])},
            "deployer": {"country": rng.choice(["DE", "US", "IT", "CA", "JP"]),
                         "kind": rng.choice(list(words.deployer_kinds))},
            "markets": rng.sample(MARKETS, k=rng.randint(1, 4)),
            "system": {"machine_based": True, "infers_outputs": rng.random() < 0.95,
                       "autonomy": rng.choice(["partial", "full"]),
                       "outputs": rng.sample(list(words.outputs), k=rng.randint(0, 2)),
                       "interacts_with_people": rng.random() < 0.3,
                       "synthetic_media": rng.random() < 0.2,
                       "deepfake": rng.random() < 0.1},
            "gpai": {"is_gpai_model": rng.random() < 0.05,
                     "training_compute_flop": rng.choice([1e23, 2e25, 3e26])},
            "uses": rng.sample(uses, k=rng.randint(0, 3)),
            "affected": rng.sample(list(words.affected), k=rng.randint(0, 2)),
            "data": rng.sample(list(words.data), k=rng.randint(0, 2)),
            "decision_role": rng.choice([*words.decision_roles, None]),
            "flags": {flag: rng.random() < 0.15 for flag in FLAGS},
        })
    return documents


def write_portfolio(path: Path, count: int, seed: int) -> None:
    """A CSV of ``count`` rows: the distinct profiles repeated, ids made unique."""
    rows = [flatten(document) for document in generate(min(count, DISTINCT), seed)]
    rng = random.Random(seed + 1)
    for row in rng.sample(rows, k=max(len(rows) // 200, 1)):
        row["uses"] = "employment.recruitmnt"  # a typo: the row goes to the errors file
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.DictWriter(stream, fieldnames=list(column_names())).writeheader()
    base = pl.DataFrame(rows, schema=dict.fromkeys(column_names(), pl.String()), orient="row")
    repeats = -(-count // len(rows))
    table = pl.concat([base] * repeats).head(count).with_columns(
        (pl.lit("p") + pl.int_range(pl.len()).cast(pl.String)).alias("id"))
    with path.open("ab") as stream:
        table.write_csv(stream, include_header=False)


def batch_run(source: Path, out: Path) -> tuple[float, float, str]:
    """Wall time and peak memory (MiB) of `comity batch` in a child process, and its summary."""
    start = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "comity", "batch", str(source), "--out", str(out),
         "--as-of", AS_OF.isoformat(), "--restart"],
        check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, finished.stderr.strip().splitlines()[-1]


def engine_rate(count: int, seed: int) -> float:
    """Profiles per second of the per-profile engine over every regime (assessment only)."""
    rulebook = default_rulebook()
    profiles = parse_profiles(generate(count, seed))
    start = time.perf_counter()
    for profile in profiles:
        assess_profile(profile, rulebook, as_of=AS_OF)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--engine-profiles", type=int, default=2000,
                        help="profiles timed with the per-profile engine")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rulebook = default_rulebook()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"rulebook {rulebook.version_id}, {len(rulebook.jurisdictions)} regimes, "
          f"{len(rulebook.rules())} rules")
    rate = engine_rate(args.engine_profiles, args.seed)
    print(f"per-profile engine: {args.engine_profiles} profiles, {rate:,.0f} profiles/s "
          f"({1000 / rate:.2f} ms per profile, assessment only)")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(text) for text in args.sizes.split(",")):
            source = Path(folder) / f"portfolio-{size}.csv"
            write_portfolio(source, size, args.seed)
            seconds, peak, summary = batch_run(source, Path(folder) / f"results-{size}.parquet")
            print(f"comity batch N={size:,}: {seconds:.1f} s end to end, "
                  f"{size / seconds:,.0f} profiles/s, {size * 1000 / seconds / rate / 1000:.1f}x "
                  f"the engine, peak memory {peak:,.0f} MiB (largest run so far)\n  {summary}")
            source.unlink()


if __name__ == "__main__":
    main()
