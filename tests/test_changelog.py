"""The rulebook changelog is generated from the rule data and the frozen manifests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from comity.cli.app import main
from comity.rulebook.changelog import changelog, diff, manifest, manifest_json
from comity.rulebook.loader import default_rulebook, default_rules_folder, load_rulebook


def _edited_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), folder)
    path = folder / "eu" / "prohibitions.yaml"
    text = path.read_text(encoding="utf-8")
    assert "title: Social scoring\n" in text
    path.write_text(text.replace("title: Social scoring\n", "title: Social scoring (edited)\n", 1),
                    encoding="utf-8")
    return folder


def test_diff_reports_each_kind_of_change(tmp_path: Path) -> None:
    before = manifest(default_rulebook())
    after = manifest(load_rulebook(_edited_copy(tmp_path)))
    after["rules"]["zz.new.rule"] = dict(after["rules"]["eu.ai_act.art5.1.c"])
    del after["rules"]["eu.ai_act.art5.1.d"]
    after["rules"]["eu.ai_act.art5.1.e"] = {**after["rules"]["eu.ai_act.art5.1.e"],
                                             "applies_from": "2030-01-01"}
    changes = {(c.rule_id, c.kind) for c in diff(before, after, [("eu.", "because")])}
    assert ("eu.ai_act.art5.1.c", "reworded") in changes
    assert ("zz.new.rule", "added") in changes
    assert ("eu.ai_act.art5.1.d", "removed") in changes
    assert ("eu.ai_act.art5.1.e", "redated") in changes
    assert len(changes) == 4
    noted = diff(before, after, [("eu.", "because")])
    reasons = {c.reason for c in noted if c.rule_id != "zz.new.rule"}
    assert reasons == {"because"}


def test_identical_manifests_have_no_changes() -> None:
    data = manifest(default_rulebook())
    assert diff(data, data) == []


def test_manifest_json_is_one_rule_per_line() -> None:
    data = manifest(default_rulebook())
    text = manifest_json(data)
    assert json.loads(text) == json.loads(json.dumps(data))
    assert len(text.splitlines()) == len(data["rules"]) + 3


def test_shipped_changelog_records_this_version() -> None:
    log = changelog()
    assert log["version"] == default_rulebook().version and log["since"] == "2026.11.30"
    by_rule = {(c["rule"], c["kind"]): c for c in log["changes"]}
    stay = by_rule[("us-co.caia.6-1-1703.2", "status_changed")]
    assert stay["after"]["enforcement"] == ["stayed@2026-04-27"]
    assert "X.AI LLC v. Weiser" in stay["reason"]
    assert "<https://leg.colorado.gov/bills/sb24-205>" in stay["source"]
    added = {rule for rule, kind in by_rule if kind == "added"}
    art25 = {rule for rule in added if rule.startswith("eu.ai_act.art25")}
    new_regimes = ("it.", "tw.", "us-ny.", "vn.", "kz.", "in.")
    issue16 = ("eu.ai_act.art111",)  # and the Annex III areas without the point
    assert art25 and all(rule.startswith(("eu.ai_act.art25", *new_regimes, *issue16))
                         or rule.endswith(".point_not_known") for rule in added)
    assert "Art. 25" in by_rule[(min(art25), "added")]["reason"]
    assert "Art. 111" in by_rule[("eu.ai_act.art111.2", "added")]["reason"]
    assert "Viet Nam" in by_rule[("vn.ai_law.art9.1.a", "added")]["reason"]
    assert "Kazakhstan" in by_rule[("kz.ai_law.art17.3.6", "added")]["reason"]
    assert "India" in by_rule[("in.it_rules.r2.1.wa", "added")]["reason"]
    for prefix in ("it.", "tw.", "us-ny."):
        first = min(rule for rule in added if rule.startswith(prefix))
        assert "New regime" in by_rule[(first, "added")]["reason"]
    questions = by_rule[("eu.ai_act.art5.1.h", "condition_changed")]
    assert "typed questions" in questions["reason"]


def test_cli_changelog_json() -> None:
    result = CliRunner().invoke(main, ["rules", "changelog", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["format"] == "comity.changelog.v1"
