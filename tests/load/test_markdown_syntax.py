import pytest

from masterplan_kit.load.markdown_syntax import FrontMatterError, scan, split_front_matter


def test_front_matter_split():
    front, body, line = split_front_matter("---\ntitle: A\n---\n\nIsi.\n", required=True)
    assert front == "title: A\n"
    assert body == "\nIsi.\n"
    assert line == 4


def test_front_matter_missing_and_unclosed():
    with pytest.raises(FrontMatterError):
        split_front_matter("# Judul\n", required=True)
    with pytest.raises(FrontMatterError):
        split_front_matter("---\ntitle: A\n", required=True)
    assert split_front_matter("Isi\n", required=False) == (None, "Isi\n", 1)


def test_links_images_and_views_located():
    body = (
        "Lihat [e-Kelurahan](programme:e-kelurahan) dan [pilar](pillar:governance#sasaran).\n"
        "![Peta](assets/peta.png)\n"
        "\n"
        "::: {.programmes pillar=governance quick_win=true}\n"
        ":::\n"
        "[ref]: opd:diskominfo\n"
        "<chapter:pendahuluan>\n"
    )
    links, images, views = scan(body, "c.md", 10)
    assert [(l.scheme, l.target, l.fragment, l.where.line, l.where.col) for l in links] == [
        ("programme", "e-kelurahan", "", 10, 31),
        ("pillar", "governance", "sasaran", 10, 63),
        ("opd", "diskominfo", "", 15, 12),
        ("chapter", "pendahuluan", "", 16, 10),
    ]
    assert [(i.url, i.where.line) for i in images] == [("assets/peta.png", 11)]
    assert len(views) == 1
    assert views[0].kind == "programmes"
    assert views[0].attrs == {"pillar": "governance", "quick_win": "true"}
    assert views[0].where.line == 13


def test_code_is_not_scanned():
    body = "```\n[x](programme:nope)\n::: {.programmes pillar=nope}\n```\n`[y](programme:nope)`\n    [z](programme:nope)\n"
    links, images, views = scan(body, "c.md", 1)
    assert links == [] and views == []


def test_callout_div_is_a_view_of_unknown_kind():
    _, _, views = scan("::: note\nIsi\n:::\n", "c.md", 1)
    assert [v.kind for v in views] == ["note"]
