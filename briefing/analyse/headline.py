"""Headlines: a forecast the headline attributes is its source's outlook (GUIDE.md, in_headline).

Wire headlines attribute in a few fixed shapes: a source after a colon ("Ebola cases could
grow by thousands a week: WHO"), before one ("Expert: OPEC cut will lift oil by $5"), after
a comma with a verb of saying ("El Nino could return by spring, WMO says") or before the
statement ("IMF chief says growth likely to slow"). `HEADLINE` finds the shape; the source
phrase is then read against the article's actors: a name it holds ("Reuters Poll" is
Reuters), or a person's title ("finance minister", "Expert") the one person quoted in the
body, else it stays an unnamed phrase ("business leaders"). The statement becomes a claim
of sentence -1 that only `FORECAST` and the rest of the outlook stages see: a headline with
no attribution is the outlet's own voice, and a title made from the lead is no headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.analyse.rules import stage
from briefing.analyse.tables import Tables
from briefing.models import Actor, Article, Claim, SourceKind

HEADLINE_SENTENCE = -1  # the sentence index of a claim the headline makes

# the verbs a headline attributes with, in the present as headlines write them
CUES = r"says|say|warns|warn|predicts|predict|forecasts|forecast|expects|expect|sees|see"


@dataclass(frozen=True, slots=True)
class HeadlineQuery:
    """A headline and the tables, for the rules that find its attribution."""

    title: str
    tables: Tables


@dataclass(frozen=True, slots=True)
class Attribution:
    """What a headline states and the phrase it gives as its source."""

    statement: str
    source: str
    cue: str


def cue_lemma(cue: str) -> str:
    """The lemma of a headline's verb: 'says' -> 'say', 'sees' -> 'see', 'said' -> 'say'."""
    return "say" if cue == "said" else cue.removesuffix("s")


def _short(phrase: str, most: int) -> bool:
    words = phrase.split()
    return 0 < len(words) <= most and not phrase.endswith((".", "?", "!"))


def trailing_source(q: HeadlineQuery) -> Attribution | None:
    """'Ebola cases could grow by thousands per week: WHO', '...: Reuters Poll': a short
    source after the headline's last colon."""
    statement, colon, source = q.title.rpartition(":")
    statement, source = statement.strip(), source.strip()
    if not colon or len(statement.split()) < 4 or not _short(source, 4):
        return None
    return Attribution(statement, source, "said")


def leading_source(q: HeadlineQuery) -> Attribution | None:
    """'Expert: OPEC decision will lead to a $5 rise': a short source before a colon."""
    source, colon, statement = q.title.partition(":")
    source, statement = source.strip(), statement.strip()
    if not colon or len(statement.split()) < 4 or not _short(source, 3):
        return None
    return Attribution(statement, source, "said")


CLOSING = re.compile(rf"^(?P<statement>.{{12,}}?),\s+(?P<source>[^,]{{2,60}}?)\s+(?P<cue>{CUES})$")
OPENING = re.compile(rf"^(?P<source>[^,:]{{2,60}}?)\s+(?P<cue>{CUES})\s+(?P<statement>.{{12,}})$")


def closing_cue(q: HeadlineQuery) -> Attribution | None:
    """'El Nino could return as early as next spring, WMO says', 'Unemployment could hit
    2m, business leaders warn': the source and its verb after the last comma."""
    found = CLOSING.match(q.title.strip())
    if found is None or not _short(found["source"], 5):
        return None
    return Attribution(found["statement"], found["source"], found["cue"])


def opening_cue(q: HeadlineQuery) -> Attribution | None:
    """'IMF chief says global economy likely to be weaker this year': a short source and its
    verb before the statement."""
    title = q.title.strip()
    found = OPENING.match(title)
    if found is None or not _short(found["source"], 4) or found["source"][:1].islower():
        return None
    if (
        cue_lemma(found["cue"]) in q.tables.forecast_cues
    ):  # 'growers expect a bigger harvest': the whole line
        return Attribution(title, found["source"], found["cue"])
    return Attribution(found["statement"], found["source"], found["cue"])


HEADLINE = stage(
    "headline",
    "the source and the statement of an attributed headline; the first rule that answers decides",
    ("trailing_source", trailing_source),
    ("leading_source", leading_source),
    ("closing_cue", closing_cue),
    ("opening_cue", opening_cue),
)


def is_headline(article: Article) -> bool:
    """The article has a headline of its own, not a title made from its first sentence."""
    title = article.title.removesuffix(" …").rstrip(".").strip()
    return bool(title) and not article.text.lstrip().startswith(title)


def _names(actor: Actor) -> set[str]:
    return {actor.name, *actor.aliases}


def _holds(phrase: str, name: str) -> bool:
    flags = 0 if name.isupper() else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", phrase, flags) is not None


def headline_source(
    phrase: str, actors: dict[str, Actor], claims: tuple[Claim, ...], tables: Tables
) -> tuple[str, SourceKind]:
    """The actor a headline's source phrase stands for, or the phrase itself, unnamed.

    A person's title ('finance minister', 'IMF chief', 'Expert') is the one person the body
    quotes (of several, the one whose description holds the title); a name the phrase holds
    is that actor ('Reuters Poll'); a plural ('business leaders') no one.
    """
    words = phrase.split()
    head = words[-1].lower()
    titles = tables.words["actor.person_titles"] | tables.words["source.expert_nouns"]
    if head in titles | tables.words["actor.leader_nouns"]:
        quoted = {c.source for c in claims if c.source_kind == "person"}
        people = [k for k in sorted(quoted) if k in actors]
        if len(people) > 1:
            people = [k for k in people if head in (actors[k].description or "").lower()]
        if len(people) == 1:
            return people[0], "person"
    if head not in tables.words["source.report_nouns"] and head.endswith("s"):
        return phrase, "unnamed"  # 'business leaders', 'analysts'
    named = [
        (len(name), key)
        for key, actor in actors.items()
        for name in _names(actor)
        if len(name) > 1 and _holds(phrase, name)
    ]
    if named:
        key = max(named, key=lambda n: n[0])[1]
        return key, actors[key].kind
    return phrase, "unnamed"


def headline_claims(
    article: Article, actors: dict[str, Actor], claims: tuple[Claim, ...], tables: Tables
) -> tuple[Claim, ...]:
    """The statement of an attributed headline as a claim of its source (none otherwise)."""
    if not is_headline(article):
        return ()
    found = HEADLINE.first(HeadlineQuery(article.title.strip(), tables), tables.off)
    if found is None:
        return ()
    said = found.value
    source, kind = headline_source(said.source, actors, claims, tables)
    return (
        Claim(
            source=source,
            source_kind=kind,
            cue=said.cue,
            text=said.statement,
            quote=False,
            article=article.id,
            sentence=HEADLINE_SENTENCE,
            start=0,
            end=0,
            cue_lemma=cue_lemma(said.cue),
            found_by=found.rule,
            resolved_by=found.rule,
        ),
    )
