"""Derive the compact indicator files of ``comity/cooperation/data/`` from source files.

Comity never reads the raw sources at run time. This script reads them from paths given
on the command line and writes two small files for the profiled countries (the ids in
``comity/knowledge/data/countries.yaml``):

* ``unga_agreement.csv``: for every pair of profiled countries, the number of UN General
  Assembly roll calls in the window on which both cast a vote (yes, abstain or no) and the
  share on which they cast the same vote; the same for the roll calls coded "Human
  rights" (Voeten, Strezhnev and Bailey, CC0; see ``SOURCE-unga.md``).
* ``country_trends.yaml``: the V-Dem electoral democracy index at the start and the end of
  the trend window and its change (OWID export of V-Dem), and whether the World Bank CLASS
  file lists the country among the least developed countries (UN classification).

    python scripts/build_cooperation_data.py \\
        --unga shared/data/unga-votes --vdem owid_vdem_electoral-democracy-index.csv \\
        --wb-class worldbank_CLASS_FY2025.xlsx --out src/comity/cooperation/data

With ``--check`` it writes nothing and exits 1 if the shipped files differ from what the
sources give.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "src" / "comity" / "knowledge" / "data" / "countries.yaml"
ISO_LIST = ROOT / "src" / "comity" / "data" / "countries.yaml"
#: Ten sessions: the last decade in the data (sessions 65-74, September 2010 to January
#: 2020). The SOURCE note asks that recent sessions weigh most; a decade is long enough to
#: hold a few hundred roll calls per pair and short enough to reflect present-day policy.
SESSIONS = 10
HUMAN_RIGHTS = "Human rights"
VDEM_FIRST, VDEM_LAST = 2012, 2022
LDC_GROUP = "Least developed countries: UN classification"


def profiled_countries() -> list[str]:
    data = yaml.safe_load(KNOWLEDGE.read_text(encoding="utf-8"))
    return sorted(entry["id"] for entry in data["countries"])


def read_unga(folder: Path, countries: set[str]) -> tuple[str, dict[tuple[str, str], list[int]]]:
    """(window label, pair -> [votes, same, hr votes, hr same])."""
    with gzip.open(folder / "un_roll_calls.csv.gz", "rt", encoding="utf-8") as handle:
        calls = {int(float(row["rcid"])): (int(float(row["session"])), row["date"])
                 for row in csv.DictReader(handle)}
    last = max(session for session, _ in calls.values())
    first = last - SESSIONS + 1
    window = {rcid for rcid, (session, _) in calls.items() if session >= first}
    dates = sorted(calls[rcid][1] for rcid in window)
    with (folder / "un_roll_call_issues.csv").open(encoding="utf-8") as handle:
        human_rights = {int(float(row["rcid"])) for row in csv.DictReader(handle)
                        if row["issue"] == HUMAN_RIGHTS}
    votes: dict[int, dict[str, str]] = defaultdict(dict)
    with gzip.open(folder / "un_votes.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rcid = int(float(row["rcid"]))
            if rcid in window and row["country_code"] in countries:
                votes[rcid][row["country_code"]] = row["vote"]
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rcid, cast in votes.items():
        is_hr = rcid in human_rights
        for a, b in combinations(sorted(cast), 2):
            counts = tally[(a, b)]
            same = int(cast[a] == cast[b])
            counts[0] += 1
            counts[1] += same
            if is_hr:
                counts[2] += 1
                counts[3] += same
    label = f"sessions {first}-{last} ({dates[0]} to {dates[-1]})"
    return label, tally


def unga_csv(label: str, tally: dict[tuple[str, str], list[int]]) -> str:
    out = io.StringIO(newline="")
    out.write(f"# UN General Assembly vote agreement, {label}; derived by "
              "scripts/build_cooperation_data.py (CC0 source, see SOURCE-unga.md)\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["a", "b", "votes", "agreement", "hr_votes", "hr_agreement"])
    for (a, b), (n, same, hr_n, hr_same) in sorted(tally.items()):
        writer.writerow([a, b, n, f"{same / n:.4f}" if n else "",
                         hr_n, f"{hr_same / hr_n:.4f}" if hr_n else ""])
    return out.getvalue()


def read_vdem(path: Path, alpha3: dict[str, str]) -> dict[str, dict[int, float]]:
    wanted = {code3: code2 for code2, code3 in alpha3.items()}
    series: dict[str, dict[int, float]] = defaultdict(dict)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            year = int(row["Year"])
            if row["Code"] in wanted and year in (VDEM_FIRST, VDEM_LAST):
                series[wanted[row["Code"]]][year] = float(row["electdem_vdem_owid"])
    return series


def read_ldcs(path: Path) -> set[str]:
    """Alpha-3 codes in the CLASS file's UN least-developed-countries group."""
    from openpyxl import load_workbook  # test-time dependency (compliance-trestle)

    sheet = load_workbook(path, read_only=True)["compositions"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    group, country = header.index("WB_Group_Name"), header.index("WB_Country_Code")
    return {str(row[country]) for row in rows if row[group] == LDC_GROUP}


def trends_yaml(codes: list[str], alpha3: dict[str, str],
                vdem: dict[str, dict[int, float]], ldcs: set[str]) -> str:
    entries = []
    for code in codes:
        entry: dict[str, object] = {"id": code, "ldc": alpha3[code] in ldcs}
        values = vdem.get(code, {})
        if VDEM_FIRST in values and VDEM_LAST in values:
            entry["vdem_trend"] = {"from_year": VDEM_FIRST, "from": round(values[VDEM_FIRST], 3),
                                   "to_year": VDEM_LAST, "to": round(values[VDEM_LAST], 3),
                                   "change": round(values[VDEM_LAST] - values[VDEM_FIRST], 3)}
        entries.append(entry)
    head = ("# Derived by scripts/build_cooperation_data.py: V-Dem electoral democracy index\n"
            f"# trend {VDEM_FIRST}-{VDEM_LAST} (V-Dem via OWID; values CC BY-SA 4.0, see\n"
            "# SOURCE-indicators.md) and UN LDC status from the World Bank CLASS file FY2025\n"
            "# (CC BY 4.0). A country without a trend has no V-Dem series in the source.\n")
    return head + yaml.safe_dump({"countries": entries}, sort_keys=False, allow_unicode=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unga", type=Path, required=True, help="folder of the UNGA vote files")
    parser.add_argument("--vdem", type=Path, required=True)
    parser.add_argument("--wb-class", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "src/comity/cooperation/data")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    codes = profiled_countries()
    iso = yaml.safe_load(ISO_LIST.read_text(encoding="utf-8"))["countries"]
    alpha3 = {code: iso[code]["alpha_3"] for code in codes}
    label, tally = read_unga(args.unga, set(codes))
    outputs = {
        "unga_agreement.csv": unga_csv(label, tally),
        "country_trends.yaml": trends_yaml(codes, alpha3, read_vdem(args.vdem, alpha3),
                                           read_ldcs(args.wb_class)),
    }
    differ = []
    for name, text in outputs.items():
        target = args.out / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if differ:
        print("differs from the sources: " + ", ".join(differ), file=sys.stderr)
        return 1
    if args.check:
        print("the shipped files match the sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
