from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from comity.cli.app import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_init_search_export_import(store_url: str, tmp_path: Path) -> None:
    code, out = run("db", "init", "--db", store_url)
    assert code == 0, out
    code, out = run("db", "init", "--db", store_url)
    assert code == 0 and " 0 added" in out
    code, out = run("search", "emotion recognition", "--format", "json", "--db", store_url)
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["id"].startswith("provision:eu.ai_act.")
    assert {"id", "type", "jurisdiction", "title", "citation", "snippet"} <= set(hits[0])
    exported = tmp_path / "provisions.csv"
    code, out = run("db", "export", "--type", "provision", "--format", "csv", "-o",
                    str(exported), "--db", store_url)
    assert code == 0 and exported.read_text().startswith("type,key,")
    code, out = run("db", "import", str(exported), "--db", store_url)
    assert code == 0 and " 0 added" in out
    code, out = run("db", "status", "--db", store_url)
    assert code == 0 and "provision" in out


def test_assess_save_pins_results(store_url: str, examples: Path) -> None:
    code, _ = run("assess", str(examples / "cv-screener.yaml"), "--save", "--db", store_url,
                  "--as-of", "2026-11-22", "--format", "json", "--no-trace")
    assert code == 0
    code, out = run("db", "status", "--db", store_url)
    assert "assessments          1" in out


def test_bad_inputs_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"type": "planet", "key": "x", "title": "X"}]')
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    code, out = run("db", "import", str(bad), "--db", url)
    assert code == 2 and "entities[0].type" in out
    code, out = run("search", "anything", "--db", url)
    assert code == 2 and "comity db init" in out
    code, out = run("db", "status", "--db", "nonsense://")
    assert code == 2 and "unsupported database" in out
