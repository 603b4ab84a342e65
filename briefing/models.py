"""Frozen values passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

ActorKind = Literal["person", "state", "organisation", "media"]
SourceKind = Literal["person", "state", "organisation", "media", "unnamed", "article"]
Band = Literal[
    "almost_no_chance",
    "very_unlikely",
    "unlikely",
    "roughly_even_chance",
    "likely",
    "very_likely",
    "almost_certain",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news article as read from its source."""

    id: str
    title: str
    text: str
    source: str
    date: date
    dateline: str | None = None
    outlet: str | None = None
    # the agencies a wire dateline names ("(Lakeside Wire / Gazette - ...)"): media actors
    dateline_outlets: tuple[str, ...] = ()
    url: str | None = None
    published: datetime | None = None
    digest: str = ""
    # where `date` came from: front matter, published time (page metadata or feed entry),
    # dateline (its day), modification time (a configured file with none of these), or
    # brief date
    date_from: str = "brief date"

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A place in an article where an actor is named."""

    key: str
    text: str
    alias: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A person, state, organisation or media outlet, aliases merged."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    description: str | None
    mentions: int
    roles: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    state_media_of: str | None = None
    places: tuple[tuple[str, int, int, int], ...] = ()  # (article, sentence, start, end)
    made_by: tuple[str, ...] = ()  # the actor rules that found its names (internal)


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """An attributed statement: who said what, traceable to its sentence."""

    source: str
    source_kind: SourceKind
    cue: str
    text: str
    quote: bool
    article: str
    sentence: int
    start: int
    end: int
    cue_lemma: str = ""
    via: str | None = None
    target: str | None = None
    score: float = 0.0
    found_by: str = ""  # the claim rule that found it (internal, not in the context)
    resolved_by: str = ""  # the source rule that named its source
    clauses: tuple[str, ...] = ()  # its text cut into clauses that stand alone (internal)
    split_by: str = ""  # the clause rules that cut it, space separated


@dataclass(frozen=True, slots=True, kw_only=True)
class Horizon:
    """When a forecast is meant to come true: the phrase and its date range."""

    text: str
    start: date
    end: date


@dataclass(frozen=True, slots=True, kw_only=True)
class Likelihood:
    """How likely the source says a forecast is, as an ICD-203 band."""

    cue: str
    band: Band
    low: int
    high: int
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Forecast:
    """A forward-looking statement by a named source."""

    source: str
    source_kind: SourceKind
    source_description: str | None
    text: str
    horizon: Horizon | None
    likelihood: Likelihood | None
    article: str
    sentences: tuple[int, ...]
    cue: str
    decided_by: str = ""  # the forecast rule that made it outlook (internal)
    likelihood_by: str = ""
    horizon_by: str = ""
    continued_by: str = ""
    split_by: str = ""  # the clause rules that made it one of two forecasts of one claim
    claim: Claim | None = None  # the claim it was made from


@dataclass(frozen=True, slots=True, kw_only=True)
class Dropped:
    """A cue a rule decided makes no claim: kept for `--explain` and `eval --by-rule`."""

    rule: str
    found_by: str
    article: str
    sentence: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class KeySentence:
    """A bottom-line sentence, extractive, pointing to its place."""

    text: str
    article: str
    sentence: int
    score: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Articles about one event: their outlets, merged actors, claims without repeats."""

    key: str
    title: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    actors: tuple[str, ...]
    claims: tuple[Claim, ...]
    outlook: tuple[Forecast, ...]
    bluf: tuple[KeySentence, ...]
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Everything the summariser found in a set of articles."""

    articles: tuple[Article, ...]
    actors: tuple[Actor, ...]
    claims: tuple[Claim, ...]
    outlook: tuple[Forecast, ...]
    bluf: tuple[KeySentence, ...]
    stories: tuple[Story, ...] = ()
    own_outlook: tuple[Forecast, ...] = ()
    dropped: tuple[Dropped, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleAnalysis:
    """What one article yields on its own; cached by content, id, date and model."""

    article_id: str
    actors: tuple[Actor, ...]
    claims: tuple[Claim, ...]
    outlook: tuple[Forecast, ...]
    sentences: tuple[str, ...]
    mentions_per_sentence: tuple[int, ...]
    own_outlook: tuple[Forecast, ...] = ()
    dropped: tuple[Dropped, ...] = ()
