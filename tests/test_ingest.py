from datetime import date
from pathlib import Path

import pytest

from briefing.errors import IngestError
from briefing.ingest import parse_article, read_files
from briefing.ingest.text import decode
from tests.conftest import EXAMPLES, write_article

DAY = date(2025, 1, 2)
BODY = (
    "GENEVA: The World Health Organization said on Thursday that measles cases had doubled.\n"
    "Officials urged parents to vaccinate their children, a spokeswoman said.\n"
)


def test_headline_dateline_and_body() -> None:
    article = parse_article(
        "Measles cases double, WHO says\n\n" + BODY,
        article_id="a",
        source="a.txt",
        article_date=DAY,
    )
    assert article.title == "Measles cases double, WHO says"
    assert article.dateline == "Geneva"
    assert article.text.startswith("The World Health Organization said")
    assert article.date == DAY
    assert len(article.digest) == 64


def test_headline_ending_in_a_quoted_word() -> None:
    article = parse_article(
        'Central bank chief sees price spike as "temporary"\n' + BODY,
        article_id="a",
        source="a.txt",
        article_date=DAY,
    )
    assert article.title == 'Central bank chief sees price spike as "temporary"'
    assert article.text.startswith("The World Health Organization said")
    quoted = parse_article(
        '"We will not give up," the minister said.\n' + BODY,
        article_id="b",
        source="b.txt",
        article_date=DAY,
    )
    assert quoted.text.startswith('"We will not give up,"')  # a sentence, no headline


def test_first_sentence_is_not_taken_as_headline() -> None:
    article = parse_article(BODY, article_id="a", source="a.txt", article_date=DAY)
    assert article.text.startswith("The World Health Organization")
    assert article.title.startswith("The World Health Organization said on Thursday")


def test_wire_dateline_with_outlet() -> None:
    article = parse_article(
        "WASHINGTON (Reuters) - The Federal Reserve held rates steady, officials said.",
        article_id="a",
        source="a.txt",
        article_date=DAY,
    )
    assert article.dateline == "Washington"
    assert article.outlet == "Reuters"
    assert article.text.startswith("The Federal Reserve")


def test_bylines_and_credit_lines_are_dropped() -> None:
    """A byline and the wire's credit lines name the outlet's people, never the story's: no
    sentence of the analysis holds them (a 'she' after them is not the reporter)."""
    text = (
        "Harbour strike set to spread, unions say\n"
        "By Tom Aldridge and Mira Castellan, Nordic Wire\n"
        "ROTTERDAM, March 3 (Nordic Wire) - The strike is likely to spread to Antwerp next week, "
        "a union leader said.\n"
        "By Monday, the talks had stalled.\n"
        "--With assistance from Kari Lindqvist.\n"
        "(Reporting by Tom Aldridge; Editing by Jan Berg)\n"
        "Associated Press writer Dana Kovac in Phoenix contributed to this report."
    )
    article = parse_article(text, article_id="a", source="a.txt", article_date=DAY)
    assert article.title == "Harbour strike set to spread, unions say"
    assert article.dateline == "Rotterdam"
    assert article.text == (
        "The strike is likely to spread to Antwerp next week, a union leader said.\n"
        "By Monday, the talks had stalled."
    )


@pytest.mark.parametrize(
    ("opening", "place", "outlets", "day"),
    [
        ("LONDON, March 3 (Reuters) - ", "London", ("Reuters",), date(2024, 3, 3)),
        ("SEOUL, Dec. 28 (Yonhap) -- ", "Seoul", ("Yonhap",), date(2024, 12, 28)),
        ("Dec. 5 (UPI) -- ", None, ("UPI",), date(2024, 12, 5)),
        ("Ganja. 12 March. CASPIANWIRE.AZ/ ", "Ganja", ("CASPIANWIRE.AZ",), date(2024, 3, 12)),
        (
            "VERONA (Lakeside Wire / Gazette - 28th October, 2021) ",
            "Verona",
            ("Lakeside Wire", "Gazette"),
            date(2021, 10, 28),
        ),
        ("NAIROBI, Kenya — ", "Nairobi", (), DAY),
        ("Brussels (dpa) - ", "Brussels", ("dpa",), DAY),
        ("Beijing, Dec. 5 (Xinhua) -- ", "Beijing", ("Xinhua",), date(2024, 12, 5)),
    ],
)
def test_dateline_forms_give_place_outlets_and_date(
    opening: str, place: str | None, outlets: tuple[str, ...], day: date
) -> None:
    """The agencies' dateline forms stay out of the text; their day dates an undated story
    (the latest such day not after the brief date), their agencies are the outlets."""
    article = parse_article(
        opening + "The central bank held its rate, the governor said.",
        article_id="a",
        source="a.txt",
        article_date=DAY,
    )
    assert article.text == "The central bank held its rate, the governor said."
    assert (article.dateline, article.dateline_outlets, article.date) == (place, outlets, day)
    assert article.date_from == ("dateline" if day != DAY else "brief date")


def test_dateline_day_does_not_override_front_matter() -> None:
    text = "---\ndate: 2024-10-14\n---\nSEOUL, Dec. 28 (Yonhap) -- The bank held its rate."
    article = parse_article(text, article_id="a", source="a.txt", article_date=DAY)
    assert article.date == date(2024, 10, 14)
    assert article.date_from == "front matter"


def test_front_matter_sets_date_title_and_outlet() -> None:
    text = "---\ndate: 2024-10-14\noutlet: Wire desk\ntitle: Runoff\n---\n" + BODY
    article = parse_article(text, article_id="a", source="a.txt", article_date=DAY)
    assert article.date == date(2024, 10, 14)
    assert article.title == "Runoff"
    assert article.outlet == "Wire desk"


def test_front_matter_unknown_key_is_an_error() -> None:
    with pytest.raises(IngestError, match="unknown front matter key"):
        parse_article(
            "---\nauthor: x\n---\n" + BODY, article_id="a", source="a.txt", article_date=DAY
        )


def test_legacy_encoding_is_detected() -> None:
    text = "Le ministre a déclaré que l'économie française allait ralentir, selon l'agence.\n" * 3
    assert decode(text.encode("cp1252"), "x.txt") == text


def test_utf8_bom_is_dropped() -> None:
    assert decode("\ufeffHello world here".encode(), "x.txt") == "Hello world here"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(1, 32)) * 20, "binary file"),
    ],
)
def test_bad_bytes_are_refused_with_the_file_named(raw: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=f"x.txt: {message}"):
        decode(raw, "x.txt")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        read_files([tmp_path / "nope.txt"], DAY)
    with pytest.raises(IngestError, match="is a folder"):
        read_files([tmp_path], DAY)


def test_ids_are_unique_slugs(tmp_path: Path) -> None:
    one = write_article(tmp_path, "Same Name.txt", BODY)
    (tmp_path / "b").mkdir()
    two = write_article(tmp_path / "b", "Same Name.txt", BODY)
    articles = read_files([one, two], DAY)
    assert [a.id for a in articles] == ["same-name", "same-name-2"]


def test_examples_have_dates_and_headlines() -> None:
    articles = read_files(sorted(EXAMPLES.glob("*.txt")), DAY)
    assert len(articles) >= 4
    for article in articles:
        assert article.date != DAY, article.id
        assert article.dateline, article.id
        assert not article.title.endswith("…"), article.id


WRAPPED = """Rates likely to fall next month, economists say

The central bank is likely to cut interest rates next month as inflation
cools, Rajiv Menon, chief economist at Harlow Securities, said on Tuesday,
after data showed consumer prices rose less than expected in October.

"The bank will probably move again early next year," Menon said, adding
that a weaker currency could slow the pace of cuts.
"""


def test_hard_wrapped_paragraphs_are_joined_and_paragraphs_kept() -> None:
    article = parse_article(WRAPPED, article_id="w", source="w.txt", article_date=date(2026, 3, 4))
    assert article.title == "Rates likely to fall next month, economists say"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 2 and "\n" not in article.text.replace("\n\n", "")
    assert "as inflation cools, Rajiv Menon" in paragraphs[0]


def test_a_line_cut_mid_sentence_is_joined_but_deck_lines_stay_lines() -> None:
    text = (
        "Tight race seen in the vote\nRun-off possible, Harlow Risk says\n"
        "Officials warn instability may slow growth\n"
        + "The outcome of the vote will be close, according to analysts at Harlow Risk, " * 4
        + "who said a run-off\nwas possible."
    )
    article = parse_article(text, article_id="d", source="d.txt", article_date=date(2026, 3, 4))
    lines = article.text.split("\n")
    assert lines[0] == "Run-off possible, Harlow Risk says"
    assert lines[1] == "Officials warn instability may slow growth"
    assert lines[2].endswith("who said a run-off was possible.")


def test_a_line_cut_after_a_comma_is_joined_before_a_name() -> None:
    text = (
        "Bank seen cutting rates\n\nNAIROBI, March 3 - The bank is likely to cut rates next month,"
        "\nAmina Odhiambo, an economist, said."
    )
    article = parse_article(text, article_id="c", source="c.txt", article_date=date(2026, 3, 4))
    assert "next month, Amina Odhiambo, an economist, said." in article.text


def test_a_wrapped_article_gives_the_claims_and_forecasts_of_the_unwrapped_one(
    analyser,  # type: ignore[no-untyped-def]
) -> None:
    wrapped = parse_article(WRAPPED, article_id="w", source="w.txt", article_date=date(2026, 3, 4))
    flat = parse_article(
        WRAPPED.replace("inflation\ncools", "inflation cools")
        .replace("Tuesday,\nafter", "Tuesday, after")
        .replace("adding\nthat", "adding that")
        .replace("Securities, said on Tuesday", "Securities, said on Tuesday"),
        article_id="w",
        source="w.txt",
        article_date=date(2026, 3, 4),
    )
    one, two = analyser([wrapped]), analyser([flat])
    assert [(c.source, c.text) for c in one.claims] == [(c.source, c.text) for c in two.claims]
    assert [(f.source, f.text) for f in one.outlook] == [(f.source, f.text) for f in two.outlook]
    assert any(f.source == "Rajiv Menon" and f.horizon for f in one.outlook)


def test_a_line_break_ends_a_sentence(analyser) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kenya vote seen close\nRun-off possible if turnout is high, Harlow Risk says\n"
        "The count will be tight and may go to a second round, according to analysts at Harlow "
        "Risk, a consultancy."
    )
    article = parse_article(text, article_id="k", source="k.txt", article_date=date(2026, 3, 4))
    (result,) = analyser.analyse_each([article])
    assert result.sentences[0] == "Run-off possible if turnout is high, Harlow Risk says"
    assert result.sentences[1].startswith("The count will be tight")
