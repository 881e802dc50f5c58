"""Cooperation analytics over HTTP and on a web page, equal to the library's answers."""

from __future__ import annotations

import re
from datetime import date

import yaml
from fastapi.testclient import TestClient
from markupsafe import escape

from comity import load_profiles
from comity.cooperation.agenda import dialogue_agenda
from comity.cooperation.projects import parse_proposal, score_project
from comity.cooperation.readiness import rate
from comity.cooperation.settings import issues
from comity.cooperation.transfer import screen_transfer
from tests.conftest import EXAMPLES

DAY = "2026-11-30"


def test_the_api_rates_every_pair_as_the_library_does(seeded: TestClient) -> None:
    response = seeded.get("/api/cooperation", params=[
        ("party", "US"), ("party", "cn"), ("party", "EU"), ("issue", "hiring"),
        ("issue", "hiring"), ("as_of", DAY)])
    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "comity.cooperation.matrix.v1"
    pairs = [(r["a"], r["b"], r["issue"]) for r in document["ratings"]]
    assert pairs == [("US", "CN", "hiring"), ("US", "EU", "hiring"), ("CN", "EU", "hiring")]
    assert document["ratings"][0] == rate("US", "CN", "hiring",
                                          as_of=date.fromisoformat(DAY)).to_dict()


def test_the_api_rates_every_issue_by_default(seeded: TestClient) -> None:
    document = seeded.get("/api/cooperation", params=[("party", "GB"), ("party", "JP")]).json()
    assert [r["issue"] for r in document["ratings"]] == list(issues())
    listed = seeded.get("/api/cooperation/issues").json()["items"]
    assert [item["id"] for item in listed] == list(issues())


def test_bad_parties_and_issues_are_422_problems_naming_the_field(seeded: TestClient) -> None:
    one = seeded.get("/api/cooperation", params=[("party", "US")])
    assert one.status_code == 422
    assert one.json()["title"] == "give 2 to 12 different parties, got 1"
    unknown = seeded.get("/api/cooperation", params=[("party", "US"), ("party", "XX")])
    assert unknown.status_code == 422
    [error] = unknown.json()["errors"]
    assert error["path"] == "$.party" and error["message"].startswith("unknown party 'XX'")
    issue = seeded.get("/api/cooperation", params=[("party", "US"), ("party", "CN"),
                                                   ("issue", "nope")])
    assert issue.json()["errors"][0]["path"] == "$.issue"
    same = seeded.get("/api/cooperation/agenda", params={"a": "US", "b": "us"})
    assert same.status_code == 422


def test_the_agenda_is_the_library_s(seeded: TestClient) -> None:
    response = seeded.get("/api/cooperation/agenda", params={"a": "US", "b": "CN",
                                                             "as_of": DAY})
    assert response.json() == dialogue_agenda("US", "CN",
                                              as_of=date.fromisoformat(DAY)).to_dict()


def test_the_page_shows_the_matrix_the_agenda_and_the_reasons(seeded: TestClient) -> None:
    html = seeded.get("/cooperation", params=[("parties", "us, cn"), ("issue", "hiring"),
                                              ("as_of", DAY)]).text
    expected = rate("US", "CN", "hiring", as_of=date.fromisoformat(DAY))
    cell = re.search(r'<td class="rating-(\w+)"><a href="#r-1-US–CN">(\w+)</a> ([\d.]+)</td>',
                     html)
    assert cell and cell.groups() == (expected.rating, expected.rating,
                                      f"{expected.score:.2f}")
    assert "Dialogue agenda US–CN" in html
    assert all(str(escape(factor.source)) in html for factor in expected.factors
               if factor.source)
    assert 'href="/api/cooperation?party=US&amp;party=CN&amp;issue=hiring&amp;as_of=' in html


def test_the_page_reports_a_bad_party_beside_the_field(seeded: TestClient) -> None:
    html = seeded.get("/cooperation", params={"parties": "US, XX"}).text
    assert "party: unknown party &#39;XX&#39;; did you mean MX?" in html
    assert 'aria-invalid="true"' in html


def test_the_printable_report_is_the_cli_s_html(seeded: TestClient) -> None:
    response = seeded.get("/cooperation/report.html", params={"parties": "US, CN",
                                                              "issue": "hiring"})
    assert response.status_code == 200
    assert "Cooperation readiness" in response.text and "US" in response.text
    missing = seeded.get("/cooperation/report.html", headers={"accept": "text/html"})
    assert missing.status_code == 422


def test_the_transfer_screen_is_the_library_s(seeded: TestClient) -> None:
    path = EXAMPLES / "cooperation" / "tb-xray-reader.yaml"
    [technology] = load_profiles(path)
    response = seeded.post("/api/cooperation/transfer", content=path.read_bytes(),
                           params={"from": "de", "to": "KE", "end_user": "health_ministry",
                                   "as_of": DAY},
                           headers={"Content-Type": "application/yaml"})
    assert response.status_code == 200
    assert response.json() == screen_transfer(
        technology, "DE", "KE", end_user="health_ministry",
        as_of=date.fromisoformat(DAY)).to_dict()
    unknown = seeded.post("/api/cooperation/transfer", content=path.read_bytes(),
                          params={"from": "DE", "to": "XX"},
                          headers={"Content-Type": "application/yaml"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "$.party"
    empty = seeded.post("/api/cooperation/transfer", params={"from": "DE", "to": "KE"})
    assert empty.status_code == 422


def test_a_proposal_is_scored_as_the_library_scores_it(seeded: TestClient) -> None:
    path = EXAMPLES / "cooperation" / "tb-screening-project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    response = seeded.post("/api/cooperation/projects/score", content=path.read_bytes(),
                           headers={"Content-Type": "application/yaml"})
    assert response.status_code == 200
    assert response.json() == score_project(parse_proposal(data, str(path))).to_dict()
    wrong = seeded.post("/api/cooperation/projects/score", json={"title": 3})
    assert wrong.status_code == 422 and wrong.json()["errors"]
    assert seeded.post("/api/cooperation/projects/score", content=b"").status_code == 422
