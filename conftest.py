"""Collect the rule cases kept as data beside the rules (``*.cases.yaml``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comity.rulebook.cases import RuleCase, load_cases, run_case
from comity.rulebook.loader import default_rulebook

_MUTMUT_PHASES = {"", "fail", "stats", "list_all_tests", "mutant_generation"}


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under mutmut, empty Comity's caches so that loading code runs with the mutant on.

    mutmut runs each mutant in a process forked from one that has already loaded the
    rulebook (docs/testing.md); a mutant of the loader or the condition parser would
    otherwise never run. The rulebook is reloaded only for mutants of the rulebook
    package: the engine's own caches are cheap to refill.
    """
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant in _MUTMUT_PHASES:
        return
    keep_loaded = not mutant.startswith("comity.rulebook.")
    for name, module in list(sys.modules.items()):
        if not name.startswith("comity") or (
                keep_loaded and name.startswith(("comity.rulebook", "comity.profile"))):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.File | None:
    if file_path.name.endswith(".cases.yaml"):
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFile(pytest.File):
    def collect(self) -> Iterator[RuleCaseItem]:
        for case in load_cases(self.path):
            yield RuleCaseItem.from_parent(self, name=case.spec.name, case=case)


class RuleCaseItem(pytest.Item):
    def __init__(self, *, case: RuleCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        failures = run_case(self.case, default_rulebook())
        if failures:
            raise RuleCaseFailure(failures)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RuleCaseFailure):
            return f"{self.case.source}: case {self.case.spec.name!r}\n  " + "\n  ".join(
                excinfo.value.failures
            )
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"rule case: {self.case.spec.rule}: {self.name}"


class RuleCaseFailure(Exception):
    def __init__(self, failures: list[str]) -> None:
        super().__init__("\n".join(failures))
        self.failures = failures
