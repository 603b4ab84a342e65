"""Actors: find who is named in an article and merge their aliases.

The alias table (briefing/data/actors.yaml) wins over the statistical NER: a capital,
demonym or descriptive name ("the United Nations atomic agency") becomes its canonical
actor. Names the table does not know come from spaCy's entities. Within an article a
person's short name ("Kim") is merged into the full name ("Kim Jong Un").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from briefing.analyse.names import (
    MEDIA_WORDS,
    Found,
    add_acronyms,
    add_short_names,
    add_speaker_names,
    add_titled_names,
    clean_name,
    ends_like_org,
    expand_acronyms,
    introduced_as_body,
    is_inside_name,
    is_name,
    is_proper,
    merge_person_names,
    named_as_media,
    normalise,
    proper_words,
    sentence_index,
    split_people,
    trim,
)
from briefing.analyse.rules import stage
from briefing.analyse.spans import balanced_end
from briefing.analyse.tables import Tables
from briefing.models import Actor, ActorKind, Mention

NER_KINDS: dict[str, ActorKind] = {"PERSON": "person", "ORG": "organisation"}
# Entity labels whose spans yield to alias-table matches inside them.
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC"}


@dataclass(slots=True)
class LocalActor:
    """An actor as seen in one article, while it is being assembled."""

    key: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    description: str | None = None
    description_is_appos: bool = False
    state_media_of: str | None = None
    made_by: list[str] = field(default_factory=list)

    def note(self, *rules: str) -> None:
        """Record the rules that found one of its names."""
        self.made_by.extend(r for r in rules if r and r not in self.made_by)


@dataclass(frozen=True, slots=True)
class ArticleActors:
    """Mentions in one parsed article and the actors they name."""

    mentions: tuple[Mention, ...]
    actors: dict[str, LocalActor]
    token_key: dict[int, str]
    mention_spans: tuple[tuple[int, int, str], ...]

    def key_at(self, token: Token) -> str | None:
        """The actor named at this token, if any."""
        return self.token_key.get(token.i)


@dataclass(slots=True)
class Passing:
    """What the actor passes hand on: the spans found so far and short names merged."""

    doc: Doc
    matcher: ActorMatcher
    candidates: list[Found] = field(default_factory=list)  # before the longest are chosen
    found: list[Found] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    outlets: tuple[str, ...] = ()  # the agencies the article's dateline names
    outlet_keys: list[str] = field(default_factory=list)  # those that name no actor found

    def words(self, name: str) -> frozenset[str]:
        return self.matcher.tables.words[f"actor.{name}"]


def alias_table(p: Passing) -> Passing:
    """'Pyongyang', 'the United Nations atomic agency': a name of the alias table, unless it
    is part of a longer name ('North Korea Studies')."""
    doc, m = p.doc, p.matcher
    for match_id, start, end in m.matcher(doc):
        alias = doc.vocab.strings[match_id]
        key, weak = m.alias_info[alias]
        span = doc[start:end]
        if not is_inside_name(span, weak):
            p.candidates.append(Found(span, key, alias, weak, True, None, "actor.alias_table"))
    return p


def ner_entity(p: Passing) -> Passing:
    """A spaCy PERSON or ORG entity (or a place named like a body: 'the X Institute', or
    introduced by a body noun: 'financial group Fortis'), looked up in the alias table
    first."""
    bodies = p.words("body_nouns")
    introduced = {e.text for e in p.doc.ents if introduced_as_body(e, bodies)}
    for part in (part for ent in p.doc.ents for part in split_people(ent)):
        trimmed = trim(part, p.matcher.lookup)
        if trimmed is None:
            continue
        tail = name_after_title(trimmed, p.words("person_titles"))
        if tail is not None:  # "Corvo CFO Barreto": the person is Barreto
            name = clean_name(tail.text)
            p.candidates.append(Found(tail, name, name, False, False, "person", "actor.ner_entity"))
            continue
        info = p.matcher.lookup.get(normalise(trimmed.text))
        if info is not None:
            key, weak, alias = info
            p.candidates.append(Found(trimmed, key, alias, weak, True, None, "actor.ner_entity"))
        elif (
            trimmed.label_ in NER_KINDS
            or ends_like_org(trimmed, p.words("org_words"))
            or trimmed.text in introduced
        ):
            kind = NER_KINDS.get(trimmed.label_, "organisation")
            if trimmed.text in introduced:
                kind = "organisation"  # 'financial group Fortis', tagged as a place
            elif kind == "organisation" and titled_as_person(trimmed, p.words("person_titles")):
                kind = "person"
            name = clean_name(trimmed.text, person=kind == "person")
            if kind == "person" and name.split(" ", 1)[0] in p.words("not_people"):
                continue
            if is_proper(name):
                name = name[4:] if name.lower().startswith("the ") else name
                p.candidates.append(
                    Found(trimmed, name, name, False, False, kind, "actor.ner_entity")
                )
    return p


TITLE_ACRONYMS = frozenset({"CEO", "CFO", "COO", "CTO", "CIO", "MP"})


def name_after_title(span: Span, titles: frozenset[str]) -> Span | None:
    """'Corvo CFO Barreto', 'Vestas chief executive Anja Reinholt' tagged as one entity: the
    name after the last title word, when it is a capitalised name of one to three words."""
    cut = max(
        (t.i for t in span[:-1] if t.text in TITLE_ACRONYMS or (t.is_lower and t.lower_ in titles)),
        default=None,
    )
    if cut is None:
        return None
    tail = span.doc[cut + 1 : span.end]
    if not 1 <= len(tail) <= 3 or not all(t.pos_ == "PROPN" and t.is_title for t in tail):
        return None
    return tail


def titled_as_person(span: Span, titles: frozenset[str]) -> bool:
    """An ORG-tagged name that a person's title goes with: 'chief executive Anja Reinholt',
    'Ostrova Lena, Head of the Research Department'."""
    words = list(span)
    if not 2 <= len(words) <= 3 or not all(t.pos_ == "PROPN" and t.is_title for t in words):
        return False
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.is_lower and before.lower_ in titles:
        return True
    # an apposed title of its own ("Head of the ...", "chief executive at ..."), not the next
    # name ("X, chief executive Anja Reinholt") nor a description ("X, chief rival of ...")
    after = [t.lower_ for t in doc[span.end : span.end + 4]] + [""] * 4
    if after[0] != "," or after[1] not in titles:
        return False
    title_words = 2 if after[2] in titles else 1
    return after[1 + title_words] in ("of", "at", "for")


def longest_first(p: Passing) -> Passing:
    """Overlapping names: the longest span wins, the alias table before the NER on ties."""
    candidates = sorted(p.candidates, key=lambda f: (-len(f.span), not f.table, f.span.start))
    taken: set[int] = set()
    for f in candidates:
        if taken.isdisjoint(range(f.span.start, f.span.end)):
            taken.update(range(f.span.start, f.span.end))
            p.found.append(f)
    p.found.sort(key=lambda f: f.span.start)
    return p


def weak_needs_strong(p: Passing) -> Passing:
    """'the North' counts only when the article also names North Korea plainly."""
    strong = {f.key for f in p.found if not f.weak}
    p.found = [f for f in p.found if not f.weak or f.key in strong]
    return p


def acronym_expansion(p: Passing) -> Passing:
    """'Coalition for Open Software in Europe (COSE)': the name the acronym spells out."""
    p.found = expand_acronyms(p.doc, p.found, p.words("name_links"))
    return p


def acronym_alias(p: Passing) -> Passing:
    """'Name (ACR)': the acronym becomes an alias of the name, wherever it appears."""
    p.found = add_acronyms(p.doc, p.found)
    return p


def titled_name(p: Passing) -> Passing:
    """'Chief executive Anja Reinholt said': a name the NER missed after a lower-case title."""
    p.found = add_titled_names(p.doc, p.found, p.words("person_titles"), p.words("not_people"))
    return p


def speaker_name(p: Passing) -> Passing:
    """'Ines Barreto, the chief economist at Corvo Energy, said': a name the NER missed
    (or took for a title) as the speaker of a cue is a person."""
    tables = p.matcher.tables
    p.found = add_speaker_names(
        p.doc,
        p.found,
        tables.speech_cues,
        p.words("person_titles"),
        p.words("not_people"),
        frozenset(PLACE_LABELS),
    )
    return p


def person_short_name(p: Passing) -> Passing:
    """'Kim', 'Mr Ahn': a short person name merged into the one full name it belongs to."""
    p.rename = merge_person_names(p.found)
    return p


def short_name(p: Passing) -> Passing:
    """'Menon', 'Hanul': later mentions by surname or an organisation's first word."""
    kept = [f for f in p.found if f.key not in p.rename]
    p.found = add_short_names(
        p.doc, kept, p.words("generic_first"), p.matcher.tables.speech_cues
    ) + [f for f in p.found if f.key in p.rename]
    p.found.sort(key=lambda f: f.span.start)
    return p


def names_only(p: Passing) -> Passing:
    """NER names of one common word ('Officials') are noise: keep names of two words or
    more, acronyms, whatever the table knows, and one-word names the article prints as
    proper nouns ('Vestas', 'Kestrel', 'Halvorsen' in mid-sentence, never in lower case)."""
    proper = proper_words(p.doc, p.found, p.words("leader_nouns"))
    p.found = [f for f in p.found if f.table or f.key in p.rename or is_name(f) or f.key in proper]
    return p


def dateline_outlet(p: Passing) -> Passing:
    """'SEOUL, Dec. 28 (Yonhap) --', 'VERONA (Lakeside Wire / Gazette - ...)': the agencies
    of the dateline are media actors of the article, under the alias table's name if it
    knows them."""
    named = {f.key for f in p.found} | {normalise(f.alias) for f in p.found}
    for outlet in p.outlets:
        known = p.matcher.lookup.get(normalise(outlet))
        key = known[0] if known else outlet
        if key not in named and normalise(outlet) not in named:
            p.outlet_keys.append(key)
            named.add(key)
    return p


ACTOR = stage(
    "actor",
    "the names of an article, pass by pass; each pass works on what the one before found",
    ("alias_table", alias_table),
    ("ner_entity", ner_entity),
    ("longest_first", longest_first),
    ("weak_needs_strong", weak_needs_strong),
    ("acronym_expansion", acronym_expansion),
    ("acronym_alias", acronym_alias),
    ("titled_name", titled_name),
    ("speaker_name", speaker_name),
    ("person_short_name", person_short_name),
    ("short_name", short_name),
    ("names_only", names_only),
    ("dateline_outlet", dateline_outlet),
)


class ActorMatcher:
    """Finds actor mentions in parsed documents; built once per model and tables."""

    def __init__(self, nlp: Language, tables: Tables) -> None:
        self.tables = tables
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.alias_info: dict[str, tuple[str, bool]] = {}
        for entry in tables.actors:
            for alias, weak in [(a, False) for a in entry.aliases] + [
                (a, True) for a in entry.weak
            ]:
                self.alias_info.setdefault(alias, (entry.name, weak))
                for variant in {alias, alias[:1].upper() + alias[1:]}:
                    self.matcher.add(alias, [nlp.make_doc(variant)])
        self.lookup = {
            normalise(alias): (key, weak, alias) for alias, (key, weak) in self.alias_info.items()
        }

    def __call__(self, doc: Doc, outlets: tuple[str, ...] = ()) -> ArticleActors:
        """Mentions and local actors of one parsed article, by the ACTOR passes in order;
        outlets are the agencies its dateline names."""
        passing = Passing(doc, self, outlets=outlets)
        for rule in ACTOR.active(self.tables.off):
            passing = rule.apply(passing) or passing
        found = self._assemble(doc, passing.found, passing.rename)
        for key in passing.outlet_keys:
            entry = self.tables.actor(key)
            actor = LocalActor(key=key, kind=entry.kind if entry else "media", mentions=1)
            actor.aliases.append(key)
            actor.note("actor.dateline_outlet")
            found.actors.setdefault(key, actor)
        return found

    def _assemble(self, doc: Doc, found: list[Found], rename: dict[str, str]) -> ArticleActors:
        sent_of = sentence_index(doc)
        actors: dict[str, LocalActor] = {}
        token_key: dict[int, str] = {}
        mentions: list[Mention] = []
        spans: list[tuple[int, int, str]] = []
        for f in found:
            key = rename.get(f.key, f.key)
            actor = actors.get(key)
            if actor is None:
                entry = self.tables.actor(key)
                kind = "person" if f.key in rename else self._kind_of(f)
                actor = LocalActor(
                    key=key, kind=kind, state_media_of=entry.state_media_of if entry else None
                )
                actors[key] = actor
            actor.mentions += 1
            actor.note(f.by, "actor.person_short_name" if f.key in rename else "")
            if f.alias not in actor.aliases:
                actor.aliases.append(f.alias)
            if actor.kind == "person":
                _describe(actor, f.span)
            for i in range(f.span.start, f.span.end):
                token_key[i] = key
            mentions.append(
                Mention(
                    key=key,
                    text=f.span.text,
                    alias=f.alias,
                    start=f.span.start_char,
                    end=f.span.end_char,
                    sentence=sent_of[f.span.start],
                )
            )
            spans.append((f.span.start, f.span.end, key))
        return ArticleActors(
            mentions=tuple(mentions),
            actors=actors,
            token_key=token_key,
            mention_spans=tuple(spans),
        )

    def _kind_of(self, found: Found) -> ActorKind:
        entry = self.tables.actor(found.key)
        if entry is not None:
            return entry.kind
        if found.kind == "organisation" and (
            MEDIA_WORDS.search(found.key)
            or named_as_media(found.span, self.tables.words["actor.media_nouns"])
        ):
            return "media"
        return found.kind or "organisation"


def _describe(actor: LocalActor, span: Span) -> None:
    """Take a person's description from an apposition or the title before the name."""
    if actor.description_is_appos:
        return
    appos = next((c for c in span.root.children if c.dep_ == "appos"), None)
    if appos is not None and appos.i >= span.end:
        words = [t for t in appos.subtree]
        while words and words[-1].is_punct:
            words.pop()
        end = balanced_end(span.doc, words[0].i, words[-1].i + 1, span.sent.end) if words else 0
        text = span.doc[words[0].i : end].text if words else ""
        if len(text.split()) >= 2 and not any(ch in text for ch in '“”"'):
            actor.description, actor.description_is_appos = text, True
            return
    if actor.description is not None:
        return
    head = span.root.head
    if span.root.dep_ == "appos" and head.i < span.start and head.pos_ == "NOUN":
        # "Saudi Arabia's energy minister, Faisal al-Rashid": the name apposed to its title
        first = head.left_edge.i
        while first < head.i and span.doc[first].dep_ == "det":
            first += 1
        text = span.doc[first : head.i + 1].text
        if text[0].isalpha():
            actor.description = text
            return
    left = [
        t for t in span.root.lefts if t.i < span.start and t.dep_ in ("compound", "amod", "nmod")
    ]
    if left:
        first = min(t.left_edge.i for t in left)
        text = span.doc[first : span.start].text.strip(" ,")
        if text and text[0].isalpha():
            actor.description = text


def local_actor(article_id: str, actor: LocalActor, mentions: Iterable[Mention] = ()) -> Actor:
    """An actor as one article sees it, with where it is named."""
    return Actor(
        name=actor.key,
        kind=actor.kind,
        aliases=tuple(actor.aliases),
        description=actor.description,
        mentions=actor.mentions,
        articles=(article_id,),
        state_media_of=actor.state_media_of,
        places=tuple(
            (article_id, m.sentence, m.start, m.end) for m in mentions if m.key == actor.key
        ),
        made_by=tuple(actor.made_by),
    )


def merge_actors(actors: Iterable[Actor]) -> tuple[Actor, ...]:
    """One Actor per name across articles: aliases, mentions and articles combined."""
    merged: dict[str, Actor] = {}
    for actor in actors:
        old = merged.get(actor.name)
        if old is None:
            merged[actor.name] = actor
            continue
        merged[actor.name] = Actor(
            name=old.name,
            kind=old.kind,
            aliases=old.aliases + tuple(a for a in actor.aliases if a not in old.aliases),
            description=old.description or actor.description,
            mentions=old.mentions + actor.mentions,
            articles=old.articles + tuple(a for a in actor.articles if a not in old.articles),
            state_media_of=old.state_media_of or actor.state_media_of,
            places=old.places + actor.places,
            made_by=old.made_by + tuple(r for r in actor.made_by if r not in old.made_by),
        )
    return tuple(merged.values())
