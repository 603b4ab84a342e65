"""Outlook: forecasts of named sources, with horizon and ICD-203 likelihood.

Per claim, in order: `FORECAST` decides whether it is a forecast (a likelihood expression,
a forecasting verb, a plain will of change; never an unresolved pronoun's); `CONTINUATION`
extends it over the next sentences of the same source; `LIKELIHOOD`
(briefing/analyse/likelihood.py) gives its band and
`HORIZON` (briefing/analyse/horizon.py) its dates. A plain future ("will face a runoff next
month") is a schedule or an intent, not a forecast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from briefing.analyse.horizon import find_horizon, resolve_horizon
from briefing.analyse.likelihood import (
    LIKELIHOOD,
    LikelihoodQuery,
    find_epistemic_should,
    find_likelihood,
    find_probability,
)
from briefing.analyse.rules import Decided, stage
from briefing.analyse.tables import Tables
from briefing.models import Actor, Article, Claim, Forecast, Horizon, Likelihood


def _speaks_of_future(text: str, tables: Tables) -> bool:
    lowered = f" {text.lower()} "
    return any(
        re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", lowered) for m in tables.future_markers
    )


@lru_cache(maxsize=4)
def _will_change(verbs: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(verbs))
    return re.compile(
        rf"(?<![\w-])(?<!\bwe )(?<!\bi )(?<!\byou )will (?:\w+ly )?(?:{alternatives})\b",
        re.IGNORECASE,
    )


@dataclass(frozen=True, slots=True)
class ForecastQuery:
    """A claim and the tables, for the rules that decide whether it is a forecast."""

    claim: Claim
    tables: Tables


def unknown_source(q: ForecastQuery) -> bool | None:
    """'It could rise, he said' with no 'he' found: no forecast without a source."""
    claim = q.claim
    unresolved = claim.source.lower() in q.tables.words["forecast.pronouns"]
    return False if claim.source_kind == "unnamed" and unresolved else None


def revision(q: ForecastQuery) -> bool | None:
    """'The IMF cut its growth forecast for Kenya to 4.9 percent': a revised forecast with
    its new figure is the reviser's forecast."""
    return True if q.claim.found_by == "claim.forecast_revision" else None


def likelihood_word(q: ForecastQuery) -> bool | None:
    """'is likely to', 'could', 'expected to', 'a 60% chance': what was said states a
    likelihood."""
    text, tables = q.claim.text, q.tables
    stated = find_likelihood(text, tables) or find_probability(text, tables)
    return True if stated is not None else None


def forecast_verb(q: ForecastQuery) -> bool | None:
    """'The agency expects output to reach ...', 'X predicted': the cue is a forecasting verb."""
    return True if q.claim.cue_lemma in q.tables.forecast_cues else None


@lru_cache(maxsize=4)
def _stated_forecast(passive: frozenset[str], own: frozenset[str]) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:is|are|was|were|be|been)\s+(?:\w+ly\s+)?(?:{'|'.join(sorted(passive))})\s+to\s+"
        rf"(?!have\b)[a-z]+|\b(?:we|i)\s+(?:\w+ly\s+)?(?:now\s+|also\s+|still\s+)?"
        rf"(?:{'|'.join(sorted(own))})\s+(?!that\b)[a-z]+",
        re.IGNORECASE,
    )


def stated_forecast(q: ForecastQuery) -> bool | None:
    """'inflation is projected to average 2.4%', 'we project growth at 1.8%': what was
    said states a forecast with a forecasting verb of its own (band unstated); not 'was
    estimated to have killed' (the past)."""
    words = q.tables.words
    pattern = _stated_forecast(words["forecast.passive_forecasts"], words["forecast.own_forecasts"])
    return True if pattern.search(q.claim.text) else None


def epistemic_should(q: ForecastQuery) -> bool | None:
    """'the ruling party should win a majority', 'we should be able to ease policy':
    'should' of a belief about what comes is a forecast; 'should resign' is a directive."""
    return True if find_epistemic_should(q.claim.text, q.tables) is not None else None


def will_change(q: ForecastQuery) -> bool | None:
    """'supply will exceed demand': a plain will of a change in the world is a prediction,
    where 'will hold recounts' or 'we will issue warnings' is a schedule or an intent."""
    pattern = _will_change(q.tables.words["forecast.change_verbs"])
    return True if pattern.search(q.claim.text) else None


PLAIN_FUTURE = re.compile(
    r"(?<!\bwe )(?<!\bi )(?<!\byou )"
    r"(?:(?<![\w-])(?:will|would|won't|wouldn't|is set to|are set to)|'ll"
    r"|(?:(?<![\w-])(?:is|are|isn't|aren't)|'s|'re)(?: not)? going to)"
    r"(?: not| never)?(?: \w+ly)? (?P<verb>[a-z]+(?: [a-z]+)?)",
    re.IGNORECASE,
)


def plain_future(q: ForecastQuery) -> bool | None:
    """'exports will keep growing', 'this is going to be a very long winter',
    'said prices would fall': a named source's plain future is a prediction (band unstated),
    unless the cue is a vow or a demand or the future is a schedule ('will meet on Tuesday'),
    the speaker's own intent ('we will', 'its fighters would', 'they had refused and would')
    or what a proposal would do ('a step that would')."""
    claim = q.claim
    if (
        claim.source_kind in ("unnamed", "article")
        or claim.cue_lemma in q.tables.words["forecast.intent_cues"]
    ):
        return None
    if FIRST_PERSON.match(claim.text):
        return None  # '"We are monitoring ... and will issue warnings"': the speaker's intent
    schedule = q.tables.words["forecast.schedule_verbs"]
    text = claim.text.replace("’", "'")
    for match in PLAIN_FUTURE.finditer(text):
        verb = match["verb"].lower()
        if verb in schedule or verb.split()[0] in schedule:
            continue
        before = text[: match.start()]
        if _own_side(before, q.tables) or _describes_proposal(before, match[0], q.tables):
            continue
        return True
    return None


_PROPOSAL = re.compile(
    r"\b(?:a|an|the|any|another|this|such)\s+(?:[\w-]+\s+){0,2}?(?P<head>[a-z]+)\s+that\s*$"
)


def _describes_proposal(before: str, future: str, tables: Tables) -> bool:
    """'a step that would unlock emergency funds': a would in a restrictive relative clause
    says what a proposal or a step does, not what will happen."""
    if not future.lower().startswith("would"):
        return False
    found = _PROPOSAL.search(before)
    if found is None:
        return False
    head = found["head"]
    cues = tables.speech_cues
    verb = head in cues or head.removesuffix("s") in cues or head.endswith("ed")
    return not (verb or head in _PAST_CUES)


_PAST_CUES = frozenset(
    {"said", "told", "thought", "wrote", "knew", "felt"}
)  # 'the minister said that would'


def _own_side(before: str, tables: Tables) -> bool:
    """The future's subject is the speaker's side: a pronoun, 'the government', a state."""
    words = re.findall(r"[\w'-]+", before)[-3:]
    if not words:
        return True  # "..., would ..." with the subject outside the claim: the source itself
    last = words[-1]
    if last.lower() in tables.words["forecast.determiners"]:
        return True  # "the will of the people": a noun, no future
    if last.lower() in tables.words["forecast.own_side"]:
        return True
    if last.lower() in ("and", "but"):
        # "His party had been robbed and would ask for a recount": the subject it shares
        return _shared_subject_side(re.findall(r"[\w'-]+", before)[:2], tables)
    if _possessed_side(words[-2:], tables):
        return True
    states = _state_names(tables)
    return last in states or " ".join(words[-2:]) in states


def _shared_subject_side(words: list[str], tables: Tables) -> bool:
    """'They had cut rates twice and would ...', 'Its fighters had ... and would ...': the
    first clause's subject is a pronoun of the speaker's side (not an empty 'it looks') or
    the speaker's own people."""
    if len(words) == 2 and words[0].lower() in tables.words["forecast.pronouns"]:
        return words[1].lower() not in tables.words["forecast.empty_subject_verbs"]
    return _possessed_side(words, tables)


def _possessed_side(words: list[str], tables: Tables) -> bool:
    """'its fighters', 'his Unity Front': the speaker's own people or body."""
    if len(words) < 2 or words[0].lower() not in tables.words["forecast.possessives"]:
        return False
    own = tables.words["forecast.own_side"] | tables.words["forecast.own_people"]
    return words[1][:1].isupper() or words[1].lower() in own


# by id of the tables' actor tuple, kept with it so a reused id is never mistaken
_STATE_NAMES: dict[int, tuple[object, frozenset[str]]] = {}


def _state_names(tables: Tables) -> frozenset[str]:
    """Every alias of a state in the tables, computed once per table."""
    cached = _STATE_NAMES.get(id(tables.actors))
    if cached is None or cached[0] is not tables.actors:
        names = frozenset(a for e in tables.actors if e.kind == "state" for a in e.aliases)
        cached = _STATE_NAMES[id(tables.actors)] = (tables.actors, names)
    return cached[1]


def belief_future(q: ForecastQuery) -> bool | None:
    """'The analyst thinks that demand will not depend on ...': a view held of the future,
    whatever the verb ('depend', 'face') that a plain will of a schedule would be."""
    claim, tables = q.claim, q.tables
    return (
        True
        if claim.cue_lemma in tables.words["forecast.belief_cues"]
        and _speaks_of_future(claim.text, tables)
        else None
    )


FORECAST = stage(
    "forecast",
    "whether a claim is a forecast; the first rule that answers decides",
    ("unknown_source", unknown_source),
    ("revision", revision),
    ("likelihood_word", likelihood_word),
    ("forecast_verb", forecast_verb),
    ("stated_forecast", stated_forecast),
    ("epistemic_should", epistemic_should),
    ("belief_future", belief_future),
    ("will_change", will_change),
    ("plain_future", plain_future),
)


FIRST_PERSON = re.compile(r"^[\"“‘']?(?:I|We|Our|My)\b")


@dataclass(frozen=True, slots=True)
class ContinuationQuery:
    """The last sentence of a forecast and the claim of the sentence after it."""

    last: Claim
    next: Claim
    tables: Tables
    today: date


def next_sentence(q: ContinuationQuery) -> bool | None:
    """'Pyongyang would then ..., he added.': the same source goes on in the next sentence
    with a future; one with a likelihood word or a time phrase of its own is its own
    forecast (unless 'would then' ties it to the one before), and 'We will issue warnings' the
    speaker's intention."""
    nxt, tables = q.next, q.tables
    return (
        not FIRST_PERSON.match(nxt.text)
        and nxt.sentence == q.last.sentence + 1
        and nxt.source == q.last.source
        and nxt.cue_lemma in tables.words["continuation.cues"]
        and _speaks_of_future(nxt.text, tables)
        and find_likelihood(nxt.text, tables) is None
        and (_THEN.search(nxt.text) is not None or resolve_horizon(nxt.text, q.today) is None)
    ) or None


# "Outbreaks would then peak in late spring": 'then' ties the sentence to the forecast before,
# even with a time phrase of its own.
_THEN = re.compile(r"\b(?:will|would|could|may|might|should) then\b", re.IGNORECASE)


CONTINUATION = stage(
    "continuation",
    "whether the next claim carries a forecast on; the first rule that answers decides",
    ("next_sentence", next_sentence),
)


def _parts(claims: tuple[Claim, ...], n: int, tables: Tables, today: date) -> tuple[list[int], str]:
    """The claim at n and those that continue it (by index), with the rule that did it."""
    parts = [n]
    rule = ""
    for m in range(n + 1, len(claims)):
        query = ContinuationQuery(claims[parts[-1]], claims[m], tables, today)
        go_on = CONTINUATION.first(query, tables.off)
        if go_on is not None:
            parts.append(m)
            rule = go_on.rule
        elif claims[m].sentence > claims[parts[-1]].sentence + 1:
            break
    return parts, rule


def _horizon(parts: Sequence[Claim], today: date, off: frozenset[str]) -> Decided[Horizon] | None:
    return next((h for p in parts if (h := find_horizon(p.text, today, off)) is not None), None)


def extract_outlook(
    article: Article, claims: tuple[Claim, ...], actors: dict[str, Actor], tables: Tables
) -> tuple[Forecast, ...]:
    """Forecasts among an article's claims, continuations merged; a claim whose clauses are
    forecasts each (GUIDE.md: two forecasts in one sentence are two items) gives one each."""
    forecasts: list[Forecast] = []
    used: set[int] = set()
    for n, claim in enumerate(claims):
        if n in used:
            continue
        pieces = _pieces(claim, tables)
        if not pieces:
            continue
        indices, continued_by = _parts(claims, n, tables, article.date)
        used.update(indices[1:])
        actor = actors.get(claim.source)
        for k, (piece, decided) in enumerate(pieces):
            last = k == len(pieces) - 1
            parts = [piece] + ([claims[m] for m in indices[1:]] if last else [])
            likelihood = LIKELIHOOD.first(
                LikelihoodQuery(tuple(parts), article, tables), tables.off
            )
            horizon = _horizon(parts, article.date, tables.off)
            forecasts.append(
                Forecast(
                    source=claim.source,
                    source_kind=claim.source_kind,
                    source_description=actor.description if actor else None,
                    text=" ".join(_sentence_case(p.text) for p in parts),
                    horizon=horizon.value if horizon else None,
                    likelihood=likelihood.value if likelihood else None,
                    article=article.id,
                    sentences=tuple(sorted({p.sentence for p in parts})),
                    cue=claim.cue,
                    decided_by=decided.rule,
                    likelihood_by=likelihood.rule if likelihood else "",
                    horizon_by=horizon.rule if horizon else "",
                    continued_by=continued_by if last else "",
                    split_by=claim.split_by if len(pieces) > 1 else "",
                    claim=claim,
                )
            )
    return tuple(forecasts)


def _pieces(claim: Claim, tables: Tables) -> list[tuple[Claim, Decided[bool]]]:
    """The claim as one forecast, or its clauses when two or more are forecasts each."""
    clauses = [replace(claim, text=text, clauses=()) for text in claim.clauses]
    split = [
        (c, d)
        for c in clauses
        if (d := FORECAST.first(ForecastQuery(c, tables), tables.off)) is not None and d.value
    ]
    if len(split) >= 2:
        return split
    whole = FORECAST.first(ForecastQuery(claim, tables), tables.off)
    return [(claim, whole)] if whole is not None and whole.value else []


def _sentence_case(text: str) -> str:
    text = text.strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text + "."


@dataclass(frozen=True, slots=True)
class OwnVoiceQuery:
    """A sentence with no attributed claim."""

    text: str
    tables: Tables


def stated_likelihood(q: OwnVoiceQuery) -> Likelihood | None:
    """'Cuts are expected to come next year' with no source: the article's own forecast,
    when it states a likelihood that is not a bare modal."""
    likelihood = find_likelihood(q.text, q.tables)
    if likelihood is None or likelihood.cue.lower() in q.tables.words["likelihood.modal_cues"]:
        return None
    return likelihood


OWN_VOICE = stage(
    "own_voice",
    "forecasts in the article's own voice, kept apart from sourced outlook",
    ("stated_likelihood", stated_likelihood),
)


def own_voice_outlook(
    sentences: Sequence[tuple[int, str]],
    article: Article,
    claims: tuple[Claim, ...],
    tables: Tables,
) -> tuple[Forecast, ...]:
    """Forecasts in the article's own voice ('X is expected to ...'), kept apart."""
    claimed = {c.sentence for c in claims}
    found = []
    for index, text in sentences:
        decided = (
            None if index in claimed else OWN_VOICE.first(OwnVoiceQuery(text, tables), tables.off)
        )
        if decided is None:
            continue
        horizon = find_horizon(text, article.date, tables.off)
        found.append(
            Forecast(
                source=article.outlet or article.id,
                source_kind="article",
                source_description=None,
                text=_sentence_case(text),
                horizon=horizon.value if horizon else None,
                likelihood=decided.value,
                article=article.id,
                sentences=(index,),
                cue="",
                decided_by=decided.rule,
                likelihood_by=decided.rule,
                horizon_by=horizon.rule if horizon else "",
            )
        )
    return tuple(found)
