"""Claim filters: which found cues make no claim (`FILTER`), one claim per attribution among a
sentence's claims (`ATTRIBUTION`), and whether what was said still says something (`SPAN`)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from briefing.analyse.claim_parts import CLAUSE_DEPS, Candidate, closes_sentence
from briefing.analyse.quotes import QUOTES, clean_span
from briefing.analyse.rules import stage
from briefing.analyse.source_query import ANONYMITY
from briefing.analyse.tables import Tables


@dataclass(frozen=True, slots=True)
class FilterQuery:
    """A found cue and its content, before its source is resolved."""

    candidate: Candidate
    tables: Tables


def relative_clause(q: FilterQuery) -> bool | None:
    """'the group, which said ...', 'a reference that Baku says implies ...': background
    inside a relative clause, not a statement of record."""
    cue = q.candidate.cue
    if cue.dep_ == "relcl":
        return True
    under = cue.dep_ in ("ccomp", "parataxis") and cue.head.dep_ == "relcl"
    return (under and cue.head.i > cue.i) or None


def adding_that(q: FilterQuery) -> bool | None:
    """'X said ..., adding that ...': more of the same statement, not a claim of its own."""
    cue = q.candidate.cue
    return (
        cue.lemma_.lower() == "add"
        and cue.tag_ == "VBG"
        and cue.dep_ == "advcl"
        and cue.head.lemma_.lower() in q.tables.speech_cues
    ) or None


def no_complement(q: FilterQuery) -> bool | None:
    """'called a meeting', 'welcomed the move': a cue that needs a clause or a quotation."""
    cand = q.candidate
    if not cand.content:
        return True
    if cand.cue.lemma_.lower() not in q.tables.needs_complement:
        return None
    has_clause = (
        any(t.dep_ in CLAUSE_DEPS for t in cand.content)
        or any(ch in "".join(t.text for t in cand.content) for ch in QUOTES)
        or _reported_before(cand)
    )
    return (not has_clause) or None


def _reported_before(cand: Candidate) -> bool:
    """'CONTENT, Harbourline says': the cue closes its sentence (or hangs as a participle of
    its subject: ', a poll found on Friday, marking ...') and what it reports stands before
    the comma of its attribution, a clause by its place even where the parser saw none."""
    return (
        cand.boundary is not None
        and cand.content[-1].i < cand.boundary
        and (cand.cue.dep_ == "acl" or closes_sentence(cand.cue, cand.cue.sent))
    )


def evidence_subject(q: FilterQuery) -> bool | None:
    """'Die-offs of sea lions since 2023 have shown that the virus can pass ...': 'show' and
    'find' report a source only when a document, a body or a person does it ('the study
    finds', 'a Reuters poll showed', 'researchers found'); evidence is no source."""
    cand, words = q.candidate, q.tables.words
    if cand.cue.lemma_.lower() not in words["filter.evidence_cues"]:
        return None
    subject = cand.subject
    nouns = words["source.report_nouns"] | words["source.role_nouns"] | words["source.expert_nouns"]
    named = subject.pos_ in ("PRON", "PROPN") or subject.ent_type_ in ("PERSON", "ORG")
    return (
        None if named or subject.lemma_.lower() in nouns | words["filter.evidence_makers"] else True
    )


def anonymity_request(q: FilterQuery) -> bool | None:
    """'who asked not to be named', 'asking not to be identified because ...': no statement."""
    head = " ".join(t.text for t in q.candidate.content[:6])
    return bool(ANONYMITY.search(head)) or None


FILTER = stage(
    "filter",
    "cue verbs that make no claim; the first rule that answers drops the cue",
    ("relative_clause", relative_clause),
    ("adding_that", adding_that),
    ("no_complement", no_complement),
    ("evidence_subject", evidence_subject),
    ("anonymity_request", anonymity_request),
)


@dataclass(frozen=True, slots=True)
class AttributionQuery:
    """The kept candidates of one sentence, their contents as token sets."""

    candidates: list[Candidate]
    contents: list[set[int]]

    def pairs(self) -> list[tuple[Candidate, Candidate, set[int]]]:
        """(claim, cue inside its content, the content's root tokens), 'according to' aside."""
        found = []
        for n, cand in enumerate(self.candidates):
            if cand.cue.lower_ == "according":
                continue
            inside = self.contents[n]
            roots = {t.i for t in cand.content if t.head.i not in inside or t.head == t}
            found += [
                (cand, o, roots) for o in self.candidates if o is not cand and o.cue.i in inside
            ]
        return found


def nested(q: AttributionQuery) -> dict[int, str] | None:
    """'X said he did not expect ...': a cue inside what an earlier cue reports is part of
    that claim, as is one with no named source inside what a later cue reports."""
    drop = {
        other.cue.i: "attribution.nested"
        for cand, other, _ in q.pairs()
        if other.cue.i > cand.cue.i or other.kind == "unnamed"
    }
    return drop or None


def relayed(q: AttributionQuery) -> dict[int, str] | None:
    """'X urged ..., state media said': an outlet after the claim relays it; one claim by X,
    via the outlet."""
    drop = {}
    for cand, other, roots in q.pairs():
        if other.cue.i > cand.cue.i or other.kind == "unnamed":
            continue
        if cand.kind == "media" and other.cue.i in roots:
            other.via = cand.source
            drop[cand.cue.i] = "attribution.relayed"
    return drop or None


ATTRIBUTION = stage(
    "attribution",
    "one claim per attribution among a sentence's claims; every rule's drops count",
    ("nested", nested),
    ("relayed", relayed),
)


def one_per_attribution(candidates: list[Candidate], off: frozenset[str]) -> dict[int, str]:
    """The cues `ATTRIBUTION` drops from a sentence's candidates, each with its rule."""
    query = AttributionQuery(candidates, [{t.i for t in c.content} for c in candidates])
    drop: dict[int, str] = {}
    for found in ATTRIBUTION.each(query, off):
        for cue, rule in found.value.items():
            drop.setdefault(cue, rule)
    return drop


@dataclass(frozen=True, slots=True)
class SpanQuery:
    """A kept candidate's content and the sentence it must stay in."""

    candidate: Candidate
    sent: Span


def no_words(q: SpanQuery) -> bool | None:
    """'"...", he said.' with only punctuation left: content of fewer than two tokens once
    quotes are balanced and edges trimmed is no claim."""
    return clean_span(q.sent.doc, q.candidate.content, q.sent.end) is None or None


SPAN = stage(
    "span",
    "whether what was said, cut to its span, still says something",
    ("no_words", no_words),
)
