"""The malformed-profile campaign of issue 9: thousands of hostile files through the CLI.

Each case is a valid example profile mutated one way (tests/hostile_profiles.py: wrong
types, unknown keys, hostile strings, YAML-only tags, huge and non-finite numbers,
invalid dates, duplicate keys, non-UTF-8 bytes, deep nesting, alias bombs, broken AIA
answers, truncation, changed bytes, bad portfolios). It is run as a user would run it,
``comity assess FILE --format json`` (and, when accepted, ``--format markdown`` and
``explain``), in this process with a time and memory bound, and classified:

- rejected: exit code 2 and an ``error:`` line (what bad input must get);
- accepted: exit code 0 and valid JSON (no NaN or Infinity) on standard output;
- crash: anything else (a traceback, exit code 1, a timeout, memory exhausted);
- wrong acceptance: accepted although the case must be refused.

Run: ``python scripts/fuzz_campaign.py`` (3,032 cases, seed 9; about 5 minutes).
Exit code 1 if any case crashed or was wrongly accepted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from comity.cli.app import main as comity  # noqa: E402
from tests.hostile_profiles import MUTATIONS, Case, seeds  # noqa: E402

SECONDS_PER_CASE = 30
MEMORY_BYTES = 3 * 1024**3


class _Timeout(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise _Timeout


def _strict_json(text: str) -> None:
    def refuse(name: str) -> Any:
        raise ValueError(f"{name} in JSON output")

    json.loads(text, parse_constant=refuse)


def run_case(case: Case, folder: Path, number: int, seconds: int = SECONDS_PER_CASE
             ) -> tuple[str, str]:
    """(outcome, detail) of one case: rejected, accepted or crash."""
    path = folder / f"case-{number}{case.suffix}"
    path.write_bytes(case.content)
    runner = CliRunner()
    signal.alarm(seconds)
    try:
        result = runner.invoke(comity, ["assess", str(path), "--format", "json",
                                        "--as-of", "2026-11-22"])
        if result.exit_code == 2 and "error:" in result.output:
            return "rejected", ""
        if result.exit_code != 0 or result.exception is not None:
            return "crash", f"assess: exit {result.exit_code}: {result.exception!r}"
        _strict_json(result.stdout)
        for args in (["assess", str(path), "--format", "markdown"], ["explain", str(path)]):
            follow = runner.invoke(comity, [*args, "--as-of", "2026-11-22"])
            if follow.exit_code != 0:
                return "crash", f"{args[0]}: exit {follow.exit_code}: {follow.exception!r}"
        return "accepted", ""
    except _Timeout:
        return "crash", f"timeout after {seconds} s"
    except (ValueError, MemoryError) as error:
        return "crash", repr(error)[:200]
    finally:
        signal.alarm(0)
        path.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3032)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--skip", action="append", default=[], metavar="MUTATION",
                        help="leave out one kind of mutation (repeatable), e.g. alias_bomb "
                             "when measuring a version that would exhaust memory")
    parser.add_argument("--verbose", action="store_true", help="print every case's outcome")
    parser.add_argument("--timeout", type=int, default=SECONDS_PER_CASE,
                        help="seconds one case may take before it counts as a crash")
    options = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _alarm)
    profiles = seeds()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    failures: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        for number in range(options.cases):
            rnd = random.Random(options.seed * 1_000_003 + number)
            mutation = MUTATIONS[number % len(MUTATIONS)]
            if mutation.__name__ in options.skip:
                continue
            case = mutation(profiles[(number // len(MUTATIONS)) % len(profiles)], rnd)
            outcome, detail = run_case(case, Path(folder), number, options.timeout)
            if options.verbose:
                print(f"#{number} {mutation.__name__}: {outcome} {detail}", flush=True)
            row = table[mutation.__name__]
            row["cases"] += 1
            row[outcome] += 1
            if outcome == "accepted" and case.must_reject:
                row["wrong acceptance"] += 1
                failures.append(f"#{number} {case.name}: accepted, must be refused")
            if outcome == "crash":
                failures.append(f"#{number} {case.name}: {detail}")
    columns = ["cases", "rejected", "accepted", "crash", "wrong acceptance"]
    print(f"{'mutation':16}" + "".join(f"{c:>18}" for c in columns))
    total: Counter[str] = Counter()
    for name, row in table.items():
        total.update(row)
        print(f"{name:16}" + "".join(f"{row[c]:>18}" for c in columns))
    print(f"{'total':16}" + "".join(f"{total[c]:>18}" for c in columns))
    print(f"{total['cases']} cases, seed {options.seed}, {time.monotonic() - started:.0f} s")
    for failure in failures[:40]:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
