import pytest

from masterplan_kit.load.sources import Source, SourceError
from masterplan_kit.load.yamlsafe import parse


def load(text: str, locate: bool = False):
    src = Source("a.yml", text)
    return parse(src, locate=locate), src


def error(text: str) -> SourceError:
    with pytest.raises(SourceError) as exc:
        load(text)
    return exc.value


def test_plain_values():
    data, _ = load("a: 1\nb: 1.5\nc: true\nd: null\ne: teks\nf: '012'\ng: -0.5e3\nh: 2022-07-07\ni: [1, 2]\nj: FALSE\n")
    assert data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": "teks", "f": "012", "g": -500.0,
                    "h": "2022-07-07", "i": [1, 2], "j": False}


@pytest.mark.parametrize("plain", ["yes", "no", "on", "off", "Yes", "y", "n", "0x1F", "0o17", "017", "0b101", "1_000",
                                   "1:30", "190:20:30", ".inf", "-.inf", ".nan", ".NaN", "1,5", "Rp 1.000"])
def test_yaml_1_1_surprises_stay_text(plain: str):
    # YAML 1.1 reads these as booleans, octal, hexadecimal, sexagesimal or non-finite numbers
    data, _ = load(f"a: {plain}\n")
    assert data == {"a": plain}


def test_empty_document_is_none():
    assert load("# only a comment\n")[0] is None


def test_duplicate_key_is_an_error_with_both_lines():
    exc = error("title: a\nsummary: b\ntitle: c\n")
    assert (exc.code, exc.line, exc.col) == ("E007", 3, 1)
    assert "line 1" in exc.message


def test_duplicate_key_in_nested_mapping():
    exc = error("kpis:\n  - targets: {2023: 1, 2023: 2}\n")
    assert (exc.code, exc.line) == ("E007", 2)


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system 1\n",
    "a: !!python/name:os.system\n",
    "a: !custom 1\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
])
def test_tags_refused(text):
    exc = error(text)
    assert exc.code == "E005" and exc.line == 1


def test_anchor_and_alias_refused():
    assert error("a: &x 1\nb: *x\n").code == "E006"
    assert error("a: &x [1, 2]\n").code == "E006"
    assert error("a: &x {k: 1}\nb:\n  <<: *x\n").code == "E006"


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert error("\n".join(lines) + "\n").code == "E006"


def test_syntax_error_located():
    exc = error("title: x\nyears: [2023, 2024\nstatus: done\n")
    assert exc.code == "E004" and exc.line == 3


def test_control_character_is_a_yaml_error():
    assert error("title: a\x07b\n").code == "E004"


def test_complex_key_refused():
    assert error("? [a, b]\n: 1\n").code == "E004"


def test_positions_are_recorded_lazily():
    _data, src = load("title: x\nkpis:\n  - unit: '%'\n    targets: {2023: 40}\n")
    assert not src.located
    assert src.where(("kpis", 0, "unit")).line == 3
    assert src.located
    assert (src.where(("kpis", 0, "targets", 2023), key=True).line,
            src.where(("kpis", 0, "targets", 2023), key=True).col) == (4, 15)


def test_position_inside_block_scalar():
    text = "title: x\ndescription: |\n  Baris satu.\n  Lihat [x](programme:y) di sini.\n"
    data, src = load(text)
    offset = data["description"].index("programme:")
    loc = src.text_position(("description",), data["description"], offset)
    assert (loc.line, loc.col) == (4, 13)
