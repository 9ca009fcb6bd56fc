"""No markup from a source reaches a page unsanitised: whatever a chapter, a programme description
or a pillar narrative holds, the site's pages hold only allowed elements and attributes, plain
ids and classes, and no script or data URL."""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE, copy_fixture, edit
from masterplan_kit.errors import Location
from masterplan_kit.load.markdown_syntax import parse
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.pandoc import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, SAFE_CLASS, SAFE_ID
from masterplan_kit.render.site import SiteBuildError, generate_docs, markdown_headings, md_text, write_site
from masterplan_kit.templating import TOOLKIT_TEMPLATES

PAGES = {"chapter": "bab/profil.md", "programme": "program/portal-warga.md", "pillar": "pilar/governance/index.md"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "background", "srcset", "xlink:href", "cite", "data"}
BAD_URL = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)

PAYLOAD = '```{=html}\n<h3 id="z autofocus tabindex=0 onfocus=alert(document.domain)">Z</h3>\n```\n'


def test_heading_ids_carrying_attributes_do_not_become_attributes(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    edit(root, "pillars/governance/programmes/portal-warga.yml", "description: |\n",
         "description: |\n  ```{=html}\n  <h3 id=\"z autofocus tabindex=0 onfocus=alert(document.domain)\">Z</h3>\n  ```\n\n")
    edit(root, "masterplan/chapters/profil.md", "## Wilayah\n", PAYLOAD + "\n## Target < 50% *ok* {#t}\n\n## Wilayah\n")
    nested = '<div><h2 id="{: onclick=x }">&lt;img src=x onerror=alert(1)&gt;</h2></div>\n'
    (root / "pillars/governance/index.md").write_text(PAYLOAD + "\n" + nested, encoding="utf-8")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    site = write_site(project, root / "build" / "site")
    for page in ["program/portal-warga.html", "bab/profil.html", "pilar/governance/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        content = html[html.index('<article'):html.index('</article>')]
        assert "onfocus" not in content and "autofocus" not in content and "onclick" not in content, page
        assert "<img src=x" not in content and "onerror=" not in content.replace("onerror=alert(1)&gt;", "")
    profil = (site / "bab/profil.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="t">(.*?)<a class="headerlink"', profil).group(1)
    assert heading == "Target &#60; 50% ok" and "\\" not in heading


def test_a_heading_inside_a_callout_or_quote_stays_text(tmp_path: Path):
    _set_texts("::: note\n## &lt;img src=x onerror=alert(1)&gt;\n:::\n\n> ## &lt;img src=y onerror=alert(2)&gt;\n")
    files = generate_docs(PROJECT, {}, None)
    found = _elements(_content(files["bab/profil.md"]))
    assert not [f for f in found if f[0] == "img" and f[1] in ("src", "onerror") and f[2] in ("x", "y", "alert(1)\\")]
    assert not any(name == "onerror" for _, name, _ in found)


def test_text_outside_a_block_element_is_never_read_as_markdown():
    # the page is Markdown: text a source's raw HTML leaves outside a block element would be read
    _set_texts('```{=html}\n<span>[a](javascript:alert(1)) *b*</span>\n<span>{: onclick="alert(2)" }</span>\n```\n\n'
               "<span>![c](data:image/svg+xml,x)</span>\n")
    files = generate_docs(PROJECT, {}, None)
    found = _elements(_content(files["bab/profil.md"]))
    assert not [f for f in found if f[1] in ("href", "src", "onclick") and ("javascript" in f[2] or "data:" in f[2]
                                                                           or f[1] == "onclick")]
    assert ("em", "", "") not in found


def test_heading_text_is_never_read_as_markup():
    fragment = ('<h2 id="a">x {: #b onclick=y } *c* [d](javascript:e) &lt;img src=x onerror=f&gt; \\&lt; 50%</h2>\n'
                '<h2 id="bad id">T</h2>\n')
    converted = markdown.markdown(markdown_headings(fragment), extensions=["attr_list", "md_in_html", "toc"])
    assert '<h2 id="a">' in converted and "onclick=" not in converted and "<img" not in converted
    assert "<em>" not in converted and "href" not in converted
    assert "x {: #b onclick=y } *c* [d](javascript:e) &lt;img" in converted.replace("&#123;", "{").replace("&#125;", "}") \
        .replace("&#42;", "*").replace("&#91;", "[").replace("&#93;", "]").replace("&#40;", "(").replace("&#41;", ")") \
        .replace("&#58;", ":").replace("&#35;", "#").replace("&#61;", "=").replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    assert 'id="bad id"' in converted or "bad id" not in converted  # a bad id stays HTML, not an attribute list


def test_md_text_shows_characters_as_themselves():
    converted = markdown.markdown(f"## {md_text('Target < 50% & *x* `y` {: #z }')} {{: #t }}", extensions=["attr_list"])
    text = re.sub(r"<[^>]+>", "", converted)
    import html

    assert html.unescape(text) == "Target < 50% & *x* `y` {: #z }"


# --- the property ------------------------------------------------------------------------------

TAGS = ["a", "img", "script", "style", "iframe", "svg", "math", "object", "embed", "form", "input", "textarea", "title",
        "base", "meta", "link", "template", "details", "video", "source", "div", "span", "h2", "h3", "p", "table", "td",
        "th", "col", "image", "noscript", "xmp", "select", "button", "marquee", "body", "html"]
ATTRS = ["id", "class", "style", "onclick", "onerror", "onload", "onfocus", "href", "src", "srcset", "formaction",
         "xlink:href", "data-x", "autofocus", "tabindex", "title", "lang", "role", "width", "colspan", "background",
         "poster", "action", "markdown", "name", "target", "rel", "aria-hidden", "scope", "start", "type"]
VALUES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "java\tscript:x", "java&#x09;script:x",
          "&#106;avascript:alert(1)", "data:text/html,<script>alert(1)</script>", "data:image/svg+xml,<svg/onload=x>",
          "vbscript:x", 'x" onmouseover="alert(1)', "z autofocus onfocus=alert(1)", "{: #x onclick=y }",
          "background-image:url(https://evil.example/x.png)", "text-align: right;", "position:fixed;inset:0",
          "programme:portal-warga", "PROGRAMME:portal-warga", "opd:diskominfo#x", "/masterplan/assets/logo.svg",
          "#catatan", "https://ok.example/", "mailto:a@b.example", "../../etc/passwd", "file:///etc/passwd",
          "mpview-0-0", "1", "row", "true", "x y", "", "\"", "'", "<", ">", "}", "`"]
FORMATS = ["html", "html5", "HTML", "latex", "tex", "openxml", "opendocument", "rtf", "context", "ms", "man", "icml",
           "jats", "docbook", "tei", "markdown", "plain", "typst", "epub", "revealjs", "s5", "ipynb", "asciidoc", "rst"]
MARKDOWN_IN_HTML = ["[m](javascript:alert(1))", "![n](data:image/svg+xml,x)", '{: onclick="alert(1)" }', "*e* `c`",
                    "<http://ok.example>", "[r]\n\n[r]: javascript:alert(2)", "Teks"]
HEADING_WORDS = ["Teks", "Target < 50%", "&lt;img src=x onerror=alert(1)&gt;", "{: #x onclick=y }", "*t* `c`",
                 "&lt;b onclick=x&gt;", "\\"]
WORDS = ["Teks", "biasa", "&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "\\<b onclick=x\\>",
         "[w](javascript:alert(1))", "&amp;", "<", ">", "&", "*", "_", "`", "~", "^", "$x$", "|", "\\", "{#i}",
         "{.c}", "[", "]", "(", ")", "!", "#", ":", "::", "\"", "'", "\u202e", "&#106;"]


@st.composite
def attribute(draw, names: list[str] = ATTRS) -> str:
    name = draw(st.sampled_from(names))
    value = draw(st.sampled_from(VALUES))
    quote = draw(st.sampled_from(['"', "'", ""]))
    if quote and quote in value:
        quote = '"' if quote == "'" else "'"
    if not quote and (not value or re.search(r"[\s\"'=<>`]", value)):
        quote = '"' if '"' not in value else "'"
    return f"{name}={quote}{value}{quote}" if draw(st.integers(0, 5)) else name


@st.composite
def html_element(draw) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = " ".join(draw(st.lists(attribute(), max_size=4)))
    inner = draw(st.sampled_from(["", "x", "Teks <b>tebal</b>", "alert(1)", "## h", "*m*",
                                  "<h2>&lt;img src=x onerror=alert(1)&gt;</h2>", '<h3 id="a">&lt;b onclick=x&gt; {: #c }</h3>',
                                  "[m](javascript:alert(1))", "![n](data:image/svg+xml,x)", '\n{: onclick="x" }\n']))
    close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()}>"]))
    return f"<{tag}{' ' + attrs if attrs else ''}>{inner}{close}"


@st.composite
def attribute_list(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 2))
        value = draw(st.sampled_from(VALUES)).replace("}", "").replace("\n", " ")
        if kind == 0:
            parts.append("#" + draw(st.sampled_from(["ok", "a:b", "x\"y", "1a", "mpview-0-0", value.replace(" ", "")])))
        elif kind == 1:
            parts.append("." + draw(st.sampled_from(["note", "c", "x\"", "mp-view", value.replace(" ", "")])))
        else:
            name = draw(st.sampled_from(ATTRS))
            parts.append(f'{name}="{value.replace(chr(34), "")}"')
    return "{" + " ".join(parts) + "}"


@st.composite
def markdown_block(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 9:
        cell = draw(st.sampled_from(["td", "th"]))
        cell_attrs = ["style", "colspan", "id", "class", "onclick", "background", "scope", "width"]
        attrs = " ".join(draw(st.lists(attribute(cell_attrs), min_size=1, max_size=3)))
        return (f"<table><colgroup><col {draw(attribute(cell_attrs))}></colgroup><tr><{cell} {attrs}>x</{cell}></tr>"
                "</table>")
    if kind == 0:
        return draw(html_element())
    if kind == 1:
        words = st.sampled_from(HEADING_WORDS)
        heading = f"## {draw(words)} {draw(words)} {draw(attribute_list())}"
        return draw(st.sampled_from([heading, f"::: note\n{heading}\n:::", f"> {heading}", f"- {heading}"]))
    if kind == 2:
        return f"[{draw(st.sampled_from(WORDS))}]{draw(attribute_list())}"
    if kind == 3:
        return f"::: {draw(attribute_list())}\nIsi {draw(html_element())}\n:::"
    if kind == 4:
        fmt = draw(st.sampled_from(["html"] * len(FORMATS) + FORMATS))  # raw HTML half the time
        # Markdown in raw HTML outside a block element: MkDocs would read it, were it left as it is
        tag = draw(st.sampled_from(["span", "a", "b", "marquee", "button", "select", "u"]))
        loose = f"<{tag}>{draw(st.sampled_from(MARKDOWN_IN_HTML))}</{tag}>\n{draw(st.sampled_from(MARKDOWN_IN_HTML))}"
        return (f"```{{={fmt}}}\n{draw(st.sampled_from([loose, draw(html_element())]))}\n\\input{{/etc/passwd}}\n"
                "<w:p><w:r><w:t>x</w:t></w:r></w:p>\n```")
    if kind == 5:
        return f"`{draw(html_element())}`{{={draw(st.sampled_from(FORMATS))}}}"
    if kind == 6:
        target = draw(st.sampled_from(VALUES)).replace(" ", "%20").replace(")", "").replace("\n", "") or "#"
        bang = draw(st.sampled_from(["", "!"]))
        return f"{bang}[{draw(st.sampled_from(WORDS))}]({target}){draw(st.sampled_from(['', draw(attribute_list())]))}"
    if kind == 7:
        cells = [draw(html_element()).replace("|", ""), draw(st.sampled_from(WORDS)).replace("|", "")]
        return "| a | b |\n|--:|:--|\n| " + " | ".join(cells) + " |"
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))


markup = st.lists(markdown_block(), min_size=1, max_size=6).map(
    lambda blocks: "".join(b + ("\n\n" if i % 2 else "\n") for i, b in enumerate(blocks)))


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, "", ""))
        self.found.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def _extensions() -> tuple[list, dict]:
    config = yaml.load((TOOLKIT_TEMPLATES / "site" / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


EXTENSIONS = _extensions()


def _content(page: bytes) -> str:
    """A generated page as MkDocs turns its Markdown into HTML (front matter off)."""
    text = page.decode("utf-8")
    if text.startswith("---"):
        text = text[text.index("\n---", 3) + 4:]
    return markdown.Markdown(extensions=EXTENSIONS[0], extension_configs=EXTENSIONS[1]).convert(text)


def _elements(html: str) -> list[tuple[str, str, str]]:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser.found


_BASE = Path(tempfile.mkdtemp(prefix="masterplan-safety-"))
ROOT = copy_fixture(_BASE / "kota")
PROJECT, _REPORT = load_and_check(ROOT)
BENIGN = "## Judul {#judul}\n\nTeks [tautan](https://ok.example/) dan [program](programme:portal-warga).[^1]\n\n" \
         "| a | b |\n|--:|:--|\n| 1 | 2 |\n\n![Logo](/masterplan/assets/logo.svg)\n\n::: note\nCatatan\n:::\n\n[^1]: Catatan kaki.\n"


def _set_texts(text: str) -> None:
    locate = lambda line, col: Location("x", line + 1, col + 1)
    PROJECT.chapters["profil"].doc = parse(text, locate)
    PROJECT.programme("portal-warga")._doc = parse(text, locate)
    PROJECT.pillar("governance").narrative.doc = parse(text, locate)


def _pages(text: str) -> dict[str, list[tuple[str, str, str]]] | None:
    _set_texts(text)
    try:
        files = generate_docs(PROJECT, {}, None)
    except SiteBuildError:
        return None  # an image the renderer refuses stops the build: nothing is published
    return {kind: _elements(_content(files[page])) for kind, page in PAGES.items()}


_baseline = _pages(BENIGN)
assert _baseline is not None
BASELINE = {(tag, name) for found in _baseline.values() for tag, name, _ in found}
# elements only the templates write (a chart's SVG): a page holds exactly as many as without the source's text
TEMPLATE_ONLY = {tag for tag, _ in BASELINE} - ALLOWED_TAGS
COUNTS = {kind: {t: sum(1 for tag, name, _ in found if tag == t and not name) for t in TEMPLATE_ONLY}
          for kind, found in _baseline.items()}
ALLOWED = BASELINE | {(t, "") for t in ALLOWED_TAGS} | {
    (t, a) for t in ALLOWED_TAGS for a in ALLOWED_ATTRIBUTES.get("*", set()) | ALLOWED_ATTRIBUTES.get(t, set())}


def _check(found: list[tuple[str, str, str]], text: str) -> None:
    for tag, name, value in found:
        assert (tag, name) in ALLOWED, (tag, name, value, text)
        assert not name.startswith("on"), (tag, name, text)
        if name in URL_ATTRIBUTES:
            assert not BAD_URL.match(value), (tag, name, value, text)
        if name == "id":
            assert SAFE_ID.fullmatch(value), (tag, value, text)
        if name == "class":
            assert all(SAFE_CLASS.fullmatch(c) for c in value.split()), (tag, value, text)
        if name == "style":
            assert value in ("text-align: left;", "text-align: right;", "text-align: center;"), (tag, value, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=markup)
def test_random_markup_in_every_text_field_never_reaches_a_page(text: str):
    pages = _pages(text)
    if pages is None:
        return
    for kind, found in pages.items():
        _check(found, text)
        counts = {t: sum(1 for tag, name, _ in found if tag == t and not name) for t in TEMPLATE_ONLY}
        assert counts == COUNTS[kind], (kind, text)


def test_the_allow_list_holds_nothing_that_runs_or_fetches():
    tags = {tag for tag, _ in ALLOWED}
    assert not tags & {"script", "style", "iframe", "object", "embed", "form", "input", "base", "meta", "link"}
    assert not any(name.startswith("on") or name in ("srcset", "formaction", "action") for _, name in ALLOWED)
    assert FIXTURE.is_dir()
