"""The Sources section: one entry per line (outlet, title, time, link) in every format."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pypdf

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
