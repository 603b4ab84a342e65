"""The analysis, stage by stage, in the order it runs on each article: the algorithm.

1. `ACTOR` passes find the names of the article and merge their aliases;
2. per sentence, `CLAIM_CUES` and `CLAIM_PHRASES` find cues with their speakers and what
   was said, `FILTER` drops cues that make no claim, `SOURCE` (with `DESCRIPTION`) names
   each speaker, `ATTRIBUTION` keeps one claim per attribution and `SPAN` drops empty ones;
   a sentence with no cue that goes on quoting is the last speaker's (`RUN_ON`);
   an attributed headline gives its source a claim (`HEADLINE`);
3. per claim, `CLAUSE` cuts what was said into clauses that stand alone, `FORECAST` decides
   whether it (or each of two or more clauses) is outlook, `CONTINUATION` carries it over the
   next sentences, `LIKELIHOOD` gives its band and `HORIZON` its dates;
4. per sentence with no claim, `OWN_VOICE` keeps the article's own forecasts apart.

docs/rules.md is generated from this list (`python -m briefing.analyse.order`).
"""

from __future__ import annotations

from typing import Any

from briefing.analyse.actors import ACTOR
from briefing.analyse.claim_filters import ATTRIBUTION, FILTER, SPAN
from briefing.analyse.claims import CLAIM_CUES, CLAIM_PHRASES
from briefing.analyse.clauses import CLAUSE
from briefing.analyse.descriptions import DESCRIPTION
from briefing.analyse.headline import HEADLINE
from briefing.analyse.horizon import HORIZON
from briefing.analyse.likelihood import LIKELIHOOD
from briefing.analyse.outlook import CONTINUATION, FORECAST, OWN_VOICE
from briefing.analyse.rules import Stage, rule_names
from briefing.analyse.run_on import RUN_ON
from briefing.analyse.sources import SOURCE

STAGES: tuple[Stage[Any, Any], ...] = (
    ACTOR,
    CLAIM_CUES,
    CLAIM_PHRASES,
    FILTER,
    SOURCE,
    DESCRIPTION,
    ATTRIBUTION,
    SPAN,
    RUN_ON,
    HEADLINE,
    CLAUSE,
    FORECAST,
    CONTINUATION,
    LIKELIHOOD,
    HORIZON,
    OWN_VOICE,
)
RULES: tuple[str, ...] = rule_names(STAGES)


def rules_markdown() -> str:
    """docs/rules.md: every rule in order with its one-line description."""
    lines = [
        "# The analysis rules",
        "",
        "Generated from `briefing/analyse/order.py` by `python -m briefing.analyse.order`;",
        "a test keeps it in sync. Each stage runs its rules in this order: a *sieve* stops at",
        "the first rule that answers, *finders* keep every answer, *passes* each work on what",
        "the pass before found. `briefing context --explain` shows the rules behind each item,",
        "`briefing eval CORPUS --by-rule` scores each rule and `--without RULE` switches one off.",
        "",
    ]
    for stage in STAGES:
        lines += [f"## `{stage.name}`: {stage.summary}", ""]
        lines += [f"- `{rule.name}`: {rule.description}" for rule in stage.rules]
        lines.append("")
    lines += ADDING_A_RULE
    return "\n".join(lines)


ADDING_A_RULE = [
    "## Adding a rule",
    "",
    "1. Write the rule as a function of the stage's query (5–25 lines) in the stage's module;",
    "   its docstring's first line quotes the wire-copy sentence it exists for.",
    '2. Add one line `("name", function)` to the stage in its place in the order; word lists',
    "   go to `briefing/data/words.yaml`.",
    "3. Add a positive and a negative case to `tests/rules/cases.yaml`; `tests/test_rules.py`",
    "   fails for a rule without both.",
    "4. Regenerate this file (`python -m briefing.analyse.order > docs/rules.md`) and the",
    "   analysis snapshot (`python -m tests.snapshot --write`), then measure with",
    "   `briefing eval ../shared/corpus --by-rule` and `--without analysis.your_rule`.",
    "",
]

if __name__ == "__main__":
    print(rules_markdown(), end="")
