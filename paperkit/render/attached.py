"""Attached PDF appendices: their pages laid onto the pages the paper's PDF keeps for them.

The HTML gives an attached PDF one empty page per page of its own (`.attached-page`, with an
id naming the appendix and page), so WeasyPrint numbers every page ("Page 7 of 12") and the
pack's and agenda's page counts stay right. Each of the document's pages is then drawn on its
page, shrunk to fit above the footer, and tagged as a figure whose description says what it
is: the document's own tags cannot be carried over, so the list of appendices also links to
the original file, published beside the outputs.
"""

from __future__ import annotations

import io
from typing import Any, cast

import pikepdf

from ..limits import MAX_ATTACHMENT_BYTES
from ..model import Appendix
from ..resolved import Resolved

FOOTER_BAND = 56.7  # points (2 cm) kept clear at the bottom of the page for its number


def lay_attached_pages(pdf: bytes, resolved: Resolved) -> bytes:
    """The paper's PDF with each attached PDF appendix's pages drawn on their pages."""
    attached = [a for a in resolved.paper.appendices if a.source == "pdf" and not a.withheld and a.pages]
    if not attached:
        return pdf
    with pikepdf.open(io.BytesIO(pdf)) as paper:
        pages = _pages_by_destination(paper)
        for appendix in attached:
            data = resolved.sources.read_bytes(resolved.paper_dir / appendix.file, MAX_ATTACHMENT_BYTES)
            # The figures join the appendix's own section of the tag tree, after its heading,
            # so a screen reader meets them where a sighted reader does.
            section = _section_on(paper, pages[f"{appendix.anchor}-title"])
            with pikepdf.open(io.BytesIO(data)) as document:
                for number, page in enumerate(document.pages, 1):
                    target = pages[f"{appendix.anchor}-page-{number}"]
                    mcid = _tag_figure(paper, target, section, _description(appendix, number))
                    _draw(paper, target, page, f"/{_name(appendix)}P{number}", mcid)
        out = io.BytesIO()
        paper.save(out, deterministic_id=True)
        return out.getvalue()


def _name(appendix: Appendix) -> str:
    return "PkAttached" + "".join(ch for ch in (appendix.anchor or "") if ch.isalnum())


def _description(appendix: Appendix, number: int) -> str:
    return f"{appendix.number}: {appendix.title}, page {number} of {appendix.pages} of the attached document " \
           f"{appendix.file_name}"


def _pages_by_destination(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Page]:
    """Named destination → the page it is on (WeasyPrint names one for every element id)."""
    names: Any = pdf.Root.Names.Dests.Names if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names else []
    by_object = {page.obj.objgen: page for page in pdf.pages}
    found = {}
    for name, destination in zip(names[::2], names[1::2], strict=True):
        target = destination[0] if isinstance(destination, pikepdf.Array) else destination.D[0]
        found[str(name)] = by_object[target.objgen]
    return found


def _draw(paper: pikepdf.Pdf, target: pikepdf.Page, source: pikepdf.Page, name: str, mcid: int) -> None:
    """Draw `source` on `target`, above its footer, as marked content `mcid` (a Figure)."""
    form = paper.copy_foreign(source.as_form_xobject())
    box = target.trimbox
    area = pikepdf.Rectangle(float(box[0]), float(box[1]) + FOOTER_BAND, float(box[2]), float(box[3]))
    target.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    placement = target.calc_form_xobject_placement(form, pikepdf.Name(name), area)
    # The page's own content leaves its coordinates changed (WeasyPrint flips them): wrap it
    # in q ... Q, as Page.add_overlay does, so the document is drawn the right way up.
    target.contents_add(b"q\n", prepend=True)
    target.contents_add(b"Q\n/Figure <</MCID %d>> BDC\nq\n" % mcid + placement + b"\nQ\nEMC\n", prepend=False)
    target.contents_coalesce()


def _marked(paper: pikepdf.Pdf, page: pikepdf.Page) -> Any:
    """The structure elements of `page`'s marked content, by MCID (the parent tree's entry),
    made for a page that has none."""
    root = paper.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    if "/StructParents" not in page.obj:
        key = int(root.get("/ParentTreeNextKey", len(nums) // 2))
        page.obj.StructParents = key
        nums.extend(cast(Any, [key, pikepdf.Array()]))
        root.ParentTreeNextKey = key + 1
    key = int(page.obj.StructParents)
    entry: Any = next(nums[i + 1] for i in range(0, len(nums), 2) if int(nums[i]) == key)
    return entry


def _section_on(paper: pikepdf.Pdf, page: pikepdf.Page) -> Any:
    """The structure element (a Sect) holding the heading on `page`: the appendix's section,
    whose heading starts its page. The document element if none is found."""
    root = paper.Root.StructTreeRoot
    stack: list[tuple[Any, Any]] = [(root, root)]
    while stack:
        parent, element = stack.pop(0)
        if str(element.get("/S", "")) == "/H2" and "/Pg" in element and element.Pg.objgen == page.obj.objgen:
            return parent
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                stack.append((element, kid))
    document: Any = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    return document


def _tag_figure(paper: pikepdf.Pdf, page: pikepdf.Page, parent: pikepdf.Dictionary, description: str) -> int:
    """A Figure element under `parent` for new marked content on `page`; its MCID."""
    marked = _marked(paper, page)
    figure = paper.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, P=parent, Pg=page.obj,
        Alt=pikepdf.String(description), K=len(marked)))
    marked.append(figure)
    kids = parent.K
    if not isinstance(kids, pikepdf.Array):
        parent.K = kids = pikepdf.Array([kids])
    kids.append(figure)
    return int(figure.K)
