"""Every analysis rule, case by case: tests/rules/cases.yaml (its schema is at its top).

A positive case asserts that the rule decided the item expected and that the item holds
the values expected; a negative case, a near miss, asserts that the rule decided nothing
in the passage (and, where given, what happens instead). A case with `rule_off` also
analyses the passage with the rule switched off and asserts that the result differs (or
stays the same): the test for passes that only remove candidates and leave no name behind.
Every positive case must also fail with its rule switched off: the rule is what decides it.
Every rule needs a positive and a negative case that hold today (xfail cases do not count).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.analyse import Analyser
from briefing.analyse.headline import HEADLINE_SENTENCE
from briefing.analyse.order import RULES
from briefing.analyse.tables import without_rules
from briefing.ingest.text import parse_article
from briefing.models import Actor, Analysis, Claim, Forecast

CASES_PATH = Path(__file__).resolve().parent / "rules" / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))
KEYS = {
    "rule", "positive", "text", "date", "xfail", "effect_only", "rule_off",
    "claim", "forecast", "actor", "dropped", "no_claim", "no_forecast", "no_actor",
}  # fmt: skip


# Which item's provenance names a rule of each stage: a positive case's item of that sort
# must carry the rule; its other items are checked for their values only.
DECIDES = {
    "actor": "actor", "claim": "claim", "source": "claim", "description": "claim",
    "filter": "dropped", "attribution": "dropped", "span": "dropped", "forecast": "forecast",
    "continuation": "forecast", "likelihood": "forecast", "horizon": "forecast",
    "own_voice": "forecast", "quotation": "claim", "clause": "forecast", "headline": "forecast",
}  # fmt: skip


def case_id(n: int, case: dict[str, Any]) -> str:
    return f"{case['rule']}-{n}"


def params() -> list[Any]:
    out = []
    for n, case in enumerate(CASES):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        out.append(pytest.param(case, id=case_id(n, case), marks=marks))
    return out


def analyse(analyser: Analyser, case: dict[str, Any], off: frozenset[str] = frozenset()):
    article = parse_article(
        case["text"],
        article_id="case",
        source="case.txt",
        article_date=date.fromisoformat(str(case["date"])),
    )
    if off:
        analyser = Analyser(analyser.nlp, without_rules(analyser.tables, off))
    return analyser([article])


def claim_rules(claim: Claim) -> set[str]:
    return {claim.found_by, *claim.resolved_by.split()}


def forecast_rules(forecast: Forecast) -> set[str]:
    by = (forecast.decided_by, forecast.likelihood_by, forecast.horizon_by, forecast.continued_by)
    headline = forecast.claim is not None and forecast.claim.sentence == HEADLINE_SENTENCE
    found = {forecast.claim.found_by} if headline and forecast.claim else set()
    return {r for r in by if r} | set(forecast.split_by.split()) | found


def forecasts(analysis: Analysis) -> tuple[Forecast, ...]:
    return (*analysis.outlook, *analysis.own_outlook)


def every_rule(analysis: Analysis) -> set[str]:
    """Every rule named in the provenance of anything the analysis holds."""
    names: set[str] = set()
    for actor in analysis.actors:
        names.update(actor.made_by)
    for claim in analysis.claims:
        names |= claim_rules(claim)
    for forecast in forecasts(analysis):
        names |= forecast_rules(forecast)
    names.update(d.rule for d in analysis.dropped)
    return names


def summary(analysis: Analysis) -> tuple[Any, ...]:
    """What the analysis says, without its provenance: to compare with a rule off."""
    return (
        sorted((a.name, a.kind, tuple(sorted(a.aliases))) for a in analysis.actors),
        sorted((c.source, c.source_kind, c.cue, c.text, c.via or "") for c in analysis.claims),
        sorted(
            (f.source, f.text, f.likelihood.band if f.likelihood else "", str(f.horizon))
            for f in forecasts(analysis)
        ),
        sorted((d.rule, d.text) for d in analysis.dropped),
    )


def holds(text: str, want: dict[str, Any]) -> bool:
    """Whether an item's text holds the phrase a case gives for it (any case)."""
    return str(want.get("has", "")).lower() in text.lower()


def the_claim(analysis: Analysis, want: dict[str, Any], rule: str | None) -> Claim:
    found = [
        c
        for c in analysis.claims
        if holds(c.text, want) and (rule is None or rule in claim_rules(c))
    ]
    assert found, f"no claim holding {want.get('has', '')!r} by {rule}: {claims_seen(analysis)}"
    return found[0]


def claims_seen(analysis: Analysis) -> list[tuple[str, str, str, str]]:
    return [(c.source, c.cue, c.text, f"{c.found_by}/{c.resolved_by}") for c in analysis.claims]


def check_claim(claim: Claim, want: dict[str, Any]) -> None:
    seen: dict[str, str | None] = {
        "source": claim.source,
        "kind": claim.source_kind,
        "cue": claim.cue,
        "via": claim.via,
        "text": claim.text,
    }
    for key, value in want.items():
        if key != "has":
            assert seen[key] == value, f"claim {key}: {seen[key]!r}, expected {value!r}"


def the_forecast(analysis: Analysis, want: dict[str, Any], rule: str | None) -> Forecast:
    found = [
        f
        for f in forecasts(analysis)
        if holds(f.text, want) and (rule is None or rule in forecast_rules(f))
    ]
    seen = [(f.source, f.text, sorted(forecast_rules(f))) for f in forecasts(analysis)]
    assert found, f"no forecast holding {want.get('has', '')!r} by {rule}: {seen}"
    return found[0]


def check_forecast(forecast: Forecast, want: dict[str, Any]) -> None:
    horizon = forecast.horizon
    seen: dict[str, Any] = {
        "source": forecast.source,
        "kind": forecast.source_kind,
        "band": forecast.likelihood.band if forecast.likelihood else "unstated",
        "horizon_start": horizon.start if horizon else None,
        "horizon_end": horizon.end if horizon else None,
        "sentences": list(forecast.sentences),
    }
    for key, value in want.items():
        if key != "has":
            assert seen[key] == value, f"forecast {key}: {seen[key]!r}, expected {value!r}"


def the_actor(analysis: Analysis, want: dict[str, Any], rule: str | None) -> Actor:
    found = [
        a for a in analysis.actors if a.name == want["name"] and (rule is None or rule in a.made_by)
    ]
    seen = [(a.name, a.aliases, a.made_by) for a in analysis.actors]
    assert found, f"no actor {want['name']!r} made by {rule}: {seen}"
    actor = found[0]
    if "alias" in want:
        assert want["alias"] in actor.aliases, f"{want['alias']!r} not in {actor.aliases}"
    if "kind" in want:
        assert actor.kind == want["kind"]
    return actor


def check(analyser: Analyser, case: dict[str, Any], off: frozenset[str] = frozenset()) -> None:
    """Assert what the case says of its passage, analysed with the rules `off` switched off."""
    assert set(case) <= KEYS, f"unknown keys {set(case) - KEYS}"
    rule = case["rule"]
    analysis = analyse(analyser, case, off)
    positive = case["positive"] and not case.get("effect_only")
    section = DECIDES[rule.split(".")[0]]
    decided = {section: rule if positive else None}
    assert not positive or section in case, f"a positive {rule} case names its {section}"
    if not case["positive"]:
        assert rule not in every_rule(analysis), f"{rule} decided something here"
    if "claim" in case:
        check_claim(the_claim(analysis, case["claim"], decided.get("claim")), case["claim"])
    if "forecast" in case:
        forecast = the_forecast(analysis, case["forecast"], decided.get("forecast"))
        check_forecast(forecast, case["forecast"])
    if "actor" in case:
        the_actor(analysis, case["actor"], decided.get("actor"))
    if "dropped" in case:
        assert any(
            case["dropped"] in d.text and (d.rule == rule or not positive) for d in analysis.dropped
        ), f"no cue holding {case['dropped']!r} dropped by {rule}: {analysis.dropped}"
    if "no_claim" in case:
        assert not any(case["no_claim"] in c.text for c in analysis.claims), claims_seen(analysis)
    if "no_forecast" in case:
        phrase = case["no_forecast"].lower()
        assert not any(phrase in f.text.lower() for f in forecasts(analysis))
    if "no_actor" in case:
        assert case["no_actor"] not in {a.name for a in analysis.actors}
    if "rule_off" in case:
        changed = summary(analyse(analyser, case, off | {rule})) != summary(analysis)
        assert changed == (case["rule_off"] == "differs"), f"with {rule} off: changed={changed}"


@pytest.mark.parametrize("case", params())
def test_rule_case(analyser: Analyser, case: dict[str, Any]) -> None:
    check(analyser, case)


POSITIVE = [c for c in params() if c.values[0]["positive"] and not c.marks]


@pytest.mark.parametrize("case", POSITIVE)
def test_positive_case_needs_its_rule(analyser: Analyser, case: dict[str, Any]) -> None:
    """With its rule switched off, a positive case no longer holds: the rule is what decides."""
    with pytest.raises(AssertionError):
        check(analyser, case, frozenset({case["rule"]}))


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    unknown = sorted({c["rule"] for c in CASES} - set(RULES))
    assert not unknown, f"cases for rules not in RULES: {unknown}"
    have = Counter((c["rule"], bool(c["positive"])) for c in CASES if "xfail" not in c)
    lacking = []
    for rule in RULES:
        missing = [
            kind for kind, p in (("positive", True), ("negative", False)) if not have[rule, p]
        ]
        if missing:
            lacking.append(f"{rule}: no {' and no '.join(missing)} case")
    assert not lacking, "rules lacking a case in tests/rules/cases.yaml:\n" + "\n".join(lacking)
