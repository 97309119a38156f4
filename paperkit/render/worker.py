"""A second process for the PDF, so a build's work runs side by side on two cores.

Printing to PDF is most of a build, and loading WeasyPrint a third of that. `paperkit build`
starts this worker first thing when a PDF is wanted: the child loads WeasyPrint while the
parent reads and checks the paper, then prints the page while the parent writes the DOCX and
the web page. The child touches no file but the templates' (fonts, styles) and writes nothing;
it ends when its job is done or when the parent goes away (its pipe closes).

Where `os.fork` is not available, or other threads run (a test runner, a server), `start`
returns None and the PDF is printed in the process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import threading
from pathlib import Path
from typing import Any

_SAID: set[str] = set()  # what workers have logged, said once in this process


class PdfFailed(Exception):
    """The worker could not print the page (the message is WeasyPrint's)."""


def _send(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    os.write(fd, struct.pack(">Q", len(data)))
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _receive(fd: int) -> Any:
    head = _read_exactly(fd, 8)
    if head is None:
        return None
    body = _read_exactly(fd, struct.unpack(">Q", head)[0])
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class PdfWorker:
    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child
        self.busy = False
        self.closed = False

    @classmethod
    def start(cls) -> PdfWorker | None:
        # Forking a process that runs other threads can copy a lock one of them holds, and the
        # child would wait on it for ever: the worker is for the command line's single thread.
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: load WeasyPrint, wait for the page, print it, go
            os.close(request_write)
            os.close(answer_read)
            _child(request_read, answer_write)
            os._exit(0)
        os.close(request_read)
        os.close(answer_write)
        return cls(pid, request_write, answer_read)

    def submit(self, html: str, base: Path | None, allowed: tuple[Path, ...]) -> None:
        _send(self.to_child, (html, base, allowed))
        self.busy = True

    def result(self) -> bytes:
        answer = _receive(self.from_child)
        self.busy = False
        self.close()
        if answer is None:
            raise PdfFailed("the PDF process ended without printing the page")
        kind, value, said = answer
        for message in said:  # what the child logged (a missing library) is the parent's to say, once
            if message not in _SAID:
                _SAID.add(message)
                logging.getLogger("paperkit").warning("%s", message)
        if kind != "pdf":
            raise PdfFailed(str(value))
        return bytes(value)

    def close(self) -> None:
        """Let the child go (it ends when its pipe closes) and collect it; once."""
        if self.closed:
            return
        self.closed = True
        if self.busy:  # the build is being stopped while the page prints: stop the child too
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
        for fd in (self.to_child, self.from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class _Said(logging.Handler):
    """Keeps what the child logs, to hand to the parent with the PDF."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _child(requests: int, answers: int) -> None:
    said = _Said()
    log = logging.getLogger("paperkit")
    log.handlers[:] = [said]
    log.propagate = False
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler would run its clean-up here
    try:
        from .pdf import html_to_pdf  # WeasyPrint: the slow import, while the parent reads the paper

        job = _receive(requests)
        if job is None:
            return
        html, base, allowed = job
        pdf = html_to_pdf(html, base, *allowed)
        _send(answers, ("pdf", pdf, said.messages))
    except BaseException as err:
        with contextlib.suppress(OSError):
            _send(answers, ("error", f"{type(err).__name__}: {err}", said.messages))


def submit_page(worker: PdfWorker, resolved: Any) -> None:
    """Send the paper's print page to the worker (what render_pdf would print in-process)."""
    from .html import render_html

    worker.submit(render_html(resolved), None, tuple(resolved.style.search_path))


def finish_page(worker: PdfWorker, resolved: Any) -> bytes:
    """The worker's PDF, with any attached PDF appendices' pages laid on their pages."""
    pdf = worker.result()
    if not any(a.source == "pdf" and not a.withheld for a in resolved.paper.appendices):
        return pdf  # most papers: no need to load the PDF library here
    from .attached import lay_attached_pages

    return lay_attached_pages(pdf, resolved)
