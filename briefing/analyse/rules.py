"""Named rules in a declared order: the one mechanism every analysis stage is made of.

A stage holds its rules in order. `first` runs them as a sieve (the first rule that
answers decides); `each` runs them all as finders (every answer counts). Every answer
carries the name of the rule that gave it, so a claim knows which rule found it, which
resolved its source and which made it a forecast (`briefing context --explain`), and the
evaluation can score each rule on its own (`briefing eval --by-rule`). A rule switched off
(`briefing eval --without NAME`) is skipped as if it were not in the list.

Names are dotted lower case, stage first: `source.apposed_name`, `claim.according_to`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

Q = TypeVar("Q")  # what a stage's rules look at
A = TypeVar("A")  # what a rule answers

NAME = re.compile(r"^[a-z_]+(?:\.[a-z0-9_]+)+$")


@dataclass(frozen=True, slots=True)
class Rule(Generic[Q, A]):
    """One decision with a name: a function that answers, or returns None to pass."""

    name: str
    apply: Callable[[Q], A | None]

    @property
    def description(self) -> str:
        """The first line of the rule function's docstring."""
        doc = (self.apply.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


@dataclass(frozen=True, slots=True)
class Decided(Generic[A]):
    """An answer and the rule that gave it."""

    rule: str
    value: A


@dataclass(frozen=True, slots=True)
class Stage(Generic[Q, A]):
    """A stage's rules in their declared order."""

    name: str
    summary: str
    rules: tuple[Rule[Q, A], ...]

    def __post_init__(self) -> None:
        for rule in self.rules:
            if not NAME.match(rule.name) or not rule.name.startswith(self.name + "."):
                raise ValueError(f"rule {rule.name!r} is not named '{self.name}.<name>'")

    def first(self, query: Q, off: frozenset[str] = frozenset()) -> Decided[A] | None:
        """The answer of the first rule that gives one (a sieve)."""
        return next(self.each(query, off), None)

    def each(self, query: Q, off: frozenset[str] = frozenset()) -> Iterator[Decided[A]]:
        """Every rule's answer, in order (finders)."""
        for rule in self.rules:
            if rule.name in off:
                continue
            value = rule.apply(query)
            if value is not None:
                yield Decided(rule.name, value)

    def active(self, off: frozenset[str] = frozenset()) -> tuple[Rule[Q, A], ...]:
        """The rules not switched off, in order (for stages that run them as a chain)."""
        return tuple(r for r in self.rules if r.name not in off)


def stage(name: str, summary: str, *rules: tuple[str, Callable[[Q], A | None]]) -> Stage[Q, A]:
    """A stage from (rule name without the stage prefix, function) pairs, in order."""
    return Stage(name, summary, tuple(Rule(f"{name}.{short}", fn) for short, fn in rules))


def rule_names(stages: Iterable[Stage[object, object]]) -> tuple[str, ...]:
    """Every rule name of these stages, in order."""
    return tuple(rule.name for s in stages for rule in s.rules)
