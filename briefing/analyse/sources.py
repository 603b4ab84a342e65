"""Sources: who a cue's subject stands for, decided by a sieve of named rules.

`SOURCE` runs from the most certain rule to the least: a name the subject holds, a name
apposed to it, pronouns, bodies behind role nouns, state media, definite descriptions
(`DESCRIPTION`, a sieve of its own), a name the NER missed, and last the subject's own
phrase as an unnamed source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Token

from briefing.analyse.actors import ArticleActors
from briefing.analyse.descriptions import description
from briefing.analyse.rules import Decided, stage
from briefing.analyse.source_query import (
    ANONYMITY,
    Source,
    SourceQuery,
    Speakers,
    is_state_media,
    kind_of,
    last_mention_before,
    mention_in_sentence_before,
    noun_phrase,
    state_media_outlet,
)
from briefing.analyse.tables import Tables

__all__ = ["SOURCE", "Speakers", "is_state_media", "kind_of", "noun_phrase", "resolve_source"]


def named_actor(q: SourceQuery) -> Source | None:
    """The subject names an actor: 'Kim Jong Un said', 'KCNA reported'."""
    key = q.actors.key_at(q.subject)
    return (key, kind_of(q.actors, key)) if key is not None else None


def share_of(q: SourceQuery) -> Source | None:
    """'Nearly 60% of the NABE panelists expect', 'Two-thirds of the panelists said': a share
    of a group speaks as the group does; the group is looked up as the subject."""
    subject = q.subject
    if subject.lemma_.lower() not in q.words("share_words"):
        return None
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    group = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    if group is None or group.pos_ not in ("NOUN", "PROPN"):
        return None
    found = SOURCE.first(replace(q, subject=group), q.tables.off)
    if found is None or found.value[1] == "unnamed":
        return None
    return found.value


def apposed_name(q: SourceQuery) -> Source | None:
    """'A commerce ministry spokesperson, Zhao Lin, told', 'the consultancy Meridian ...'.

    A description whose apposition names an actor stands for that actor.
    """
    for child in q.subject.children:
        if child.dep_ != "appos":
            continue
        key = q.actors.key_at(child)
        if key is not None and kind_of(q.actors, key) != "unnamed":
            return key, kind_of(q.actors, key)
    return None


def pronoun_person(q: SourceQuery) -> Source | None:
    """'he said': the person named earlier in the sentence, else (opening its sentence) the
    person the sentence before is about, else the last person speaking, else the last
    person named."""
    if not q.pronoun or q.subject.lower_ not in q.words("person_pronouns"):
        return None
    people = {"person"}
    name = (
        mention_in_sentence_before(q.actors, q.subject, people, q.until)
        or _previous_subject(q)
        or q.speakers.last(people)
        or last_mention_before(q.actors, q.subject, people, q.until)
    )
    return (name, "person") if name else None


def _previous_subject(q: SourceQuery) -> str | None:
    """'Judah Cohen uses other indicators. He also forecast a warm winter': a pronoun that
    opens its sentence takes up the person the sentence before is about (its subject)."""
    doc, i = q.subject.doc, q.subject.i
    start = i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    if i - start > 2 or start == 0:
        return None  # not the sentence's first words, or no sentence before
    first = start - 1
    while first > 0 and not doc[first].is_sent_start:
        first -= 1
    roots = [t for t in doc[first:start] if t.dep_ == "ROOT"]
    for root in roots[:1]:
        for child in root.children:
            key = q.actors.key_at(child) if child.dep_ in ("nsubj", "nsubjpass") else None
            if key is not None and kind_of(q.actors, key) == "person":
                return key
    return None


def pronoun_body(q: SourceQuery) -> Source | None:
    """'they said', 'it said': the last body speaking, else the last body named."""
    lower = q.subject.lower_
    if not q.pronoun or lower not in q.words("group_pronouns") | q.words("thing_pronouns"):
        return None
    kinds = {"state", "organisation", "media"}
    name = q.speakers.last(kinds) or last_mention_before(q.actors, q.subject, kinds, q.until)
    return (name, kind_of(q.actors, name)) if name else None


def unresolved_pronoun(q: SourceQuery) -> Source | None:
    """'we said', or 'he' with no person before: the pronoun, unnamed; no later rule guesses."""
    return (q.subject.text, "unnamed") if q.pronoun else None


def member_body(q: SourceQuery) -> Source | None:
    """'the UN agency said': a definite member body of an umbrella organisation is the
    agency described before, not the umbrella."""
    subject = q.subject
    if subject.lemma_.lower() not in q.words("generic_bodies") or not q.definite:
        return None
    umbrella = q.words("umbrella_bodies")
    if not any(c.dep_ == "compound" and q.actors.key_at(c) in umbrella for c in subject.children):
        return None
    found = description(q)
    return found.value if found else None


def _body_named_with(token: Token, q: SourceQuery, people: bool = False) -> Source | None:
    """The body (or, for a document, the person) a role noun's modifier names."""
    for tok in [token, *[t for t in token.children if t.dep_ == "compound"]]:
        key = q.actors.key_at(tok)
        kind = kind_of(q.actors, key) if key else "unnamed"
        if key and kind != "unnamed" and (people or kind != "person"):
            return key, kind
    return None


def _targets_of(child: Token) -> list[Token]:
    """What a role noun's modifier names: 'officials at X', 'a survey published by X'."""
    if child.dep_ == "prep" and child.lower_ in ("at", "of", "from", "by", "with"):
        return [c for c in child.children if c.dep_ == "pobj"]
    if child.dep_ == "acl":
        return [
            c
            for agent in child.children
            if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by")
            for c in agent.children
            if c.dep_ == "pobj"
        ]
    return [child] if child.dep_ in ("compound", "poss", "nmod") else []


def lead_description(q: SourceQuery) -> Source | None:
    """'the alliance's deputy secretary general said', "The UN's weather agency said": a lead
    that describes its source by a title or a body noun, with no name, speaks through the
    first person (or body) the next three sentences name ('Kristiina Aalto, speaking to
    reporters, said', 'the World Meteorological Organization said')."""
    subject = q.subject
    if subject.lower_ == "one":  # 'one of its deputy governors said'
        of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        title = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if title is None or title.pos_ != "NOUN" or not _titled(title, q):
            return None
        subject = title
    elif q.pronoun or subject.pos_ != "NOUN" or subject.tag_ in ("NNS", "NNPS"):
        return None
    if sum(bool(t.is_sent_start) for t in subject.doc[1 : subject.i + 1]) > 1:
        return None  # past the lead's first two sentences (full stops of 'U.S.' aside)
    if any(
        (key := q.actors.key_at(t)) is not None and kind_of(q.actors, key) == "person"
        for t in subject.subtree
        if t.i > subject.i
    ):
        return None  # 'the special envoy, Raymond Ashford,': named here
    before = subject.doc[subject.left_edge.i : subject.i]
    if not any(t.dep_ == "poss" or t.tag_ == "POS" or t.lower_ == "the" for t in before):
        return None  # 'a senior official said': anonymous, not a description
    lemma = subject.lemma_.lower()
    if lemma in q.words("anonymous_roles"):
        return None
    if _titled(subject, q):
        kind = "person"  # 'deputy secretary general', 'special envoy'
    elif lemma in q.words("generic_bodies"):
        kind = "organisation"
    else:
        return None
    named = _first_in_next_sentence(subject, q.actors, kind, ahead=3)
    return (named, kind) if named else None  # type: ignore[return-value]


def _first_in_next_sentence(
    token: Token, actors: ArticleActors, kind: str, ahead: int = 1
) -> str | None:
    """The first actor of this kind the sentences after the token's (`ahead` of them) name."""
    doc, end = token.doc, token.sent.end
    start = end
    for _ in range(ahead):
        if end >= len(doc):
            break
        end = doc[end].sent.end
    return next(
        (
            key
            for first, _, key in sorted(actors.mention_spans)
            if start <= first < end and kind_of(actors, key) == kind
        ),
        None,
    )


def _titled(subject: Token, q: SourceQuery) -> bool:
    """A person's title: 'special envoy', 'deputy secretary general', 'the analyst'."""
    title = {subject.lemma_.lower()}
    title |= {t.lemma_.lower() for t in subject.lefts if t.dep_ == "compound"}
    return bool(title & (q.tables.words["actor.person_titles"] | q.words("expert_nouns")))


def speaks_for(q: SourceQuery) -> Source | None:
    """'ADR officials', 'analysts at Harcourt Securities', 'a study by ASEAN': the body named;
    an expert noun never speaks for a state ('a U.S. expert' is a person)."""
    subject, actors = q.subject, q.actors
    lemma, experts = subject.lemma_.lower(), q.words("expert_nouns")
    if lemma not in q.words("role_nouns") and lemma not in q.words("report_nouns"):
        if subject.pos_ != "NOUN" or _titled(subject, q):
            return None  # "the United States' special envoy" is a person, not the state
        for child in subject.children:  # "the official Xinhua news agency"
            key = actors.key_at(child)
            if child.dep_ in ("compound", "poss") and key and kind_of(actors, key) != "person":
                if q.state_possessor and lemma not in q.words("state_bodies"):
                    return None  # "Japan's sixth-largest carmaker": a description, not Japan
                return key, kind_of(actors, key)
        return None
    document = lemma in q.words("report_nouns")
    for child in subject.children:
        if child.dep_ == "poss" and child.lower_ in q.words("possessive_pronouns"):
            # "according to its secretariat": the body named just before
            owner = last_mention_before(actors, subject, {"organisation", "state"})
            if owner is not None:
                return owner, kind_of(actors, owner)
            continue
        for target in _targets_of(child):
            # 'a prediction by Bambang Suryono': a document's author may be a person
            body = _body_named_with(target, q, people=document and child.lower_ == "by")
            # "a U.S. expert", "a Chinese analyst": a person from there, not the state itself
            if body is not None and not (body[1] == "state" and lemma in experts):
                return body
    return None


def state_media(q: SourceQuery) -> Source | None:
    """'state media said': the state outlet the article names."""
    if not is_state_media(q.subject, q.tables):
        return None
    outlet = state_media_outlet(q.actors)
    return (outlet.key, outlet.kind) if outlet is not None else None


def definite_description(q: SourceQuery) -> Source | None:
    """'the minister said', 'the bank said', "Norway's second-largest carmaker": the actor
    the description refers back to (a state's possessive is no name of the source)."""
    if not q.definite:
        return None
    found = description(q)
    return found.value if found else None


def document_author(q: SourceQuery) -> Source | None:
    """'a new study finds', 'the report warns', 'the panelists said': a document (or a
    survey's panel) with no author of its own is the last body speaking, or in a lead the
    first body the next sentence names ('According to the Baltic Freight Institute, ...')."""
    subject = q.subject
    lemma = subject.lemma_.lower()
    if lemma not in q.words("report_nouns") | q.words("panel_members") or q.pronoun:
        return None
    if subject.tag_ == "NNS" and lemma not in q.words("panel_members"):
        return None  # 'according to final polls': documents of no one in particular
    if any(q.actors.key_at(t) is not None for t in subject.subtree):
        return None
    last = q.speakers.last({"organisation"})
    if last is not None:
        return last, "organisation"
    body = _first_in_next_sentence(subject, q.actors, "organisation")
    return (body, "organisation") if body else None


def proper_name(q: SourceQuery) -> Source | None:
    """A name no actor has: 'Menon' -> the Rajiv Menon named before (of two such, the one
    who has spoken, if only one has); a place of the NER ('West Kordofan said') a state; else
    a person (names the actor passes missed)."""
    subject, actors = q.subject, q.actors
    words = [t for t in subject.subtree if t.dep_ in ("compound", "flat") or t == subject]
    words = [t for t in words if t.i <= subject.i]
    if not words or not all(t.pos_ == "PROPN" and t.is_title for t in words) or len(words) > 4:
        return None
    text = subject.doc[words[0].i : subject.i + 1].text
    people = [a.key for a in actors.actors.values() if a.kind == "person"]
    owners = [p for p in people if text in (p.split()[0], p.split()[-1])]
    if len(owners) > 1:  # 'Bambang' of 'Bambang Suryono' and 'Susilo Bambang': the speaker
        spoke = {name for name, _ in q.speakers.history} & set(owners)
        owners = sorted(spoke) if len(spoke) == 1 else owners
    if len(owners) == 1:
        return owners[0], "person"
    if len(words) >= 2:
        # 'West Kordofan said': the NER's place, which only a government speaks for
        place = subject.ent_type_ == "GPE"
        return text, "state" if place else "person"
    return None


def _mentions_of(actor_names: Iterable[str], text: str) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in actor_names)


def described_person(q: SourceQuery) -> Source | None:
    """A description the article names later: 'The head of the International Monetary Fund
    said' is the one person whose title ties them to the IMF ('IMF Managing Director Anja
    Reinholt'); 'a top aide to the Nordic prime minister' of several so tied the one named in
    the next sentence; 'a U.S. expert' the one person titled expert; 'The regional development
    lender' the one organisation named. Never a plural, nor an anonymous role ('an official')."""
    subject, actors = q.subject, q.actors.actors
    lemma = subject.lemma_.lower()
    if q.pronoun or subject.pos_ not in ("NOUN", "PROPN") or subject.tag_ in ("NNS", "NNPS"):
        return None
    if lemma in q.words("anonymous_roles") | q.words("report_nouns") | q.words("state_bodies"):
        return None
    if ANONYMITY.search(subject.sent.text):
        return None
    named = {k for t in subject.subtree if (k := q.actors.key_at(t)) is not None}
    if lemma in q.words("generic_bodies"):
        bodies = [a.key for a in actors.values() if a.kind == "organisation"]
        return (bodies[0], "organisation") if len(bodies) == 1 and not named else None
    nouns = q.words("expert_nouns") if lemma in q.words("expert_nouns") else frozenset({lemma})
    # ties through a body or a person: "an Israeli analyst" is not tied to every Israeli named
    names = [
        alias
        for key in named
        if key in actors and actors[key].kind != "state"
        for alias in actors[key].aliases
    ]
    tied = [
        a.key
        for a in actors.values()
        if a.kind == "person"
        and a.key not in named
        and a.description
        and (
            _mentions_of(names, a.description)
            or nouns & {w.lower() for w in re.findall(r"[\w-]+", a.description)}
        )
    ]
    if len(tied) > 1:  # the lead's description, named in the next sentence
        following = subject.sent.end
        doc = subject.doc
        tied = [
            key
            for key in tied
            if any(
                k == key and following <= start and doc[start].sent.start == following
                for start, _, k in q.actors.mention_spans
            )
        ]
    return (tied[0], "person") if len(tied) == 1 else None


def unnamed(q: SourceQuery) -> Source | None:
    """'a senior official said': no rule names it; the subject's phrase, unnamed."""
    return noun_phrase(q.subject), "unnamed"


SOURCE = stage(
    "source",
    "who a cue's subject stands for; the first rule that answers decides",
    ("named_actor", named_actor),
    ("share_of", share_of),
    ("apposed_name", apposed_name),
    ("pronoun_person", pronoun_person),
    ("pronoun_body", pronoun_body),
    ("unresolved_pronoun", unresolved_pronoun),
    ("member_body", member_body),
    ("speaks_for", speaks_for),
    ("state_media", state_media),
    ("document_author", document_author),
    ("definite_description", definite_description),
    ("proper_name", proper_name),
    ("described_person", described_person),
    ("lead_description", lead_description),
    ("unnamed", unnamed),
)


def resolve_source(
    subject: Token,
    actors: ArticleActors,
    speakers: Speakers,
    tables: Tables,
    until: int | None = None,
) -> Decided[Source]:
    """Name and kind of the source a cue's subject stands for, with the rule that decided."""
    until = subject.i if until is None else min(until, subject.i)
    query = SourceQuery(subject, actors, speakers, tables, until)
    found = SOURCE.first(query, tables.off)
    if found is None:
        return Decided("source.none", (subject.text, "unnamed"))
    if found.rule in ("source.member_body", "source.definite_description"):
        referred = description(query)  # which description rule it went by
        if referred is not None:
            return Decided(f"{found.rule} {referred.rule}", found.value)
    return found
