"""``masterplan serve --api``: the open data served read-only by datasette, and a clear error without it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import copy_fixture


def test_without_datasette_a_one_line_hint_and_exit_2(cli, small: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)  # makes `import datasette` fail
    result = cli("serve", "--api", "--path", small)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: masterplan serve --api needs datasette; install it with: pip install 'masterplan[api]'"]
    assert not (small / "build").exists()


def test_serve_api_stops_on_source_errors(cli, small: Path):
    yml = small / "pillars" / "governance" / "programmes" / "portal-warga.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("lead: diskominfo", "lead: diskominf"), encoding="utf-8")
    result = cli("serve", "--api", "--path", small)
    assert result.exit_code == 1 and "E202" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_api_builds_and_serves_the_database_read_only(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    port = _free_port()
    exe = Path(sys.executable).parent / "masterplan"
    proc = subprocess.Popen([str(exe), "serve", "--api", "--port", str(port), "--path", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{port}/masterplan/programmes.json?_shape=array&pillar=environment"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    rows = json.loads(r.read())
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.5)
        assert [r["id"] for r in rows] == ["pantau-sungai"]
        assert (root / "build" / "data" / "masterplan.db").is_file()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/databases.json", timeout=5) as r:
            databases = json.loads(r.read())
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("masterplan", False)]  # immutable, read-only
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_port_in_use_is_one_line_and_builds_nothing(cli, small: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli("serve", "--api", "--port", str(port), "--path", small)
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [f"error: cannot serve on 127.0.0.1:{port}: Address already in use"]
    assert not (small / "build").exists()


def test_port_0_serves_on_the_free_port_it_names(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    exe = Path(sys.executable).parent / "masterplan"
    proc = subprocess.Popen([str(exe), "serve", "--api", "--port", "0", "--path", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ}, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        while line and not line.startswith("serving "):
            line = proc.stdout.readline()
        port = int(line.rstrip().rstrip("/").rsplit(":", 1)[1])
        assert port != 0
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/databases.json", timeout=5) as r:
                    assert [d["name"] for d in json.loads(r.read())] == ["masterplan"]
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(30)
