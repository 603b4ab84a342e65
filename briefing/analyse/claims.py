"""Claims: who said what, found from cue verbs in the dependency parse.

A claim is a cue verb ("said", "told", "urged", "according to") with a subject that
names a source and a complement that holds what was said. Per sentence the algorithm is:

1. `CLAIM_CUES` finds, for each cue verb, its speaker and what was said (first rule wins);
   `CLAIM_PHRASES` adds the cue phrases ("quoted as saying", "according to");
2. `FILTER` drops cues that make no claim (relative clauses, bare cues, anonymity);
3. the speaker goes through the `SOURCE` sieve (briefing/analyse/sources.py);
4. `nested` and `relayed` make one claim per attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from briefing.analyse.actors import ArticleActors
from briefing.analyse.claim_filters import FILTER, SPAN, FilterQuery, SpanQuery, one_per_attribution
from briefing.analyse.claim_parts import (
    CLAUSE_DEPS,
    Candidate,
    closes_sentence,
    content_of,
    subject_of,
    trailing_speaker,
)
from briefing.analyse.clauses import SUBJECTS, split_clauses
from briefing.analyse.likelihood import find_probability
from briefing.analyse.quotes import QUOTES, clean_span, inside_quotes, whole_quotation
from briefing.analyse.rules import stage
from briefing.analyse.run_on import RUN_ON, RunOnQuery
from briefing.analyse.sources import (
    Speakers,
    is_state_media,
    kind_of,
    noun_phrase,
    resolve_source,
)
from briefing.analyse.tables import Tables
from briefing.models import Article, Claim, Dropped


@dataclass(frozen=True, slots=True)
class CueQuery:
    """One cue verb in its sentence."""

    cue: Token
    sent: Span
    actors: ArticleActors
    tables: Tables


def trailing_comma_speaker(q: CueQuery) -> Candidate | None:
    """'CONTENT, NAME, APPOSITION, told AFP.': the speaker by comma segments."""
    found = trailing_speaker(q.cue, q.sent, q.actors)
    if found is None:
        return None
    subject, content, boundary = found
    return Candidate(q.cue, subject, content, boundary=boundary)


def closing_attribution(q: CueQuery) -> Candidate | None:
    """'Second round likely if turnout stays low, Harbourline says': a cue that closes its
    sentence after ', SUBJECT' reports what stands before the comma, however the parser
    hung that fragment (a deck or headline line has no verb of its own)."""
    cue, sent = q.cue, q.sent
    subject = subject_of(cue, q.tables.speech_cues, q.actors)
    hung = subject is None and _participle_of_source(cue, q)
    if hung:
        subject = cue.head  # ', a Reuters poll found on Friday, marking ...'
    if not (hung or closes_sentence(cue, sent)) or subject is None or subject.i > cue.i:
        return None
    first = subject.left_edge.i
    own = {t.i for t in subject.subtree}
    if first - 1 <= sent.start or cue.doc[first - 1].text != ",":
        return None
    if any(t.i not in own for t in cue.doc[first : cue.i]):
        return None
    as_cues = q.tables.words["claim.as_phrase_cues"]
    parsed = content_of(cue, subject, cue.lemma_.lower(), as_cues)
    if any(t.dep_ in CLAUSE_DEPS for t in parsed):
        return None  # the parser found the reported clause: verb_subject takes it
    content = [t for t in sent if t.i < first - 1]
    if sum(not t.is_punct for t in content) < 3:
        return None
    return Candidate(cue, subject, content, boundary=first - 1)


def _participle_of_source(cue: Token, q: CueQuery) -> bool:
    """', a Reuters poll found on Friday': the parser read the closing cue as a participle of
    its subject; so it is when that noun is a document, a role or a named actor ('the
    lowest rate reported since 2019' is none)."""
    head = cue.head
    if cue.dep_ != "acl" or head.i >= cue.i or head.pos_ not in ("NOUN", "PROPN"):
        return False
    words = q.tables.words
    nouns = words["source.report_nouns"] | words["source.role_nouns"] | words["source.expert_nouns"]
    return head.lemma_.lower() in nouns or q.actors.key_at(head) is not None


def verb_subject(q: CueQuery) -> Candidate | None:
    """'Kim said ...', '"...," he said': the cue's grammatical subject and complement."""
    subject = subject_of(q.cue, q.tables.speech_cues, q.actors)
    if subject is None or not q.sent.start <= subject.i < q.sent.end:
        return None
    words = q.tables.words["claim.as_phrase_cues"]
    return Candidate(q.cue, subject, content_of(q.cue, subject, q.cue.lemma_.lower(), words))


CLAIM_CUES = stage(
    "claim",
    "a cue verb's speaker and what was said; the first rule that answers decides",
    ("trailing_speaker", trailing_comma_speaker),
    ("closing_attribution", closing_attribution),
    ("verb_subject", verb_subject),
)


@dataclass(frozen=True, slots=True)
class SentenceQuery:
    """One sentence and the tables, for the finders of cue phrases."""

    sent: Span
    tables: Tables


def quoted_as_saying(q: SentenceQuery) -> list[Candidate] | None:
    """'X was quoted by KCNA as saying ...', 'X was cited by Y as saying ...'."""
    found = []
    for tok in q.sent:
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
            found.append(Candidate(tok, subject, sorted(content, key=lambda t: t.i)))
    return found or None


def according_to(q: SentenceQuery) -> list[Candidate] | None:
    """'X, according to Y.', 'According to Y, X.': Y's claim is the rest of the sentence."""
    found = []
    sent = q.sent
    for tok in sent:
        if not (tok.lower_ == "according" and tok.i + 1 < len(tok.doc)):
            continue
        to = tok.doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if to.lower_ != "to" or pobj is None:
            continue
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
        before = [t for t in sent if t.i < min(phrase)]
        after = [t for t in sent if t.i > max(phrase)]
        if all(t.is_punct or t.is_space for t in after):
            content = before  # "X, according to Y."
        elif all(t.is_punct or t.is_space for t in before):
            content = after  # "According to Y, X."
        else:
            content = [t for t in sent if t.i not in phrase]
        found.append(Candidate(tok, pobj, content))
    return found or None


def _states_new_value(verb: Token) -> bool:
    """'... to 4.9 percent': the revision gives the new figure."""
    return any(
        t.lower_ == "to" and t.dep_ == "prep" and any(n.like_num for n in t.subtree)
        for t in verb.subtree
    )


def forecast_revision(q: SentenceQuery) -> list[Candidate] | None:
    """'The IMF cut its growth forecast for Kenya to 4.9 percent': whoever revises a
    forecast to a new figure states what it now expects; the claim is the verb on."""
    verbs = q.tables.words["claim.revision_verbs"]
    nouns = q.tables.words["claim.forecast_nouns"]
    found = []
    for tok in q.sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None or obj.lemma_.lower() not in nouns or not _states_new_value(tok):
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None and tok.dep_ in ("xcomp", "ccomp"):  # 'led the bank to cut ...'
            subject = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
        if subject is None or subject.pos_ == "PRON":
            continue
        found.append(Candidate(tok, subject, [t for t in tok.subtree if t.i >= tok.i]))
    return found or None


def stated_odds(q: SentenceQuery) -> list[Candidate] | None:
    """'The center gave Democrats a 30% chance of netting the seats', 'Ferrand put the odds of
    a further increase at 25%': whoever gives odds states a forecast; the claim is the verb on."""
    verbs = q.tables.words["claim.odds_verbs"]
    found = []
    for tok in q.sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
            continue
        if find_probability(q.sent.doc[tok.i : q.sent.end].text, q.tables) is None:
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON":
            continue
        found.append(Candidate(tok, subject, [t for t in tok.subtree if t.i >= tok.i]))
    return found or None


def sees_outcome(q: SentenceQuery) -> list[Candidate] | None:
    """'She sees Brent averaging $80 in the third quarter', "Barreto doesn't see the strike
    spreading to other ports": to see a thing happening is a forecast of it (never the past
    'saw', a sight); the claim is what is seen happening."""
    found = []
    for tok in q.sent:
        if (
            tok.pos_ != "VERB"
            or tok.lemma_.lower() != "see"
            or tok.tag_ not in ("VBZ", "VBP", "VB")
        ):
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        seen = next(
            (
                c
                for c in tok.children
                if c.dep_ == "ccomp"
                and c.tag_ == "VBG"
                and any(g.dep_ == "nsubj" for g in c.children)
            ),
            None,
        )
        if subject is None or seen is None:
            continue
        found.append(Candidate(tok, subject, list(seen.subtree)))
    return found or None


CLAIM_PHRASES = stage(
    "claim",
    "cue phrases of a sentence; every rule's answers count",
    ("quoted_as_saying", quoted_as_saying),
    ("according_to", according_to),
    ("forecast_revision", forecast_revision),
    ("stated_odds", stated_odds),
    ("sees_outcome", sees_outcome),
)


CUE_RULES = frozenset(r.name for r in CLAIM_CUES.rules)
BACKGROUND = frozenset({"filter.relative_clause", "filter.adding_that"})


@dataclass(slots=True)
class Found:
    """What a sentence yields: candidates kept and cues dropped with the rule that did it."""

    candidates: list[Candidate] = field(default_factory=list)
    dropped: list[tuple[str, Candidate]] = field(default_factory=list)
    boundaries: list[int] = field(default_factory=list)  # trailing speakers' attributions


def _find(sent: Span, quoted: set[int], actors: ArticleActors, tables: Tables) -> Found:
    """Every candidate of one sentence, in the order the rules declare, filters applied."""
    found = Found()
    raw: list[Candidate] = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in tables.speech_cues or tok.i in quoted:
            continue
        hit = CLAIM_CUES.first(CueQuery(tok, sent, actors, tables), tables.off)
        if hit is not None:
            hit.value.found_by = hit.rule
            raw.append(hit.value)
    for phrases in CLAIM_PHRASES.each(SentenceQuery(sent, tables), tables.off):
        for cand in phrases.value:
            cand.found_by = phrases.rule
            raw.append(cand)
    for cand in raw:
        # the filters judge cue verbs; the cue phrases ("according to") are claims as found
        cued = cand.found_by in CUE_RULES
        drop = FILTER.first(FilterQuery(cand, tables), tables.off) if cued else None
        if drop is not None:
            found.dropped.append((drop.rule, cand))
        else:
            found.candidates.append(cand)
        if cand.boundary is not None and (drop is None or drop.rule not in BACKGROUND):
            found.boundaries.append(cand.boundary)  # an attribution, claim or not
    return found


def _resolve(cand: Candidate, actors: ArticleActors, speakers: Speakers, tables: Tables) -> None:
    """The candidate's source by the SOURCE sieve."""
    if cand.found_by == "claim.quoted_as_saying":
        until = None
    else:
        until = cand.content[0].i if cand.content and cand.content[0].i < cand.cue.i else None
    decided = resolve_source(cand.subject, actors, speakers, tables, until)
    cand.source, cand.kind = decided.value
    cand.resolved_by = decided.rule
    if cand.found_by != "claim.quoted_as_saying":
        cand.state_media = is_state_media(cand.subject, tables)


def _claim(
    sent: Span, article: Article, index: int, cand: Candidate, actors: ArticleActors, tables: Tables
) -> Claim | None:
    """The claim a kept candidate makes, or None when its content is empty."""
    doc = sent.doc
    span = clean_span(doc, cand.content, sent.end)
    if span is None:
        return None
    span = _with_forecaster(whole_quotation(doc, span), cand, sent, tables)
    cue = _cue_text(cand.cue)
    clauses, split_by = split_clauses(span, tables)
    source, kind = cand.source, cand.kind
    via = cand.via or _outlet(cand.cue, actors)
    if cand.state_media and kind == "media":
        # unnamed "state media" keep their words; the outlet meant carried the claim
        phrase = noun_phrase(cand.subject)
        source, kind, via = phrase[:1].lower() + phrase[1:], "unnamed", via or source
    return Claim(
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
        target=_target(cand.cue, actors, tables.words["claim.target_cues"]),
        found_by=cand.found_by,
        resolved_by=cand.resolved_by,
        clauses=clauses,
        split_by=split_by,
    )


def _with_forecaster(span: Span, cand: Candidate, sent: Span, tables: Tables) -> Span:
    """'the Civic Union Party anticipates winning about 40 seats', 'she did not expect further
    curbs', 'the panel expects GDP to grow 3.9%': what a forecasting verb takes without a
    clause of its own (or with an infinitive) says something only with the subject and the
    verb, so the claim starts at the subject."""
    cue, subject = cand.cue, cand.subject
    if cue.lemma_.lower() not in tables.forecast_cues or not subject.i < cue.i < span.start:
        return span
    if span.text[:1] in QUOTES or any(t.dep_ in SUBJECTS and not _infinitive(t) for t in span):
        return span  # a quotation, or a clause with a subject and a tense of its own
    start = subject.left_edge.i
    return span.doc[start : span.end] if start >= sent.start else span


def _infinitive(subject: Token) -> bool:
    """'expect GDP to grow': the subject of an infinitive, which has no tense of its own."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in subject.head.children)


def _dropped(article: Article, index: int, rule: str, cand: Candidate) -> Dropped:
    tokens = cand.content or [cand.cue]
    doc = cand.cue.doc
    span = doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]
    return Dropped(
        rule=rule,
        found_by=cand.found_by,
        article=article.id,
        sentence=index,
        start=span.start_char,
        end=span.end_char,
        text=span.text,
    )


def extract_claims(
    doc: Doc, article: Article, actors: ArticleActors, tables: Tables
) -> tuple[tuple[Claim, ...], tuple[Dropped, ...]]:
    """Every attributed statement in a parsed article, in text order, and the cues dropped."""
    speakers = Speakers(actors)
    claims: list[Claim] = []
    dropped: list[Dropped] = []
    quoted = inside_quotes(doc)
    reach = -1  # the last sentence the last claim holds
    for index, sent in enumerate(doc.sents):
        found = _find(sent, quoted, actors, tables)
        if not found.candidates and not found.dropped:
            last = claims[-1] if claims else None
            ran_on = RUN_ON.first(RunOnQuery(sent, index, last, reach, tables), tables.off)
            if ran_on is not None:
                if ran_on.value.sentence == index:
                    claims.append(ran_on.value)  # a claim of its own, the last source's
                else:
                    claims[-1] = ran_on.value  # the claim before, grown
                reach = index
            continue
        dropped += [_dropped(article, index, rule, c) for rule, c in found.dropped]
        last_cue = max((c.cue.i for c in found.candidates), default=-1)
        for cand in found.candidates:
            _resolve(cand, actors, speakers, tables)
            if cand.kind != "unnamed" and cand.cue.i < last_cue:
                # '..., one of its deputy governors said, although she cautioned ...': the
                # speaker named first is the last person speaking for a 'she' after it
                speakers.add(cand.source, cand.kind)
        for cand in found.candidates:
            # no claim's content runs into the attribution of a trailing speaker
            cut = min((b for b in found.boundaries if b > cand.cue.i), default=None)
            if cut is not None:
                cand.content = [t for t in cand.content if t.i < cut]
        drop = one_per_attribution(found.candidates, tables.off)
        for cand in found.candidates:
            if cand.cue.i in drop:
                dropped.append(_dropped(article, index, drop[cand.cue.i], cand))
                continue
            empty = SPAN.first(SpanQuery(cand, sent), tables.off)
            claim = _claim(sent, article, index, cand, actors, tables)
            if empty is not None or claim is None:
                dropped.append(_dropped(article, index, empty.rule if empty else "span.none", cand))
                continue
            claims.append(claim)
            reach = index
            speakers.add(claim.source, claim.source_kind)
    return tuple(claims), tuple(dropped)


def _target(cue: Token, actors: ArticleActors, cues: frozenset[str]) -> str | None:
    """Who a claim addresses: 'urged Beijing to ...', 'accused Manila of ...'."""
    if cue.lemma_.lower() not in cues:
        return None
    for child in cue.children:
        if child.dep_ in ("dobj", "dative"):
            key = actors.key_at(child)
            if key is not None and kind_of(actors, key) != "media":
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
            if key is not None and kind_of(actors, key) == "media":
                return key
    return None
