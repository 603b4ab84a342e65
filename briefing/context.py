"""BriefContext: the one typed value every template receives, and its JSON Schema.

Field names here are a published interface (`briefing schema`); other tools read
context.json, so names and band values stay stable.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from briefing.config import AudienceConfig, Config
from briefing.models import Analysis, Claim, Forecast, Story

if TYPE_CHECKING:
    from briefing.ledger import Entry
from briefing.models import Band as BandName

SCHEMA_ID = "https://briefing.invalid/schema/context-1.json"
MAX_CLAIMS_PER_SOURCE = 2  # claims of one story from one source, unless no other speaks
BAND_WORDS: dict[str, str] = {
    "almost_no_chance": "almost no chance",
    "very_unlikely": "very unlikely",
    "unlikely": "unlikely",
    "roughly_even_chance": "roughly even chance",
    "likely": "likely",
    "very_likely": "very likely",
    "almost_certain": "almost certain",
}


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BlufItem(_Item):
    text: str = Field(description="A bottom-line sentence, verbatim from its article.")
    article: str = Field(description="Id of the article it comes from (see sources).")
    sentence: int = Field(ge=0, description="Index of the sentence in that article, from 0.")


class PlaceItem(_Item):
    article: str = Field(description="Article id.")
    sentence: int = Field(ge=0, description="Sentence index in the article, from 0.")
    start: int = Field(ge=0, description="Character offset of the name in the article body.")
    end: int = Field(ge=0, description="End offset (exclusive).")


class ActorItem(_Item):
    name: str = Field(description="Canonical name, aliases merged.")
    kind: Literal["person", "state", "organisation", "media"] = Field(description="What it is.")
    aliases: list[str] = Field(description="Every name the articles used for this actor.")
    description: str | None = Field(description="Title or apposition, e.g. 'chief economist at X'.")
    mentions: int = Field(ge=1, description="How often the actor is named.")
    roles: list[Literal["forecaster", "speaker", "reporter", "target", "subject", "mentioned"]] = (
        Field(
            description="The actor's parts in the story, most telling first: forecaster, speaker "
            "(made claims), reporter (an outlet that carried them), target (addressed by a claim), "
            "subject (named in what someone said), mentioned."
        )
    )
    articles: list[str] = Field(description="Ids of the articles that name the actor.")
    places: list[PlaceItem] = Field(description="Where the actor is named.")


class ClaimItem(_Item):
    rank: int = Field(ge=1, description="1 is the most important claim.")
    source: str = Field(description="Who said it: an actor name, or the phrase used if unnamed.")
    source_kind: Literal["person", "state", "organisation", "media", "unnamed"] = Field(
        description="Kind of the source; 'unnamed' for anonymous sources."
    )
    cue: str = Field(description="The attribution cue as written: 'urged', 'according to'.")
    text: str = Field(description="What was said, from the article.")
    quote: bool = Field(
        description="True for direct speech (the claim is a quotation); indirect speech with "
        "quoted words is false."
    )
    statement: str = Field(
        description="The claim as a sentence to read: source (with a short description), the "
        "cue normalised ('told AFP', 'saying' -> 'said') and the text, its quote closed with a "
        "full stop."
    )
    via: str | None = Field(description="Outlet that carried it ('state media said', 'told AFP').")
    target: str | None = Field(description="Actor the claim addresses ('urged Beijing').")
    article: str = Field(description="Id of the article (see sources).")
    sentence: int = Field(ge=0, description="Sentence index in the article, from 0.")
    start: int = Field(ge=0, description="Character offset of the text in the article body.")
    end: int = Field(ge=0, description="End offset (exclusive) of the text in the article body.")


class HorizonItem(_Item):
    text: str = Field(description="The time phrase as written: 'in the new year'.")
    start: dt.date = Field(description="First day of the range, resolved from the article date.")
    end: dt.date = Field(description="Last day of the range.")


class LikelihoodItem(_Item):
    cue: str = Field(description="The likelihood words as written: 'is likely', 'could'.")
    band: BandName = Field(description="ICD-203 band name.")
    label: str = Field(description="ICD-203 words for the band: 'roughly even chance'.")
    low: int = Field(ge=0, le=100, description="Lower bound of the band, per cent.")
    high: int = Field(ge=0, le=100, description="Upper bound of the band, per cent.")


class OutlookItem(_Item):
    source: str = Field(description="The forecaster's name.")
    source_kind: Literal["person", "state", "organisation", "media", "unnamed", "article"] = Field(
        description="Kind of the forecaster; 'article' for the article's own voice."
    )
    source_description: str | None = Field(description="Title or affiliation of the source.")
    text: str = Field(description="The forecast; continued sentences joined.")
    statement: str = Field(
        description="The forecast as printed: its own attribution clause ('…, X told AFP.') "
        "and an unfinished quotation after it left out, quote punctuation fixed.",
    )
    cue: str = Field(description="The attribution cue: 'told', 'said', 'expects'.")
    horizon: HorizonItem | None = Field(description="When it is meant to happen, if stated.")
    likelihood: LikelihoodItem | None = Field(description="How likely, if stated.")
    article: str = Field(description="Id of the article (see sources).")
    sentences: list[int] = Field(
        description="Sentence indices the forecast spans; empty for a forecast of the headline."
    )


class StoryItem(_Item):
    id: str = Field(description="Anchor of the story's section: 'story-1'.")
    key: str = Field(description="Stable identity from its articles, used by the history.")
    title: str = Field(description="Headline of the lead article.")
    status: Literal["new", "developing", "already_briefed"] = Field(
        description="new: not briefed before; developing: briefed before, with new reports; "
        "already_briefed: nothing new since an earlier brief."
    )
    previously: dt.date | None = Field(description="Date of the last brief that had this story.")
    lead: str = Field(description="Id of the lead article.")
    articles: list[str] = Field(description="Ids of the story's articles, the lead first.")
    outlets: list[str] = Field(description="Outlets that reported it, the lead's first.")
    also_reported_by: list[str] = Field(description="The outlets other than the lead's.")
    actors: list[str] = Field(description="Main actors of the story (no media).")
    bluf: list[BlufItem] = Field(description="The story's bottom line.")
    claims: list[ClaimItem] = Field(description="The story's claims, ranked, repeats removed.")
    outlook: list[OutlookItem] = Field(description="Forecasts from all the story's articles.")


class SourceItem(_Item):
    id: str = Field(description="Article id used by claims, outlook and bluf.")
    title: str = Field(description="Headline, or the start of the first sentence.")
    path: str = Field(description="Where the article was read from.")
    date: dt.date = Field(
        description="The article's date: front matter, else its published time, else (a file "
        "of a configured source) its modification time, else the brief date."
    )
    date_from: str = Field(
        "brief date",
        description="Where date came from: front matter, published time, dateline, "
        "modification time or brief date.",
    )
    dateline: str | None = Field(description="Place of the dateline, e.g. 'Seoul'.")
    outlet: str | None = Field(description="Outlet that published it, if known.")
    url: str | None = Field(description="Where it was published, if known.")
    published: dt.datetime | None = Field(description="When it was published, if known.")
    words: int = Field(ge=0, description="Words in the body.")


class SkippedItem(_Item):
    source: str = Field(description="The file, URL or feed entry that was not briefed.")
    reason: str = Field(description="Why it was skipped.")


class Stats(_Item):
    articles: int = Field(description="Articles briefed.")
    words: int = Field(description="Words in their bodies.")
    actors: int = Field(description="Actors found (before the audience's limit).")
    claims: int = Field(description="Claims found (before the audience's limit).")
    forecasts: int = Field(description="Forecasts found (before the audience's limit).")
    stories: int = Field(description="Stories found (before the audience's limit).")
    unlisted: int = Field(
        0, ge=0, description="Articles briefed but not listed in sources (audience max_sources)."
    )
    unlisted_actors: int = Field(
        0, ge=0, description="Actors found but not in the table (audience limits)."
    )


class AudienceItem(_Item):
    name: str = Field(description="Audience name, e.g. 'executive'.")
    language: str = Field(description="Language of dates, e.g. 'en', 'fr'.")
    include_quotes: bool = Field(description="Whether direct-speech claims are included.")
    include_actors: bool = Field(description="Whether the actors table is included.")


class LedgerEntryItem(_Item):
    id: str = Field(description="Ledger id (`briefing ledger show ID`).")
    source: str = Field(description="The forecaster's name.")
    source_description: str | None = Field(description="Title or affiliation when first seen.")
    text: str = Field(description="The forecast as first reported.")
    statement: str = Field(description="The text as printed (see OutlookItem.statement).")
    likelihood: LikelihoodItem | None = Field(description="Band as first reported, if stated.")
    horizon: HorizonItem | None = Field(description="When it is meant to happen, if stated.")
    first_seen: dt.date = Field(description="Date of the first brief that had it.")
    first_reported_by: str = Field(description="Outlet (else headline) that first reported it.")
    first_url: str | None = Field(description="Where it was first reported, if known.")
    story: str | None = Field(description="Title of the story it was first reported in.")
    repeats: int = Field(ge=0, description="Times it was reported again (outlets or days).")
    status: Literal["open", "awaiting_outcome", "resolved"] = Field(
        description="open; awaiting_outcome once the horizon has passed unresolved; resolved."
    )
    outcome: Literal["happened", "not-happened", "partly", "void"] | None = Field(
        description="What came of it, once resolved."
    )
    days_left: int | None = Field(description="Days from the brief date to the horizon's end.")
    in_stories: bool = Field(
        default=False, description="The brief prints it already, in a story's outlook table."
    )
    in_lists: bool = Field(
        default=False,
        description="The brief prints it already, in the outlook list (short_outlook).",
    )


class SourceRecordItem(_Item):
    source: str = Field(description="The forecaster.")
    resolved: int = Field(ge=0, description="Resolved entries, void left out.")
    happened: float = Field(description="Share that happened (partly counts half).")
    scored: int = Field(ge=0, description="Resolved entries with a stated band.")
    brier: float | None = Field(description="Brier score over the scored ones; lower is better.")


class CalibrationItem(_Item):
    band: BandName = Field(description="ICD-203 band.")
    label: str = Field(description="ICD-203 words for the band.")
    low: int = Field(description="Lower bound of the band, per cent.")
    high: int = Field(description="Upper bound of the band, per cent.")
    resolved: int = Field(ge=0, description="Resolved entries in this band, void left out.")
    happened: float | None = Field(description="Share of them that happened (partly half).")


class LedgerItem(_Item):
    entries: int = Field(ge=0, description="Forecasts in the ledger as of the brief date.")
    resolved: int = Field(ge=0, description="Of them resolved, void left out.")
    falling_due: list[LedgerEntryItem] = Field(
        description="Unresolved, horizon ending within ledger.due_ahead_days after the brief "
        "date or ended within ledger.due_back_days before it; nearest first."
    )
    new: list[LedgerEntryItem] = Field(description="Forecasts first seen on the brief date.")
    records: list[SourceRecordItem] = Field(
        description="Each source's record, once it has ledger.min_resolved resolved entries."
    )
    calibration: list[CalibrationItem] = Field(description="Share that happened per band.")


class DisagreementItem(_Item):
    story: str = Field(description="Anchor of the story (see stories).")
    story_title: str = Field(description="Headline of the story.")
    reason: Literal["bands", "direction"] = Field(
        description="bands: two or more ICD-203 steps apart; direction: one up, one down."
    )
    first: OutlookItem = Field(description="One source's forecast.")
    second: OutlookItem = Field(description="The other's, of the same event.")


class BriefContext(_Item):
    """Everything a brief template receives."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"$id": SCHEMA_ID, "title": "BriefContext"}
    )

    title: str = Field(description="Brief title from config.")
    date: dt.date = Field(description="The date the brief is for.")
    audience: AudienceItem = Field(description="The audience the brief is rendered for.")
    classification: str = Field(description="Banner text for every page; '' for none.")
    author: str = Field(description="Author in the PDF metadata.")
    bluf: list[BlufItem] = Field(description="Bottom line up front, in reading order.")
    actors: list[ActorItem] = Field(description="Actors, the most involved first.")
    claims: list[ClaimItem] = Field(
        description="Key claims, ranked, at most the audience's max_claims."
    )
    outlook: list[OutlookItem] = Field(description="Forecasts of named sources.")
    short_claims: list[ClaimItem] = Field(
        default_factory=list,
        description="The claims a short brief lists (executive, press): in turns across stories, "
        "nothing the bottom line or short_outlook says again, at most max_claims.",
    )
    short_outlook: list[OutlookItem] = Field(
        default_factory=list,
        description="The forecasts a short brief lists: in turns across stories, nothing the "
        "bottom line says again, at most max_outlook.",
    )
    stories: list[StoryItem] = Field(description="Stories, the most important first.")
    to_watch: list[OutlookItem] = Field(
        description="Forecasts of named sources with a horizon, in the order they fall due "
        "(end of the horizon, then its start); they may restate the outlook."
    )
    expectations: list[OutlookItem] = Field(
        description="Forecasts in the articles' own voice ('X is expected to ...'), no source."
    )
    outlook_unnamed: list[OutlookItem] = Field(
        default_factory=list,
        description="Forecasts of sources the articles do not name ('analysts said', "
        "'economists expect'), kept apart from the outlook, at most max_outlook.",
    )
    sources: list[SourceItem] = Field(
        description="The articles briefed, in input order: every one the brief cites, then the "
        "others up to the audience's max_sources."
    )
    skipped: list[SkippedItem] = Field(description="Sources that could not be read, and why.")
    stats: Stats = Field(description="Counts over everything found.")
    disagreements: list[DisagreementItem] = Field(
        default_factory=list,
        description="Forecasts of one event by two sources of a story that disagree.",
    )
    ledger: LedgerItem | None = Field(
        None, description="The forecast ledger as of the brief date; null without a history."
    )


def _field_rows(schema: dict[str, Any], name: str, prefix: str, rows: list[str]) -> None:
    defs = schema.get("$defs", {})
    model = defs.get(name, schema)
    for field, spec in model.get("properties", {}).items():
        path = f"{prefix}{field}"
        ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
        for option in spec.get("anyOf", []):
            ref = ref or option.get("$ref")
        kind = spec.get("type") or " or ".join(
            o.get("type", "object") for o in spec.get("anyOf", [])
        )
        kind = kind or "object"
        if spec.get("format") == "date":
            kind = "date"
        if spec.get("type") == "array":
            kind = "list"
            path += "[]"
        if "enum" in spec:
            kind = ", ".join(f"`{v}`" for v in spec["enum"])
        rows.append(f"| `{path}` | {kind} | {spec.get('description', '')} |")
        if ref:
            _field_rows(schema, ref.rsplit("/", 1)[-1], path + ".", rows)


def context_reference() -> str:
    """Every field a template receives, as a Markdown table (docs/templates.md embeds it)."""
    rows = ["| field | type | meaning |", "|---|---|---|"]
    _field_rows(BriefContext.model_json_schema(mode="serialization"), "BriefContext", "", rows)
    return "\n".join(rows) + "\n"


def context_schema() -> dict[str, Any]:
    """The published JSON Schema of BriefContext."""
    schema = BriefContext.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _outlook_item(forecast: Forecast) -> OutlookItem:
    horizon = forecast.horizon
    likelihood = forecast.likelihood
    return OutlookItem(
        source=forecast.source,
        source_kind=forecast.source_kind,
        source_description=forecast.source_description,
        text=forecast.text,
        statement=forecast_statement(forecast.text, forecast.source, forecast.cue),
        cue=forecast.cue,
        horizon=HorizonItem(text=horizon.text, start=horizon.start, end=horizon.end)
        if horizon
        else None,
        likelihood=LikelihoodItem(
            cue=likelihood.cue,
            band=likelihood.band,
            label=BAND_WORDS[likelihood.band],
            low=likelihood.low,
            high=likelihood.high,
        )
        if likelihood
        else None,
        article=forecast.article,
        sentences=list(forecast.sentences),
    )


Earlier = Sequence[tuple[str, str, set[str], set[str]]]
_Cited = TypeVar("_Cited", Claim, Forecast)
_WORD = re.compile(r"[^\W\d_]{3,}")
_SAME_WORDS = 0.8  # share of the shorter text's words that makes two texts one sentence


class _Shown:
    """What a brief already shows, so no sentence is printed twice (bottom line, story lead,
    claims, outlook): by place (article, sentence) and, across articles, by shared words.
    Two sources' sentences are never one by their words: 'rates are likely to fall' and
    'rates are unlikely to fall' from two economists are a disagreement, not a repeat."""

    def __init__(self, parent: _Shown | None = None) -> None:
        self.places: set[tuple[str, int]] = set(parent.places) if parent else set()
        self.texts: list[tuple[str | None, set[str]]] = list(parent.texts) if parent else []

    def has(
        self, article: str, sentences: Sequence[int], text: str, source: str | None = None
    ) -> bool:
        if any((article, n) in self.places for n in sentences):
            return True
        words = set(_WORD.findall(text.lower()))
        return bool(words) and any(
            len(words & seen) >= _SAME_WORDS * min(len(words), len(seen))
            for who, seen in self.texts
            if seen and (who is None or source is None or who == source)
        )

    def add(
        self, article: str, sentences: Sequence[int], text: str, source: str | None = None
    ) -> None:
        self.places.update((article, n) for n in sentences)
        self.texts.append((source, set(_WORD.findall(text.lower()))))

    def keep(
        self, article: str, sentences: Sequence[int], text: str, source: str | None = None
    ) -> bool:
        """True (and remembered) when not shown yet."""
        if self.has(article, sentences, text, source):
            return False
        self.add(article, sentences, text, source)
        return True


def _named(forecasts: Sequence[Forecast], named: bool = True) -> list[Forecast]:
    """The forecasts of named sources (or, named=False, of unnamed ones), in order."""
    return [f for f in forecasts if (f.source_kind != "unnamed") == named]


def _new_forecasts(forecasts: Sequence[Forecast], shown: _Shown) -> list[Forecast]:
    return [f for f in forecasts if shown.keep(f.article, f.sentences, f.text, f.source)]


def _new_claims(claims: Sequence[Claim], shown: _Shown, per_source: int = 0) -> list[Claim]:
    """Claims not shown yet; with per_source, at most that many from one source unless
    no other source speaks."""
    speakers = {c.source for c in claims}
    count: dict[str, int] = {}
    kept = []
    for c in claims:
        if per_source and len(speakers) > 1 and count.get(c.source, 0) >= per_source:
            continue
        if shown.keep(c.article, (c.sentence,), c.text, c.source):
            count[c.source] = count.get(c.source, 0) + 1
            kept.append(c)
    return kept


def _by_story_turns(items: Sequence[_Cited], stories: Sequence[Story]) -> list[_Cited]:
    """Claims or forecasts in turns across stories (each story's best first), so a short list
    has items from more than one story; items outside every story follow in rank order."""
    story_of = {a: n for n, story in enumerate(stories) for a in story.articles}
    queues: dict[int, list[_Cited]] = {}
    for c in items:
        queues.setdefault(story_of.get(c.article, len(stories)), []).append(c)
    turns: list[_Cited] = []
    while any(queues.values()):
        for n in sorted(queues):
            if queues[n]:
                turns.append(queues[n].pop(0))
    return turns


_LOWER_FIRST = frozenset(
    {"the", "a", "an", "there", "it", "this", "that", "these", "those", "more", "most"}
    | {"further", "some", "many", "its", "their", "his", "her", "our", "we", "they", "he", "she"}
)
_QUOTES = '"“”'
_SHORT_DESCRIPTION = 8  # words of an actor's description worth putting beside the name


_BETWEEN_QUOTES = re.compile(
    r"(?P<end>[,.!?])[\"”] (?P<between>[^\"“”]{3,160}?)[.,] [\"“](?P<next>\w)"
)
# the verbs of an attribution written into a quotation or closing a forecast
_REPORTING = frozenset(
    ("said", "says", "told", "added", "wrote", "warned", "predicted", "noted", "continued",
     "explained")
)  # fmt: skip


def _join_quotes(text: str, source: str) -> str:
    """'“A,” Kurniawan told reporters. “B.”' is '“A. B.”': the speaker's own attribution
    between two parts of one quotation is left out (the sentence names the speaker)."""
    names = {source, source.split()[-1]}

    def join(m: re.Match[str]) -> str:
        between = m["between"]
        if not (set(between.split()) & _REPORTING and any(n in between for n in names)):
            return m[0]
        end = "." if m["end"] == "," else m["end"]
        return f"{end} {m['next']}"

    return _BETWEEN_QUOTES.sub(join, text)


def claim_sentence(c: Claim, description: str | None = None) -> str:
    """A claim as a reader reads it: 'Dedi Kurniawan, BNPB spokesman, said the toll could rise.'

    'told' with the outlet that carried it is 'told AFP', without one 'said'; 'saying' and
    'adding' are 'said' and 'added'; a quotation ending in a comma ends in a full stop.
    """
    who = c.source
    if description and " " not in description and description[:1].isupper():
        who = f"{description} {who}"  # a title: 'Governor Lindiwe Mahlangu'
    elif description and len(description.split()) <= _SHORT_DESCRIPTION:
        who = f"{who}, {description},"
    cue = {"saying": "said", "adding": "added", "telling": "told"}.get(c.cue, c.cue)
    if cue == "told":
        cue = f"told {c.via}" if c.via else "said"
    text = " ".join(c.text.split()).rstrip(" ,;:")
    if text[:1] in _QUOTES:
        text = _join_quotes(text, c.source)
        if text[-1:] in _QUOTES and text[-2:-1] in ",;:":
            text = text[:-2] + "." + text[-1]
        elif text[-1:] not in _QUOTES:  # a quotation the sentence leaves open: close it
            text += ("" if text[-1:] in ".!?" else ".") + ("”" if text[0] == "“" else '"')
        return f"{who} {cue}: {text}" if cue != "according to" else f"According to {who} {text}"
    text = _without_open_quote(text)
    first, _, rest = text.partition(" ")
    if first.lower() in _LOWER_FIRST and first[1:].islower():
        text = f"{first.lower()} {rest}".strip()
    if text[-1:] not in ".!?":
        text += "."
    if cue == "according to":
        return f"According to {who.rstrip(',')}, {text}"
    return f"{who} {cue} {text}"


_ATTRIBUTION_WORDS = 30  # longest ', Name, title, told Outlet.' clause that is cut


def _unfinished_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _attribution(text: str, source: str, cue: str) -> tuple[int, int] | None:
    """The forecaster's closing attribution clause: from its comma to the sentence's end."""
    verbs = {cue, *_REPORTING}

    def to_end(at: int) -> tuple[int, int] | None:
        end = text.find(". ", at)
        end = end if end >= 0 else len(text)
        return (at, end) if len(text[at:end].split()) <= _ATTRIBUTION_WORDS else None

    # ', said Dr Grace Mwale, an epidemiologist at …' closing the sentence
    said = "|".join(map(re.escape, sorted(verbs)))
    inverted = re.search(rf", (?:{said}) (?:[A-Z]\w*\.? ){{0,2}}{re.escape(source)}\b", text)
    if inverted:
        return to_end(inverted.start())
    at = text.find(f", {source}")
    if at < 0 and " " in source:  # ', Valdivia said.' for 'Governor Teresa Valdivia'
        at = text.find(f", {source.split()[-1]} ")
    clause = to_end(at) if at > 0 else None
    if clause is None:
        return None
    words = text[clause[0] : clause[1]].rstrip(".").split()
    # the clause ends with its cue and at most a few words after it: 'told Harbour Post'
    tail = next((n for n in range(len(words) - 1, -1, -1) if words[n] in verbs), -1)
    if tail < 0 or len(words) - tail > 5 or any(w.endswith(",") for w in words[tail:]):
        return None
    return clause


def forecast_statement(text: str, source: str, cue: str = "said") -> str:
    """A forecast as printed: 'Eruptions are likely in the coming weeks, Rina Hapsari, head of
    the centre, told Meridian Wire. “The magma' is 'Eruptions are likely in the coming weeks.'

    The forecaster's closing attribution clause (a comma, the name, up to the cue and its
    object at the sentence's end) is left out, and so is what follows it when that is a
    quotation cut short; a quotation ending in a comma ends in a full stop.
    """
    text = " ".join(text.split())
    clause = _attribution(text, source, cue)
    if clause is not None:
        at, end = clause
        rest = text[end + 2 :]
        text = text[:at].rstrip(" ,;:") + "."
        if rest and not _unfinished_quote(rest):
            text = f"{text} {rest}"
    if text[-2:] in (',"', ",”"):
        return text[:-2] + "." + text[-1]
    return _without_open_quote(text)


def _without_open_quote(text: str) -> str:
    """'… first session. "It was a serious' is '… first session.': a quotation that opens
    after a full sentence and is cut short is left out."""
    if _unfinished_quote(text):
        opening = max(text.rfind('"'), text.rfind("“"))
        head = text[:opening].rstrip()
        if head[-1:] in ".!?":
            return head
    return text


def _claim_item(rank: int, c: Claim, description: str | None = None) -> ClaimItem:
    return ClaimItem(
        rank=rank,
        source=c.source,
        source_kind=c.source_kind,
        cue=c.cue,
        text=c.text,
        statement=claim_sentence(c, description),
        quote=c.quote,
        via=c.via,
        target=c.target,
        article=c.article,
        sentence=c.sentence,
        start=c.start,
        end=c.end,
    )


def _status(story: Story, digests: set[str], earlier: Earlier) -> tuple[str, dt.date | None]:
    """new / developing / already_briefed against the stories of earlier briefs."""
    actors = set(story.actors[:5])
    match = None
    for day, key, seen_actors, seen_digests in earlier:
        shared = len(actors & seen_actors)
        union = len(actors | seen_actors) or 1
        if key == story.key or digests & seen_digests or (shared >= 2 and shared / union >= 0.5):
            match = (day, seen_digests)
    if match is None:
        return "new", None
    day, seen = match
    return ("already_briefed" if digests <= seen else "developing"), dt.date.fromisoformat(day)


def _story_item(
    n: int,
    story: Story,
    analysis: Analysis,
    audience: AudienceConfig,
    earlier: Earlier,
    shown: _Shown,
) -> StoryItem:
    """One story's section; shown holds what the brief shows before it, and grows."""
    by_id = {a.id: a for a in analysis.articles}
    digests = {by_id[i].digest for i in story.articles}
    described = {a.name: a.description for a in analysis.actors if a.description}
    status, previously = _status(story, digests, earlier)
    fresh = (k for k in story.bluf if not shown.has(k.article, (k.sentence,), k.text))
    lead = [k for k in fresh][:1]
    for k in lead:
        shown.add(k.article, (k.sentence,), k.text)
    outlook = _new_forecasts(_named(story.outlook)[: audience.max_outlook], shown)
    claims = [c for c in story.claims if audience.include_quotes or not c.quote]
    claims = _new_claims(claims, shown, per_source=MAX_CLAIMS_PER_SOURCE)
    return StoryItem(
        id=f"story-{n}",
        key=story.key,
        title=story.title,
        status=status,
        previously=previously,
        lead=story.articles[0],
        articles=list(story.articles),
        outlets=list(story.outlets),
        also_reported_by=list(story.outlets[1:]),
        actors=list(story.actors),
        bluf=[BlufItem(text=k.text, article=k.article, sentence=k.sentence) for k in lead],
        claims=[
            _claim_item(r, c, described.get(c.source))
            for r, c in enumerate(claims[: audience.max_story_claims], 1)
        ],
        outlook=[_outlook_item(f) for f in outlook],
    )


def build_context(
    analysis: Analysis,
    config: Config,
    brief_date: dt.date,
    audience: AudienceConfig | None = None,
    earlier: Earlier = (),
    skipped: Sequence[tuple[str, str]] = (),
    ledger: Sequence[Entry] | None = None,
) -> BriefContext:
    """Turn an Analysis into the context one audience's templates see; pure.

    The audience's limits are applied here, so templates only present what they get.
    earlier holds the stories of earlier briefs (history) to mark what is new; ledger the
    forecast ledger's entries (history), for the ledger's sections.
    """
    from briefing.ledger_context import disagreement_items, ledger_item

    audience = audience or config.audience()
    actors = [
        a
        for a in analysis.actors
        if a.mentions >= audience.min_actor_mentions or "forecaster" in a.roles
    ]
    actors = actors[: audience.max_actors] if audience.include_actors else []
    classification = audience.classification
    if classification is None:
        classification = config.brief.classification
    described = {a.name: a.description for a in analysis.actors if a.description}
    cover = _Shown()
    bluf = [
        BlufItem(text=k.text, article=k.article, sentence=k.sentence)
        for k in analysis.bluf[: audience.max_bluf]
        if cover.keep(k.article, (k.sentence,), k.text)
    ]
    # the lists after the bottom line (executive, press): nothing the cover says again
    shown = _Shown(cover)
    named = _named(analysis.outlook)
    forecasts = _by_story_turns(named, analysis.stories)
    short_outlook = [_outlook_item(f) for f in _new_forecasts(forecasts, shown)]
    short_outlook = short_outlook[: audience.max_outlook]
    expectations = [_outlook_item(f) for f in analysis.own_outlook[: audience.max_outlook]]
    claims = [c for c in analysis.claims if audience.include_quotes or not c.quote]
    short_claims = _new_claims(_by_story_turns(claims, analysis.stories), shown)
    short_claims = short_claims[: audience.max_claims]
    # the full ranked lists: what `briefing context` and the analyst brief's reader get
    claims = claims[: audience.max_claims]
    outlook = [_outlook_item(f) for f in named[: audience.max_outlook]]
    unnamed = [_outlook_item(f) for f in _named(analysis.outlook, False)[: audience.max_outlook]]
    # the story sections (analyst): each sentence once, after the cover
    in_stories = _Shown(cover)
    stories = [
        _story_item(n, story, analysis, audience, earlier, in_stories)
        for n, story in enumerate(analysis.stories[: audience.max_stories], start=1)
    ]
    cited = {c.article for c in claims} | {k.article for k in bluf}
    cited.update(f.article for f in [*outlook, *expectations, *unnamed])
    for story in stories:
        cited.add(story.lead)
        cited.update(k.article for k in story.bluf)
        cited.update(c.article for c in story.claims)
        cited.update(f.article for f in story.outlook)
    room = audience.max_sources - len(cited)
    listed = []
    for article in analysis.articles:
        if article.id in cited:
            listed.append(article)
        elif room > 0:
            listed.append(article)
            room -= 1
    return BriefContext(
        title=config.brief.title,
        date=brief_date,
        audience=AudienceItem(
            name=audience.name,
            language=audience.language,
            include_quotes=audience.include_quotes,
            include_actors=audience.include_actors,
        ),
        classification=classification,
        author=config.brief.author,
        bluf=bluf,
        actors=[
            ActorItem(
                name=a.name,
                kind=a.kind,
                aliases=list(a.aliases),
                description=a.description,
                mentions=a.mentions,
                roles=list(a.roles),
                articles=list(a.articles),
                places=[
                    PlaceItem(article=art, sentence=n, start=start, end=end)
                    for art, n, start, end in a.places
                ],
            )
            for a in actors
        ],
        claims=[_claim_item(n, c, described.get(c.source)) for n, c in enumerate(claims, start=1)],
        outlook=outlook,
        short_claims=[
            _claim_item(n, c, described.get(c.source)) for n, c in enumerate(short_claims, start=1)
        ],
        short_outlook=short_outlook,
        expectations=expectations,
        outlook_unnamed=unnamed,
        to_watch=[
            _outlook_item(f)
            for f in sorted(
                (f for f in named if f.horizon is not None),
                key=lambda f: (f.horizon.end, f.horizon.start) if f.horizon else (brief_date,) * 2,
            )[: audience.max_outlook]
        ],
        stories=stories,
        sources=[
            SourceItem(
                id=a.id,
                title=a.title,
                path=a.source,
                date=a.date,
                dateline=a.dateline,
                outlet=a.outlet,
                url=a.url,
                published=a.published,
                words=a.words,
                date_from=a.date_from,
            )
            for a in listed
        ],
        skipped=[SkippedItem(source=src, reason=why) for src, why in skipped],
        stats=Stats(
            articles=len(analysis.articles),
            words=sum(a.words for a in analysis.articles),
            actors=len(analysis.actors),
            claims=len(analysis.claims),
            forecasts=len(analysis.outlook),
            stories=len(analysis.stories),
            unlisted=len(analysis.articles) - len(listed),
            unlisted_actors=len(analysis.actors) - len(actors) if audience.include_actors else 0,
        ),
        disagreements=disagreement_items(
            [(item.id, story) for item, story in zip(stories, analysis.stories, strict=False)],
            _outlook_item,
        ),
        ledger=ledger_item(
            ledger,
            brief_date,
            config.ledger,
            in_stories={(f.article, n) for s in stories for f in s.outlook for n in f.sentences},
            in_lists={(f.article, n) for f in short_outlook for n in f.sentences},
        )
        if ledger is not None
        else None,
    )
