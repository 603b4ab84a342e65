"""Claims: who said what, found from cue verbs in the dependency parse.

A claim is a cue verb ("said", "told", "urged", "according to") with a subject that
names a source and a complement that holds what was said. Pronoun and nominal speakers
("he added", "the minister said") go to the last compatible speaker; "state media"
goes to the state outlet the article names. A report of a report ("X urged ..., state
media said") is one claim by X, via the outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from briefing.analyse.actors import ArticleActors, LocalActor
from briefing.analyse.spans import balanced_end
from briefing.analyse.tables import Tables
from briefing.models import Article, Claim, SourceKind

SUBJECT_DEPS = {"nsubj"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "parataxis", "dative"}
AS_PHRASE_CUES = {"describe", "define", "brand", "dub", "label", "call"}
QUOTES = '“”"‘’«»'
ROLE_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "representative", "source",
    "analyst", "economist", "strategist", "researcher", "expert", "delegate", "officer",
    "secretariat",
}  # fmt: skip
REPORT_NOUNS = {
    "study", "report", "estimate", "survey", "analysis", "statement", "assessment",
    "projection", "review", "note", "bulletin", "update", "forecast", "data", "paper",
    "result", "figure", "tally", "count", "filing",
}  # fmt: skip
# A person described by one of these stands for "the analyst", "the economist", ...
EXPERT_NOUNS = {
    "analyst", "economist", "strategist", "researcher", "expert", "scientist", "professor",
    "fellow", "scholar", "academic",
}  # fmt: skip
# "the military said": a body whose name has one of these words, else the state.
MILITARY_WORDS = {
    "Staff", "Army", "Military", "Forces", "Force", "Navy", "Command", "Defence", "Defense",
    "Guard", "Guards", "Marines",
}  # fmt: skip
POSSESSIVE_PRONOUNS = {"its", "their"}
PERSON_PRONOUNS = {"he", "she"}
GROUP_PRONOUNS = {"they"}
THING_PRONOUNS = {"it"}


@dataclass(slots=True)
class _Candidate:
    cue: Token
    subject: Token
    content: list[Token]
    source: str
    kind: SourceKind
    state_media: bool = False
    via: str | None = None


class _Speakers:
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


def _kind(actors: ArticleActors, key: str) -> SourceKind:
    actor = actors.actors.get(key)
    return actor.kind if actor else "unnamed"


def _last_mention_before(
    actors: ArticleActors, token: Token, kinds: set[str], until: int | None = None
) -> str | None:
    limit = token.i if until is None else min(token.i, until)
    best = None
    for start, _, key in actors.mention_spans:
        if start >= limit:
            break
        if _kind(actors, key) in kinds:
            best = key
    return best


def _mention_in_sentence_before(
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
        if start >= sent_start and _kind(actors, key) in kinds:
            best = key
    return best


def _state_media(actors: ArticleActors) -> LocalActor | None:
    return next((a for a in actors.actors.values() if a.state_media_of), None)


def _noun_phrase(token: Token) -> str:
    """The subject's noun phrase without appositions or relative clauses."""
    drop: set[int] = set()
    for child in token.children:
        if child.dep_ in ("appos", "relcl", "acl", "punct"):
            drop.update(t.i for t in child.subtree)
    words = [t for t in token.subtree if t.i not in drop]
    return token.doc[words[0].i : words[-1].i + 1].text


def is_state_media(subject: Token, tables: Tables) -> bool:
    """'state media', 'the state news agency': the article's state outlet, unnamed."""
    phrase = _noun_phrase(subject).lower()
    return phrase in tables.state_media_subjects or (
        phrase.removeprefix("the ") in tables.state_media_subjects
    )


def resolve_source(
    subject: Token,
    actors: ArticleActors,
    speakers: _Speakers,
    tables: Tables,
    until: int | None = None,
) -> tuple[str, SourceKind]:
    """Name and kind of the source a cue's subject stands for.

    `until` is where what was said begins, when it comes before the cue: names from
    there on are what the source spoke about, not who the source is.
    """
    until = subject.i if until is None else min(until, subject.i)
    key = actors.key_at(subject)
    if key is not None:
        return key, _kind(actors, key)
    named = _apposed_name(subject, actors)
    if named is not None:
        return named
    lower = subject.lower_
    if subject.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS:
        if lower in PERSON_PRONOUNS:
            name = (
                _mention_in_sentence_before(actors, subject, {"person"}, until)
                or speakers.last({"person"})
                or _last_mention_before(actors, subject, {"person"}, until)
            )
            if name:
                return name, "person"
        elif lower in GROUP_PRONOUNS | THING_PRONOUNS:
            kinds = {"state", "organisation", "media"}
            name = speakers.last(kinds) or _last_mention_before(actors, subject, kinds, until)
            if name:
                return name, _kind(actors, name)
        return subject.text, "unnamed"
    if _member_body(subject, actors):
        named = _nominal(subject, actors, speakers, until)
        if named is not None:
            return named
    body = _speaks_for(subject, actors)
    if body is not None:
        return body
    phrase = _noun_phrase(subject)
    if is_state_media(subject, tables):
        outlet = _state_media(actors)
        if outlet is not None:
            return outlet.key, outlet.kind
    if any(t.dep_ == "det" and t.lower_ == "the" for t in subject.lefts):
        named = _nominal(subject, actors, speakers, until)
        if named is not None:
            return named
    proper = _proper_name(subject, actors)
    if proper is not None:
        return proper
    return phrase, "unnamed"


def _proper_name(subject: Token, actors: ArticleActors) -> tuple[str, SourceKind] | None:
    """A name the NER missed: 'Menon' -> the Rajiv Menon named before; 'Moses Tumwine' a person."""
    words = [t for t in subject.subtree if t.dep_ in ("compound", "flat") or t == subject]
    words = [t for t in words if t.i <= subject.i]
    if not words or not all(t.pos_ == "PROPN" and t.is_title for t in words) or len(words) > 4:
        return None
    text = subject.doc[words[0].i : subject.i + 1].text
    people = [a.key for a in actors.actors.values() if a.kind == "person"]
    owners = [p for p in people if text in (p.split()[0], p.split()[-1])]
    if len(owners) == 1:
        return owners[0], "person"
    if len(words) >= 2:
        return text, "person"
    return None


# Bodies with agencies and missions of their own: "the UN agency" is one of them, not the UN.
UMBRELLA_BODIES = {"UN", "European Union", "African Union"}


def _member_body(subject: Token, actors: ArticleActors) -> bool:
    """'the UN agency', 'the EU body': a definite member body of an umbrella organisation."""
    if subject.lemma_.lower() not in GENERIC_BODIES:
        return False
    if not any(t.dep_ == "det" and t.lower_ == "the" for t in subject.lefts):
        return False
    return any(
        c.dep_ == "compound" and actors.key_at(c) in UMBRELLA_BODIES for c in subject.children
    )


def _apposed_name(subject: Token, actors: ArticleActors) -> tuple[str, SourceKind] | None:
    """'A commerce ministry spokesperson, Zhao Lin, told', 'the consultancy Meridian ...'.

    A description whose apposition names an actor stands for that actor.
    """
    for child in subject.children:
        if child.dep_ != "appos":
            continue
        key = actors.key_at(child)
        if key is not None and _kind(actors, key) != "unnamed":
            return key, _kind(actors, key)
    return None


def _speaks_for(subject: Token, actors: ArticleActors) -> tuple[str, SourceKind] | None:
    """'ADR officials', 'analysts at Harcourt Securities', 'a study by ASEAN': the body named."""
    lemma = subject.lemma_.lower()
    if lemma not in ROLE_NOUNS and lemma not in REPORT_NOUNS:
        if subject.pos_ != "NOUN":
            return None
        for child in subject.children:  # "the official Xinhua news agency"
            key = actors.key_at(child)
            if child.dep_ in ("compound", "poss") and key and _kind(actors, key) != "person":
                return key, _kind(actors, key)
        return None
    for child in subject.children:
        targets = [child]
        if child.dep_ == "poss" and child.lower_ in POSSESSIVE_PRONOUNS:
            # "according to its secretariat": the body named just before
            owner = _last_mention_before(actors, subject, {"organisation", "state"})
            if owner is not None:
                return owner, _kind(actors, owner)
            continue
        if child.dep_ == "prep" and child.lower_ in ("at", "of", "from", "by", "with"):
            targets = [c for c in child.children if c.dep_ == "pobj"]
        elif child.dep_ == "acl":  # "a survey published last week by X"
            targets = [
                c
                for agent in child.children
                if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by")
                for c in agent.children
                if c.dep_ == "pobj"
            ]
        elif child.dep_ not in ("compound", "poss", "nmod"):
            continue
        for target in targets:
            for token in [target, *[t for t in target.children if t.dep_ == "compound"]]:
                key = actors.key_at(token)
                if key and _kind(actors, key) not in ("person", "unnamed"):
                    return key, _kind(actors, key)
    return None


GENERIC_BODIES = {
    "company", "firm", "group", "consultancy", "agency", "organisation", "organization",
    "lender", "insurer", "operator", "carrier", "manufacturer", "producer", "body", "watchdog",
}  # fmt: skip
STATE_BODIES = {"government", "military", "army", "country", "authorities"}


def _nominal(
    subject: Token, actors: ArticleActors, speakers: _Speakers, until: int
) -> tuple[str, SourceKind] | None:
    """A definite description resolved to the last compatible actor named before it.

    'the minister said' -> the last person whose title ends in 'minister' ('the analyst'
    also takes a 'political scientist'); 'the bank' -> the last body with 'Bank' in its
    name; 'the company' -> the last organisation named; 'the military' -> the last armed
    body ('Joint Chiefs of Staff'), else the last state; 'the government' -> the last state
    named; 'the official' -> an earlier unnamed official.
    """
    noun = subject.lemma_.lower()
    word = re.compile(rf"\b{re.escape(noun)}", re.IGNORECASE)
    nouns = EXPERT_NOUNS if noun in EXPERT_NOUNS else {noun}
    # latest first; what the source says before the cue only when nothing earlier fits
    # ("Peru's minister resigned, the government said")
    before = [key for start, _, key in reversed(actors.mention_spans) if start < until]
    before += [
        key for start, _, key in reversed(actors.mention_spans) if until <= start < subject.i
    ]

    def titled(name: str) -> bool:
        actor = actors.actors.get(name)
        if actor is None or actor.kind != "person" or not actor.description:
            return False
        # the title's head word: "chairwoman of the Commission" is no commission,
        # nor is "commission chairman"
        head = re.split(r"\b(?:of|at|for|in|who|from|with)\b|,", actor.description)[0].split()
        last = head[-1].lower() if head else ""
        return any(last.startswith(n) or f"-{n}" in last for n in nouns)

    for name, kind in reversed(speakers.history):
        if kind == "person" and titled(name):
            return name, "person"
    for key in before:
        if titled(key):
            return key, "person"
    for name, kind in reversed(speakers.history):
        if kind == "unnamed" and word.search(name):
            return name, "unnamed"  # "a senior official ... the official said"
    if speakers.history:
        # "X said ... . ..., the group warned": the body that spoke last goes on speaking;
        # "..., the statement said": the last source's statement
        name, kind = speakers.history[-1]
        if kind in ("organisation", "media") and (noun in GENERIC_BODIES or word.search(name)):
            return name, kind
        if noun in REPORT_NOUNS and kind != "unnamed":
            return name, kind
    if noun in ("military", "army"):
        for key in before:
            actor = actors.actors.get(key)
            if (
                actor is not None
                and actor.kind == "organisation"
                and MILITARY_WORDS.intersection(actor.key.split())
            ):
                return key, actor.kind
    for key in before:
        actor = actors.actors.get(key)
        if actor is None or actor.kind == "person":
            continue
        if actor.kind in ("organisation", "media") and word.search(actor.key):
            return key, actor.kind
        if noun in GENERIC_BODIES and actor.kind in ("organisation", "media"):
            return key, actor.kind
        if noun in STATE_BODIES and actor.kind == "state":
            return key, "state"
    bodies = [  # named later in the article: "..., the electoral commission said" in the lead
        a
        for a in actors.actors.values()
        if a.kind in ("organisation", "media") and word.search(a.key)
    ]
    if len(bodies) == 1:
        return bodies[0].key, bodies[0].kind
    return None


def _subject_of(cue: Token, cues: frozenset[str], actors: ArticleActors) -> Token | None:
    """The cue's subject; of two ('CONTENT, a senior official said'), the one that names
    an actor, else the one nearest the cue."""
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        named = [c for c in subjects if actors.key_at(c) is not None]
        return (named or subjects)[-1]
    if cue.dep_ == "conj" and cue.head.pos_ in ("VERB", "AUX"):
        return _subject_of(cue.head, cues, actors)
    if cue.dep_ == "advcl" and cue.tag_ == "VBG" and cue.head.lemma_.lower() in cues:
        return _subject_of(cue.head, cues, actors)  # "X said, adding that ..."
    return None


def _content_of(cue: Token, subject: Token, lemma: str) -> list[Token]:
    """The tokens that say what was said: the cue's complements, or its host clause."""
    parts: list[Token] = []
    for child in cue.children:
        dep = child.dep_
        if child == subject:
            continue
        if dep in ("dobj", "dative") and lemma == "tell":
            continue  # "told AFP": the addressee, not the content
        if dep in CONTENT_DEPS or (
            dep == "prep" and lemma in AS_PHRASE_CUES and child.lower_ == "as"
        ):
            parts.extend(child.subtree)
    if not parts:
        parts = _that_clause_of_statement(cue)
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


def _that_clause_of_statement(cue: Token) -> list[Token]:
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


def _trailing_speaker(
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
        _that_clause_of_statement(cue)
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
            and _kind(actors, key) in ("person", "organisation", "state", "media")
        ):
            content = [t for t in sent if t.i < commas[n]]
            return (named, content, commas[n]) if content else None
        if segment[0].is_title and not leading:
            break
    return None


def _opens(tok: Token) -> bool:
    """A quotation mark that opens a quote: '“', or '"' with space before and none after."""
    if tok.text in ("“", "«"):
        return True
    if tok.text != '"' or tok.whitespace_:
        return False
    return tok.i == 0 or bool(tok.doc[tok.i - 1].whitespace_) or tok.doc[tok.i - 1].is_space


def _clean_span(doc: Doc, tokens: list[Token], limit: int) -> Span | None:
    """The content as one span: no leading 'that', no stray punctuation, quotes closed."""
    if not tokens:
        return None
    start, end = tokens[0].i, tokens[-1].i + 1
    while start < end and (
        (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether"))
        or (doc[start].is_punct and doc[start].text not in QUOTES)
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and doc[end - 1].text not in QUOTES)
        or _opens(doc[end - 1])  # the next sentence's quote, split onto this one
    ):
        end -= 1
    end = balanced_end(doc, start, end, limit)
    if end - start < 2:
        return None
    return doc[start:end]


def _whole_quotation(doc: Doc, span: Span) -> Span:
    """Grow a claim to its whole quotation when the quote opened sentences earlier.

    '"The water is still rising. Anyone ... at risk," Cossa told reporters': the parser
    gives only the last sentence as the complement; the quotation marks give the rest.
    """
    j = span.end
    while j < len(doc) and j - span.end < 3 and doc[j].is_punct and doc[j].text not in ('"', "”"):
        j += 1
    inside_close = span.text.count("”") > span.text.count("“") or (
        span.text.count('"') % 2 == 1 and not span.text.lstrip().startswith('"')
    )
    after_close = j < len(doc) and doc[j].text in ('"', "”")
    if not (inside_close or after_close):
        return span
    closer = doc[j].text if after_close else ("”" if "”" in span.text else '"')
    opener = "“" if closer == "”" else '"'
    if opener in span.text and not inside_close:
        return span  # the quotation opens inside the claim already
    for i in range(span.start - 1, max(span.start - 300, 0) - 1, -1):
        if doc[i].text == opener and (opener != '"' or _opens(doc[i])):
            return doc[i : (j + 1 if after_close else span.end)]
        if doc[i].text == closer:
            break  # an earlier quotation closes here: this one has no opener before
    return span


TARGET_CUES = {
    "urge", "ask", "warn", "accuse", "criticise", "criticize", "condemn", "blame", "call",
    "threaten", "praise", "welcome", "press",
}  # fmt: skip


def _target(cue: Token, actors: ArticleActors) -> str | None:
    """Who a claim addresses: 'urged Beijing to ...', 'accused Manila of ...'."""
    if cue.lemma_.lower() not in TARGET_CUES:
        return None
    for child in cue.children:
        if child.dep_ in ("dobj", "dative"):
            key = actors.key_at(child)
            if key is not None and _kind(actors, key) != "media":
                return key
    return None


def _cue_text(token: Token) -> str:
    if token.lower_ == "according":
        return "according to"
    if token.lemma_.lower() in ("quote", "cite") and any(
        c.dep_ == "nsubjpass" for c in token.children
    ):
        return f"was {token.lower_} as saying"
    return token.text.lower()


def _outlet(cue: Token, actors: ArticleActors) -> str | None:
    """The media actor a source spoke to ("told AFP"), if any."""
    for child in cue.children:
        if child.dep_ == "agent":  # "was quoted by KCNA as saying"
            child = next((c for c in child.children if c.dep_ == "pobj"), child)
        if child.dep_ in ("dobj", "dative", "pobj"):
            key = actors.key_at(child)
            if key is not None and _kind(actors, key) == "media":
                return key
    return None


def _inside_quotes(doc: Doc) -> set[int]:
    """Token indices inside direct quotations: speech verbs there are not attribution.

    Over the whole text, as a quotation may run over several sentences ('"We have said
    many times what our conditions are. Nothing has changed," he said').
    """
    inside: set[int] = set()
    opened: int | None = None
    for tok in doc:
        text = tok.text
        if text in ("“", "«") or (text == '"' and (opened is None or _opens(tok))):
            opened = tok.i  # a new opening mark restarts an unclosed quotation
        elif text in ("”", "»", '"') and opened is not None:
            inside.update(range(opened + 1, tok.i))
            opened = None
    return inside


def _quoted_as_saying(sent: Span) -> list[tuple[Token, Token, list[Token]]]:
    """'X was quoted by KCNA as saying ...', 'X was cited by Y as saying ...'."""
    found = []
    for tok in sent:
        if tok.lemma_.lower() not in ("quote", "cite") or tok.pos_ != "VERB":
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        saying = next(
            (t for t in tok.subtree if t.lower_ == "saying" and t.head.lower_ == "as"), None
        )
        if subject is None or saying is None:
            continue
        content = [t for c in saying.children if c.dep_ in ("ccomp", "dobj") for t in c.subtree]
        if content:
            found.append((tok, subject, sorted(content, key=lambda t: t.i)))
    return found


def _according_to(sent: Span) -> list[tuple[Token, Token, list[Token]]]:
    found = []
    for tok in sent:
        if (
            tok.lower_ == "according"
            and tok.i + 1 < len(tok.doc)
            and tok.doc[tok.i + 1].lower_ == "to"
        ):
            to = tok.doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
            first, last = min(phrase), max(phrase)
            before = [t for t in sent if t.i < first]
            after = [t for t in sent if t.i > last]
            if all(t.is_punct or t.is_space for t in after):
                content = before  # "X, according to Y."
            elif all(t.is_punct or t.is_space for t in before):
                content = after  # "According to Y, X."
            else:
                content = [t for t in sent if t.i not in phrase]
            found.append((tok, pobj, content))
    return found


def _in_relative_clause(cue: Token) -> bool:
    """'the group, which said ...', 'a reference that Baku says implies ...': background
    inside a relative clause, not a statement of record."""
    if cue.dep_ == "relcl":
        return True
    return cue.dep_ in ("ccomp", "parataxis") and cue.head.dep_ == "relcl" and cue.head.i > cue.i


ANONYMITY = re.compile(r"\b(?:to be (?:named|identified|quoted)|anonymity)\b", re.IGNORECASE)


def _asks_anonymity(content: list[Token]) -> bool:
    """'who asked not to be named', 'asking not to be identified because ...': no statement."""
    return bool(ANONYMITY.search(" ".join(t.text for t in content[:6])))


def _is_addition(cue: Token, cues: frozenset[str]) -> bool:
    """'X said ..., adding that ...': more of the same statement, not a claim of its own."""
    return (
        cue.lemma_.lower() == "add"
        and cue.tag_ == "VBG"
        and cue.dep_ == "advcl"
        and cue.head.lemma_.lower() in cues
    )


def _drop_nested(candidates: list[_Candidate]) -> list[_Candidate]:
    """One claim per attribution.

    'X said he did not expect ...', 'Xinhua reported that a meeting had pledged ...': a cue
    inside what an earlier cue reports is part of that claim, as is one with no named
    source inside what a later cue reports. 'X urged ..., state media said': an outlet
    after the claim relays it; one claim by X, via the outlet.
    """
    contents = [{t.i for t in c.content} for c in candidates]
    drop: set[int] = set()
    for n, cand in enumerate(candidates):
        if cand.cue.lower_ == "according":
            continue
        inside = contents[n]
        roots = {t.i for t in cand.content if t.head.i not in inside or t.head == t}
        for other in candidates:
            if other is cand or other.cue.i not in inside:
                continue
            if other.cue.i > cand.cue.i or other.kind == "unnamed":
                drop.add(other.cue.i)  # "'Both believe they can win,' he said": his claim
            elif cand.kind == "media" and other.cue.i in roots:
                other.via = cand.source
                drop.add(cand.cue.i)
    return [c for c in candidates if c.cue.i not in drop]


def extract_claims(
    doc: Doc, article: Article, actors: ArticleActors, tables: Tables
) -> tuple[Claim, ...]:
    """Every attributed statement in a parsed article, in text order."""
    speakers = _Speakers(actors)
    claims: list[Claim] = []
    quoted = _inside_quotes(doc)
    for index, sent in enumerate(doc.sents):
        candidates: list[_Candidate] = []
        boundaries: list[int] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "VERB" or lemma not in tables.speech_cues or tok.i in quoted:
                continue
            if _in_relative_clause(tok) or _is_addition(tok, tables.speech_cues):
                continue
            trailing = _trailing_speaker(tok, sent, actors)
            if trailing is not None:
                subject, content, boundary = trailing
                boundaries.append(boundary)
            else:
                found = _subject_of(tok, tables.speech_cues, actors)
                if found is None or not sent.start <= found.i < sent.end:
                    continue
                subject, content = found, _content_of(tok, found, lemma)
            has_clause = any(t.dep_ in ("ccomp", "xcomp", "parataxis") for t in content) or any(
                ch in "".join(t.text for t in content) for ch in QUOTES
            )
            if not content or (lemma in tables.needs_complement and not has_clause):
                continue
            if _asks_anonymity(content):
                continue
            until = content[0].i if content[0].i < tok.i else None
            source, kind = resolve_source(subject, actors, speakers, tables, until)
            candidates.append(
                _Candidate(tok, subject, content, source, kind, is_state_media(subject, tables))
            )
        for cue_token, subject, content in _quoted_as_saying(sent):
            source, kind = resolve_source(subject, actors, speakers, tables)
            candidates.append(_Candidate(cue_token, subject, content, source, kind))
        for word, pobj, content in _according_to(sent):
            until = content[0].i if content and content[0].i < word.i else None
            source, kind = resolve_source(pobj, actors, speakers, tables, until)
            candidates.append(
                _Candidate(word, pobj, content, source, kind, is_state_media(pobj, tables))
            )
        for cand in candidates:
            # no claim's content runs into the attribution of a trailing speaker
            cut = min((b for b in boundaries if b > cand.cue.i), default=None)
            if cut is not None:
                cand.content = [t for t in cand.content if t.i < cut]
        for cand in _drop_nested(candidates):
            span = _clean_span(doc, cand.content, sent.end)
            if span is None:
                continue
            span = _whole_quotation(doc, span)
            cue = _cue_text(cand.cue)
            source, kind = cand.source, cand.kind
            via = cand.via or _outlet(cand.cue, actors)
            if cand.state_media and kind == "media":
                # unnamed "state media" keep their words; the outlet meant carried the claim
                phrase = _noun_phrase(cand.subject)
                source, kind, via = phrase[:1].lower() + phrase[1:], "unnamed", via or source
            claims.append(
                Claim(
                    source=source,
                    source_kind=kind,
                    cue=cue,
                    text=span.text,
                    quote=span.text.lstrip()[:1] in ("“", '"', "«"),
                    article=article.id,
                    sentence=index,
                    start=span.start_char,
                    end=span.end_char,
                    cue_lemma="according to" if cue == "according to" else cand.cue.lemma_.lower(),
                    via=via,
                    target=_target(cand.cue, actors),
                )
            )
            speakers.add(source, kind)
    return tuple(claims)
