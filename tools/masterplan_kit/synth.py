"""A synthetic but valid masterplan of any size, for benchmarks and tests."""

from __future__ import annotations

import random
from pathlib import Path

PILLARS = {
    "governance": ("Smart Governance", ["pelayanan-publik", "manajemen-birokrasi", "kebijakan-publik"]),
    "branding": ("Smart Branding", ["pariwisata", "bisnis", "wajah-kota"]),
    "economy": ("Smart Economy", ["industri", "kesejahteraan", "transaksi-keuangan"]),
    "living": ("Smart Living", ["tata-ruang", "kesehatan", "transportasi"]),
    "society": ("Smart Society", ["interaksi-masyarakat", "ekosistem-belajar", "keamanan"]),
    "environment": ("Smart Environment", ["proteksi-lingkungan", "sampah-limbah", "energi"]),
}
WORDS = (
    "layanan", "data", "warga", "kota", "digital", "terpadu", "sistem", "informasi", "pemantauan", "jaringan", "aplikasi",
    "kelurahan", "sekolah", "pasar", "sungai", "banjir", "energi", "sampah", "transportasi", "kesehatan", "usaha",
)
SOURCES = ["APBD", "APBD-Prov", "APBN", "DAK", "CSR", "KPBU", "hibah"]
N_OPD = 40
START, END = 2023, 2027


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_synthetic(root: Path, programmes: int = 2000, seed: int = 1, paragraphs: int = 2) -> Path:
    """Write a valid project with ``programmes`` programmes spread over the six pillars."""
    rng = random.Random(seed)
    (root / "masterplan" / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "masterplan" / "assets").mkdir(parents=True, exist_ok=True)
    chapters = [f"bab-{i:02d}" for i in range(1, 9)]
    (root / "masterplan" / "masterplan.yml").write_text(
        "city: Kota Contoh\ntitle: Masterplan Smart City Kota Contoh\n"
        f"period: {{start: {START}, end: {END}}}\nlanguage: id\n"
        "vision: Kota cerdas yang melayani.\nmissions: [Melayani warga., Membangun ekonomi.]\n"
        "volumes:\n"
        f"  - id: buku-1\n    title: 'Buku 1: Analisis'\n    contents: [{', '.join(chapters[:4])}]\n"
        f"  - id: buku-2\n    title: 'Buku 2: Masterplan'\n"
        f"    contents: [{', '.join(chapters[4:])}, pillars, roadmap, quick-wins, programme-matrix]\n"
        "  - id: buku-saku\n    title: Buku Saku\n    paper: A5\n    contents: [bab-01, quick-wins]\n",
        encoding="utf-8",
    )
    opds = [f"opd-{i:02d}" for i in range(N_OPD)]
    (root / "masterplan" / "opd.yml").write_text(
        "".join(f"- id: {o}\n  name: Dinas Contoh {i}\n  abbr: D{i}\n  kind: dinas\n" for i, o in enumerate(opds)),
        encoding="utf-8",
    )
    ids: list[str] = []
    for i in range(programmes):
        pillar = list(PILLARS)[i % 6]
        ids.append(f"program-{pillar[:3]}-{i:05d}")
    for order, (pid, (name, elements)) in enumerate(PILLARS.items(), 1):
        folder = root / "pillars" / pid / "programmes"
        folder.mkdir(parents=True, exist_ok=True)
        (root / "pillars" / pid / "pillar.yml").write_text(
            f"name: {name}\norder: {order}\ndefinition: Definisi pilar {name}.\nelements:\n"
            + "".join(f"  - id: {e}\n    name: {e.replace('-', ' ').title()}\n" for e in elements),
            encoding="utf-8",
        )
        (root / "pillars" / pid / "index.md").write_text(
            f"## Kondisi\n\n{_sentence(rng, 30)}\n\n## Strategi\n\n{_sentence(rng, 30)}\n", encoding="utf-8")
    for i, pid_ in enumerate(ids):
        pillar = list(PILLARS)[i % 6]
        elements = PILLARS[pillar][1]
        k = i // 6  # the programme's place in its pillar: elements, kinds … spread over the pillar
        lead = opds[i % N_OPD]
        partners = sorted({opds[(i * 7 + k) % N_OPD] for k in range(1, 3)} - {lead})
        years = list(range(START + rng.randrange(3), END + 1))
        budget = "".join(
            f"  - {{year: {y}, amount: {rng.randrange(1, 500) * 10_000_000}, source: {rng.choice(SOURCES)}}}\n"
            for y in years
        )
        targets = ", ".join(f"{y}: {10 * (k + 1)}" for k, y in enumerate(years))
        actuals = f"\n    actuals: {{{years[0]}: 8}}" if rng.random() < 0.5 else ""
        related = [ids[(i + 6) % len(ids)]] if len(ids) > 6 else []
        desc = "\n\n".join(_sentence(rng, 40) for _ in range(paragraphs)).replace("\n", "\n  ")
        (root / "pillars" / pillar / "programmes" / f"{pid_}.yml").write_text(
            f"title: Program {pid_.split('-')[-1]} {_sentence(rng, 3)[:-1]}\n"
            f"summary: {_sentence(rng, 12)}\n"
            f"description: |\n  {desc}\n"
            f"element: {elements[k % 3]}\nlead: {lead}\npartners: [{', '.join(partners)}]\n"
            f"kind: {['infrastruktur', 'suprastruktur', 'infostruktur'][(k // 3) % 3]}\n"
            f"quick_win: {'true' if i % 5 == 0 else 'false'}\npriority: {['high', 'medium', 'low'][(k + i) % 3]}\n"
            f"status: {['planned', 'ongoing', 'done'][(k // 2) % 3]}\nyears: [{', '.join(map(str, years))}]\n"
            f"budget:\n{budget}"
            f"kpis:\n  - indicator: Indikator {_sentence(rng, 5)[:-1]}\n    unit: '%'\n"
            f"    baseline: {{year: {START - 1}, value: 5}}\n    targets: {{{targets}}}{actuals}\n"
            + (f"related: [{', '.join(related)}]\n" if related else ""),
            encoding="utf-8",
        )
    for n, cid in enumerate(chapters):
        pillar = list(PILLARS)[n % 6]
        body = "\n\n".join(
            f"## Bagian {k + 1}\n\n{_sentence(rng, 60)} Lihat [program]"
            f"(programme:{ids[(n * 13 + k) % len(ids)]}) dan [pilar](pillar:{pillar}).\n\n{_sentence(rng, 50)}"
            for k in range(paragraphs + 2)
        ) if ids else _sentence(rng, 50)
        (root / "masterplan" / "chapters" / f"{cid}.md").write_text(
            f"---\ntitle: Bab {n + 1} {_sentence(rng, 2)[:-1]}\nfront: {'true' if n == 0 else 'false'}\n---\n\n"
            f"{body}\n\n::: {{.programmes pillar={pillar} quick_win=true}}\n:::\n",
            encoding="utf-8",
        )
    return root
