"""Horizons: a forecast's time phrase resolved to a date range from the article date.

"in the new year" said on 2023-12-28 is 2024-01-01..2024-12-31; "within the next week"
said on 2025-02-03 is 2025-02-03..2025-02-10. The rules are in docs/outlook.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from briefing.analyse.horizon_patterns import RULE_NAMES, RULES, Rule
from briefing.analyse.rules import Decided, stage
from briefing.models import Horizon

# Vague or bare phrases: they count only when no other rule reads a time phrase.
WEAK = frozenset({"horizon.soon", "horizon.long_run", "horizon.season_alone", "horizon.year_alone"})


@dataclass(frozen=True, slots=True)
class HorizonQuery:
    """A forecast's text (whitespace runs made one space) and the date it was said on."""

    text: str
    lowered: str
    today: date


# A time phrase that tells of the past: "earlier this year", "as they did in January",
# "have been falling for two years".
_PAST_BEFORE = re.compile(
    r"(?:\bearlier|\b(?:as|like|when|after|since) (?:\w+ ){0,3}(?:did|was|were|had|happened|came)"
    r"|\b(?:has|have|had) (?:been )?\w+)\s*$"
)


def _of_the_past(lowered: str, start: int) -> bool:
    """Whether the words just before a time phrase place it in the past."""
    return _PAST_BEFORE.search(lowered, max(0, start - 40), start) is not None


def _pattern_rule(
    pattern: re.Pattern[str], resolve: Rule, doc: str
) -> Callable[[HorizonQuery], tuple[int, Horizon] | None]:
    def apply(q: HorizonQuery) -> tuple[int, Horizon] | None:
        for match in pattern.finditer(q.lowered):
            try:
                start, end = resolve(match, q.today)
            except (ValueError, KeyError, OverflowError):
                continue
            if end < q.today or _of_the_past(q.lowered, match.start()):
                continue
            return match.start(), Horizon(
                text=q.text[match.start() : match.end()], start=start, end=end
            )
        return None

    apply.__doc__ = doc
    return apply


HORIZON = stage(
    "horizon",
    "a forecast's time phrase as dates; of every rule's answer the earliest in the text wins,"
    " the vague ones (soon, over time, a year alone) only when no other answers",
    *(
        (name, _pattern_rule(pattern, resolve, doc))
        for (name, doc), (pattern, resolve) in zip(RULE_NAMES, RULES, strict=True)
    ),
)


def _rank(found: Decided[tuple[int, Horizon]]) -> tuple[bool, int, int]:
    """Strong before weak, then the earliest, then the longest phrase at that place."""
    return found.rule in WEAK, found.value[0], -len(found.value[1].text)


def find_horizon(
    text: str, today: date, off: frozenset[str] = frozenset()
) -> Decided[Horizon] | None:
    """The earliest (and longest) time phrase in text that names the future, and the rule
    that read it."""
    best: Decided[tuple[int, Horizon]] | None = None
    text = " ".join(text.split())  # hard-wrapped lines: "next\nmonth" is "next month"
    for found in HORIZON.each(HorizonQuery(text, text.lower(), today), off):
        if best is None or _rank(found) < _rank(best):
            best = found
    return Decided(best.rule, best.value[1]) if best else None


def resolve_horizon(text: str, today: date) -> Horizon | None:
    """The earliest time phrase in text that names the future, with its date range."""
    found = find_horizon(text, today)
    return found.value if found else None
