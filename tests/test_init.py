"""``masterplan init``: a new city's repository that validates (warnings only for its examples) and
builds, refuses to overwrite, rejects bad options, keeps the city name as data, and takes template
updates through ``copier update`` without losing the city's edits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, install_wheel, run_process
from masterplan_kit import __version__
from masterplan_kit.pipeline import load_and_check

KUKAR = ("--city", "Kabupaten Kutai Kartanegara", "--province", "Kalimantan Timur", "--region-code", "6402",
         "--period", "2025-2029")

# The six dimensions and their elements (ids and Indonesian names), as the Kominfo guide has them.
ELEMENTS = {
    "governance": {"pelayanan-publik": "Pelayanan Publik", "manajemen-birokrasi": "Manajemen Birokrasi yang Efisien",
                   "kebijakan-publik": "Efisiensi Kebijakan Publik"},
    "branding": {"pariwisata": "Ekosistem Pariwisata", "bisnis": "Ekosistem Bisnis Daerah",
                 "wajah-kota": "Penataan Wajah Kota"},
    "economy": {"industri": "Ekosistem Industri", "kesejahteraan": "Kesejahteraan Rakyat",
                "transaksi-keuangan": "Ekosistem Transaksi Keuangan"},
    "living": {"tata-ruang": "Harmonisasi Tata Ruang", "kesehatan": "Prasarana Kesehatan",
               "transportasi": "Sarana Transportasi"},
    "society": {"interaksi-masyarakat": "Interaksi Masyarakat", "ekosistem-belajar": "Ekosistem Belajar",
                "keamanan": "Sistem Keamanan Masyarakat"},
    "environment": {"proteksi-lingkungan": "Proteksi Lingkungan", "sampah-limbah": "Tata Kelola Sampah dan Limbah",
                    "energi": "Tata Kelola Energi"},
}
CHAPTERS = {"kata-pengantar", "pendahuluan", "profil-kota", "kesiapan-daerah", "analisis-swot", "isu-strategis",
            "visi-misi", "tata-kelola", "pembiayaan", "monitoring-evaluasi", "ringkasan"}


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def kukar(tmp_path: Path, cli) -> Path:
    done = cli("init", tmp_path / "kukar", *KUKAR)
    assert done.exit_code == 0, done.output
    return tmp_path / "kukar"


def test_new_city_validates_with_warnings_only_for_the_examples(kukar: Path):
    project, report = load_and_check(kukar)
    assert not report.errors(), report.to_text()
    examples = sorted(p.id for p in project.programmes)
    assert [d.code for d in report.items] == ["W407"] * 6, report.to_text()
    assert sorted(d.path for d in report.items) == sorted(p.origin.path for p in project.programmes)
    assert len(examples) == 6 and all(i.startswith("contoh-") for i in examples)
    assert sorted(p.pillar for p in project.programmes) == sorted(ELEMENTS)
    for p in project.programmes:
        assert p.title.startswith("Contoh:")
        assert "# CONTOH" in (kukar / p.origin.path).read_text(encoding="utf-8")
        assert p.years == list(range(2025, 2030)) and p.kpis and p.budget


def test_new_city_has_the_six_pillars_chapters_and_starter_opd(kukar: Path):
    project, _ = load_and_check(kukar)
    assert {p.id: {e.id: e.name for e in p.elements} for p in project.pillars} == ELEMENTS
    assert all(p.definition and p.aliases for p in project.pillars)
    for pid in ELEMENTS:
        narrative = (kukar / "pillars" / pid / "index.md").read_text(encoding="utf-8")
        assert "Panduan penulisan" in narrative and "## Sasaran 2029" in narrative
    assert set(project.chapters) == CHAPTERS
    for chapter in CHAPTERS:
        text = (kukar / "masterplan" / "chapters" / f"{chapter}.md").read_text(encoding="utf-8").lower()
        assert "panduan penulisan" in text
        assert not re.search(r"\b(lorem|ipsum|todo|tbd|fixme)\b", text), chapter
    opds = _yaml(kukar / "masterplan" / "opd.yml")
    ids = {o["id"] for o in opds}
    assert {"diskominfo", "bappeda", "dinkes", "dpmd"} <= ids and len(ids) >= 25
    assert all(o["verified"] is False for o in opds)


def test_new_city_edition(kukar: Path):
    edition = _yaml(kukar / "masterplan" / "masterplan.yml")
    assert edition["city"] == "Kabupaten Kutai Kartanegara"
    assert edition["province"] == "Kalimantan Timur"
    assert edition["region_code"] == "6402"
    assert edition["period"] == {"start": 2025, "end": 2029}
    assert [v["id"] for v in edition["volumes"]] == ["buku-1", "buku-2", "buku-saku"]
    assert [v["title"] for v in edition["volumes"]] == ["Buku 1: Analisis Strategis", "Buku 2: Masterplan Smart City",
                                                       "Buku Saku Smart City"]
    assert edition["licence"] == {"content": "CC-BY-4.0", "data": "CC-BY-4.0"}
    assert edition["signature"]["office"] == "Bupati Kutai Kartanegara"
    assert edition["signature"]["name"] == "" and "nip" not in edition["signature"]  # an elected head has no NIP
    assert (kukar / "masterplan" / edition["logo"]).read_text(encoding="utf-8").startswith("<svg")
    assert _yaml(kukar / "mkdocs.yml")["site_name"] == "Masterplan Smart City Kabupaten Kutai Kartanegara"


def test_new_city_repository_files(kukar: Path):
    workflow = _yaml(kukar / ".github" / "workflows" / "masterplan.yml")
    assert set(workflow["jobs"]) == {"validate", "site", "deploy"}
    steps = [s.get("run", "") for s in workflow["jobs"]["site"]["steps"]]
    assert "masterplan build all" in steps
    assert any("deploy-pages" in s.get("uses", "") for s in workflow["jobs"]["deploy"]["steps"])
    gitlab = _yaml(kukar / ".gitlab-ci.yml")
    assert "masterplan validate" in gitlab["validate"]["script"]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    hooks = [h["id"] for repo in _yaml(kukar / ".pre-commit-config.yaml")["repos"] for h in repo["hooks"]]
    hook_ids = [h["id"] for h in _yaml(REPO / ".pre-commit-hooks.yaml")]
    assert hooks == ["masterplan-validate"] and hooks[0] in hook_ids
    ignored = (kukar / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/build/" in ignored and "/.venv/" in ignored
    assert f"masterplan=={__version__}" in (kukar / "requirements.txt").read_text(encoding="utf-8").splitlines()
    readme = (kukar / "README.md").read_text(encoding="utf-8")
    for command in ("pip install -r requirements.txt", "masterplan validate", "masterplan build all",
                    "masterplan serve", "masterplan sheet export", "masterplan sheet import", "copier update"):
        assert command in readme, command
    for heading in ("## Memasang toolkit", "## Susunan folder", "## Menerbitkan", "## Memperbarui templat"):
        assert heading in readme
    answers = _yaml(kukar / ".copier-answers.yml")
    assert answers["_commit"] == f"v{__version__}" and answers["city"] == "Kabupaten Kutai Kartanegara"
    assert (kukar / "schemas" / "programme.schema.json").is_file()


def test_kota_and_kabupaten_wording(tmp_path: Path, cli):
    assert cli("init", tmp_path / "smd", "--city", "Kota Samarinda", "--region-code", "6472").exit_code == 0
    edition = _yaml(tmp_path / "smd" / "masterplan" / "masterplan.yml")
    assert edition["signature"]["office"] == "Wali Kota Samarinda" and edition["signature"]["place"] == "Samarinda"
    assert "province" not in edition
    intro = (tmp_path / "smd" / "masterplan" / "chapters" / "pendahuluan.md").read_text(encoding="utf-8")
    assert "Peraturan Wali Kota Samarinda tentang Masterplan Smart City Kota Samarinda" in " ".join(intro.split())
    assert "dpmd" not in {o["id"] for o in _yaml(tmp_path / "smd" / "masterplan" / "opd.yml")}


RANKS = ["Undang-Undang", "Peraturan Pemerintah", "Peraturan Presiden", "Peraturan Menteri",
         "Peraturan Daerah Provinsi", "Peraturan Daerah Kabupaten", "Peraturan Bupati"]


def test_dasar_hukum_follows_the_legal_hierarchy(kukar: Path):
    intro = (kukar / "masterplan" / "chapters" / "pendahuluan.md").read_text(encoding="utf-8")
    section = intro.split("## Dasar Hukum")[1].split("\n## ")[0]
    items = [" ".join(m.split()) for m in re.findall(r"^\d+\. (.+?)(?=^\d+\. |\Z)", section, re.M | re.S)]
    ranks = [next(i for i, r in enumerate(RANKS) if item.startswith(r)) for item in items]
    assert ranks == sorted(ranks) and set(ranks) == set(range(len(RANKS))), items
    for rank in set(ranks):
        years = [int(y) for item, r in zip(items, ranks, strict=True) if r == rank
                 for y in re.findall(r"Tahun (\d{4}) tentang", item)]
        assert years == sorted(years), items
    assert items[-1].startswith("Peraturan Bupati Kutai Kartanegara tentang Masterplan Smart City")


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path, cli):
    target = tmp_path / "kota"
    target.mkdir()
    (target / "catatan.txt").write_text("milik tim\n", encoding="utf-8")
    done = cli("init", target, "--city", "Kota Samarinda")
    assert done.exit_code == 1
    assert f"'{target}' is not empty" in done.output and "--force" in done.output
    assert _files(target) == {"catatan.txt": b"milik tim\n"}


def test_a_folder_holding_only_git_counts_as_empty(tmp_path: Path, cli):
    target = tmp_path / "kota"
    (target / ".git").mkdir(parents=True)
    done = cli("init", target, "--city", "Kota Samarinda")
    assert done.exit_code == 0, done.output
    assert (target / "masterplan" / "masterplan.yml").is_file()


def test_force_never_overwrites(tmp_path: Path, cli):
    target = tmp_path / "kota"
    (target / "masterplan").mkdir(parents=True)
    ours = {"README.md": b"# Catatan kami\n", "masterplan/opd.yml": b"- {id: a, name: A, kind: dinas}\r\n"}
    for rel, data in ours.items():
        (target / rel).write_bytes(data)
    done = cli("init", target, "--city", "Kota Samarinda", "--force")
    assert done.exit_code == 0, done.output
    assert {rel: (target / rel).read_bytes() for rel in ours} == ours
    for rel in ours:
        assert f"skipped {target / rel}" in done.output
    assert (target / "masterplan" / "masterplan.yml").is_file() and (target / ".gitignore").is_file()


def test_force_writes_nothing_through_a_symlinked_folder(tmp_path: Path, cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "kota"
    target.mkdir()
    (target / "pillars").symlink_to(outside, target_is_directory=True)
    done = cli("init", target, "--city", "Kota Samarinda", "--force")
    assert done.exit_code == 0, done.output
    assert not any(outside.iterdir())
    assert f"skipped {target / 'pillars' / 'governance' / 'pillar.yml'}" in done.output


@pytest.mark.parametrize("options, fragment", [
    (("--region-code", "64.02"), "dotted"),
    (("--region-code", "64021"), "not a BPS region code"),
    (("--region-code", "enam"), "not a BPS region code"),
    (("--period", "2029-2025"), "ends before it starts"),
    (("--period", "2025"), "not two years"),
    (("--period", "25-29"), "not two years"),
    (("--city", ""), "--city is empty"),
    (("--city", "   "), "--city is empty"),
    (("--city", "Samarinda"), "must begin with 'Kota' or 'Kabupaten'"),
    (("--city", "Kota Samarinda\nBaru"), "control characters"),
    (("--region-code", "٦٤٠٢"), "not a BPS region code"),
    (("--period", "٢٠٢٥-٢٠٢٩"), "not two years"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, cli, options, fragment):
    args = {"--city": "Kota Samarinda", "--region-code": "6472", "--period": "2025-2029"}
    args.update(dict([options]))
    done = cli("init", tmp_path / "kota", *[x for kv in args.items() for x in kv])
    assert done.exit_code == 2, done.output
    assert fragment in done.output
    assert not (tmp_path / "kota").exists()


MARKDOWN_NAME = "Kota `Tepian` <script>x</script> ![a](http://contoh.invalid/a.png) [b](javascript:x) @c $d$ \\"


@pytest.mark.parametrize("name", ["Kota \"Tepian\": Mahakam 'Baru'", "Kabupaten {{ 7 * 7 }} # {% raw %}", MARKDOWN_NAME])
def test_city_name_is_data(tmp_path: Path, cli, name: str):
    done = cli("init", tmp_path / "kota", "--city", name, "--province", name.replace("Kota", "Provinsi"))
    assert done.exit_code == 0, done.output
    edition = _yaml(tmp_path / "kota" / "masterplan" / "masterplan.yml")
    assert edition["city"] == name
    assert edition["title"] == f"Masterplan Smart City {name}"
    assert edition["signature"]["office"].endswith(name.split(" ", 1)[1])
    assert _yaml(tmp_path / "kota" / "mkdocs.yml")["site_name"] == f"Masterplan Smart City {name}"
    assert _yaml(tmp_path / "kota" / ".copier-answers.yml")["city"] == name
    assert name in (tmp_path / "kota" / "README.md").read_text(encoding="utf-8")
    _, report = load_and_check(tmp_path / "kota")
    assert not report.errors(), report.to_text()


# --- template updates -------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Tim", "GIT_AUTHOR_EMAIL": "tim@example.org",
           "GIT_COMMITTER_NAME": "Tim", "GIT_COMMITTER_EMAIL": "tim@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_copier_update_keeps_the_city_edits(tmp_path: Path, cli):
    # the toolkit's repository as Copier reads it: copier.yml at the root, the template in templates/init/
    toolkit = tmp_path / "toolkit"
    shutil.copytree(REPO / "templates" / "init", toolkit / "templates" / "init")
    shutil.copy(REPO / "copier.yml", toolkit / "copier.yml")
    _git(toolkit, "init", "-q")
    _git(toolkit, "add", "-A")
    _git(toolkit, "commit", "-qm", "release")
    _git(toolkit, "tag", f"v{__version__}")

    city = tmp_path / "kukar"
    done = cli("init", city, *KUKAR, "--toolkit-repo", str(toolkit))
    assert done.exit_code == 0, done.output
    assert _yaml(city / ".copier-answers.yml")["_src_path"] == str(toolkit)
    _git(city, "init", "-q")
    _git(city, "add", "-A")
    _git(city, "commit", "-qm", "masterplan baru")
    profil = city / "masterplan" / "chapters" / "profil-kota.md"
    example = city / "pillars" / "governance" / "programmes" / "contoh-perencanaan-penganggaran-elektronik.yml"
    ours = "Kutai Kartanegara terletak di tepi Sungai Mahakam dengan 20 kecamatan.\n"
    text = profil.read_text(encoding="utf-8")
    start = text.index("::: note", text.index("## Gambaran Umum"))
    profil.write_text(text[:start] + ours + text[text.index(":::\n", start) + 4:], encoding="utf-8")
    example.unlink()
    _git(city, "add", "-A")
    _git(city, "commit", "-qm", "profil daerah")

    # a later release changes the chapter the city edited (elsewhere in it) and the README
    template = toolkit / "templates" / "init" / "project"
    _edit(template / "masterplan" / "chapters" / "profil-kota.md.jinja", "yang sudah ada.\n",
          "yang sudah ada, beserta tahun mulai dan OPD pengelolanya.\n")
    _edit(template / "README.md.jinja", "## Memasang toolkit\n",
          "## Bantuan\n\nTanyakan tim smart city.\n\n## Memasang toolkit\n")
    _git(toolkit, "commit", "-qam", "next release")
    parts = __version__.split(".")
    newer = ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
    _git(toolkit, "tag", f"v{newer}")

    done = run_process(sys.executable, "-m", "copier", "update", "--defaults", "--data", f"toolkit_version={newer}",
                       cwd=city)
    assert done.returncode == 0, done.stdout + done.stderr
    text = profil.read_text(encoding="utf-8")
    assert ours in text
    assert "beserta tahun mulai dan OPD pengelolanya." in text
    assert "## Bantuan" in (city / "README.md").read_text(encoding="utf-8")
    assert not example.exists()
    assert (city / "schemas" / "programme.schema.json").is_file()
    answers = _yaml(city / ".copier-answers.yml")
    assert answers["_commit"] == f"v{newer}" and answers["toolkit_version"] == newer
    assert f"@v{newer}" in (city / "requirements.txt").read_text(encoding="utf-8")
    assert not list(city.rglob("*.rej"))
    assert "<<<<<<<" not in _git(city, "diff")
    _, report = load_and_check(city)
    assert not report.errors(), report.to_text()


# --- the installed package alone -------------------------------------------------------------------------


def test_installed_wheel_inits_validates_and_builds(wheel: Path, tmp_path: Path):
    bin_dir = install_wheel(wheel, tmp_path / "venv")
    city = tmp_path / "kukar"
    done = run_process(bin_dir / "masterplan", "init", city, *KUKAR, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (city / ".github" / "workflows" / "masterplan.yml").is_file()  # dotfiles ship in the wheel
    done = run_process(bin_dir / "masterplan", "validate", cwd=city)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {line.split(": ")[1] for line in done.stdout.splitlines()} == {"warning[W407]"}, done.stdout
    done = run_process(bin_dir / "masterplan", "build", "all", cwd=city)
    assert done.returncode == 0, done.stdout + done.stderr
    out = city / "build"
    assert (out / "site" / "index.html").is_file()
    assert sorted(p.name for p in (out / "pdf").glob("*.pdf")) == ["buku-1.pdf", "buku-2.pdf", "buku-saku.pdf"]
    assert sorted(p.name for p in (out / "docx").glob("*.docx")) == ["buku-1.docx", "buku-2.docx", "buku-saku.docx"]
    assert (out / "data" / "programmes.json").is_file()


@pytest.mark.parametrize("existing", [False, True])
def test_stopped_midway_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch, existing: bool):
    """Ctrl+C (or a full disk) while the files are created: those created so far are removed again."""
    from masterplan_kit import init as init_mod

    target = tmp_path / "kota"
    if existing:
        target.mkdir()
        (target / "README.md").write_text("milik tim\n", encoding="utf-8")
    real_fdopen = init_mod.os.fdopen
    calls: list[int] = []

    def interrupted(fd, *args, **kwargs):
        calls.append(fd)
        if len(calls) == 12:
            os.close(fd)
            raise KeyboardInterrupt
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(init_mod.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        init_mod.init_city(target, init_mod.Answers.from_options("Kota Samarinda"), force=existing)
    assert len(calls) == 12
    if existing:
        assert [p.name for p in target.iterdir()] == ["README.md"]
        assert (target / "README.md").read_text(encoding="utf-8") == "milik tim\n"
    else:
        assert not target.exists()


@pytest.mark.parametrize("address", ["x: y # z", "{{ 7 * 7 }}", "--extra-index-url https://contoh.invalid",
                                     "https://contoh.invalid/a b", "relative/path"])
def test_a_toolkit_repo_that_is_not_a_git_address(tmp_path: Path, cli, address: str):
    done = cli("init", tmp_path / "kota", "--city", "Kota Samarinda", "--toolkit-repo", address)
    assert done.exit_code == 2, done.output
    assert f"error: --toolkit-repo '{address}' is not a git address" in done.output
    assert not (tmp_path / "kota").exists()
