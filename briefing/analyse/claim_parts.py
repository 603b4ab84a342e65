"""Parts of a claim in the parse: a cue's subject, its content, a trailing speaker, and the
candidate claim they make before its source is resolved."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from briefing.analyse.actors import ArticleActors
from briefing.analyse.sources import kind_of
from briefing.models import SourceKind

SUBJECT_DEPS = {"nsubj"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "parataxis", "dative"}
# dependencies that make a complement a reported clause
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})


@dataclass(slots=True)
class Candidate:
    """A cue with its speaker and content, before the source is resolved."""

    cue: Token
    subject: Token
    content: list[Token]
    found_by: str = ""
    boundary: int | None = None  # where a trailing speaker's attribution starts
    source: str = ""
    kind: SourceKind = "unnamed"
    resolved_by: str = ""
    state_media: bool = False
    via: str | None = None


def closes_sentence(cue: Token, sent: Span) -> bool:
    """'..., Harbourline says.': the cue is the sentence's last word."""
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    return bool(words) and words[-1] == cue


def subject_of(cue: Token, cues: frozenset[str], actors: ArticleActors) -> Token | None:
    """The cue's subject; of two ('CONTENT, a senior official said'), the one that names
    an actor, else the one nearest the cue."""
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        named = [c for c in subjects if actors.key_at(c) is not None]
        return (named or subjects)[-1]
    after = cue.doc[cue.i + 1] if cue.i + 1 < len(cue.doc) else None
    if (
        after is not None
        and after.head == cue
        and after.dep_ in ("xcomp", "dobj", "attr", "oprd", "npadvmod")
        and cue.lemma_.lower() != "tell"
        and actors.key_at(after) is not None
    ):
        return after  # '"...," said Gerberding': a name the tagger took for a verb's object
    if cue.dep_ == "conj" and cue.head.pos_ in ("VERB", "AUX"):
        return subject_of(cue.head, cues, actors)
    if cue.dep_ == "advcl" and cue.tag_ == "VBG" and cue.head.lemma_.lower() in cues:
        return subject_of(cue.head, cues, actors)  # "X said, adding that ..."
    return None


def content_of(
    cue: Token, subject: Token, lemma: str, as_phrase_cues: frozenset[str]
) -> list[Token]:
    """The tokens that say what was said: the cue's complements, or its host clause."""
    parts: list[Token] = []
    for child in cue.children:
        dep = child.dep_
        if child == subject:
            continue
        if dep in ("dobj", "dative") and lemma == "tell":
            continue  # "told AFP": the addressee, not the content
        if dep in CONTENT_DEPS or (
            dep == "prep" and lemma in as_phrase_cues and child.lower_ == "as"
        ):
            parts.extend(child.subtree)
    if any(t.dep_ == "ccomp" and t.head == cue for t in parts):
        parts.extend(t for c in _reported_conjuncts(cue, subject) for t in c.subtree)
    if not parts:
        parts = that_clause_of_statement(cue)
    if not parts and cue.dep_ in ("parataxis", "ccomp") and cue.head.i < cue.i:
        # '"...," he said': the quoted clause hosts the cue
        own = {t.i for t in cue.subtree}
        parts = [t for t in cue.head.subtree if t.i not in own]
    if not parts:
        # 'CONTENT, a senior official said': the parser made the content a second subject
        others = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.i < subject.i]
        if others and any(t.pos_ in ("VERB", "AUX") for t in others[0].subtree):
            parts = list(others[0].subtree)
    parts.sort(key=lambda t: t.i)
    return parts


PERSON_SUBJECTS = frozenset({"he", "she", "i", "we", "they"})


def _reported_conjuncts(cue: Token, subject: Token) -> list[Token]:
    """'said the party is doing well and it is going to win': a clause the parser joined to
    the cue after its reported clause, with a subject of its own that is not the speaker,
    is more of what was said (not 'said ... and left', nor 'and he resigned')."""
    found = []
    for conj in cue.children:
        if conj.dep_ != "conj" or conj.i < cue.i or conj.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in conj.children if c.dep_ in SUBJECT_DEPS]
        if subjects and subjects[0] != subject and subjects[0].lower_ not in PERSON_SUBJECTS:
            found.append(conj)
    return found


def that_clause_of_statement(cue: Token) -> list[Token]:
    """'said in a statement that ...': the that-clause the parser hung on the statement."""
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "on"):
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            for clause in pobj.children:
                if clause.left_edge.lower_ != "that" or clause.dep_ not in (
                    "relcl",
                    "acl",
                    "ccomp",
                ):
                    continue
                # "that the company expected ...", not "a statement that was posted"
                subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and all(c.lower_ != "that" for c in subjects):
                    return list(clause.subtree)
    return []


def trailing_speaker(
    cue: Token, sent: Span, actors: ArticleActors
) -> tuple[Token, list[Token], int] | None:
    """'CONTENT, NAME, APPOSITION, told AFP.': the speaker by comma segments.

    The parser often loses the subject of a cue that follows a long apposition; the
    segments say it plainly: the nearest earlier segment that starts with a name.
    """
    doc = cue.doc
    if cue.i - 1 < sent.start or doc[cue.i - 1].text != ",":
        return None
    if any(c.dep_ in ("ccomp", "xcomp") and c.i > cue.i for c in cue.children) or (
        that_clause_of_statement(cue)
    ):
        return None  # "A spokesperson, Zhao Lin, told a briefing that ...": content follows
    commas = [t.i for t in sent if t.text == "," and t.i < cue.i]
    for n in range(len(commas) - 1, max(len(commas) - 5, 0) - 1, -1):
        first = commas[n] + 1
        stop = commas[n + 1] if n + 1 < len(commas) else cue.i
        segment = doc[first:stop]
        named = next((t for t in segment if actors.key_at(t) is not None), None)
        if named is None or (n == 0 and commas[0] == sent.start):
            continue
        leading = doc[first : named.i]
        key = actors.key_at(named) or ""
        only_name = all(actors.key_at(t) == key or t.is_punct for t in doc[named.i : stop])
        if (
            only_name
            and all(t.is_title or t.pos_ == "PROPN" for t in leading)
            and kind_of(actors, key) in ("person", "organisation", "state", "media")
        ):
            content = [t for t in sent if t.i < commas[n]]
            return (named, content, commas[n]) if content else None
        if segment[0].is_title and not leading:
            break
    return None
