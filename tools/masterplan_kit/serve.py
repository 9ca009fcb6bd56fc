"""``masterplan serve``: build, serve on localhost, rebuild when a source changes.

The preview is built into build/.cache/serve/ (MkDocs' dirty mode rebuilds only the pages whose
generated source changed). A source with errors is reported in the terminal and over the page;
the last good site stays served.

Why these pieces, and not others:

- **Watching: watchfiles.** The operating system tells of a change (inotify, FSEvents,
  ReadDirectoryChangesW, through Rust's ``notify``), so an idle preview does no work, where the
  former loop walked every source five times a second; it groups an editor's burst of writes into
  one rebuild. It polls by itself where the system gives no events (some network and container
  mounts, or with ``WATCHFILES_FORCE_POLLING=1``), so no polling loop of our own is kept. Two
  watches: the source folders recursively, and the project folder itself for ``mkdocs.yml`` and
  for source folders that appear later (a recursive watch of the project folder would also follow
  ``build/``, ``.git`` and a virtual environment).
- **Serving: a small server of our own**, not MkDocs' live-reload server (``mkdocs serve``).
  That server rebuilds with MkDocs only, where the preview must first validate the sources and
  generate the pages, and when a build fails it can only log: the preview instead shows the
  validation errors over every page of the last good site. It answers any ``Host``, so a web page
  elsewhere could read the preview through DNS rebinding; ours answers only requests addressed to
  this machine by name (``localhost``) or by an IP address. It also watches by polling (watchdog).
  Ours is the standard library's threading HTTP server with a listen backlog of 1,024, serving
  only files inside the built site; a path it cannot map (a NUL byte, a name too long for the
  file system) is answered with 400 or 404, never left unanswered.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import json
import queue
import socket
import threading
import time
import urllib.parse
from pathlib import Path

from .pipeline import load_and_check
from .templating import environment

WATCHED = ("masterplan", "pillars", "templates", "mkdocs.yml")
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})
BACKLOG = 1024


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
        from .previous import changes_since_previous
        from .render.data import write_data
        from .render.site import generate_docs, mkdocs_config, run_mkdocs, sync_docs

        started = time.perf_counter()
        project, report = load_and_check(self.root)
        if report.errors():
            self._fail(report.to_text().splitlines())
            return False
        try:
            project.previous = changes_since_previous(project)  # the Perubahan page, as the build shows it
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


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's ``Host`` names this machine: ``localhost``, an IP address (a page
    elsewhere that rebinds its own name to this machine still sends that name), or the host the
    server was started with. A request without the header comes from no browser."""
    if not header:
        return True
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost") or name == bound.lower().strip("[]"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def make_handler(preview: Preview, bound_host: str = "127.0.0.1"):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            super().end_headers()

        def do_HEAD(self) -> None:
            self._answer(head=True)

        def do_GET(self) -> None:
            self._answer(head=False)

        def _answer(self, head: bool) -> None:
            if not host_allowed(self.headers.get("Host"), bound_host):
                return self.send_error(421, "Misdirected Request", "this preview answers only requests to localhost")
            try:
                path = Path(self.translate_path(self.path))
                if "\0" in urllib.parse.unquote(self.path):
                    return self.send_error(400, "Bad Request")
                if self.path.startswith("/__masterplan__/state"):
                    with preview.lock:
                        body = json.dumps({"version": preview.version, "problems": preview.problems}).encode()
                    return self._send(body, "application/json", head)
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    page = path.read_bytes()
                    marker = b"</body>"
                    page = page.replace(marker, preview.overlay() + marker, 1) if marker in page else page + preview.overlay()
                    return self._send(page, "text/html; charset=utf-8", head)
                if not preview.built_once and self.path in ("/", "/index.html"):
                    return self._send(b"<!doctype html><title>masterplan</title>" + preview.overlay(),
                                      "text/html; charset=utf-8", head)
                return super().do_HEAD() if head else super().do_GET()
            except ValueError:  # a NUL byte, an invalid path
                return self.send_error(400, "Bad Request")
            except OSError:  # a name too long for the file system, say
                return self.send_error(404, "Not Found")

        def _send(self, body: bytes, ctype: str, head: bool = False) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


class PreviewServer(http.server.ThreadingHTTPServer):
    request_queue_size = BACKLOG  # the standard library's 5 drops connections under a burst of requests
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler) -> None:
        host = address[0]
        try:
            self.address_family = socket.AF_INET6 if ipaddress.ip_address(host.strip("[]")).version == 6 else socket.AF_INET
        except ValueError:
            self.address_family = socket.AF_INET
        super().__init__((host.strip("[]"), address[1]), handler)


def _watch(paths: list[Path], recursive: bool, stop: threading.Event, changes: queue.Queue) -> None:
    import watchfiles

    try:
        for batch in watchfiles.watch(*paths, recursive=recursive, stop_event=stop, raise_interrupt=False,
                                      debounce=800, step=50, rust_timeout=500):
            changes.put(batch)
    except Exception as exc:  # the watch could not start (a folder vanished, a system limit): say so
        changes.put(exc)


class Watcher:
    """Changes to the sources: the folders in ``WATCHED`` recursively, and ``mkdocs.yml`` or a
    source folder appearing in the project folder (the recursive watch then restarts)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.changes: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.tree_stop = threading.Event()
        self.folders: list[Path] = []
        threading.Thread(target=_watch, args=([root], False, self.stop, self.changes), daemon=True).start()
        self._watch_tree()

    def _watch_tree(self) -> None:
        self.tree_stop.set()
        self.tree_stop = threading.Event()
        self.folders = [self.root / name for name in WATCHED if (self.root / name).is_dir()]
        if self.folders:
            threading.Thread(target=_watch, args=(self.folders, True, self.tree_stop, self.changes), daemon=True).start()

    def wait(self, timeout: float) -> bool:
        """Whether a source changed (waiting at most ``timeout`` seconds for one); a burst of
        changes counts once."""
        try:
            batch = self.changes.get(timeout=timeout)
        except queue.Empty:
            return False
        batches = [batch]
        while True:
            try:
                batches.append(self.changes.get_nowait())
            except queue.Empty:
                break
        relevant = False
        for batch in batches:
            if isinstance(batch, Exception):
                raise batch
            for _change, name in batch:
                rel = Path(name).relative_to(self.root) if Path(name).is_relative_to(self.root) else Path(name)
                if rel.parts and rel.parts[0] in WATCHED:
                    relevant = True
        if [self.root / n for n in WATCHED if (self.root / n).is_dir()] != self.folders:
            self._watch_tree()
            relevant = True
        return relevant

    def close(self) -> None:
        self.stop.set()
        self.tree_stop.set()


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.5, log=print,
          stop: threading.Event | None = None, ready: threading.Event | None = None) -> None:
    from .render.write import claim_output_folder

    claim_output_folder(root / "build")
    preview = Preview(root, log)
    preview.out.mkdir(parents=True, exist_ok=True)
    watcher = Watcher(root)  # before building: an edit made meanwhile triggers a rebuild
    try:
        preview.rebuild()
        handler = functools.partial(make_handler(preview, host), directory=str(preview.out))
        server = PreviewServer((host, port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        shown = f"[{host}]" if ":" in host else host
        log(f"serving http://{shown}:{server.server_address[1]}/ (Ctrl+C to stop)")
        if ready is not None:
            ready.port = server.server_address[1]  # type: ignore[attr-defined]
            ready.set()
        stop = stop or threading.Event()
        try:
            while not stop.is_set():
                if watcher.wait(interval):
                    preview.rebuild()
        finally:
            server.shutdown()
            server.server_close()
    finally:
        watcher.close()


__all__ = ["BACKLOG", "Preview", "PreviewServer", "Watcher", "host_allowed", "make_handler", "serve"]
