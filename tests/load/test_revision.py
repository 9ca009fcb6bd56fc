import os
from pathlib import Path

import pytest

from diff.planted import commit_all, git, planted_repo, write_base
from masterplan_kit.load.revision import SideError, open_side


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    planted_repo(tmp_path / "repo")
    return tmp_path / "repo"


def test_a_revision_is_read_without_touching_the_work_tree(repo: Path, tmp_path: Path):
    (repo / "masterplan/chapters/bab-01.md").write_text("---\ntitle: Belum disimpan\n---\n", encoding="utf-8")
    before = git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    side = open_side("HEAD~1", repo, scratch)
    assert side.root == scratch and side.shown == "HEAD~1:"
    assert side.revision == git(repo, "rev-parse", "HEAD~1").strip()
    assert (scratch / "pillars/governance/programmes/pilot-lama.yml").is_file()
    assert not (scratch / "pillars/economy/programmes/layanan-baru.yml").exists()
    assert "Belum disimpan" not in (scratch / "masterplan/chapters/bab-01.md").read_text(encoding="utf-8")
    assert (git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD")) == before


def test_only_the_sources_are_read(repo: Path, tmp_path: Path):
    (repo / "notes.txt").write_text("bukan sumber\n", encoding="utf-8")
    commit_all(repo, "catatan")
    (tmp_path / "scratch").mkdir()
    side = open_side("HEAD", repo, tmp_path / "scratch")
    assert sorted(p.name for p in side.root.iterdir()) == ["masterplan", "pillars"]


def test_a_project_in_a_subfolder(tmp_path: Path):
    repo = tmp_path / "repo"
    planted_repo(repo, "kota")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    side = open_side("v2024.1", repo / "kota" / "pillars", scratch)
    assert side.shown == "v2024.1:kota/" and side.root == scratch / "kota"
    assert (side.root / "pillars/economy/programmes/layanan-baru.yml").is_file()


def test_a_folder_side(tmp_path: Path):
    write_base(tmp_path / "edisi")
    side = open_side(str(tmp_path / "edisi"), tmp_path, tmp_path)
    assert side.root == (tmp_path / "edisi").resolve() and side.revision is None
    assert side.shown == f"{tmp_path / 'edisi'}/"


def test_symbolic_links_stay_links(repo: Path, tmp_path: Path):
    os.symlink("/etc/hostname", repo / "masterplan/chapters/tautan.md")
    commit_all(repo, "tautan")
    side = open_side("HEAD", repo, tmp_path)
    link = side.root / "masterplan/chapters/tautan.md"
    assert link.is_symlink() and os.readlink(link) == "/etc/hostname"


@pytest.mark.parametrize("spec", ["HEAD~5", "no-such-branch", "--output=x", "v9"])
def test_unknown_revisions(repo: Path, tmp_path: Path, spec: str):
    with pytest.raises(SideError, match="unknown revision"):
        open_side(spec, repo, tmp_path)


def test_a_revision_outside_a_repository(tmp_path: Path):
    write_base(tmp_path / "edisi")
    with pytest.raises(SideError, match="not in a git repository"):
        open_side("HEAD", tmp_path / "edisi", tmp_path / "scratch")


def test_a_folder_without_a_project(tmp_path: Path):
    (tmp_path / "kosong").mkdir()
    with pytest.raises(SideError, match="holds no masterplan"):
        open_side(str(tmp_path / "kosong"), tmp_path, tmp_path)


def test_a_revision_without_a_project(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("awal\n", encoding="utf-8")
    commit_all(repo, "awal")
    write_base(repo)
    commit_all(repo, "edisi")
    with pytest.raises(SideError, match="has no masterplan"):
        open_side("HEAD~1", repo, tmp_path / "scratch")


def _commit_with_extra(repo: Path, entries: str, message: str) -> str:
    """A commit whose pillars/ tree also holds ``entries`` (mktree lines), made without a work tree,
    as a hostile repository may hold them."""
    pillars = git(repo, "ls-tree", "HEAD:pillars")
    tree = git(repo, "mktree", data=pillars + entries).strip()
    root = "".join(line + "\n" for line in git(repo, "ls-tree", "HEAD").splitlines() if not line.endswith("\tpillars"))
    root_tree = git(repo, "mktree", data=root + f"040000 tree {tree}\tpillars\n").strip()
    return git(repo, "commit-tree", root_tree, "-p", "HEAD", "-m", message).strip()


def test_a_file_under_a_link_is_never_written_through_it(repo: Path, tmp_path: Path):
    """A tree holding a link 'evil' and a folder 'evil' (or 'Evil' on a case-insensitive disk) would
    have the file under the folder written where the link leads."""
    outside = tmp_path / "outside"
    outside.mkdir()
    link = git(repo, "hash-object", "-w", "--stdin", data=str(outside)).strip()
    blob = git(repo, "hash-object", "-w", "--stdin", data="ditulis: di luar\n").strip()
    folder = git(repo, "mktree", data=f"100644 blob {blob}\tx.yml\n").strip()
    commit = _commit_with_extra(repo, f"120000 blob {link}\tevil\n040000 tree {folder}\tevil\n", "hostile")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(SideError, match=r"inside a link or a file of the same name"):
        open_side(commit, repo, scratch)
    assert list(outside.iterdir()) == []


def test_a_large_blob_is_not_read_but_reported_by_the_loader(repo: Path, tmp_path: Path):
    from masterplan_kit.load.sources import MAX_BYTES
    from masterplan_kit.pipeline import load_and_check

    rel = "pillars/governance/programmes/besar.yml"
    (repo / rel).write_text("#" * (MAX_BYTES + 10), encoding="utf-8")
    commit_all(repo, "besar")
    (repo / rel).unlink()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    side = open_side("HEAD", repo, scratch)
    placed = (side.root / rel).stat()
    assert placed.st_size == MAX_BYTES + 10
    assert placed.st_blocks * 512 < MAX_BYTES  # a placeholder of that size: the blob was never read
    _, report = load_and_check(side.root)
    assert [d.code for d in report.errors() if d.path == rel] == ["E003"]


@pytest.mark.parametrize(("spec", "fragment"), [
    ("", "an empty revision"),
    ("  ", "an empty revision"),
    ("HEAD^{tree}", "names a tree, not a commit"),
    ("HEAD:masterplan/masterplan.yml", "names a blob, not a commit"),
])
def test_revisions_that_are_not_commits(repo: Path, tmp_path: Path, spec: str, fragment: str):
    with pytest.raises(SideError, match=fragment):
        open_side(spec, repo, tmp_path)
