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
