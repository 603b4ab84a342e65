"""`briefing eval --by-rule`: how often each analysis rule fired and how often it was right.

Each item of the analysis carries the rules that made it (found_by, resolved_by, decided_by,
likelihood_by, horizon_by, made_by; dropped cues their filter). Against an article's
annotations a rule is judged where the annotation can tell:

- an actor rule is right when the actor it made is an annotated actor;
- a claim finder is right when its claim holds an annotated claim's or forecast's key phrase;
- a source rule is judged on such matched claims: right when the source is the annotated one;
- a filter is right when what it dropped is no annotated claim that nothing kept holds;
- a forecast rule is right when its forecast holds an annotated forecast's key phrase;
- likelihood and horizon rules are judged on matched forecasts: the band exact, the horizon
  overlapping the annotated phrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefing.analyse.headline import HEADLINE_SENTENCE
from briefing.evaluate_guide import BAND_NAMES, holds, name_forms
from briefing.models import Analysis


@dataclass(frozen=True, slots=True)
class GoldItem:
    """An annotated claim or forecast: its source's names and key phrase."""

    names: frozenset[str]
    key: str
    band: str | None = None  # None: unstated
    horizon: str | None = None


@dataclass(frozen=True, slots=True)
class Gold:
    """One article's annotations, in either corpus format."""

    actors: tuple[frozenset[str], ...]
    claims: tuple[GoldItem, ...]
    outlook: tuple[GoldItem, ...]


def gold_of_guide(ann: dict[str, Any]) -> Gold:
    """The annotations of a real-article corpus entry (annotations.yaml)."""
    actors = {
        a["canonical"]: frozenset(name_forms([a["canonical"], *(a.get("aliases_in_text") or [])]))
        for a in ann.get("actors") or []
    }

    def names(source: str) -> frozenset[str]:
        return actors.get(source, frozenset(name_forms([source])))

    return Gold(
        actors=tuple(actors.values()),
        claims=tuple(
            GoldItem(names(c["source"]), c["key_phrase"]) for c in ann.get("claims") or []
        ),
        outlook=tuple(
            GoldItem(
                names(o["source"]),
                o["key_phrase"],
                BAND_NAMES.get(o.get("icd203_band"), o.get("icd203_band")),
                o.get("horizon"),
            )
            for o in ann.get("outlook") or []
        ),
    )


def gold_of_project(ann: dict[str, Any]) -> Gold:
    """The annotations of a tests/corpus article (NAME.yaml)."""
    actors = {a["name"]: frozenset(name_forms([a["name"], *(a.get("aliases") or [])]))
              for a in ann.get("actors") or []}  # fmt: skip

    def names(source: str) -> frozenset[str]:
        return actors.get(source, frozenset(name_forms([source])))

    sourced = [o for o in ann.get("outlook") or [] if not o.get("own_voice")]
    return Gold(
        actors=tuple(actors.values()),
        claims=tuple(GoldItem(names(c["source"]), c["key"]) for c in ann.get("claims") or []),
        outlook=tuple(
            GoldItem(names(o["source"]), o["key"], o.get("band"), o.get("horizon")) for o in sourced
        ),
    )


@dataclass
class Tally:
    """One rule's record: times fired, times the annotation could judge, times right."""

    fired: int = 0
    judged: int = 0
    right: int = 0

    @property
    def precision(self) -> float | None:
        return self.right / self.judged if self.judged else None


@dataclass
class RuleReport:
    """Tallies by rule name over a corpus."""

    tallies: dict[str, Tally] = field(default_factory=dict)

    def note(self, rules: Iterable[str], judged: bool, right: bool) -> None:
        for rule in rules:
            tally = self.tallies.setdefault(rule, Tally())
            tally.fired += 1
            tally.judged += judged
            tally.right += judged and right


def _source_right(source: str, names: frozenset[str], forms: Sequence[set[str]]) -> bool:
    mine = name_forms([source])
    return bool(mine & names) or any(mine & f and f & names for f in forms)


def score_rules(analysis: Analysis, gold: Gold, report: RuleReport) -> None:
    """Add one article's rule tallies to the report."""
    forms = [name_forms([a.name, *a.aliases]) for a in analysis.actors]
    known = set().union(*gold.actors) if gold.actors else set()
    for actor, held in zip(analysis.actors, forms, strict=True):
        report.note(actor.made_by, True, bool(held & known))
    said = gold.claims + gold.outlook
    for claim in analysis.claims:
        hits = [g for g in said if holds(claim.text, g.key)]
        report.note([claim.found_by], True, bool(hits))
        right = any(_source_right(claim.source, g.names, forms) for g in hits)
        report.note(claim.resolved_by.split(), bool(hits), right)
    kept = [c.text for c in analysis.claims]
    for drop in analysis.dropped:
        lost = [
            g for g in said if holds(drop.text, g.key) and not any(holds(k, g.key) for k in kept)
        ]
        report.note([drop.rule], True, not lost)
    for forecast in analysis.outlook:
        hits = [g for g in gold.outlook if holds(forecast.text, g.key)]
        report.note([forecast.decided_by], True, bool(hits))
        if forecast.claim is not None and forecast.claim.sentence == HEADLINE_SENTENCE:
            report.note([forecast.claim.found_by], True, bool(hits))  # its headline rule
        if forecast.continued_by:
            report.note([forecast.continued_by], bool(hits), True)
        report.note(forecast.split_by.split(), True, bool(hits))
        band = forecast.likelihood.band if forecast.likelihood else None
        report.note(
            [forecast.likelihood_by or "likelihood.none"],
            bool(hits),
            any(g.band == band for g in hits),
        )
        with_horizon = [g for g in hits if g.horizon]
        if forecast.horizon_by and forecast.horizon is not None:
            got = forecast.horizon.text
            right = any(
                holds(got, g.horizon or "", 0.6) or holds(g.horizon or "", got, 0.6)
                for g in with_horizon
            )
            report.note([forecast.horizon_by], bool(with_horizon), right)
    for forecast in analysis.own_outlook:
        report.note([forecast.decided_by], False, False)


def rule_table(report: RuleReport, order: Sequence[str]) -> list[str]:
    """The report as lines, rules in their declared order, those that never fired last."""
    lines = [f"{'rule':40s} {'fired':>6s} {'judged':>6s} {'right':>6s} {'precision':>9s}"]
    names = [n for n in order if n in report.tallies] + sorted(set(report.tallies) - set(order))
    for name in names:
        t = report.tallies[name]
        p = f"{t.precision:9.3f}" if t.precision is not None else f"{'-':>9s}"
        lines.append(f"{name:40s} {t.fired:6d} {t.judged:6d} {t.right:6d} {p}")
    silent = [n for n in order if n not in report.tallies]
    if silent:
        lines.append("never fired: " + ", ".join(silent))
    return lines
