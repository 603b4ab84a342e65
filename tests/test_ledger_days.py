"""The ledger end to end: `briefing demo --days` on examples/days/, then `briefing ledger`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

ROOT = Path(__file__).resolve().parent.parent
DAYS = ("2025-09-21", "2025-09-22", "2025-09-23")


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def entries(cwd: Path, *options: str) -> list[dict[str, object]]:
    return json.loads(briefing("ledger", "list", "--json", *options, cwd=cwd).stdout)


@pytest.fixture(scope="module")
def three_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("days")
    # a record shows from one resolved forecast here, so two resolutions make a table
    (folder / "config.yaml").write_text("ledger:\n  min_resolved: 1\n", encoding="utf-8")
    briefing("demo", "--days", cwd=folder)
    return folder


def section(markdown: str, heading: str) -> str:
    """The text under '## heading' up to the next '## '."""
    start = markdown.index(f"## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


def test_every_day_has_falling_due_new_forecasts_and_sources_disagree(three_days: Path) -> None:
    for day in DAYS:
        brief = (three_days / "out" / day / "brief.md").read_text(encoding="utf-8")
        for heading in ("Falling due", "New forecasts", "Sources disagree"):
            assert f"## {heading}\n" in brief, (day, heading)
        assert "Lucia Marin" in section(brief, "Sources disagree")
        assert "Tomas Reyes" in section(brief, "Sources disagree")


def test_the_rate_forecast_falls_due_on_day_three(three_days: Path) -> None:
    """'by the end of the month' said on 21 September ends on the 30th: 7 days after day 3."""
    due = {
        day: section((three_days / "out" / day / "brief.md").read_text("utf-8"), "Falling due")
        for day in DAYS
    }
    assert "Lucia Marin" not in due["2025-09-21"]
    assert "Lucia Marin" not in due["2025-09-22"]
    assert "Lucia Marin" in due["2025-09-23"]
    # in the day's story table already: named with its due date, its sentence not repeated
    assert "Marta Caicedo**: horizon ends 28 September 2025 (7 days left)" in due["2025-09-21"]
    assert "The strike is likely to end next week" not in due["2025-09-21"]
    first = (three_days / "out" / "2025-09-21" / "brief.md").read_text("utf-8")
    assert first.count("The strike is likely to end next week") == 2  # its table, To watch


def test_new_forecasts_are_those_first_seen_that_day(three_days: Path) -> None:
    new = {
        day: section((three_days / "out" / day / "brief.md").read_text("utf-8"), "New forecasts")
        for day in DAYS
    }
    # the ledger's first day: every forecast is new and in its story's table
    assert "The ledger starts today: its 3 forecasts are in the story outlook" in new["2025-09-21"]
    assert "Lucia Marin" not in new["2025-09-22"]
    assert "Sofia Lozano" in new["2025-09-22"]
    assert "Hernan Duque" in new["2025-09-23"] and "Marta Caicedo" not in new["2025-09-23"]


def test_the_executive_brief_has_the_top_three_falling_due(three_days: Path) -> None:
    brief = (three_days / "out" / "2025-09-23" / "brief-executive.md").read_text("utf-8")
    due = section(brief, "Falling due")
    listed = section(brief, "Outlook") if "## Outlook\n" in brief else ""
    items = [line for line in due.splitlines() if line.startswith("- ")]
    assert 1 <= len(items) <= 3
    for item in items:  # none the brief's outlook list prints already
        assert item.split(": ", 1)[1].split(" (")[0][:40] not in listed
    assert "## New forecasts" not in brief and "Appendix" not in brief


def test_ledger_list_merges_repeats_across_outlets_and_days(three_days: Path) -> None:
    listed = entries(three_days, "--date", "2025-09-23")
    assert len(listed) == 5
    marin = next(e for e in listed if e["source"] == "Lucia Marin")
    assert marin["outlet"] == "Meridian Wire" and marin["first_seen"] == "2025-09-21"
    assert [(r["seen"], r["outlet"]) for r in marin["repeats"]] == [  # type: ignore[union-attr]
        ("2025-09-22", "Harbour Post"),
        ("2025-09-23", "Eastgate Times"),
    ]
    strike = next(e for e in listed if e["source"] == "Marta Caicedo")
    assert len(strike["repeats"]) == 1  # type: ignore[arg-type]  # 'next week', then 'in the coming days'
    assert {e["id"] for e in entries(three_days, "--source", "lucia marin")} == {marin["id"]}


def test_a_passed_horizon_is_awaiting_outcome(three_days: Path) -> None:
    later = entries(three_days, "--date", "2025-10-05", "--open")
    status = {e["source"]: e["status"] for e in later}
    assert status["Marta Caicedo"] == "awaiting_outcome"
    assert status["Hernan Duque"] == "open"
    text = briefing("ledger", "list", "--date", "2025-10-05", cwd=three_days).stdout
    assert "awaiting outcome" in text
    due = entries(three_days, "--due", "--date", "2025-10-05")
    assert {e["source"] for e in due} == {"Lucia Marin", "Tomas Reyes", "Marta Caicedo"}


def test_resolving_updates_the_scores_of_the_next_brief_and_reruns_change_nothing(
    three_days: Path,
) -> None:
    before = entries(three_days, "--date", "2025-09-23")
    ids = {e["source"]: str(e["id"]) for e in before}
    # both outcomes known on the third day: that day's brief scores them, the second's not
    briefing("ledger", "resolve", ids["Lucia Marin"][:6], "--outcome", "happened",
             "--date", "2025-09-23", "--note", "cut to 9.00", cwd=three_days)  # fmt: skip
    briefing("ledger", "resolve", ids["Tomas Reyes"], "--outcome", "not-happened",
             "--date", "2025-09-23", cwd=three_days)  # fmt: skip
    shown = json.loads(briefing("ledger", "show", ids["Lucia Marin"], cwd=three_days).stdout)
    assert (shown["outcome"], shown["resolved_on"], shown["note"]) == (
        "happened",
        "2025-09-23",
        "cut to 9.00",
    )
    briefing("demo", "--days", cwd=three_days)  # every day again
    after = entries(three_days, "--date", "2025-09-23")
    outcome = {"status", "outcome", "resolved_on", "note"}
    assert [{k: v for k, v in e.items() if k not in outcome} for e in after] == [
        {k: v for k, v in e.items() if k not in outcome} for e in before
    ]
    outcomes = {e["source"]: e["outcome"] for e in after}
    assert (outcomes["Lucia Marin"], outcomes["Tomas Reyes"]) == ("happened", "not-happened")
    day2 = (three_days / "out" / "2025-09-22" / "brief.md").read_text("utf-8")
    assert "Appendix: forecast record" not in day2  # nothing known on the 22nd
    day3 = three_days / "out" / "2025-09-23"
    record = section((day3 / "brief.md").read_text("utf-8"), "Appendix: forecast record")
    # likely (55-80 %) happened: (0.675 - 1)^2; unlikely (20-45 %) did not: (0.325 - 0)^2
    assert "| **Lucia Marin** | 1 | 100 % | 1 |" in record
    html = (day3 / "brief.html").read_text("utf-8")
    cells = re.sub(r"\s+", "", html)
    assert (
        "<td><strong>LuciaMarin</strong></td><td>1</td><td>100%</td><td>1</td><td>0.106</td>"
        in cells
    )
    assert (
        "<td><strong>TomasReyes</strong></td><td>1</td><td>0%</td><td>1</td><td>0.106</td>" in cells
    )
    assert '<h2 id="forecast-record">' in html and "{#" not in html
    figure = html[html.index('<figure id="calibration-chart"') :]
    assert figure.index("<svg") < figure.index("</figure>")
    assert "100 % of 1" in figure  # the likely band's dot, labelled
    pdf = "".join(page.extract_text() for page in PdfReader(day3 / "brief.pdf").pages)
    assert "Appendix: forecast record" in pdf
    assert "share that happened (dot)" in pdf  # text drawn by the SVG


def test_export_writes_one_row_per_entry(three_days: Path, tmp_path: Path) -> None:
    target = tmp_path / "ledger.csv"
    briefing("ledger", "export", "--csv", str(target), "--date", "2025-09-23", cwd=three_days)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert len(rows) == 5
    marin = next(r for r in rows if r["source"] == "Lucia Marin")
    assert (marin["band"], marin["horizon_end"], marin["repeats"]) == ("likely", "2025-09-30", "2")


def test_build_records_forecasts_once(tmp_path: Path) -> None:
    day = ROOT / "examples" / "days" / "2025-09-21"
    files = [str(p) for p in sorted(day.glob("*.txt"))]
    for _ in range(2):
        briefing("build", *files, "--date", "2025-09-21", "--format", "md", cwd=tmp_path)
    listed = entries(tmp_path, "--date", "2025-09-21")
    assert sorted(str(e["source"]) for e in listed) == [
        "Lucia Marin",
        "Marta Caicedo",
        "Tomas Reyes",
    ]
    assert all(e["repeats"] == [] for e in listed)
    brief = (tmp_path / "out" / "2025-09-21" / "brief.md").read_text("utf-8")
    assert "its 3 forecasts are in the story outlook" in section(brief, "New forecasts")
