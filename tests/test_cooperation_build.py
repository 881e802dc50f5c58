"""The build script of the derived cooperation data, on a tiny synthetic vote table."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_cooperation_data", ROOT / "scripts" / "build_cooperation_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gzip(path: Path, text: str) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)


def test_vote_agreement_counts_same_votes_over_the_window(tmp_path: Path) -> None:
    _gzip(tmp_path / "un_roll_calls.csv.gz",
          "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
          "1.0,1.0,0,1946-01-01,,0,0,,\n"   # outside the last ten sessions
          "2.0,20.0,0,1965-01-01,,0,0,,\n"
          "3.0,20.0,0,1965-02-01,,0,0,,\n"
          "4.0,20.0,0,1965-03-01,,0,0,,\n")
    (tmp_path / "un_roll_call_issues.csv").write_text(
        "rcid,short_name,issue\n3,hr,Human rights\n4,hr,Human rights\n", encoding="utf-8")
    _gzip(tmp_path / "un_votes.csv.gz",
          "rcid,country,country_code,vote\n"
          "1.0,A,US,yes\n1.0,B,CN,yes\n"
          "2.0,A,US,yes\n2.0,B,CN,no\n2.0,C,GB,yes\n"
          "3.0,A,US,abstain\n3.0,B,CN,abstain\n"
          "4.0,A,US,no\n4.0,C,GB,no\n4.0,D,FR,no\n")
    script = _script()
    label, tally = script.read_unga(tmp_path, {"US", "CN", "GB"})
    assert "sessions 11-20" in label
    assert tally[("CN", "US")] == [2, 1, 1, 1]   # rcid 2 differ, rcid 3 (hr) same
    assert tally[("GB", "US")] == [2, 2, 1, 1]
    assert ("FR", "US") not in tally            # FR is not profiled
    text = script.unga_csv(label, tally)
    assert "CN,US,2,0.5000,1,1.0000" in text
