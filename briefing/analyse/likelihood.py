"""Likelihood: a forecast's ICD-203 band, from a stated probability, a likelihood phrase of
briefing/data/likelihood.yaml, the forecasting verb or a belief cue (`LIKELIHOOD`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.analyse.rules import stage
from briefing.analyse.tables import Tables
from briefing.models import Article, Band, Claim, Likelihood


@lru_cache(maxsize=4)
def _likelihood_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])")


# "expected memory prices to rise": the verb with its object between it and "to"
EXPECTED_OBJECT = re.compile(r"(?<![\w-])(expected) (?:[\w'’-]+ ){1,4}?to (?=\w)")


@lru_cache(maxsize=4)
def _should_pattern(verbs: frozenset[str]) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w-])should(?P<not> not|n't)?(?: \w+ly)? (?:{'|'.join(sorted(verbs))})\b"
        r"(?! (?:\w+ed|held|made|given|taken|done|seen|shown|told|paid|brought)\b)",
        re.IGNORECASE,
    )


def find_epistemic_should(text: str, tables: Tables) -> re.Match[str] | None:
    """'should ease', 'should be a net positive': 'should' of a belief about the world, not
    of a duty ('should resign', 'should be punished', 'nobody should stay')."""
    addressees = tables.words["forecast.should_addressees"]
    for match in _should_pattern(tables.words["forecast.should_verbs"]).finditer(text):
        before = " ".join(re.findall(r"[\w']+", text[: match.start()].lower())[-2:])
        if not any(before == a or before.endswith(" " + a) for a in addressees):
            return match
    return None


def find_likelihood(text: str, tables: Tables) -> Likelihood | None:
    """The first likelihood expression in text, mapped to its ICD-203 band."""
    phrases = {p.phrase: p for p in tables.likelihood}
    lowered = text.lower().replace("’", "'")  # "doesn’t see" as "doesn't see"; same length
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


# "a 60% chance", "a 30 percent probability", "the odds are 70 percent", "chance of 40%",
# "a one-in-four chance"
PROBABILITY = re.compile(
    r"(?P<n>\d{1,3}(?:\.\d+)?) ?(?:%|per ?cent\b|percent\b)(?: \w+)?"
    r" (?:chance|probability|likelihood|odds|risk)\b"
    r"|\b(?:chance|probability|likelihood|odds|risk)(?: [\w+.-]+){0,6}? (?:of|at|is|are|was|were) "
    r"(?:about |around |roughly |just |only )?"
    r"(?P<m>\d{1,3}(?:\.\d+)?) ?(?:%|per ?cent\b|percent\b)"
    r"|\b(?:one|1)[- ]in[- ](?P<of>two|three|four|five|ten|\d{1,3}) (?:chance|probability|risk)\b",
    re.IGNORECASE,
)
_ONE_IN = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def find_probability(text: str, tables: Tables) -> Likelihood | None:
    """A stated probability ('a 60% chance') as the ICD-203 band whose range holds it."""
    match = PROBABILITY.search(text)
    if match is None:
        return None
    if match["of"]:  # 'a one-in-four chance': 25 %
        of = _ONE_IN.get(match["of"].lower()) or int(match["of"])
        value = 100 / of if of else 101.0
    else:
        value = float(match["n"] or match["m"])
    if value > 100:
        return None
    ranked = sorted(tables.bands.items(), key=lambda item: item[1])
    # the band whose range holds it; on a shared bound (55) the higher band, below 1 the lowest
    band, (low, high) = next(
        ((name, rng) for name, rng in reversed(ranked) if rng[0] <= value), ranked[0]
    )
    return Likelihood(cue=match.group(0), band=band, low=low, high=high)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class LikelihoodQuery:
    """A forecast's claims, for the rules that give its likelihood."""

    parts: tuple[Claim, ...]
    article: Article
    tables: Tables


def belief_cue(q: LikelihoodQuery) -> Likelihood | None:
    """'The analyst thinks that ...', 'Menon believes ...': a belief is 'likely' by GUIDE.md's
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
    """'there is a 70% chance of a wetter winter': a stated probability, the most
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


def epistemic_should(q: LikelihoodQuery) -> Likelihood | None:
    """'Inflation should ease next year', 'should be a net positive': epistemic 'should' is
    likely by GUIDE.md's convention ('should not' unlikely)."""
    for part in q.parts:
        match = find_epistemic_should(part.text, q.tables)
        if match is not None:
            negated = match["not"] is not None
            band: Band = "unlikely" if negated else "likely"
            low, high = q.tables.bands[band]
            return Likelihood(cue="should", band=band, low=low, high=high, negated=negated)
    return None


def forecast_verb_likelihood(q: LikelihoodQuery) -> Likelihood | None:
    """'The agency expects output to reach ...': the forecasting verb just before what was
    said states the likelihood ('did not expect' its negation)."""
    return _cue_likelihood(q.article, q.parts[0], q.tables)


LIKELIHOOD = stage(
    "likelihood",
    "a forecast's ICD-203 band; the first rule that answers decides",
    ("probability", probability),
    ("stated", stated),
    ("epistemic_should", epistemic_should),
    ("forecast_verb", forecast_verb_likelihood),
    ("belief_cue", belief_cue),
)


def _cue_likelihood(article: Article, claim: Claim, tables: Tables) -> Likelihood | None:
    """'The agency expects output to reach ...': the forecasting verb just before what was
    said states the likelihood ('did not expect' its negation)."""
    if claim.cue_lemma not in tables.forecast_cues:
        return None
    words = article.text[max(0, claim.start - 60) : claim.start].split()[-5:]
    if claim.cue not in (w.lower() for w in words):
        return None
    return find_likelihood(" ".join(words), tables)
