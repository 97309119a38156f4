"""What the preview shows: the last good rendering of the paper, its diagnostics, its PDF.

Rebuilt on every save. The web page (the paper's publication HTML) is made at once; the PDF
in a thread of its own, after it, so a slow PDF never holds up the page. A content mistake
leaves the last good page in place, with the diagnostics to show over it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ContentError, Diagnostic
from ..model import Appendix, Paper, Section
from ..pipeline import linked_files, load, public_reading
from ..readers.memo import ReadMemo
from ..resolved import Resolved
from ..walk import iter_blocks

Places = dict[str, list[tuple[int, str]]]  # file as diagnostics name it -> (line, anchor in the page), in order


def places_in_page(paper: Paper) -> Places:
    """Where each file's text shows in the page: the line and anchor of every part of it that
    the page gives an id (sections, appendices, numbered paragraphs and items, tables)."""
    places: Places = {}
    parts: list[Section | Appendix] = [*paper.sections, *paper.appendices]
    for part in parts:
        for node in (part, *iter_blocks(part.blocks)):
            anchor = getattr(node, "anchor", None)
            if anchor:
                places.setdefault(node.loc.path, []).append((node.loc.line, anchor))
    for found in places.values():
        found.sort()
    return places


def place_of(places: Places, path: str, line: int) -> str | None:
    """The anchor of the last part of `path` starting at or before `line` (its first if none does)."""
    found = places.get(path)
    if not found:
        return None
    before = [anchor for start, anchor in found if start <= line]
    return before[-1] if before else found[0][1]


@dataclass
class Snapshot:
    version: int = 0
    html: str = ""  # the paper's web page, as last built without errors
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    ok: bool = False
    pdf: bytes | None = None  # the PDF of the last good build, once made
    pdf_version: int = 0
    files: dict[str, bytes] = field(default_factory=dict)  # the paper's linked files, by published path
    readability: list[dict[str, Any]] = field(default_factory=list)  # check --report's table, of the page shown
    built_at: float = 0.0


def readability_rows(resolved: Resolved) -> list[dict[str, Any]]:
    """`paperkit check --report`'s table, for the preview's toolbar."""
    from ..readability import paper_readability

    return [{"title": row.title, "words": row.words, "sentences": row.sentences, "mean": round(row.mean, 1),
             "longest": row.longest,
             "ease": None if row.reading_ease is None else round(row.reading_ease)}
            for row in paper_readability(resolved.paper)]


class PreviewState:
    def __init__(self, paper_dir: Path, templates_root: Path) -> None:
        self.paper_dir = paper_dir
        self.templates_root = templates_root
        self.snapshot = Snapshot()
        self.resolved: Resolved | None = None  # the whole reading, for the sign-off copy
        self.public: Resolved | None = None  # the reading the page and the PDF are made from
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._pdf_thread: threading.Thread | None = None
        self.memo = ReadMemo()  # rebuilds happen one at a time, on the watcher's thread

    def rebuild(self, changed: Iterable[Path] = ()) -> None:
        """Read and render the paper again (reading again only the files that changed, `changed`
        as the watcher names them); the PDF follows in the background."""
        from ..render.html import render_html

        self.memo.forget(changed)
        try:
            resolved = load(self.paper_dir, self.templates_root, memo=self.memo)  # every mistake reported
            public = public_reading(resolved, self.memo)  # the page as published: nothing exempt
        except ContentError as err:
            self._publish(ok=False, diagnostics=err.diagnostics.sorted())
            return
        html = render_html(public, "web")
        files = linked_files(public)
        with self.lock:
            self.resolved, self.public = resolved, public
        self._publish(ok=True, diagnostics=resolved.diagnostics.sorted(), html=html, files=files,
                      readability=readability_rows(public))
        self._start_pdf()

    def _publish(self, ok: bool, diagnostics: list[Diagnostic], html: str | None = None,
                 files: dict[str, bytes] | None = None, readability: list[dict[str, Any]] | None = None) -> None:
        with self.changed:
            snapshot = self.snapshot
            snapshot.version += 1
            snapshot.ok = ok
            # Each links to where its line shows in the page, as last built without errors.
            places = places_in_page(self.public.paper) if self.public is not None else {}
            snapshot.diagnostics = [{"where": str(d.loc), "severity": d.severity, "code": d.code,
                                     "message": d.message, "line": str(d),
                                     "anchor": place_of(places, d.loc.path, d.loc.line)} for d in diagnostics]
            if html is not None:
                snapshot.html = html
                snapshot.files = files or {}
                snapshot.readability = readability or []
            snapshot.built_at = time.monotonic()
            self.changed.notify_all()

    def _start_pdf(self) -> None:
        version = self.snapshot.version
        thread = threading.Thread(target=self._make_pdf, args=(version,), daemon=True, name="paperkit-pdf")
        self._pdf_thread = thread
        thread.start()

    def _make_pdf(self, version: int) -> None:
        from ..render.pdf import render_pdf

        with self.lock:
            public = self.public
        if public is None:
            return
        pdf = render_pdf(public)
        with self.changed:
            if version >= self.snapshot.pdf_version:
                self.snapshot.pdf = pdf
                self.snapshot.pdf_version = version
                self.changed.notify_all()

    def signoff_docx(self) -> bytes | None:
        from ..render.docx import render_docx

        with self.lock:
            resolved = self.resolved
        return render_docx(resolved, "signoff") if resolved is not None else None

    def close(self) -> None:
        """What the preview leaves behind goes when it stops."""

    def folders(self) -> list[Path]:
        """What to watch: the paper's folder and its house style's."""
        resolved = self.resolved
        return [self.paper_dir, *[p for p in (resolved.style.search_path if resolved else ()) if p.is_dir()]]

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """The version after `seen`, once there is one (or `seen` again after `timeout`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot.version != seen, timeout=timeout)
            return self.snapshot.version


class MeetingPreviewState(PreviewState):
    """A meeting's agenda: its public pack built again on every save (papers that did not change
    come from the pack's cache), the agenda's web page shown, every item's page and PDF served."""

    def __init__(self, meeting_path: Path, content_dir: Path, templates_root: Path) -> None:
        super().__init__(content_dir, templates_root)
        self.meeting_path = meeting_path
        self.content_dir = content_dir
        self.out = Path(tempfile.mkdtemp(prefix="paperkit-preview-"))

    def rebuild(self, changed: Iterable[Path] = ()) -> None:
        from ..pack import PaperChanged, build_pack

        name = self.meeting_path.stem
        try:
            # Render processes start from a clean server process: forking this one, which runs
            # the web server's threads, could copy a lock one of them holds.
            build_pack(self.meeting_path, self.content_dir, self.templates_root, self.out, echo=lambda line: None,
                       start_method="forkserver")
        except ContentError as err:
            self._publish(ok=False, diagnostics=err.diagnostics.sorted())
            return
        except PaperChanged:
            return  # saved again while the pack was made: the watcher has that save, and builds again
        folder = self.out / name
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        html = files.pop("index.html", b"").decode("utf-8")
        self._publish(ok=True, diagnostics=[], html=html, files=files)
        with self.changed:
            self.snapshot.pdf = files.get(f"{name}-public-pack.pdf")
            self.snapshot.pdf_version = self.snapshot.version
            self.changed.notify_all()

    def signoff_docx(self) -> bytes | None:
        return None  # an agenda has no sign-off copy

    def close(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)

    def folders(self) -> list[Path]:
        return [self.content_dir, *[p for p in (self.templates_root,) if p.is_dir()]]
