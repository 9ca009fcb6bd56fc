"""The Markdown → HTML converter and its sanitiser: what may leave it, and how it fails."""

from __future__ import annotations

import re
import time

import pytest

from masterplan_kit.errors import Location
from masterplan_kit.load.markdown_syntax import parse
from masterplan_kit.render import pandoc
from masterplan_kit.render.pandoc import SAFE_CLASS, SAFE_ID, ConversionError, ViewCall


def _doc(text: str, path: str = "masterplan/chapters/uji.md"):
    return parse(text, lambda line, col: Location(path, line + 1, col + 1))


def convert(text: str) -> pandoc.Fragment:
    pandoc._CONVERTED.clear()
    return pandoc.convert([_doc(text)])[0]


def resolved(text: str) -> str:
    return convert(text).resolve(lambda s, t, f: f"/{s}/{t}" + (f"#{f}" if f else ""), lambda call: "<table></table>",
                                 lambda src: f"/img/{src}")


def test_raw_heading_id_carrying_attributes_is_not_kept():
    frag = convert('```{=html}\n<h3 id="z autofocus tabindex=0 onfocus=alert(document.domain)">Z</h3>\n```\n')
    assert "onfocus" not in frag.html and "autofocus" not in frag.html
    (level, ident, text), = frag.headings
    assert (level, text) == (3, "Z") and SAFE_ID.fullmatch(ident)
    assert re.fullmatch(r'<h3 id="[^"]+">Z</h3>\s*', frag.html)


@pytest.mark.parametrize("source", [
    "# T {#a:b}", "# T {#x\"y}", "# T {#1abc}", '<h2 id="a b">T</h2>', "<h2 id='x&quot;onclick=y'>T</h2>",
    "[s]{#\"a .b}", '<span id="a}b">s</span>', "<p id=\"{: onclick=x }\">p</p>",
])
def test_ids_that_leave_the_sanitiser_are_plain_tokens(source: str):
    html = convert(source).html
    for ident in re.findall(r'\bid="([^"]*)"', html):
        assert SAFE_ID.fullmatch(ident), (source, html)


@pytest.mark.parametrize("source", [
    '<span class="a b\'onclick=x">s</span>', "[s]{.ok .x:y .\"z}", '<p class="{: #x } ok">p</p>',
])
def test_classes_that_leave_the_sanitiser_are_plain_tokens(source: str):
    html = convert(source).html
    for value in re.findall(r'\bclass="([^"]*)"', html):
        assert all(SAFE_CLASS.fullmatch(c) for c in value.split()), (source, html)


def test_style_is_dropped_but_a_columns_alignment():
    html = convert('<table><col style="width:90%"><tr><td style="background-image:url(https://evil.example/x.png)">a</td>'
                   '<th style="position:fixed;top:0">b</th></tr></table>\n\n'
                   '| n | t |\n|--:|:--|\n| 1 | a |\n\n![x](a.png){width=50%}\n\n[s]{style="color:red"}\n').html
    assert "url(" not in html and "position" not in html and "width" not in html and "color" not in html
    assert 'style="text-align: right;"' in html
    assert set(re.findall(r'style="([^"]*)"', html)) <= {"text-align: right;", "text-align: left;"}


def test_a_source_cannot_forge_a_data_view_or_a_document_marker():
    text = ('<div class="mp-view" id="mpview-0-0"></div>\n\n<div class="mp-view" id="mpview-0-9"></div>\n\n'
            '<h1 id="mpdoc-1">MPDOC</h1>\n\nrest\n\n::: {.roadmap}\n:::\n')
    frag = convert(text)
    out = frag.resolve(lambda s, t, f: "#", lambda call: f"<p>VIEW {call.kind}</p>", None)
    assert out.count("VIEW") == 1 and "rest" in out and "mpdoc-" not in out


def test_link_schemes_in_any_case_resolve_like_lowercase_ones():
    out = resolved("[a](PROGRAMME:alpha) [b](Opd:dinkes#x) <a href=\"Chapter:profil\">c</a>")
    assert 'href="/programme/alpha"' in out and 'href="/opd/dinkes#x"' in out and 'href="/chapter/profil"' in out


@pytest.mark.parametrize("link", ["../lampiran.pdf", "/etc/passwd", "lampiran.html", "//evil.example/x",
                                  "file:///etc/passwd", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                  "vbscript:x", "http:relative"])
def test_links_to_files_or_odd_schemes_become_plain_text(link: str):
    out = resolved(f"[teks]({link})")
    assert "teks" in out and "href" not in out


@pytest.mark.parametrize("link", ["https://samarindakota.go.id/a?b=1", "mailto:diskominfo@example.go.id", "#bagian"])
def test_web_mail_and_fragment_links_stay(link: str):
    assert f'href="{link}"' in resolved(f"[teks]({link})")


def test_tag_attributes_are_read_as_serialised_never_from_values():
    out = resolved('<img alt="x src=" src="a.png"> <a title="href=" href="programme:alpha">t</a>')
    assert 'src="/img/a.png"' in out and 'alt="x src="' in out
    assert 'href="/programme/alpha"' in out


def test_unsafe_elements_and_raw_formats_are_dropped():
    html = convert('<script>alert(1)</script><iframe src="https://e"></iframe><svg onload="x"><image href="y"/></svg>'
                   '<form action="x"><input autofocus onfocus="x"></form>\n\n'
                   '```{=latex}\n\\input{/etc/passwd}\n```\n\n```{=openxml}\n<w:p/>\n```\n\n'
                   '<object data="x"></object><embed src="y"><base href="https://e/"><meta http-equiv="refresh">\n').html
    assert not re.search(r"<(script|iframe|svg|image|form|input|object|embed|base|meta)\b", html)
    assert "passwd" not in html and "w:p" not in html and "onload" not in html and "onfocus" not in html


def test_heading_ids_are_slugs_of_their_text():
    frag = convert("## Latar Belakang\n\n## Target < 50% \"kota\"\n\n## Latar Belakang\n\n## 人口\n")
    assert [h[1] for h in frag.headings] == ["latar-belakang", "target-50-kota", "latar-belakang-1", "bagian"]


def test_a_pandoc_run_that_does_not_finish_names_its_document(monkeypatch):
    monkeypatch.setenv(pandoc.TIMEOUT_ENV, "1")
    pandoc._CONVERTED.clear()
    docs = [_doc("Biasa saja.\n", "masterplan/chapters/a.md"),
            _doc("Teks\n\n" + "[" * 13 + "x" + "]" * 13 + "\n", "masterplan/chapters/b.md")]
    started = time.monotonic()
    with pytest.raises(ConversionError, match=r"masterplan/chapters/b\.md:1: pandoc did not finish within 1 s"):
        pandoc.convert(docs)
    assert time.monotonic() - started < 15


def test_pandoc_missing_is_a_clear_error(monkeypatch):
    import pypandoc

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    pandoc._CONVERTED.clear()
    with pytest.raises(ConversionError, match="pandoc not found"):
        pandoc.convert([_doc("x\n")])


def test_pandoc_memory_limit_is_reported(monkeypatch):
    monkeypatch.setenv(pandoc.MEMORY_ENV, "8")
    pandoc._CONVERTED.clear()
    with pytest.raises(ConversionError, match="more than 8 MiB"):
        pandoc.convert([_doc("kata " * 200_000 + "\n")])


def test_view_calls_survive_conversion():
    frag = convert("Awal\n\n::: {.programmes pillar=governance}\n:::\n\nAkhir\n")
    assert frag.views == [ViewCall("programmes", {"pillar": "governance"})]
    assert frag.resolve(lambda s, t, f: "#", lambda call: "<p>VIEW</p>").count("<p>VIEW</p>") == 1


def test_text_holds_no_markdown_signs():
    html = convert("```{=html}\n<span>[a](javascript:x) *b* {: #c } `d` \\ !e _f_ # | ~ ^</span>\n```\n\n"
                   "Biasa *tebal* dan `kode [x]`.\n").html
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r"[\\`*_\[\]{}!#|~^]", re.sub(r"&#\d+;", "", text)), text
    import html as html_module

    assert "[a](javascript:x) *b* {: #c }" in html_module.unescape(text)
    assert "<em>tebal</em>" in html and "<code>kode &#91;x&#93;</code>" in html
