"""The web page asks the rulebook's typed questions and takes their answers (issue #16
for people who never open a terminal): answers travel in the address like every field."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient

from comity import assess_profile, load_profiles
from tests.conftest import EXAMPLES

Param = tuple[str, str | int | float | bool | None]
GENERATOR: list[Param] = [("id", "gen"), ("name", "Image generator"), ("markets", "IN"),
                          ("uses", "content.generation"), ("system.machine_based", "true"),
                          ("system.infers_outputs", "true"), ("as_of", "2027-01-01")]
QUESTION = "answers.in.intermediary"


def _row(html: str, code: str) -> str:
    row = re.search(rf'<tr class="tier-\w+">\s*<th scope="row"><a href="#j-{code}".*?</tr>',
                    html, re.S)
    assert row, code
    return row.group(0)


def _tier(html: str, code: str) -> str:
    tier = re.search(r'class="open-details tier">([^<]+)</a>', _row(html, code))
    assert tier
    return tier.group(1)


def _in_scope(html: str, code: str) -> str:
    cell = re.search(r"</th>\s*<td>([^<]+)</td>", _row(html, code))
    assert cell
    return cell.group(1)


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_open_questions_are_asked_as_fields_of_the_describe_form(fresh: TestClient) -> None:
    html = fresh.get("/", params=GENERATOR).text
    assert _in_scope(html, "IN") == "undetermined"
    asked = _section(html, "oq-h")
    assert "intermediary under the IT Act?" in asked
    assert "can change the tier" in asked
    radios = re.findall(r'<input type="radio" form="describe"[^>]*name="([^"]+)" value="([^"]*)"',
                        asked)
    assert ("answers.in.intermediary", "yes") in radios
    assert ("answers.in.intermediary", "unknown") in radios
    assert 'name="answer_version.in.intermediary"' in asked
    assert 'id="a-h"' not in html  # nothing answered yet


def test_an_answer_settles_the_point_and_is_shown_for_change(fresh: TestClient) -> None:
    html = fresh.get("/", params=[*GENERATOR, (QUESTION, "yes")]).text
    assert (_in_scope(html, "IN"), _tier(html, "IN")) == ("yes", "intermediary")
    answers = _section(html, "a-h")
    assert re.search(r'name="answers\.in\.intermediary" value="yes" checked', answers)
    assert html.count('id="q-in-intermediary"') == 1  # in "Your answers" only
    html = fresh.get("/", params=[*GENERATOR, (QUESTION, "no")]).text
    assert (_in_scope(html, "IN"), _tier(html, "IN")) == ("no", "out of scope")


def test_i_dont_know_keeps_the_point_open_and_asks_it_once(fresh: TestClient) -> None:
    html = fresh.get("/", params=[*GENERATOR, (QUESTION, "unknown")]).text
    assert _in_scope(html, "IN") == "undetermined"
    assert re.search(r'name="answers\.in\.intermediary" value="unknown" checked',
                     _section(html, "a-h"))
    assert html.count('id="q-in-intermediary"') == 1


def test_a_wrong_answer_is_reported_with_the_question_id(fresh: TestClient) -> None:
    html = fresh.get("/", params=[*GENERATOR, (QUESTION, "maybe")]).text
    assert "answers.in.intermediary" in html
    assert "&#39;maybe&#39; is not a valid answer to this yes_no question" in html


def test_an_uploaded_profile_keeps_its_answers_and_assesses_as_on_the_command_line(
        fresh: TestClient) -> None:
    path = EXAMPLES / "answers" / "face-swap-app.yaml"
    [profile] = load_profiles(path)
    assert profile.answers
    response = fresh.post("/upload", files={"file": (path.name, path.read_bytes())},
                          follow_redirects=False)
    assert response.status_code == 303
    pairs = parse_qsl(urlsplit(response.headers["location"]).query)
    assert {key for key, _ in pairs} >= {f"answers.{qid}" for qid in profile.answers}
    html = fresh.get(response.headers["location"]).text
    for result in assess_profile(profile).results:
        assert _tier(html, result.jurisdiction) == result.tier.replace("_", " "), (
            result.jurisdiction)


def test_open_facts_link_to_their_form_field_and_hold_no_questions(fresh: TestClient) -> None:
    """Korea's domestic-representative duty waits for revenue in won: the open fact is
    listed with a link to the revenue field of the form; questions are not open facts."""
    chatbot = [*GENERATOR[:2], ("markets", "KR"), ("uses", "chatbot"),
               ("uses", "content.generation"), ("provider.country", "IE"),
               ("system.machine_based", "true"), ("system.infers_outputs", "true"),
               ("system.interacts_with_people", "true"), ("as_of", "2027-01-01")]
    facts = _section(fresh.get("/", params=chatbot).text, "q-h")
    assert '<a href="#f-provider.annual_revenue"><code>provider.annual_revenue.KRW</code>' \
        in facts
    assert "?" not in re.sub(r'href="[^"]*"', "", facts)  # no question text among facts
