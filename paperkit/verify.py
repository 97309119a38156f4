"""Structural accessibility checks of a PDF, rule by rule (paperkit's stand-in for veraPDF).

Each rule looks at one thing PDF/UA and WCAG need of a published paper: a tag tree, its
roles, the language, the title and that viewers show it, embedded fonts, bookmarks, alt text
on figures, a heading order without jumps, and no text left outside the tag tree except in
the page margins (running headers and footers, which WeasyPrint leaves untagged).
These are necessary checks, not a full PDF/UA validation: see docs/accessibility.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

EXPECTED_ROLES = ("H1", "H2", "P", "L", "LI")
MARGIN_BAND = 56.7  # points (2 cm) at the top and bottom of a page where headers and footers live
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class Result:
    rule: str
    passed: bool
    detail: str

    def __str__(self) -> str:
        return f"{'pass' if self.passed else 'FAIL'}  {self.rule:20} {self.detail}"


def verify_pdf(path: Path) -> list[Result]:
    with pikepdf.open(path) as pdf:
        tree = _StructTree(pdf)
        return [check(pdf, tree) for check in CHECKS]


class _StructTree:
    """The tag tree, walked once: elements in reading order, and which marked content it claims."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.root = pdf.Root.get("/StructTreeRoot")
        role_map: Any = self.root.get("/RoleMap") if self.root is not None else None
        self.role_map = {str(k): str(v) for k, v in dict(role_map or {}).items()}
        self.elements: list[tuple[str, Any]] = []  # (standard role, element) in document order
        self.claimed: set[tuple[int, int]] = set()  # (page object number, MCID)
        if self.root is not None:
            self._walk(self.root.get("/K"), None)

    def role(self, element: Any) -> str:
        role = str(element.get("/S", ""))
        return self.role_map.get(role, role).lstrip("/")

    def _walk(self, kids: Any, page: Any) -> None:
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                if page is not None:
                    self.claimed.add((page.objgen[0], int(kid)))
            elif isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")
                if kind == "/MCR":
                    mcr_page = kid.get("/Pg", page)
                    if mcr_page is not None:
                        self.claimed.add((mcr_page.objgen[0], int(kid.MCID)))
                elif kind == "/OBJR":
                    continue
                else:
                    self.elements.append((self.role(kid), kid))
                    self._walk(kid.get("/K"), kid.get("/Pg", page))


def _result(rule: str, passed: bool, detail: str) -> Result:
    return Result(rule, passed, detail)


def check_structure(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    mark_info: Any = pdf.Root.get("/MarkInfo")
    marked = mark_info is not None and bool(mark_info.get("/Marked", False))
    ok = tree.root is not None and bool(marked) and bool(tree.elements)
    return _result("structure-tree", ok, f"{len(tree.elements)} tagged elements; MarkInfo /Marked {bool(marked)}")


def check_roles(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    roles = {role for role, _ in tree.elements}
    missing = [r for r in EXPECTED_ROLES if r not in roles]
    return _result("roles", not missing, "missing " + ", ".join(missing) if missing else
                   "present: " + ", ".join(sorted(roles)))


def check_lang(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    lang = str(pdf.Root.get("/Lang", ""))
    return _result("lang", bool(lang), f"/Lang {lang or 'missing'}")


def check_title(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
    with pdf.open_metadata() as xmp:
        xmp_title = str(xmp.get("dc:title", ""))
    return _result("title", bool(title) and bool(xmp_title), f"title {title or 'missing'!r}")


def check_display_title(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    preferences: Any = pdf.Root.get("/ViewerPreferences")
    shown = preferences is not None and bool(preferences.get("/DisplayDocTitle", False))
    return _result("display-doc-title", shown, "viewers show the title" if shown else "DisplayDocTitle not set")


def _fonts(resources: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    """Every font in these resources and in the forms and patterns they use."""
    if resources is None:
        return
    for font in dict(resources.get("/Font", {})).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources"), seen)


def check_fonts(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    seen: set[tuple[int, int]] = set()
    names, bare = [], []
    for page in pdf.pages:
        for font in _fonts(page.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn in the file itself
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor for k in FONT_FILES)
            names.append(str(font.get("/BaseFont", "?")))
            if not embedded:
                bare.append(names[-1])
    detail = f"not embedded: {', '.join(bare)}" if bare else f"{len(names)} fonts, all embedded"
    return _result("fonts-embedded", not bare, detail)


def check_outline(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    with pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    return _result("outline", bool(titles), f"{len(titles)} bookmarks" if titles else "no bookmarks")


def check_figures(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    figures = [element for role, element in tree.elements if role == "Figure"]
    bare = [f for f in figures if not str(f.get("/Alt", f.get("/ActualText", ""))).strip()]
    return _result("figure-alt", not bare, f"{len(bare)} of {len(figures)} figures lack alt text" if bare else
                   f"{len(figures)} figures, all with alt text")


def check_headings(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    levels = [int(role[1]) for role, _ in tree.elements if len(role) == 2 and role[0] == "H" and role[1].isdigit()]
    if not levels:
        return _result("heading-order", False, "no headings")
    jumps = [f"H{a}→H{b}" for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]
    return _result("heading-order", not jumps, f"jumps: {', '.join(jumps)}" if jumps else
                   f"{len(levels)} headings, starting H{levels[0]}, no level skipped")


def check_untagged_text(pdf: pikepdf.Pdf, tree: _StructTree) -> Result:
    pages = []
    for number, page in enumerate(pdf.pages, 1):
        stray = _untagged_text_outside_margins(page, tree.claimed)
        if stray:
            pages.append(f"page {number} ({stray} text runs)")
    return _result("untagged-text", not pages, "untagged text on " + ", ".join(pages) if pages else
                   "all text tagged, except in the page margins")


def _untagged_text_outside_margins(page: pikepdf.Page, claimed: set[tuple[int, int]]) -> int:
    """How many text-showing operations lie outside claimed marked content and outside the margins."""
    height = float(page.mediabox[3]) - float(page.mediabox[1])
    page_id = page.obj.objgen[0]
    marked: list[bool] = []  # per open marked-content sequence: does it (or an outer one) count as tagged?
    ctm_stack: list[tuple[float, ...]] = []
    ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    text_y = 0.0
    stray = 0
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            ctm_stack.append(ctm)
        elif op == "Q" and ctm_stack:
            ctm = ctm_stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "BT":
            text_y = 0.0
        elif op == "Tm":
            text_y = float(operands[5])
        elif op in ("Td", "TD"):
            text_y += float(operands[1])
        elif op in ("BDC", "BMC"):
            marked.append((bool(marked) and marked[-1]) or _claims(operands, page_id, claimed))
        elif op == "EMC" and marked:
            marked.pop()
        elif op in TEXT_SHOW and not (marked and marked[-1]):
            y = ctm[3] * text_y + ctm[5]
            if MARGIN_BAND < y < height - MARGIN_BAND:
                stray += 1
    return stray


def _claims(operands: Any, page_id: int, claimed: set[tuple[int, int]]) -> bool:
    tag = str(operands[0]) if operands else ""
    if tag == "/Artifact":
        return True
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return (page_id, int(properties.MCID)) in claimed
    return False


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l_)


CHECKS: tuple[Callable[[pikepdf.Pdf, _StructTree], Result], ...] = (
    check_structure, check_roles, check_lang, check_title, check_display_title, check_fonts,
    check_outline, check_figures, check_headings, check_untagged_text,
)
