"""The Sources section: one entry per line (outlet, title, time, link) in every format."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pypdf
import pytest

from briefing.config import Config
from briefing.context import SourceItem
from briefing.render import render_brief
from tests.conftest import sample_context

SOURCES = [
    ("a1", "Harbour Post", "Floods close the river port", "06:40"),
    ("a2", "Meridian Wire", "Port reopens after two days", "09:15"),
    ("a3", "The Daily Ledger", "Shippers count the cost of floods", "12:05"),
]


def _context():  # type: ignore[no-untyped-def]
    sources = [
        SourceItem(
            id=sid,
            title=title,
            path=f"{sid}.txt",
            date=date(2025, 1, 2),
            dateline="Rotterdam",
            outlet=outlet,
            url=f"https://news.example/{sid}",
            published=datetime(2025, 1, 2, int(hm[:2]), int(hm[3:]), tzinfo=UTC),
            words=300,
        )
        for sid, outlet, title, hm in SOURCES
    ]
    return sample_context("The minister said the port would reopen.", sources=sources)


class _SourceItems(HTMLParser):
    """The text of each <li> of the list after the 'Sources' heading."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = ""
        self.in_heading = self.in_sources = False
        self.items: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self.in_heading, self.heading = True, ""
            self.in_sources = False
        elif tag == "li" and self.in_sources:
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.in_heading = False
            self.in_sources = self.heading.strip() == "Sources"

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.heading += data
        elif self.in_sources and self.items:
            self.items[-1] += data


def test_every_source_is_its_own_entry_in_markdown_html_and_pdf(config: Config) -> None:
    brief = render_brief(_context(), config, ("md", "html", "pdf"))
    section = brief.markdown.split("## Sources\n", 1)[1].split("\n---", 1)[0]
    lines = [line for line in section.splitlines() if line.strip() and line != "{.sources}"]
    assert len(lines) == len(SOURCES)
    for line, (sid, outlet, title, hm) in zip(lines, SOURCES, strict=True):
        assert line.startswith(f"- [**{outlet}**]{{#src-{sid}}}: {title}, Rotterdam, ")
        assert f"{hm} UTC" in line and line.endswith(f"<https://news.example/{sid}>")

    assert brief.html is not None
    parser = _SourceItems()
    parser.feed(brief.html)
    assert len(parser.items) == len(SOURCES)
    for item, (_, outlet, title, _) in zip(parser.items, SOURCES, strict=True):
        assert item.startswith(f"{outlet}: {title}") and item.count("https://") == 1
    assert '<a href="https://news.example/a1">' in brief.html

    assert brief.pdf is not None
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(brief.pdf)).pages)
    after = text.split("Sources", 1)[1]
    for _, outlet, title, _ in SOURCES:
        # each entry starts a line of its own: the outlet follows a line break
        assert re.search(rf"(^|\n)\W*{re.escape(outlet)}: {re.escape(title)}", after), after
    assert not re.search(r"news.example/a1[^\n]*Meridian", after)  # no run-on entry


def test_citations_name_the_outlet_and_time_and_link_the_article(config: Config) -> None:
    brief = render_brief(_context(), config, ("md", "html"))
    assert '[(Harbour Post, 06:40)](<https://news.example/a1> "a1, sentence 1")' in brief.markdown
    assert brief.html is not None
    assert '<a href="https://news.example/a1" title="a1, sentence 1">(Harbour Post, 06:40)</a>' in (
        brief.html
    )


def _claim(text: str, cue: str = "said", via: str | None = None, quote: bool = False):  # type: ignore[no-untyped-def]
    from briefing.models import Claim

    return Claim(
        source="Dedi Kurniawan", source_kind="person", cue=cue, text=text, quote=quote,
        article="a1", sentence=3, start=0, end=len(text), via=via,
    )  # fmt: skip


def test_claims_read_as_sentences() -> None:
    from briefing.context import claim_sentence

    said = _claim("The toll could rise once search teams reach remote hamlets")
    assert claim_sentence(said, "BNPB spokesman") == (
        "Dedi Kurniawan, BNPB spokesman, said the toll could rise once search teams reach "
        "remote hamlets."
    )
    quoted = _claim('"Most of the victims were asleep,"', cue="told", quote=True)
    assert claim_sentence(quoted) == 'Dedi Kurniawan said: "Most of the victims were asleep."'
    relayed = _claim("the airport could reopen", cue="told", via="AFP")
    assert claim_sentence(relayed) == "Dedi Kurniawan told AFP the airport could reopen."
    assert claim_sentence(_claim("Manila is to blame", cue="according to")) == (
        "According to Dedi Kurniawan, Manila is to blame."
    )
    assert claim_sentence(_claim("rain would ease", cue="saying")) == (
        "Dedi Kurniawan said rain would ease."
    )


def test_a_quotation_split_by_its_own_attribution_reads_as_one() -> None:
    from briefing.context import claim_sentence

    split = _claim(
        "“Most of the victims were asleep,” BNPB spokesman Dedi Kurniawan told reporters in "
        "Jakarta. “Rescue teams are still searching.”",
        quote=True,
    )
    assert claim_sentence(split) == (
        "Dedi Kurniawan said: “Most of the victims were asleep. Rescue teams are still searching.”"
    )
    other = _claim('"It is calm," the minister said. "We wait."', quote=True)
    assert (
        claim_sentence(other) == 'Dedi Kurniawan said: "It is calm," the minister said. "We wait."'
    )
    cut = _claim('"The toll may rise," Kurniawan said. "We ask everyone', quote=True)
    assert claim_sentence(cut) == 'Dedi Kurniawan said: "The toll may rise. We ask everyone."'
    trailing = _claim('talks would resume on Monday. "It was a serious and constructive day.')
    assert claim_sentence(trailing) == "Dedi Kurniawan said talks would resume on Monday."


@pytest.mark.parametrize(
    ("text", "source", "shown"),
    [
        (  # the forecaster's own closing clause, and the quotation cut short after it
            "Eruptions are likely in the coming weeks, Rina Hapsari, head of the centre, told "
            "Meridian Wire.\n“The magma supply has not",
            "Rina Hapsari",
            "Eruptions are likely in the coming weeks.",
        ),
        (  # inverted: ', said Dr Name, title.'
            "Cases are likely to double within two weeks, said Dr Grace Mwale, an "
            "epidemiologist at Kamuzu University.",
            "Grace Mwale",
            "Cases are likely to double within two weeks.",
        ),
        (  # surname only, a whole quotation after it kept
            "Prices will rise, Kovač said. “We are ready.”",
            "Nina Kovač",
            "Prices will rise. “We are ready.”",
        ),
        (  # a quotation ending in a comma ends in a full stop
            'A code is very unlikely next year. "Both sides want rules,"',
            "Chen Haoran",
            'A code is very unlikely next year. "Both sides want rules."',
        ),
        # not the forecaster's clause, or not at the sentence's end: as it is
        ("Prices will rise, the bank said.", "Nina Kovač", "Prices will rise, the bank said."),
        (
            "Prices, Kovač argues, will rise by June.",
            "Nina Kovač",
            "Prices, Kovač argues, will rise by June.",
        ),
        (
            "Growth will slow, said Kertesz, who expects a cut, and prices will fall.",
            "Zsofia Kertesz",
            "Growth will slow, said Kertesz, who expects a cut, and prices will fall.",
        ),
    ],
)
def test_a_forecast_is_printed_without_its_attribution(text: str, source: str, shown: str) -> None:
    from briefing.context import forecast_statement

    assert forecast_statement(text, source, "said") == shown


def test_two_sources_opposite_forecasts_are_not_one_sentence() -> None:
    from briefing.context import _Shown

    shown = _Shown()
    assert shown.keep("a1", (3,), "The bank is likely to cut rates by the end of the month", "Ana")
    assert shown.keep("a1", (5,), "The bank is unlikely to cut rates by the end of the month", "Bo")
    # the same source's sentence from another outlet is a repeat
    assert not shown.keep("a2", (4,), "The bank is likely to cut rates by the end of month", "Ana")
    # a bottom-line sentence (no source) repeats any source's
    assert not shown.keep("a3", (1,), "The bank is unlikely to cut rates by the end of the month")
