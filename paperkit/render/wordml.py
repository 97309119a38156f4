"""WordprocessingML builders: the raw `w:` XML that paperkit writes into Word documents.

The one place that makes runs, fields, bookmarks and hyperlinks, shared by everything that
writes Word (the DOCX renderer now; import and tracked-change diffs later). python-docx has
no API for fields or bookmarks, so they are built here as elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


@dataclass
class RunStyle:
    code_font: str  # the house style's font for `code` text
    bold: bool = False
    italic: bool = False
    code: bool = False

    def with_style(self, style: str) -> RunStyle:
        return RunStyle(
            code_font=self.code_font,
            bold=self.bold or style == "strong",
            italic=self.italic or style == "em",
            code=self.code or style == "code",
        )


class Bookmarks:
    """Word bookmark names for the model's anchors, unique by construction.

    Word allows letters, digits and underscores, at most 40 characters. An anchor's name is
    the anchor with "-" as "_", cut to 40; should two anchors cut to the same name, the later
    one gets a numbered ending instead. A reference and its target ask for the name of the
    same anchor, so they always agree, in whichever order they are written.
    """

    LIMIT = 40

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.taken: set[str] = set()
        self.next_id = 1

    def name(self, anchor: str) -> str:
        if anchor not in self.names:
            base = anchor.replace("-", "_")[: self.LIMIT]
            name, count = base, 1
            while name in self.taken:
                count += 1
                suffix = f"_{count}"
                name = base[: self.LIMIT - len(suffix)] + suffix
            self.names[anchor] = name
            self.taken.add(name)
        return self.names[anchor]

    def start(self, paragraph: Any, name: str) -> str:
        """A bookmarkStart named `name` (as it is: a hidden "_" name) at the paragraph's end; its id."""
        ident = str(self.next_id)
        self.next_id += 1
        node = OxmlElement("w:bookmarkStart")
        node.set(qn("w:id"), ident)
        node.set(qn("w:name"), name)
        paragraph._p.append(node)
        return ident

    def end(self, paragraph: Any, ident: str) -> None:
        node = OxmlElement("w:bookmarkEnd")
        node.set(qn("w:id"), ident)
        paragraph._p.append(node)

    def wrap(self, paragraph: Any, anchor: str, text: str) -> None:
        """`text` as a run of `paragraph`, inside a bookmark named for `anchor`."""
        ident = str(self.next_id)
        self.next_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), ident)
        start.set(qn("w:name"), self.name(anchor))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), ident)
        paragraph._p.append(start)
        paragraph.add_run(text)
        paragraph._p.append(end)


def run(parent: Any, text: str, style: RunStyle) -> Any:
    """A `w:r` holding `text` (spaces kept) with the style's bold, italic and code font."""
    node = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if style.code:
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), style.code_font)
        props.append(fonts)
    for flag, tag in ((style.bold, "w:b"), (style.italic, "w:i")):
        if flag:
            props.append(OxmlElement(tag))
    if len(props):
        node.append(props)
    text_node = OxmlElement("w:t")
    text_node.set(qn("xml:space"), "preserve")
    text_node.text = text
    node.append(text_node)
    parent.append(node)
    return node


def ref_field(paragraph: Any, result: str, bookmark: str, style: RunStyle) -> None:
    """A REF field to `bookmark` (\\h: a hyperlink), its result already filled in."""
    field_char(paragraph, "begin")
    code = run(paragraph._p, "", style)
    code.remove(code.find(qn("w:t")))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" REF {bookmark} \\h "
    code.append(instruction)
    field_char(paragraph, "separate")
    shown = run(paragraph._p, result, style)
    _add_run_style(shown, "Hyperlink")
    field_char(paragraph, "end")


def field_char(paragraph: Any, kind: str) -> None:
    node = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    node.append(char)
    paragraph._p.append(node)


def hyperlink(paragraph: Any, text: str, style: RunStyle, rel_id: str) -> None:
    """A link to the address of relationship `rel_id`, in the template's Hyperlink style."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    link.set(qn("w:history"), "1")
    _add_run_style(run(link, text, style), "Hyperlink")
    paragraph._p.append(link)


def _add_run_style(node: Any, name: str) -> None:
    props = node.find(qn("w:rPr"))
    if props is None:
        props = OxmlElement("w:rPr")
        node.insert(0, props)
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), name)
    props.insert(0, style)
