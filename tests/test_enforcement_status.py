"""Enforcement status as dated data: court stays and grace periods reach every output."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from comity import assess_profile, parse_profiles
from comity.analysis.compare import PortfolioComparison, comparison_of
from comity.cli.app import main
from comity.errors import InputError
from comity.render.comparison import portfolio_markdown
from comity.render.markdown import assessment_markdown
from comity.rulebook.loader import default_rulebook, default_rules_folder, load_rulebook
from comity.rulebook.status import Enforcement

COLORADO_LENDER = {
    "profile": 1, "id": "co-lender", "name": "Colorado loan screening",
    "markets": ["US-CO"],
    "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
    "uses": ["credit.scoring"], "decision_role": "substantial_factor",
}


def _colorado(as_of: date) -> dict[str, object]:
    [profile] = parse_profiles(COLORADO_LENDER)
    return assess_profile(profile, as_of=as_of, jurisdictions=["US-CO"]).to_dict(False)


def test_stayed_duties_apply_and_carry_the_stay() -> None:
    result = _colorado(date(2026, 9, 1))["results"][0]  # type: ignore[index]
    assert result["tier"] == "high_risk"
    [stay] = result["enforcement"]
    assert (stay["state"], stay["from"], stay["basis"]) == ("stayed", "2026-04-27",
                                                           "court_order")
    assert "1:26-cv-01515" in stay["reference"]
    assert result["obligations"]
    for duty in result["obligations"]:
        # The law applies (settled from the session laws) and its enforcement is stayed.
        assert duty["applicable"] is True
        assert duty["applies_from"] == "2026-06-30"
        assert [e["state"] for e in duty["enforcement"]] == ["stayed"]
    # Only duties are enforced: the classification carries no marker.
    assert all("enforcement" not in f for f in result["classifications"])


def test_no_stay_before_the_order() -> None:
    result = _colorado(date(2026, 4, 1))["results"][0]  # type: ignore[index]
    assert result["enforcement"] == []
    assert all("enforcement" not in f for f in result["obligations"])


def test_cli_assess_as_of_shows_the_stay(tmp_path: Path) -> None:
    path = tmp_path / "lender.json"
    path.write_text(json.dumps(COLORADO_LENDER))
    runner = CliRunner()
    table = runner.invoke(main, ["assess", str(path), "--as-of", "2026-09-01", "-j", "US-CO"])
    assert table.exit_code == 0
    assert "Enforcement stayed by court order since 2026-04-27" in table.output
    assert "STAYED since 2026-04-27" in table.output
    early = runner.invoke(main, ["assess", str(path), "--as-of", "2026-03-01", "-j", "US-CO"])
    assert "STAYED" not in early.output


def test_markdown_and_comparison_mark_the_stay() -> None:
    [profile] = parse_profiles(COLORADO_LENDER)
    assessment = assess_profile(profile, as_of=date(2026, 9, 1), jurisdictions=["US-CO"])
    text = assessment_markdown(assessment)
    assert "> **ENFORCEMENT STAYED BY COURT ORDER**" in text
    assert "Risk management policy and programme **[STAYED since 2026-04-27]**" in text
    comparison = comparison_of(assessment, default_rulebook().duty_types)
    data = comparison.to_dict()
    cells = [p for row in data["duty_matrix"].values() for p in row["US-CO"]]
    duties = [p for p in cells if p["binding"]]
    assert duties and all(p["enforcement"] == "STAYED since 2026-04-27" for p in duties)
    # The affirmative defence is voluntary: nothing to enforce, so no marker.
    assert all("enforcement" not in p for p in cells if not p["binding"])
    rendered = portfolio_markdown(PortfolioComparison([comparison], {}))
    assert "| enforcement | STAYED since 2026-04-27 |" in rendered


def test_korean_fines_grace_period_is_reported() -> None:
    [profile] = parse_profiles({
        "profile": 1, "id": "kr-bot", "name": "Korean chatbot", "markets": ["KR"],
        "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
        "uses": ["chatbot", "content.generation"], "flags": {"public_service": True},
    })
    result = assess_profile(profile, as_of=date(2026, 6, 1), jurisdictions=["KR"]).results[0]
    assert [r.state for r in result.enforcement] == ["sanctions_grace"]
    assert result.obligations
    assert all(f.enforcement_marker == "NO SANCTIONS (GRACE) since 2026-01-22"
               for f in result.obligations)


def test_an_end_before_the_start_is_an_error_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), folder)
    path = folder / "us-co" / "jurisdiction.yaml"
    text = path.read_text()
    path.write_text(text.replace("          from: 2026-04-27\n",
                                 "          from: 2026-04-27\n          until: 2026-01-01\n", 1))
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    assert "jurisdiction.yaml" in str(caught.value)
    assert "until must be after from" in str(caught.value)


@given(st.dates(), st.dates(), st.one_of(st.none(), st.dates()))
def test_active_exactly_within_its_window(day: date, start: date, until: date | None) -> None:
    if until is not None and until <= start:
        return
    restriction = Enforcement.model_validate({
        "state": "stayed", "from": start, "until": until, "basis": "court_order",
        "by": "a court", "reference": "an order", "reach": "everything",
        "last_checked": date(2026, 12, 4)})
    assert restriction.active_on(day) == (start <= day and (until is None or day < until))


def test_html_report_marks_the_stay(tmp_path: Path) -> None:
    path = tmp_path / "lender.json"
    path.write_text(json.dumps(COLORADO_LENDER))
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["assess", str(path), "--as-of", "2026-09-01", "-j",
                                       "US-CO", "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "ENFORCEMENT STAYED BY COURT ORDER" in html
    assert '<span class="badge stayed">STAYED since 2026-04-27</span>' in html
