"""Golden outputs for the cases where a report could lead an analyst to a wrong conclusion.

Each test runs a real ``comity`` command and compares its output with a file in
``tests/golden/`` (the rulebook digest normalised), and also asserts the point of the
case directly, so that regenerating a golden file cannot hide a regression. After an
intended change, regenerate with ``COMITY_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py``
and read the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from comity.cli.app import main
from comity.render.rule_page import print_rules_table
from comity.rulebook.loader import default_rulebook

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
PROFILES = Path(__file__).parent / "data" / "profiles"
AS_OF = "2026-11-22"
ENVIRONMENT = {"NO_COLOR": "1", "COLUMNS": "120"}
RULEBOOK = re.compile(r"\d{4}\.\d{2}\.\d{2}\+[0-9a-f]{12}")


def run(*args: str, code: int = 0) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args), env=ENVIRONMENT, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return RULEBOOK.sub("<rulebook>", result.stdout), result.stderr


def matches_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("COMITY_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with COMITY_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


# 1. An open exception is shown as an exception ("applies unless"), never as a condition.

def test_exception_open_points_markdown() -> None:
    out, _ = run("assess", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF,
                 "--format", "markdown")
    matches_golden("er-triage.us-co.md", out)
    row = next(line for line in out.splitlines() if "§ 6-1-1703(2)(a) |" in line)
    assert "applies unless Small deployers (Colo. AI Act, § 6-1-1703(6)) — open:" in row


def test_exception_open_points_table() -> None:
    out, _ = run("assess", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF)
    matches_golden("er-triage.us-co.txt", out)
    assert "applies unless Small deployers" in out


def test_exception_open_points_json() -> None:
    out, _ = run("assess", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF,
                 "--format", "json")
    [colorado] = json.loads(out)["results"]
    opened = {f["id"]: f["open_points"] for f in colorado["undetermined"]}
    matches_golden("er-triage.us-co.open-points.json",
                   json.dumps(opened, indent=2, ensure_ascii=False) + "\n")
    for rule in ("us-co.caia.6-1-1703.2", "us-co.caia.6-1-1703.3", "us-co.caia.6-1-1703.5"):
        [point] = opened[rule]
        assert point["part"] == "exception"
        assert point["exception"] == "us-co.caia.6-1-1703.6"
    assert "trace" not in colorado, "the trace is opt-in (--trace)"


# 2. Omitted definition facts: scope undetermined (with the question), and a warning.

def test_omitted_definition_facts_leave_scope_open() -> None:
    out, _ = run("assess", str(PROFILES / "no-definition.yaml"), "-j", "EU", "--as-of", AS_OF,
                 "--format", "markdown")
    matches_golden("no-definition.eu.md", out)
    assert "scope undetermined" in out
    assert "profile field system.machine\\_based" in out  # Markdown-escaped
    _, warnings = run("validate", str(PROFILES / "no-definition.yaml"))
    assert "system.machine_based is not given" in warnings
    assert "system.infers_outputs is not given" in warnings


def test_out_of_scope_names_the_rule_that_failed() -> None:
    out, _ = run("assess", str(ROOT / "examples" / "cv-screener.yaml"), "-j", "KR",
                 "--as-of", AS_OF, "--format", "markdown")
    matches_golden("cv-screener.kr.md", out)
    line = next(line for line in out.splitlines() if line.startswith("Out of scope"))
    assert "not met" in line and "Art. 4(1)" in line


# 3. A market code covers the jurisdictions inside it; codes in any letter case.

def test_market_us_reaches_states_and_federal_level() -> None:
    out, _ = run("assess", str(ROOT / "examples" / "frontier-model.yaml"),
                 "-j", "us-ca,us-co,us-fed,us-tx,eu", "--as-of", AS_OF, "--format", "markdown")
    matches_golden("frontier-model.us.md", out)
    assert "applies if used in California (market US covers it)" in out
    assert "applies if used by a US federal agency (market US covers it)" in out
    assert "Out of scope" not in out.split("## ")[0] or "US-CA —" not in out.split("## ")[0]


def test_member_state_market_reaches_the_union() -> None:
    out, _ = run("assess", str(PROFILES / "er-triage.yaml"), "-j", "eu", "--as-of", AS_OF,
                 "--format", "json")
    [union] = json.loads(out)["results"]
    assert union["in_scope"] is True
    assert union["market_note"] == "market DE lies in European Union"


# 4. A tier with open points says so; comparison cells show open duties.

def test_open_points_in_tier_and_comparison() -> None:
    out, _ = run("compare", str(PROFILES / "er-triage.yaml"), "-j", "US-CO,US-CA",
                 "--as-of", AS_OF, "--format", "markdown")
    matches_golden("er-triage.compare.md", out)
    assert "not regulated — 5 open points" in out
    matrix_row = next(line for line in out.splitlines() if line.startswith("| impact_assessment"))
    assert "§ 7150(b)(3)" in matrix_row and "open: may not apply" in matrix_row
    assert "applies unless Small deployers" in matrix_row


# 5. Provisions addressed to states stay out for a private firm; a defence is a defence.

def test_state_addressed_expectations_not_shown_to_a_private_bank() -> None:
    out, _ = run("assess", str(PROFILES / "bank-chatbot.yaml"), "-j", "CN,INT-OECD",
                 "--as-of", AS_OF, "--format", "json")
    results = {r["jurisdiction"]: r for r in json.loads(out)["results"]}
    shown = {f["id"] for r in results.values()
             for key in ("obligations", "expectations", "undetermined", "addressed_to_states")
             for f in r[key]}
    assert "cn.csl.art20" not in shown
    assert not any(f["addressees"] == ["state_party"] for r in results.values()
                   for f in r["expectations"])


def test_defence_is_not_a_duty() -> None:
    out, _ = run("compare", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF,
                 "--format", "json")
    data = json.loads(out)
    cells = [p["id"] for row in data["duty_matrix"].values() for ps in row.values() for p in ps]
    assert "us-co.caia.6-1-1706.3" not in cells
    md, _ = run("assess", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF,
                "--format", "markdown")
    defences = md.split("### Defences", 1)[1].split("###", 1)[0]
    assert "§ 6-1-1706(3)" in defences


@pytest.mark.parametrize("option", [["-j", "XX"], ["-j", "eu,nowhere"]])
def test_unknown_jurisdiction_is_an_error(option: list[str]) -> None:
    _, error = run("assess", str(PROFILES / "er-triage.yaml"), *option, code=2)
    assert "known: BR" in error


# HTML reports: the same open points, summary first, escaped, readable in Chromium.

def test_assess_html_report(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    run("assess", str(PROFILES / "er-triage.yaml"), "-j", "US-CO", "--as-of", AS_OF,
        "--format", "html", "-o", str(target))
    text = RULEBOOK.sub("<rulebook>", target.read_text(encoding="utf-8"))
    matches_golden("er-triage.us-co.html", text)
    order = [text.index(mark) for mark in ("<h2>Summary</h2>", "Comply once", "<h3>Duties</h3>")]
    assert order == sorted(order), "summary first, then the plan, then the details"
    assert "Applies unless</span> Small deployers (Colo. AI Act, § 6-1-1703(6))" in text
    assert "Defences (not duties: what earns one)" in text


def test_compare_html_shows_open_cells() -> None:
    out, _ = run("compare", str(PROFILES / "er-triage.yaml"), "-j", "US-CO,US-CA",
                 "--as-of", AS_OF, "--format", "html")
    assert "not regulated — 5 open points" in out
    assert '<span class="badge">open: may not apply</span>' in out
    assert "<h2>Summary</h2>" in out and "Open points and their questions" in out


def test_html_escapes_profile_text(tmp_path: Path) -> None:
    profile = tmp_path / "evil.yaml"
    profile.write_text((PROFILES / "er-triage.yaml").read_text(encoding="utf-8").replace(
        "name: Emergency triage model", "name: '<script>alert(1)</script>'"), encoding="utf-8")
    out, _ = run("assess", str(profile), "-j", "US-CO", "--as-of", AS_OF, "--format", "html")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed")
def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    run("assess", str(PROFILES / "er-triage.yaml"), "--as-of", AS_OF, "--format", "html",
        "-o", str(target))
    for width in (390, 794):
        shot = tmp_path / f"shot-{width}.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--window-size={width},1200",
                        f"--screenshot={shot}", target.as_uri()],
                       check=True, capture_output=True, timeout=120)
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == width
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", target.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    assert "Applies unless" in dom and "Out of scope" in dom


# Rules: ids never wrap; a rule shows as a readable page, or its raw record as JSON.

def test_rules_list_never_wraps_ids() -> None:
    rules = default_rulebook().jurisdictions["EU"].rules
    buffer = io.StringIO()
    print_rules_table(rules, "EU", Console(file=buffer, width=50, no_color=True))
    split = [rule.id for rule in rules if rule.id not in buffer.getvalue()]
    assert not split, f"ids wrapped over lines: {split[:5]}"
    result = CliRunner().invoke(main, ["rules", "list", "-j", "eu"], env=ENVIRONMENT)
    assert all(rule.id in result.output for rule in rules)


def test_rules_show_page_and_json() -> None:
    page, _ = run("rules", "show", "us-co.caia.6-1-1703.6")
    for part in ("Citation", "Colo. AI Act, § 6-1-1703(6)", "Applies from", "Summary",
                 "Interpretation", "Condition", "deployer.kind is given",
                 "deployer.employees lt 50",
                 "answered yes: Does the deployer use its own data to train", "Cases (4)"):
        assert part in page, part
    raw, _ = run("rules", "show", "us-co.caia.6-1-1703.6", "--format", "json")
    record = json.loads(raw)
    assert record["kind"] == "exception" and record["citation_text"].endswith("6-1-1703(6)")


# Transitional periods are part of every report, not only JSON and HTML: a listed
# Vietnamese system has until 2027 for its high-risk duties, and one note per period
# names every duty it defers instead of repeating itself per duty.

@pytest.mark.parametrize("output", ["markdown", "table", "html"])
def test_transitional_notes_in_every_report(output: str) -> None:
    out, _ = run("assess", str(PROFILES / "vn-cv-screener.yaml"), "-j", "VN",
                 "--as-of", AS_OF, "--format", output)
    text = " ".join(out.split())
    assert "Transitional notes" in text
    deferral = "must comply by 1 March 2027"
    assert text.count(deferral) == 1, f"{deferral!r} should be said once, grouped"
    for citation in ("Art. 13(1)", "Art. 14(1)(a)", "Art. 14(2)(đ)"):
        assert citation in text
    assert "Decision 33/2026/QĐ-TTg, Art. 4, from 2027-03-01" in text
