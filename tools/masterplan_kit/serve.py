"""``masterplan serve``: build, serve on localhost, rebuild when a source changes.

The preview is built into build/.cache/serve/ (MkDocs' dirty mode rebuilds only the pages whose
generated source changed). A source with errors is reported in the terminal and over the page;
the last good site stays served.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from pathlib import Path

from .pipeline import load_and_check
from .templating import environment

WATCHED = ("masterplan", "pillars", "templates", "mkdocs.yml")


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file (polling: no extra dependency, no inotify limits)."""
    stamps: dict[str, float] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            stamps[name] = top.stat().st_mtime
        elif top.is_dir():
            for f in top.rglob("*"):
                if f.is_file():
                    stamps[f.relative_to(root).as_posix()] = f.stat().st_mtime
    return stamps


class Preview:
    def __init__(self, root: Path, log=print) -> None:
        self.root = root
        self.out = root / "build" / ".cache" / "serve"
        self.version = 0
        self.problems: list[str] = []
        self.log = log
        self.built_once = False
        self.lock = threading.Lock()

    def rebuild(self) -> bool:
        from .build import BuildError
        from .render.data import write_data
        from .render.site import generate_docs, mkdocs_config, run_mkdocs, sync_docs

        started = time.perf_counter()
        project, report = load_and_check(self.root)
        if report.errors():
            self._fail(report.to_text().splitlines())
            return False
        try:
            data = write_data(project, self.root / "build" / ".cache" / "serve-data")
            work = self.root / "build" / ".cache" / "serve-src"
            generated = time.perf_counter()
            sync_docs(work / "docs", generate_docs(project, {}, data))
            rendered = time.perf_counter()
            run_mkdocs(mkdocs_config(project, work, self.out), dirty=self.built_once)
        except BuildError as exc:
            self._fail([f"error: {exc}"])
            return False
        except Exception as exc:  # a template error, say: show it, keep serving
            self._fail([f"error: {type(exc).__name__}: {exc}"])
            return False
        with self.lock:
            self.built_once = True
            self.problems = report.to_text().splitlines()  # warnings, if any
            self.version += 1
        end = time.perf_counter()
        self.log(f"built in {end - started:.1f} s (load {generated - started:.1f}, pages {rendered - generated:.1f}, "
                 f"MkDocs {end - rendered:.1f})")
        return True

    def _fail(self, lines: list[str]) -> None:
        with self.lock:
            self.problems = lines
            self.version += 1
        for line in lines:
            self.log(line)

    def overlay(self) -> bytes:
        env = environment(self.root, "site")
        with self.lock:
            text = env.get_template("serve-overlay.html.j2").render(problems=self.problems, version=self.version)
        return text.encode("utf-8")


def make_handler(preview: Preview):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/__masterplan__/state"):
                with preview.lock:
                    body = json.dumps({"version": preview.version, "problems": preview.problems}).encode()
                return self._send(body, "application/json")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                page = path.read_bytes()
                marker = b"</body>"
                page = page.replace(marker, preview.overlay() + marker, 1) if marker in page else page + preview.overlay()
                return self._send(page, "text/html; charset=utf-8")
            if not preview.built_once and self.path in ("/", "/index.html"):
                return self._send(b"<!doctype html><title>masterplan</title>" + preview.overlay(), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.2, log=print,
          stop: threading.Event | None = None, ready: threading.Event | None = None) -> None:
    preview = Preview(root, log)
    preview.out.mkdir(parents=True, exist_ok=True)
    stamps = snapshot(root)  # before building: an edit made meanwhile triggers a rebuild
    preview.rebuild()
    handler = functools.partial(make_handler(preview), directory=str(preview.out))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"serving http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)")
    if ready is not None:
        ready.port = server.server_address[1]  # type: ignore[attr-defined]
        ready.set()
    stop = stop or threading.Event()
    try:
        while not stop.wait(interval):
            now = snapshot(root)
            if now != stamps:
                stamps = now
                preview.rebuild()
    finally:
        server.shutdown()
        server.server_close()

