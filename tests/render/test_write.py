"""Writing outputs: atomic replacement, leftovers of an interrupted build, folders the tool owns."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterplan_kit.render.write import MARKER, OutputFolderError, StagedDir, claim_output_folder


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path: Path):
    build = tmp_path / "build"
    (build / ".site.new.abc123" / "bab").mkdir(parents=True)
    (build / ".site.old" / "x").mkdir(parents=True)
    (build / ".data.old").mkdir()
    (build / "site").mkdir()
    with StagedDir(build / "site") as tmp:
        (tmp / "index.html").write_text("baru", encoding="utf-8")
    with StagedDir(build / "data") as tmp:
        (tmp / "programmes.json").write_text("{}", encoding="utf-8")
    assert sorted(p.name for p in build.iterdir()) == ["data", "site"]
    assert (build / "site" / "index.html").read_text(encoding="utf-8") == "baru"


def test_a_failed_staged_build_leaves_the_old_folder(tmp_path: Path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("lama", encoding="utf-8")
    with pytest.raises(RuntimeError), StagedDir(tmp_path / "site"):
        raise RuntimeError("gagal")
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "lama"


def test_a_new_or_empty_folder_is_claimed(tmp_path: Path):
    claim_output_folder(tmp_path / "baru")
    (tmp_path / "kosong").mkdir()
    claim_output_folder(tmp_path / "kosong")
    assert (tmp_path / "baru" / MARKER).is_file() and (tmp_path / "kosong" / MARKER).is_file()


def test_a_build_folder_of_an_earlier_version_is_claimed(tmp_path: Path):
    (tmp_path / "build" / ".cache").mkdir(parents=True)
    (tmp_path / "build" / ".cache" / "stamps.json").write_text("{}", encoding="utf-8")
    (tmp_path / "build" / "site").mkdir()
    claim_output_folder(tmp_path / "build")
    assert (tmp_path / "build" / MARKER).is_file()


@pytest.mark.parametrize("content", ["data", "site", "catatan.txt"])
def test_a_folder_holding_other_things_is_refused(tmp_path: Path, content: str):
    out = tmp_path / "out"
    out.mkdir()
    (out / content).mkdir() if "." not in content else (out / content).write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not empty"):
        claim_output_folder(out)
    assert not (out / MARKER).exists()


def test_a_file_is_no_output_folder(tmp_path: Path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is a file"):
        claim_output_folder(tmp_path / "out")
