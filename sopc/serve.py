"""`sopc serve`: a live preview while an IB'er edits the school file.

Builds the HTML into a temporary folder, serves it on 127.0.0.1 only, and builds again
as soon as one of its inputs changes: the school file, its SWV layer, sopc.toml, the
logo, a template (watched with watchfiles, which debounces a burst of saves into one
change). The open page asks the server every 300 ms whether a newer build exists and
reloads itself, so a saved edit shows within a second. A build with errors shows the
errors in the page (file:line and the message), never the stale document.

The server is the standard library's: GET only, files only from the build folder, a
reload script added to HTML pages as they are sent (the built files stay as `sopc
build` writes them). Ctrl-C stops the watcher and the server and removes the folder.
"""

from __future__ import annotations

import html
import http.server
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sopc.diagnostics import Diagnostic, Severity, terminal_safe

VERSION_PATH = "/__sopc/versie"
POLL_MILLISECONDS = 300
# The files whose change means a rebuild, besides the inputs a build reported.
_WATCHED_SUFFIXES = (".yaml", ".yml", ".toml", ".j2", ".css", ".png", ".jpg", ".jpeg", ".svg")
_IGNORED_PARTS = (".git", "__pycache__", ".venv", "node_modules")

_RELOAD_SCRIPT = (
    "<script>(function(){{var v='{version}';setInterval(function(){{"
    "fetch('" + VERSION_PATH + "',{{cache:'no-store'}}).then(function(r){{return r.text()}})"
    ".then(function(t){{if(t!==v){{location.reload()}}}}).catch(function(){{}})}},"
    + str(POLL_MILLISECONDS) + ")}})();</script>")


class PortUnavailable(OSError):
    """The port cannot be bound (in use, or not allowed)."""


@dataclass
class Preview:
    """The state the server shows: the last build, its problems, its number."""

    paths: list[Path]
    folder: Path
    build: Callable[[Path], Any]  # output folder → sopc.api.Report
    version: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # built HTML files, by name
    inputs: set[Path] = field(default_factory=set)
    problem: str | None = None  # a build that could not start (sopc.toml, a missing file)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def failed(self) -> bool:
        return self.problem is not None \
            or any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is not Severity.ERROR]

    def rebuild(self) -> float:
        """Build again; the seconds it took. The version counts every build, failed
        or not, so an open page always shows the latest state. A build that cannot
        start (a sopc.toml half edited, the school file renamed) is shown the same way:
        the preview goes on, for the next save."""
        from sopc.config import ConfigError
        from sopc.diagnostics import dutch_os_error

        started = time.perf_counter()
        try:
            report = self.build(self.folder)
        except (ConfigError, OSError) as error:
            where = f"{error.filename}: " if isinstance(error, OSError) and error.filename \
                else ""
            message = dutch_os_error(error) if isinstance(error, OSError) else str(error)
            with self.lock:
                self.problem, self.diagnostics = where + message, []
                self.version += 1
            return time.perf_counter() - started
        with self.lock:
            # a school file gone for a moment (an editor saving by rename, a move)
            self.problem = f"bestaat niet: {', '.join(report.missing)}" if report.missing \
                else None
            self.diagnostics = list(report.diagnostics)
            self.pages = sorted(p.name for r in report.files for p in r.outputs
                                if p.suffix == ".html")
            self.inputs = {Path(p).resolve() for r in report.files for p in r.inputs}
            self.version += 1
        return time.perf_counter() - started


def watched_folders(preview: Preview, template_dirs: Sequence[Path]) -> list[Path]:
    """The folders whose changes can matter: those of the named paths and of every
    input the last build read (SWV layer, sopc.toml, logo), and the template folders."""
    folders = {path.resolve() if path.is_dir() else path.resolve().parent
               for path in preview.paths}
    folders |= {path.parent for path in preview.inputs}
    folders |= {path.resolve() for path in template_dirs}
    # a folder inside another one is watched through it
    return sorted(f for f in folders if not any(o != f and o in f.parents for o in folders))


def matters(path: str, preview: Preview) -> bool:
    changed = Path(path)
    if any(part in _IGNORED_PARTS for part in changed.parts):
        return False
    return changed.resolve() in preview.inputs or changed.suffix.lower() in _WATCHED_SUFFIXES


def _items(diagnostics: Sequence[Diagnostic]) -> list[str]:
    rows = []
    for diagnostic in diagnostics:
        where = f"{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}"
        hint = f"<br><span class=\"hint\">{html.escape(diagnostic.hint)}</span>" \
            if diagnostic.hint else ""
        rows.append(f"<li><code>{html.escape(where)}</code>: "
                    f"{html.escape(diagnostic.path_prefix + diagnostic.message)}"
                    f" <span class=\"code\">[{html.escape(diagnostic.code)}]</span>{hint}</li>")
    return rows


_PAGE_STYLE = ("<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;"
               "padding:0 1rem;line-height:1.5}h1{color:#8a1c1c}li{margin:.6rem 0}"
               ".hint,.code{color:#555}code{background:#f2f4f7;padding:0 .2rem}</style>")


def problems_page(preview: Preview) -> str:
    """The page shown instead of the document while the build has errors: the errors,
    and links to what was built all the same (other schools of a folder)."""
    rows = [f"<li>{html.escape(preview.problem)}</li>"] if preview.problem else []
    rows += _items([d for d in preview.diagnostics if d.severity is Severity.ERROR])
    built = page_links(preview)
    others = f"<h2>Wel gemaakt</h2><ul>{built}</ul>" if built else ""
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>sopc: het document kan niet worden gemaakt</title>{_PAGE_STYLE}"
        "</head><body><main><h1>Het document kan niet worden gemaakt</h1>"
        f"<p>sopc vond {len(rows)} {'fout' if len(rows) == 1 else 'fouten'}. Los "
        f"{'die' if len(rows) == 1 else 'ze'} op en sla het bestand op: deze pagina "
        "ververst vanzelf.</p>"
        f"<ul>{''.join(rows)}</ul>{others}</main></body></html>\n")


def not_found_page() -> str:
    return ('<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            f"<title>sopc: niet gevonden</title>{_PAGE_STYLE}</head><body><main>"
            "<h1>Deze pagina is er (nog) niet</h1><p><a href=\"/\">Naar het voorbeeld</a>. "
            "Deze pagina ververst vanzelf na de volgende build.</p></main></body></html>\n")


def with_warnings(page: str, preview: Preview) -> str:
    """The warnings of the last build, above the document (only in the preview)."""
    warnings = preview.warnings
    if not warnings:
        return page
    banner = ('<aside role="status" style="font:14px/1.4 system-ui,sans-serif;'
              "background:#fff3cd;border:1px solid #c9a227;padding:.5rem 1rem;"
              'margin:.5rem">'
              f"<details><summary>sopc: {len(warnings)} "
              f"{'melding' if len(warnings) == 1 else 'meldingen'} (alleen in dit "
              f"voorbeeld)</summary><ul>{''.join(_items(warnings))}</ul></details></aside>")
    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
    return page[:at] + banner + page[at:]


def index_page(preview: Preview) -> str:
    return ('<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>sopc: voorbeeld</title>{_PAGE_STYLE}</head><body><main><h1>Voorbeeld</h1>"
            f"<ul>{page_links(preview)}</ul></main></body></html>\n")


_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def page_links(preview: Preview) -> str:
    """A list item per built page: its document's title, with the file name after it
    (a folder of schools in several versions is a list of names otherwise)."""
    items = []
    for name in preview.pages:
        try:  # the title is in the head: the first few kilobytes
            with open(preview.folder / name, encoding="utf-8", errors="replace") as page:
                head = page.read(4000)
        except OSError:
            head = ""
        found = _TITLE.search(head)
        title = html.unescape(found.group(1)).strip() if found else ""
        shown = f"{html.escape(title)} <small>({html.escape(name)})</small>" if title \
            else html.escape(name)
        items.append(f'<li><a href="{html.escape(name)}">{shown}</a></li>')
    return "".join(items)


def with_reload(page: str, version: int) -> str:
    script = _RELOAD_SCRIPT.format(version=version)
    at = page.rfind("</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def make_handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "sopc"

        def do_GET(self) -> None:  # the name http.server calls
            address = self.server.server_address
            port = address[1] if isinstance(address, tuple) else 0
            # a web page that points its own name at 127.0.0.1 (DNS rebinding) gets
            # nothing: only requests addressed to this machine by name or number
            if self.headers.get("Host", "") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
                self._send(b"Alleen voor deze computer.", "text/plain; charset=utf-8",
                           status=403)
                return
            path = unquote(urlsplit(self.path).path)
            with preview.lock:
                version, failed, pages = preview.version, preview.failed, list(preview.pages)
            if path == VERSION_PATH:
                self._send(str(version).encode(), "text/plain; charset=utf-8")
                return
            name = path.lstrip("/")
            if name in pages:  # built by the last build: fresh, whatever else failed
                pass
            elif failed:  # the errors instead of a stale page
                self._send(with_reload(problems_page(preview), version).encode(),
                           "text/html; charset=utf-8")
                return
            elif path == "/":
                if len(pages) == 1:
                    self.send_response(302)
                    self.send_header("Location", "/" + pages[0])
                    self.end_headers()
                    return
                self._send(with_reload(index_page(preview), version).encode(),
                           "text/html; charset=utf-8")
                return
            else:  # only what the build made; nothing else of the disk
                self._send(with_reload(not_found_page(), version).encode(),
                           "text/html; charset=utf-8", status=404)
                return
            page = with_warnings((preview.folder / name).read_text(encoding="utf-8"), preview)
            self._send(with_reload(page, version).encode(), "text/html; charset=utf-8")

        def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass  # the terminal shows builds, not requests

    return Handler


def _say(text: str) -> None:
    print(text, flush=True)  # at once, also into a pipe (an editor's terminal, a test)


def serve(paths: Sequence[Path], build: Callable[[Path], Any], *, port: int,
          template_dirs: Sequence[Path] = (), say: Callable[[str], None] = _say,
          stop: threading.Event | None = None) -> None:
    """Build, serve on 127.0.0.1:`port` (0: a free port), rebuild on every change until
    Ctrl-C (or `stop`). Raises PortUnavailable when the port cannot be used."""
    import watchfiles

    folder = Path(tempfile.mkdtemp(prefix="sopc-voorbeeld-"))
    preview = Preview(list(paths), folder, build)
    server: http.server.ThreadingHTTPServer | None = None
    restore = _stop_on_signals()
    try:
        # bound first: a port in use is reported before any work
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                     make_handler(preview))
        except OSError as error:
            raise PortUnavailable(error.errno, str(error)) from error
        seconds = preview.rebuild()
        report_build(preview, seconds, say)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
        say(f"Voorbeeld: http://127.0.0.1:{server.server_address[1]}/  (stoppen: Ctrl-C)")
        while stop is None or not stop.is_set():
            folders = watched_folders(preview, template_dirs)
            for changes in watchfiles.watch(*folders, stop_event=stop, debounce=150, step=50,
                                            rust_timeout=500, yield_on_timeout=False):
                if any(matters(path, preview) for _, path in changes):
                    seconds = preview.rebuild()
                    report_build(preview, seconds, say)
                    if watched_folders(preview, template_dirs) != folders:
                        break  # the inputs moved (another SWV file): watch those
            else:
                return
    except KeyboardInterrupt:
        say("Gestopt.")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
        restore()


def _stop_on_signals() -> Callable[[], None]:
    """Closing the terminal (SIGHUP) or `kill` (SIGTERM) stops the preview as Ctrl-C
    does, so its folder is removed; gives back what restores the previous handlers."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt)
                for number in (signal.SIGTERM, signal.SIGHUP)}

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


def report_build(preview: Preview, seconds: float, say: Callable[[str], None]) -> None:
    from sopc.output import format_text

    for diagnostic in preview.diagnostics:
        say(format_text(diagnostic))
    if preview.problem:
        say(terminal_safe(f"sopc: {preview.problem}"))
    if preview.failed:
        say(f"Niet gebouwd: de fouten staan ook in de pagina ({seconds:.2f} s).")
    else:
        say(f"Gebouwd in {seconds:.2f} s.")
