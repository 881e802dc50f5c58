"""Columnar assessment: every rule compiled once into polars expressions over a fact table.

The per-profile engine (:mod:`comity.engine.assess`) stays the reference and the only
source of traces. This module gives the same in-scope answer, tier, prohibitions,
obligations and undetermined findings for a whole table of profiles at once: each
condition becomes a boolean expression in which null stands for *undetermined*, and
polars' ``&``, ``|``, ``~``, ``any_horizontal`` and ``all_horizontal`` follow the same
Kleene logic as :mod:`comity.rulebook.conditions`.

Rules are computed in dependency order (a rule after the rules establishing the
conclusions it uses and after its exceptions), one ``with_columns`` per level, so each
rule is evaluated once per table, never once per profile.

New kinds of condition leaf register a compiler with :func:`register_leaf`; a leaf
without one is an :class:`UnsupportedConditionError` when the rulebook is compiled, not
a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import polars as pl

from comity.engine.assess import _rules_in_force
from comity.engine.fact_table import fact_schema
from comity.errors import ComityError
from comity.rulebook.conditions import (
    AllOf,
    Always,
    AnyOf,
    Condition,
    Established,
    FactTest,
    Needs,
    Not,
)
from comity.rulebook.loader import Jurisdiction, Rule, Rulebook

OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "jurisdiction": pl.String(),
    "in_scope": pl.Boolean(),
    "tier": pl.String(),
    "common_tier": pl.String(),
    "prohibitions": pl.List(pl.String()),
    "obligations": pl.List(pl.String()),
    "undetermined": pl.List(pl.String()),
}
"""The columns :meth:`ColumnarAssessor.assess` adds to the key columns it keeps."""

_UNDETERMINED = pl.lit(None, dtype=pl.Boolean())


class UnsupportedConditionError(ComityError):
    """A condition the columnar compiler has no form for (register one with register_leaf)."""


C = TypeVar("C")
LeafCompiler = Callable[[Any, "JurisdictionCompiler"], pl.Expr]
_LEAF_COMPILERS: dict[type, LeafCompiler] = {}


def register_leaf(kind: type[C]) -> Callable[[Callable[[C, JurisdictionCompiler], pl.Expr]],
                                             Callable[[C, JurisdictionCompiler], pl.Expr]]:
    """Register the columnar form of a condition leaf type (a decorator)."""

    def decorate(function: Callable[[C, JurisdictionCompiler], pl.Expr]
                 ) -> Callable[[C, JurisdictionCompiler], pl.Expr]:
        _LEAF_COMPILERS[kind] = function
        return function

    return decorate


@dataclass
class JurisdictionCompiler:
    """Compiles one jurisdiction's rules in force on one day into named columns."""

    jurisdiction: Jurisdiction
    day: date
    leaves: dict[str, pl.Expr]
    rules: list[Rule] = field(init=False)
    _exceptions: dict[str, list[Rule]] = field(init=False)
    _establishers: dict[str, list[Rule]] = field(init=False)
    _levels: dict[str, int] = field(init=False, default_factory=dict)
    _exprs: dict[str, pl.Expr] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.rules, self._exceptions, self._establishers = _rules_in_force(
            self.jurisdiction, self.day)

    @property
    def code(self) -> str:
        return self.jurisdiction.code

    def rule_column(self, rule: Rule) -> str:
        return f"{self.code}\x1frule\x1f{rule.id}"

    def output_column(self, name: str) -> str:
        return f"{self.code}\x1fout\x1f{name}"

    def leaf(self, key: str, expr: pl.Expr) -> pl.Expr:
        """A leaf test as a shared column: computed once however many rules use it."""
        name = f"\x1fleaf\x1f{key}"
        self.leaves.setdefault(name, expr.alias(name))
        return pl.col(name)

    def compile(self, condition: Condition) -> pl.Expr:
        """The condition as a Kleene boolean expression (null: undetermined)."""
        compiler = _LEAF_COMPILERS.get(type(condition))
        if compiler is None:
            raise UnsupportedConditionError(
                f"no columnar form for condition {type(condition).__name__} "
                f"in {self.code}; register one with comity.engine.columnar.register_leaf")
        return compiler(condition, self)

    def conclusion(self, name: str) -> pl.Expr:
        rules = self._establishers.get(name, [])
        if not rules:
            return pl.lit(False)
        return pl.any_horizontal([pl.col(self.rule_column(rule)) for rule in rules])

    def level(self, rule: Rule) -> int:
        """1 + the deepest rule this rule's value depends on (rules of leaves only: 1)."""
        if rule.id not in self._levels:
            deps = [*self._exceptions.get(rule.id, [])]
            for name in rule.condition.conclusions_used():
                deps += self._establishers.get(name, [])
            self._levels[rule.id] = 1 + max((self.level(dep) for dep in deps), default=0)
        return self._levels[rule.id]

    def rule_expr(self, rule: Rule) -> pl.Expr:
        """The rule's result after its exceptions, as in ``_Evaluation.rule_trace``."""
        result = self.compile(rule.condition)
        exceptions = self._exceptions.get(rule.id)
        if exceptions:
            columns = [pl.col(self.rule_column(e)) for e in exceptions]
            defeated = pl.any_horizontal([c.fill_null(False) for c in columns])
            doubt = pl.any_horizontal([c.is_null() for c in columns])
            result = (pl.when(defeated).then(pl.lit(False))
                      .when(result.fill_null(False) & doubt).then(_UNDETERMINED)
                      .otherwise(result))
        return result.alias(self.rule_column(rule))

    def stages(self) -> list[list[pl.Expr]]:
        """Rule columns grouped by dependency level (level 1 first)."""
        by_level: dict[int, list[pl.Expr]] = {}
        for rule in self.rules:
            by_level.setdefault(self.level(rule), []).append(self.rule_expr(rule))
        return [by_level[level] for level in sorted(by_level)]

    def outcome(self) -> Outcome:
        """In scope, tier and the filed rules, packed into integer columns.

        Filed as ``_jurisdiction_result`` files them: prohibitions and obligations that
        hold, and undetermined findings (the scope first), only where the system is or
        may be in scope.
        """
        in_scope = self.compile(self.jurisdiction.scope)
        reachable = in_scope.is_null() | in_scope  # "in_scope is not False"
        state = (pl.when(in_scope.is_null()).then(pl.lit(2, pl.UInt8))
                 .otherwise(in_scope.cast(pl.UInt8)))
        tier: Any = pl
        for index, entry in enumerate(self.jurisdiction.tiers, start=1):
            holds = reachable & self.compile(entry.condition).fill_null(False)
            tier = tier.when(holds).then(pl.lit(index, pl.UInt16))
        tier_expr = tier.otherwise(pl.lit(0, pl.UInt16)) if self.jurisdiction.tiers else pl.lit(
            0, pl.UInt16)
        filed: list[tuple[str, str]] = []
        bits: list[pl.Expr] = []
        for rule in self.rules:
            column = pl.col(self.rule_column(rule))
            kind = rule.spec.kind
            if kind in ("prohibition", "obligation"):
                filed.append((kind, rule.id))
                bits.append(reachable & column.fill_null(False))
            if kind not in ("scope", "exclusion", "exception"):
                filed.append(("undetermined", rule.id))
                bits.append(reachable & column.is_null())
        words = [
            pl.sum_horizontal([bit.cast(pl.UInt64) * pl.lit(1 << offset, pl.UInt64)
                               for offset, bit in enumerate(bits[start:start + WORD_BITS])])
            for start in range(0, len(bits), WORD_BITS)
        ]
        columns = [state, tier_expr, *words]
        names = [self.output_column(str(i)) for i in range(len(columns))]
        return Outcome(self.jurisdiction, [c.alias(n) for c, n in zip(columns, names,
                                                                     strict=True)],
                       names, filed)


WORD_BITS = 64


@dataclass(frozen=True)
class Outcome:
    """A jurisdiction's result per profile as integer columns, and how to read them back.

    Profiles share few distinct outcomes, so the id lists are built once per distinct
    outcome (see :meth:`ColumnarAssessor.assess`), not once per profile.
    """

    jurisdiction: Jurisdiction
    exprs: list[pl.Expr]
    names: list[str]
    filed: list[tuple[str, str]]  # (list it goes to, rule id), one per bit

    def decode(self, state: int, tier: int, words: Sequence[int]) -> dict[str, Any]:
        lists: dict[str, list[str]] = {"prohibitions": [], "obligations": [],
                                       "undetermined": []}
        if state == 2:
            lists["undetermined"].append(f"{self.jurisdiction.code.lower()}.scope")
        target = {"prohibition": "prohibitions", "obligation": "obligations",
                  "undetermined": "undetermined"}
        for index, (kind, rule_id) in enumerate(self.filed):
            if words[index // WORD_BITS] >> (index % WORD_BITS) & 1:
                lists[target[kind]].append(rule_id)
        entry = self.jurisdiction.tiers[tier - 1] if tier else None
        return {
            "jurisdiction": self.jurisdiction.code,
            "in_scope": None if state == 2 else bool(state),
            "tier": entry.name if entry else "out_of_scope",
            "common_tier": entry.common if entry else "out_of_scope",
            **lists,
        }


class ColumnarAssessor:
    """A rulebook compiled for one date and set of jurisdictions, applied to fact tables.

    >>> from datetime import date
    >>> from comity import default_rulebook, parse_profiles
    >>> from comity.engine.fact_table import facts_frame
    >>> [p] = parse_profiles({"profile": 1, "id": "x", "name": "X", "markets": ["US"]})
    >>> assessor = ColumnarAssessor(default_rulebook(), date(2026, 12, 1), ["EU"])
    >>> assessor.assess(facts_frame([p.facts()]), keep=["id"])["in_scope"].to_list()
    [False]
    """

    def __init__(self, rulebook: Rulebook, as_of: date,
                 jurisdictions: Iterable[str] | None = None) -> None:
        self.rulebook = rulebook
        self.as_of = as_of
        codes = list(jurisdictions) if jurisdictions is not None else list(
            rulebook.jurisdictions)
        self.codes = codes
        self._leaves: dict[str, pl.Expr] = {}
        compilers = [JurisdictionCompiler(rulebook.jurisdictions[code], as_of, self._leaves)
                     for code in codes]
        self._stages: list[list[pl.Expr]] = []
        for compiler in compilers:
            for depth, stage in enumerate(compiler.stages()):
                if depth == len(self._stages):
                    self._stages.append([])
                self._stages[depth] += stage
        self._outcomes = [compiler.outcome() for compiler in compilers]

    def assess(self, facts: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
        """One row per profile and jurisdiction, with the ``keep`` columns first.

        Rows come jurisdiction by jurisdiction (in the order asked), each with the
        profiles in table order: appending is free, interleaving is not.
        """
        frame = facts.lazy().with_columns(list(self._leaves.values()))
        for stage in self._stages:
            frame = frame.with_columns(stage)
        hashes = [pl.struct(outcome.names).hash(0).alias(f"\x1fhash{order}")
                  for order, outcome in enumerate(self._outcomes)]
        packed = frame.select(*keep, *(e for o in self._outcomes for e in o.exprs)
                              ).with_columns(hashes).collect()
        patterns = pl.concat([self._patterns(packed, order, outcome)
                              for order, outcome in enumerate(self._outcomes)]
                             ) if self._outcomes else _empty_patterns()
        long = pl.concat([
            packed.select(*keep, pl.lit(order, pl.UInt32).alias("\x1forder"),
                          pl.col(f"\x1fhash{order}").alias("\x1fhash"))
            for order in range(len(self._outcomes))
        ]) if self._outcomes else packed.select(*keep, pl.lit(0, pl.UInt32).alias(
            "\x1forder"), pl.lit(0, pl.UInt64).alias("\x1fhash")).clear()
        return long.join(patterns, on=["\x1forder", "\x1fhash"], how="left",
                         maintain_order="left").drop("\x1forder", "\x1fhash")

    def _patterns(self, packed: pl.DataFrame, order: int, outcome: Outcome) -> pl.DataFrame:
        """The distinct outcomes of one jurisdiction, decoded into output rows."""
        hash_column = f"\x1fhash{order}"
        distinct = packed.select(hash_column, *outcome.names).unique()
        if distinct[hash_column].n_unique() != distinct.height:  # a hash collision: never
            raise ComityError(f"outcome hash collision in {outcome.jurisdiction.code}; "
                              "please report it")
        rows = []
        for key, state, tier, *words in distinct.iter_rows():
            rows.append({"\x1forder": order, "\x1fhash": key,
                         **outcome.decode(state, tier, words)})
        return pl.DataFrame(rows, schema=_PATTERN_SCHEMA)


_PATTERN_SCHEMA: dict[str, pl.DataType] = {"\x1forder": pl.UInt32(), "\x1fhash": pl.UInt64(),
                                           **OUTPUT_SCHEMA}


def _empty_patterns() -> pl.DataFrame:
    return pl.DataFrame(schema=_PATTERN_SCHEMA)


# ---- leaf compilers -------------------------------------------------------------------

@register_leaf(Always)
def _always(_: Always, __: JurisdictionCompiler) -> pl.Expr:
    return pl.lit(True)


@register_leaf(Needs)
def _needs(_: Needs, __: JurisdictionCompiler) -> pl.Expr:
    return _UNDETERMINED


@register_leaf(Established)
def _established(condition: Established, compiler: JurisdictionCompiler) -> pl.Expr:
    return compiler.conclusion(condition.name)


@register_leaf(AllOf)
def _all_of(condition: AllOf, compiler: JurisdictionCompiler) -> pl.Expr:
    return pl.all_horizontal([compiler.compile(item) for item in condition.items])


@register_leaf(AnyOf)
def _any_of(condition: AnyOf, compiler: JurisdictionCompiler) -> pl.Expr:
    return pl.any_horizontal([compiler.compile(item) for item in condition.items])


@register_leaf(Not)
def _not(condition: Not, compiler: JurisdictionCompiler) -> pl.Expr:
    return ~compiler.compile(condition.item)


@register_leaf(FactTest)
def _fact_test(test: FactTest, compiler: JurisdictionCompiler) -> pl.Expr:
    column = pl.col(test.fact)
    dtype = fact_schema()[test.fact]
    operator, value = test.operator, test.value
    if operator in ("in_set", "has_any_in_set"):
        value = compiler.jurisdiction.sets[value]
        key = f"{compiler.code}\x1f{test.fact}\x1f{operator}\x1f{test.value}"
    else:
        key = f"{test.fact}\x1f{operator}\x1f{sorted(value, key=str) if isinstance(value, frozenset | tuple) else value!r}"  # noqa: E501
    if operator == "known":
        return compiler.leaf(key, column.is_not_null() == pl.lit(value))
    return compiler.leaf(key, _fact_operation(column, dtype, operator, value))


def _fact_operation(column: pl.Expr, dtype: pl.DataType, operator: str, value: Any) -> pl.Expr:
    """One operator of :data:`comity.rulebook.conditions._OPERATIONS`, null-propagating."""
    if operator == "is_true":
        if dtype == pl.Boolean():
            return column
        return pl.when(column.is_null()).then(_UNDETERMINED).otherwise(pl.lit(False))
    if operator == "equals":
        return column == pl.lit(value)
    if operator in ("in", "in_set"):
        return column.is_in(sorted(value, key=str))
    if operator == "has":
        return column.list.contains(pl.lit(value))
    if operator in ("has_any", "has_any_in_set", "has_all"):
        values = sorted(value, key=str)
        common = column.list.set_intersection(pl.lit(values, dtype=pl.List(pl.String())))
        if operator == "has_all":
            return common.list.len() == len(values)
        return common.list.len() > 0
    comparisons: dict[str, Callable[[pl.Expr, Any], pl.Expr]] = {
        "gt": lambda c, v: c > v, "gte": lambda c, v: c >= v,
        "lt": lambda c, v: c < v, "lte": lambda c, v: c <= v,
    }
    if operator in comparisons:
        return comparisons[operator](column, pl.lit(value))
    raise UnsupportedConditionError(f"no columnar form for fact operator {operator!r}")
