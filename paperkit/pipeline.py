"""The build: read → number → resolve → render, stopping before rendering on any error."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from .clearance import add_clearance_rows, check_clearance_roles, publication_diagnostics
from .diagnostics import ContentError, Diagnostics
from .frontmatter import add_heading
from .limits import MAX_ATTACHMENT_BYTES
from .model import Link, Paper
from .numbering import number_paper
from .outputs import FORMATS, replace_folder
from .readers import read_paper
from .readers.memo import ReadMemo
from .render.worker import RenderWorker, finish_output, submit_output
from .resolved import Resolved
from .rules import check_rules
from .walk import iter_paper_inlines
from .writing import check_writing
from .xrefs import resolve_refs

EARLIEST, LATEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC), dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def build_timestamp(paper: Paper, diags: Diagnostics) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the paper's date.
    Every output format holds dates from 1980 to 2099 (DOCX is a ZIP file); another
    SOURCE_DATE_EPOCH is reported and the paper's date used."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        stamp = None
        if epoch.isdigit() and len(epoch) <= 12:
            stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if stamp is not None and EARLIEST <= stamp <= LATEST:
            return stamp
        diags.warning(paper.meta.loc, "source-date-epoch", f"SOURCE_DATE_EPOCH={epoch[:20]} is not a time from "
                      "1980 to 2099 in seconds since 1970; the paper's date is used")
    return dt.datetime.combine(paper.meta.date, dt.time(), dt.UTC)


def load(paper_dir: Path, templates_root: Path, audience: str = "private", agenda_item: str | None = None,
         memo: ReadMemo | None = None) -> Resolved:
    """Read and resolve a paper; raises ContentError carrying every diagnostic if any is an error.

    "private" reads everything (sign-off copies, checks); "public" never reads exempt material.
    `agenda_item` is the number a meeting's agenda gives the paper (it wins over paper.yaml's).
    A `memo` (the preview's) keeps what was read, so that only changed files are read again.
    """
    diags = Diagnostics()
    read = read_paper(paper_dir, templates_root, diags, audience, memo)
    if read is None:
        raise ContentError(diags)
    # Every pass runs even after errors, so the author sees all problems in one run.
    paper, style, sources = read
    check_rules(paper, style, paper_dir, diags)
    check_clearance_roles(paper, style, diags)
    paper = number_paper(paper, style, diags)
    paper = resolve_refs(paper, style.references, diags)
    check_writing(paper, style, sources, diags)
    if agenda_item is not None:
        paper = replace(paper, meta=replace(paper.meta, agenda_item=agenda_item))
    paper = add_clearance_rows(add_heading(paper, style), style)
    timestamp = build_timestamp(paper, diags)
    if diags.has_errors:
        raise ContentError(diags)
    return Resolved(paper, style, paper_dir, diags, timestamp, templates_root, sources, audience)


def audience_for(formats: list[str], docx_for: str = "signoff") -> str:
    """The reading a build needs: "public" when every output is for publication, so that such
    a build never opens an exempt file at all, not even to check it; else "private"."""
    return "private" if "docx" in formats and docx_for == "signoff" else "public"


Renderer = Callable[[Resolved, str], bytes]  # (paper, purpose: "signoff" | "publication") → file bytes


def renderer(fmt: str) -> Renderer:
    # Imported here so a DOCX-only build never loads WeasyPrint, and --help stays quick.
    if fmt == "docx":
        from .render.docx import render_docx

        return render_docx
    if fmt == "pdf":
        from .render.pdf import render_pdf

        return render_pdf
    from .render.html import render_html_file

    return render_html_file


def public_reading(resolved: Resolved, memo: ReadMemo | None = None) -> Resolved:
    """The reading publication outputs come from: one that never opened an exempt file. A
    paper with no exempt appendix opened none, so its reading serves as it is, not read twice."""
    if resolved.audience == "public":
        return resolved
    if not any(spec.exempt for spec in resolved.paper.meta.appendices):
        return replace(resolved, paper=replace(resolved.paper, audience="public"), audience="public")
    return load(resolved.paper_dir, resolved.templates_root, audience="public", memo=memo)


def build(resolved: Resolved, formats: list[str], out_dir: Path, name: str, docx_for: str = "signoff",
          worker: RenderWorker | None = None) -> list[Path]:
    """Render every format in memory first, then write each atomically; returns the paths.

    The DOCX is for sign-off (draft marking, clearance table) unless `docx_for` is
    "publication"; the PDF and HTML are always for publication. When any output is for
    publication and the house style requires clearances that are missing, nothing is
    built: ContentError names them.
    """
    purposes = {fmt: docx_for if fmt == "docx" else "publication" for fmt in formats}
    public = None
    if "publication" in purposes.values():
        refused = publication_diagnostics(resolved.paper, resolved.style)
        if refused.has_errors:
            raise ContentError(refused)
        public = public_reading(resolved)

    def reading(fmt: str) -> Resolved:
        return public if purposes[fmt] == "publication" and public else resolved

    # With a worker, its output's job goes to it first and is made there while the others are made here.
    away = worker.fmt if worker is not None and worker.fmt in formats else None
    if worker is not None and away is not None:
        submit_output(worker, reading(away), purposes[away])
    made = {fmt: renderer(fmt)(reading(fmt), purposes[fmt]) for fmt in formats if fmt != away}
    if worker is not None and away is not None:
        made[away] = finish_output(worker, reading(away))
    rendered = {fmt: made[fmt] for fmt in formats}
    # The formats not built this time stay as they were; the set changes in one step.
    outputs = {f"{name}.{fmt}" for fmt in FORMATS}
    files = {f"{name}.{fmt}": data for fmt, data in rendered.items()}
    files |= linked_files(public or resolved)
    folder = f"{resolved.paper_dir.name}-files/"
    replace_folder(out_dir / name, files, owns=lambda n: n in outputs or n.startswith(folder),
                   keep=outputs.__contains__)
    return [out_dir / name / f"{name}.{fmt}" for fmt in rendered]


def linked_files(resolved: Resolved) -> dict[str, bytes]:
    """The files of the paper that it links to or attaches as appendices, by where they are
    published beside the outputs, read again through the reading's own rule (the reader
    checked and fingerprinted them)."""
    wanted = {unquote(inline.href): inline.file for inline in iter_paper_inlines(resolved.paper)
              if isinstance(inline, Link) and inline.file}
    # Appendices that are files of their own, but never an exempt one (its href is empty).
    wanted |= {unquote(a.href): a.file for a in resolved.paper.appendices if a.href and not a.withheld}
    return {href: resolved.sources.read_bytes(resolved.paper_dir / file, MAX_ATTACHMENT_BYTES)
            for href, file in wanted.items()}
