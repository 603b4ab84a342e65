"""Name passes of the actor stage: acronyms, short names, names after a title."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from briefing.analyse.spans import tokens_of
from briefing.models import ActorKind

MEDIA_WORDS = re.compile(
    r"\b(News|Times|Post|Journal|Television|TV|Radio|Gazette|Herald|Tribune|Daily|"
    r"Broadcasting|Press|Telegraph|Wire|Newswire|Chronicle)\b"
)
TITLES = re.compile(
    r"^(Mr|Mrs|Ms|Miss|Dr|Prof|Professor|President|Prime Minister|Minister|Chancellor|"
    r"Premier|King|Queen|Prince|Princess|General|Gen|Sen|Senator|Rep|Governor|Gov|"
    r"Pope|Sheikh|Sir|Dame|Lord|Lady|Judge|Justice|Chairman|Secretary|Ayatollah|Imam|Rabbi|"
    r"Cardinal|Archbishop|Bishop|Admiral|Colonel|Brigadier|Commander)\.?\s+"
)
POSSESSIVE = re.compile(r"\s*['’]s?$")


@dataclass(slots=True)
class Found:
    """A candidate actor span while the mentions of an article are chosen."""

    span: Span
    key: str
    alias: str
    weak: bool
    table: bool
    kind: ActorKind | None
    by: str = ""  # the actor rule that found it


def add_acronyms(doc: Doc, found: list[Found]) -> list[Found]:
    """ "Name (ACR)": the acronym becomes an alias of the name, wherever it appears."""
    ends = {f.span.end: f for f in found if f.kind != "person"}
    acronyms: dict[str, Found] = {}
    texts = [t.text for t in tokens_of(doc)]
    for i in range(1, len(texts) - 2):
        acr = texts[i + 1]
        if texts[i] == "(" and texts[i + 2] == ")" and is_acronym(acr):
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
    for tok in tokens_of(doc):
        owner = acronyms.get(tok.text)
        if owner is None or (tok.i in taken and tok.i in kept_tokens):
            continue
        kept.append(
            Found(
                doc[tok.i : tok.i + 1],
                owner.key,
                tok.text,
                False,
                owner.table,
                owner.kind,
                "actor.acronym_alias",
            )
        )
    kept.sort(key=lambda f: f.span.start)
    return kept


def _expansion(doc: Doc, paren: int, acronym: str, links: frozenset[str]) -> Span | None:
    """The words before '(ACR)' that the acronym abbreviates, by their initials.

    'Coalition for Open Software in Europe (COSE)', 'African Union Transition Mission in
    Somalia (ATMIS)': the acronym's letters appear in order among the words' initials, the
    first and last word's among them. Names the NER split or mislabelled come out whole.
    """
    words: list[Token] = []
    i = paren - 1
    while i >= 0 and len(words) < 12:
        tok = doc[i]
        if tok.is_title or (tok.is_upper and tok.is_alpha) or tok.lower_ in links:
            words.insert(0, tok)
            i -= 1
        else:
            break
    if not words or words[-1].lower_ in links:
        return None  # "... of (X)" is no name
    for start in range(len(words) - 1):  # the longest span that fits
        first = words[start]
        if first.lower_ in links or first.text[0].upper() != acronym[0]:
            continue
        initials = "".join(w.text[0].upper() for w in words[start:])
        letters = iter(initials)
        if all(ch in letters for ch in acronym) and initials[-1] == acronym[-1]:
            return doc[first.i : paren]
    if not acronym.isupper():
        # 'Alternative Front (AltF)': a mixed-case acronym of the name in its own
        # language stands for the capitalised run before it, from the first word that
        # starts with its first letter, two names or more
        names = [w for w in words if w.lower_ not in links]
        opening = next((w for w in names if w.text[0] == acronym[0]), None)
        if opening is not None and sum(w.i >= opening.i for w in names) >= 2:
            return doc[opening.i : paren]
    return None


def is_acronym(text: str) -> bool:
    """'IAEA', 'AltF', 'FvDN': letters only, at least two capitals, the first one capital."""
    capitals = sum(c.isupper() for c in text)
    return text.isalpha() and 2 <= len(text) <= 8 and text[0].isupper() and capitals >= 2


def expand_acronyms(doc: Doc, found: list[Found], links: frozenset[str]) -> list[Found]:
    """An organisation spelled out before its acronym, where no found name ends there."""
    ends = {f.span.end: f for f in found if f.kind != "person"}
    added: list[Found] = []
    for i in range(1, len(doc) - 2):
        acr = doc[i + 1].text
        if not (doc[i].text == "(" and doc[i + 2].text == ")" and is_acronym(acr)):
            continue
        if len(acr) < 3:
            continue
        owner = ends.get(i)
        if owner is not None and (len(owner.span) > 1 or _initial_fits(acr, owner.span)):
            continue
        span = _expansion(doc, i, acr, links)
        if span is None:
            continue
        name = span.text[4:] if span.text.lower().startswith("the ") else span.text
        added.append(
            Found(span, name, name, False, False, "organisation", "actor.acronym_expansion")
        )
    if not added:
        return found
    inside = {t for f in added for t in range(f.span.start, f.span.end)}
    kept = [f for f in found if inside.isdisjoint(range(f.span.start, f.span.end))]
    return sorted([*kept, *added], key=lambda f: f.span.start)


def _initial_fits(acronym: str, span: Span) -> bool:
    """'ATMIS' after '... in Somalia' does not stand for 'Somalia' (a one-word name)."""
    words = [t.text for t in span if (t.is_title or t.is_upper) and t.lower_ not in ("the", "a")]
    return bool(words) and words[0][0].upper() == acronym[0]


def add_short_names(
    doc: Doc, found: list[Found], generic_first: frozenset[str], cues: frozenset[str]
) -> list[Found]:
    """Later mentions by surname ('Menon', 'Park') or an organisation's first word ('Hanul');
    a surname the tagger took for a verb or a noun counts where it speaks ('Gerberding
    said', 'said Gerberding')."""
    short: dict[str, Found] = {}
    for f in found:
        words = f.key.split()
        if f.table or len(words) < 2:
            continue
        if f.kind == "person":
            for part in {words[0], words[-1], *words[-1].split("-")[:1]}:
                if len(part) > 2 and part not in short:
                    short[part] = f
        elif f.kind == "organisation" and words[0] not in generic_first and words[0].isalpha():
            short.setdefault(words[0], f)
    # a short form two different full names share stays unmerged
    longer = {f.key for f in found if len(f.key.split()) > 1}
    clashes = {k for k in short if sum(1 for name in longer if k in name.split()) > 1}
    found = [
        Found(
            f.span, short[f.key].key, f.alias, False, False, short[f.key].kind, "actor.short_name"
        )
        if not f.table and f.key in short and f.key not in clashes
        else f
        for f in found
    ]
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    added = []
    for tok in tokens_of(doc):
        owner = short.get(tok.text)
        if owner is None or tok.text in clashes or tok.i in taken:
            continue
        if tok.pos_ != "PROPN" and not _speaks(tok, cues):
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].is_title:
            continue  # part of a longer name the NER did not tag
        added.append(
            Found(
                doc[tok.i : tok.i + 1],
                owner.key,
                tok.text,
                False,
                False,
                owner.kind,
                "actor.short_name",
            )
        )
    return sorted([*found, *added], key=lambda f: f.span.start)


def _speaks(tok: Token, cues: frozenset[str]) -> bool:
    """A capitalised word as the speaker of a cue: its subject, or the name after it."""
    if not tok.is_title or tok.head.lemma_.lower() not in cues or tok.head == tok:
        return False
    return tok.dep_ in ("nsubj", "nsubjpass") or (
        tok.i == tok.head.i + 1 and tok.dep_ in ("xcomp", "dobj", "attr", "npadvmod")
    )


def add_titled_names(
    doc: Doc, found: list[Found], titles: frozenset[str], not_people: frozenset[str]
) -> list[Found]:
    """A name the NER missed after a lower-case title: 'Chief executive Anja Reinholt said'."""
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    added = []
    for tok in tokens_of(doc):
        if tok.lower_ not in titles or tok.pos_ != "NOUN":
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
        if tok.head != span[-1] or span[0].text in not_people:
            continue  # the title must modify the name
        added.append(Found(span, span.text, span.text, False, False, "person", "actor.titled_name"))
    if not added:
        return found
    return sorted([*found, *added], key=lambda f: f.span.start)


def add_speaker_names(
    doc: Doc,
    found: list[Found],
    cues: frozenset[str],
    titles: frozenset[str],
    not_people: frozenset[str],
    places: frozenset[str],
) -> list[Found]:
    """A name the NER missed as the speaker of a cue: 'Ines Barreto, the chief economist at
    Corvo Energy, said', 'according to Ines Barreto' (two to four capitalised proper nouns
    after any title, no place);
    a part of it the NER took for a name of its own ('Reyes' of 'said Ana Reyes') is cut."""
    taken = {i for f in found for i in range(f.span.start, f.span.end)}
    placed = {i for e in doc.ents if e.label_ in places for i in range(e.start, e.end)}
    added = []
    for subject in _speakers(doc, cues):
        words = [t for t in subject.children if t.dep_ in ("compound", "flat")]
        words = sorted([*(t for t in words if t.i < subject.i), subject], key=lambda t: t.i)
        titled = [t.i for t in words if t.lower_ in titles]
        first = titled[-1] + 1 if titled else words[0].i
        while first < subject.i and TITLES.match(doc[first].text + " "):
            first += 1  # 'Dr', 'Admiral Sir'
        span = doc[first : subject.i + 1]
        if not 2 <= len(span) <= 4 or not all(t.pos_ == "PROPN" and t.is_title for t in span):
            continue
        inside = [
            f
            for f in found
            if span.start <= f.span.start and f.span.end <= span.end and len(f.span) < len(span)
        ]
        cut = {i for f in inside if not f.table for i in range(f.span.start, f.span.end)}
        if {t.i for t in span} & ((taken - cut) | placed) or span[0].text in not_people:
            continue
        found = [f for f in found if f.table or f not in inside]  # 'Reyes' of 'Ana Reyes'
        added.append(
            Found(span, span.text, span.text, False, False, "person", "actor.speaker_name")
        )
    if not added:
        return found
    return sorted([*found, *added], key=lambda f: f.span.start)


def _speakers(doc: Doc, cues: frozenset[str]) -> list[Token]:
    """The proper-noun heads of speakers: the subject of a cue verb ('Barreto said', 'X was
    quoted as saying') and the object of 'according to'."""
    heads = []
    verbs = cues | {"quote", "cite"}
    for tok in tokens_of(doc):
        if tok.pos_ == "VERB" and tok.lemma_.lower() in verbs:
            heads += [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        elif tok.lower_ == "to" and tok.i > 0 and doc[tok.i - 1].lower_ == "according":
            heads += [c for c in tok.children if c.dep_ == "pobj"]
    return [t for t in heads if t.pos_ == "PROPN"]


def merge_person_names(found: Sequence[Found]) -> dict[str, str]:
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


def sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def normalise(text: str) -> str:
    text = POSSESSIVE.sub("", text.strip())
    if text.lower().startswith("the "):
        text = text[4:]
    return text.lower()


def clean_name(text: str, person: bool = True) -> str:
    """A name without its possessive, quotes and, for a person, a leading title ('General
    Motors Co' keeps its 'General')."""
    text = POSSESSIVE.sub("", " ".join(text.split()))
    if person:
        text = TITLES.sub("", text)
    return text.strip(" ,.;:-—–\"“”'’")


def trim(ent: Span, known: Container[str] = ()) -> Span | None:
    """An entity span without a trailing possessive or a "(ACRONYM" tail, a leading count
    ('the 300 Regional Assembly seats') or an owner the article knows ("NOAA's Storm Centre";
    never "People's Renewal Congress"), with the whole of a hyphenated given name."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end - 1 and (doc[start].like_num or doc[start].lower_ == "the"):
        start += 1
    owner = [t.i for t in doc[start : end - 2] if t.tag_ == "POS"]
    if owner and ent.label_ == "ORG":
        text = doc[start : owner[-1]].text
        if text.isupper() or normalise(text) in known:
            start = owner[-1] + 1  # the owner is a name of its own, not "People's Congress"
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
    # "Choi Moon-bak": the NER may stop at the hyphen of a hyphenated given name
    while (
        ent.label_ == "PERSON"
        and end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    ):
        end += 2
    return Span(doc, start, end, label=ent.label_)


def split_people(ent: Span) -> list[Span]:
    """'Kenyatta and Odinga' tagged as one PERSON: two people, one span each."""
    if ent.label_ != "PERSON":
        return [ent]
    cuts = [t.i for t in ent if t.lower_ in ("and", "&")]
    bounds = [ent.start, *[c for c in cuts for c in (c, c + 1)], ent.end]
    parts = [
        Span(ent.doc, a, b, label=ent.label_)
        for a, b in zip(bounds[::2], bounds[1::2], strict=True)
        if b > a
    ]
    return parts or [ent]


def ends_like_org(span: Span, org_words: frozenset[str]) -> bool:
    """Places and facilities the NER tags that are really bodies: 'the X Institute'."""
    return span.label_ in ("FAC", "GPE", "LOC") and span[-1].text in org_words


def introduced_as_body(span: Span, body_nouns: frozenset[str]) -> bool:
    """'financial group Fortis', 'consultancy Wood Mackenzie': a lower-case body noun just
    before the name and tied to it makes it an organisation, whatever the NER tagged."""
    if span.start == 0:
        return False
    noun = span.doc[span.start - 1]
    if not (noun.lower_ in body_nouns and (noun.is_lower or noun.is_sent_start)):
        return False
    root = span.root
    return root.head == noun or noun.head == root


def named_as_media(span: Span, media_nouns: frozenset[str]) -> bool:
    """'state news agency AIM', 'the broadcaster MBC': a media noun just before the name."""
    before = span.doc[max(span.start - 3, 0) : span.start]
    return any(t.lower_ in media_nouns for t in before)


def is_proper(name: str) -> bool:
    """A name has a capitalised word that is not just 'The'."""
    words = [w for w in name.split() if w.lower() != "the"]
    return any(w[:1].isupper() for w in words)


def is_name(found: Found) -> bool:
    """Keep NER names of two words or more, and acronyms; single common words are noise."""
    words = found.key.split()
    return len(words) > 1 or (found.key.isupper() and len(found.key) >= 2)


def is_inside_name(span: Span, weak: bool) -> bool:
    """A table alias that is part of a longer name ('North Korea Studies', 'the South Korean')."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    after = doc[span.end]
    if weak and after.is_title and after.pos_ in ("PROPN", "ADJ"):
        return True
    return after.ent_iob_ == "I" and after.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT")


OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "-", "–", "—", ":"})


LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*(?![\w'’-])")


def proper_words(doc: Doc, found: Sequence[Found], leaders: frozenset[str]) -> set[str]:
    """One-word NER names the article prints as proper nouns: in mid-sentence, tagged NNP,
    outside a title-case headline, and never written in lower case ('Vestas', 'Kestrel')."""
    lower = set(LOWER_WORD.findall(doc.text))  # every word written in lower case
    keep: set[str] = set()
    for f in found:
        tok = f.span[0]
        if len(f.span) != 1 or not _capitalised(tok.text) or tok.text.lower() in lower:
            continue
        if TITLES.match(tok.text + " "):
            continue
        if tok.is_sent_start or tok.tag_ != "NNP" or _opened(doc[tok.i - 1]):
            continue
        if _title_case(tok.sent) or _in_phrase(tok, leaders):
            continue
        keep.add(f.key)
    return keep


def _capitalised(word: str) -> bool:
    """'Vestas', and the mixed case of 'HarbourLine', 'McAllister', 'PwC'; not 'NATO'."""
    letters = word.replace("'", "").replace("’", "")
    return word[:1].isupper() and any(c.islower() for c in word[1:]) and letters.isalpha()


def _opened(tok: Token) -> bool:
    """An opening quote, bracket or dash before a word: what follows starts a phrase. A
    straight quote right after a word ('...,"') closes the quotation instead."""
    if tok.text not in OPENERS:
        return False
    closing = tok.text in ('"', "'") and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_
    return not closing


PLACE_PREPOSITIONS = frozenset({"in", "near", "from", "across", "outside", "around"})
PLACE_NOUNS = frozenset(
    {
        "port",
        "city",
        "town",
        "village",
        "district",
        "province",
        "region",
        "county",
        "island",
        "capital",
        "area",
        "state",
        "border",
        "river",
        "valley",
        "coast",
        "ports",
        "cities",
        "towns",
        "villages",
        "districts",
        "provinces",
        "regions",
        "islands",
        "areas",
    }
)


def _in_phrase(tok: Token, leaders: frozenset[str]) -> bool:
    """A capitalised word inside a longer name ('Pudong Institute of Finance'), a modifier
    ('the Sahel region') or a place ('in Dusseldorf', 'the port of Mongla'): no name alone.
    A title before it ('President Halvorsen') or a leader after it ('the Kestrel chief') leaves
    it a name."""
    doc = tok.doc
    before = doc[tok.i - 1]
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if (before.is_title and not TITLES.match(before.text + " ")) or (
        nxt is not None and (nxt.is_title or nxt.lower_ == "of" or nxt.text == "-")
    ):
        return True
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head  # 'Odesa, Mykolaiv and Izmail': as the first of the list
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in leaders:
        return False
    if tok.dep_ in ("compound", "nmod", "amod"):
        return True
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    return prep.lower_ in PLACE_PREPOSITIONS or (
        prep.lower_ == "of" and prep.head.lower_ in PLACE_NOUNS
    )


def _title_case(sent: Span) -> bool:
    """A headline or deck in title case: most of its words capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) > 0.6 * len(words)
