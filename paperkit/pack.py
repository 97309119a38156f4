"""Agenda packs: a meeting's front sheet and papers as one PDF, plus each item and an index page.

Exempt by construction: the public pack is made from the public agenda items only, each read
with the "public" audience, so no exempt paper or exempt appendix is ever opened for it. The
private pack (--private) is made separately, into its own folder.

Papers render in parallel, one process per core; a paper whose content, template and paperkit
version are unchanged is taken from a cache instead of being rendered again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import __version__
from .diagnostics import ContentError, Diagnostic, Diagnostics, Loc
from .frontmatter import format_date
from .meeting import AgendaItem, Meeting, read_meeting
from .outputs import write_atomic
from .readers.meta import read_meta
from .style import HouseStyle, load_style

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Job:
    """One paper to render for a pack (picklable: it crosses into a worker process)."""

    paper_dir: str
    templates_root: str
    agenda_item: str
    audience: str  # "public" | "private"
    want_html: bool


@dataclass
class Rendered:
    title: str = ""
    portfolio: str = ""
    pages: int = 0
    pdf: bytes = b""
    html: bytes = b""
    problems: list[Diagnostic] = field(default_factory=list)  # when the paper has errors
    cached: bool = False


@dataclass(frozen=True)
class PackItem:
    """An agenda line as the front sheet and index print it."""

    number: str
    title: str
    text: str = ""
    portfolio: str = ""
    paper: str | None = None
    exempt_notice: str = ""
    public_interest: str = ""
    page: int | None = None
    file_stem: str = ""


def render_job(job: Job) -> Rendered:
    """Worker: load and render one paper (never raises for content errors: returns them)."""
    from pypdf import PdfReader

    from .clearance import publication_diagnostics
    from .pipeline import load
    from .render.html import render_html_file
    from .render.pdf import render_pdf

    try:
        resolved = load(Path(job.paper_dir), Path(job.templates_root), job.audience, job.agenda_item)
    except ContentError as err:
        return Rendered(problems=err.diagnostics.sorted())
    if job.audience == "public":
        refused = publication_diagnostics(resolved.paper, resolved.style)
        if refused.has_errors:
            return Rendered(problems=refused.sorted())
    pdf = render_pdf(resolved)
    html = render_html_file(resolved) if job.want_html else b""
    meta = resolved.paper.meta
    return Rendered(title=meta.title, portfolio=str(meta.fields.get("portfolio", "")),
                    pages=len(PdfReader(io.BytesIO(pdf)).pages), pdf=pdf, html=html)


def cache_key(job: Job) -> str:
    """Everything a paper's outputs depend on: its files, its template's files, paperkit's version."""
    digest = hashlib.sha256(json.dumps([__version__, asdict(job)], sort_keys=True).encode())
    paper_dir, templates_root = Path(job.paper_dir), Path(job.templates_root)
    for folder in (paper_dir, templates_root):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class _Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> Rendered | None:
        meta = self.folder / f"{key}.json"
        if not meta.is_file():
            return None
        info = json.loads(meta.read_text(encoding="utf-8"))
        html = self.folder / f"{key}.html"
        return Rendered(title=info["title"], portfolio=info["portfolio"], pages=info["pages"],
                        pdf=(self.folder / f"{key}.pdf").read_bytes(),
                        html=html.read_bytes() if html.is_file() else b"", cached=True)

    def unchanged_outputs(self, pack_key: str) -> list[Path] | None:
        """The files a pack with this key wrote, if every one is still there as it was written."""
        record = self.folder / f"pack-{pack_key}.json"
        if not record.is_file():
            return None
        files = json.loads(record.read_text(encoding="utf-8"))
        paths = [Path(name) for name in files]
        if all(p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == files[str(p)] for p in paths):
            return paths
        return None

    def record_outputs(self, pack_key: str, paths: list[Path]) -> None:
        files = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
        write_atomic(self.folder / f"pack-{pack_key}.json", json.dumps(files).encode())

    def put(self, key: str, rendered: Rendered) -> None:
        write_atomic(self.folder / f"{key}.pdf", rendered.pdf)
        if rendered.html:
            write_atomic(self.folder / f"{key}.html", rendered.html)
        info = {"title": rendered.title, "portfolio": rendered.portfolio, "pages": rendered.pages}
        write_atomic(self.folder / f"{key}.json", json.dumps(info).encode())  # last: marks the entry complete


def render_all(jobs: list[Job], keys: list[str], cache: _Cache, workers: int, echo: Echo,
               label: str) -> list[Rendered]:
    """Every job's outputs (`keys` are their cache keys), from the cache or rendered in parallel,
    with a line of progress each."""
    results: list[Rendered | None] = [cache.get(key) for key in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    for i, result in enumerate(results):
        if result is not None:
            echo(f"[{label}] item {jobs[i].agenda_item}: {Path(jobs[i].paper_dir).name} unchanged (cached)")
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            futures = {i: pool.submit(render_job, jobs[i]) for i in todo}
            for i, future in futures.items():
                rendered = future.result()
                results[i] = rendered
                name = Path(jobs[i].paper_dir).name
                if rendered.problems:
                    echo(f"[{label}] item {jobs[i].agenda_item}: {name} has errors")
                    continue
                cache.put(keys[i], rendered)
                echo(f"[{label}] item {jobs[i].agenda_item}: {name} built ({rendered.pages} pages)")
    done = [r for r in results if r is not None]
    problems = [p for r in done for p in r.problems]
    if problems:
        raise ContentError(Diagnostics(problems))
    return done


def build_pack(meeting_path: Path, content_dir: Path, templates_root: Path, out_dir: Path, *,
               private: bool = False, workers: int | None = None, echo: Echo = print) -> list[Path]:
    """Build the meeting's public pack (and, if asked, its private pack); returns the files written."""
    meeting = read_meeting(meeting_path, content_dir)
    diags = Diagnostics()
    style = load_style(templates_root, meeting.template, Loc(meeting.loc.path, 1), diags)
    if style is None:
        raise ContentError(diags)
    folder = out_dir / meeting.name
    cache = _Cache(out_dir / ".cache")
    workers = workers or os.cpu_count() or 1
    public = [item for item in meeting.items if item.public]
    written = _pack(meeting, style, public, "public", content_dir, templates_root, folder, cache, workers, echo)
    private_folder = folder / "private"
    if private:
        written += _pack(meeting, style, list(meeting.items), "private", content_dir, templates_root,
                         private_folder, cache, workers, echo)
    elif private_folder.exists():
        shutil.rmtree(private_folder)  # a private pack is never left beside a public one by accident
    return written


def _pack(meeting: Meeting, style: HouseStyle, items: list[AgendaItem], audience: str, content_dir: Path,
          templates_root: Path, folder: Path, cache: _Cache, workers: int, echo: Echo) -> list[Path]:
    papers = [item for item in items if item.paper]
    jobs = [Job(str(content_dir / str(item.paper)), str(templates_root), item.number, audience,
                want_html=audience == "public") for item in papers]
    # The whole pack is unchanged when its meeting file and every paper's key are: nothing to do.
    keys = [cache_key(job) for job in jobs]  # each hashes a paper's and its template's files: once
    pack_key = hashlib.sha256(json.dumps([__version__, audience, Path(meeting.loc.path).read_text(encoding="utf-8"),
                                          keys]).encode()).hexdigest()
    unchanged = cache.unchanged_outputs(pack_key)
    if unchanged is not None:
        echo(f"[{audience}] pack unchanged: {unchanged[0]}")
        return unchanged
    rendered = dict(zip((item.number for item in papers), render_all(jobs, keys, cache, workers, echo, audience),
                        strict=True))
    lines = _agenda_lines(meeting, style, audience, content_dir, rendered)
    front, lines = _front_sheet(meeting, style, lines, audience, rendered)
    pack = _combine(meeting, style, front, lines, rendered, audience)
    stem = f"{meeting.name}-{audience}-pack"
    written = [folder / f"{stem}.pdf", folder / f"{meeting.name}-agenda.pdf"]
    write_atomic(written[0], pack)
    write_atomic(written[1], front)
    for line in lines:
        if line.paper and line.number in rendered:
            result = rendered[line.number]
            written.append(folder / "items" / f"{line.file_stem}.pdf")
            write_atomic(written[-1], result.pdf)
            if result.html:
                written.append(folder / "items" / f"{line.file_stem}.html")
                write_atomic(written[-1], result.html)
    if audience == "public":
        written.append(folder / "index.html")
        write_atomic(written[-1], _index(meeting, style, lines, stem).encode("utf-8"))
    cache.record_outputs(pack_key, written)
    echo(f"[{audience}] pack: {written[0]}")
    return written


def _agenda_lines(meeting: Meeting, style: HouseStyle, audience: str, content_dir: Path,
                  rendered: dict[str, Rendered]) -> list[PackItem]:
    """Every agenda item for the front sheet. An exempt item on the public agenda shows its title
    and portfolio (from its paper.yaml, which is public) and why it is exempt, nothing more."""
    lines = []
    for item in meeting.items:
        notice = style.exempt_notice.format(paragraph=item.exempt.paragraph) if item.exempt else ""
        interest = item.exempt.public_interest if item.exempt else ""
        if item.paper is None:
            lines.append(PackItem(item.number, item.title, text=item.text))
            continue
        result = rendered.get(item.number)
        if result is None:  # exempt, public agenda: read paper.yaml only, never the paper's text
            meta = read_meta(content_dir / item.paper / "paper.yaml", Diagnostics())
            title = meta.title if meta else item.paper
            portfolio = str(meta.fields.get("portfolio", "")) if meta else ""
        else:
            title, portfolio = result.title, result.portfolio
        stem = f"{int(item.number):02d}-{item.paper}"
        lines.append(PackItem(item.number, title, portfolio=portfolio, paper=item.paper, exempt_notice=notice,
                              public_interest=interest, file_stem=stem))
    return lines


def _environment(style: HouseStyle) -> Environment:
    return Environment(loader=FileSystemLoader(style.search_path), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


def _meeting_words(meeting: Meeting, style: HouseStyle) -> dict[str, str]:
    date = format_date(meeting.date, style.date_format)
    return {"committee": meeting.committee, "date": date, "time": meeting.time, "venue": meeting.venue,
            "meeting_line": style.meeting_line.format(meeting=meeting.committee, date=date)}


def _front_sheet(meeting: Meeting, style: HouseStyle, lines: list[PackItem], audience: str,
                 rendered: dict[str, Rendered]) -> tuple[bytes, list[PackItem]]:
    """The agenda as a PDF, with the pack page each paper starts on. Its own length decides
    those numbers, so it is laid out until the numbers stop changing (twice, in practice)."""
    from pypdf import PdfReader

    from .render.pdf import html_to_pdf

    template = _environment(style).get_template(style.agenda_template.name)
    front_pages = 1
    for _attempt in range(4):
        page = front_pages + 1
        numbered = []
        for line in lines:
            result = rendered.get(line.number) if line.paper else None
            numbered.append(PackItem(**{**asdict(line), "page": page if result else None}))
            page += result.pages if result else 0
        html = template.render(meeting=_meeting_words(meeting, style), items=numbered, private=audience == "private",
                               stylesheet=style.stylesheet.name)
        pdf = html_to_pdf(html, style.stylesheet.parent, *style.search_path)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages == front_pages:
            return pdf, numbered
        front_pages = pages
    raise RuntimeError("the agenda's page numbers did not settle")  # a template whose length keeps changing


def _combine(meeting: Meeting, style: HouseStyle, front: bytes, lines: list[PackItem],
             rendered: dict[str, Rendered], audience: str) -> bytes:
    """Front sheet and papers in agenda order, a bookmark per item, every page stamped with its pack page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    words = _meeting_words(meeting, style)
    writer.add_outline_item(title=style.pack_words["agenda_bookmark"], page_number=0)
    for line in lines:
        result = rendered.get(line.number) if line.paper else None
        if result is None:
            continue
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(result.pdf)), import_outline=False)
        writer.add_outline_item(title=f"{line.number}. {line.title}", page_number=start)
    stamps = PdfReader(io.BytesIO(_stamps(style, len(writer.pages), audience)))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
    title = style.pack_words["title"].format(**words)
    writer.add_metadata({"/Title": title, "/Subject": words["meeting_line"], "/Producer": f"paperkit {__version__}"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamps(style: HouseStyle, total: int, audience: str) -> bytes:
    """One page per pack page, blank but for "Page N" (and the private marking), to lay over it."""
    from weasyprint import HTML

    from .render.pdf import ConfinedFetcher

    template = _environment(style).get_template(style.stamp_template.name)
    html = template.render(total=total, private=audience == "private")
    folder = style.stamp_template.parent
    pdf = HTML(string=html, base_url=folder.resolve().as_uri() + "/",
               url_fetcher=ConfinedFetcher(*style.search_path)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _index(meeting: Meeting, style: HouseStyle, lines: list[PackItem], pack_stem: str) -> str:
    template = _environment(style).get_template(style.index_template.name)
    css = Markup(style.web_stylesheet.read_text(encoding="utf-8"))
    return template.render(meeting=_meeting_words(meeting, style), items=lines, pack=f"{pack_stem}.pdf",
                           stylesheet_text=css)
