"""The forecast ledger: entries, repeats, re-runs, the due window, scores, a killed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from briefing import ledger
from briefing.ledger import Entry, Resolution, Sighting, Window
from briefing.models import Forecast, Horizon, Likelihood
from briefing.store import History

ROOT = Path(__file__).resolve().parent.parent
BAND_RANGE = {"likely": (55, 80), "unlikely": (20, 45), "very_likely": (80, 95)}


def sighting(
    text: str = "inflation is likely to fall below 3 percent by March",
    *,
    source: str = "Ana Ruiz",
    seen: date = date(2025, 9, 21),
    band: str | None = "likely",
    horizon: tuple[date, date] | None = (date(2025, 9, 21), date(2026, 3, 31)),
    digest: str = "d1",
    outlet: str = "Meridian Wire",
    sentences: tuple[int, ...] = (3,),
) -> Sighting:
    low, high = BAND_RANGE[band] if band else (None, None)
    return Sighting(
        seen=seen,
        source=source,
        source_kind="person",
        affiliation="chief economist at Banco Sur",
        text=text,
        cue="said",
        band=band,  # type: ignore[arg-type]
        low=low,
        high=high,
        horizon_text="by March" if horizon else None,
        horizon_start=horizon[0] if horizon else None,
        horizon_end=horizon[1] if horizon else None,
        article=f"a-{digest}",
        digest=digest,
        title="A headline",
        outlet=outlet,
        url=None,
        story="s1",
        story_title="A headline",
        sentences=sentences,
    )


def resolved(entry: Entry, outcome: str, on: date = date(2026, 4, 1)) -> Entry:
    return replace(entry, resolution=Resolution(outcome=outcome, resolved_on=on))  # type: ignore[arg-type]


# entries and repeats


def test_forecasts_of_unnamed_sources_are_not_recorded() -> None:
    """'analysts expect ...': the ledger keeps named sources' records only."""
    from briefing.models import Analysis, Article

    article = Article(
        id="a", title="Growers expect a bigger harvest", text="Body.", source="a.txt",
        date=date(2025, 9, 21), outlet="Meridian Wire",
    )  # fmt: skip

    def forecast(source: str, kind: str) -> Forecast:
        return Forecast(
            source=source, source_kind=kind, source_description=None,  # type: ignore[arg-type]
            text="Output is likely to rise next year.", horizon=None, likelihood=None,
            article="a", sentences=(0,), cue="said",
        )  # fmt: skip

    outlook = (forecast("coffee growers", "unnamed"), forecast("Ana Ruiz", "person"))
    analysis = Analysis(articles=(article,), actors=(), claims=(), outlook=outlook, bluf=())
    seen = ledger.sightings_of(analysis, date(2025, 9, 21))
    assert [s.source for s in seen] == ["Ana Ruiz"]


def test_the_same_forecast_from_another_outlet_and_a_later_day_is_one_entry() -> None:
    first = sighting()
    other_outlet = sighting(
        "Inflation would likely drop below 3% by March, Ana Ruiz said",
        digest="d2",
        outlet="Harbour Post",
    )
    next_day = sighting(seen=date(2025, 9, 22), digest="d3", outlet="Eastgate Times")
    recorded = ledger.record([], [first, other_outlet, next_day])
    assert len(recorded.entries) == 1
    entry = recorded.entries[0]
    assert entry.first == first
    assert [s.outlet for s in entry.repeats] == ["Harbour Post", "Eastgate Times"]
    assert entry.id == ledger.entry_id(first)
    assert len(entry.id) == 12


@pytest.mark.parametrize(
    "other",
    [
        sighting(source="Ben Okafor", digest="d2"),  # another source
        sighting(band="unlikely", digest="d2"),  # a revised band is a new forecast
        sighting(horizon=(date(2026, 6, 1), date(2026, 6, 30)), digest="d2"),  # another time
        sighting("the central bank is likely to cut rates in October", digest="d2"),
    ],
    ids=["source", "band", "horizon", "event"],
)
def test_forecasts_that_differ_stay_apart(other: Sighting) -> None:
    assert len(ledger.record([], [sighting(), other]).entries) == 2


def test_an_unstated_horizon_or_band_can_repeat_a_stated_one() -> None:
    bare = sighting(
        "Ruiz said inflation would fall below 3 percent", band=None, horizon=None, digest="d2"
    )
    assert len(ledger.record([], [sighting(), bare]).entries) == 1


def test_recording_the_same_run_again_changes_nothing() -> None:
    run = [sighting(), sighting("unemployment is likely to rise above 9 percent", sentences=(5,))]
    once = ledger.record([], run)
    twice = ledger.record(once.entries, run)
    assert twice.added == ()
    assert twice.entries == once.entries
    assert ledger.record([], list(reversed(run))).entries == once.entries  # order of input


def test_an_article_seen_on_two_days_is_one_sighting() -> None:
    """The look-back window can put one article in two days' runs."""
    once = ledger.record([], [sighting()])
    again = ledger.record(once.entries, [sighting(seen=date(2025, 9, 22))])
    assert again.added == ()
    assert again.entries[0].repeats == ()


def test_as_of_leaves_out_later_sightings() -> None:
    later = sighting(seen=date(2025, 9, 23), digest="d2")
    new = sighting(
        "unemployment is likely to rise above 9 percent", seen=date(2025, 9, 23), digest="d3"
    )
    entries = ledger.record([], [sighting(), later, new]).entries
    view = ledger.as_of(entries, date(2025, 9, 22))
    assert len(view) == 1
    assert view[0].repeats == ()
    assert ledger.first_seen_on(entries, date(2025, 9, 23))[0].first == new


def test_as_of_leaves_out_outcomes_recorded_after_the_day() -> None:
    entry = resolved(ledger.record([], [sighting()]).entries[0], "happened")  # on 2026-04-01
    before = ledger.as_of([entry], date(2026, 3, 31))[0]
    assert before.resolution is None
    assert ledger.status(before, date(2026, 3, 31)) == "open"
    assert ledger.score("all", [before]).resolved == 0
    on_the_day = ledger.as_of([entry], date(2026, 4, 1))[0]
    assert on_the_day.resolution == entry.resolution
    assert ledger.score("all", [on_the_day]).resolved == 1


# status and the due window


def test_a_past_horizon_without_an_outcome_is_awaiting_outcome() -> None:
    entry = ledger.record([], [sighting()]).entries[0]
    assert ledger.status(entry, date(2026, 3, 31)) == "open"
    assert ledger.status(entry, date(2026, 4, 1)) == "awaiting_outcome"
    assert ledger.status(resolved(entry, "happened"), date(2026, 4, 1)) == "resolved"


@pytest.mark.parametrize(
    ("end", "today", "due"),
    [
        (date(2025, 12, 31), date(2025, 12, 24), True),  # 7 days ahead, across nothing
        (date(2025, 12, 31), date(2025, 12, 23), False),  # 8 days ahead
        (date(2026, 1, 3), date(2025, 12, 27), True),  # ahead across the year end
        (date(2026, 1, 4), date(2025, 12, 27), False),
        (date(2025, 12, 29), date(2026, 1, 5), True),  # 7 days back across the year end
        (date(2025, 12, 28), date(2026, 1, 5), False),
        (date(2024, 2, 29), date(2024, 3, 7), True),  # back across a leap-year February
        (date(2024, 2, 29), date(2024, 3, 8), False),
        (date(2025, 3, 3), date(2025, 2, 24), True),  # ahead across a short February
        (date(2025, 3, 4), date(2025, 2, 24), False),
        (date(2025, 9, 30), date(2025, 9, 30), True),  # ends today
    ],
)
def test_the_due_window_at_month_and_year_ends(end: date, today: date, due: bool) -> None:
    entry = ledger.record([], [sighting(horizon=(date(2024, 1, 1), end))]).entries[0]
    assert bool(ledger.falling_due([entry], today, Window())) is due


def test_the_due_window_is_configurable_and_skips_resolved_and_unstated() -> None:
    dated = sighting(horizon=(date(2025, 1, 1), date(2025, 10, 10)))
    undated = sighting(
        "unemployment is likely to rise above 9 percent", horizon=None, sentences=(5,)
    )
    entries = ledger.record([], [dated, undated]).entries
    today = date(2025, 9, 30)
    assert ledger.falling_due(entries, today, Window()) == ()
    assert [e.first for e in ledger.falling_due(entries, today, Window(ahead=10))] == [dated]
    done = [resolved(e, "happened") for e in entries]
    assert ledger.falling_due(done, today, Window(ahead=10)) == ()


def test_falling_due_lists_the_nearest_first() -> None:
    near = sighting(horizon=(date(2025, 9, 1), date(2025, 9, 29)))
    far = sighting(
        "unemployment is likely to rise above 9 percent",
        horizon=(date(2025, 9, 1), date(2025, 9, 24)),
        sentences=(5,),
    )
    entries = ledger.record([], [far, near]).entries
    assert [e.first for e in ledger.falling_due(entries, date(2025, 9, 30), Window())] == [
        near,
        far,
    ]


# scores


def three_entries(on: date = date(2026, 4, 1)) -> tuple[Entry, ...]:
    run = [
        sighting(),  # likely, 55-80: p = 0.675
        sighting(
            "the peso is unlikely to recover its losses this year", band="unlikely", sentences=(5,)
        ),
        sighting("exports are likely to grow by 4 percent next year", sentences=(7,)),
        sighting("copper output will probably rise in March", band=None, sentences=(9,)),
        sighting("the mine is very likely to reopen in March", band="very_likely", sentences=(11,)),
    ]
    entries = ledger.record([], run).entries
    outcomes = {
        "inflation": "happened",
        "peso": "happened",
        "exports": "partly",
        "copper": "not-happened",
        "mine": "void",
    }
    return tuple(
        resolved(e, next(o for word, o in outcomes.items() if word in e.first.text), on)
        for e in entries
    )


def test_brier_score_over_resolved_entries_exactly() -> None:
    score = ledger.score("Ana Ruiz", three_entries())
    # void left out; the unstated band counted (4 resolved) but not scored (3 scored)
    assert score.resolved == 4
    assert score.scored == 3
    assert score.happened == Fraction(1 + 1 + Fraction(1, 2) + 0, 4)
    # (0.675-1)^2 + (0.325-1)^2 + (0.675-0.5)^2 = 0.105625 + 0.455625 + 0.030625
    assert score.brier == Fraction(591875, 3_000_000)
    assert float(score.brier) == 0.19729166666666667


def test_scores_per_band_and_per_source() -> None:
    entries = three_entries()
    bands = {s.key: s for s in ledger.scores_by(entries, ledger.by_band)}
    assert set(bands) == {"likely", "unlikely", "unstated", "very_likely"}
    assert bands["likely"].resolved == 2
    assert bands["likely"].brier == (Fraction(13, 40) ** 2 + Fraction(7, 40) ** 2) / 2
    assert bands["unstated"].scored == 0 and bands["unstated"].brier is None
    assert bands["very_likely"].resolved == 0 and bands["very_likely"].happened is None
    sources = ledger.scores_by(entries, ledger.by_source)
    assert [(s.key, s.resolved) for s in sources] == [("Ana Ruiz", 4)]


def test_an_unresolved_ledger_has_no_score() -> None:
    score = ledger.score("x", ledger.record([], [sighting()]).entries)
    assert (score.resolved, score.happened, score.brier) == (0, None, None)


# disagreement


def forecast(source: str, text: str, band: str, low: int, high: int) -> Forecast:
    return Forecast(
        source=source,
        source_kind="person",
        source_description=None,
        text=text,
        horizon=Horizon(text="next month", start=date(2025, 10, 1), end=date(2025, 10, 31)),
        likelihood=Likelihood(cue="likely", band=band, low=low, high=high),  # type: ignore[arg-type]
        article="a1",
        sentences=(1,),
        cue="said",
    )


def test_sources_disagree_on_bands_two_steps_apart_or_on_direction() -> None:
    cut = forecast(
        "Ana Ruiz", "the central bank is likely to cut rates next month", "likely", 55, 80
    )
    hold = forecast(
        "Ben Okafor", "the central bank is unlikely to cut rates next month", "unlikely", 20, 45
    )
    hike = forecast(
        "Cleo Haas", "the central bank is likely to raise rates next month", "likely", 55, 80
    )
    maybe = forecast(
        "Dan Lee", "the central bank could cut rates next month", "roughly_even_chance", 45, 55
    )
    other = forecast("Eve Kim", "unemployment is unlikely to rise next month", "unlikely", 20, 45)
    found = ledger.disagreements([cut, hold, hike, maybe, other])
    assert [(a.source, b.source, why) for a, b, why in found] == [
        ("Ana Ruiz", "Ben Okafor", "bands"),
        ("Ana Ruiz", "Cleo Haas", "direction"),
        ("Ben Okafor", "Cleo Haas", "bands"),  # not cutting, against raising: both hold apart
        ("Cleo Haas", "Dan Lee", "direction"),
    ]


# the store


def test_the_store_round_trips_entries_and_resolutions(tmp_path: Path) -> None:
    recorded = ledger.record([], [sighting(), sighting(seen=date(2025, 9, 22), digest="d2")])
    with History(tmp_path / "h.sqlite") as history:
        history.ledger.add(recorded.added)
        history.ledger.add(recorded.added)  # twice: still once
    with History(tmp_path / "h.sqlite") as history:
        assert history.ledger.entries() == recorded.entries
        entry = history.ledger.find(recorded.entries[0].id[:6])
        done = Resolution(outcome="partly", resolved_on=date(2026, 4, 2), note="2.9 in April")
        history.ledger.resolve(entry.id, done)
        assert history.ledger.entries()[0].resolution == done


def test_an_unknown_id_is_an_error_naming_it(tmp_path: Path) -> None:
    from briefing.errors import BriefingError

    with History(tmp_path / "h.sqlite") as history, pytest.raises(BriefingError, match="'abc'"):
        history.ledger.find("abc")


def test_an_exception_between_writes_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.ledger_store import LedgerStore

    first = ledger.record([], [sighting()])
    later = [sighting(seen=date(2025, 9, 22), digest="d2"), sighting("jobs will rise", digest="d3")]
    second = ledger.record(first.entries, later)
    rows = LedgerStore._rows

    def failing(self: LedgerStore, added):  # type: ignore[no-untyped-def]
        for n, row in enumerate(rows(self, added)):
            if n == 1:
                raise RuntimeError("disk on fire")
            yield row

    with History(tmp_path / "h.sqlite") as history:
        history.ledger.add(first.added)
        monkeypatch.setattr(LedgerStore, "_rows", failing)
        with pytest.raises(RuntimeError):
            history.ledger.add(second.added)
        monkeypatch.undo()
        assert history.ledger.entries() == first.entries


KILLED_RUN = """
import os, signal, sys
from datetime import date
sys.path.insert(0, {root!r})
from tests.test_ledger import sighting
from briefing import ledger
from briefing.ledger_store import LedgerStore
from briefing.store import History

first = ledger.record([], [sighting()])
second = ledger.record(first.entries, [sighting(seen=date(2025, 9, 22), digest="d2"),
                                       sighting("unemployment is likely to rise", digest="d3")])
rows = LedgerStore._rows
def killing(self, added):
    for n, row in enumerate(rows(self, added)):
        if n == 1:
            os.kill(os.getpid(), signal.SIGKILL)  # the run dies between two writes
        yield row
with History(__import__("pathlib").Path({db!r})) as history:
    history.ledger.add(first.added)
    LedgerStore._rows = killing
    history.ledger.add(second.added)
"""


def test_the_ledger_survives_a_killed_run(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    script = textwrap.dedent(KILLED_RUN).format(root=str(ROOT), db=str(db))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    first = ledger.record([], [sighting()])
    with History(db) as history:
        assert history.ledger.entries() == first.entries  # the killed run left nothing
        rerun = ledger.record(
            history.ledger.entries(),
            [
                sighting(seen=date(2025, 9, 22), digest="d2"),
                sighting("unemployment is likely to rise", digest="d3"),
            ],
        )
        history.ledger.add(rerun.added)
        assert len(history.ledger.entries()) == 2
        assert len(history.ledger.entries()[0].repeats) == 1


# the context and the chart


def test_the_context_applies_the_configured_window_and_record_threshold() -> None:
    from briefing.config import LedgerConfig
    from briefing.ledger_context import ledger_item

    # all horizons end 2026-03-31, all by Ana Ruiz, four resolved early, before today
    entries = three_entries(on=date(2026, 3, 16))
    open_one = ledger.record(entries, [sighting("wages will rise 6 percent", sentences=(13,))])
    today = date(2026, 3, 20)
    narrow = ledger_item(open_one.entries, today, LedgerConfig(due_ahead_days=7, min_resolved=5))
    wide = ledger_item(open_one.entries, today, LedgerConfig(due_ahead_days=11, min_resolved=4))
    assert narrow.falling_due == [] and narrow.records == []
    assert [e.text for e in wide.falling_due] == ["wages will rise 6 percent"]
    assert wide.falling_due[0].days_left == 11
    assert [(r.source, r.resolved, r.scored) for r in wide.records] == [("Ana Ruiz", 4, 3)]
    assert wide.records[0].brier == float(Fraction(591875, 3_000_000))
    likely = next(c for c in wide.calibration if c.band == "likely")
    assert (likely.low, likely.high, likely.resolved, likely.happened) == (55, 80, 2, 0.75)
    assert [c.band for c in wide.calibration] == list(ledger.BANDS)


def test_ledger_text_reaches_the_brief_escaped(config) -> None:  # type: ignore[no-untyped-def]
    from briefing.ledger_context import ledger_item
    from briefing.render import render_brief
    from tests.conftest import sample_context

    hostile = sighting(
        "<img src=x onerror=alert(1)> will [rise](http://evil) **now**", seen=date(2026, 3, 20)
    )
    item = ledger_item(ledger.record([], [hostile]).entries, date(2026, 3, 20), config.ledger)
    context = sample_context().model_copy(update={"ledger": item, "date": date(2026, 3, 20)})
    brief = render_brief(context, config, ("md", "html"))
    assert "## New forecasts" in brief.markdown
    assert "<img" not in brief.html and 'href="http://evil"' not in brief.html
    assert "&lt;img src=x" in brief.html


def test_the_calibration_chart_is_drawn_from_numbers_only() -> None:
    from briefing.render.chart import calibration_svg, insert_charts

    rows = [{"label": "likely <b>", "low": 55, "high": 80, "resolved": 4, "happened": 0.75}]
    svg = calibration_svg(rows)
    assert svg.startswith("<svg") and "likely &lt;b&gt;" in svg and "75 % of 4" in svg
    body = '<p id="calibration-chart">Calibration: likely 75 %</p>'
    placed = insert_charts(body, {"ledger": {"calibration": rows}})
    assert placed.startswith('<figure id="calibration-chart"') and "<svg" in placed
    assert "<figcaption>Calibration: likely 75 %</figcaption>" in placed
    assert insert_charts(body, {"ledger": None}) == body
