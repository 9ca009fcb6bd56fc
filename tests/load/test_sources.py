from pathlib import Path

import pytest

from masterplan_kit.load.sources import MAX_BYTES, Source, SourceError, read_text


def test_reads_utf8(tmp_path: Path):
    f = tmp_path / "a.yml"
    f.write_text("title: Pelayanan Publik – daring\n", encoding="utf-8")
    assert read_text(tmp_path, f) == ("a.yml", "title: Pelayanan Publik – daring\n")


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
def test_byte_order_mark_refused(tmp_path: Path, bom: bytes):
    f = tmp_path / "a.yml"
    f.write_bytes(bom + b"title: x\n")
    with pytest.raises(SourceError) as exc:
        read_text(tmp_path, f)
    assert exc.value.code == "E002"


def test_invalid_utf8_located(tmp_path: Path):
    f = tmp_path / "a.yml"
    f.write_bytes(b"title: x\nsummary: caf\xe9 enak\n")  # Latin-1 e-acute
    with pytest.raises(SourceError) as exc:
        read_text(tmp_path, f)
    assert (exc.value.code, exc.value.line, exc.value.col) == ("E001", 2, 13)


def test_size_limit(tmp_path: Path):
    f = tmp_path / "a.yml"
    f.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(SourceError) as exc:
        read_text(tmp_path, f)
    assert exc.value.code == "E003"


def test_where_falls_back_to_enclosing_value():
    src = Source("a.yml", located=True, positions={(): (1, 1), ("kpis",): (5, 3)})
    assert src.where(("kpis", 2, "unit")).line == 5
    assert src.where(("nothing",)).line == 1
