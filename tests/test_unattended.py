"""Unattended and everyday use: exit codes one by one, quiet when piped, file modes, init,
check, the cron line of docs/scheduling.md under sh, the preview's busy port."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from briefing.errors import PortError
from tests.conftest import EXAMPLES, ROOT
from tests.smtp_server import PASSWORD, USER, Recorder, free_port, smtp_server

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

ECONOMY = EXAMPLES / "economy-central-bank.txt"


def _cli(
    *args: str | Path, cwd: Path = ROOT, umask: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """briefing in a child process with pipes: stdout and stderr are not terminals."""
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        umask=-1 if umask is None else umask,
    )


def _one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def _leftovers(out: Path) -> list[str]:
    """Locks, temporary files, render markers or empty folders a run should not leave."""
    found = [
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.name.endswith((".lock", ".tmp")) or p.name.startswith(".render-")
    ]
    found += [
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())
    ]
    return found


EXAMPLE_ARRIVED = datetime(2025, 9, 18, 7, 30, tzinfo=timezone.utc).timestamp()


@pytest.fixture()
def desk(tmp_path: Path) -> Path:
    """A folder made by `briefing init`; its undated example article arrived on 2025-09-18."""
    made = _cli("init", tmp_path / "desk")
    assert made.returncode == 0, made.stderr
    example = tmp_path / "desk" / "sources" / "example-flood-barrier.txt"
    os.utime(example, (EXAMPLE_ARRIVED, EXAMPLE_ARRIVED))
    return tmp_path / "desk"


def _arrived_now(desk: Path) -> None:
    os.utime(desk / "sources" / "example-flood-barrier.txt")


def _set(folder: Path, **sections: object) -> Path:
    path = folder / "config.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(sections)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


# init, run, check


def test_init_makes_a_folder_where_run_works_at_once(desk: Path) -> None:
    text = (desk / "config.yaml").read_text(encoding="utf-8")
    assert "# " in text and "mail:" in text and "password_env" in text
    assert sorted(p.name for p in (desk / "templates").iterdir()) == [
        "analyst.md.j2", "executive.md.j2", "press.md.j2",
    ]  # fmt: skip
    _arrived_now(desk)  # as in a folder just made
    result = _cli("run", "--json", cwd=desk)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["exit_code"] == 0 and summary["articles"] == 1
    assert summary["sources"]["read"] == [str(desk / "sources" / "example-flood-barrier.txt")]
    assert summary["sources"]["skipped"] == [] and len(summary["stories"]) == 1
    assert {"Loading the language model", "Analysing articles", "total"} <= set(summary["timings"])
    folder = desk / "out" / summary["date"]
    assert {str(folder / n) for n in ("brief.md", "brief.pdf", "brief-press.html")} <= set(
        summary["files"]
    )
    assert "Portvale" in (folder / "brief.md").read_text(encoding="utf-8")
    assert "Prepared for the analysis desk" in (folder / "brief.md").read_text(encoding="utf-8")
    assert (desk / "state" / "history.sqlite").is_file()
    assert not (desk / "out" / "history.sqlite").exists()
    assert _leftovers(desk / "out") == []


def test_init_onto_existing_files_or_a_file_is_exit_2(desk: Path) -> None:
    again = _cli("init", desk)
    assert again.returncode == 2
    _one_error_line(again, str(desk / "config.yaml"), "--force")
    onto_file = _cli("init", desk / "config.yaml")
    assert onto_file.returncode == 2
    _one_error_line(onto_file, str(desk / "config.yaml"), "not a folder")


def test_check_passes_in_a_fresh_folder_and_names_what_is_wrong(desk: Path) -> None:
    fine = _cli("check", "-v", cwd=desk)
    assert fine.returncode == 0, fine.stderr
    assert "ok    sources[0]" in fine.stdout and "ok    output.dir" in fine.stdout
    _set(desk, sources=[{"path": "sources"}, {"path": "missing"}])
    wrong = _cli("check", cwd=desk)
    assert wrong.returncode == 2
    assert f"wrong sources[1]: {desk / 'missing'}: no such file or folder" in wrong.stderr
    assert "1 problem(s) found" in wrong.stderr
    assert not (desk / "out").exists()  # check writes nothing


def test_check_logs_in_to_the_mail_server_and_sends_nothing(desk: Path) -> None:
    port = free_port()
    _set(
        desk,
        mail={"host": "127.0.0.1", "port": port, "security": "none", "username": USER,
              "password_env": "DESK_PASSWORD", "from": "brief@example.org"},
        audiences=[{"name": "analyst", "recipients": ["desk@example.org"]}],
    )  # fmt: skip
    recorder = Recorder()
    with smtp_server(recorder, port, auth=True):
        good = _cli("check", "-v", cwd=desk, env={"DESK_PASSWORD": PASSWORD})
        bad = _cli("check", cwd=desk, env={"DESK_PASSWORD": "not-the-Pa55"})
    assert good.returncode == 0, good.stderr
    assert f"ok    mail 127.0.0.1:{port}: connected (none) and logged in as desk" in good.stdout
    assert bad.returncode == 2 and "SMTP login as 'desk'" in bad.stderr
    assert "not-the-Pa55" not in bad.stdout + bad.stderr
    assert not recorder.received


# exit codes, one by one


def test_exit_4_when_there_is_nothing_to_brief(desk: Path) -> None:
    (desk / "sources" / "example-flood-barrier.txt").unlink()
    result = _cli("run", "--date", "2025-09-18", cwd=desk)
    assert result.returncode == 4
    _one_error_line(result, "no articles for 2025-09-18")
    assert not (desk / "out" / "2025-09-18").exists() and _leftovers(desk / "out") == []


def test_exit_2_for_an_output_dir_that_cannot_be_a_folder(desk: Path) -> None:
    _set(desk, output={"dir": "config.yaml/out"})
    result = _cli("run", cwd=desk)
    assert result.returncode == 2
    _one_error_line(result, str(desk / "config.yaml" / "out"), "not a folder")
    built = _cli("build", ECONOMY, "--out", desk / "config.yaml" / "x")
    assert built.returncode == 2
    _one_error_line(built, str(desk / "config.yaml" / "x"))


def test_exit_2_for_send_without_recipients(desk: Path) -> None:
    assert _cli("run", "--date", "2025-09-18", cwd=desk).returncode == 0
    result = _cli("send", "--date", "2025-09-18", cwd=desk)
    assert result.returncode == 2
    _one_error_line(result, "no audience has recipients", "audiences[].recipients")


def test_exit_2_for_usage_errors() -> None:
    assert _cli("run", "--no-such-option").returncode == 2
    assert _cli("build", ECONOMY, "--date", "yesterday").returncode == 2
    assert _cli("nonsense").returncode == 2


def test_exit_3_when_delivery_fails(desk: Path) -> None:
    _set(
        desk,
        mail={"host": "127.0.0.1", "port": free_port(), "security": "none", "timeout": 5,
              "from": "brief@example.org"},
        audiences=[{"name": "analyst", "recipients": ["desk@example.org"]}],
    )  # fmt: skip
    assert _cli("run", "--date", "2025-09-18", cwd=desk).returncode == 0
    result = _cli("send", "--date", "2025-09-18", "-q", cwd=desk)  # nobody listens there
    assert result.returncode == 3
    _one_error_line(result, "not delivered", "briefing send --retry")


def test_exit_1_is_kept_for_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.context
    from briefing.cli import main

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(briefing.context, "context_schema", broken)
    with pytest.raises(SystemExit) as ended:
        main(["schema"])
    assert ended.value.code == 1


def test_version_and_short_help() -> None:
    assert re.fullmatch(r"briefing \d+\.\d+\.\d+\n", _cli("-V").stdout)
    helped = _cli("build", "-h")
    assert helped.returncode == 0 and "Usage:" in helped.stdout and "FILE..." in helped.stdout
    assert "list[" not in helped.stdout and "<str>" not in helped.stdout
    assert "--install-completion" in _cli("--help").stdout


# quiet, verbose, json: not on a terminal


def test_build_is_silent_when_piped_and_says_more_when_asked(tmp_path: Path) -> None:
    silent = _cli("build", ECONOMY, "--date", "2025-03-06", "--out", tmp_path / "a")
    assert silent.returncode == 0 and silent.stdout == "" and silent.stderr == ""
    verbose = _cli("build", ECONOMY, "--date", "2025-03-06", "--out", tmp_path / "b", "-v")
    assert verbose.returncode == 0
    assert str(tmp_path / "b" / "2025-03-06" / "brief.pdf") in verbose.stdout.splitlines()
    assert "Loading the language model…" in verbose.stderr
    quiet = _cli("build", ECONOMY, "--out", tmp_path / "c", "-q", "--date", "2025-03-06")
    assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == ""
    failed = _cli("build", tmp_path / "nope.txt", "-q", "--json", "--out", tmp_path / "d")
    assert failed.returncode == 2 and "nope.txt" in failed.stderr
    assert json.loads(failed.stdout)["exit_code"] == 2 and "nope.txt" in failed.stdout


# files: modes and leftovers


@pytest.mark.parametrize(("umask", "brief_mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_briefs_follow_the_umask_and_history_is_private(
    desk: Path, umask: int, brief_mode: int
) -> None:
    result = _cli("run", "--date", "2025-09-18", cwd=desk, umask=umask)
    assert result.returncode == 0, result.stderr
    folder = desk / "out" / "2025-09-18"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert modes and set(modes.values()) == {brief_mode}, modes
    history = desk / "state" / "history.sqlite"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    assert stat.S_IMODE(history.parent.stat().st_mode) & 0o077 == 0
    assert _leftovers(desk / "out") == []


def test_a_failed_run_leaves_nothing_behind(desk: Path) -> None:
    (desk / "templates" / "press.md.j2").write_text("{{ no_such_field }}\n", encoding="utf-8")
    result = _cli("run", "--date", "2025-09-18", cwd=desk)
    assert result.returncode == 2
    _one_error_line(result, "press.md.j2")
    assert not (desk / "out" / "2025-09-18").exists() and _leftovers(desk / "out") == []


# scheduling


def _cron_line(doc: Path) -> str:
    """The first line of docs/scheduling.md's crontab, its command only."""
    block = doc.read_text(encoding="utf-8").split("```cron\n", 1)[1].split("```", 1)[0]
    line = next(x for x in block.splitlines() if x and not x.startswith("#"))
    return line.split(None, 5)[5]


def test_the_documented_cron_line_delivers_under_sh(desk: Path, tmp_path: Path) -> None:
    port = free_port()
    _set(
        desk,
        mail={"host": "127.0.0.1", "port": port, "security": "none", "username": USER,
              "from": "brief@example.org"},  # password_env: BRIEFING_SMTP_PASSWORD
        audiences=[{"name": "analyst", "recipients": ["desk@example.org"]}],
    )  # fmt: skip
    env_file = tmp_path / "smtp.env"
    env_file.write_text(f"BRIEFING_SMTP_PASSWORD={PASSWORD}\n", encoding="utf-8")
    env_file.chmod(0o600)
    log = tmp_path / "briefing.log"
    _arrived_now(desk)  # the cron line briefs today
    command = _cron_line(ROOT / "docs" / "scheduling.md")
    for doc_path, here in (
        ("/srv/briefing", str(desk)),
        ("/etc/briefing/smtp.env", str(env_file)),
        (".venv/bin/briefing", f"{sys.executable} -m briefing"),
        ("/var/log/briefing.log", str(log)),
    ):
        assert doc_path in command
        command = command.replace(doc_path, here)
    environment = {k: v for k, v in os.environ.items() if k != "BRIEFING_SMTP_PASSWORD"}
    recorder = Recorder()
    with smtp_server(recorder, port, auth=True):
        ran = subprocess.run(
            ["sh", "-c", command],
            env={**environment, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    logged = log.read_text(encoding="utf-8")
    assert ran.returncode == 0, logged
    assert ran.stdout == ran.stderr == ""  # everything went to the log: cron mails nothing
    assert len(recorder.to("desk@example.org")) == 1
    assert "brief.pdf" in logged and "sent " in logged  # both commands are logged
    assert PASSWORD not in logged


# preview


def test_a_busy_preview_port_moves_on_and_says_which(tmp_path: Path) -> None:
    from briefing.models import Analysis
    from briefing.preview import Preview, start

    empty = Analysis(articles=(), actors=(), claims=(), outlook=(), bluf=())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        running = start(Preview(empty, None, date(2025, 1, 1), None), taken)
        try:
            assert running.url != f"http://127.0.0.1:{taken}/"
            assert int(running.url.rstrip("/").rsplit(":", 1)[1]) > taken
        finally:
            running.close()
        with pytest.raises(PortError, match=f"ports {taken}-{taken} on 127.0.0.1 are all in use"):
            start(Preview(empty, None, date(2025, 1, 1), None), taken, tries=1)


# undated articles


def test_an_undated_file_is_briefed_on_the_day_it_arrived_only(desk: Path) -> None:
    first = _cli("run", "--date", "2025-09-18", cwd=desk)
    assert first.returncode == 0, first.stderr
    context = json.loads((desk / "out" / "2025-09-18" / "context.json").read_text("utf-8"))
    [source] = context["sources"]
    assert source["date"] == "2025-09-18" and source["date_from"] == "modification time"
    later = _cli("run", "--date", "2025-09-21", cwd=desk)
    assert later.returncode == 4  # not briefed again as new on every later day
    _one_error_line(later, "no articles for 2025-09-21")
