"""Agenda packs: a meeting's front sheet and papers as one PDF, plus each item and an index page.

Exempt by construction: the public pack is made from the public agenda items only, each read
with the "public" audience, so no exempt paper or exempt appendix is ever opened for it (not
to render, not to check, not to hash for the cache). An exempt item's line on the public agenda
comes from the meeting file. The private pack (--private) is made separately, into its own folder.

Papers are read and checked here, then render in parallel, one process per core; a paper
whose files, template and paperkit version are unchanged is taken from a cache instead.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from . import __version__
from .diagnostics import ContentError, Diagnostics, Loc
from .frontmatter import exempt_notice, format_date, meeting_line, public_interest_statement
from .meeting import AgendaItem, Meeting, read_meeting
from .outputs import replace_folder, write_atomic
from .pipeline import linked_files
from .resolved import Resolved
from .style import HouseStyle, PageMark, load_style

if TYPE_CHECKING:  # loaded when a pack is put together, not for one found unchanged
    import pikepdf

    from .render.stamp import StampFont

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Job:
    """One paper to render for a pack, read and checked for its audience by the pack, with what
    the pack needs of it. The render process reads the paper again itself, so that the pack
    never holds every paper's model at once (picklable: it crosses into that process)."""

    paper_dir: Path
    templates_root: Path
    audience: str
    agenda_item: str
    want_html: bool
    key: str  # the cache key of its outputs, from the pack's reading
    title: str
    portfolio: str
    exemptions: tuple[str, ...]  # its exempt appendices: why each is withheld
    linked: dict[str, bytes]  # the files it links to, by where they are published


class PaperChanged(Exception):
    """A paper's files changed while the pack was being made: what was checked is not what
    would be rendered."""


@dataclass
class Rendered:
    """A rendered paper, as files in the pack's cache: only one paper's bytes are in memory at a time."""

    pages: int
    pdf: Path
    html: Path | None


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
    exemptions: tuple[str, ...] = ()  # its exempt appendices: why each is withheld


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def render_job(job: Job) -> tuple[int, bytes, bytes]:
    """Worker: read `job`'s paper and render it: (pages, PDF, web page or b"")."""
    from .pipeline import load
    from .render.html import render_html_file
    from .render.pdf import render_pdf

    resolved = load(job.paper_dir, job.templates_root, job.audience, job.agenda_item)
    if cache_key(resolved, job.agenda_item, job.want_html, TemplateDigests()) != job.key:
        raise PaperChanged(f"{job.paper_dir.name} changed while the pack was being made; make the pack again")
    pdf = render_pdf(resolved)
    html = render_html_file(resolved) if job.want_html else b""
    return page_count(pdf), pdf, html


class TemplateDigests:
    """The digest of each house style's own files (its folder and those it extends), computed once."""

    def __init__(self) -> None:
        self._known: dict[tuple[Path, ...], str] = {}

    def of(self, style: HouseStyle) -> str:
        folders = style.search_path
        if folders not in self._known:
            digest = hashlib.sha256()
            for folder in folders:
                for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
            self._known[folders] = digest.hexdigest()
        return self._known[folders]


@cache
def paperkit_digest() -> str:
    """paperkit's version and a digest of its own code: a changed renderer is a changed output,
    released or not (a developer's edit must not be hidden by the cache)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")) + sorted(package.rglob("*.yaml")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(resolved: Resolved, agenda_item: str, want_html: bool, templates: TemplateDigests) -> str:
    """Everything a paper's outputs depend on: the files its reading opened (never an exempt
    one in a public reading), its own template's files, the build date and paperkit's version."""
    return hashlib.sha256(json.dumps([
        paperkit_digest(), resolved.audience, agenda_item, want_html, resolved.paper_dir.name,
        resolved.timestamp.isoformat(), resolved.sources.fingerprint(), templates.of(resolved.style),
    ]).encode()).hexdigest()


def _pack_output(name: str) -> bool:
    """The names in a pack's folder that are paperkit's own: anything else there is left alone."""
    return name.startswith("items/") or name == "index.html" or name.endswith(("-pack.pdf", "-agenda.pdf"))


class _Cache:
    """Rendered papers of one audience, by cache key. Public and private renders never share a
    cache, and neither is in the public output folder: the private one lives with the private
    pack, the public one beside the content folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def holds(self, key: str) -> bool:
        return (self.folder / f"{key}.json").is_file()

    def get(self, key: str) -> Rendered | None:
        meta = self.folder / f"{key}.json"
        if not meta.is_file():
            return None
        info = json.loads(meta.read_text(encoding="utf-8"))
        html = self.folder / f"{key}.html"
        return Rendered(pages=info["pages"], pdf=self.folder / f"{key}.pdf", html=html if html.is_file() else None)

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

    def put(self, key: str, pages: int, pdf: bytes, html: bytes) -> Rendered:
        write_atomic(self.folder / f"{key}.pdf", pdf)
        if html:
            write_atomic(self.folder / f"{key}.html", html)
        write_atomic(self.folder / f"{key}.json", json.dumps({"pages": pages}).encode())  # last: the entry is whole
        rendered = self.get(key)
        assert rendered is not None
        return rendered

    def scratch(self, name: str) -> Path:
        """A file of the cache's folder for a pack's own PDF while it is written out."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f".{name}.{os.getpid()}.tmp"


def _load_renderers() -> None:
    """A render process's first act: load WeasyPrint and the views, while the pack reads papers."""
    # Everything it was forked with (the parent's modules and papers read so far) is set aside
    # from garbage collection: every full collection during a render would walk it again, and
    # write to pages it otherwise shares with the parent. (The gc module's own advice for
    # processes forked without exec.)
    gc.freeze()
    from .render import html, pdf  # noqa: F401


class RenderPool:
    """The processes a pack's papers render in, started when the first paper is read that the
    cache does not hold; each paper is given to them as soon as it is read and checked, so they
    load WeasyPrint and render while the pack reads the rest. If a paper has a mistake, no
    render is kept and none not yet begun is begun (every paper's mistakes are still reported
    together, since reading goes on to the end); the mistakes are reported at once, and the
    process ends when the renders in progress do."""

    def __init__(self, size: int, start_method: str | None) -> None:
        self.size = max(1, size)
        self.start_method = start_method
        self.pool: ProcessPoolExecutor | None = None
        self.started: dict[str, Future[tuple[int, bytes, bytes]]] = {}  # by job key

    def render(self, job: Job) -> None:
        """Start rendering `job`, unless it already is."""
        if job.key in self.started:
            return
        if self.pool is None:
            context = multiprocessing.get_context(self.start_method)
            self.pool = ProcessPoolExecutor(self.size, mp_context=context, initializer=_load_renderers)
        self.started[job.key] = self.pool.submit(render_job, job)

    def result(self, job: Job) -> tuple[int, bytes, bytes]:
        self.render(job)
        return self.started.pop(job.key).result()  # popped: its bytes go once they are in the cache

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, error: type[BaseException] | None, *rest: object) -> None:
        if self.pool is None:
            return
        # A mistake in a paper, or a stop: what is not begun never is, and the pack does not wait.
        self.pool.shutdown(wait=error is None, cancel_futures=True)


def render_all(jobs: list[Job], cache: _Cache, pool: RenderPool, echo: Echo, label: str) -> list[Rendered]:
    """Every job's outputs, from the cache or rendered in parallel, with a line of progress each."""
    results: list[Rendered | None] = [cache.get(job.key) for job in jobs]
    for job, result in zip(jobs, results, strict=True):
        if result is not None:
            echo(f"[{label}] item {job.agenda_item}: {job.paper_dir.name} unchanged (cached)")
    for i, job in enumerate(jobs):
        if results[i] is None:
            pool.render(job)
    for i, job in enumerate(jobs):
        if results[i] is None:
            pages, pdf, html = pool.result(job)
            results[i] = cache.put(job.key, pages, pdf, html)
            echo(f"[{label}] item {job.agenda_item}: {job.paper_dir.name} built ({pages} pages)")
    return [r for r in results if r is not None]


def read_jobs(items: list[AgendaItem], audience: str, content_dir: Path, templates_root: Path,
              templates: TemplateDigests, on_read: Callable[[Job], object] = lambda job: None) -> list[Job]:
    """Each paper of `items` read and checked for `audience` (`on_read` told of each as it is);
    ContentError with every paper's problems at once. A public reading opens no exempt
    appendix, so none is checked or hashed."""
    from .clearance import publication_diagnostics
    from .pipeline import load

    jobs, problems = [], Diagnostics()
    for item in items:
        try:
            resolved = load(content_dir / str(item.paper), templates_root, audience, item.number)
        except ContentError as err:
            problems.items.extend(err.diagnostics.items)
            continue
        if audience == "public":
            refused = publication_diagnostics(resolved.paper, resolved.style)
            problems.items.extend(refused.items)
            if refused.has_errors:
                continue
        want_html = audience == "public"
        title, portfolio, exemptions = _about(resolved)
        jobs.append(Job(content_dir / str(item.paper), templates_root, audience, item.number, want_html,
                        cache_key(resolved, item.number, want_html, templates), title, portfolio, exemptions,
                        linked_files(resolved)))
        on_read(jobs[-1])  # the paper's model goes here: each render process reads its paper again
    if problems.has_errors:
        raise ContentError(problems)
    return jobs


def build_pack(meeting_path: Path, content_dir: Path, templates_root: Path, out_dir: Path,
               private_out: Path | None = None, *, private: bool = False, workers: int | None = None,
               echo: Echo = print, start_method: str | None = None) -> list[Path]:
    """Build the meeting's public pack into `out_dir`/MEETING (and, if asked, its private pack into
    `private_out`/MEETING, never inside `out_dir`); returns the files written.

    `out_dir` holds outputs only, so that it can be published as it is: rendered papers are
    cached beside the content folder (.paperkit-cache/), the private ones with the private pack.
    """
    meeting = read_meeting(meeting_path, content_dir)
    diags = Diagnostics()
    style = load_style(templates_root, meeting.template, Loc(meeting.loc.path, 1), diags)
    if style is None:
        raise ContentError(diags)
    workers = workers or os.cpu_count() or 1
    templates = TemplateDigests()
    public = [item for item in meeting.items if item.public]
    context = PackContext(meeting, style, content_dir, templates_root, templates, workers, echo, start_method)
    _remove_legacy_private_pack(out_dir / meeting.name)
    _remove_legacy_cache(out_dir / ".cache")
    public_cache = _Cache(content_dir.parent / ".paperkit-cache" / "public")
    written = _pack(context, public, "public", out_dir / meeting.name, public_cache)
    if private:
        private_root = private_out if private_out is not None else out_dir.parent / "private"
        written += _pack(context, list(meeting.items), "private", private_root / meeting.name,
                         _Cache(private_root / ".cache"))
    return written


def _remove_legacy_cache(folder: Path) -> None:
    """paperkit before 0.2 cached renders, private ones too, in --out/.cache: remove its entries."""
    if folder.is_dir() and not folder.is_symlink():
        for entry in folder.iterdir():
            if re.fullmatch(r"(pack-)?[0-9a-f]{64}\.(json|pdf|html)", entry.name) and entry.is_file():
                entry.unlink()
        with suppress(OSError):
            folder.rmdir()


def _remove_legacy_private_pack(folder: Path) -> None:
    """paperkit before 0.2 put the private pack in the public folder, at private/: remove it."""
    legacy = folder / "private"
    if legacy.is_dir() and not legacy.is_symlink() and any(legacy.glob("*-private-pack.pdf")):
        shutil.rmtree(legacy)


@dataclass(frozen=True)
class PackContext:
    """What every pack of one meeting shares."""

    meeting: Meeting
    style: HouseStyle
    content_dir: Path
    templates_root: Path
    templates: TemplateDigests
    workers: int
    echo: Echo
    start_method: str | None = None  # how render processes start ("forkserver" where threads run)


def _pack(context: PackContext, items: list[AgendaItem], audience: str, folder: Path, cache: _Cache) -> list[Path]:
    """One audience's pack, written into `folder` as a whole set: nothing of an earlier pack
    that this one lacks (an item withdrawn or made exempt) stays."""
    meeting, style, echo = context.meeting, context.style, context.echo
    papers = [item for item in items if item.paper]
    with RenderPool(min(context.workers, len(papers)), context.start_method) as pool:

        def render_unless_cached(job: Job) -> None:
            if not cache.holds(job.key):
                pool.render(job)

        jobs = read_jobs(papers, audience, context.content_dir, context.templates_root, context.templates,
                         on_read=render_unless_cached)
        # The whole pack is unchanged when its meeting file, its template and every paper's key are.
        pack_key = hashlib.sha256(json.dumps([
            paperkit_digest(), audience, Path(meeting.loc.path).read_text(encoding="utf-8"),
            context.templates.of(style), [job.key for job in jobs]]).encode()).hexdigest()
        unchanged = cache.unchanged_outputs(pack_key)
        if unchanged is not None:
            echo(f"[{audience}] pack unchanged: {unchanged[0]}")
            return unchanged
        marks = [style.page_stamp] + ([style.private_marking] if audience == "private" else [])
        fonts = _mark_fonts(marks)  # before any paper is rendered: a font that cannot draw a mark stops the pack
        rendered = dict(zip((job.agenda_item for job in jobs), render_all(jobs, cache, pool, echo, audience),
                            strict=True))
    lines = _agenda_lines(meeting, style, {job.agenda_item: job for job in jobs})
    front, lines = _front_sheet(meeting, style, lines, audience, rendered)
    stem = f"{meeting.name}-{audience}-pack"
    pack = _combine(meeting, style, front, lines, rendered, marks, fonts, cache.scratch(stem))
    files: dict[str, bytes | Path] = {f"{stem}.pdf": pack, f"{meeting.name}-agenda.pdf": front}
    for line in lines:
        if line.paper and line.number in rendered:
            result = rendered[line.number]
            files[f"items/{line.file_stem}.pdf"] = result.pdf
            if result.html:
                files[f"items/{line.file_stem}.html"] = result.html
    for job in jobs:  # the files papers link to, beside the items that link to them
        files |= {f"items/{name}": data for name, data in job.linked.items()}
    if audience == "public":
        files["index.html"] = _index(meeting, style, lines, stem).encode("utf-8")
    try:
        written = replace_folder(folder, files, owns=_pack_output)
    finally:
        pack.unlink(missing_ok=True)
    cache.record_outputs(pack_key, written)
    echo(f"[{audience}] pack: {written[0]}")
    return written


def _agenda_lines(meeting: Meeting, style: HouseStyle, papers: dict[str, Job]) -> list[PackItem]:
    """Every agenda item for the front sheet, each paper's title, portfolio and exemption
    statements from its resolved model. An exempt item on the public agenda shows the title and
    portfolio the meeting file gives it and why it is exempt: no file of its paper is opened."""
    lines = []
    for item in meeting.items:
        notice = exempt_notice(style, item.exempt.paragraph) if item.exempt else ""
        interest = public_interest_statement(style, item.exempt.public_interest) if item.exempt else ""
        if item.paper is None:
            lines.append(PackItem(item.number, item.title, text=item.text))
            continue
        job = papers.get(item.number)
        title, portfolio, exemptions = (item.title, item.portfolio, ()) if job is None else (
            job.title, job.portfolio, job.exemptions)
        stem = f"{int(item.number):02d}-{item.paper}"
        lines.append(PackItem(item.number, title, portfolio=portfolio, paper=item.paper, exempt_notice=notice,
                              public_interest=interest, file_stem=stem, exemptions=exemptions))
    return lines


def _about(resolved: Resolved) -> tuple[str, str, tuple[str, ...]]:
    """A paper's title, portfolio (the fact the style's pack.portfolio_field names) and exemption statements."""
    paper, field_name = resolved.paper, resolved.style.portfolio_field
    portfolio = paper.meta.fields.get(field_name) if field_name else None
    return paper.meta.title, str(portfolio or ""), paper.heading.exemptions if paper.heading else ()


def _environment(style: HouseStyle) -> Environment:
    from .render.html import template_environment

    return template_environment(style)


def _meeting_words(meeting: Meeting, style: HouseStyle) -> dict[str, str]:
    date = format_date(meeting.date, style)  # the agenda prints it on its own too
    return {"committee": meeting.committee, "date": date, "time": meeting.time, "venue": meeting.venue,
            "meeting_line": meeting_line(style, meeting.committee, meeting.date)}


def _front_sheet(meeting: Meeting, style: HouseStyle, lines: list[PackItem], audience: str,
                 rendered: dict[str, Rendered]) -> tuple[bytes, list[PackItem]]:
    """The agenda as a PDF, with the pack page each paper starts on. Its own length decides
    those numbers, so it is laid out until the numbers stop changing (twice, in practice)."""
    from .render.printer import html_to_pdf

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
        pages = page_count(pdf)
        if pages == front_pages:
            return pdf, numbered
        front_pages = pages
    raise RuntimeError("the agenda's page numbers did not settle")  # a template whose length keeps changing


def _mark_fonts(marks: list[PageMark]) -> dict[Path, StampFont]:
    """Each mark's font, subset to what the marks print; ContentError if one cannot draw them."""
    from .render.stamp import StampFontProblem, load_stamp_font, mark_characters

    wanted: dict[Path, set[str]] = {}
    for mark in marks:
        wanted.setdefault(mark.font, set()).update(mark_characters(mark))
    fonts, problems = {}, Diagnostics()
    for path, characters in wanted.items():
        try:
            fonts[path] = load_stamp_font(path, "".join(sorted(characters)))
        except (OSError, StampFontProblem) as err:
            loc = next(mark.loc for mark in marks if mark.font == path)
            problems.error(loc, "style-page-mark", f"the pack's page marks are drawn in {path.name}, which {err}")
    if problems.has_errors:
        raise ContentError(problems)
    return fonts


def _append_pages(pack: pikepdf.Pdf, pdf: bytes) -> None:
    """Add every page of `pdf` to `pack`, keeping its links (clashing names are renamed), and let
    go of `pdf` at once. pikepdf copies page objects but reads their streams from the source
    when the pack is saved, so every source would stay open: some 5 MB each, a pack's memory
    growing with its papers. The copied streams' bytes (compressed, as they are) are taken
    over instead, and the source closed."""
    import pikepdf

    first_new = len(pack.objects)
    with pikepdf.open(io.BytesIO(pdf)) as source:
        pack.add_pages_from(source, outlines="ignore")
        objects = pack.objects
        for index in range(first_new, len(objects)):
            obj = objects[index]
            if isinstance(obj, pikepdf.Stream):
                encoding: Any = {"filter": obj.get("/Filter"), "decode_parms": obj.get("/DecodeParms")}  # as it is
                obj.write(obj.read_raw_bytes(), **encoding)


def _combine(meeting: Meeting, style: HouseStyle, front: bytes, lines: list[PackItem],
             rendered: dict[str, Rendered], marks: list[PageMark], fonts: dict[Path, StampFont], out: Path) -> Path:
    """Front sheet and papers in agenda order, a bookmark per item, every page marked with its
    pack page (drawn as text: no page is printed again), written to `out`."""
    import pikepdf

    from .render.stamp import PageMarker

    words = _meeting_words(meeting, style)
    pack = pikepdf.new()
    bookmarks = [pikepdf.OutlineItem(style.pack_words["agenda_bookmark"], 0)]
    parts = [(None, front)] + [(line, rendered[line.number].pdf) for line in lines
                               if line.paper and line.number in rendered]
    for line, pdf in parts:
        if line is not None:
            bookmarks.append(pikepdf.OutlineItem(f"{line.number}. {line.title}", len(pack.pages)))
        _append_pages(pack, pdf if isinstance(pdf, bytes) else pdf.read_bytes())
    marker = PageMarker(pack, marks, fonts)
    total = len(pack.pages)
    for number, page in enumerate(pack.pages, 1):
        marker.mark(page, number, total)
    with pack.open_outline() as outline:
        outline.root.extend(bookmarks)
    pack.docinfo["/Title"] = style.pack_words["title"].format(**words)
    pack.docinfo["/Subject"] = words["meeting_line"]
    pack.docinfo["/Producer"] = f"paperkit {__version__}"
    pack.Root.Lang = pikepdf.String("en-GB")
    pack.save(out, deterministic_id=True)  # to a file: the pack's bytes are never all in memory
    return out


def _index(meeting: Meeting, style: HouseStyle, lines: list[PackItem], pack_stem: str) -> str:
    template = _environment(style).get_template(style.index_template.name)
    css = Markup(style.web_stylesheet.read_text(encoding="utf-8"))
    return template.render(meeting=_meeting_words(meeting, style), items=lines, pack=f"{pack_stem}.pdf",
                           stylesheet_text=css)
