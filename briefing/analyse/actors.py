"""Actors: find who is named in an article and merge their aliases.

The alias table (briefing/data/actors.yaml) wins over the statistical NER: a capital,
demonym or descriptive name ("the United Nations atomic agency") becomes its canonical
actor. Names the table does not know come from spaCy's entities. Within an article a
person's short name ("Kim") is merged into the full name ("Kim Jong Un").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from briefing.analyse.spans import balanced_end
from briefing.analyse.tables import Tables
from briefing.models import Actor, ActorKind, Mention

NER_KINDS: dict[str, ActorKind] = {"PERSON": "person", "ORG": "organisation"}
# Entity labels whose spans yield to alias-table matches inside them.
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC"}
MEDIA_WORDS = re.compile(
    r"\b(News|Times|Post|Journal|Television|TV|Radio|Gazette|Herald|Tribune|Daily|"
    r"Broadcasting|Press|Telegraph|Wire|Newswire|Chronicle)\b"
)
TITLES = re.compile(
    r"^(Mr|Mrs|Ms|Miss|Dr|Prof|Professor|President|Prime Minister|Minister|Chancellor|"
    r"Premier|King|Queen|Prince|Princess|General|Gen|Sen|Senator|Rep|Governor|Gov|"
    r"Pope|Sheikh|Sir|Dame|Lord|Lady|Judge|Justice|Chairman|Secretary)\.?\s+"
)
ORG_WORDS = {
    "Institute", "University", "Centre", "Center", "Foundation", "Council", "Agency", "Bank",
    "Ministry", "Commission", "Committee", "Association", "Group", "Party", "Office",
    "Programme", "Program", "Organization", "Organisation", "Forum", "Fund", "Authority",
    "Service", "Corporation", "Company", "Federation", "Union", "Board", "Court", "Academy",
}  # fmt: skip
MEDIA_NOUNS = {"news", "broadcaster", "newspaper", "television", "radio", "tabloid", "newswire"}
NOT_PEOPLE = {"Cyclone", "Hurricane", "Typhoon", "Storm", "Tropical", "Operation", "Mount", "Lake"}
POSSESSIVE = re.compile(r"\s*['’]s?$")


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
class _Found:
    """A candidate actor span while the mentions of an article are chosen."""

    span: Span
    key: str
    alias: str
    weak: bool
    table: bool
    kind: ActorKind | None


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
        self._lookup = {
            _normalise(alias): (key, weak, alias) for alias, (key, weak) in self.alias_info.items()
        }

    def __call__(self, doc: Doc) -> ArticleActors:
        """Mentions and local actors of one parsed article."""
        found = self._choose_spans(doc)
        strong = {f.key for f in found if not f.weak}
        found = [f for f in found if not f.weak or f.key in strong]
        found = _expand_acronyms(doc, found)
        found = _add_acronyms(doc, found)
        found = _add_titled_names(doc, found)
        rename = _merge_person_names(found)
        found = _add_short_names(doc, [f for f in found if f.key not in rename]) + [
            f for f in found if f.key in rename
        ]
        found.sort(key=lambda f: f.span.start)
        found = [f for f in found if f.table or f.key in rename or _is_name(f)]
        sent_of = _sentence_index(doc)
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

    def _choose_spans(self, doc: Doc) -> list[_Found]:
        """Non-overlapping actor spans: longest first, table before NER on ties."""
        candidates: list[_Found] = []
        for match_id, start, end in self.matcher(doc):
            alias = doc.vocab.strings[match_id]
            key, weak = self.alias_info[alias]
            span = doc[start:end]
            if not _is_inside_name(span, weak):
                candidates.append(_Found(span, key, alias, weak, True, None))
        for ent in doc.ents:
            trimmed = _trim(ent)
            if trimmed is None:
                continue
            info = self._lookup.get(_normalise(trimmed.text))
            if info is not None:
                key, weak, alias = info
                candidates.append(_Found(trimmed, key, alias, weak, True, None))
            elif trimmed.label_ in NER_KINDS or _ends_like_org(trimmed):
                name = _clean_name(trimmed.text)
                kind = NER_KINDS.get(trimmed.label_, "organisation")
                if kind == "person" and name.split(" ", 1)[0] in NOT_PEOPLE:
                    continue
                if _is_proper(name):
                    name = name[4:] if name.lower().startswith("the ") else name
                    candidates.append(_Found(trimmed, name, name, False, False, kind))
        candidates.sort(key=lambda f: (-len(f.span), not f.table, f.span.start))
        taken: set[int] = set()
        chosen: list[_Found] = []
        for f in candidates:
            if taken.isdisjoint(range(f.span.start, f.span.end)):
                taken.update(range(f.span.start, f.span.end))
                chosen.append(f)
        chosen.sort(key=lambda f: f.span.start)
        return chosen

    def _kind_of(self, found: _Found) -> ActorKind:
        entry = self.tables.actor(found.key)
        if entry is not None:
            return entry.kind
        if found.kind == "organisation" and (
            MEDIA_WORDS.search(found.key) or _named_as_media(found.span)
        ):
            return "media"
        return found.kind or "organisation"


def _sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def _normalise(text: str) -> str:
    text = POSSESSIVE.sub("", text.strip())
    if text.lower().startswith("the "):
        text = text[4:]
    return text.lower()


def _clean_name(text: str) -> str:
    text = POSSESSIVE.sub("", " ".join(text.split()))
    text = TITLES.sub("", text)
    return text.strip(" ,.;:-—–\"“”'’")


def _trim(ent: Span) -> Span | None:
    """An entity span without a trailing possessive or a "(ACRONYM" tail."""
    start, end = ent.start, ent.end
    doc = ent.doc
    for i in range(start, end):
        if doc[i].text == "(":
            end = i
            break
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].is_punct
        or (doc[end - 1].is_lower and end - start > 1 and doc[end - 2].text != "-")
    ):
        end -= 1  # "Xinhua news agency" -> "Xinhua"
    if end <= start:
        return None
    return Span(doc, start, end, label=ent.label_)


def _ends_like_org(span: Span) -> bool:
    """Places and facilities the NER tags that are really bodies: 'the X Institute'."""
    return span.label_ in ("FAC", "GPE", "LOC") and span[-1].text in ORG_WORDS


def _named_as_media(span: Span) -> bool:
    """'state news agency AIM', 'the broadcaster MBC': a media noun just before the name."""
    before = span.doc[max(span.start - 3, 0) : span.start]
    return any(t.lower_ in MEDIA_NOUNS for t in before)


def _is_proper(name: str) -> bool:
    """A name has a capitalised word that is not just 'The'."""
    words = [w for w in name.split() if w.lower() != "the"]
    return any(w[:1].isupper() for w in words)


def _is_name(found: _Found) -> bool:
    """Keep NER names of two words or more, and acronyms; single common words are noise."""
    words = found.key.split()
    return len(words) > 1 or (found.key.isupper() and len(found.key) >= 2)


def _add_acronyms(doc: Doc, found: list[_Found]) -> list[_Found]:
    """ "Name (ACR)": the acronym becomes an alias of the name, wherever it appears."""
    ends = {f.span.end: f for f in found if f.kind != "person"}
    acronyms: dict[str, _Found] = {}
    for i in range(1, len(doc) - 2):
        acr = doc[i + 1].text
        if doc[i].text == "(" and doc[i + 2].text == ")" and acr.isupper() and acr.isalpha():
            owner = ends.get(i)
            if (
                owner is not None
                and len(acr) >= 2
                and (len(owner.span) > 1 or _initial_fits(acr, owner.span))
            ):
                acronyms.setdefault(acr, owner)
    if not acronyms:
        return found
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    kept = [f for f in found if f.span.text not in acronyms]
    kept_tokens = {i for f in kept for i in range(f.span.start, f.span.end)}
    for tok in doc:
        owner = acronyms.get(tok.text)
        if owner is None or (tok.i in taken and tok.i in kept_tokens):
            continue
        kept.append(
            _Found(doc[tok.i : tok.i + 1], owner.key, tok.text, False, owner.table, owner.kind)
        )
    kept.sort(key=lambda f: f.span.start)
    return kept


NAME_LINKS = {"of", "for", "in", "and", "on", "the", "to", "de", "du", "des", "la", "le"}


def _expansion(doc: Doc, paren: int, acronym: str) -> Span | None:
    """The words before '(ACR)' that the acronym abbreviates, by their initials.

    'Coalition for Open Software in Europe (COSE)', 'African Union Transition Mission in
    Somalia (ATMIS)': the acronym's letters appear in order among the words' initials, the
    first and last word's among them. Names the NER split or mislabelled come out whole.
    """
    words: list[Token] = []
    i = paren - 1
    while i >= 0 and len(words) < 12:
        tok = doc[i]
        if tok.is_title or (tok.is_upper and tok.is_alpha) or tok.lower_ in NAME_LINKS:
            words.insert(0, tok)
            i -= 1
        else:
            break
    if not words or words[-1].lower_ in NAME_LINKS:
        return None  # "... of (X)" is no name
    for start in range(len(words) - 1):  # the longest span that fits
        first = words[start]
        if first.lower_ in NAME_LINKS or first.text[0].upper() != acronym[0]:
            continue
        initials = "".join(w.text[0].upper() for w in words[start:])
        letters = iter(initials)
        if all(ch in letters for ch in acronym) and initials[-1] == acronym[-1]:
            return doc[first.i : paren]
    return None


def _expand_acronyms(doc: Doc, found: list[_Found]) -> list[_Found]:
    """An organisation spelled out before its acronym, where no found name ends there."""
    ends = {f.span.end: f for f in found if f.kind != "person"}
    added: list[_Found] = []
    for i in range(1, len(doc) - 2):
        acr = doc[i + 1].text
        if not (doc[i].text == "(" and doc[i + 2].text == ")" and acr.isupper() and acr.isalpha()):
            continue
        if len(acr) < 3:
            continue
        owner = ends.get(i)
        if owner is not None and (len(owner.span) > 1 or _initial_fits(acr, owner.span)):
            continue
        span = _expansion(doc, i, acr)
        if span is None:
            continue
        name = span.text[4:] if span.text.lower().startswith("the ") else span.text
        added.append(_Found(span, name, name, False, False, "organisation"))
    if not added:
        return found
    inside = {t for f in added for t in range(f.span.start, f.span.end)}
    kept = [f for f in found if inside.isdisjoint(range(f.span.start, f.span.end))]
    return sorted([*kept, *added], key=lambda f: f.span.start)


def _initial_fits(acronym: str, span: Span) -> bool:
    """'ATMIS' after '... in Somalia' does not stand for 'Somalia' (a one-word name)."""
    words = [t.text for t in span if (t.is_title or t.is_upper) and t.lower_ not in ("the", "a")]
    return bool(words) and words[0][0].upper() == acronym[0]


GENERIC_FIRST = {
    "National", "European", "World", "International", "United", "Central", "Bank", "The",
    "African", "Asian", "American", "Global", "General", "Federal", "State", "Ministry",
    "Department", "Office", "Institute", "University", "Council", "Committee", "New",
}  # fmt: skip


def _add_short_names(doc: Doc, found: list[_Found]) -> list[_Found]:
    """Later mentions by surname ('Menon', 'Park') or an organisation's first word ('Hanul')."""
    short: dict[str, _Found] = {}
    for f in found:
        words = f.key.split()
        if f.table or len(words) < 2:
            continue
        if f.kind == "person":
            for part in {words[0], words[-1], *words[-1].split("-")[:1]}:
                if len(part) > 2 and part not in short:
                    short[part] = f
        elif f.kind == "organisation" and words[0] not in GENERIC_FIRST and words[0].isalpha():
            short.setdefault(words[0], f)
    # a short form two different full names share stays unmerged
    longer = {f.key for f in found if len(f.key.split()) > 1}
    clashes = {k for k in short if sum(1 for name in longer if k in name.split()) > 1}
    found = [
        _Found(f.span, short[f.key].key, f.alias, False, False, short[f.key].kind)
        if not f.table and f.key in short and f.key not in clashes
        else f
        for f in found
    ]
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    added = []
    for tok in doc:
        owner = short.get(tok.text)
        if owner is None or tok.text in clashes or tok.i in taken or tok.pos_ != "PROPN":
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].is_title:
            continue  # part of a longer name the NER did not tag
        added.append(_Found(doc[tok.i : tok.i + 1], owner.key, tok.text, False, False, owner.kind))
    return sorted([*found, *added], key=lambda f: f.span.start)


# Lower-case titles that stand before a person's name: "chief executive Anja Reinholt".
PERSON_TITLES = {
    "executive", "director", "officer", "minister", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "chairman", "chairwoman", "chair", "president", "governor", "analyst",
    "economist", "scientist", "researcher", "professor", "leader", "ambassador", "envoy",
    "commander", "mayor", "lawmaker", "senator", "adviser", "advisor", "strategist",
    "manager", "founder", "chief", "editor", "lawyer", "prosecutor", "commissioner",
}  # fmt: skip


def _add_titled_names(doc: Doc, found: list[_Found]) -> list[_Found]:
    """A name the NER missed after a lower-case title: 'Chief executive Anja Reinholt said'."""
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    added = []
    for tok in doc:
        if tok.lower_ not in PERSON_TITLES or tok.pos_ != "NOUN":
            continue
        if tok.is_title and not tok.is_sent_start:
            continue  # "Finance Minister X" is the NER's to find
        end = tok.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and end - tok.i <= 4:
            end += 1
        span = doc[tok.i + 1 : end]
        if not 2 <= len(span) <= 3 or not all(t.is_title for t in span):
            continue  # two or three capitalised words, no longer run
        if not taken.isdisjoint(range(span.start, end)):
            continue
        if tok.head != span[-1] or span[0].text in NOT_PEOPLE:
            continue  # the title must modify the name
        added.append(_Found(span, span.text, span.text, False, False, "person"))
    if not added:
        return found
    return sorted([*found, *added], key=lambda f: f.span.start)


def _is_inside_name(span: Span, weak: bool) -> bool:
    """A table alias that is part of a longer name ('North Korea Studies', 'the South Korean')."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    after = doc[span.end]
    if weak and after.is_title and after.pos_ in ("PROPN", "ADJ"):
        return True
    return after.ent_iob_ == "I" and after.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT")


def _merge_person_names(found: Sequence[_Found]) -> dict[str, str]:
    """Map short names ('Kim', 'Mr Ahn') to the one full person name they belong to."""
    full = {f.key for f in found if f.kind == "person" and len(f.key.split()) > 1}
    rename: dict[str, str] = {}
    for f in found:
        if f.table or f.key in full or len(f.key.split()) > 2:
            continue
        parts = set(re.split(r"[\s-]+", f.key))
        owners = {
            name
            for name in full
            if parts & {name.split()[0], name.split()[-1]}
            and parts <= set(re.split(r"[\s-]+", name))
        }
        if len(owners) == 1:
            rename[f.key] = owners.pop()
    return rename


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
        )
    return tuple(merged.values())
