"""Second audit, points 1 and 2: one article's failure is that article skipped with its
reason, never the run; a source folder gives regular files from inside it only."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from briefing.analyse import Analyser
from briefing.config import parse_config
from briefing.errors import IngestError
from briefing.ingest.sources import read_bounded
from briefing.ingest.text import MAX_ARTICLE_CHARS
from briefing.pipeline import run_day
from tests.conftest import EXAMPLES, ROOT

GOOD = EXAMPLES / "day" / "08-who-dengue-warning.txt"
DAY = date(2025, 9, 18)
BODY = (
    "ACCRA: Ghana's cocoa board said on Thursday it would raise the farm-gate price "
    'for the new season. "Farmers deserve a fair share of the world price," board '
    "chief Joseph Aidoo told reporters.\n"
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / GOOD.name).write_bytes(GOOD.read_bytes())
    return folder


def _dated(folder: Path) -> None:
    """Undated files are dated by their modification time: make it the brief's day."""
    noon = datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=timezone.utc).timestamp()
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink():
            os.utime(path, (noon, noon))


def _run(folder: Path, tmp_path: Path, analyser: Analyser):  # type: ignore[no-untyped-def]
    _dated(folder)
    config = parse_config(
        {
            "sources": [{"path": str(folder)}],
            "collect": {"lookback_hours": 744},
            "audiences": [{"name": "analyst", "formats": ["md", "html"]}],
        },
        base_dir=tmp_path,
    )
    return run_day(config, DAY, analyser, config.audiences, None)


def _sources(day) -> set[str]:  # type: ignore[no-untyped-def]
    return {Path(s.path).name for s in day.briefs[0].context.sources}


def test_text_over_the_model_limit_is_skipped_not_the_run(
    tmp_path: Path, analyser: Analyser
) -> None:
    folder = _folder(tmp_path)
    words = "Officials met again on Thursday. " * (MAX_ARTICLE_CHARS // 33 + 2)
    (folder / "long.txt").write_text(BODY + words, encoding="utf-8")
    day = _run(folder, tmp_path, analyser)
    assert GOOD.name in _sources(day)
    reasons = " ".join(s.reason for s in day.skipped)
    assert "long.txt" in reasons and f"longer than {MAX_ARTICLE_CHARS} characters" in reasons


def test_an_article_the_model_refuses_is_skipped_with_its_reason(
    tmp_path: Path, analyser: Analyser
) -> None:
    """Any failure inside the analysis (here spaCy's E088 with a lowered max_length) drops
    that article, names it, and briefs the others."""
    folder = _folder(tmp_path)
    (folder / "wordy.txt").write_text(BODY * 40, encoding="utf-8")
    limit = analyser.nlp.max_length
    analyser.nlp.max_length = len(BODY * 40) - 10  # the good article is shorter
    try:
        day = _run(folder, tmp_path, analyser)
    finally:
        analyser.nlp.max_length = limit
    assert _sources(day) == {GOOD.name}
    [failed] = [s for s in day.skipped if "wordy.txt" in s.source]
    assert "analysis failed" in failed.reason and "E088" in failed.reason


def test_a_file_name_that_is_not_utf8_is_briefed_under_a_safe_name(
    tmp_path: Path, analyser: Analyser
) -> None:
    folder = _folder(tmp_path)
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text(BODY, encoding="utf-8")
    day = _run(folder, tmp_path, analyser)
    assert "caf\ufffd.txt" in _sources(day)
    day.briefs[0].context.model_dump_json()  # serialisable: no lone surrogates


def test_a_run_date_beyond_the_supported_years_is_one_line_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"sources": [{"path": str(GOOD)}]}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "run", "--date", "9999-12-30", "--config", str(config)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "outside 1900-01-01 to 2999-12-31" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_link_out_of_the_source_folder_is_not_read(tmp_path: Path, analyser: Analyser) -> None:
    folder = _folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(BODY.replace("cocoa", "secretcocoa"), encoding="utf-8")
    (folder / "p.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to(folder / GOOD.name)  # a link inside stays readable
    day = _run(folder, tmp_path, analyser)
    assert "secretcocoa" not in day.briefs[0].markdown
    assert "root:x:0:0" not in day.briefs[0].markdown
    reasons = {Path(s.source).name: s.reason for s in day.skipped}
    assert "links outside its source folder" in reasons["p.txt"]
    assert "links outside its source folder" in reasons["passwd.txt"]


def test_devices_and_fifos_are_refused_without_reading_or_waiting(
    tmp_path: Path, analyser: Analyser
) -> None:
    folder = _folder(tmp_path)
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.txt")  # no writer: a blocking open would hang the run
    (folder / "dir.txt").mkdir()
    day = _run(folder, tmp_path, analyser)
    assert GOOD.name in _sources(day)
    reasons = {Path(s.source).name: s.reason for s in day.skipped}
    for name in ("zero.txt", "pipe.txt", "dir.txt"):
        assert "not a regular file" in reasons[name], reasons


def test_reads_stop_at_the_limit_whatever_the_size_says(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5000)
    assert read_bounded(path, 5000) == b"x" * 5000
    with pytest.raises(IngestError, match="larger than 4999 bytes"):
        read_bounded(path, 4999)


@pytest.mark.parametrize(
    ("day", "inside", "outside"),
    [
        # Berlin leaves summer time on 2025-10-26: the day has 25 hours
        (date(2025, 10, 26), "2025-10-25T11:00:00+00:00", "2025-10-25T10:30:00+00:00"),
        # and enters it on 2025-03-30: the day has 23 hours
        (date(2025, 3, 30), "2025-03-29T10:00:00+00:00", "2025-03-29T09:30:00+00:00"),
    ],
)
def test_the_lookback_window_is_36_elapsed_hours_across_dst(
    day: date, inside: str, outside: str
) -> None:
    from zoneinfo import ZoneInfo

    from briefing.ingest.sources import in_window
    from briefing.models import Article

    zone = ZoneInfo("Europe/Berlin")
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)

    def article(published: str) -> Article:
        when = datetime.fromisoformat(published)
        return Article(id="a", title="t", text="x", source="s", date=day, published=when)

    assert in_window(article(inside), day, zone, 36)
    assert not in_window(article(outside), day, zone, 36)
    # the window ends at midnight local time, the first instant of the next day excluded
    midnight = end.astimezone(timezone.utc).isoformat()
    assert not in_window(article(midnight), day, zone, 36)
