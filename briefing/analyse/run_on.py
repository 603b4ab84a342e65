"""Quotations that run on: a quoted sentence with no attribution of its own.

'"Every market is up at once," the chief executive said. "This is going to be a painful
period."': the second sentence is the same speaker's, and a forecast in it counts.
`RUN_ON` decides, for a sentence that yields no claim, whose claim goes on in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Span

from briefing.analyse.clauses import split_clauses
from briefing.analyse.quotes import QUOTES
from briefing.analyse.rules import stage
from briefing.analyse.tables import Tables
from briefing.models import Claim


@dataclass(frozen=True, slots=True)
class RunOnQuery:
    """A sentence without a claim of its own, its index, the claim just before it and the
    index of the last sentence that claim holds."""

    sent: Span
    index: int
    last: Claim | None
    reach: int
    tables: Tables


def _opens_quote(sent: Span) -> bool:
    text = sent.text.lstrip()
    return text[:1] in QUOTES and text[:1] not in "”»’"


def _attributed_at_close(sent: Span) -> bool:
    """The quotation the sentence leaves open closes in the next sentence before words of its
    own: '"Inflation is projected to rise. With fuel cheaper, we project 2.4%," Barreto said.'
    That attribution, not the claim before, says whose the quotation is."""
    text = sent.text
    curly = text.count("“") + text.count("«") - text.count("”") - text.count("»")
    if curly <= 0 and text.count('"') % 2 == 0:
        return False
    doc = sent.doc
    if sent.end >= len(doc):
        return False
    following = doc[sent.end].sent.text
    mark = re.search(r'[“”«»"]', following)
    if mark is None or mark.group() in "“«":
        return False  # a new quoted paragraph: the quotation goes on
    if mark.group() == '"' and (mark.start() == 0 or following[mark.start() - 1].isspace()):
        return False
    return re.search(r"[^\W\d_]", following[mark.end() :]) is not None


def running_quote(q: RunOnQuery) -> Claim | None:
    """'"..., " Barreto said. "This is going to be a very long winter."': a sentence that is
    a quotation, right after a claim, goes on with that claim (also across a paragraph
    break): the claim grows to hold it, its speaker's words."""
    last, sent = q.last, q.sent
    if last is None or q.reach != q.index - 1 or not _opens_quote(sent):
        return None
    if last.end > sent.start_char:  # the claim before already holds this quotation
        return None
    text = sent.text.strip()
    if len(text.split()) < 4 or _attributed_at_close(sent):
        return None
    end = sent.start_char + len(sent.text.rstrip())
    between = sent.doc.text[last.end : end]
    # the source of the part that runs on is decided by this rule: it joins the provenance
    resolved_by = f"{last.resolved_by} quotation.running_quote".strip()
    return replace(last, text=last.text + between, end=end, resolved_by=resolved_by)


# "Container traffic is expected to rise", "growth is seen slowing": a finding stated as an
# expectation in the present, with no one's attribution
_FINDING = re.compile(
    r"\b(?:is|are)\s+(?:now\s+|also\s+)?(?:expected|seen|forecast|projected|predicted|tipped)"
    r"\s+(?:to\s+\w+|at\b|\w+ing\b)",
    re.IGNORECASE,
)
_REACH = 3  # sentences a finding may stand after the claim before it


@lru_cache(maxsize=4)
def _findings_nouns(nouns: frozenset[str]) -> re.Pattern[str]:
    """'its annual outlook', 'the report': a document that has findings."""
    return re.compile(rf"\b(?:{'|'.join(sorted(nouns))})s?\b", re.IGNORECASE)


def report_findings(q: RunOnQuery) -> Claim | None:
    """'The authority said in its annual outlook that ... Container traffic is expected to
    rise 4 percent in 2027.': a forecast stated with no source, in the paragraphs right after
    a claim about its source's report or forecast, is one of that report's findings: a claim
    of its own."""
    last, sent = q.last, q.sent
    if last is None or last.source_kind not in ("organisation", "person", "state", "media"):
        return None  # a Reuters poll is a media outlet's
    if not 0 < q.index - q.reach <= _REACH or _opens_quote(sent) or not _FINDING.search(sent.text):
        return None
    if last.found_by != "quotation.report_findings":
        context = sent.doc.text[max(0, last.start - 120) : last.end]
        if not _findings_nouns(q.tables.words["quotation.findings_nouns"]).search(context):
            return None
    text = sent.text.strip()
    base = last.resolved_by.replace("quotation.report_findings", "").strip()
    clauses, split_by = split_clauses(sent, q.tables)
    return replace(
        last,
        text=text,
        quote=False,
        sentence=q.index,
        start=sent.start_char,
        end=sent.start_char + len(text),
        found_by="quotation.report_findings",
        resolved_by=f"{base} quotation.report_findings".strip(),
        clauses=clauses,
        split_by=split_by,
    )


RUN_ON = stage(
    "quotation",
    "whose a sentence with no claim of its own is; the first rule that answers decides",
    ("running_quote", running_quote),
    ("report_findings", report_findings),
)
