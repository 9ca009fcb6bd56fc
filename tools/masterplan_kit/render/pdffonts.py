"""One embedded font per typeface in a merged book.

Every rendered part of a book (front matter, chapter pieces, page furniture) embeds its own subset
of each typeface it uses; merged, a book would carry a subset per part and face. WeasyPrint keeps
the glyph ids of the full font in its subsets (and names a face's subsets alike in every
document), so the subsets of a face combine into one: every glyph outline from whichever subset has
it, the widths (``W``) and the text mapping (``ToUnicode``) of all of them. Pages and forms then
use that one font. Only TrueType outlines (``FontFile2``, ``glyf``) are combined; anything else
stays as it is. The result depends on the glyphs the book uses, not on how it was cut into parts.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

_TAG = re.compile(rb"<([0-9a-fA-F]+)>")


class _Sfnt:
    """The tables of a TrueType font (the parts a subset of WeasyPrint's has)."""

    def __init__(self, data: bytes) -> None:
        version, count = struct.unpack(">IH", data[:6])
        if version not in (0x00010000, 0x74727565):
            raise ValueError("not TrueType outlines")
        self.tables: dict[str, bytes] = {}
        for k in range(count):
            tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * k:28 + 16 * k])
            self.tables[tag.decode("latin-1")] = data[offset:offset + length]
        if not {"glyf", "loca", "head", "maxp", "hhea", "hmtx"} <= self.tables.keys():
            raise ValueError("no glyf outlines")
        self.glyphs = struct.unpack(">H", self.tables["maxp"][4:6])[0]
        long_loca = struct.unpack(">h", self.tables["head"][50:52])[0] == 1
        loca = self.tables["loca"]
        if long_loca:
            offsets = struct.unpack(f">{self.glyphs + 1}I", loca[:4 * (self.glyphs + 1)])
        else:
            offsets = tuple(2 * o for o in struct.unpack(f">{self.glyphs + 1}H", loca[:2 * (self.glyphs + 1)]))
        glyf = self.tables["glyf"]
        self.outlines = {g: glyf[offsets[g]:offsets[g + 1]] for g in range(self.glyphs) if offsets[g + 1] > offsets[g]}
        metrics = struct.unpack(">H", self.tables["hhea"][34:36])[0]
        hmtx = self.tables["hmtx"]
        self.metrics = [struct.unpack(">Hh", hmtx[4 * g:4 * g + 4]) for g in range(metrics)]
        lsbs = struct.unpack(f">{self.glyphs - metrics}h", hmtx[4 * metrics:4 * metrics + 2 * (self.glyphs - metrics)])
        self.metrics += [(self.metrics[-1][0], lsb) for lsb in lsbs]


def combine(fonts: list[bytes]) -> bytes:
    """One TrueType font with every glyph of ``fonts`` (subsets of one font, glyph ids kept)."""
    subsets = [_Sfnt(f) for f in sorted(set(fonts))]  # in an order of their own, whatever the parts' order
    base = max(subsets, key=lambda s: s.glyphs)
    count = base.glyphs
    outlines: dict[int, bytes] = {}
    metrics = list(base.metrics)
    for s in subsets:
        for g, outline in s.outlines.items():
            if g not in outlines:
                outlines[g] = outline
                metrics[g] = s.metrics[g]
    glyf, loca = bytearray(), []
    for g in range(count):
        loca.append(len(glyf))
        glyf += outlines.get(g, b"")
        glyf += b"\0" * (-len(glyf) % 4)
    loca.append(len(glyf))
    tables = dict(base.tables)
    tables["glyf"] = bytes(glyf)
    tables["loca"] = struct.pack(f">{count + 1}I", *loca)
    tables["hmtx"] = b"".join(struct.pack(">Hh", *m) for m in metrics)
    hhea = bytearray(base.tables["hhea"])
    hhea[10:12] = struct.pack(">H", max(m[0] for m in metrics))  # advanceWidthMax
    hhea[34:36] = struct.pack(">H", count)  # numberOfHMetrics
    tables["hhea"] = bytes(hhea)
    maxp = bytearray(base.tables["maxp"])
    if len(maxp) >= 32:  # version 1.0: the maxima over every subset
        for at in range(6, 32, 2):
            maxp[at:at + 2] = struct.pack(">H", max(struct.unpack(">H", s.tables["maxp"][at:at + 2])[0]
                                                      for s in subsets if len(s.tables["maxp"]) >= 32))
    tables["maxp"] = bytes(maxp)
    head = bytearray(base.tables["head"])
    boxes = [struct.unpack(">4h", s.tables["head"][36:44]) for s in subsets]
    head[36:44] = struct.pack(">4h", min(b[0] for b in boxes), min(b[1] for b in boxes),
                              max(b[2] for b in boxes), max(b[3] for b in boxes))
    head[50:52] = struct.pack(">h", 1)  # long loca offsets
    head[8:12] = b"\0\0\0\0"
    tables["head"] = bytes(head)
    data, at = _sfnt(tables)
    adjust = (0xB1B0AFBA - _checksum(data)) & 0xFFFFFFFF
    return data[:at + 8] + struct.pack(">I", adjust) + data[at + 12:]


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes]) -> tuple[bytes, int]:
    """The font file of ``tables``, and where its head table begins."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = 12 + 16 * count
    records, body, head = b"", b"", 0
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            head = offset + len(body)
        records += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return header + records + body, head


def _widths(w) -> dict[int, object]:
    out: dict[int, object] = {}
    items = list(w)
    k = 0
    while k + 1 < len(items):
        first = int(items[k])
        if isinstance(items[k + 1], Array):
            for j, value in enumerate(items[k + 1]):
                out[first + j] = value
            k += 2
        else:
            for cid in range(first, int(items[k + 1]) + 1):
                out[cid] = items[k + 2]
            k += 3
    return out


def _w_array(widths: dict[int, object]) -> Array:
    out: list = []
    run: list = []
    start = previous = None
    for cid in sorted(widths):
        if previous is not None and cid == previous + 1:
            run.append(widths[cid])
        else:
            if run:
                out += [start, Array(run)]
            start, run = cid, [widths[cid]]
        previous = cid
    if run:
        out += [start, Array(run)]
    return Array(out)


def _unicode_map(cmap: bytes) -> dict[int, bytes]:
    """CID -> UTF-16BE hex of a ToUnicode CMap (its bfchar and bfrange entries)."""
    out: dict[int, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        codes = _TAG.findall(block)
        for cid, uni in zip(codes[::2], codes[1::2], strict=True):
            out[int(cid, 16)] = uni
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            codes = _TAG.findall(line)
            if len(codes) == 3 and b"[" not in line:
                lo, hi, first = int(codes[0], 16), int(codes[1], 16), int(codes[2], 16)
                for j in range(hi - lo + 1):
                    out[lo + j] = b"%04x" % (first + j)
    return out


def _cmap(mapping: dict[int, bytes]) -> bytes:
    cids = sorted(mapping)
    blocks = []
    for k in range(0, len(cids), 100):
        chunk = cids[k:k + 100]
        blocks.append(b"%d beginbfchar\n" % len(chunk)
                      + b"".join(b"<%04x> <%s>\n" % (cid, mapping[cid]) for cid in chunk) + b"endbfchar\n")
    return (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
            b"/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
            + b"".join(blocks) + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")


def _resources(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every resource dictionary of the pages and of the forms they use, each once."""
    seen: set[tuple[int, int]] = set()
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        res = stack.pop()
        if not isinstance(res, Dictionary):
            continue
        if res.is_indirect:
            if res.objgen in seen:
                continue
            seen.add(res.objgen)
        yield res
        for form in (res.get("/XObject") or {}).values():
            if isinstance(form, pikepdf.Stream):
                key = form.objgen
                if key not in seen:
                    seen.add(key)
                    stack.append(form.get("/Resources"))


def unify(pdf: pikepdf.Pdf) -> None:
    """Give ``pdf`` one font per typeface (see the module's docstring)."""
    users: dict[str, list[tuple[Dictionary, str, Any]]] = {}
    for res in _resources(pdf):
        fonts = res.get("/Font")
        if not isinstance(fonts, Dictionary):
            continue
        for name, font in fonts.items():
            if font.get("/Subtype") == Name.Type0 and "/DescendantFonts" in font:
                users.setdefault(str(font.BaseFont), []).append((fonts, name, font))
    for uses in users.values():
        parts: dict[tuple[int, int], Any] = {}
        for _, _, font in uses:
            parts.setdefault(font.objgen, font)
        if len(parts) < 2:
            continue
        try:
            one = _one_font(pdf, list(parts.values()))
        except (ValueError, KeyError, struct.error, zlib.error):
            continue  # not a font this can combine: each part keeps its own
        for fonts, name, _ in uses:
            fonts[name] = one


def _one_font(pdf: pikepdf.Pdf, fonts: list[Dictionary]) -> Dictionary:
    descendants = [f.DescendantFonts[0] for f in fonts]
    if any(d.get("/Subtype") != Name.CIDFontType2 or d.get("/CIDToGIDMap") != Name.Identity
           or "/FontFile2" not in d.FontDescriptor for d in descendants):
        raise ValueError("not an Identity-mapped TrueType font")
    data = combine([d.FontDescriptor.FontFile2.read_bytes() for d in descendants])
    widths: dict[int, object] = {}
    text: dict[int, bytes] = {}
    for font, d in zip(fonts, descendants, strict=True):
        for cid, w in _widths(d.get("/W") or []).items():
            widths.setdefault(cid, w)
        if "/ToUnicode" in font:
            for cid, uni in _unicode_map(font.ToUnicode.read_bytes()).items():
                text.setdefault(cid, uni)
    first = descendants[0]
    boxes = [[float(x) for x in d.FontDescriptor.FontBBox] for d in descendants]
    descriptor = Dictionary({k: first.FontDescriptor[k] for k in sorted(first.FontDescriptor.keys()) if k != "/FontFile2"})
    descriptor.FontBBox = Array([min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                                 max(b[3] for b in boxes)])
    stream = pikepdf.Stream(pdf, zlib.compress(data, 9))
    stream.Filter, stream.Length1 = Name.FlateDecode, len(data)
    descriptor.FontFile2 = pdf.make_indirect(stream)
    cid_font = Dictionary({k: first[k] for k in sorted(first.keys()) if k not in ("/W", "/FontDescriptor")})
    cid_font.FontDescriptor = pdf.make_indirect(descriptor)
    cid_font.W = _w_array(widths)
    font = Dictionary({k: fonts[0][k] for k in sorted(fonts[0].keys()) if k not in ("/DescendantFonts", "/ToUnicode")})
    font.DescendantFonts = Array([pdf.make_indirect(cid_font)])
    if text:
        unicode = pikepdf.Stream(pdf, zlib.compress(_cmap(text), 9))
        unicode.Filter = Name.FlateDecode
        font.ToUnicode = pdf.make_indirect(unicode)
    return pdf.make_indirect(font)
