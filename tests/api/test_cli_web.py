"""``comity token``, ``comity audit``, ``comity watch`` and ``comity serve``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from comity.cli.app import main
from comity.knowledge.store.database import connect, migrate
from comity.knowledge.store.registry import Registry
from comity.knowledge.store.repository import KnowledgeBase
from tests.conftest import EXAMPLES


def test_token_create_prints_once_and_audit_shows_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    runner = CliRunner()
    created = runner.invoke(main, ["token", "create", "--role", "editor", "--name", "alice",
                                   "--db", url])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("comity_") and len(token) > 40
    assert token.encode() not in (tmp_path / "kb.db").read_bytes()
    registry = Registry(KnowledgeBase(connect(url)))
    principal = registry.principal(token)
    assert principal is not None and principal.role == "editor"
    log = runner.invoke(main, ["audit", "--db", url, "--format", "json"])
    [entry] = json.loads(log.stdout)
    assert entry["action"] == "token.create" and entry["target"] == "token:alice"
    assert "token.create" in runner.invoke(main, ["audit", "--db", url]).stdout
    refused = runner.invoke(main, ["token", "create", "--role", "owner", "--db", url])
    assert refused.exit_code == 2 and "reader" in refused.output


def test_watch_lists_dated_changes_and_affected_systems(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["assess", str(EXAMPLES / "cv-screener.yaml"), "--save",
                                "--as-of", "2026-12-04", "--db", url]).exit_code == 0
    engine = connect(url)
    migrate(engine)
    registry = Registry(KnowledgeBase(engine))
    from comity import assess_profile, load_profiles

    [profile] = load_profiles(EXAMPLES / "cv-screener.yaml")
    from datetime import date

    registry.save_system(assess_profile(profile, as_of=date(2026, 12, 4)),
                         profile.model_dump(mode="json"), "cli")
    report = runner.invoke(main, ["watch", "--since", "2026-12-04", "--until", "2028-01-01",
                                  "--db", url, "--format", "json"])
    assert report.exit_code == 0, report.output
    data = json.loads(report.stdout)
    assert any(c["id"] == "eu.ai_act.annex3.4.a" for c in data["dated_changes"]["EU"])
    assert data["systems"][0]["changed"] is True
    text = runner.invoke(main, ["watch", "--since", "2026-12-04", "--until", "2028-01-01",
                                "--db", url]).stdout
    assert "cv-screener: results change" in text
    backwards = runner.invoke(main, ["watch", "--since", "2028-01-01", "--until",
                                     "2026-01-01", "--db", url])
    assert backwards.exit_code == 2


def test_watch_compares_two_rulebook_folders(tmp_path: Path) -> None:
    import shutil

    from comity.rulebook.loader import default_rules_folder

    old = tmp_path / "old"
    shutil.copytree(default_rules_folder(), old)
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    same = CliRunner().invoke(main, ["watch", "--previous-rules", str(old), "--db", url,
                                     "--format", "json"])
    assert json.loads(same.stdout)["rule_changes"] == {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_comity_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    environment = {**os.environ, "COMITY_DB": f"sqlite:///{tmp_path / 'kb.db'}"}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "comity", "serve", "--port", str(port)],
                              env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        assert page.status_code == 200 and "Describe an AI system" in page.text
        found = httpx.get(base + "/api/search", params={"q": "emotion recognition"})
        assert "provision:eu.ai_act.art5.1.f" in [h["id"] for h in found.json()["items"]]
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
