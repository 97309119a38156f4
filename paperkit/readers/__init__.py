"""Readers: a paper's folder (paper.yaml and one Markdown file per section) into the model."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics, Loc, display_path
from ..model import Paper, Section
from ..style import HouseStyle, SectionSpec, load_style
from .markdown import read_file
from .meta import read_meta


def read_paper(paper_dir: Path, templates_root: Path, diags: Diagnostics) -> tuple[Paper, HouseStyle] | None:
    """The paper and its house style; None when they cannot be read at all."""
    meta = read_meta(paper_dir / "paper.yaml", diags)
    if meta is None or not meta.template:
        return None
    style = load_style(templates_root, meta.template, Loc(meta.loc.path, meta.lines.get("template", 1)), diags)
    if style is None:
        return None
    sections = tuple(_read_section(paper_dir, spec, diags) for spec in style.sections)
    _report_unused_files(paper_dir, style, diags)
    return Paper(meta=meta, sections=sections), style


def _read_section(paper_dir: Path, spec: SectionSpec, diags: Diagnostics) -> Section:
    """A section from its file; a missing file reads as empty (the house rules decide if that is allowed)."""
    path = paper_dir / spec.file
    shown = display_path(path)
    blocks = read_file(path, shown, spec.numbered, diags) if path.is_file() else ()
    return Section(id=spec.id, title=spec.title, numbered=spec.numbered, blocks=blocks or (), loc=Loc(shown, 1),
                   readable=blocks is not None)


def _report_unused_files(paper_dir: Path, style: HouseStyle, diags: Diagnostics) -> None:
    used = {spec.file for spec in style.sections}
    for path in sorted(paper_dir.glob("*.md")):
        if path.name not in used:
            expected = ", ".join(sorted(used))
            diags.warning(
                Loc(display_path(path), 1), "file-unused",
                f"this file is not a section of the '{style.name}' template (its files: {expected})",
            )
