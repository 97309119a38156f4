"""Readers: a paper's folder (paper.yaml and one Markdown file per section) into the model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostics, Loc, display_path
from ..limits import MAX_ATTACHMENT_BYTES, MAX_BLOCKS_PER_PAPER, MAX_INLINES_PER_PAPER
from ..model import Appendix, AppendixSpec, Block, Heading, Paper, Paragraph, Section, Table
from ..resources import attachment_href, pdf_problem
from ..sources import SourceFiles, read_problem
from ..style import HouseStyle, SectionSpec, files_stamp, load_style
from ..walk import inlines_of, iter_blocks, iter_inlines
from .markdown import read_file
from .memo import ReadMemo
from .meta import read_meta


def read_paper(paper_dir: Path, templates_root: Path, diags: Diagnostics, audience: str = "private",
               memo: ReadMemo | None = None) -> tuple[Paper, HouseStyle, SourceFiles] | None:
    """The paper, its house style and the files read for it; None when they cannot be read at all.

    For the "public" audience an exempt appendix's file is never opened: whatever is built
    from this paper cannot contain it. With a `memo` (the preview's), files unchanged since it
    last read them are not read again.
    """
    sources = SourceFiles(paper_dir, public=audience == "public")
    memo = memo or ReadMemo.unused()

    def style_for(name: str, where: Loc) -> HouseStyle | None:
        return load_style(templates_root, name, where, diags)

    paper_yaml = paper_dir / "paper.yaml"
    # paper.yaml is checked against its house style: kept while no template file changes either.
    stamp = files_stamp(templates_root) if memo.keeps else ()
    meta, style = memo.read(("paper.yaml", display_path(paper_yaml), stamp), sources, diags,
                            lambda: read_meta(paper_yaml, diags, style_for, sources))
    if meta is None or not meta.template or style is None:
        return None
    if audience == "public" and not meta.complete:
        # paper.yaml could not be read whole, so which appendices are exempt is not known: a
        # public reading opens nothing more (a private one goes on, to report every mistake).
        return None
    _check_exempt_files(paper_dir, style, meta.appendices, diags)
    for spec in meta.appendices:
        if spec.exempt is not None and spec.file:
            sources.mark_exempt(paper_dir / spec.file, spec.title)
    sections = tuple(_read_section(paper_dir, spec, diags, sources, memo) for spec in style.sections)
    appendices = tuple(_read_appendix(paper_dir, spec, audience, diags, sources, memo) for spec in meta.appendices)
    _report_unused_files(paper_dir, style, {spec.file for spec in meta.appendices if spec.file}, diags)
    _check_size([*sections, *appendices], diags)
    return Paper(meta=meta, sections=sections, appendices=appendices, audience=audience), style, sources


def _check_size(parts: list[Section | Appendix], diags: Diagnostics) -> None:
    """The paper as a whole within the size that builds in under a minute (limits.py)."""
    blocks = inlines = 0
    for part in parts:
        for node in iter_blocks(part.blocks):
            blocks += len(node.rows) if isinstance(node, Table) else isinstance(node, (Paragraph, Heading))
            inlines += sum(1 for _ in iter_inlines(inlines_of(node)))
        if blocks > MAX_BLOCKS_PER_PAPER or inlines > MAX_INLINES_PER_PAPER:
            diags.error(part.loc, "paper-too-large", f"by this file the paper has {blocks:,} paragraphs and "
                        f"table rows and {inlines:,} pieces of text; at most {MAX_BLOCKS_PER_PAPER:,} and "
                        f"{MAX_INLINES_PER_PAPER:,} (publish long data as a separate file)")
            return


def _check_exempt_files(paper_dir: Path, style: HouseStyle, appendices: tuple[AppendixSpec, ...],
                        diags: Diagnostics) -> None:
    """An exempt appendix's file must be no other part's file, through links too: a file both
    exempt and public would be published."""
    public = {(paper_dir / "paper.yaml").resolve(): "paper.yaml"}
    public |= {(paper_dir / spec.file).resolve(): f"the '{spec.title}' section" for spec in style.sections}
    public |= {(paper_dir / spec.file).resolve(): f"public appendix '{spec.title}'"
               for spec in appendices if spec.exempt is None and spec.file}
    for spec in appendices:
        other = public.get((paper_dir / spec.file).resolve()) if spec.exempt is not None and spec.file else None
        if other:
            diags.error(spec.loc, "exempt-conflict", f"exempt appendix '{spec.title}': its file {spec.file} is also "
                        f"{other}, which is published; give the exempt text a file of its own")


def _read_appendix(paper_dir: Path, spec: AppendixSpec, audience: str, diags: Diagnostics,
                   sources: SourceFiles, memo: ReadMemo) -> Appendix:
    withheld = spec.exempt is not None and audience == "public"
    appendix = Appendix(title=spec.title, blocks=(), loc=spec.loc, label=spec.label, exempt=spec.exempt,
                        withheld=withheld, source=spec.source, file=spec.file, note=spec.note)
    if withheld or spec.source == "none":
        return appendix
    path = paper_dir / spec.file
    if not path.is_file():
        diags.error(spec.loc, "file-missing", f"appendix '{spec.title}': no file {spec.file} in the paper's folder")
        return appendix
    if spec.source != "markdown":
        return _read_attached(paper_dir, spec, appendix, diags, sources)
    blocks = _read_markdown(path, False, diags, sources, memo)
    if blocks == ():
        diags.warning(Loc(display_path(path), 1), "appendix-empty", f"appendix '{spec.title}' has no text: it would "
                      "print as a page with a heading only (give its file text, or list it with a note)")
    return replace(appendix, blocks=blocks or (), loc=Loc(display_path(path), 1))


def _read_attached(paper_dir: Path, spec: AppendixSpec, appendix: Appendix, diags: Diagnostics,
                   sources: SourceFiles) -> Appendix:
    """An appendix that is a file of its own: read through the paper's rule (and into its
    fingerprint); a PDF must be one paperkit can add to the paper's PDF."""
    try:
        data = sources.read_bytes(paper_dir / spec.file, MAX_ATTACHMENT_BYTES)
    except OSError as err:
        code, message, _line = read_problem(err)
        diags.error(spec.loc, code, f"appendix '{spec.title}': {message}")
        return appendix
    pages = 0
    if spec.source == "pdf":
        pages, problem = pdf_problem(data)
        if problem:
            diags.error(spec.loc, "appendix-file", f"appendix '{spec.title}': {spec.file} {problem}")
    # An exempt file is never published: the sign-off copy names it, nothing links to it.
    href = "" if spec.exempt is not None else attachment_href(paper_dir.name, spec.file)
    return replace(appendix, pages=pages, href=href)


def _read_section(paper_dir: Path, spec: SectionSpec, diags: Diagnostics, sources: SourceFiles,
                  memo: ReadMemo) -> Section:
    """A section from its file; a missing file reads as empty (the house rules decide if that is allowed)."""
    path = paper_dir / spec.file
    shown = display_path(path)
    blocks = _read_markdown(path, spec.numbered, diags, sources, memo) if path.is_file() else ()
    return Section(id=spec.id, title=spec.title, numbered=spec.numbered, blocks=blocks or (), loc=Loc(shown, 1),
                   readable=blocks is not None)


def _read_markdown(path: Path, numbered: bool, diags: Diagnostics, sources: SourceFiles,
                   memo: ReadMemo) -> tuple[Block, ...] | None:
    """A Markdown file's blocks. Which files are exempt is part of what they depend on: a
    link to an exempt appendix's file is refused, and paper.yaml may have changed that."""
    shown = display_path(path)
    key = ("markdown", shown, numbered, frozenset(sources.exempt))
    return memo.read(key, sources, diags, lambda: read_file(path, shown, numbered, diags, sources))


def _report_unused_files(paper_dir: Path, style: HouseStyle, appendix_files: set[str], diags: Diagnostics) -> None:
    used = {spec.file for spec in style.sections} | appendix_files
    for path in sorted(paper_dir.glob("*.md")):
        if path.name not in used:
            expected = ", ".join(sorted(used))
            diags.warning(
                Loc(display_path(path), 1), "file-unused",
                f"this file is not a section of the '{style.name}' template (its files: {expected})",
            )
