"""The document model: one typed tree between the readers and the renderers.

Readers build it from YAML and Markdown; the numbering pass fills in numbers and anchors;
the resolving pass fills in the numbers of cross-references. Renderers only read it.

Every node is a frozen dataclass, so a pass returns a new tree (dataclasses.replace)
rather than changing one another pass may still be reading. Each class has a `kind`,
so Jinja templates can branch on node type without Python isinstance checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from .diagnostics import Loc

# ---------------------------------------------------------------------------- inline

# A number as a reference writes it, in pieces: (text, anchor of the target whose own number
# the text is) or (joining text, None). "3.9 a)" is (("3.9", "para-3-9"), (" ", None), ("a)", "para-3-9-a")).
# The DOCX writes each anchored piece as a REF field to that target's bookmark.
NumberPart = tuple[str, str | None]
NumberParts = tuple[NumberPart, ...]


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Styled:
    """Emphasis, strong emphasis or inline code around other inline nodes."""

    kind: ClassVar[str] = "styled"
    style: str  # "em" | "strong" | "code"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link. For a file of the paper, `file` is its path in the paper's folder and `href` where
    it is published beside the outputs (a relative address, the same in every output)."""

    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]
    file: str = ""


@dataclass(frozen=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True)
class RefTarget:
    """One thing a reference names, as it prints: `text` links to `anchor`; `parts` are the same
    text in pieces, each level's number with its own anchor (the DOCX's REF fields)."""

    anchor: str
    text: str
    parts: NumberParts


# A resolved reference prints as pieces: joining words ("Appendices ", " and ") and targets.
RefPiece = str | RefTarget


@dataclass(frozen=True)
class Ref:
    """A cross-reference to one label or several ({ref}`a, b`); the resolving pass sets `pieces`,
    in the house style's words: "3.4", "Appendices B and C", "3.4 to 3.6"."""

    kind: ClassVar[str] = "ref"
    labels: tuple[str, ...]
    loc: Loc
    pieces: tuple[RefPiece, ...] = ()

    @property
    def text(self) -> str:
        return "".join(piece if isinstance(piece, str) else piece.text for piece in self.pieces)


@dataclass(frozen=True)
class Image:
    """A picture from the paper's own folder, read when the paper is read.

    `path` is its checked absolute path and `uri` the same as a file URL (for the PDF
    renderer, whose fetcher may read only the paper's folder); `data` and `mime` are its
    bytes and type, for outputs that embed it.
    """

    kind: ClassVar[str] = "image"
    src: str
    alt: str
    path: str
    uri: str
    data: bytes
    mime: str
    loc: Loc


Inline = Text | Styled | Link | LineBreak | Ref | Image

# ----------------------------------------------------------------------------- block


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    inlines: tuple[Inline, ...]
    loc: Loc
    label: str | None = None


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (the section's own heading comes from the template)."""

    kind: ClassVar[str] = "heading"
    level: int
    inlines: tuple[Inline, ...]
    loc: Loc
    label: str | None = None


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class Item:
    """One entry of an ItemList: a numbered paragraph, a sub-item, or a plain bullet.

    `blocks` are everything that belongs to it: its text, continuation paragraphs and any
    nested list. `number` is its own marker ("3.9", "a)", "(i)"); `full_number` is how a
    cross-reference writes it ("3.9 a) (i)"). Both stay None for plain bullets.
    """

    kind: ClassVar[str] = "item"
    blocks: tuple[Block, ...]
    loc: Loc
    label: str | None = None
    level: int = 1
    number: str | None = None
    full_number: str | None = None
    anchor: str | None = None
    reference_parts: NumberParts = ()


@dataclass(frozen=True)
class ItemList:
    """A run of items. In a numbered section its items are numbered paragraphs."""

    kind: ClassVar[str] = "itemlist"
    items: tuple[Item, ...]
    loc: Loc
    numbered: bool
    level: int = 1


Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A simple table: one header row, body rows of cells, an optional caption.

    Tables are numbered through the paper (`number`, from the house style's pattern), so a
    labelled table can be referred to.
    """

    kind: ClassVar[str] = "table"
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]  # "left" | "right" | "center" | "" per column
    loc: Loc
    caption: str = ""
    label: str | None = None
    number: str | None = None
    anchor: str | None = None
    reference_parts: NumberParts = ()


@dataclass(frozen=True)
class Group:
    """Recommendations under one lead-in ("That Council be recommended to approve:"), numbered
    as the house style numbers groups: from 1 again, or on from the group before.

    `name` is whom they go to as references print it ("recommendation 2 (ii) to Council");
    `restart` is the paper's choice, None to follow the house style.
    """

    kind: ClassVar[str] = "group"
    lead_in: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    loc: Loc
    name: str = ""
    restart: bool | None = None
    label: str | None = None


Block = Paragraph | Heading | Quote | ItemList | Table | Group

# ------------------------------------------------------------------------ structure


@dataclass(frozen=True)
class Section:
    kind: ClassVar[str] = "section"
    id: str
    title: str
    numbered: bool  # whether its list items are numbered paragraphs
    blocks: tuple[Block, ...]
    loc: Loc
    number: str | None = None  # as references write it: "3"
    heading_number: str | None = None  # as the heading prints it: "3."
    anchor: str | None = None
    reference_parts: NumberParts = ()
    readable: bool = True  # False when its file exists but could not be read (already reported)


@dataclass(frozen=True)
class Exemption:
    """Why text is not for publication: a paragraph of Local Government Act 1972, Schedule 12A, Part 1."""

    paragraph: int
    public_interest: str = ""


@dataclass(frozen=True)
class AppendixSpec:
    """An appendix as paper.yaml lists it: `file` is "" for a title only ("to follow")."""

    title: str
    file: str
    loc: Loc
    label: str | None = None
    exempt: Exemption | None = None
    note: str = ""  # printed after its title in the list of appendices: "to follow"

    @property
    def source(self) -> str:
        """What the appendix is: markdown (printed after the paper), pdf (its pages added to the
        PDF), file (listed and published beside the outputs) or none (a title only)."""
        suffix = self.file.rsplit(".", 1)[-1].lower() if "." in self.file else ""
        return "none" if not self.file else "markdown" if suffix == "md" else "pdf" if suffix == "pdf" else "file"


@dataclass(frozen=True)
class Appendix:
    """An appendix of the paper. `withheld` when it is exempt and this copy is for the public:
    then its file was never read and `blocks` is empty; `notice` says why it is not here.

    `source` is as AppendixSpec.source. An attached file (pdf, file) has `file`, its path in
    the paper's folder, and `href`, where it is published beside the outputs ("" when exempt:
    an exempt file is never published); a PDF has its `pages`.
    """

    kind: ClassVar[str] = "appendix"
    title: str
    blocks: tuple[Block, ...]
    loc: Loc
    label: str | None = None
    exempt: Exemption | None = None
    withheld: bool = False
    number: str | None = None
    anchor: str | None = None
    reference_parts: NumberParts = ()
    notice: str = ""
    source: str = "markdown"
    file: str = ""
    href: str = ""
    pages: int = 0
    note: str = ""
    list_words: tuple[str, str] = ("", "")  # its line in the list of appendices: the words around its number
    file_words: tuple[str, str] = ("", "")  # the words before and after its file's name in that list
    attached_words: tuple[str, str] = ("", "")  # under its heading, before and after the file's name (a PDF)

    @property
    def file_name(self) -> str:
        return self.file.rsplit("/", 1)[-1]

    @property
    def list_line(self) -> str:
        return self.list_words[0] + (self.number or "") + self.list_words[1]

    @property
    def has_page(self) -> bool:
        """Whether it has pages of its own (Markdown text, an attached PDF, or the notice of a
        withheld one); if not, it is only a line in the list of appendices, which references reach."""
        return self.source in ("markdown", "pdf") or self.withheld


@dataclass(frozen=True)
class Author:
    name: str
    job_title: str
    telephone: str
    email: str


AUTHOR_KEYS = ("name", "job_title", "telephone", "email")  # Author's fields, as paper.yaml names them


@dataclass(frozen=True)
class Clearance:
    """One sign-off recorded in paper.yaml: who (by role), when, and with what result."""

    role: str
    status: str  # cleared | pending | comments
    loc: Loc
    name: str = ""
    date: dt.date | None = None
    comments: str = ""


@dataclass(frozen=True)
class ClearanceRow:
    """A line of the sign-off copy's clearance table, as words ready to print."""

    role: str
    name: str
    date: str
    status: str


# A heading fact by its kind: text, list (lines), yes-no, date, person (name, then role).
FieldValue = str | list[str] | bool | dt.date | tuple[str, ...] | None


@dataclass(frozen=True)
class Meta:
    """What paper.yaml says about the paper, typed."""

    template: str
    meeting: str
    date: dt.date
    title: str
    loc: Loc
    agenda_item: str | None = None
    fields: dict[str, FieldValue] = field(default_factory=dict)  # the house style's heading facts
    author: Author | None = None
    background_papers: tuple[str, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    appendices: tuple[AppendixSpec, ...] = ()
    appendix_style: str | None = None  # one of the house style's appendix_choices, if the paper picks one
    appendix_start: int = 1  # the number of its first appendix
    glossary: dict[str, str] = field(default_factory=dict)  # acronyms it uses unexplained, with their words
    lines: dict[str, int] = field(default_factory=dict)  # paper.yaml key → line, for diagnostics
    complete: bool = True  # False when paper.yaml had errors: only `template` and `lines` are known


@dataclass(frozen=True)
class HeaderField:
    label: str
    value: str


@dataclass(frozen=True)
class HeadingBlock:
    """The top of the paper, as words ready to print (made from Meta by the house style)."""

    meeting_line: str
    title: str
    fields: tuple[HeaderField, ...]
    agenda_item: str | None
    date_text: str
    urgency: str | None = None  # the house style's urgency paragraph, when paper.yaml gives a reason
    exemptions: tuple[str, ...] = ()  # for each exempt appendix, the statement of why (Schedule 12A)


@dataclass(frozen=True)
class Paper:
    meta: Meta
    sections: tuple[Section, ...]
    appendices: tuple[Appendix, ...] = ()
    audience: str = "private"  # "public": exempt material was never read into this paper
    heading: HeadingBlock | None = None
    clearance_rows: tuple[ClearanceRow, ...] = ()  # for the sign-off copy only
