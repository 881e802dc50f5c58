"""The technology-transfer and joint R&D pages: the library's answers, for people who
never open a terminal (the page shows, the JSON download equals the library's)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl

import yaml
from fastapi.testclient import TestClient

from comity.cooperation.projects import parse_proposal, score_project
from comity.cooperation.transfer import screen_transfer
from comity.profile.files import load_profiles
from comity.web.form import form_from_profile
from comity.web.projects import proposal_data, proposal_query
from tests.conftest import EXAMPLES

DAY = "2026-11-22"
XRAY = EXAMPLES / "cooperation" / "tb-xray-reader.yaml"
FACE_ID = EXAMPLES / "cooperation" / "face-id-system.yaml"
PROJECT = EXAMPLES / "cooperation" / "tb-screening-project.yaml"


Params = list[tuple[str, str | int | float | bool | None]]


def _system(path: Path) -> Params:
    [profile] = load_profiles(path)
    return list(form_from_profile(profile.model_dump(mode="json", exclude_defaults=True)))


def test_the_transfer_page_screens_the_described_system(seeded: TestClient) -> None:
    params: Params = [*_system(XRAY), ("transfer_from", "de"), ("transfer_to", "KE"),
              ("end_user", "health_ministry"), ("as_of", DAY)]
    html = unescape(seeded.get("/transfer", params=params).text)
    [technology] = load_profiles(XRAY)
    expected = screen_transfer(technology, "DE", "KE", end_user="health_ministry",
                               as_of=date.fromisoformat(DAY))
    outcome = re.search(r'<h2 id="outcome">Outcome: <span class="outcome-(\w+)">', html)
    assert outcome and outcome.group(1) == expected.outcome
    assert "Tuberculosis X-ray reader" in html and "development need" in html
    for report in expected.inputs:
        assert report.source.split(";")[0] in html
    download = seeded.get("/transfer.json", params=params)
    assert download.json() == expected.to_dict()


def test_a_banned_use_meets_the_human_rights_screen(seeded: TestClient) -> None:
    params: Params = [*_system(FACE_ID), ("transfer_from", "US"), ("transfer_to", "CN"),
              ("end_user", "police"), ("as_of", DAY)]
    [technology] = load_profiles(FACE_ID)
    expected = screen_transfer(technology, "US", "CN", end_user="police",
                               as_of=date.fromisoformat(DAY))
    html = seeded.get("/transfer", params=params).text
    assert expected.harms and "Conflicts with human rights" in html
    assert f'class="outcome-{expected.outcome}"' in html


def test_transfer_problems_are_named_beside_their_field(seeded: TestClient) -> None:
    html = unescape(seeded.get("/transfer", params=[
        *_system(XRAY), ("transfer_from", "DE"), ("transfer_to", "XX"),
        ("end_user", "polise")]).text)
    assert 'id="transfer_to-error"' in html and "unknown party 'XX'" in html
    assert 'id="end_user-error"' in html and "did you mean police" in html
    assert 'id="transfer_from-error"' not in html and 'id="outcome"' not in html
    one = seeded.get("/transfer", params=[*_system(XRAY), ("transfer_from", "DE")]).text
    assert "give the receiving party" in one
    nothing = seeded.get("/transfer").text
    assert "Describe a system first" in nothing
    assert seeded.get("/transfer.json", params={"transfer_from": "DE"}).status_code == 422


def test_the_projects_page_scores_a_proposal_as_the_library_does(seeded: TestClient) -> None:
    data = yaml.safe_load(PROJECT.read_text(encoding="utf-8"))
    proposal = parse_proposal(data, str(PROJECT))
    query = proposal_query(proposal)
    assert parse_proposal(proposal_data(_MultiDict(parse_qsl(query))), "form") == proposal
    expected = score_project(proposal)
    html = seeded.get("/projects?" + query).text
    assert f"{proposal.name}: {expected.total} out of {expected.scored_maximum}" in html
    assert seeded.get("/projects/score.json?" + query).json() == expected.to_dict()
    links = [f'/knowledge/sandbox/{item["id"]}' for item in expected.test_beds]
    links += [f'/knowledge/standard/{item["id"]}' for item in expected.audit_standards]
    assert links and all(link in html for link in links)
    assert {seeded.get(link).status_code for link in links} == {200}


def test_an_unstated_yes_no_is_missing_evidence_not_no(seeded: TestClient) -> None:
    html = seeded.get("/projects", params={"id": "p", "name": "Bare",
                                           "partners": "KE, gb"}).text
    assert "Bare: 1 out of 2 (5 of 6 criteria missing)" in html


def test_proposal_problems_are_named_beside_their_field(seeded: TestClient) -> None:
    html = seeded.get("/projects", params={"id": "Not An Id", "name": "X",
                                           "sdgs": "3, three"}).text
    assert 'id="id-error"' in html and 'id="sdgs-error"' in html and 'id="total"' not in html
    bundled = re.findall(r'<a href="/projects\?([^"]+)">', seeded.get("/projects").text)
    assert bundled, "the knowledge base's projects are offered as starting points"


class _MultiDict:
    """The two methods of a query-parameter mapping the form reader uses."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.pairs if k == name), None)

    def getlist(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]


def test_every_result_links_to_the_transfer_screen_of_its_system(seeded: TestClient) -> None:
    html = seeded.get("/", params=_system(XRAY)).text
    link = re.search(r'<a href="/transfer\?([^"]+)">Screen a transfer of it</a>', html)
    assert link, "the result offers the transfer screen"
    screen = seeded.get("/transfer?" + unescape(link.group(1)) +
                        "&transfer_from=DE&transfer_to=KE").text
    assert "Tuberculosis X-ray reader" in screen and 'id="outcome"' in screen
