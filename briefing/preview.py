"""`briefing preview`: the HTML brief on 127.0.0.1, reloaded when templates or config change.

The articles are analysed once; every page load renders the templates afresh from the
current config.yaml, so edits show at once. A render or config error is shown on the page.
The page polls /__version and reloads itself when a watched file changes (watchfiles).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from briefing.config import Config, load_config
from briefing.errors import BriefingError, PortError
from briefing.models import Analysis
from briefing.paths import builtin_template_dir

RELOAD_SCRIPT = """<script>
(function () {
  var seen = "VERSION";  // the version this page was rendered at
  function poll() {
    fetch("/__version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v !== seen) { location.reload(); } })
      .catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>"""


@dataclass
class Preview:
    """What the preview serves: the analysis, where the config is, and a change counter."""

    analysis: Analysis
    config_path: Path | None
    brief_date: date
    audience: str | None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def config(self) -> Config:
        return load_config(self.config_path)

    def watched(self) -> list[Path]:
        """The config file and every template folder."""
        paths = [builtin_template_dir()]
        if self.config_path is not None:
            paths.append(self.config_path)
            try:
                user = self.config().templates.dir
            except BriefingError:
                user = None
            if user is not None and user.is_dir():
                paths.append(user)
        return paths

    def bump(self) -> None:
        with self.lock:
            self.version += 1

    def pdf(self, name: str | None = None) -> bytes:
        """The current PDF of an audience (raises BriefingError when it cannot be made)."""
        from briefing.context import build_context
        from briefing.render import render_brief

        config = self.config()
        audience = config.audience(name or self.audience)
        context = build_context(self.analysis, config, self.brief_date, audience)
        return render_brief(context, config, ("pdf",), audience).pdf or b""

    def _switcher(self, config: Config, current: str) -> str:
        """A bar above the brief: every audience, and the PDF where the page breaks show."""
        links = [
            f'<a href="/?audience={quote(a.name)}"'
            + (' aria-current="page"' if a.name == current else "")
            + f">{html.escape(a.name)}</a>"
            for a in config.audiences
        ]
        pdf = f'<a class="pdf" href="/brief.pdf?audience={quote(current)}">PDF</a>'
        return f'<nav class="briefing-preview">{" · ".join(links)} | {pdf}</nav>'

    def page(self, name: str | None = None) -> str:
        """The current HTML brief of an audience, or an error page; both reload on change."""
        from briefing.context import build_context
        from briefing.render import render_brief

        script = RELOAD_SCRIPT.replace("VERSION", str(self.version))  # read before rendering
        try:
            config = self.config()
            audience = config.audience(name or self.audience)
            context = build_context(self.analysis, config, self.brief_date, audience)
            body = render_brief(context, config, ("html",), audience).html or ""
            opening = body.find(">", body.find("<body")) + 1
            if opening > 0:
                body = body[:opening] + self._switcher(config, audience.name) + body[opening:]
        except BriefingError as exc:
            body = (
                "<!DOCTYPE html><html><head><meta charset='utf-8'><title>briefing: error</title>"
                "</head><body><h1>The brief could not be rendered</h1>"
                f"<pre class='briefing-error'>{html.escape(str(exc))}</pre></body></html>"
            )
        marker = "</body>"
        at = body.rfind(marker)
        return body[:at] + script + body[at:] if at >= 0 else body + script


LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
_HOST = re.compile(  # a name or [IPv6 address], then an optional :port
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[0-9A-Za-z.-]+))(?::[0-9]{1,5})?$"
)


def host_names(host: str) -> frozenset[str]:
    """The Host header names the preview answers: this machine's, and the --host given.

    A page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and then
    read the preview as its own origin; its requests carry that name, so they are refused.
    """
    return frozenset(name.lower().strip("[]") for name in (*LOCAL_NAMES, host))


def _host_name(header: str | None) -> str | None:
    """The name of a Host header without its port ('[::1]:8000' -> '::1'), if well formed."""
    match = _HOST.match(header or "")
    return (match.group("v6") or match.group("name")).lower() if match else None


def _handler(preview: Preview, allowed: frozenset[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if _host_name(self.headers.get("Host")) not in allowed:
                self.send_error(403, "unknown Host: open the preview at the address it printed")
                return
            where = urlsplit(self.path)
            audience = parse_qs(where.query).get("audience", [None])[0]
            if where.path == "/__version":
                self._send(str(preview.version).encode(), "text/plain")
            elif where.path in ("/", "/index.html"):
                self._send(preview.page(audience).encode("utf-8"), "text/html; charset=utf-8")
            elif where.path == "/brief.pdf":
                try:
                    self._send(preview.pdf(audience), "application/pdf")
                except BriefingError as exc:
                    self.send_error(500, str(exc).splitlines()[0][:200])
            else:
                self.send_error(404)

        def _send(self, data: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@dataclass
class Running:
    """A started preview: its address, and how to stop it."""

    url: str
    server: ThreadingHTTPServer
    stop: threading.Event
    threads: Sequence[threading.Thread]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def _bind(preview: Preview, host: str, port: int, tries: int) -> ThreadingHTTPServer:
    """The server on host:port, or on the next free one of the `tries` ports from there."""
    import errno

    candidates = list(range(port, port + tries)) if port else [0]
    for candidate in candidates:
        try:
            return ThreadingHTTPServer((host, candidate), _handler(preview, host_names(host)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and candidate != candidates[-1]:
                continue
            if exc.errno == errno.EADDRINUSE:
                why = f"ports {port}-{candidate} on {host} are all in use"
            else:
                why = f"port {candidate} on {host}: {exc.strerror or exc}"
            raise PortError(f"cannot serve the preview: {why}") from None
    raise AssertionError("candidates is never empty")


def start(preview: Preview, port: int = 8000, host: str = "127.0.0.1", tries: int = 20) -> Running:
    """Serve on host:port (0 picks a free port; a busy one moves on to the next free one
    of `tries`) and watch for changes, in threads."""
    from watchfiles import watch

    server = _bind(preview, host, port, tries)
    stop = threading.Event()

    def watcher() -> None:
        for _ in watch(*preview.watched(), stop_event=stop, debounce=200, rust_timeout=500):
            preview.bump()

    threads = [
        threading.Thread(target=server.serve_forever, name="preview-http", daemon=True),
        threading.Thread(target=watcher, name="preview-watch", daemon=True),
    ]
    for thread in threads:
        thread.start()
    address, bound = server.server_address[:2]
    return Running(url=f"http://{address!s}:{bound}/", server=server, stop=stop, threads=threads)
