"""Benchmark: assessments per second in-process (EU; every regime), and CLI wall time.

    python benchmarks/assess_throughput.py [--profiles 10000] [--seed 7]

Profiles are generated from the vocabulary with a fixed seed, so runs are comparable.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from comity import assess_profile, default_rulebook, parse_profiles
from comity.profile.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 22)


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    """Random but valid profiles: a mix of uses, flags, parties and markets."""
    words = vocabulary()
    rng = random.Random(seed)
    uses = list(words.uses)
    flags = ["profiling", "narrow_procedural_task", "medical_or_safety_purpose",
             "public_service", "research_only", "intimate_imagery_foreseeable"]
    profiles = []
    for index in range(count):
        profiles.append({
            "profile": 1,
            "id": f"p{index}",
            "name": f"Generated {index}",
            "provider": {"country": rng.choice(["US", "DE", "CN", "FR"])},
            "deployer": {"country": rng.choice(["DE", "US", "IT"]),
                         "kind": rng.choice(list(words.deployer_kinds))},
            "markets": rng.sample(["EU", "US", "CN", "KR", "US-CO"], k=rng.randint(1, 3)),
            "system": {"machine_based": True, "infers_outputs": True,
                       "autonomy": rng.choice(["partial", "full"]),
                       "interacts_with_people": rng.random() < 0.3,
                       "synthetic_media": rng.random() < 0.2,
                       "deepfake": rng.random() < 0.1},
            "gpai": {"is_gpai_model": rng.random() < 0.05,
                     "training_compute_flop": rng.choice([1e23, 2e25])},
            "uses": rng.sample(uses, k=rng.randint(0, 3)),
            "decision_role": rng.choice(list(words.decision_roles)),
            "flags": {flag: rng.random() < 0.15 for flag in flags},
        })
    return profiles


def in_process(count: int, seed: int, jurisdictions: list[str] | None) -> dict[str, float]:
    """Time assessing ``count`` generated profiles (``None``: every jurisdiction)."""
    rulebook = default_rulebook()
    codes = jurisdictions or list(rulebook.jurisdictions)
    profiles = parse_profiles({"profiles": generate(count, seed)})
    start = time.perf_counter()
    for profile in profiles:
        assess_profile(profile, rulebook, as_of=AS_OF, jurisdictions=codes)
    elapsed = time.perf_counter() - start
    return {"profiles": count, "seconds": elapsed, "per_second": count / elapsed,
            "ms_per_profile": elapsed / count * 1000}


def cli_wall_time(runs: int = 5) -> float:
    example = ROOT / "examples" / "cv-screener.yaml"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "comity", "assess", str(example), "-j", "EU",
                        "--format", "json"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rulebook = default_rulebook()
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, rulebook {rulebook.version_id}")
    for label, codes in [("EU", ["EU"]),
                         (f"all {len(rulebook.jurisdictions)} regimes", None)]:
        figures = in_process(args.profiles, args.seed, codes)
        print(f"in-process {label} assessment: {figures['profiles']} profiles in "
              f"{figures['seconds']:.2f} s = {figures['per_second']:.0f} profiles/s, "
              f"{figures['ms_per_profile']:.3f} ms per profile")
    print(f"CLI wall time, one profile (median of 5): {cli_wall_time():.2f} s")


if __name__ == "__main__":
    main()
