"""Email delivery against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pypdf
import pytest
import yaml

from briefing.analyse import Analyser
from briefing.config import Config, parse_config
from briefing.context import build_context
from briefing.deliver import outbox
from briefing.deliver.mail import build_message
from briefing.deliver.smtp import send_pending
from briefing.errors import ConfigError
from briefing.ingest import read_files
from briefing.render import Rendered, render_brief
from briefing.store import History
from tests.conftest import EXAMPLES, ROOT, needs_chromium
from tests.smtp_server import PASSWORD, USER, Recorder, Tls, free_port, make_tls, smtp_server

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

DAY = date(2025, 3, 6)
NOW = datetime(2025, 3, 6, 6, 30, tzinfo=timezone.utc)
ECONOMY = EXAMPLES / "economy-central-bank.txt"
TO = ["Desk <desk@example.org>", "chief@example.org"]


def _config(tmp_path: Path, port: int, **mail: object) -> Config:
    data = {
        "audiences": [{"name": "analyst", "recipients": TO}],
        "mail": {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "from": "Briefing <brief@example.org>",
            **mail,
        },
    }
    return parse_config(data, base_dir=tmp_path)


@pytest.fixture(scope="module")
def brief(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    config = parse_config({}, base_dir=tmp_path_factory.mktemp("b"))
    context = build_context(analyser(read_files([ECONOMY], DAY)), config, DAY)
    return render_brief(context, config, ("md", "html", "pdf"))


def _parts(message: EmailMessage) -> dict[str, list[EmailMessage]]:
    parts: dict[str, list[EmailMessage]] = {}
    for part in message.walk():
        parts.setdefault(part.get_content_type(), []).append(part)  # type: ignore[arg-type]
    return parts


def test_message_has_both_alternatives_inlined_css_and_the_pdf(
    brief: Rendered, tmp_path: Path
) -> None:
    config = _config(
        tmp_path, 25, bcc=["archive@example.org"], cc=["ops@example.org"],
        list_unsubscribe="<mailto:unsubscribe@example.org>",
    )  # fmt: skip
    out = build_message(brief, mail=config.mail, audience=config.audience(), now=NOW)
    msg = out.message
    assert msg.get_content_type() == "multipart/mixed"
    parts = _parts(msg)
    text = parts["text/plain"][0].get_content()
    html = parts["text/html"][0].get_content()
    assert "Naledi Khumalo" in text and "\\(" not in text and "**" not in text
    assert "<style" not in html and "<link" not in html and 'style="' in html
    assert "var(--" not in html  # CSS variables resolved for mail clients
    pdf = parts["application/pdf"][0]
    assert pdf.get_filename() == "brief-analyst-2025-03-06.pdf"
    assert (
        "Naledi Khumalo" in pypdf.PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    )
    assert msg["Subject"] == "Daily brief: 6 March 2025 (analyst)"
    assert msg["From"] == "Briefing <brief@example.org>"
    assert msg["To"] == "Desk <desk@example.org>, chief@example.org"
    assert msg["Cc"] == "ops@example.org" and msg["Bcc"] is None
    assert msg["Date"] == "Thu, 06 Mar 2025 06:30:00 +0000"
    assert msg["Message-ID"].startswith("<briefing.2025-03-06.analyst.")
    assert msg["List-Unsubscribe"] == "<mailto:unsubscribe@example.org>"
    assert out.recipients == (
        "desk@example.org", "chief@example.org", "ops@example.org", "archive@example.org",
    )  # fmt: skip
    again = build_message(brief, mail=config.mail, audience=config.audience(), now=NOW)
    assert again.message_id == out.message_id  # the same brief keeps its Message-ID


def test_over_the_size_limit_the_pdf_is_left_out_with_a_note(
    brief: Rendered, tmp_path: Path
) -> None:
    config = _config(tmp_path, 25, max_bytes=40_000)
    out = build_message(brief, mail=config.mail, audience=config.audience(), now=NOW)
    parts = _parts(out.message)
    assert out.pdf_dropped and "application/pdf" not in parts
    assert "is not attached" in parts["text/plain"][0].get_content()
    assert "is not attached" in parts["text/html"][0].get_content()
    assert len(out.message.as_bytes()) <= 40_000


def test_article_text_cannot_add_headers(brief: Rendered, tmp_path: Path) -> None:
    evil = brief.context.sources[0].model_copy(
        update={"title": "Rates cut\r\nBcc: victim@example.org\r\nX-Evil: 1\u2028more"}
    )
    context = brief.context.model_copy(update={"sources": [evil]})
    hostile = Rendered(context=context, markdown=brief.markdown, html=brief.html, pdf=None)
    config = _config(tmp_path, 25, subject="{{ sources[0].title }}")
    raw = build_message(
        hostile, mail=config.mail, audience=config.audience(), now=NOW
    ).message.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"\r\nX-Evil:" not in head
    assert b"Subject: Rates cut Bcc: victim@example.org X-Evil: 1 more" in head


def test_bidi_controls_are_stripped_from_the_subject_and_display_names(
    brief: Rendered, tmp_path: Path
) -> None:
    """U+202E in a Subject shows 'Rates cut exe.gpj' as 'Rates cut jpg.exe' (the audit's)."""
    from email import message_from_bytes
    from email.policy import default

    bidi = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    evil = brief.context.sources[0].model_copy(update={"title": f"Rates cut{bidi} exe.gpj"})
    context = brief.context.model_copy(update={"sources": [evil]})
    hostile = Rendered(context=context, markdown=brief.markdown, html=brief.html, pdf=None)
    config = parse_config(
        {
            "audiences": [{"name": "analyst", "recipients": [f"Chief{bidi} <chief@example.org>"]}],
            "mail": {
                "from": "Brief\u202eing <brief@example.org>",
                "cc": ["\u2067Ops <ops@example.org>"],
                "subject": "{{ sources[0].title }}\u202e!",
            },
        },
        base_dir=tmp_path,
    )
    raw = build_message(hostile, mail=config.mail, audience=config.audience(), now=NOW)
    message = message_from_bytes(raw.message.as_bytes(), policy=default)
    shown = {key: str(message[key]) for key in ("Subject", "From", "To", "Cc")}
    assert shown == {
        "Subject": "Rates cut exe.gpj!",
        "From": "Briefing <brief@example.org>",
        "To": "Chief <chief@example.org>",
        "Cc": "Ops <ops@example.org>",
    }


@pytest.mark.parametrize(
    "address", ["desk@example.org\r\nBcc: x@example.org", "no-at-sign", "a@b@c.org", "x@nodot"]
)
def test_bad_recipients_are_config_errors_naming_the_audience(address: str) -> None:
    with pytest.raises(
        ConfigError, match=r"audiences\[0\]\.recipients\[1\] \(audience 'analyst'\)"
    ):
        parse_config(
            {"audiences": [{"name": "analyst", "recipients": ["ok@example.org", address]}]}
        )


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\x1b", "\x7f", "\x9b", "\x0b"])
def test_control_and_line_separator_characters_in_addresses_are_config_errors(
    char: str,
) -> None:
    """NEL (\\x85) and U+2028 break lines for some readers; the audit's mail.from ended exit 1."""
    with pytest.raises(ConfigError, match=r"mail\.from: .*line breaks and control characters"):
        parse_config({"mail": {"from": f"Desk{char} <desk@example.org>"}})
    with pytest.raises(ConfigError, match=r"audiences\[0\]\.recipients\[0\]"):
        parse_config({"audiences": [{"name": "analyst", "recipients": [f"A{char}<a@b.org>"]}]})
    with pytest.raises(ConfigError, match=r"mail\.list_unsubscribe: line breaks"):
        parse_config({"mail": {"list_unsubscribe": f"<mailto:u@example.org>{char}"}})


@pytest.mark.parametrize("host", ["smtp.example.org", "10.0.0.5", "192.0.2.1", "::ffff:1.2.3.4"])
def test_a_login_over_security_none_to_another_machine_is_refused(host: str) -> None:
    """The password would cross the network in clear; the audit's went without a word."""
    with pytest.raises(ConfigError, match=r"mail: security none would send the password of"):
        parse_config({"mail": {"host": host, "security": "none", "username": USER}})
    parse_config({"mail": {"host": host, "security": "none"}})  # no login: nothing to leak
    parse_config({"mail": {"host": host, "security": "starttls", "username": USER}})


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.3.4.5", "::1", "[::1]"])
def test_a_login_over_security_none_to_this_machine_is_allowed(host: str) -> None:
    parse_config({"mail": {"host": host, "security": "none", "username": USER}})


def test_a_password_in_config_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"a password is not read from config\.yaml"):
        parse_config({"mail": {"password": PASSWORD}})


def _send(config: Config, brief: Rendered, tmp_path: Path, password: str | None) -> tuple:  # type: ignore[type-arg]
    from pydantic import SecretStr

    out = build_message(brief, mail=config.mail, audience=config.audience(), now=NOW)
    outbox.put(out, tmp_path / "out" / DAY.isoformat() / "outbox", DAY, dry_run=False)
    with History(tmp_path / "history.sqlite") as history:
        report = send_pending(
            outbox.pending(tmp_path / "out"), config.mail,
            SecretStr(password) if password else None, history, NOW,
        )  # fmt: skip
    return out, report


@pytest.mark.parametrize(
    ("security", "exclude"),
    [("starttls", ("LOGIN",)), ("starttls", ("PLAIN",)), ("ssl", ("PLAIN",)), ("ssl", ("LOGIN",))],
    ids=["starttls-plain", "starttls-login", "ssl-login", "ssl-plain"],
)
def test_tls_and_auth(
    brief: Rendered, tmp_path: Path, security: str, exclude: tuple[str, ...]
) -> None:
    tls = make_tls(tmp_path)
    port = free_port()
    recorder = Recorder()
    config = _config(tmp_path, port, security=security, username=USER, ca_file=str(tls.ca_file))
    with smtp_server(recorder, port, security=security, tls=tls, auth=True, exclude=exclude):
        out, report = _send(config, brief, tmp_path, PASSWORD)
    assert len(report.sent) == 1 and not report.failed
    assert [sorted(r) for r, _ in recorder.received] == [sorted(out.recipients)]


def test_unknown_certificate_authority_is_refused(brief: Rendered, tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    port = free_port()
    config = _config(tmp_path, port, security="starttls")  # no ca_file: the system CAs
    recorder = Recorder()
    with smtp_server(recorder, port, security="starttls", tls=tls):
        _, report = _send(config, brief, tmp_path, None)
    assert not recorder.received and "certificate" in report.failed[0][1].lower()


def _cli(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass
class Desk:
    config: Path
    port: int
    tls: Tls
    out: Path

    def outbox(self) -> list[Path]:
        return sorted((self.out / DAY.isoformat() / "outbox").glob("*.eml"))

    def sent(self) -> list[Path]:
        return sorted((self.out / DAY.isoformat() / "sent").glob("*.eml"))


ENV = {"DESK_SMTP_PASSWORD": PASSWORD}


@pytest.fixture()
def desk(tmp_path: Path) -> Desk:
    """A config.yaml for STARTTLS + AUTH on a free port, and a built brief to send."""
    tls = make_tls(tmp_path)
    port = free_port()
    config = {
        "output": {"dir": "out"},
        "history": {"path": "out/history.sqlite"},
        "audiences": [{"name": "analyst", "recipients": TO}],
        "mail": {
            "host": "127.0.0.1", "port": port, "security": "starttls", "username": USER,
            "password_env": "DESK_SMTP_PASSWORD", "from": "brief@example.org",
            "ca_file": tls.ca_file.name, "timeout": 10,
        },
    }  # fmt: skip
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    built = _cli("build", ECONOMY, "--date", DAY, "--config", path)
    assert built.returncode == 0, built.stderr
    return Desk(path, port, tls, tmp_path / "out")


def _written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_send_end_to_end_over_starttls(desk: Desk) -> None:
    recorder = Recorder()
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        result = _cli("send", "--date", DAY, "--config", desk.config, env=ENV)
        assert result.returncode == 0, result.stderr
        again = _cli("send", "--date", DAY, "--config", desk.config, "-v", env=ENV)
    assert again.returncode == 0, again.stderr
    assert len(recorder.to("desk@example.org")) == 1  # sending the same brief again sends nothing
    assert "nothing to send for analyst" in again.stderr and "delivered to all 2" in again.stderr
    assert "queued" not in again.stdout and "sent" not in again.stdout
    [record] = desk.sent()
    state = json.loads(record.with_suffix(".json").read_text(encoding="utf-8"))
    assert state["pending"] == [] and state["attempts"] == 1 and state["last_error"] is None
    assert state["accepted"] == ["chief@example.org", "desk@example.org"]
    message = recorder.to("chief@example.org")[0]
    parts = _parts(message)
    assert {"text/plain", "text/html", "application/pdf"} <= set(parts)
    assert "<style" not in parts["text/html"][0].get_content()
    attached = pypdf.PdfReader(io.BytesIO(parts["application/pdf"][0].get_content()))
    assert "Naledi Khumalo" in "".join(page.extract_text() for page in attached.pages)
    assert message["Subject"] == "Daily brief: 6 March 2025 (analyst)"
    assert message["To"] == "Desk <desk@example.org>, chief@example.org"
    assert not desk.outbox() and len(desk.sent()) == 1
    seen = result.stdout + result.stderr + again.stdout + again.stderr
    assert PASSWORD not in seen and PASSWORD.encode() not in _written(desk.out)


def test_wrong_password_is_one_line_and_never_shown(desk: Desk) -> None:
    recorder = Recorder()
    wrong = "not-the-" + PASSWORD
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        result = _cli(
            "send", "--date", DAY, "--config", desk.config, env={"DESK_SMTP_PASSWORD": wrong}
        )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SMTP login as 'desk'" in lines[0] and "refused" in lines[0]
    assert wrong not in result.stdout + result.stderr
    assert wrong.encode() not in _written(desk.out)
    assert not recorder.received and len(desk.outbox()) == 1


def test_refused_connection_then_retry_delivers_once(desk: Desk) -> None:
    down = _cli("send", "--date", DAY, "--config", desk.config, env=ENV)
    assert down.returncode == 3 and "briefing send --retry" in down.stderr
    [waiting] = desk.outbox()
    state = json.loads(waiting.with_suffix(".json").read_text(encoding="utf-8"))
    assert "cannot reach the SMTP server" in state["last_error"] and state["attempts"] == 1
    recorder = Recorder()
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        first = _cli("send", "--retry", "--config", desk.config, env=ENV)
        second = _cli("send", "--retry", "-v", "--config", desk.config, env=ENV)
    assert first.returncode == 0, first.stderr
    assert first.stdout == first.stderr == ""  # not on a terminal: silent on success
    assert second.returncode == 0 and "nothing to send" in second.stderr
    assert len(recorder.received) == 1 and not desk.outbox() and len(desk.sent()) == 1


def test_dropped_connection_then_retry_delivers_once(desk: Desk) -> None:
    recorder = Recorder(drop=True)
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        dropped = _cli("send", "--date", DAY, "--config", desk.config, env=ENV)
        assert dropped.returncode == 3 and len(desk.outbox()) == 1
        recorder.drop = False
        retried = _cli("send", "--retry", "--config", desk.config, env=ENV)
        again = _cli("send", "--retry", "--config", desk.config, env=ENV)
    assert retried.returncode == 0, retried.stderr
    assert again.returncode == 0
    assert len(recorder.to("desk@example.org")) == 1 and len(recorder.to("chief@example.org")) == 1


def test_refused_recipient_is_retried_alone(desk: Desk) -> None:
    recorder = Recorder(refuse={"chief@example.org"})
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        partial = _cli("send", "--date", DAY, "--config", desk.config, env=ENV)
        assert partial.returncode == 3 and "550" in partial.stderr
        state = json.loads(desk.outbox()[0].with_suffix(".json").read_text(encoding="utf-8"))
        assert state["pending"] == ["chief@example.org"]
        recorder.refuse.clear()
        retried = _cli("send", "--retry", "--config", desk.config, env=ENV)
    assert retried.returncode == 0, retried.stderr
    assert len(recorder.to("desk@example.org")) == 1 and len(recorder.to("chief@example.org")) == 1
    assert not desk.outbox()


def test_dry_run_writes_eml_and_sends_nothing(desk: Desk) -> None:
    recorder = Recorder()
    with smtp_server(recorder, desk.port, security="starttls", tls=desk.tls, auth=True):
        dry = _cli("send", "--date", DAY, "--dry-run", "--config", desk.config, env=ENV)
        retry = _cli("send", "--retry", "--config", desk.config, env=ENV)
    assert dry.returncode == 0 and retry.returncode == 0
    assert not recorder.received
    [eml] = desk.outbox()
    state = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    assert state["dry_run"] is True
    assert b"Subject: Daily brief: 6 March 2025 (analyst)" in eml.read_bytes()


@needs_chromium
def test_html_part_in_a_browser(brief: Rendered, tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    config = _config(tmp_path, 25)
    message = build_message(brief, mail=config.mail, audience=config.audience(), now=NOW).message
    page = tmp_path / "email.html"
    page.write_text(_parts(message)["text/html"][0].get_content(), encoding="utf-8")
    browser.get(page.as_uri())
    h1 = browser.find_element(By.TAG_NAME, "h1")
    assert h1.text == "Daily brief: 6 March 2025"
    assert h1.value_of_css_property("font-size") != "32px"  # the inlined style, not the default
    banner = browser.find_element(By.CSS_SELECTOR, "div.classification")
    assert banner.value_of_css_property("color") == "rgba(138, 28, 28, 1)"
    shots = ROOT / "out"
    shots.mkdir(exist_ok=True)
    browser.save_screenshot(str(shots / "email-analyst.png"))


def test_images_are_embedded_from_the_templates_or_dropped(brief: Rendered, tmp_path: Path) -> None:
    logo = (ROOT / "tests" / "data" / "pixel.png").read_bytes()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pixel.png").write_bytes(logo)
    html = (brief.html or "").replace(
        "<main",
        '<img src="pixel.png" alt="logo"><img src="https://tracker.example/p.gif">'
        '<img src="file:///etc/passwd"><main',
        1,
    )
    with_images = Rendered(context=brief.context, markdown=brief.markdown, html=html, pdf=None)
    config = _config(tmp_path, 25)
    message = build_message(
        with_images, mail=config.mail, audience=config.audience(), now=NOW, asset_dirs=(templates,)
    ).message
    parts = _parts(message)
    body = parts["text/html"][0].get_content()
    assert 'src="cid:' in body and "tracker.example" not in body and "/etc/passwd" not in body
    [image] = parts["image/png"]
    assert image.get_content() == logo
    assert image["Content-ID"].strip("<>") in body


@pytest.mark.parametrize("content", [None, b"not a certificate\n"], ids=["missing", "garbage"])
def test_a_missing_or_garbage_ca_file_is_a_config_error_naming_it(
    desk: Desk, content: bytes | None
) -> None:
    ca_file = desk.config.parent / "ca-of-the-desk.pem"
    if content is not None:
        ca_file.write_bytes(content)
    data = yaml.safe_load(desk.config.read_text(encoding="utf-8"))
    data["mail"]["ca_file"] = ca_file.name
    desk.config.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _cli("send", "--date", DAY, "--config", desk.config, env=ENV)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"briefing: error: mail.ca_file {ca_file}: ")
    assert ("No such file" in line) if content is None else ("no PEM certificate" in line)
    assert len(desk.outbox()) == 1 and not desk.sent()


def test_ca_file_adds_to_the_system_cas(
    brief: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README says: a server signed by a system CA still verifies with mail.ca_file set."""
    system, own = make_tls(_folder(tmp_path / "system")), make_tls(_folder(tmp_path / "own"))
    monkeypatch.setenv("SSL_CERT_FILE", str(system.ca_file))  # OpenSSL's system CAs: this one
    monkeypatch.setenv("SSL_CERT_DIR", str(_folder(tmp_path / "no-more-cas")))
    for name, tls in (("system", system), ("own", own)):
        port, recorder = free_port(), Recorder()
        config = _config(tmp_path, port, security="starttls", ca_file=str(own.ca_file))
        with smtp_server(recorder, port, security="starttls", tls=tls):
            _, report = _send(config, brief, tmp_path / name, None)
        assert not report.failed and len(report.sent) == 1, (name, report.failed)
    stranger = make_tls(_folder(tmp_path / "stranger"))
    port, recorder = free_port(), Recorder()
    config = _config(tmp_path, port, security="starttls", ca_file=str(own.ca_file))
    with smtp_server(recorder, port, security="starttls", tls=stranger):
        _, report = _send(config, brief, tmp_path / "stranger", None)
    assert not recorder.received and "certificate" in report.failed[0][1].lower()


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


REMOTE_LOADS = (
    '<img src="pixel.png" srcset="https://t.example/1.png 2x" alt="logo">',
    '<picture><source srcset="https://t.example/2.webp"><img src="https://t.example/3.png"></picture>',
    '<object data="https://t.example/4.swf"><param name="movie" value="x">fallback</object>',
    '<embed src="https://t.example/5.swf">',
    '<svg width="10" height="10"><image href="https://t.example/6.png" width="10"/>'
    '<use xlink:href="https://t.example/7.svg#a"/><feImage href="https://t.example/8.png"/>'
    '<style>@import url(https://t.example/9.css);</style><circle r="4"/></svg>',
    '<video poster="https://t.example/10.jpg"><source src="https://t.example/11.mp4"></video>',
    '<audio src="https://t.example/12.mp3"></audio>',
    '<iframe src="https://t.example/13.html"></iframe>',
    '<p style="color: red; background: url(https://t.example/14.png)">styled</p>',
    "<p style=\"background-image: image-set('https://t.example/15.png' 1x)\">set</p>",
    '<p style="background: u\\72l(https://t.example/16.png)">escaped</p>',
    '<table background="https://t.example/17.png"><tr><td>cell</td></tr></table>',
    '<link rel="stylesheet" href="https://t.example/18.css"><base href="https://t.example/">',
    '<meta http-equiv="refresh" content="0;url=https://t.example/19">',
    '<input type="image" src="https://t.example/20.png">',
    '<image src="https://t.example/21.png">',
    '<!--[if mso]><img src="https://t.example/22.png"><![endif]-->',
    '<script src="https://t.example/23.js"></script>',
    "<div onmouseover=\"fetch('https://t.example/24')\">hover</div>",
)


def test_email_html_keeps_only_embedded_images_and_loads_nothing(
    brief: Rendered, tmp_path: Path
) -> None:
    """The audit: srcset, <object>, <embed>, <svg><image>, <video poster>, <iframe> and CSS
    url() were left in the HTML part, so the reader fetched from elsewhere on opening."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pixel.png").write_bytes((ROOT / "tests" / "data" / "pixel.png").read_bytes())
    html = (brief.html or "").replace("<main", "".join(REMOTE_LOADS) + "<main", 1)
    hostile = Rendered(context=brief.context, markdown=brief.markdown, html=html, pdf=None)
    config = _config(tmp_path, 25)
    message = build_message(
        hostile, mail=config.mail, audience=config.audience(), now=NOW, asset_dirs=(templates,)
    ).message
    body = _parts(message)["text/html"][0].get_content()
    assert "t.example" not in body, [line for line in body.splitlines() if "t.example" in line]
    assert 'src="cid:' in body and len(_parts(message)["image/png"]) == 1
    for kept in (">styled<", ">set<", ">escaped<", ">cell<", ">hover<", '<circle r="4">'):
        assert kept in body, kept
    assert "color: red" in body and "fallback" not in body and "onmouseover" not in body
    assert "Naledi Khumalo" in body  # the brief itself is untouched


def test_a_briefs_own_html_passes_unchanged(brief: Rendered) -> None:
    from briefing.deliver.mail import _inline_css
    from briefing.deliver.mailhtml import without_remote_loads

    inlined = _inline_css(brief.html or "")
    assert without_remote_loads(inlined, lambda src: None) == inlined
