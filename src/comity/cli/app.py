"""The ``comity`` command line: parse arguments, call the library, render the result."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, get_args

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from comity.analysis.compare import PortfolioComparison, compare_portfolio
from comity.analysis.redlines import redlines as common_redlines
from comity.cli.access import audit, token
from comity.cli.assess_stream import stream_json_lines
from comity.cli.assessments import assessments
from comity.cli.batch import batch
from comity.cli.ca_aia import ca_aia
from comity.cli.cooperation import COMMANDS as COOPERATION_COMMANDS
from comity.cli.dates import parse_date_option
from comity.cli.db import db, db_option, open_store, search
from comity.cli.errors import ErrorReportingGroup, fail
from comity.cli.intake import intake
from comity.cli.interview import interview
from comity.cli.mcp import mcp_command
from comity.cli.plan import oscal, plan
from comity.cli.questions import questions
from comity.cli.serve import serve
from comity.cli.watch import watch
from comity.engine.assess import UnknownJurisdictionError, assess_profile, resolve_codes
from comity.engine.results import Assessment
from comity.engine.roles import ROLES
from comity.errors import InputError, Problem
from comity.json_schemas import SCHEMAS, schema_text
from comity.output_files import write_text_atomically
from comity.profile.files import load_profiles
from comity.profile.model import Profile, profile_warnings
from comity.profile.vocabulary import vocabulary
from comity.render.comparison import portfolio_markdown, print_portfolio
from comity.render.escape import rich_text
from comity.render.html import assessments_html, portfolio_html
from comity.render.markdown import assessments_markdown
from comity.render.profile_doc import controlled_lists
from comity.render.redlines import redlines_markdown, redlines_table
from comity.render.rule_page import print_rules_table, rule_page
from comity.render.table import print_assessments
from comity.render.trace import trace_tree
from comity.rulebook.cases import case_files, coverage_gaps, load_cases, run_case
from comity.rulebook.loader import Rulebook, RuleKind, default_rulebook, load_rulebook
from comity.rulebook.mutations import mutation_report

F = TypeVar("F", bound=Callable[..., Any])
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")


def _console() -> Console:
    # Piped output gets a fixed, readable width instead of rich's 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=120)




_parse_date = parse_date_option


def _split_codes(_: click.Context, __: click.Parameter, values: Iterable[str]) -> list[str] | None:
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    return codes or None


def _common_options(function: F) -> F:
    options = [
        click.option("--jurisdiction", "-j", "jurisdictions", multiple=True,
                     callback=_split_codes, metavar="CODE",
                     help="Jurisdiction code (repeat or comma-separate). Default: all."),
        click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD",
                     help="Assess the law as it stood on this date. Default: today."),
        click.option("--rules", "rules_folder", type=click.Path(file_okay=False, exists=True,
                                                                path_type=Path),
                     help="Use a rulebook folder instead of the shipped one."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def read_profiles(path: Path) -> list[Profile]:
    """Profiles from a file, or from every profile file in a folder."""
    if not path.is_dir():
        return load_profiles(path)
    files = sorted(p for p in path.iterdir() if p.suffix in PROFILE_SUFFIXES)
    if not files:
        raise InputError(str(path), [Problem("", "folder holds no .yaml, .yml or .json file")])
    profiles: list[Profile] = []
    for file in files:
        profiles += load_profiles(file)
    ids = [profile.id for profile in profiles]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(str(path), [Problem("id", f"duplicate profile ids: {duplicates}")])
    return profiles


def _rulebook(folder: Path | None) -> Rulebook:
    return load_rulebook(folder) if folder else default_rulebook()


def _codes(jurisdictions: list[str] | None, rulebook: Rulebook) -> list[str] | None:
    """The codes as the rulebook spells them (any case); exit 2 naming the known ones."""
    if jurisdictions is None:
        return None
    try:
        return resolve_codes(jurisdictions, rulebook)
    except UnknownJurisdictionError as error:
        fail(str(error))


def _assess_all(profiles: list[Profile], rulebook: Rulebook, as_of: date | None,
                jurisdictions: list[str] | None, role: str | None) -> list[Assessment]:
    codes = _codes(jurisdictions, rulebook)
    return [assess_profile(p, rulebook, as_of=as_of, jurisdictions=codes, role=role)
            for p in profiles]




@click.group(cls=ErrorReportingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="comity")
def main() -> None:
    """Comity: AI laws of many jurisdictions as cited, dated rules.

    Describe an AI system once (profile format v1), then assess it:

        comity assess examples/cv-screener.yaml
    """


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_common_options
@click.option("--role", type=click.Choice(ROLES),
              help="Only the obligations of this operator role; 'mine': the roles the "
                   "profile states (roles:), with provider duties moved to you where the "
                   "law deems you the provider (AI Act, Art. 25).")
@click.option("--format", "output", type=click.Choice(["table", "json", "markdown", "html"]),
              default="table", show_default=True, help="Output format.")
@click.option("--output", "-o", "destination", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--trace/--no-trace", default=False, show_default=True,
              help="Include the evaluation trace (comity.trace.v1) in JSON output.")
@click.option("--save", is_flag=True,
              help="Store the results, pinned to input hash and rulebook version.")
@db_option
def assess(path: Path, jurisdictions: list[str] | None, as_of: date | None,
           rules_folder: Path | None, role: str | None, output: str,
           destination: Path | None, trace: bool, save: bool, url: str | None) -> None:
    """Assess the profile(s) in PATH (a file, or a folder of profile files).

    For each jurisdiction: in scope or not, tier, prohibitions, obligations, each with
    its citation, the date it applies from and the facts that triggered it.
    """
    if destination is not None and output == "table":
        fail("--output needs --format markdown, json or html")
    profiles = read_profiles(path)
    rulebook = _rulebook(rules_folder)
    if output == "json" and len(profiles) > 1 and not save:  # JSON Lines, memory flat
        stream_json_lines(profiles, rulebook, as_of=as_of, role=role, with_trace=trace,
                          jurisdictions=_codes(jurisdictions, rulebook),
                          destination=destination)
        if destination is not None:
            click.echo(f"wrote {destination}", err=True)
        return
    assessments = _assess_all(profiles, rulebook, as_of, jurisdictions, role)
    if save:
        with open_store(url) as store:
            ids = store.save_assessments([(a, p.model_dump(mode="json"))
                                          for a, p in zip(assessments, profiles, strict=True)])
        click.echo(f"saved assessment(s) {', '.join(map(str, ids))}", err=True)
    if output == "table":
        print_assessments(assessments, _console())
        return
    if output == "json":
        data = [a.to_dict(with_trace=trace) for a in assessments]
        text = json.dumps(data[0], indent=2, ensure_ascii=False) + "\n" if len(data) == 1 \
            else "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in data)
    elif output == "markdown":
        text = assessments_markdown(assessments)
    else:
        text = assessments_html(assessments, rulebook.duty_types)
    if destination is not None:
        _write_atomically(destination, text)
        click.echo(f"wrote {destination}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_common_options
@click.option("--rule", "rule_ids", multiple=True, metavar="ID",
              help="Only these rules (repeatable).")
@click.option("--all", "show_all", is_flag=True, help="Also show rules that do not hold.")
def explain(path: Path, jurisdictions: list[str] | None, as_of: date | None,
            rules_folder: Path | None, rule_ids: tuple[str, ...], show_all: bool) -> None:
    """Show the evaluation trace as a tree: rule, citation, condition, fact seen."""
    profiles = read_profiles(path)
    rulebook = _rulebook(rules_folder)
    unknown = sorted(set(rule_ids) - {rule.id for rule in rulebook.rules()})
    if unknown:
        fail(f"unknown rule {', '.join(unknown)}; see 'comity rules list'")
    console = _console()
    for assessment in _assess_all(profiles, rulebook, as_of, jurisdictions, None):
        console.print(Text.assemble(rich_text(assessment.profile_id, "bold"), " — ",
                                    rich_text(assessment.profile_name)))
        for result in assessment.results:
            console.print(trace_tree(result, set(rule_ids) or None, show_all))


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate(path: Path) -> None:
    """Check that PATH holds valid profiles (exit code 2 and the problems if not)."""
    profiles = read_profiles(path)
    click.echo(f"{path}: {len(profiles)} valid profile(s): "
               f"{', '.join(p.id for p in profiles)}")
    for profile in profiles:
        for warning in profile_warnings(profile):
            click.echo(f"warning: {path}: profile {profile.id!r}: {warning}", err=True)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_common_options
@click.option("--format", "output", type=click.Choice(["table", "json", "markdown", "html"]),
              default="table", show_default=True, help="Output format.")
@click.option("--output", "-o", "destination", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
def compare(path: Path, jurisdictions: list[str] | None, as_of: date | None,
            rules_folder: Path | None, output: str, destination: Path | None) -> None:
    """Compare jurisdictions for the profile(s) in PATH (one profile or a portfolio).

    Side by side (scope, tier, common tier, prohibitions), a duty matrix by common duty
    type, one deduplicated plan, and a divergence index per pair of jurisdictions
    (docs/comparison.md).
    """
    if destination is not None and output == "table":
        fail("--output needs --format markdown, json or html")
    profiles = read_profiles(path)
    rulebook = _rulebook(rules_folder)
    codes = _codes(jurisdictions, rulebook)
    portfolio = compare_portfolio(profiles, rulebook, as_of=as_of, jurisdictions=codes)
    text = _comparison_text(portfolio, output)
    if destination is not None and text is not None:
        _write_atomically(destination, text)
        click.echo(f"wrote {destination}")
    elif text is None:
        print_portfolio(portfolio, _console())
    else:
        click.echo(text, nl=False)


def _comparison_text(portfolio: PortfolioComparison, output: str) -> str | None:
    if output == "json":
        data = portfolio.to_dict()
        payload = data["profiles"][0] if len(portfolio.comparisons) == 1 else data
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if output == "markdown":
        return portfolio_markdown(portfolio)
    if output == "html":
        return portfolio_html(portfolio)
    if output == "table":
        return None
    raise AssertionError(output)


_write_atomically = write_text_atomically


@main.command()
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_split_codes,
              metavar="CODE", help="Jurisdictions to compare. Default: all with a ban.")
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Bans in force on this date. Default: today.")
@click.option("--format", "output", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True)
def redlines(jurisdictions: list[str] | None, as_of: date | None, output: str) -> None:
    """List each regime's prohibitions mapped to common redlines: shared by all, some, one."""
    rulebook = default_rulebook()
    codes, lines = common_redlines(rulebook, jurisdictions=_codes(jurisdictions, rulebook),
                                   as_of=as_of)
    if output == "json":
        click.echo(json.dumps({"jurisdictions": codes,
                               "redlines": [line.to_dict(codes) for line in lines]},
                              indent=2, ensure_ascii=False))
    elif output == "markdown":
        click.echo(redlines_markdown(codes, lines), nl=False)
    else:
        _console().print(redlines_table(codes, lines))


main.add_command(db)
main.add_command(search)
main.add_command(plan)
main.add_command(oscal)
main.add_command(ca_aia)
main.add_command(assessments)
main.add_command(questions)
main.add_command(interview)
main.add_command(intake)
main.add_command(batch)
for command in COOPERATION_COMMANDS: main.add_command(command)  # noqa: E701
main.add_command(serve)
main.add_command(token)
main.add_command(audit)
main.add_command(watch)
main.add_command(mcp_command)


@main.group()
def rules() -> None:
    """List, show and test the rules of the rulebook."""


@rules.command("list")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_split_codes,
              metavar="CODE", help="Only these jurisdictions.")
@click.option("--kind", type=click.Choice(get_args(RuleKind)),
              help="Only rules of this kind.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def rules_list(jurisdictions: list[str] | None, kind: str | None, output: str) -> None:
    """List rules with their citations and dates."""
    rulebook = default_rulebook()
    codes = _codes(jurisdictions, rulebook)
    selected = [r for r in rulebook.rules()
                if (not codes or r.jurisdiction in codes)
                and (kind is None or r.spec.kind == kind)]
    if output == "json":
        click.echo(json.dumps([
            {"id": r.id, "jurisdiction": r.jurisdiction, "kind": r.spec.kind,
             "title": r.spec.title, "citation": r.citation,
             "in_force_from": r.spec.in_force.start.isoformat(),
             "applies_from": str(r.spec.applies_from or r.spec.in_force.start)}
            for r in selected], indent=2))
        return
    regimes = len({r.jurisdiction for r in selected})
    print_rules_table(selected, f"Rulebook {rulebook.version_id}: {len(selected)} rules "
                      f"in {regimes} regime{'s' if regimes != 1 else ''}", _console())


@rules.command("changelog")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def rules_changelog(output: str) -> None:
    """What changed in the rules since the previous rulebook version (from the data)."""
    from comity.rulebook.changelog import changelog

    log = changelog(default_rulebook())
    if output == "json":
        click.echo(json.dumps(log, indent=2))
        return
    table = Table(title=f"Rulebook {log['version']}: changes since {log['since'] or '(none)'}")
    for column in ("Rule", "Change", "Fields", "Reason"):
        table.add_column(column, overflow="fold")
    for change in log["changes"]:
        table.add_row(change["rule"], change["kind"], ", ".join(change.get("fields", [])),
                      change.get("reason", "—"))
    _console().print(table)
    counts = ", ".join(f"{kind} {count}" for kind, count in log.get("counts", {}).items())
    click.echo(counts or "no changes")


@rules.command("show")
@click.argument("rule_id")
@click.option("--format", "output", type=click.Choice(["page", "json"]), default="page",
              show_default=True, help="A readable page, or the raw rule record as JSON.")
def rules_show(rule_id: str, output: str) -> None:
    """Show one rule: citation, dates, summary, interpretation, condition, cases."""
    rulebook = default_rulebook()
    try:
        rule = rulebook.rule(rule_id)
    except KeyError:
        fail(f"no rule {rule_id!r}; see 'comity rules list'")
    if output == "page":
        _console().print(rule_page(rule, rulebook))
        return
    data = rule.spec.model_dump(mode="json", by_alias=True, exclude_none=True,
                                exclude_defaults=True)
    data = {"citation_text": rule.citation, "source": Path(rule.source).name, **data}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@rules.command("test")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_split_codes,
              metavar="CODE", help="Only the cases and rules of these jurisdictions.")
@click.option("--mutations", is_flag=True,
              help="Also check that each rule's cases pin its condition: replace the "
                   "condition by 'always' and by 'never' and report what no case notices.")
def rules_test(jurisdictions: list[str] | None, mutations: bool) -> None:
    """Run every rule's YAML cases and check each rule has positive and negative cases."""
    rulebook = default_rulebook()
    jurisdictions = _codes(jurisdictions, rulebook)
    folders = {rulebook.jurisdictions[c].folder for c in jurisdictions or []}
    failed = passed = 0
    for path in case_files(rulebook):
        if folders and path.parent not in folders:
            continue
        for case in load_cases(path):
            failures = run_case(case, rulebook)
            if failures:
                failed += 1
                click.echo(f"FAIL {path.name}: {case.spec.name}\n  " + "\n  ".join(failures))
            else:
                passed += 1
    gaps = coverage_gaps(rulebook, jurisdictions)
    for gap in gaps:
        click.echo(f"MISSING {gap}")
    click.echo(f"{passed} passed, {failed} failed")
    report = mutation_report(rulebook, jurisdictions=jurisdictions) if mutations else None
    if report is not None:
        for survivor in report.unexplained:
            click.echo(f"SURVIVOR {survivor.describe()}")
        for rule_id in report.idle_negatives:
            click.echo(f"IDLE {rule_id}: no negative case evaluates the rule "
                       "(all are out of scope or before it is in force)")
        for rule_id in report.stale_notes:
            click.echo(f"STALE {rule_id}: 'unpinned' note, but the cases pin the condition")
        explained = len(report.survivors) - len(report.unexplained)
        click.echo(f"mutations: {report.rules_checked} rules, {report.mutants} mutants, "
                   f"{len(report.unexplained)} unexplained survivors "
                   f"({explained} explained), {len(report.idle_negatives)} rules with idle "
                   f"negatives")
    if failed or gaps or (report is not None and not report.passed):
        sys.exit(1)


@main.command()
@click.argument("field", required=False, type=click.Choice(list(controlled_lists())))
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def vocab(field: str | None, output: str) -> None:
    """Show the controlled lists of the profile format (all, or one FIELD).

    Every field is described in docs/profile.md.
    """
    lists = {name: values for name, values in controlled_lists().items()
             if field in (None, name)}
    if output == "json":
        click.echo(json.dumps(lists, indent=2, ensure_ascii=False))
        return
    words = vocabulary()
    if "uses" in lists:
        table = Table(title="uses")
        table.add_column("tag", style="cyan", no_wrap=True)
        table.add_column("meaning")
        for tag in lists.pop("uses"):
            table.add_row(tag, words.uses[tag])
        _console().print(table)
    for name, defined in (("decision_roles", words.decision_roles),
                          ("government_levels", words.government_levels)):
        if lists.pop(name, None) is not None:
            table = Table(title=name)
            table.add_column("value", style="cyan", no_wrap=True)
            table.add_column("meaning")
            for value, meaning in defined.items():
                table.add_row(value, meaning)
            _console().print(table)
    for name, values in lists.items():
        click.echo(f"{name}: {', '.join(values)}")


@main.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)))
def schema(name: str) -> None:
    """Print the JSON Schema of a format: profile, rules, jurisdiction, export, or the intake
    mapping and cue files.

    The same files are published in the repository's schemas/ folder.
    """
    click.echo(schema_text(name), nl=False)
