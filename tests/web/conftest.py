"""Browser tests: the real server on loopback, driven in Debian's headless Chromium.

Playwright cannot download its own browsers here, so it is pointed at the system
``chromium`` (``.ci/run`` installs it). Under CI=true a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from comity.api import ApiSettings, create_app
from comity.api.server import running_server
from comity.knowledge.store.registry import Registry

CHROMIUM = os.environ.get("COMITY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@dataclass
class Site:
    url: str
    registry: Registry
    editor: str
    admin: str


def _need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    app = create_app(ApiSettings(db_url=f"sqlite:///{folder / 'kb.db'}"))
    registry: Registry = app.state.comity.registry
    editor = registry.create_token("editor", "eddie")
    admin = registry.create_token("admin", "ada")
    with running_server(app) as url:
        yield Site(url, registry, editor, admin)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
