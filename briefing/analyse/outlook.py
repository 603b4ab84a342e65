"""Outlook: forecasts of named sources, with horizon and ICD-203 likelihood.

Per claim, in order: `FORECAST` decides whether it is a forecast (a likelihood expression,
a forecasting verb, a plain will of change; never an unresolved pronoun's); `CONTINUATION`
extends it over the next sentences of the same source; `LIKELIHOOD` gives its band and
`HORIZON` (briefing/analyse/horizon.py) its dates. A plain future ("will face a runoff next
month") is a schedule or an intent, not a forecast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from briefing.analyse.horizon import find_horizon, resolve_horizon
from briefing.analyse.rules import Decided, stage
from briefing.analyse.tables import Tables
from briefing.models import Actor, Article, Band, Claim, Forecast, Horizon, Likelihood


@lru_cache(maxsize=4)
def _likelihood_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])")


# "expected memory prices to rise": the verb with its object between it and "to"
EXPECTED_OBJECT = re.compile(r"(?<![\w-])(expected) (?:[\w'’-]+ ){1,4}?to (?=\w)")


def find_likelihood(text: str, tables: Tables) -> Likelihood | None:
    """The first likelihood expression in text, mapped to its ICD-203 band."""
    phrases = {p.phrase: p for p in tables.likelihood}
    lowered = text.lower()
    match = _likelihood_pattern(tuple(phrases)).search(lowered)
    entry = phrases[match.group(1)] if match else None
    spread = EXPECTED_OBJECT.search(lowered)
    if spread and "expected to" in phrases and (match is None or spread.start() < match.start()):
        match, entry = spread, phrases["expected to"]
    if match is None or entry is None:
        return None
    before = re.findall(r"[\w']+|n't", lowered[: match.start()])[-3:]
    negated = bool(tables.words["likelihood.negations"].intersection(before)) or lowered[
        : match.start()
    ].rstrip().endswith("n't")
    band = entry.negated if negated and entry.negated else entry.band
    low, high = tables.bands[band]
    return Likelihood(
        cue=text[match.start(1) : match.end(1)],
        band=band,
        low=low,
        high=high,
        negated=negated and entry.negated is not None,
    )


# "a 60% chance", "a 30 percent probability", "the odds are 70 percent", "chance of 40%"
PROBABILITY = re.compile(
    r"(?P<n>\d{1,3}(?:\.\d+)?) ?(?:%|per ?cent\b|percent\b)(?: \w+)?"
    r" (?:chance|probability|likelihood|odds|risk)\b"
    r"|\b(?:chance|probability|likelihood|odds|risk)(?: [\w-]+){0,6}? (?:of|at|is|are|was|were) "
    r"(?:about |around |roughly |just |only )?"
    r"(?P<m>\d{1,3}(?:\.\d+)?) ?(?:%|per ?cent\b|percent\b)",
    re.IGNORECASE,
)


def find_probability(text: str, tables: Tables) -> Likelihood | None:
    """A stated probability ('a 60% chance') as the ICD-203 band whose range holds it."""
    match = PROBABILITY.search(text)
    if match is None:
        return None
    value = float(match["n"] or match["m"])
    if value > 100:
        return None
    ranked = sorted(tables.bands.items(), key=lambda item: item[1])
    # the band whose range holds it; on a shared bound (55) the higher band, below 1 the lowest
    band, (low, high) = next(
        ((name, rng) for name, rng in reversed(ranked) if rng[0] <= value), ranked[0]
    )
    return Likelihood(cue=match.group(0), band=band, low=low, high=high)  # type: ignore[arg-type]


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


def likelihood_word(q: ForecastQuery) -> bool | None:
    """'is likely to', 'could', 'expected to', 'a 60% chance': what was said states a
    likelihood."""
    text, tables = q.claim.text, q.tables
    stated = find_likelihood(text, tables) or find_probability(text, tables)
    return True if stated is not None else None


def forecast_verb(q: ForecastQuery) -> bool | None:
    """'The agency expects output to reach ...', 'X predicted': the cue is a forecasting verb."""
    return True if q.claim.cue_lemma in q.tables.forecast_cues else None


def will_change(q: ForecastQuery) -> bool | None:
    """'supply will exceed demand': a plain will of a change in the world is a prediction,
    where 'will hold recounts' or 'we will issue warnings' is a schedule or an intent."""
    pattern = _will_change(q.tables.words["forecast.change_verbs"])
    return True if pattern.search(q.claim.text) else None


PLAIN_FUTURE = re.compile(
    r"(?<![\w-])(?<!\bwe )(?<!\bi )(?<!\byou )(?:will|would|won't|wouldn't|'ll|is going to|"
    r"are going to|is set to|are set to)(?: not| never)?(?: \w+ly)? (?P<verb>[a-z]+(?: [a-z]+)?)",
    re.IGNORECASE,
)


def plain_future(q: ForecastQuery) -> bool | None:
    """'the economy will continue to expand', 'this is going to be a very painful period',
    'said prices would fall': a named source's plain future is a prediction (band unstated),
    unless the cue is a vow or a demand or the future is a schedule ('will meet on Tuesday')
    or the speaker's own intent ('we will')."""
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
        if _own_side(text[: match.start()], q.tables):
            continue
        return True
    return None


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
    states = _state_names(tables)
    return last in states or " ".join(words[-2:]) in states


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
    """'The expert thinks that the price will not depend on ...': a view held of the future,
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
    ("likelihood_word", likelihood_word),
    ("forecast_verb", forecast_verb),
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


@dataclass(frozen=True, slots=True)
class LikelihoodQuery:
    """A forecast's claims, for the rules that give its likelihood."""

    parts: tuple[Claim, ...]
    article: Article
    tables: Tables


def belief_cue(q: LikelihoodQuery) -> Likelihood | None:
    """'The expert thinks that ...', 'Menon believes ...': a belief is 'likely' by GUIDE.md's
    convention, 'does not think' 'unlikely'."""
    claim, tables = q.parts[0], q.tables
    if claim.cue_lemma not in tables.words["forecast.belief_cues"]:
        return None
    before = q.article.text[max(0, claim.start - 60) : claim.start].lower()
    words = re.findall(r"[\w']+|n't", before)[-6:]
    cue = claim.cue.lower()
    if cue not in words:
        return None
    negated = bool(tables.words["likelihood.negations"].intersection(words[: words.index(cue)]))
    band: Band = "unlikely" if negated else "likely"
    low, high = tables.bands[band]
    return Likelihood(cue=claim.cue, band=band, low=low, high=high, negated=negated)


def probability(q: LikelihoodQuery) -> Likelihood | None:
    """'there is a 60% chance of an above-normal season': a stated probability, the most
    specific statement of likelihood there is, gives the band whose range holds it."""
    return next(
        (lk for p in q.parts if (lk := find_probability(p.text, q.tables)) is not None), None
    )


def stated(q: LikelihoodQuery) -> Likelihood | None:
    """'is likely to', 'could', 'a 60 % chance': the first likelihood expression of the
    forecast's sentences."""
    return next(
        (lk for p in q.parts if (lk := find_likelihood(p.text, q.tables)) is not None), None
    )


def forecast_verb_likelihood(q: LikelihoodQuery) -> Likelihood | None:
    """'The agency expects output to reach ...': the forecasting verb just before what was
    said states the likelihood ('did not expect' its negation)."""
    return _cue_likelihood(q.article, q.parts[0], q.tables)


LIKELIHOOD = stage(
    "likelihood",
    "a forecast's ICD-203 band; the first rule that answers decides",
    ("probability", probability),
    ("stated", stated),
    ("forecast_verb", forecast_verb_likelihood),
    ("belief_cue", belief_cue),
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
    """Forecasts among an article's claims, continuations merged."""
    forecasts: list[Forecast] = []
    used: set[int] = set()
    for n, claim in enumerate(claims):
        if n in used:
            continue
        decided = FORECAST.first(ForecastQuery(claim, tables), tables.off)
        if decided is None or not decided.value:
            continue
        indices, continued_by = _parts(claims, n, tables, article.date)
        used.update(indices[1:])
        parts = [claims[m] for m in indices]
        likelihood = LIKELIHOOD.first(LikelihoodQuery(tuple(parts), article, tables), tables.off)
        horizon = _horizon(parts, article.date, tables.off)
        actor = actors.get(claim.source)
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
                continued_by=continued_by,
                claim=claim,
            )
        )
    return tuple(forecasts)


def _cue_likelihood(article: Article, claim: Claim, tables: Tables) -> Likelihood | None:
    """'The agency expects output to reach ...': the forecasting verb just before what was
    said states the likelihood ('did not expect' its negation)."""
    if claim.cue_lemma not in tables.forecast_cues:
        return None
    words = article.text[max(0, claim.start - 60) : claim.start].split()[-5:]
    if claim.cue not in (w.lower() for w in words):
        return None
    return find_likelihood(" ".join(words), tables)


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
