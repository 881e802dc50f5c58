"""Regenerate the screenshots of the web application in docs/screenshots/.

    python scripts/web_screenshots.py [--chromium /usr/bin/chromium]

Starts the app on loopback over a temporary store, saves the CV-screener example twice
(as of today and as of 2028-01-01, to show a history and a diff), and photographs the
main pages in headless Chromium. Look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from comity import assess_profile, load_profiles
from comity.api import ApiSettings, create_app
from comity.api.server import running_server
from comity.cooperation.projects import parse_proposal
from comity.knowledge.store.registry import Registry
from comity.web.form import form_from_profile
from comity.web.projects import proposal_query
from comity.yaml12 import load_yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots"
FULL_PAGE = ("compare", "system", "watch", "cooperation", "transfer")
# An image generator offered in India: whether it is an intermediary is a typed question.
GENERATOR = urlencode([("id", "gen"), ("name", "Image generator"), ("markets", "IN, EU"),
                       ("uses", "content.generation"), ("system.machine_based", "true"),
                       ("system.infers_outputs", "true")])
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="*", metavar="NAME",
                        help="Only these pictures (e.g. transfer projects).")
    options = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(ApiSettings(db_url=f"sqlite:///{folder}/kb.db"))
        registry: Registry = app.state.comity.registry
        [profile] = load_profiles(ROOT / "examples" / "cv-screener.yaml")
        for day in (date.today(), date(2028, 1, 1)):
            registry.save_system(assess_profile(profile, as_of=day),
                                 profile.model_dump(mode="json"), "token:analyst")
        draft = urlencode(form_from_profile(profile.model_dump(mode="json",
                                                                exclude_none=True)))
        [xray] = load_profiles(ROOT / "examples" / "cooperation" / "tb-xray-reader.yaml")
        technology = urlencode(form_from_profile(xray.model_dump(mode="json",
                                                                 exclude_none=True)))
        proposal = proposal_query(parse_proposal(load_yaml(
            (ROOT / "examples" / "cooperation" / "tb-screening-project.yaml").read_text(
                encoding="utf-8"), "proposal"), "proposal"))
        pages = {
            "describe": ("/", None),
            "result": (f"/?{draft}", "#result"),
            "questions": (f"/?{GENERATOR}", "section.questions"),
            "compare": (f"/compare?{draft}", None),
            "knowledge": ("/knowledge?q=emotion+recognition", None),
            "glossary": ("/knowledge/term", None),
            "system": ("/systems/cv-screener", None),
            "watch": ("/watch?until=2028-01-01", None),
            "cooperation": ("/cooperation?parties=US%2C+CN%2C+EU&issue=hiring"
                            "&issue=deepfakes", None),
            "transfer": (f"/transfer?{technology}&transfer_from=DE&transfer_to=KE"
                         "&end_user=health_ministry", "#outcome"),
            "projects": (f"/projects?{proposal}", "#total"),
        }
        if options.only:
            pages = {name: pages[name] for name in options.only}
        with running_server(app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, (path, opened) in pages.items():
                page.goto(url + path)
                if opened:
                    if name == "result":
                        page.locator("details#j-EU").evaluate("element => element.open = true")
                    page.locator(opened).first.evaluate(
                        "element => window.scrollTo(0, element.offsetTop - 8)")
                if name in FULL_PAGE:  # taller than the window, but not the whole page
                    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True,
                                    clip={"x": 0, "y": 0, "width": 1280, "height": 1700})
                else:
                    page.screenshot(path=str(OUTPUT / f"{name}.png"))
                print(f"wrote docs/screenshots/{name}.png")
            if options.only:
                browser.close()
                return
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(url + f"/?{draft}")
            phone.locator("#result").evaluate(
                "element => window.scrollTo(0, element.offsetTop - 8)")
            phone.screenshot(path=str(OUTPUT / "phone-result.png"))
            print("wrote docs/screenshots/phone-result.png")
            browser.close()


if __name__ == "__main__":
    main()
