"""Benchmark: the cooperation readiness matrix, in-process, and the transfer screen.

    python benchmarks/cooperation_matrix.py [--countries US,CN,EU,GB,JP,KR,IN,BR] [--repeat 3]

Rates every pair of the countries on every shipped issue as of a fixed date (each rating
assesses the issue's scenarios in both parties' rulebooks), then screens one technology
transfer to every profiled country. Prints the median over the repeats.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from comity import default_rulebook, load_profiles
from comity.cooperation import rate_matrix, screen_transfer
from comity.cooperation.parties import known_party_codes
from comity.cooperation.settings import issues

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", default="US,CN,EU,GB,JP,KR,IN,BR")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codes = args.countries.split(",")
    book = default_rulebook()
    issue_ids = list(issues())
    rate_matrix(codes[:2], issue_ids[:1], rulebook=book, as_of=AS_OF)  # warm the caches
    matrix_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        ratings = rate_matrix(codes, issue_ids, rulebook=book, as_of=AS_OF)
        matrix_times.append(time.perf_counter() - start)
    [profile] = load_profiles(ROOT / "examples" / "cooperation" / "face-id-system.yaml")
    targets = [c for c in known_party_codes() if c != "US"]
    screen_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for target in targets:
            screen_transfer(profile, "US", target, rulebook=book, as_of=AS_OF)
        screen_times.append(time.perf_counter() - start)
    matrix, screens = statistics.median(matrix_times), statistics.median(screen_times)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"rulebook {book.version_id}")
    print(f"readiness matrix: {len(ratings)} ratings ({len(codes)} parties x "
          f"{len(issue_ids)} issues) in {matrix:.2f} s = {1000 * matrix / len(ratings):.1f} ms "
          "per rating")
    print(f"transfer screens: {len(targets)} recipients in {screens:.2f} s = "
          f"{1000 * screens / len(targets):.1f} ms per screen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
