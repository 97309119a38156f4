"""Reads one section's Markdown file into model blocks.

The syntax is CommonMark (markdown-it-py) with two plugins from mdit-py-plugins:
- block attributes: a line `{#label}` just before a paragraph or list item's text labels it;
- roles: {ref}`label` in running text is a cross-reference, written as the target's number
  ({ref}`a, b` names several);
- a paragraph with `{.group}` on the line before is the lead-in of a recommendation group:
  the numbered paragraphs after it, up to the next lead-in, are numbered as a group.
Raw HTML is switched off, so `<b>` in content is text, never markup.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from ..diagnostics import Diagnostics, Loc
from ..limits import (
    MAX_ATTACHMENT_BYTES,
    MAX_INLINES_PER_BLOCK,
    MAX_MARKDOWN_NESTING,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
)
from ..model import (
    Block,
    Group,
    Heading,
    Image,
    Inline,
    Item,
    ItemList,
    LineBreak,
    Link,
    Paragraph,
    Quote,
    Ref,
    Styled,
    Table,
    Text,
)
from ..resources import attachment_href, check_image, check_link, image_kind, image_problem, is_local
from ..sources import MAX_IMAGE_BYTES, PLAIN, FileReader, read_problem, text_or_report
from ..text import first_control, template_syntax, visible_text

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
MISPLACED_LABEL = re.compile(r"\{#[^}\s]*\}")
UNSUPPORTED_BLOCKS = {
    "code_block": "text indented by four or more spaces is read as code; indent the paragraphs "
    "that belong to a numbered paragraph by two spaces, under its text",
    "fence": "code blocks are not supported in a committee paper",
    "hr": "horizontal rules are not supported; sections and paragraphs are separated by paperkit",
}


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # markdown-it quietly leaves file:, data: and javascript: links as plain text; accept
    # every address here so paperkit can say which it refuses, and why (resources.py).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.use(attrs_block_plugin).use(myst_role_plugin).enable("table")


COMMENT = re.compile(r"<!--.*?-->", re.S)


def without_comments(text: str) -> str:
    """Text with <!-- guidance comments --> removed, keeping every line where it was."""
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def read_blocks(text: str, shown: str, numbered: bool, diags: Diagnostics, paper_dir: Path,
                reader: FileReader = PLAIN) -> tuple[Block, ...]:
    """The blocks of a section file. `shown` is the path used in diagnostics; links and
    images may only name files inside `paper_dir`. <!-- comments --> are for the author only."""
    return _read_blocks(text, shown, numbered, diags, paper_dir, reader) or ()


def _read_blocks(text: str, shown: str, numbered: bool, diags: Diagnostics, paper_dir: Path,
                 reader: FileReader) -> tuple[Block, ...] | None:
    """As read_blocks; None when the text is beyond paperkit's limits (after saying so)."""
    tokens = parser().parse(without_comments(text))
    if not _within_limits(tokens, shown, diags):
        return None
    root = SyntaxTreeNode(tokens)
    return _gather_groups(_BlockReader(shown, numbered, diags, paper_dir, reader).blocks(root.children, level=1))


def _gather_groups(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Each group lead-in takes the blocks after it, up to the next lead-in, as its own."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if isinstance(last, Group) and not isinstance(block, Group):
            out[-1] = replace(last, blocks=(*last.blocks, block))
        else:
            out.append(block)
    return tuple(out)


def _within_limits(tokens: list[Token], shown: str, diags: Diagnostics) -> bool:
    """Nesting and paragraph size, checked on the flat token list before anything recursive
    (markdown-it's syntax tree, paperkit's reader) meets them."""
    depth = 0
    for token in tokens:
        depth += token.nesting
        inner = 0
        for child in token.children or ():
            inner += child.nesting
            if depth + inner > MAX_MARKDOWN_NESTING:
                break
        line = token.map[0] + 1 if token.map else 1
        if depth + max(inner, 0) > MAX_MARKDOWN_NESTING:
            diags.error(Loc(shown, line), "markdown-too-deep", f"lists, quotes, emphasis or links here are nested "
                        f"more than {MAX_MARKDOWN_NESTING} deep")
            return False
        if len(token.children or ()) > MAX_INLINES_PER_BLOCK:
            diags.error(Loc(shown, line), "paragraph-too-complex", f"this paragraph has {len(token.children or ()):,} "
                        f"pieces of text and formatting; at most {MAX_INLINES_PER_BLOCK:,} (split it)")
            return False
    return True


def read_file(path: Path, shown: str, numbered: bool, diags: Diagnostics,
              reader: FileReader = PLAIN) -> tuple[Block, ...] | None:
    """The file's blocks, or None when it cannot be read (after saying why)."""
    text = text_or_report(reader, path, shown, diags)
    return None if text is None else _read_blocks(text, shown, numbered, diags, path.parent, reader)


class _BlockReader:
    def __init__(self, shown: str, numbered: bool, diags: Diagnostics, paper_dir: Path, reader: FileReader) -> None:
        self.shown = shown
        self.numbered = numbered
        self.diags = diags
        self.paper_dir = paper_dir
        self.reader = reader

    def loc(self, node: SyntaxTreeNode) -> Loc:
        return Loc(self.shown, node.map[0] + 1 if node.map else 1)

    def blocks(self, nodes: list[SyntaxTreeNode], level: int) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node, level)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, node: SyntaxTreeNode, level: int) -> Block | None:
        if node.type == "paragraph" and "group" in str(node.attrs.get("class", "")).split():
            return self.group(node, level)
        if node.type == "paragraph":
            return Paragraph(self.inlines(node), self.loc(node), self.label(node))
        if node.type in ("bullet_list", "ordered_list"):
            return self.item_list(node, level)
        if node.type == "heading":
            return Heading(int(node.tag[1]), self.inlines(node), self.loc(node), self.label(node))
        if node.type == "blockquote":
            return Quote(self.blocks(node.children, level), self.loc(node))
        if node.type == "table":
            return self.table(node)
        reason = UNSUPPORTED_BLOCKS.get(node.type, f"'{node.type}' is not supported here")
        self.diags.error(self.loc(node), "markdown-unsupported", reason)
        return None

    def group(self, node: SyntaxTreeNode, level: int) -> Block:
        """A group's lead-in (`{.group name="Council" numbering=continue}` on the line before)."""
        loc = self.loc(node)
        inlines = self.inlines(node)
        if not self.numbered or level > 1:
            where = "in a section with numbered paragraphs" if not self.numbered else "at the left margin"
            self.diags.error(loc, "group-misplaced", f"a recommendation group's lead-in belongs {where}")
            return Paragraph(inlines, loc)
        numbering = str(node.attrs.get("numbering", ""))
        if numbering not in ("", "restart", "continue"):
            self.diags.error(loc, "group-numbering", f"numbering={numbering} must be restart or continue")
        restart = None if numbering not in ("restart", "continue") else numbering == "restart"
        name = visible_text(str(node.attrs.get("name", ""))).strip()
        return Group(inlines, (), loc, name=name, restart=restart, label=self.label(node))

    def table(self, node: SyntaxTreeNode) -> Table:
        """A Markdown table; `{#label caption="..."}` on the line before names and captions it."""
        head = next((c for c in node.children if c.type == "thead"), None)
        body = next((c for c in node.children if c.type == "tbody"), None)
        header_row = head.children[0] if head and head.children else None
        header = tuple(self.inlines(cell) for cell in header_row.children) if header_row else ()
        rows = tuple(tuple(self.inlines(cell) for cell in row.children) for row in (body.children if body else []))
        align = tuple(_alignment(cell) for cell in header_row.children) if header_row else ()
        if not any(cell for cell in header):
            self.diags.error(self.loc(node), "table-header", "a table needs a header row that names its columns")
        if len(rows) > MAX_TABLE_ROWS or len(header) > MAX_TABLE_COLUMNS:
            self.diags.error(self.loc(node), "table-too-large", f"this table has {len(rows):,} rows and "
                             f"{len(header):,} columns; at most {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_COLUMNS} "
                             "columns (publish larger data as a separate file and link to it)")
        caption = visible_text(str(node.attrs.get("caption", ""))).strip()
        return Table(header, rows, align, self.loc(node), caption=caption, label=self.label(node))

    def label(self, node: SyntaxTreeNode) -> str | None:
        label = node.attrs.get("id")
        if label is None:
            return None
        label = str(label)
        if not LABEL.match(label):
            self.diags.error(
                self.loc(node), "label-syntax",
                f"label '{label}' must start with a letter and use only letters, digits, - and _",
            )
        return label

    def item_list(self, node: SyntaxTreeNode, level: int) -> ItemList:
        if node.type == "ordered_list" and self.numbered:
            self.diags.warning(
                self.loc(node), "typed-number",
                "paperkit numbers paragraphs itself; start each one with '- ' instead of a number",
            )
        items = tuple(self.item(child, level) for child in node.children)
        return ItemList(items, self.loc(node), numbered=self.numbered, level=level)

    def item(self, node: SyntaxTreeNode, level: int) -> Item:
        blocks = self.blocks(node.children, level + 1)
        # A label written on the item's first line labels the item, not just its first paragraph.
        label = None
        if blocks and isinstance(blocks[0], Paragraph) and blocks[0].label:
            label = blocks[0].label
            blocks = (Paragraph(blocks[0].inlines, blocks[0].loc), *blocks[1:])
        return Item(blocks, self.loc(node), label=label, level=level)

    def inlines(self, node: SyntaxTreeNode) -> tuple[Inline, ...]:
        inline = node.children[0] if node.children else None
        if inline is None:
            return ()
        line = inline.map[0] + 1 if inline.map else self.loc(node).line
        return _InlineReader(self.shown, line, self.diags, self.paper_dir, self.reader).read(inline.children)


def _alignment(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


class _InlineReader:
    """Inline nodes, tracking line breaks so a reference's diagnostic names its own line."""

    def __init__(self, shown: str, line: int, diags: Diagnostics, paper_dir: Path, reader: FileReader) -> None:
        self.shown = shown
        self.line = line
        self.diags = diags
        self.paper_dir = paper_dir
        self.reader = reader

    def read(self, nodes: list[SyntaxTreeNode]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            inline = self.inline(node)
            if isinstance(inline, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + inline.text)  # one text, however the lines were broken
            elif inline is not None:
                out.append(inline)
        return tuple(out)

    def inline(self, node: SyntaxTreeNode) -> Inline | None:
        kind = node.type
        if kind == "text":
            self.check_text(node.content)
            return Text(visible_text(node.content))
        if kind == "softbreak":
            self.line += 1
            return Text(" ")
        if kind == "hardbreak":
            self.line += 1
            return LineBreak()
        if kind in ("em", "strong"):
            return Styled(kind, self.read(node.children))
        if kind == "code_inline":
            self.check_text(node.content)
            return Styled("code", (Text(visible_text(node.content)),))
        if kind == "link":
            return self.link(node)
        if kind == "image":
            return self.image(node)
        if kind == "myst_role":
            return self.role(node)
        self.diags.error(Loc(self.shown, self.line), "markdown-unsupported", f"'{kind}' is not supported here")
        return None

    def link(self, node: SyntaxTreeNode) -> Inline:
        href = str(node.attrs.get("href", ""))
        children = self.read(node.children)
        loc = Loc(self.shown, self.line)
        if not check_link(href, self.paper_dir, loc, self.diags):
            return Styled("em", children)  # never built: the error above stops the build
        if not is_local(href):
            return Link(href, children)
        return self.file_link(href, children, loc)

    def file_link(self, href: str, children: tuple[Inline, ...], loc: Loc) -> Inline:
        """A link to a file of the paper, which is published beside the outputs."""
        path = self.paper_dir / unquote(urlsplit(href).path)
        try:
            # Read now, through the same rule as every file of the paper (and into its fingerprint).
            self.reader.read_bytes(path, MAX_ATTACHMENT_BYTES)
        except OSError as err:
            code, message, _line = read_problem(err)
            self.diags.error(loc, code, f"link '{href}': {message}")
            return Styled("em", children)
        if self.reader.is_exempt(path):
            self.diags.error(loc, "exempt-conflict", f"link '{href}' is to an exempt appendix's file, which "
                             "would publish it")
            return Styled("em", children)
        name = path.resolve().relative_to(self.paper_dir.resolve()).as_posix()
        return Link(attachment_href(self.paper_dir.name, name), children, file=name)

    def image(self, node: SyntaxTreeNode) -> Inline | None:
        loc = Loc(self.shown, self.line)
        src = str(node.attrs.get("src", ""))
        alt = visible_text("".join(child.content for child in node.children)).strip()
        path = check_image(src, self.paper_dir, loc, self.diags)
        if not alt:
            self.diags.error(loc, "image-alt", f"image '{src}' needs a description for readers who cannot "
                             "see it: ![what it shows](file)")
        if path is None:
            return None
        try:
            data = self.reader.read_bytes(path, MAX_IMAGE_BYTES)
        except OSError as err:
            code, message, _line = read_problem(err)
            self.diags.error(loc, code, f"image '{src}': {message}")
            return None
        kind = image_kind(data)
        if kind is None:
            self.diags.error(loc, "image-format", f"'{src}' is not a PNG, JPEG or GIF image")
            return None
        problem = image_problem(data)
        if problem:
            self.diags.error(loc, "image-damaged", f"image '{src}' {problem}")
            return None
        mime = f"image/{kind}"
        return Image(src=src, alt=alt, path=str(path), uri=path.as_uri(), data=data, mime=mime, loc=loc)

    def role(self, node: SyntaxTreeNode) -> Inline | None:
        name = node.meta.get("name", "")
        loc = Loc(self.shown, self.line)
        if name != "ref":
            self.diags.error(loc, "role-unknown", f"unknown role {{{name}}}; did you mean {{ref}}?")
            return Text(node.content)
        labels = tuple(label.strip() for label in node.content.split(","))
        for label in labels:
            if not LABEL.match(label):
                self.diags.error(loc, "xref-syntax", f"{{ref}}`{node.content}`: name each label, "
                                 "separated by commas ({ref}`costs, plans`)")
                return Text(node.content)
        return Ref(labels, loc)

    def check_text(self, text: str) -> None:
        """Warn about text that is printed as typed but was probably meant as something else."""
        loc = Loc(self.shown, self.line)
        match = MISPLACED_LABEL.search(text)
        if match:
            self.diags.warning(
                loc, "label-misplaced",
                f"'{match.group(0)}' is printed as text: a label goes on a line of its own "
                "just before the paragraph (or right after '- ')",
            )
        template_syntax(text, loc, self.diags)
        control = first_control(text)
        if control:
            self.diags.warning(loc, "control-character", f"an invisible control character ({control}) "
                               "is printed as its symbol; delete it unless it is meant")
