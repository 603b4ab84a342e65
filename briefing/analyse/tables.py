"""Reference tables shipped as package data: actors, cue verbs, likelihood words."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, cast

import yaml

from briefing.errors import AnalysisError
from briefing.models import ActorKind, Band

KIND_OF_SECTION: dict[str, ActorKind] = {
    "states": "state",
    "organisations": "organisation",
    "media": "media",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorEntry:
    """One canonical actor of the alias table."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    weak: tuple[str, ...] = ()
    full: str | None = None
    state_media_of: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LikelihoodPhrase:
    phrase: str
    band: Band
    negated: Band | None = None


@dataclass(frozen=True, slots=True)
class Tables:
    """Everything the analysers look up, loaded once."""

    actors: tuple[ActorEntry, ...]
    speech_cues: frozenset[str]
    needs_complement: frozenset[str]
    forecast_cues: frozenset[str]
    state_media_subjects: frozenset[str]
    bands: dict[str, tuple[int, int]]
    likelihood: tuple[LikelihoodPhrase, ...]
    future_markers: tuple[str, ...]

    by_name: dict[str, ActorEntry]
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # "stage.list" -> words
    off: frozenset[str] = frozenset()  # rules switched off (briefing eval --without)
    digest: str = ""

    def actor(self, name: str) -> ActorEntry | None:
        """The table entry of a canonical actor name, if any."""
        return self.by_name.get(name)


def _read_text(name: str) -> str:
    try:
        text = resources.files("briefing.data").joinpath(name).read_text(encoding="utf-8")
        yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise AnalysisError(f"package data {name} is unreadable: {exc}") from exc
    return text


def parse_words(words: Any) -> dict[str, frozenset[str]]:
    """The word lists of words.yaml as "stage.list" -> words; every word must be a string."""
    found: dict[str, frozenset[str]] = {}
    for stage, lists in (words or {}).items():
        for name, items in (lists or {}).items():
            bad = [w for w in items if not isinstance(w, str)]
            if bad:
                raise AnalysisError(f"words.yaml: {stage}.{name} holds non-words {bad!r}")
            found[f"{stage}.{name}"] = frozenset(items)
    return found


def parse_tables(actors: Any, cues: Any, likelihood: Any, words: Any = None) -> Tables:
    """Build Tables from the parsed YAML documents."""
    entries = []
    for section, kind in KIND_OF_SECTION.items():
        for item in actors.get(section) or ():
            entries.append(
                ActorEntry(
                    name=item["name"],
                    kind=kind,
                    aliases=tuple(item.get("aliases") or (item["name"],)),
                    weak=tuple(item.get("weak") or ()),
                    full=item.get("full"),
                    state_media_of=item.get("state_media_of"),
                )
            )
    bands = {name: (int(lo), int(hi)) for name, (lo, hi) in likelihood["bands"].items()}
    phrases = tuple(
        LikelihoodPhrase(
            phrase=str(p["phrase"]).lower(),
            band=cast(Band, p["band"]),
            negated=cast(Band | None, p.get("negated")),
        )
        for p in likelihood["phrases"]
    )
    return Tables(
        actors=tuple(entries),
        speech_cues=frozenset(cues["speech"]),
        needs_complement=frozenset(cues["needs_complement"]),
        forecast_cues=frozenset(cues["forecast"]),
        state_media_subjects=frozenset(s.lower() for s in cues["state_media"]),
        bands=bands,
        likelihood=phrases,
        future_markers=tuple(likelihood["future_markers"]),
        by_name={entry.name: entry for entry in entries},
        words=parse_words(words),
    )


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """Load the tables shipped in briefing/data."""
    names = ("actors.yaml", "cues.yaml", "likelihood.yaml", "words.yaml")
    texts = [_read_text(name) for name in names]
    tables = parse_tables(*(yaml.safe_load(t) for t in texts))
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    return replace(tables, digest=digest)


def without_rules(tables: Tables, names: frozenset[str]) -> Tables:
    """The tables with these rules switched off (and a digest that says so)."""
    if not names:
        return tables
    off = tables.off | names
    digest = hashlib.sha256(f"{tables.digest}|off:{sorted(off)}".encode()).hexdigest()[:16]
    return replace(tables, off=off, digest=digest)


def with_aliases(tables: Tables, extra: dict[str, Any]) -> Tables:
    """The tables with actors from config.yaml's `aliases:` added or extended."""
    if not any(extra.get(section) for section in KIND_OF_SECTION):
        return tables
    entries = {e.name: e for e in tables.actors}
    for section, kind in KIND_OF_SECTION.items():
        for item in extra.get(section) or ():
            old = entries.get(item["name"])
            aliases = tuple(item.get("aliases") or ()) or (item["name"],)
            if old is not None:
                entries[old.name] = replace(
                    old,
                    aliases=old.aliases + tuple(a for a in aliases if a not in old.aliases),
                    weak=old.weak + tuple(item.get("weak") or ()),
                )
            else:
                entries[item["name"]] = ActorEntry(
                    name=item["name"],
                    kind=kind,
                    aliases=aliases,
                    weak=tuple(item.get("weak") or ()),
                    full=item.get("full"),
                    state_media_of=item.get("state_media_of"),
                )
    # a name given in config wins over the same alias in the built-in table
    mine = {a for item in entries.values() for a in item.aliases if item.name in _names(extra)}
    actors = tuple(
        e
        if e.name in _names(extra)
        else replace(e, aliases=tuple(a for a in e.aliases if a not in mine))
        for e in entries.values()
    )
    digest = hashlib.sha256(f"{tables.digest}|{sorted(_names(extra))}|{extra}".encode()).hexdigest()
    return replace(tables, actors=actors, by_name={e.name: e for e in actors}, digest=digest[:16])


def _names(extra: dict[str, Any]) -> set[str]:
    return {item["name"] for section in KIND_OF_SECTION for item in extra.get(section) or ()}
