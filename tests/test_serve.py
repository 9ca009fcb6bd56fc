"""``masterplan serve``: edits show up, errors are shown over the last good site."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

from conftest import copy_project, edit
from masterplan_kit.serve import serve

EK = "pillars/governance/programmes/e-kelurahan.yml"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _wait(predicate, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_serve_rebuilds_and_survives_errors(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    stop, ready = threading.Event(), threading.Event()
    logs: list[str] = []
    thread = threading.Thread(target=serve, kwargs={"root": root, "port": 0, "log": logs.append, "stop": stop, "ready": ready},
                              daemon=True)
    thread.start()
    try:
        assert ready.wait(120)
        base = f"http://127.0.0.1:{ready.port}/"
        page = _get(base + "program/e-kelurahan.html")
        assert "e-Kelurahan" in page and "/__masterplan__/state" in page
        state = json.loads(_get(base + "__masterplan__/state"))

        edit(root, EK, "title: e-Kelurahan", "title: e-Kelurahan Plus")
        _wait(lambda: json.loads(_get(base + "__masterplan__/state"))["version"] > state["version"])
        assert "e-Kelurahan Plus" in _get(base + "program/e-kelurahan.html")

        edit(root, EK, "lead: diskominfo", "lead: diskominf")
        _wait(lambda: json.loads(_get(base + "__masterplan__/state"))["problems"] != [])
        page = _get(base + "program/e-kelurahan.html")
        assert "e-Kelurahan Plus" in page  # the last good build is still served
        assert "mp-serve-errors" in page and "E202" in page

        edit(root, EK, "lead: diskominf", "lead: diskominfo")
        _wait(lambda: json.loads(_get(base + "__masterplan__/state"))["problems"] == [])
        assert "mp-serve-errors" not in _get(base + "index.html")
    finally:
        stop.set()
        thread.join(30)
    assert not (root / "build" / "site").exists()  # the preview never touches the published site


# --- the preview server and watcher, on the small fixture ---------------------------------------

import http.client  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402

from conftest import copy_fixture  # noqa: E402
from masterplan_kit.serve import Preview, Watcher, host_allowed  # noqa: E402


@pytest.fixture
def preview(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, kwargs={"root": root, "port": 0, "log": lambda line: None, "stop": stop,
                                                    "ready": ready}, daemon=True)
    thread.start()
    assert ready.wait(120)
    yield root, ready.port
    stop.set()
    thread.join(30)


def _request(port: int, path: str, host: str | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


def test_only_requests_to_this_machine_are_answered(preview):
    _, port = preview
    for host in ["localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "app.localhost"]:
        assert _request(port, "/index.html", host) == 200, host
    for host in ["evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io"]:
        assert _request(port, "/index.html", host) == 421, host


@pytest.mark.parametrize("host,expected", [
    ("localhost:8000", True), ("LOCALHOST", True), ("127.0.0.1", True), ("[::1]:8000", True), ("10.0.0.5:8000", True),
    ("", True), ("rebind.attacker.example", False), ("localhost.attacker.example:8000", False), ("[::1", False),
])
def test_host_rule(host: str, expected: bool):
    assert host_allowed(host, "127.0.0.1") is expected


def test_odd_paths_are_answered(preview):
    _, port = preview
    assert _request(port, "/%00") == 400
    assert _request(port, "/a%00b.html") == 400
    assert _request(port, "/" + "x" * 300) == 404
    assert _request(port, "/" + "x" * 300 + "/index.html") == 404
    assert _request(port, "/../../../etc/passwd") == 404
    assert _request(port, "/index.html") == 200


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
def test_the_listen_backlog_holds_a_burst_of_requests(preview):
    _, port = preview
    listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    backlog = int(listing.split()[2])  # Send-Q of a listening socket: its backlog
    assert backlog >= 1000, listing


def test_a_burst_of_concurrent_requests_is_answered(preview):
    import concurrent.futures

    _, port = preview
    with concurrent.futures.ThreadPoolExecutor(100) as pool:
        statuses = list(pool.map(lambda _: _request(port, "/index.html"), range(1000)))
    assert statuses == [200] * 1000


def test_watcher_sees_sources_mkdocs_yml_and_new_folders(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    (root / "build").mkdir()
    watcher = Watcher(root)
    try:
        time.sleep(0.5)
        (root / "build" / "x.txt").write_text("x", encoding="utf-8")
        assert not watcher.wait(1.5)  # outputs are no sources
        edit(root, "pillars/governance/programmes/portal-warga.yml", "title: Portal Warga", "title: Portal Warga 2")
        assert watcher.wait(10)
        (root / "mkdocs.yml").write_text("site_name: Uji\n", encoding="utf-8")
        assert watcher.wait(10)
        (root / "templates" / "site").mkdir(parents=True)
        assert watcher.wait(10)
        time.sleep(0.5)
        (root / "templates" / "site" / "home.md.j2").write_text("# Beranda\n", encoding="utf-8")
        assert watcher.wait(10)  # the new folder is watched too
    finally:
        watcher.close()


def test_a_conversion_that_does_not_finish_is_reported(tmp_path: Path, monkeypatch):
    from masterplan_kit.render import pandoc

    root = copy_fixture(tmp_path / "kota")
    edit(root, "pillars/governance/programmes/portal-warga.yml", "  Portal Warga menyatukan",
         "  " + "<" * 8000 + "\n\n  Portal Warga menyatukan")
    monkeypatch.setenv(pandoc.TIMEOUT_ENV, "1")
    pandoc._CONVERTED.clear()
    lines: list[str] = []
    preview = Preview(root, lines.append)
    assert preview.rebuild() is False
    assert any("portal-warga.yml" in line and "did not finish within 1 s" in line for line in preview.problems), preview.problems
    assert lines == preview.problems
