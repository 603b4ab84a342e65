import pytest

from briefing.analyse.likelihood import find_likelihood
from briefing.analyse.tables import load_tables


@pytest.mark.parametrize(
    ("text", "band", "low", "high"),
    [
        ("North Korea is likely to deploy weapons", "likely", 55, 80),
        ("Mkandawire is unlikely to win the runoff", "unlikely", 20, 45),
        ("a deal is very likely by the end of the year", "very_likely", 80, 95),
        ("the storm could make landfall", "roughly_even_chance", 45, 55),
        ("rates will almost certainly rise", "almost_certain", 95, 99),
        ("there is a remote chance of default", "almost_no_chance", 1, 5),
        ("growth is highly unlikely to recover", "very_unlikely", 5, 20),
        ("the bank is not likely to cut again", "unlikely", 20, 45),
        ("inflation isn't expected to ease", "unlikely", 20, 45),
        ("economists expect prices to rise", "likely", 55, 80),
        ("she did not expect a cut", "unlikely", 20, 45),
    ],
)
def test_icd203_bands(text: str, band: str, low: int, high: int) -> None:
    found = find_likelihood(text, load_tables())
    assert found is not None
    assert (found.band, found.low, found.high) == (band, low, high)


def test_no_likelihood_words() -> None:
    assert find_likelihood("the bank cut rates on Thursday", load_tables()) is None


def test_past_expectation_is_not_a_likelihood() -> None:
    assert (
        find_likelihood("the decision had been widely expected by investors", load_tables()) is None
    )


def test_every_band_has_a_range() -> None:
    tables = load_tables()
    assert list(tables.bands) == [
        "almost_no_chance", "very_unlikely", "unlikely", "roughly_even_chance",
        "likely", "very_likely", "almost_certain",
    ]  # fmt: skip
    assert all(p.band in tables.bands for p in tables.likelihood)
