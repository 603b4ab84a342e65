"""The forecast ledger: every forecast remembered, matched with its repeats, and scored.

Pure functions on frozen values; the SQLite side is briefing/ledger_store.py. A sighting is
one outlook item in one article; an entry is one forecast with every sighting that repeats it.
docs/ledger.md says how repeats are matched and what the scores can and cannot tell.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Literal, get_args

from briefing.models import Analysis, Band, Forecast

BANDS: tuple[Band, ...] = get_args(Band)  # in order, almost_no_chance first
Outcome = Literal["happened", "not-happened", "partly", "void"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# what an outcome counts as in shares and Brier scores; void is left out of both
OUTCOME_VALUE: dict[str, Fraction] = {
    "happened": Fraction(1),
    "not-happened": Fraction(0),
    "partly": Fraction(1, 2),
}
Status = Literal["open", "awaiting_outcome", "resolved"]
REPEAT_SIMILARITY = 0.6  # share of the shorter text's content words the other must have
DISAGREE_SIMILARITY = 0.5  # the same for two sources' forecasts of one event
DISAGREE_STEPS = 2  # bands this far apart disagree


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _wordset(
    """a an the of to in on at by for from with and or but as than that this these those it its
    is are was were be been being will would could should may might can shall must not no
    said says say told added he she they we i his her their our there here which who what when
    next last this year month week day days weeks months years coming likely unlikely
    probably possibly chance expected expects expect very highly almost certain certainly
    some more most less also about over under before after into out up down"""
)
_RISE = _wordset(
    "rise rises rising rose grow grows growing increase increases higher up climb climbs gain "
    "gains accelerate accelerates strengthen hike hikes raise raises above exceed exceeds"
)
_FALL = _wordset(
    "fall falls falling fell drop drops decline declines lower down cut cuts ease eases slow "
    "slows shrink shrinks weaken weakens below"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sighting:
    """One report of a forecast: an outlook item in one article, first seen on one day."""

    seen: date
    source: str
    source_kind: str
    affiliation: str | None
    text: str
    cue: str
    band: Band | None
    low: int | None
    high: int | None
    horizon_text: str | None
    horizon_start: date | None
    horizon_end: date | None
    article: str
    digest: str
    title: str
    outlet: str | None
    url: str | None
    story: str | None
    story_title: str | None
    sentences: tuple[int, ...]
    likelihood_cue: str | None = None

    @property
    def key(self) -> str:
        """Identity of the sighting: the same article's same sentences are one sighting."""
        sentences = ",".join(str(n) for n in self.sentences)
        return _hash(self.digest, sentences, normalise(self.source), normalise(self.text))


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """What came of a forecast, as recorded by `briefing ledger resolve`."""

    outcome: Outcome
    resolved_on: date
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One forecast: its first sighting decides what it says, later ones are its repeats."""

    id: str
    sightings: tuple[Sighting, ...]  # the first sighting first
    resolution: Resolution | None = None

    @property
    def first(self) -> Sighting:
        return self.sightings[0]

    @property
    def repeats(self) -> tuple[Sighting, ...]:
        return self.sightings[1:]

    @property
    def first_seen(self) -> date:
        return self.first.seen


@dataclass(frozen=True, slots=True, kw_only=True)
class Recorded:
    """The ledger after a run: every entry, and the sightings the run adds (entry id, sighting)."""

    entries: tuple[Entry, ...]
    added: tuple[tuple[str, Sighting], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """Falling due: horizon ending within `ahead` days after today or `back` days before."""

    ahead: int = 7
    back: int = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """A source's or a band's record over resolved entries (void left out)."""

    key: str
    resolved: int  # entries with an outcome other than void
    happened: Fraction | None  # mean outcome: happened 1, partly 1/2, not-happened 0
    scored: int  # resolved entries with a stated band
    brier: Fraction | None  # mean (band midpoint - outcome)^2 over the scored ones


def normalise(text: str) -> str:
    """Lower case, accents and punctuation folded, spaces single: what ids are made of."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower().replace("%", " percent ")))


def entry_id(sighting: Sighting) -> str:
    """Stable id of the entry a sighting founds: hash of source, text and horizon."""
    horizon = f"{sighting.horizon_start}..{sighting.horizon_end}" if sighting.horizon_end else ""
    return _hash(normalise(sighting.source), normalise(sighting.text), horizon)[:12]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """The words that say what a forecast is about, crudely stemmed ('falls' is 'fall')."""
    words = set()
    for word in normalise(text).split():
        if word in _STOP or (len(word) < 3 and not word.isdigit()):
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        words.add(word[:7])
    return frozenset(words)


def similarity(a: str, b: str) -> float:
    """Overlap of content words: shared / the smaller set; 0 when fewer than two are shared."""
    left, right = content_words(a), content_words(b)
    shared = len(left & right)
    if shared < 2:
        return 0.0
    return shared / min(len(left), len(right))


def _horizons_meet(a: Sighting, b: Sighting) -> bool:
    """Unstated horizons meet any; stated ones must overlap."""
    if a.horizon_start is None or b.horizon_start is None:
        return True
    assert a.horizon_end is not None and b.horizon_end is not None
    return a.horizon_start <= b.horizon_end and b.horizon_start <= a.horizon_end


def _about(sighting: Sighting) -> str:
    """What a forecast is about: its text without the time phrase ('by the end of the month')."""
    if not sighting.horizon_text:
        return sighting.text
    return re.sub(re.escape(sighting.horizon_text), " ", sighting.text, flags=re.IGNORECASE)


def repeats(entry: Entry, sighting: Sighting) -> float:
    """How well a sighting repeats an entry (0: not at all).

    Same source, horizons that meet, the same band or one unstated (a new band is a revised
    forecast, a new entry), and most content words shared with one of its sightings.
    """
    first = entry.first
    if normalise(first.source) != normalise(sighting.source):
        return 0.0
    if first.band and sighting.band and first.band != sighting.band:
        return 0.0
    if not _horizons_meet(first, sighting):
        return 0.0
    best = max(similarity(_about(s), _about(sighting)) for s in entry.sightings)
    return best if best >= REPEAT_SIMILARITY else 0.0


def _order(sighting: Sighting) -> tuple[str, str, str, tuple[int, ...]]:
    return (sighting.seen.isoformat(), sighting.story or "", sighting.digest, sighting.sentences)


def make_entry(
    entry_id: str, sightings: Iterable[Sighting], resolution: Resolution | None = None
) -> Entry:
    """An entry with its sightings in order, the first sighting first."""
    return Entry(id=entry_id, sightings=tuple(sorted(sightings, key=_order)), resolution=resolution)


def ordered(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Entries in the ledger's order: by first sighting, then id."""
    return tuple(sorted(entries, key=lambda e: (_order(e.first), e.id)))


def record(entries: Sequence[Entry], sightings: Iterable[Sighting]) -> Recorded:
    """Add a run's sightings to the ledger: each repeats the best-matching entry or founds one.

    A sighting already recorded (same article, same sentences) changes nothing, so running a
    date again gives the same ledger.
    """
    known = {s.key for e in entries for s in e.sightings}
    by_id = {e.id: e for e in entries}
    by_source: dict[str, list[str]] = {}  # only one source's entries can be repeated
    for e in entries:
        by_source.setdefault(normalise(e.first.source), []).append(e.id)
    added: list[tuple[str, Sighting]] = []
    for sighting in sorted(sightings, key=_order):
        if sighting.key in known:
            continue
        known.add(sighting.key)
        same_source = by_source.setdefault(normalise(sighting.source), [])
        scored = [(repeats(by_id[i], sighting), i) for i in same_source]
        # the closest match; among equals the oldest entry, then the smallest id
        best = min(
            scored,
            key=lambda pair: (-pair[0], by_id[pair[1]].first_seen, pair[1]),
            default=(0.0, ""),
        )
        if best[0] > 0:
            entry = by_id[best[1]]
            by_id[entry.id] = make_entry(entry.id, (*entry.sightings, sighting), entry.resolution)
            added.append((entry.id, sighting))
            continue
        new_id = entry_id(sighting)
        while new_id in by_id:  # the same words, another band or horizon: still its own entry
            new_id = _hash(new_id)[:12]
        by_id[new_id] = Entry(id=new_id, sightings=(sighting,))
        same_source.append(new_id)
        added.append((new_id, sighting))
    return Recorded(entries=ordered(by_id.values()), added=tuple(added))


def sightings_of(analysis: Analysis, day: date) -> tuple[Sighting, ...]:
    """Every named source's forecast in a run's analysis, as sightings seen on day."""
    articles = {a.id: a for a in analysis.articles}
    stories = {a: s for s in analysis.stories for a in s.articles}
    found = []
    for f in analysis.outlook:
        if f.source_kind == "unnamed":
            continue  # 'analysts expect': no one's record to keep
        article = articles[f.article]
        story = stories.get(f.article)
        found.append(
            Sighting(
                seen=day,
                source=f.source,
                source_kind=f.source_kind,
                affiliation=f.source_description,
                text=f.text,
                cue=f.cue,
                band=f.likelihood.band if f.likelihood else None,
                low=f.likelihood.low if f.likelihood else None,
                high=f.likelihood.high if f.likelihood else None,
                horizon_text=f.horizon.text if f.horizon else None,
                horizon_start=f.horizon.start if f.horizon else None,
                horizon_end=f.horizon.end if f.horizon else None,
                article=f.article,
                digest=article.digest or _hash(article.text),
                title=article.title,
                outlet=article.outlet,
                url=article.url,
                story=story.key if story else None,
                story_title=story.title if story else None,
                sentences=f.sentences,
                likelihood_cue=f.likelihood.cue if f.likelihood else None,
            )
        )
    return tuple(found)


def as_of(entries: Sequence[Entry], day: date) -> tuple[Entry, ...]:
    """The ledger as a brief of `day` sees it: sightings after that day, and outcomes
    recorded after it, left out (a re-run of an old brief shows what was known then)."""
    seen = []
    for entry in entries:
        kept = tuple(s for s in entry.sightings if s.seen <= day)
        if not kept:
            continue
        outcome = entry.resolution
        if outcome is not None and outcome.resolved_on > day:
            outcome = None
        seen.append(replace(entry, sightings=kept, resolution=outcome))
    return tuple(seen)


def status(entry: Entry, today: date) -> Status:
    """resolved; awaiting_outcome once the horizon has ended unresolved; else open."""
    if entry.resolution is not None:
        return "resolved"
    end = entry.first.horizon_end
    return "awaiting_outcome" if end is not None and end < today else "open"


def falling_due(entries: Iterable[Entry], today: date, window: Window) -> tuple[Entry, ...]:
    """Unresolved entries whose horizon ends in the window around today, nearest first."""
    low, high = today - timedelta(days=window.back), today + timedelta(days=window.ahead)
    due = [
        e
        for e in entries
        if e.resolution is None and e.first.horizon_end and low <= e.first.horizon_end <= high
    ]

    def nearness(e: Entry) -> tuple[int, date, str]:
        assert e.first.horizon_end is not None
        return abs((e.first.horizon_end - today).days), e.first.horizon_end, e.id

    return tuple(sorted(due, key=nearness))


def first_seen_on(entries: Iterable[Entry], day: date) -> tuple[Entry, ...]:
    """Entries whose first sighting is on day: the new forecasts of that day's brief."""
    return tuple(e for e in entries if e.first_seen == day)


def midpoint(sighting: Sighting) -> Fraction | None:
    """The probability a band stands for in scores: the middle of its range."""
    if sighting.low is None or sighting.high is None:
        return None
    return Fraction(sighting.low + sighting.high, 200)


def score(key: str, entries: Iterable[Entry]) -> Score:
    """Count, mean outcome and Brier score of the resolved, non-void entries given."""
    values: list[Fraction] = []
    errors: list[Fraction] = []
    for entry in entries:
        if entry.resolution is None or entry.resolution.outcome == "void":
            continue
        value = OUTCOME_VALUE[entry.resolution.outcome]
        values.append(value)
        p = midpoint(entry.first)
        if p is not None:
            errors.append((p - value) ** 2)
    return Score(
        key=key,
        resolved=len(values),
        happened=sum(values, Fraction(0)) / len(values) if values else None,
        scored=len(errors),
        brier=sum(errors, Fraction(0)) / len(errors) if errors else None,
    )


def scores_by(entries: Sequence[Entry], key: Callable[[Entry], str | None]) -> tuple[Score, ...]:
    """One Score per key (source, band) over the entries that have one, in key order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        name = key(entry)
        if name is not None:
            groups.setdefault(name, []).append(entry)
    return tuple(score(name, group) for name, group in sorted(groups.items()))


def by_source(entry: Entry) -> str:
    return entry.first.source


def by_band(entry: Entry) -> str:
    return entry.first.band or "unstated"


@lru_cache(maxsize=1)
def band_ranges() -> dict[str, tuple[int, int]]:
    """ICD-203 band -> (low, high) per cent, from the likelihood table."""
    from importlib.resources import files

    import yaml

    table = yaml.safe_load(files("briefing.data").joinpath("likelihood.yaml").read_text("utf-8"))
    return {band: (low, high) for band, (low, high) in table["bands"].items()}


def direction(text: str) -> int:
    """+1 when a forecast says something rises, -1 when it falls, 0 when neither or both."""
    words = set(normalise(text).split())
    rise, fall = bool(words & _RISE), bool(words & _FALL)
    return int(rise) - int(fall)


def _event_words(text: str) -> str:
    """The text without its words of direction, so 'rise' and 'fall' can be one event."""
    return " ".join(w for w in normalise(text).split() if w not in _RISE and w not in _FALL)


def disagreement(a: Forecast, b: Forecast) -> Literal["bands", "direction"] | None:
    """Why two sources' forecasts of one event disagree, or None.

    One event: different sources, horizons that meet, most content words shared (words of
    direction aside). They disagree when their bands are DISAGREE_STEPS or more apart
    ('likely' against 'unlikely'), or when one says up and the other down.
    """
    if normalise(a.source) == normalise(b.source):
        return None
    if (
        a.horizon
        and b.horizon
        and (a.horizon.start > b.horizon.end or b.horizon.start > a.horizon.end)
    ):
        return None
    if similarity(_event_words(a.text), _event_words(b.text)) < DISAGREE_SIMILARITY:
        return None
    if a.likelihood and b.likelihood:
        steps = abs(BANDS.index(a.likelihood.band) - BANDS.index(b.likelihood.band))
        if steps >= DISAGREE_STEPS:
            return "bands"
    ways = direction(a.text), direction(b.text)
    return "direction" if 0 not in ways and ways[0] != ways[1] else None


def disagreements(
    forecasts: Sequence[Forecast],
) -> tuple[tuple[Forecast, Forecast, Literal["bands", "direction"]], ...]:
    """Every pair of one story's forecasts that disagree, in the story's order."""
    pairs = []
    for i, a in enumerate(forecasts):
        for b in forecasts[i + 1 :]:
            why = disagreement(a, b)
            if why is not None:
                pairs.append((a, b, why))
    return tuple(pairs)


def entry_record(entry: Entry, today: date) -> dict[str, object]:
    """An entry as plain data (for --json and CSV): its first sighting, status and repeats."""
    first = entry.first
    resolution = entry.resolution
    return {
        "id": entry.id,
        "status": status(entry, today),
        "source": first.source,
        "affiliation": first.affiliation,
        "text": first.text,
        "band": first.band,
        "low": first.low,
        "high": first.high,
        "horizon": first.horizon_text,
        "horizon_start": first.horizon_start.isoformat() if first.horizon_start else None,
        "horizon_end": first.horizon_end.isoformat() if first.horizon_end else None,
        "first_seen": first.seen.isoformat(),
        "article": first.article,
        "outlet": first.outlet,
        "url": first.url,
        "story": first.story_title,
        "outcome": resolution.outcome if resolution else None,
        "resolved_on": resolution.resolved_on.isoformat() if resolution else None,
        "note": resolution.note if resolution else None,
        "repeats": [
            {"seen": s.seen.isoformat(), "outlet": s.outlet, "url": s.url, "text": s.text}
            for s in entry.repeats
        ],
    }


CSV_COLUMNS = (
    "id", "status", "source", "affiliation", "text", "band", "low", "high", "horizon",
    "horizon_start", "horizon_end", "first_seen", "article", "outlet", "url", "story",
    "outcome", "resolved_on", "note", "repeats",
)  # fmt: skip
