"""End-to-end in headless Chromium: describe, result and trace, upload, save, refuse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import Site

CV_SCREENER_FLAGS = ("flags.profiling",)


def fill_cv_screener(page: Page) -> None:
    """The CV-screener example (examples/cv-screener.yaml), typed in as a person would."""
    page.get_by_label("Id (lower case").fill("cv-screener")
    page.get_by_label("Name", exact=True).fill("CV screening assistant")
    page.get_by_label("Markets").fill("EU, US-CO, US-NYC")
    page.get_by_label("Provider name").fill("Acme")
    page.get_by_label("Provider country").fill("US")
    page.get_by_label("Deployer name").fill("Beta GmbH")
    page.get_by_label("Deployer country").fill("DE")
    page.get_by_label("Deployer kind").select_option("private")
    page.locator("#f-uses-filter").fill("recruit")
    page.get_by_role("checkbox", name=re.compile(r"^employment\.recruitment")).check()
    for name in CV_SCREENER_FLAGS:
        page.locator(f"[id='f-{name}']").check()
    page.get_by_label("Machine-based").select_option("true")
    page.get_by_label("Infers from input").select_option("true")
    page.get_by_label("Autonomy").select_option("partial")
    for output in ("score", "recommendation"):
        page.locator("#f-system\\.outputs").get_by_label(output, exact=True).check()
    page.get_by_label("Role of the output in decisions").select_option("substantial_factor")
    page.locator("#f-affected").get_by_label("job_applicants", exact=True).check()
    page.locator("#f-data").get_by_label("personal", exact=True).check()


def new_page(browser: Browser, **options: Any) -> Page:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_describe_the_cv_screener_and_open_the_trace(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    page.goto(site.url + "/")
    fill_cv_screener(page)
    page.get_by_role("button", name="Assess", exact=True).click()
    eu_row = page.locator("table.matrix tbody tr").filter(has_text="European Union")
    expect(eu_row.locator("a.tier")).to_have_text("high")
    eu_row.locator("a.tier").click()
    details = page.locator("details#j-EU")
    expect(details).to_have_attribute("open", "")
    expect(details.locator(".cited")).to_contain_text("AI Act, Annex III, point 4(a)")
    details.locator("details.trace > summary").click()
    expect(details.locator("details.trace .tree")).to_contain_text("eu.ai_act.annex3.4.a")
    # Each change re-assesses at once (htmx), and the address follows the draft.
    obligations = eu_row.locator("td").nth(3)
    all_roles = obligations.inner_text()
    page.get_by_label("Show obligations of").select_option("deployer")
    expect(page).to_have_url(re.compile(r"role=deployer"))
    expect(obligations).not_to_have_text(all_roles)
    # The address is the draft: a reload shows the same result.
    assert "id=cv-screener" in page.url
    page.reload()
    expect(page.locator("table.matrix").filter(has_text="European Union")
           .locator("tr", has_text="European Union").locator("a.tier")).to_have_text("high")
    page.context.close()


def test_uploading_an_invalid_profile_shows_the_error_next_to_the_field(
        browser: Browser, site: Site, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile: 1\nid: bad-one\nname: Bad\nmarkets: [EU, XX]\n"
                   "uses: [employment.recruiting]\n", encoding="utf-8")
    page = new_page(browser)
    page.goto(site.url + "/")
    page.get_by_label("Profile file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and assess").click()
    upload_error = page.locator("#file-error")
    expect(upload_error).to_contain_text("markets[1]")
    expect(page.get_by_label("Profile file")).to_have_attribute("aria-describedby", "file-error")
    expect(page.locator("#markets-error")).to_contain_text("'XX' is not a market code")
    expect(page.locator("#uses-error")).to_contain_text("did you mean 'employment.recruitment'")
    # The error sits right after its own field.
    assert page.locator("#f-markets + #markets-error").count() == 1
    page.context.close()


def _draft_url(site: Site) -> str:
    return (site.url + "/?id=cv-screener&name=CV+screening+assistant&markets=EU"
            "&uses=employment.recruitment&system.machine_based=true"
            "&system.infers_outputs=true&decision_role=substantial_factor")


def _log_in(page: Page, site: Site, token: str) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Log in").click()


def test_saving_without_a_token_is_refused(browser: Browser, site: Site) -> None:
    before = site.registry.audit_count()
    page = new_page(browser)
    page.goto(_draft_url(site))
    page.get_by_role("button", name="Save in the register").click()
    expect(page.get_by_role("heading", name="Refused")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing was changed")
    assert site.registry.system("cv-screener") is None
    assert site.registry.audit_count() == before
    page.context.close()


def test_editor_saves_a_system_and_the_admin_finds_it_in_the_audit_log(
        browser: Browser, site: Site) -> None:
    page = new_page(browser)
    _log_in(page, site, site.editor)
    page.goto(_draft_url(site))
    page.get_by_role("button", name="Save in the register").click()
    expect(page.get_by_role("heading", name=re.compile("CV screening assistant"))).to_be_visible()
    expect(page.locator("table")).to_contain_text("token:eddie")
    page.goto(site.url + "/audit")
    expect(page.get_by_role("heading", name="Refused")).to_be_visible()  # editors may not
    _log_in(page, site, site.admin)
    page.goto(site.url + "/audit")
    row = page.locator("table.audit tbody tr").filter(has_text="system.save")
    expect(row.first).to_contain_text("token:eddie")
    expect(row.first).to_contain_text("system:cv-screener")
    page.context.close()


# An image generator offered in India: whether it is an intermediary is a typed question.
GENERATOR = urlencode([("id", "gen"), ("name", "Image generator"), ("markets", "IN, EU"),
                       ("uses", "content.generation"), ("system.machine_based", "true"),
                       ("system.infers_outputs", "true"), ("as_of", "2027-01-01")])


def test_answering_a_question_in_the_result_re_assesses(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    page.goto(site.url + "/?" + GENERATOR)
    in_scope = page.locator("table.matrix tbody tr").filter(has_text="India").locator("td").first
    expect(in_scope).to_have_text("undetermined")
    page.locator("#q-in-intermediary").get_by_label("yes", exact=True).check()
    expect(in_scope).to_have_text("yes")
    expect(page).to_have_url(re.compile(r"answers\.in\.intermediary=yes"))
    answered = page.locator("section.answers #q-in-intermediary")
    expect(answered.get_by_label("yes", exact=True)).to_be_checked()
    # A later change of a profile field keeps the answer (it belongs to the form).
    page.get_by_label("Autonomy").select_option("partial")
    expect(page).to_have_url(re.compile(r"system\.autonomy=partial"))
    expect(page).to_have_url(re.compile(r"answers\.in\.intermediary=yes"))
    page.reload()
    expect(in_scope).to_have_text("yes")
    page.context.close()


def test_reading_works_without_javascript(browser: Browser, site: Site) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(site.url + "/")
    page.get_by_label("Id (lower case").fill("no-js")
    page.get_by_label("Name", exact=True).fill("No JS")
    page.get_by_label("Markets").fill("EU")
    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.locator("table.matrix")).to_contain_text("European Union")
    page.goto(site.url + "/knowledge?q=emotion+recognition")
    expect(page.locator("ol.hits")).to_contain_text("Art. 5(1)")
    page.context.close()


@pytest.mark.parametrize("path", ["/", "DRAFT", "ANSWERED", "/compare?DRAFT",
                                  "/knowledge?q=emotion", "/knowledge/term", "/systems",
                                  "/watch", "/login", "/cooperation?parties=US,+CN,+EU",
                                  "/rules/eu.ai_act.annex3.4.a", "/report.html?DRAFT",
                                  "/transfer?DRAFT&transfer_from=US&transfer_to=CN",
                                  "/projects?id=p&name=Bare&partners=KE,+GB&sdgs=3"])
def test_pages_pass_the_accessibility_check_and_fit_a_phone(
        browser: Browser, site: Site, path: str) -> None:
    draft = _draft_url(site).split("?", 1)[1]
    url = site.url + ("/?" + draft if path == "DRAFT" else path.replace("DRAFT", draft))
    if path == "ANSWERED":
        url = site.url + "/?" + GENERATOR + "&answers.in.intermediary=unknown"
    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(url)
    results = Axe().run(page)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == [], violations
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is wider than a phone by {overflow}px"
    page.context.close()
