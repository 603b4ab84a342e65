"""Clauses: where what was said holds two statements, each with a subject of its own.

GUIDE.md counts two forecasts in one sentence as two items ("The harvest will be poor but
prices will start to ease from the spring"). `CLAUSE` finds, under a clause's head verb, the
verbs that head a clause of their own; `split_clauses` cuts a claim's span at them. The
outlook (briefing/analyse/outlook.py) then judges each clause as a forecast of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from briefing.analyse.rules import stage
from briefing.analyse.tables import Tables

SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
VERBS = frozenset({"VERB", "AUX"})


@dataclass(frozen=True, slots=True)
class ClauseQuery:
    """A clause's head verb, inside the span of a claim."""

    head: Token
    span: Span
    tables: Tables


def _own_subject(token: Token) -> bool:
    return token.pos_ in VERBS and any(c.dep_ in SUBJECTS for c in token.children)


def _inside(token: Token, span: Span) -> bool:
    return span.start <= token.left_edge.i and token.right_edge.i < span.end


def coordinated(q: ClauseQuery) -> tuple[Token, ...] | None:
    """'The harvest will be poor but prices will start to ease': clauses joined by
    'and' or 'but', each with a subject of its own ('prices rose and fell' is one)."""
    found = tuple(
        t for t in q.head.children if t.dep_ == "conj" and _own_subject(t) and _inside(t, q.span)
    )
    return found or None


def concessive(q: ClauseQuery) -> tuple[Token, ...] | None:
    """'Although exports are forecast to pick up, demand is likely to stay soft': a clause opened by
    'although' or 'while' says a second thing; 'if' and 'because' clauses are conditions."""
    marks = q.tables.words["clause.concessive_marks"]
    found = tuple(
        t
        for t in q.head.children
        if t.dep_ == "advcl"
        and _own_subject(t)
        and _inside(t, q.span)
        and any(c.dep_ == "mark" and c.lower_ in marks for c in t.children)
    )
    return found or None


def parallel_complement(q: ClauseQuery) -> tuple[Token, ...] | None:
    """'The recall will cost $2 billion, and fines are expected to be higher, Barreto said':
    the parser hangs the second clause on the cue as a complement of its own."""
    cue = q.head.head
    if q.head.dep_ != "ccomp" or q.span.start <= cue.i < q.span.end:
        return None
    found = tuple(
        t
        for t in cue.children
        if t.dep_ == "ccomp" and t.i > q.head.i and _own_subject(t) and _inside(t, q.span)
    )
    return found[:1] or None  # the next one; it finds the one after it


def _sentence_end(token: Token) -> int:
    """Where the token's sentence ends (a token's .sent walks the whole document)."""
    doc, i = token.doc, token.i + 1
    while i < len(doc) and not doc[i].is_sent_start:
        i += 1
    return i


def quoted_sentences(q: ClauseQuery) -> tuple[Token, ...] | None:
    """'"Freight rates will fall by the summer. Port fees could rise next year," she said': a
    quotation over two sentences says one thing in each."""
    end = _sentence_end(q.head)
    if end >= q.span.end:
        return None
    found = tuple(
        t
        for t in q.span.doc[end : q.span.end]
        if (t.head == t or not q.span.start <= t.head.i < q.span.end) and _own_subject(t)
    )
    return found or None


CLAUSE = stage(
    "clause",
    "the clauses of what was said that stand on their own; every rule's answers count",
    ("coordinated", coordinated),
    ("concessive", concessive),
    ("parallel_complement", parallel_complement),
    ("quoted_sentences", quoted_sentences),
)

EDGE_DEPS = frozenset({"cc", "mark", "punct"})


def split_clauses(span: Span, tables: Tables) -> tuple[tuple[str, ...], str]:
    """The texts of a span's clauses in text order and the rules that split it (space
    separated); no clauses when nothing splits."""
    roots = [
        t
        for t in span
        if t.pos_ in VERBS and (t.head == t or not span.start <= t.head.i < span.end)
    ]
    heads: list[Token] = []
    rules: list[str] = []
    todo = roots[:1]
    while todo:
        head = todo.pop()
        if head in heads:
            continue
        heads.append(head)
        for decided in CLAUSE.each(ClauseQuery(head, span, tables), tables.off):
            rules.append(decided.rule)
            todo.extend(decided.value)
    split = {h.i for h in heads}
    pieces = []
    for head in heads:
        own = [
            t for t in head.subtree if span.start <= t.i < span.end and not _under(t, head, split)
        ]
        while own and (own[0].dep_ in EDGE_DEPS or own[0].is_quote):
            own.pop(0)
        while own and (own[-1].dep_ in EDGE_DEPS or own[-1].is_quote):
            own.pop()
        if own:
            # the span's own text: Doc.text would join the whole document each time
            pieces.append((own[0].i, span.doc[own[0].i : own[-1].i + 1].text))
    if len(pieces) < 2 or not rules:
        return (), ""
    return tuple(text for _, text in sorted(pieces)), " ".join(dict.fromkeys(rules))


def _under(token: Token, head: Token, split: set[int]) -> bool:
    """Whether the token belongs to another clause head below this one."""
    node = token
    while node != head:
        if node.i in split:
            return True
        node = node.head
    return False
