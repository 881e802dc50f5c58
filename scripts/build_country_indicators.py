"""Derive the indicator values of ``comity/knowledge/data/countries.yaml`` from source files.

The sources are read from paths given on the command line (Comity never reads them at
run time). For every requested ISO 3166-1 alpha-2 code the script prints, as YAML, the
HDI value for 2022 (UNDP HDR 2023/24), the latest V-Dem electoral democracy index in the
OWID export, and the World Bank FY2025 income group::

    python scripts/build_country_indicators.py \\
        --hdr HDR23-24_Composite_indices_complete_time_series.csv \\
        --vdem owid_vdem_electoral-democracy-index.csv \\
        --wb-class worldbank_CLASS_FY2025.xlsx \\
        --countries src/comity/data/countries.yaml JP CN KE

With ``--check src/comity/knowledge/data/countries.yaml`` it compares the values shipped in
the knowledge file with the derived ones and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

HDR_URL = "https://hdr.undp.org/data-center/documentation-and-downloads"
VDEM_URL = "https://ourworldindata.org/grapher/electoral-democracy-index"
WB_URL = ("https://datahelpdesk.worldbank.org/knowledgebase/articles/"
          "906519-world-bank-country-and-lending-groups")
HDI_YEAR = 2022
INCOME_GROUPS = {
    "High income": "high",
    "Upper middle income": "upper_middle",
    "Lower middle income": "lower_middle",
    "Low income": "low",
}


def alpha3_codes(countries_yaml: Path) -> dict[str, str]:
    """Alpha-2 -> alpha-3, from Comity's shipped ISO 3166 list."""
    data = yaml.safe_load(countries_yaml.read_text(encoding="utf-8"))
    return {code: entry["alpha_3"] for code, entry in data["countries"].items()}


def read_hdi(path: Path) -> dict[str, float]:
    """ISO alpha-3 -> HDI value for 2022 (rows with a three-letter iso3 code only)."""
    values: dict[str, float] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, value = row["iso3"], row.get(f"hdi_{HDI_YEAR}", "")
            if len(code) == 3 and code.isalpha() and value:
                values[code] = round(float(value), 3)
    return values


def read_vdem(path: Path) -> dict[str, tuple[int, float]]:
    """ISO alpha-3 -> (latest year, electoral democracy index)."""
    latest: dict[str, tuple[int, float]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, value = row["Code"], row["electdem_vdem_owid"]
            if len(code) != 3 or not value:  # aggregates have no or OWID_ codes
                continue
            year = int(row["Year"])
            if code not in latest or year > latest[code][0]:
                latest[code] = (year, round(float(value), 3))
    return latest


def read_income_groups(path: Path) -> dict[str, str]:
    """ISO alpha-3 -> income group, from the CLASS sheet 'List of economies'.

    Rows without a code are aliases added by the mirror's owner and are skipped.
    """
    from openpyxl import load_workbook  # test-time dependency of trestle; imported lazily

    book = load_workbook(path, read_only=True, data_only=True)
    rows = book["List of economies"].iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    code_at, group_at = header.index("Code"), header.index("Income_group")
    groups: dict[str, str] = {}
    for row in rows:
        code, group = row[code_at], row[group_at]
        if isinstance(code, str) and code.strip() and isinstance(group, str):
            groups[code.strip()] = INCOME_GROUPS[group.strip()]
    return groups


def derive(codes: Sequence[str], alpha3: dict[str, str], hdi: dict[str, float],
           vdem: dict[str, tuple[int, float]], income: dict[str, str]
           ) -> dict[str, dict[str, Any]]:
    """The indicators block of each profile (a missing value is left out)."""
    out: dict[str, dict[str, Any]] = {}
    for code in codes:
        iso3 = alpha3[code]
        block: dict[str, Any] = {}
        if iso3 in hdi:
            block["hdi"] = {"value": hdi[iso3], "year": HDI_YEAR, "source": HDR_URL}
        if iso3 in vdem:
            year, value = vdem[iso3]
            block["vdem_electoral_democracy"] = {"value": value, "year": year,
                                                 "source": VDEM_URL}
        if iso3 in income:
            block["wb_income_group"] = {"value": income[iso3], "fiscal_year": 2025,
                                        "gni_year": 2023, "source": WB_URL}
        out[code] = block
    return out


def check(knowledge_file: Path, derived: dict[str, dict[str, Any]]) -> list[str]:
    """Differences between the shipped indicators and the derived ones."""
    data = yaml.safe_load(knowledge_file.read_text(encoding="utf-8"))
    problems: list[str] = []
    for profile in data["countries"]:
        code = profile["id"]
        shipped = profile.get("indicators") or {}
        if code not in derived:
            problems.append(f"{code}: not derived")
        elif shipped != derived[code]:
            problems.append(f"{code}: shipped {shipped} != derived {derived[code]}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hdr", type=Path, required=True)
    parser.add_argument("--vdem", type=Path, required=True)
    parser.add_argument("--wb-class", type=Path, required=True)
    parser.add_argument("--countries", type=Path,
                        default=Path("src/comity/data/countries.yaml"))
    parser.add_argument("--check", type=Path, help="knowledge countries.yaml to verify")
    parser.add_argument("codes", nargs="*", help="alpha-2 codes (default: those in --check)")
    args = parser.parse_args(argv)
    alpha3 = alpha3_codes(args.countries)
    codes: list[str] = list(args.codes)
    if not codes and args.check:
        data = yaml.safe_load(args.check.read_text(encoding="utf-8"))
        codes = [profile["id"] for profile in data["countries"]]
    derived = derive(codes, alpha3, read_hdi(args.hdr), read_vdem(args.vdem),
                     read_income_groups(args.wb_class))
    if args.check:
        problems = check(args.check, derived)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(codes) - len(problems)} of {len(codes)} profiles match the sources")
        return 1 if problems else 0
    yaml.safe_dump(derived, sys.stdout, sort_keys=False, allow_unicode=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
