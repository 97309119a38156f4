"""A second process for one output, so a build's work runs side by side on two cores.

Printing to PDF is most of a build, and loading WeasyPrint a third of that. `paperkit build`
starts this worker first thing when a PDF is wanted: the child loads WeasyPrint while the
parent reads and checks the paper, then prints the page while the parent writes the DOCX and
the web page. A build without a PDF gives the worker its DOCX instead: the child loads the Word
libraries while the parent reads the paper (a third of such a build, measured). The child
reads only the templates' files (fonts, styles, the Word template) and the paper's pictures,
writes nothing, and ends when its job is done or when the parent goes away (its pipe closes).

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
from collections.abc import Callable
from typing import Any

_SAID: set[str] = set()  # what workers have logged, said once in this process


class RenderFailed(Exception):
    """The worker could not make its output (the message is the renderer's)."""


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


class RenderWorker:
    """The parent's end of a worker that makes one output of format `fmt` ("pdf" or "docx")."""

    def __init__(self, fmt: str, pid: int, to_child: int, from_child: int) -> None:
        self.fmt = fmt
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child
        self.busy = False
        self.closed = False

    @classmethod
    def start(cls, fmt: str) -> RenderWorker | None:
        # Forking a process that runs other threads can copy a lock one of them holds, and the
        # child would wait on it for ever: the worker is for the command line's single thread.
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: load the renderer, wait for the job, do it, go
            os.close(request_write)
            os.close(answer_read)
            _child(fmt, request_read, answer_write)
            os._exit(0)
        os.close(request_read)
        os.close(answer_write)
        return cls(fmt, pid, request_write, answer_read)

    def submit(self, *job: Any) -> None:
        """Hand the child the arguments of its renderer (see `_renderer`)."""
        _send(self.to_child, job)
        self.busy = True

    def result(self) -> bytes:
        answer = _receive(self.from_child)
        self.busy = False
        self.close()
        if answer is None:
            raise RenderFailed(f"the {self.fmt.upper()} process ended without making it")
        kind, value, said = answer
        for message in said:  # what the child logged (a missing library) is the parent's to say, once
            if message not in _SAID:
                _SAID.add(message)
                logging.getLogger("paperkit").warning("%s", message)
        if kind != "made":
            raise RenderFailed(str(value))
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


def _renderer(fmt: str) -> Callable[..., bytes]:
    """What the child runs; loaded before the job comes, while the parent reads the paper."""
    if fmt == "pdf":
        from .printer import html_to_pdf  # WeasyPrint, and not the paper's model: the child needs none

        return html_to_pdf
    from .docx import render_docx

    return render_docx


def _child(fmt: str, requests: int, answers: int) -> None:
    said = _Said()
    log = logging.getLogger("paperkit")
    log.handlers[:] = [said]
    log.propagate = False
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler would run its clean-up here
    try:
        render = _renderer(fmt)
        job = _receive(requests)
        if job is None:
            return
        _send(answers, ("made", render(*job), said.messages))
    except BaseException as err:
        with contextlib.suppress(OSError):
            _send(answers, ("error", f"{type(err).__name__}: {err}", said.messages))


def submit_output(worker: RenderWorker, resolved: Any, purpose: str) -> None:
    """Send the worker its job: for a PDF the paper's print page (what render_pdf would print
    in-process), for a DOCX the paper itself."""
    if worker.fmt == "docx":
        worker.submit(resolved, purpose)
        return
    from .html import render_html

    worker.submit(render_html(resolved), None, *resolved.style.search_path)


def finish_output(worker: RenderWorker, resolved: Any) -> bytes:
    """The worker's output; a PDF with any attached PDF appendices' pages laid on their pages."""
    made = worker.result()
    if worker.fmt == "docx":
        return made
    return _with_attached_pages(made, resolved)


def _with_attached_pages(pdf: bytes, resolved: Any) -> bytes:
    if not any(a.source == "pdf" and not a.withheld for a in resolved.paper.appendices):
        return pdf  # most papers: no need to load the PDF library here
    from .attached import lay_attached_pages

    return lay_attached_pages(pdf, resolved)
