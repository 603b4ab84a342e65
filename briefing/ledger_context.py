"""The ledger's part of the context: falling due, new forecasts, records, calibration,
and the forecasts of one story that disagree. Pure: the entries come in as arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence

from briefing import ledger
from briefing.config import LedgerConfig
from briefing.context import (
    BAND_WORDS,
    CalibrationItem,
    DisagreementItem,
    HorizonItem,
    LedgerEntryItem,
    LedgerItem,
    LikelihoodItem,
    OutlookItem,
    SourceRecordItem,
    forecast_statement,
)
from briefing.ledger import Entry
from briefing.models import Forecast, Story

Places = Collection[tuple[str, int]]  # (article id, sentence) a brief prints a forecast from


def _printed(entry: Entry, places: Places) -> bool:
    return any((s.article, n) in places for s in entry.sightings for n in s.sentences)


def entry_item(
    entry: Entry, today: dt.date, in_stories: Places = (), in_lists: Places = ()
) -> LedgerEntryItem:
    """One ledger entry as the templates see it; in_stories and in_lists are the places of
    the forecasts the brief prints in its story tables and in its outlook list."""
    first = entry.first
    horizon = None
    if first.horizon_start and first.horizon_end:
        horizon = HorizonItem(
            text=first.horizon_text or "", start=first.horizon_start, end=first.horizon_end
        )
    likelihood = None
    if first.band and first.low is not None and first.high is not None:
        likelihood = LikelihoodItem(
            cue=first.likelihood_cue or "",
            band=first.band,
            label=BAND_WORDS[first.band],
            low=first.low,
            high=first.high,
        )
    return LedgerEntryItem(
        id=entry.id,
        source=first.source,
        source_description=first.affiliation,
        text=first.text,
        statement=forecast_statement(first.text, first.source, first.cue),
        likelihood=likelihood,
        horizon=horizon,
        first_seen=first.seen,
        first_reported_by=first.outlet or first.title,
        first_url=first.url,
        story=first.story_title,
        repeats=len(entry.repeats),
        status=ledger.status(entry, today),
        outcome=entry.resolution.outcome if entry.resolution else None,
        days_left=(first.horizon_end - today).days if first.horizon_end else None,
        in_stories=_printed(entry, in_stories),
        in_lists=_printed(entry, in_lists),
    )


def ledger_item(
    entries: Sequence[Entry],
    today: dt.date,
    settings: LedgerConfig,
    in_stories: Places = (),
    in_lists: Places = (),
) -> LedgerItem:
    """The ledger as of today: what falls due, what is new, records and calibration; each
    entry says whether the brief prints it already (see entry_item)."""
    seen = ledger.as_of(entries, today)
    window = ledger.Window(ahead=settings.due_ahead_days, back=settings.due_back_days)
    records = [
        SourceRecordItem(
            source=s.key,
            resolved=s.resolved,
            happened=float(s.happened) if s.happened is not None else 0.0,
            scored=s.scored,
            brier=float(s.brier) if s.brier is not None else None,
        )
        for s in ledger.scores_by(seen, ledger.by_source)
        if s.resolved >= settings.min_resolved
    ]
    bands = {s.key: s for s in ledger.scores_by(seen, ledger.by_band)}
    calibration = []
    for band, (low, high) in ledger.band_ranges().items():
        score = bands.get(band)
        calibration.append(
            CalibrationItem(
                band=band,
                label=BAND_WORDS[band],
                low=low,
                high=high,
                resolved=score.resolved if score else 0,
                happened=float(score.happened) if score and score.happened is not None else None,
            )
        )
    return LedgerItem(
        entries=len(seen),
        resolved=ledger.score("all", seen).resolved,
        falling_due=[
            entry_item(e, today, in_stories, in_lists)
            for e in ledger.falling_due(seen, today, window)
        ],
        new=[entry_item(e, today, in_stories, in_lists) for e in ledger.first_seen_on(seen, today)],
        records=records,
        calibration=calibration,
    )


def disagreement_items(
    stories: Sequence[tuple[str, Story]], outlook_item: Callable[[Forecast], OutlookItem]
) -> list[DisagreementItem]:
    """Pairs of forecasts in each (anchor, story) that disagree, story by story."""
    return [
        DisagreementItem(
            story=anchor,
            story_title=story.title,
            reason=why,
            first=outlook_item(a),
            second=outlook_item(b),
        )
        for anchor, story in stories
        for a, b, why in ledger.disagreements(story.outlook)
    ]
