"""Marks drawn straight into a pack's pages: its own page numbers, and the private pack's marking.

The pack used to lay a second PDF over itself, printed by WeasyPrint with one page per pack
page: seconds of layout and a few hundred megabytes, growing with the pack. Each mark is one
line of text, so it is written here as PDF text instead, in the house style's TrueType font,
subset to the characters the marks use and embedded once per pack: a Type 0 font (Identity-H,
glyph ids as codes) with a ToUnicode map, so that the marks can be searched, copied and read.
They are marked as pagination artifacts, as the papers' own running footers are, so assistive
technology does not read "Pack page 12" into the middle of a paragraph.
"""

from __future__ import annotations

import hashlib
import io
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from ..style import PageMark

FONT_RESOURCE = pikepdf.Name("/PaperkitMark")  # one name for every page: the font is the same object


class StampFontProblem(Exception):
    """The font a page mark names cannot draw it (unreadable, or without some of its characters)."""


@dataclass(frozen=True)
class StampFont:
    """A TrueType font subset for the marks, with what drawing and embedding need of it."""

    name: str  # the PostScript name, with the six-letter tag PDF gives a subset
    data: bytes  # the subset font file
    units_per_em: int
    ascent: int
    descent: int  # negative, below the baseline
    bbox: tuple[int, int, int, int]
    cap_height: int
    italic_angle: float
    glyphs: dict[str, int]  # character -> glyph id (ids kept from the full font)
    advances: dict[int, int]  # glyph id -> advance width, in font units

    def width(self, text: str, size: float) -> float:
        return sum(self.advances[self.glyphs[c]] for c in text) * size / self.units_per_em

    def codes(self, text: str) -> str:
        return "<" + "".join(f"{self.glyphs[c]:04X}" for c in text) + ">"


def mark_characters(mark: PageMark) -> str:
    """Every character `mark` can print: its literal text, and digits for its numbers."""
    literal = "".join(text for text, _name, _spec, _conv in string.Formatter().parse(mark.text))
    return "".join(sorted(set(literal + string.digits)))


def load_stamp_font(path: Path, characters: str) -> StampFont:
    """The font at `path` subset to `characters`; StampFontProblem if it cannot draw them all."""
    # fontTools' subsetter takes a tenth of a second to load: only a pack that is put together needs it.
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(path, lazy=False, recalcTimestamp=False)  # the same pack, the same bytes
        cmap = font.getBestCmap()
    except (OSError, TTLibError, AssertionError) as err:
        raise StampFontProblem(f"not a TrueType font paperkit can read ({err})") from err
    if cmap is None or "glyf" not in font:
        raise StampFontProblem("not a TrueType font with outlines paperkit can embed")
    wanted = sorted(set(characters) - {"\n"})
    missing = [c for c in wanted if ord(c) not in cmap]
    if missing:
        raise StampFontProblem(f"has no {' '.join(repr(c) for c in missing)}")
    glyphs = {c: font.getGlyphID(cmap[ord(c)]) for c in wanted}
    advances = {font.getGlyphID(cmap[ord(c)]): font["hmtx"][cmap[ord(c)]][0] for c in wanted}
    options = subset.Options()
    options.retain_gids = True  # the codes drawn are the full font's glyph ids
    options.layout_features = []
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools would warn that it cannot subset them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    head, hhea, post = font["head"], font["hhea"], font["post"]
    os2 = font.get("OS/2")
    postscript = font["name"].getDebugName(6) or path.stem
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(("".join(wanted) + postscript).encode()).digest()[:6])
    return StampFont(
        name=f"{tag}+{postscript.replace(' ', '')}", data=out.getvalue(), units_per_em=head.unitsPerEm,
        ascent=hhea.ascent, descent=hhea.descent, bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
        cap_height=getattr(os2, "sCapHeight", hhea.ascent) or hhea.ascent, italic_angle=float(post.italicAngle),
        glyphs=glyphs, advances=advances)


class PageMarker:
    """Draws page marks on the pages of one PDF, each mark's font embedded in it once."""

    def __init__(self, pdf: pikepdf.Pdf, marks: list[PageMark], fonts: dict[Path, StampFont]) -> None:
        self.pdf = pdf
        self.marks = marks
        self.fonts = fonts
        self.font_objects = {path: _embed(pdf, font) for path, font in fonts.items()}
        self.names = {path: pikepdf.Name(f"{FONT_RESOURCE}{i}") for i, path in enumerate(fonts, 1)}
        self.save_state = pdf.make_stream(b"q\n")  # shared by every page: it only opens a group

    def mark(self, page: pikepdf.Page, number: int, total: int) -> None:
        """Draw every mark on `page`, the pack's page `number` of `total`, over what it shows."""
        box = pikepdf.Rectangle(page.trimbox)
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        width, height = (box.height, box.width) if rotate in (90, 270) else (box.width, box.height)
        drawn = [self._text(mark, mark.text.format(page=number, pages=total), width, height) for mark in self.marks]
        for path, name in self.names.items():
            page.add_resource(self.font_objects[path], pikepdf.Name.Font, name)
        # The page's own drawing is closed in a group first, so no state it leaves changes the marks.
        page.contents_add(self.save_state, prepend=True)
        upright = _upright(box, rotate)
        page.contents_add(self.pdf.make_stream(f"Q\nq\n{upright} cm\n{''.join(drawn)}Q\n".encode()))

    def _text(self, mark: PageMark, text: str, page_width: float, page_height: float) -> str:
        font = self.fonts[mark.font]
        size, width = mark.size, font.width(text, mark.size)
        if mark.left is not None:
            x = mark.left
        elif mark.right is not None:
            x = page_width - mark.right - width
        else:
            x = (page_width - width) / 2
        # As CSS places a line: `top` to the top of its ascent, `bottom` to the bottom of its descent.
        if mark.top is not None:
            y = page_height - mark.top - font.ascent * size / font.units_per_em
        else:
            y = mark.bottom - font.descent * size / font.units_per_em
        red, green, blue = mark.colour
        role = "Header" if mark.top is not None else "Footer"
        return (f"/Artifact <</Type /Pagination /Subtype /{role}>> BDC\n"
                f"BT {self.names[mark.font]} {size:g} Tf {red:.3f} {green:.3f} {blue:.3f} rg "
                f"1 0 0 1 {x:.2f} {y:.2f} Tm {font.codes(text)} Tj ET\nEMC\n")


def _upright(box: pikepdf.Rectangle, rotate: int) -> str:
    """The matrix from the page as shown (its /Rotate applied, origin bottom left) to its own
    coordinates: marks are placed as a reader sees the page, whichever way it is stored."""
    if rotate == 90:
        return f"0 1 -1 0 {box.urx:.2f} {box.lly:.2f}"
    if rotate == 180:
        return f"-1 0 0 -1 {box.urx:.2f} {box.ury:.2f}"
    if rotate == 270:
        return f"0 -1 1 0 {box.llx:.2f} {box.ury:.2f}"
    return f"1 0 0 1 {box.llx:.2f} {box.lly:.2f}"


def _embed(pdf: pikepdf.Pdf, font: StampFont) -> pikepdf.Object:
    """The Type 0 font dictionary of `font`, with its file, widths and ToUnicode map, in `pdf`."""
    scale = 1000 / font.units_per_em
    font_file = pdf.make_stream(font.data)
    font_file.Length1 = len(font.data)
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name(f"/{font.name}"), Flags=32,
        FontBBox=pikepdf.Array([round(v * scale) for v in font.bbox]), ItalicAngle=font.italic_angle,
        Ascent=round(font.ascent * scale), Descent=round(font.descent * scale),
        CapHeight=round(font.cap_height * scale), StemV=80, FontFile2=font_file))
    widths: list[Any] = []
    for gid in sorted(font.advances):
        widths += [gid, pikepdf.Array([round(font.advances[gid] * scale)])]
    descendant = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name(f"/{font.name}"),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=descriptor, W=pikepdf.Array(widths), CIDToGIDMap=pikepdf.Name.Identity))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name(f"/{font.name}"),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=pikepdf.Array([descendant]),
        ToUnicode=pdf.make_stream(_to_unicode(font.glyphs))))


def _to_unicode(glyphs: dict[str, int]) -> bytes:
    """The CMap that maps each glyph id drawn back to its character (for search, copy, speech)."""
    entries = [f"<{gid:04X}> <{c.encode('utf-16-be').hex().upper()}>" for c, gid in sorted(glyphs.items())]
    blocks = []
    for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        chunk = entries[start:start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(blocks) +
            "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")
