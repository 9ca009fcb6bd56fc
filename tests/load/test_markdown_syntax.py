"""The one reader of the Markdown extensions: links, images and data views, with their positions."""

import pytest

from masterplan_kit.load.markdown_syntax import FrontMatterError, chapter_locator, parse, split_front_matter


def scan(body: str, path: str = "c.md", first: int = 1):
    doc = parse(body, chapter_locator(path, first))
    return doc


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
    doc = scan(body, "c.md", 10)
    assert [(l.scheme, l.target, l.fragment, l.where.line, l.where.col) for l in doc.links] == [
        ("programme", "e-kelurahan", "", 10, 31),
        ("pillar", "governance", "sasaran", 10, 63),
        ("opd", "diskominfo", "", 15, 12),
        ("chapter", "pendahuluan", "", 16, 10),
    ]
    assert [(i.url, i.where.line) for i in doc.images] == [("assets/peta.png", 11)]
    (view,) = doc.views
    assert (view.kind, view.attrs, view.where.line, view.first, view.last) == (
        "programmes", {"pillar": "governance", "quick_win": "true"}, 13, 3, 4)
    assert view.attr_where("quick_win").col == 36


def test_code_is_not_scanned():
    body = "```\n[x](programme:nope)\n::: {.programmes pillar=nope}\n```\n`[y](programme:nope)`\n\n    [z](programme:nope)\n"
    doc = scan(body)
    assert doc.links == [] and doc.views == [] and doc.problems == []


def test_a_callout_is_no_data_view():
    assert scan("::: note\nIsi\n:::\n").views == []


def test_the_word_form_is_a_data_view():
    (view,) = scan("::: programmes\n:::\n").views
    assert view.kind == "programmes" and view.attrs == {}


def test_a_near_miss_class_is_an_error():
    doc = scan("::: {.programme pillar=governance}\n:::\n")
    assert doc.views == []
    assert [(p.code, "did you mean '.programmes'" in p.message or "'programmes'" in p.message) for p in doc.problems] == [
        ("E209", True)]


def test_an_unclosed_view_is_an_error():
    doc = scan("Awal.\n\n::: {.roadmap}\n\nSisa dokumen.\n")
    assert [p.code for p in doc.problems] == ["E211"]
    assert doc.views == []


def test_unreadable_attributes_are_an_error():
    doc = scan("::: {.programmes pillar=}\n:::\n")
    assert [p.code for p in doc.problems] == ["E209"]


def test_a_view_inside_a_list_or_quote_is_an_error():
    for body in ("- ::: {.programmes}\n  :::\n", "> ::: {.roadmap}\n> :::\n"):
        assert [p.code for p in scan(body).problems] == ["E209"], body


def test_nested_divs_inside_a_view_are_part_of_it():
    doc = scan("::: {.kpis}\n::: note\nx\n:::\n:::\nSesudah [x](programme:a).\n")
    (view,) = doc.views
    assert (view.first, view.last) == (0, 4)
    assert [l.target for l in doc.links] == ["a"]


def test_uppercase_schemes_are_links():
    assert [(l.scheme, l.target) for l in scan("[x](PROGRAMME:e-kelurahan)\n").links] == [("programme", "e-kelurahan")]


def test_reference_style_and_raw_html_images():
    body = "![Logo][r1] dan ![r2]\n\n[r1]: http://contoh.id/x.png\n[r2]: ../assets/y.svg\n\n```{=html}\n<img src=\"z.png\">\n```\n"
    doc = scan(body)
    assert sorted(i.url for i in doc.images) == ["../assets/y.svg", "http://contoh.id/x.png", "z.png"]
    assert {i.url: i.where.line for i in doc.images}["http://contoh.id/x.png"] == 3


def test_an_indented_line_after_text_or_in_a_list_is_no_code():
    # pandoc: an indented code block cannot interrupt a paragraph, and indented lines continue a list item
    doc = scan("Teks\n    [a](programme:a)\n\n- butir\n\n    ![b](../../x.png)\n\n    [c](programme:c)\n")
    assert [link.target for link in doc.links] == ["a", "c"]
    assert [i.url for i in doc.images] == ["../../x.png"]


def test_links_and_images_spanning_lines():
    doc = scan("Lihat [program\nini](programme:alpha) dan ![peta\nkota](\n../x.png)\n")
    assert [(link.target, link.where.line) for link in doc.links] == [("alpha", 2)]
    assert [(i.url, i.where.line) for i in doc.images] == [("../x.png", 4)]


@pytest.mark.parametrize("body,url", [
    ("![a [b] c](../../etc/passwd)\n", "../../etc/passwd"),
    ("![Logo][R 1]\n\n> [r  1]: http://contoh.id/x.png\n", "http://contoh.id/x.png"),
    ("![Logo]\n\n- butir\n\n  [logo]:\n    ../../../x.png\n", "../../../x.png"),
    ("Teks <img\n  alt=\"x src=\" src='a/b.png'>\n", "a/b.png"),
    ("Teks <IMG SRC=c.png>\n", "c.png"),
    ("Teks <image src=\"d.png\">\n", "d.png"),
    ("Teks `<img src=\"e.png\">`{=html}\n", "e.png"),
])
def test_every_image_form_is_found(body: str, url: str):
    assert [i.url for i in scan(body).images] == [url]


def test_css_urls_in_style_attributes_are_an_image_error():
    doc = scan('<table><tr><td style="background-image:url(https://evil.example/x.png)">x</td></tr></table>\n')
    assert [p.code for p in doc.problems] == ["E208"]


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>\n", "Awal <style>\n\nrest\n", "<textarea>\n\nsisa\n", "```{=html}\n<iframe src=x>\n```\n",
    "x <svg onload=alert(1)>\n", "<TITLE>t</TITLE>\n", "<meta http-equiv=refresh content=0>\n",
])
def test_elements_the_outputs_never_show_are_an_error(body: str):
    problems = scan(body).problems
    assert problems and {p.code for p in problems} == {"E212"}


def test_an_unclosed_html_comment_is_an_error():
    assert [p.code for p in scan("```{=html}\n<!-- catatan\n```\n\nSisa.\n").problems] == ["E212"]
    assert scan("<!-- catatan -->\n\nSisa.\n").problems == []


def test_code_may_show_any_element():
    assert scan("`<script>`\n\n```html\n<script>x</script>\n```\n").problems == []


@pytest.mark.parametrize("body,line,col", [
    ("Aman [[[[x]]]] saja.\n", None, None),
    ("Teks\n\n[[[[[[[[[[[[[[x]]]]]]]]]]]]]]\n", 3, 5),
    ("x [ y [ z\n[ w [ v [ u\n", 2, 9),
    ("]]]]]][[[[[x\n", 1, 11),
    ("\\[\\[\\[\\[\\[\\[ ok\n", None, None),
    ("[a] [b] [c] [d] [e] [f]\n", None, None),
])
def test_brackets_nested_too_deep_are_an_error(body: str, line, col):
    problems = scan(body, "c.md", 1).problems
    if line is None:
        assert problems == []
    else:
        (p,) = problems
        assert (p.code, p.line + 1, p.col + 1) == ("E213", line, col)


@pytest.mark.parametrize("body,col", [
    ("[x](javascript:alert(1))\n", 5), ("[x]( JavaScript :alert(1))\n", 6), ("Lihat [r].\n\n[r]: data:text/html,x\n", 6),
    ('<a href="javascript:x">a</a>\n', 4), ("<b onclick=x>b</b>\n", 4), ('<img src="a.png" onerror="x">\n', 18),
    ("```{=html}\n<p onmouseover='x'>p</p>\n```\n", 4),
])
def test_script_in_links_and_attributes_is_an_error(body: str, col: int):
    (p,) = scan(body).problems
    assert (p.code, p.col + 1) == ("E212", col)


def test_words_that_merely_look_like_it_are_fine():
    assert scan("[ok](https://x) dan [on](programme:a) online=1 `[x](javascript:1)` data: 5\n").problems == []
