"""Definite descriptions: what 'the minister', 'the bank', 'the group' refers back to.

`DESCRIPTION` is a sieve of its own, run by the source rules `source.member_body` and
`source.definite_description`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.analyse.rules import Decided, stage
from briefing.analyse.source_query import Source, SourceQuery


@dataclass(frozen=True, slots=True)
class DescriptionQuery:
    """A definite description and the actors it may refer back to."""

    source: SourceQuery
    noun: str
    word: re.Pattern[str]
    nouns: frozenset[str]
    before: tuple[str, ...]  # actor keys, latest first

    def titled(self, name: str) -> bool:
        """A person whose title's head word is the description's noun."""
        actor = self.source.actors.actors.get(name)
        if actor is None or actor.kind != "person" or not actor.description:
            return False
        # the title's head word: "chairwoman of the Commission" is no commission,
        # nor is "commission chairman"
        head = re.split(r"\b(?:of|at|for|in|who|from|with)\b|,", actor.description)[0].split()
        last = head[-1].lower() if head else ""
        return any(last.startswith(n) or f"-{n}" in last for n in self.nouns)

    def words(self, name: str) -> frozenset[str]:
        return self.source.words(name)


def _description_query(q: SourceQuery) -> DescriptionQuery:
    noun = q.subject.lemma_.lower()
    experts = q.words("expert_nouns")
    spans = q.actors.mention_spans
    # latest first; what the source says before the cue only when nothing earlier fits
    # ("Peru's minister resigned, the government said")
    before = [key for start, _, key in reversed(spans) if start < q.until]
    before += [key for start, _, key in reversed(spans) if q.until <= start < q.subject.i]
    return DescriptionQuery(
        source=q,
        noun=noun,
        word=re.compile(rf"\b{re.escape(noun)}", re.IGNORECASE),
        nouns=experts if noun in experts else frozenset({noun}),
        before=tuple(before),
    )


def titled_speaker(d: DescriptionQuery) -> Source | None:
    """'the minister said': the last person speaking whose title ends in 'minister'
    ('the analyst' also takes a 'political scientist')."""
    for name, kind in reversed(d.source.speakers.history):
        if kind == "person" and d.titled(name):
            return name, "person"
    return None


def titled_mention(d: DescriptionQuery) -> Source | None:
    """'the minister said': the last person so titled named before, speaking or not."""
    return next(((key, "person") for key in d.before if d.titled(key)), None)


def expert_speaking(d: DescriptionQuery) -> Source | None:
    """'the expert thinks', 'the analyst added': the person speaking last, when no one is
    titled so; an expert noun is how copy refers back to the person it quotes."""
    if d.noun not in d.words("expert_nouns"):
        return None
    return next(((n, k) for n, k in reversed(d.source.speakers.history) if k == "person"), None)


def unnamed_repeat(d: DescriptionQuery) -> Source | None:
    """'a senior official ... the official said': the earlier unnamed source."""
    for name, kind in reversed(d.source.speakers.history):
        if kind == "unnamed" and d.word.search(name):
            return name, "unnamed"
    return None


def body_goes_on(d: DescriptionQuery) -> Source | None:
    """'X said ... . ..., the group warned': the body that spoke last goes on speaking."""
    history = d.source.speakers.history
    if not history:
        return None
    name, kind = history[-1]
    if kind in ("organisation", "media") and (
        d.noun in d.words("generic_bodies") or d.word.search(name)
    ):
        return name, kind
    return None


def statement_of_last(d: DescriptionQuery) -> Source | None:
    """'..., the statement said': the last named source's statement."""
    history = d.source.speakers.history
    if history and d.noun in d.words("report_nouns") and history[-1][1] != "unnamed":
        return history[-1]
    return None


def armed_body(d: DescriptionQuery) -> Source | None:
    """'the military said': the last armed body named ('Joint Chiefs of Staff')."""
    if d.noun not in ("military", "army"):
        return None
    for key in d.before:
        actor = d.source.actors.actors.get(key)
        if (
            actor is not None
            and actor.kind == "organisation"
            and d.words("military_words").intersection(actor.key.split())
        ):
            return key, actor.kind
    return None


def earlier_body(d: DescriptionQuery) -> Source | None:
    """'the bank said': the last body with 'Bank' in its name; 'the company' the last
    organisation; 'the government' the last state named."""
    for key in d.before:
        actor = d.source.actors.actors.get(key)
        if actor is None or actor.kind == "person":
            continue
        if actor.kind in ("organisation", "media") and d.word.search(actor.key):
            return key, actor.kind
        if d.noun in d.words("generic_bodies") and actor.kind in ("organisation", "media"):
            return key, actor.kind
        if d.noun in d.words("state_bodies") and actor.kind == "state":
            return key, "state"
    return None


def named_later(d: DescriptionQuery) -> Source | None:
    """'..., the electoral commission said' in the lead: the one such body named later."""
    bodies = [
        a
        for a in d.source.actors.actors.values()
        if a.kind in ("organisation", "media") and d.word.search(a.key)
    ]
    return (bodies[0].key, bodies[0].kind) if len(bodies) == 1 else None


DESCRIPTION = stage(
    "description",
    "what a definite description ('the minister', 'the bank') refers back to",
    ("titled_speaker", titled_speaker),
    ("titled_mention", titled_mention),
    ("expert_speaking", expert_speaking),
    ("unnamed_repeat", unnamed_repeat),
    ("body_goes_on", body_goes_on),
    ("statement_of_last", statement_of_last),
    ("armed_body", armed_body),
    ("earlier_body", earlier_body),
    ("named_later", named_later),
)


def description(q: SourceQuery) -> Decided[Source] | None:
    """The actor a definite description refers back to, by the DESCRIPTION sieve."""
    return DESCRIPTION.first(_description_query(q), q.tables.off)
