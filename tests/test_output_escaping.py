"""A hostile profile name injects nothing into any output format (issue 9, item 5).

Each report is rendered twice, once with a plain name and once with a hostile one, and
parsed as its reader would (Markdown to HTML with markdown-it, HTML with html.parser,
the terminal as text): the structure (headings, links, scripts, comments) must be the
same, and the hostile name must appear as the characters it is.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from comity.cli.app import main
from comity.render.escape import markdown_text, plain_line, rich_text
from tests.conftest import EXAMPLES

HOSTILE_NAMES = [
    "CV screener\n\n## EU (EU)\n\nNo obligations.\n",
    "CV screener <!-- everything after this is hidden",
    "CV screener <script>alert(1)</script>",
    "CV screener [click](javascript:alert(1)) <a href=\"javascript:alert(2)\">x</a>",
    "CV screener [/] [link=https://evil.example]click[/link] [bold red]loud",
    "CV screener | fake | cells |\n|---|---|",
    "CV screener \x1b[2J\x1b[31mred\u202eevil",
    "CV screener ![img](https://evil.example/x.png) `code` *em* ~~gone~~ $x$ &lt; #",
]
PLAIN = "CV screener"


def profile_file(tmp_path: Path, name: str) -> Path:
    data = yaml.safe_load((EXAMPLES / "cv-screener.yaml").read_text(encoding="utf-8"))
    data["name"] = name
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--as-of", "2026-11-22"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


class _Structure(HTMLParser):
    """Tags, link targets, comments and scripts of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.hrefs: list[str] = []
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.hrefs += [value or "" for key, value in attrs if key in ("href", "src")]

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def structure(html: str) -> tuple[Counter[str], list[str], int]:
    parser = _Structure()
    parser.feed(html)
    return parser.tags, parser.hrefs, parser.comments


def markdown_structure(markdown: str) -> tuple[Counter[str], list[str], int]:
    return structure(MarkdownIt("commonmark").enable("table").enable("strikethrough")
                     .render(markdown))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("command", ["assess", "compare"])
def test_markdown_reports(tmp_path: Path, name: str, command: str) -> None:
    plain = cli(command, str(profile_file(tmp_path, PLAIN)), "--format", "markdown")
    hostile = cli(command, str(profile_file(tmp_path, name)), "--format", "markdown")
    assert markdown_structure(hostile) == markdown_structure(plain)
    assert markdown_text(name) in hostile


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("command", ["assess", "compare"])
def test_html_reports(tmp_path: Path, name: str, command: str) -> None:
    outputs = []
    for text in (PLAIN, name):
        target = tmp_path / "report.html"
        cli(command, str(profile_file(tmp_path, text)), "--format", "html", "-o", str(target))
        outputs.append(target.read_text(encoding="utf-8"))
    assert structure(outputs[1]) == structure(outputs[0])
    assert not any(href.lower().startswith("javascript:") for href in structure(outputs[1])[1])


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_terminal_outputs_show_the_name_as_text(tmp_path: Path, name: str) -> None:
    path = str(profile_file(tmp_path, name))
    for output in (cli("explain", path), cli("assess", path), cli("compare", path)):
        assert "\x1b" not in output and "\u202e" not in output
    shown = cli("explain", path)
    assert plain_line(name)[:30] in " ".join(shown.split())


def test_escape_functions() -> None:
    assert markdown_text("a\n# b <c> [d](e) | f") == "a \\# b \\<c\\> \\[d\\](e) \\| f"
    assert plain_line("a\x1b[31m\tb\u202ec\n") == "a[31m bc"
    text = rich_text("[bold]x[/]", "italic")
    assert text.plain == "[bold]x[/]" and text.style == "italic"
