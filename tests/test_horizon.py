from datetime import date

import pytest

from briefing.analyse.horizon import resolve_horizon

SAID = date(2023, 12, 28)  # a Thursday


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end"),
    [
        ("will advance its program in the new year", "in the new year", "2024-01-01", "2024-12-31"),
        ("is likely to ease next year", "next year", "2024-01-01", "2024-12-31"),
        ("could fall by the end of the year", "by the end of the year", "2023-12-28", "2023-12-31"),
        ("is expected to rise next month", "next month", "2024-01-01", "2024-01-31"),
        ("may land within the next week", "within the next week", "2023-12-28", "2024-01-04"),
        ("may land within two weeks", "within two weeks", "2023-12-28", "2024-01-11"),
        ("will meet next week", "next week", "2024-01-01", "2024-01-07"),
        ("should happen in the coming months", "in the coming months", "2023-12-28", "2024-06-28"),
        ("is likely by 2030", "by 2030", "2023-12-28", "2030-12-31"),
        ("could happen in 2025", "in 2025", "2025-01-01", "2025-12-31"),
        ("is likely by mid-2024", "by mid-2024", "2023-12-28", "2024-08-31"),
        ("is expected in early 2024", "in early 2024", "2024-01-01", "2024-04-30"),
        ("will be decided by March", "by March", "2023-12-28", "2024-03-31"),
        (
            "will rise in the next three years",
            "in the next three years",
            "2023-12-28",
            "2026-12-28",
        ),
        ("should settle next quarter", "next quarter", "2024-01-01", "2024-03-31"),
    ],
)
def test_phrases_resolve_from_the_article_date(
    text: str, phrase: str, start: str, end: str
) -> None:
    horizon = resolve_horizon(text, SAID)
    assert horizon is not None
    assert horizon.text == phrase
    assert (horizon.start.isoformat(), horizon.end.isoformat()) == (start, end)


def test_the_earliest_phrase_wins() -> None:
    horizon = resolve_horizon("next month and again next year", SAID)
    assert horizon is not None and horizon.text == "next month"


@pytest.mark.parametrize(
    "text", ["rose sharply last year", "in 2019 it fell", "on Thursday he said"]
)
def test_past_or_no_horizon(text: str) -> None:
    assert resolve_horizon(text, SAID) is None
