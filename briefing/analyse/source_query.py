"""What the source rules look at: the cue's subject, the article's actors, the speakers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from briefing.analyse.actors import ArticleActors, LocalActor
from briefing.analyse.tables import Tables
from briefing.models import SourceKind

Source = tuple[str, SourceKind]


class Speakers:
    """The speakers seen so far in an article, for pronoun resolution."""

    def __init__(self, actors: ArticleActors) -> None:
        self.actors = actors
        self.history: list[tuple[str, SourceKind]] = []

    def last(self, kinds: set[str]) -> str | None:
        """The latest speaker of one of these kinds (never an unnamed one)."""
        for name, kind in reversed(self.history):
            if kind in kinds:
                return name
        return None

    def add(self, name: str, kind: SourceKind) -> None:
        self.history.append((name, kind))


def kind_of(actors: ArticleActors, key: str) -> SourceKind:
    """The kind of a local actor, or 'unnamed' for a phrase."""
    actor = actors.actors.get(key)
    return actor.kind if actor else "unnamed"


def last_mention_before(
    actors: ArticleActors, token: Token, kinds: set[str], until: int | None = None
) -> str | None:
    """The last actor of these kinds named before token (and before until)."""
    limit = token.i if until is None else min(token.i, until)
    best = None
    for start, _, key in actors.mention_spans:
        if start >= limit:
            break
        if kind_of(actors, key) in kinds:
            best = key
    return best


def mention_in_sentence_before(
    actors: ArticleActors, token: Token, kinds: set[str], until: int
) -> str | None:
    """A person named earlier in the same sentence binds 'he': 'X said he was ...'.

    Names inside what is said do not count: '"We met Kim," he said' is not Kim.
    """
    sent_start = token.sent.start
    best = None
    for start, _, key in actors.mention_spans:
        if start >= min(token.i, until):
            break
        if start >= sent_start and kind_of(actors, key) in kinds:
            best = key
    return best


def state_media_outlet(actors: ArticleActors) -> LocalActor | None:
    """The state outlet the article names, if any."""
    return next((a for a in actors.actors.values() if a.state_media_of), None)


def noun_phrase(token: Token) -> str:
    """The subject's noun phrase without appositions or relative clauses."""
    drop: set[int] = set()
    for child in token.children:
        if child.dep_ in ("appos", "relcl", "acl", "punct"):
            drop.update(t.i for t in child.subtree)
    words = [t for t in token.subtree if t.i not in drop]
    return token.doc[words[0].i : words[-1].i + 1].text


def is_state_media(subject: Token, tables: Tables) -> bool:
    """'state media', 'the state news agency': the article's state outlet, unnamed."""
    phrase = noun_phrase(subject).lower()
    return phrase in tables.state_media_subjects or (
        phrase.removeprefix("the ") in tables.state_media_subjects
    )


# "who asked not to be named", "speaking on condition of anonymity"
ANONYMITY = re.compile(r"\b(?:to be (?:named|identified|quoted)|anonymity)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SourceQuery:
    """A cue's subject and what the source rules may look at.

    `until` is where what was said begins, when it comes before the cue: names from there
    on are what the source spoke about, not who the source is.
    """

    subject: Token
    actors: ArticleActors
    speakers: Speakers
    tables: Tables
    until: int

    def words(self, name: str) -> frozenset[str]:
        return self.tables.words[f"source.{name}"]

    @property
    def state_possessor(self) -> bool:
        """'Seoul's top financial policymaker', "Japan's sixth-largest carmaker": a state
        named as the possessor of the subject."""
        return any(
            t.dep_ == "poss"
            and (key := self.actors.key_at(t)) is not None
            and kind_of(self.actors, key) == "state"
            for t in self.subject.lefts
        )

    @property
    def definite(self) -> bool:
        """'the minister', and "Seoul's top policymaker" (the one of that state)."""
        return self.state_possessor or any(
            t.dep_ == "det" and t.lower_ == "the" for t in self.subject.lefts
        )

    @property
    def pronoun(self) -> bool:
        lower = self.subject.lower_
        return self.subject.pos_ == "PRON" or any(
            lower in self.words(n) for n in ("person_pronouns", "group_pronouns", "thing_pronouns")
        )
