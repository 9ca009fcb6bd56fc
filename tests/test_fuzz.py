"""Property tests: whatever a person writes, the validator reports it and never crashes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import copy_project
from masterplan_kit.cli import app
from masterplan_kit.pipeline import load_and_check

_BASE = Path(tempfile.mkdtemp(prefix="masterplan-fuzz-"))
copy_project(_BASE / "p")
ROOT = _BASE / "p"
FILES = sorted(
    [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file() and p.suffix in (".yml", ".md")]
)
ORIGINAL = {rel: (ROOT / rel).read_bytes() for rel in FILES}

# text fragments that tend to break YAML, Markdown or the model
NASTY = [
    "\n", ":", ": ", "- ", "  ", "\t", "{", "}", "[", "]", "&a", "*a", "!!python/object:x", "!tag", "<<: ",
    "---\n", "...", "'", '"', "|", ">", "#", "%YAML 1.1\n", "? ", "null", "~", "true", "0x1F", "1e9",
    "-1", "2099", "é", "\u2028", "\x00", "\ufeff", "](programme:", "](opd:x)", "::: {.programmes pillar=", ":::",
    "![x](/etc/passwd)", "![x](http://a/b.png)", "<script>", "title:", "years:", "kpis:", "lead: ",
]


def mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    for op, at, arg in ops:
        kind = 2 if not data and op != 2 else op
        pos = at % (len(data) + 1)
        if kind == 0:  # delete a span
            data = data[:pos] + data[pos + arg % 40:]
        elif kind == 1:  # replace one byte
            data = data[:pos] + bytes([arg % 256]) + data[pos + 1:]
        elif kind == 2:  # insert a nasty fragment
            data = data[:pos] + NASTY[arg % len(NASTY)].encode("utf-8") + data[pos:]
        elif kind == 3:  # duplicate a line
            lines = data.split(b"\n")
            i = pos % len(lines)
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        else:  # truncate
            data = data[:pos]
    return data


def _check_never_crashes(rel: str, new: bytes) -> None:
    path = ROOT / rel
    try:
        path.write_bytes(new)
        _, report = load_and_check(ROOT)
        text = report.to_text()
        for line in text.splitlines():
            head = line.split(": ", 1)[0]
            assert head.count(":") >= 2, line  # path:line:col
    finally:
        path.write_bytes(ORIGINAL[rel])


ops = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rel=st.sampled_from(FILES), ops=ops)
def test_random_mutations_never_crash(rel: str, ops):
    _check_never_crashes(rel, mutate(ORIGINAL[rel], ops))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "summary", "element", "lead", "kind", "status", "years", "budget", "kpis",
                         "targets", "year", "amount", "value", "id", "name", "related", "x"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None)
@given(data=json_values, rel=st.sampled_from([f for f in FILES if f.endswith(".yml")]))
def test_arbitrary_yaml_values_never_crash(data, rel):
    _check_never_crashes(rel, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@settings(max_examples=15, deadline=None)
@given(rel=st.sampled_from(FILES), ops=ops)
def test_cli_exit_status_is_0_or_1(rel, ops):
    path = ROOT / rel
    try:
        path.write_bytes(mutate(ORIGINAL[rel], ops))
        result = CliRunner().invoke(app, ["validate", str(ROOT)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
    finally:
        path.write_bytes(ORIGINAL[rel])


def teardown_module() -> None:
    shutil.rmtree(_BASE, ignore_errors=True)
