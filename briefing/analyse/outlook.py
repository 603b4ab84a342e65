"""Outlook: forecasts of named sources, with horizon and ICD-203 likelihood.

A claim is a forecast when what was said carries a likelihood expression ("is likely
to", "could") or its cue is a forecasting verb ("expects", "predicted"). A plain future
("will face a runoff next month") is a schedule or an intent, not a forecast. A forecast
that the same source continues in the next sentence with a future or a hedge ("Pyongyang
would ..., he added.") is one item spanning both sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from briefing.analyse.horizon import resolve_horizon
from briefing.analyse.tables import Tables
from briefing.models import Actor, Article, Claim, Forecast, Likelihood

NEGATIONS = {"not", "n't", "never", "no", "neither", "nor"}
CONTINUATION_CUES = {"add", "say", "continue", "note", "warn", "stress", "tell"}


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
    negated = bool(NEGATIONS.intersection(before)) or lowered[: match.start()].rstrip().endswith(
        "n't"
    )
    band = entry.negated if negated and entry.negated else entry.band
    low, high = tables.bands[band]
    return Likelihood(
        cue=text[match.start(1) : match.end(1)],
        band=band,
        low=low,
        high=high,
        negated=negated and entry.negated is not None,
    )


def _speaks_of_future(text: str, tables: Tables) -> bool:
    lowered = f" {text.lower()} "
    return any(
        re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", lowered) for m in tables.future_markers
    )


# "supply will exceed demand": a plain future of a change in the world is a prediction,
# where "will hold recounts" or "we will issue warnings" is a schedule or an intent.
CHANGE_VERBS = (
    "exceed|outstrip|outpace|surpass|rise|fall|grow|shrink|slow|decline|drop|increase|"
    "decrease|climb|ease|contract|expand|peak|worsen|improve|recover|rebound|double|"
    "triple|halve|accelerate|weaken|strengthen|tighten|narrow|widen|soar|plunge|slump"
)
WILL_CHANGE = re.compile(
    rf"(?<![\w-])(?<!\bwe )(?<!\bi )(?<!\byou )will (?:\w+ly )?(?:{CHANGE_VERBS})\b",
    re.IGNORECASE,
)


def _is_forecast(claim: Claim, tables: Tables) -> bool:
    if find_likelihood(claim.text, tables) is not None:
        return True
    return claim.cue_lemma in tables.forecast_cues or bool(WILL_CHANGE.search(claim.text))


FIRST_PERSON = re.compile(r"^[\"“‘']?(?:I|We|Our|My)\b")


PRONOUNS = {"he", "she", "they", "it", "i", "we", "you"}


def _unknown(claim: Claim) -> bool:
    """A source we could not name at all: an unresolved pronoun."""
    return claim.source_kind == "unnamed" and claim.source.lower() in PRONOUNS


def _continues(first: Claim, nxt: Claim, tables: Tables, today: date) -> bool:
    """The next sentence goes on with the same forecast ('X would then ..., he added').

    A sentence with a likelihood word or a time phrase of its own is a forecast of its own.
    """
    # "We will issue warnings" is the speaker's own intention, not more of the forecast
    return (
        not FIRST_PERSON.match(nxt.text)
        and nxt.sentence == first.sentence + 1
        and nxt.source == first.source
        and nxt.cue_lemma in CONTINUATION_CUES
        and _speaks_of_future(nxt.text, tables)
        and find_likelihood(nxt.text, tables) is None
        and resolve_horizon(nxt.text, today) is None
    )


def extract_outlook(
    article: Article, claims: tuple[Claim, ...], actors: dict[str, Actor], tables: Tables
) -> tuple[Forecast, ...]:
    """Forecasts among an article's claims, continuations merged."""
    forecasts: list[Forecast] = []
    used: set[int] = set()
    for n, claim in enumerate(claims):
        if n in used or _unknown(claim) or not _is_forecast(claim, tables):
            continue
        parts = [claim]
        for m in range(n + 1, len(claims)):
            if _continues(parts[-1], claims[m], tables, article.date):
                parts.append(claims[m])
                used.add(m)
            elif claims[m].sentence > parts[-1].sentence + 1:
                break
        text = " ".join(_sentence_case(p.text) for p in parts)
        likelihood = next(
            (lk for p in parts if (lk := find_likelihood(p.text, tables)) is not None), None
        ) or _cue_likelihood(article, claim, tables)
        horizon = next(
            (h for p in parts if (h := resolve_horizon(p.text, article.date)) is not None), None
        )
        actor = actors.get(claim.source)
        forecasts.append(
            Forecast(
                source=claim.source,
                source_kind=claim.source_kind,
                source_description=actor.description if actor else None,
                text=text,
                horizon=horizon,
                likelihood=likelihood,
                article=article.id,
                sentences=tuple(sorted({p.sentence for p in parts})),
                cue=claim.cue,
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


MODAL_CUES = {"could", "may", "might", "possible", "possibly"}


def own_voice_outlook(
    sentences: Sequence[tuple[int, str]],
    article: Article,
    claims: tuple[Claim, ...],
    tables: Tables,
) -> tuple[Forecast, ...]:
    """Forecasts in the article's own voice ('X is expected to ...'), kept apart.

    A sentence with no attributed claim that states a likelihood (not a bare modal).
    """
    claimed = {c.sentence for c in claims}
    found = []
    for index, text in sentences:
        if index in claimed:
            continue
        likelihood = find_likelihood(text, tables)
        if likelihood is None or likelihood.cue.lower() in MODAL_CUES:
            continue
        found.append(
            Forecast(
                source=article.outlet or article.id,
                source_kind="article",
                source_description=None,
                text=_sentence_case(text),
                horizon=resolve_horizon(text, article.date),
                likelihood=likelihood,
                article=article.id,
                sentences=(index,),
                cue="",
            )
        )
    return tuple(found)
