"""`briefing eval` on the annotation format of real articles (docs/evaluation.md).

A corpus folder holds `annotations.yaml` (per article: id, published date, actors with
their aliases in the text, claims, outlook) and `texts/<id>.txt`. The article is analysed
as `briefing context` would for the default audience, and the context is scored by the
matching rules of docs/evaluation.md ("Real articles"): names folded (NFKC, quotes, case,
spaces, a final "'s" and a leading "the"), items found by their key phrase (exact, or 80 %
of its words), sources right when they name the annotated actor or an actor holding one of
its names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError

BAND_NAMES = {"remote": "almost_no_chance", "even_chance": "roughly_even_chance", "unstated": None}
METRICS = (
    "actors_found",
    "alias_merge_recall",
    "alias_merge_precision",
    "claim_found",
    "claim_source",
    "outlook_found",
    "outlook_source_recall",
    "outlook_precision",
    "outlook_source_f1",
    "horizon_found",
    "band_exact",
)


@dataclass(frozen=True, slots=True)
class GuideArticle:
    """One annotated article of a real-article corpus."""

    id: str
    path: Path
    date: date | None
    annotation: dict[str, Any]


def is_guide_corpus(folder: Path) -> bool:
    """A folder in the real-article format: annotations.yaml beside texts/."""
    return (folder / "annotations.yaml").is_file() and (folder / "texts").is_dir()


def load_guide_corpus(folder: Path) -> list[GuideArticle]:
    """The annotated articles of a real-article corpus folder."""
    try:
        data = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BriefingError(f"{folder / 'annotations.yaml'}: cannot be read: {exc}") from exc
    found = []
    for item in (data or {}).get("articles") or ():
        published = str(item.get("published") or "")[:10]
        path = folder / "texts" / f"{item['id']}.txt"
        if not path.is_file():
            raise BriefingError(f"{path}: annotated in annotations.yaml but missing")
        day = date.fromisoformat(published) if published else None
        found.append(GuideArticle(item["id"], path, day, item))
    if not found:
        raise BriefingError(f"{folder / 'annotations.yaml'}: no articles")
    return found


def fold(text: str | None) -> str:
    """A name or phrase as compared: NFKC, straight quotes, spaces and case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip().lower()


def name_forms(names: Iterable[str | None]) -> set[str]:
    """Every form a name is matched by: folded, without a final 's, without a leading the."""
    forms = {re.sub(r"'s$", "", fold(n)) for n in names if n}
    forms |= {n.removeprefix("the ") for n in list(forms)}
    return {n for n in forms if n}


def holds(text: str, phrase: str, share: float = 0.8) -> bool:
    """The text holds the phrase exactly, or at least `share` of its words."""
    t, p = fold(text), fold(phrase)
    if p and p in t:
        return True
    words = re.findall(r"[a-z0-9]+", p)
    have = Counter(re.findall(r"[a-z0-9]+", t))
    return bool(words) and sum(1 for w in words if have[w]) / len(words) >= share


def _source_right(source: str | None, names: set[str], actor_forms: Sequence[set[str]]) -> bool:
    forms = name_forms([source]) if source else set()
    if not forms:
        return False
    return bool(forms & names) or any(forms & f and f & names for f in actor_forms)


def _actor_counts(
    ann: dict[str, Any], gold: dict[str, set[str]], forms: Sequence[set[str]], c: Counter[str]
) -> None:
    for actor in ann.get("actors") or []:
        names = gold[actor["canonical"]]
        c["actor_total"] += 1
        best = max(range(len(forms)), key=lambda i: len(forms[i] & names), default=None)
        found = best is not None and bool(forms[best] & names)
        c["actor_found"] += found
        aliases = actor.get("aliases_in_text") or []
        if len(aliases) >= 2:
            c["merge_total"] += len(aliases)
            if found and best is not None:
                c["merge_hit"] += sum(1 for x in aliases if name_forms([x]) & forms[best])
    for held in forms:
        owners: Counter[str] = Counter()
        for n in held:
            owner = next((canon for canon, names in gold.items() if n in names), None)
            if owner is not None:
                owners[owner] += 1
        if owners:
            c["merged_names"] += sum(owners.values())
            c["merged_wrong"] += sum(owners.values()) - max(owners.values())


def score_context(ann: dict[str, Any], ctx: dict[str, Any]) -> Counter[str]:
    """The counts of one article's context (as `briefing context` prints it)."""
    actors = ctx.get("actors") or []
    forms = [name_forms([a.get("name"), *(a.get("aliases") or [])]) for a in actors]
    gold = {a["canonical"]: name_forms([a["canonical"], *(a.get("aliases_in_text") or [])])
            for a in ann.get("actors") or []}  # fmt: skip
    c: Counter[str] = Counter()
    _actor_counts(ann, gold, forms, c)
    claims = ctx.get("claims") or []
    for want in ann.get("claims") or []:
        names = gold.get(want["source"], name_forms([want["source"]]))
        hits = [x for x in claims if holds(x.get("text", ""), want["key_phrase"])]
        c["claim_total"] += 1
        c["claim_found"] += bool(hits)
        c["claim_source"] += any(_source_right(x.get("source"), names, forms) for x in hits)
    outlook = ctx.get("outlook") or []
    matched: set[int] = set()
    for want in ann.get("outlook") or []:
        c["outlook_total"] += 1
        hits = [i for i, x in enumerate(outlook) if holds(x.get("text", ""), want["key_phrase"])]
        matched.update(hits)
        if not hits:
            continue
        names = gold.get(want["source"], name_forms([want["source"]]))
        good = [i for i in hits if _source_right(outlook[i].get("source"), names, forms)]
        c["outlook_found"] += 1
        c["outlook_source"] += bool(good)
        item = outlook[(good or hits)[0]]
        if want.get("horizon"):
            c["horizon_total"] += 1
            got = (item.get("horizon") or {}).get("text") or ""
            c["horizon_found"] += bool(got) and (
                holds(got, want["horizon"], 0.6) or holds(want["horizon"], got, 0.6)
            )
        band = BAND_NAMES.get(want.get("icd203_band"), want.get("icd203_band"))
        c["band_total"] += 1
        c["band_exact"] += band == (item.get("likelihood") or {}).get("band")
    c["outlook_sys"] += sum(1 for x in outlook if x.get("source"))
    c["outlook_sys_matched"] += sum(1 for i in matched if outlook[i].get("source"))
    return c


def summarise(counts: Iterable[Counter[str]]) -> dict[str, float]:
    """The corpus metrics from the articles' counts."""
    t: Counter[str] = Counter()
    for c in counts:
        t.update(c)

    def share(a: str, b: str) -> float:
        return t[a] / t[b] if t[b] else 0.0

    precision, recall = (
        share("outlook_sys_matched", "outlook_sys"),
        share("outlook_source", "outlook_total"),
    )
    return {
        "actors_found": share("actor_found", "actor_total"),
        "alias_merge_recall": share("merge_hit", "merge_total"),
        "alias_merge_precision": 1 - share("merged_wrong", "merged_names"),
        "claim_found": share("claim_found", "claim_total"),
        "claim_source": share("claim_source", "claim_total"),
        "outlook_found": share("outlook_found", "outlook_total"),
        "outlook_source_recall": recall,
        "outlook_precision": precision,
        "outlook_source_f1": 2 * precision * recall / (precision + recall)
        if precision + recall
        else 0.0,
        "horizon_found": share("horizon_found", "horizon_total"),
        "band_exact": share("band_exact", "band_total"),
    }
