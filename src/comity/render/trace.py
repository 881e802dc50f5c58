"""The evaluation trace as a tree: every rule, every condition, every fact it saw."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from comity.engine.results import JurisdictionResult, RuleTrace
from comity.rulebook.conditions import Check, truth_label

MARKS = {"holds": ("✔", "green"), "does_not_hold": ("✘", "red"),
         "undetermined": ("?", "yellow")}


def trace_tree(result: JurisdictionResult, rule_ids: set[str] | None = None,
               show_all: bool = False) -> Tree:
    """A tree of the rules evaluated for one jurisdiction.

    By default only rules that hold or are undetermined are shown (with the rules
    that defeated or nearly defeated them); ``show_all`` adds the rules that do not
    hold.
    """
    root = Tree(Text.assemble(
        (f"{result.name} ({result.jurisdiction})", "bold"),
        f" — tier {result.tier}, as of {result.as_of.isoformat()}, rulebook "
        f"{result.rulebook_version}"))
    for trace in result.trace:
        if rule_ids is not None and trace.rule_id not in rule_ids:
            continue
        if not show_all and rule_ids is None and trace.result is False:
            continue
        _add_rule(root, trace)
    return root


def _add_rule(parent: Tree, trace: RuleTrace) -> None:
    mark, style = MARKS[truth_label(trace.result)]
    label = Text.assemble((f"{mark} ", style), (trace.rule_id, "bold"), f"  {trace.citation}")
    if trace.defeated_by:
        label.append(f"  defeated by {', '.join(trace.defeated_by)}", style="red")
    node = parent.add(label)
    _add_check(node, trace.check)
    for exception in trace.exceptions:
        _add_rule(node.add(Text("exception", style="dim")), exception)


def _add_check(parent: Tree, check: Check) -> None:
    mark, style = MARKS[truth_label(check.result)]
    text = Text.assemble((f"{mark} ", style), check.test)
    if check.kind == "fact":
        text.append(f"  (saw: {check.to_dict()['saw']})", style="dim")
    node = parent.add(text)
    for child in check.children:
        _add_check(node, child)
