"""`paperkit preview`: the paper in the browser, following the author's saves.

A real server (uvicorn, with starlette's routes) bound to 127.0.0.1 by default; watchfiles
notices saves in the paper's folder and its house style's. It serves only what it made: the
page, its own script and styles, the PDF, the sign-off DOCX and the files the paper links to,
each looked up by name in memory, never a path on disk; anything else is 404. It accepts only
GET and HEAD: nothing can be written through it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import webbrowser
from collections.abc import AsyncIterator
from html import escape
from importlib import resources
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from watchfiles import watch

from .state import MeetingPreviewState, PreviewState

ASSETS = {"preview.js": "text/javascript", "preview.css": "text/css"}
NO_STORE = {"Cache-Control": "no-store"}


def toolbar(paper: str, docx: bool = True) -> str:
    word = '<a href="/paper.docx">Word (sign-off copy)</a>' if docx else ""
    # How readable each section is (check --report's table), filled in by preview.js; not for an agenda.
    report = ('<details class="pk-readability" id="pk-readability"><summary>Readability</summary>'
              '<table><caption>Words, sentences and reading ease (Flesch: 60 to 70 is plain English)</caption>'
              '<thead><tr><th scope="col">Part</th><th scope="col">Words</th><th scope="col">Sentences</th>'
              '<th scope="col">Mean</th><th scope="col">Longest</th><th scope="col">Reading ease</th></tr></thead>'
              '<tbody></tbody></table></details>') if docx else ""
    return (f'<nav class="pk-toolbar" aria-label="Preview of {escape(paper)}"><strong>paperkit preview</strong>'
            f'<a href="/paper.pdf">PDF</a>{word}{report}'
            '<span class="pk-status" id="pk-status" role="status">Up to date</span></nav>'
            '<section class="pk-banner" id="pk-banner" role="alert" aria-labelledby="pk-banner-title" hidden>'
            '<h2 id="pk-banner-title">Problems</h2><ul id="pk-diagnostics"></ul></section>')


def page(state: PreviewState, paper: str) -> str:
    """The paper's web page with the toolbar at the top of its body and the preview's script."""
    snapshot = state.snapshot
    html = snapshot.html or ('<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>'
                             f"{escape(paper)}</title></head><body><main id=\"main\"></main></body></html>")
    head_extra = '<link rel="stylesheet" href="/_paperkit/preview.css">'
    html = html.replace("</head>", head_extra + "</head>", 1)
    html = html.replace("<body>", "<body>" + toolbar(paper, docx=not isinstance(state, MeetingPreviewState)), 1)
    html = html.replace("</body>", '<script src="/_paperkit/preview.js"></script></body>', 1)
    return html.replace("<html ", f'<html data-pk-version="{snapshot.version}" ', 1)


def make_app(state: PreviewState, paper: str) -> Starlette:
    async def index(request: Request) -> Response:
        return HTMLResponse(page(state, paper), headers=NO_STORE)

    async def current(request: Request) -> Response:
        snapshot = state.snapshot
        return JSONResponse({"version": snapshot.version, "ok": snapshot.ok, "diagnostics": snapshot.diagnostics,
                             "html": snapshot.html, "has_page": bool(snapshot.html),
                             "readability": snapshot.readability, "pdf_version": snapshot.pdf_version},
                            headers=NO_STORE)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = -1
            while not await request.is_disconnected():
                version = await run_in_threadpool(state.wait_for_change, seen, 10.0)
                if version != seen:
                    seen = version
                    yield f"data: {version}\n\n"
                else:
                    yield ": still here\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers=NO_STORE)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("Not found", status_code=404)
        text = resources.files("paperkit.preview").joinpath(name).read_text(encoding="utf-8")
        return Response(text, media_type=ASSETS[name], headers=NO_STORE)

    async def pdf(request: Request) -> Response:
        data = state.snapshot.pdf
        if data is None:
            return PlainTextResponse("The PDF is being made; try again in a moment.", status_code=503,
                                     headers={"Retry-After": "1", **NO_STORE})
        return Response(data, media_type="application/pdf", headers=NO_STORE)

    async def docx(request: Request) -> Response:
        data = await run_in_threadpool(state.signoff_docx)
        if data is None:
            return PlainTextResponse("The paper has errors; fix them to download it.", status_code=503)
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f'attachment; filename="{paper}.docx"', **NO_STORE})

    async def linked(request: Request) -> Response:
        data = state.snapshot.files.get(request.path_params["path"])  # a name in memory, never a path on disk
        if data is None:
            return PlainTextResponse("Not found", status_code=404)
        return Response(data, media_type="application/octet-stream")

    routes = [Route("/", index), Route("/_paperkit/state", current), Route("/_paperkit/events", events),
              Route("/_paperkit/{name}", asset), Route("/paper.pdf", pdf), Route("/paper.docx", docx),
              Route("/{path:path}", linked)]
    return Starlette(routes=routes)


def watch_forever(state: PreviewState, folders: list[Path], stop: threading.Event) -> None:
    for changes in watch(*folders, stop_event=stop, debounce=300, step=30):
        state.rebuild(Path(path) for _change, path in changes)


def serve(state: PreviewState, name: str, host: str, port: int, open_browser: bool, echo: object = print) -> None:
    """Build once, then serve and follow saves until interrupted (Ctrl-C)."""
    state.rebuild()
    folders = state.folders()
    stop = threading.Event()
    watcher = threading.Thread(target=watch_forever, args=(state, folders, stop), daemon=True, name="paperkit-watch")
    watcher.start()
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)  # connections wait from now on, while the server starts
    address = f"http://{host if ':' not in host else f'[{host}]'}:{listener.getsockname()[1]}/"
    echo(f"paperkit preview of {name}: {address} (Ctrl-C to stop)")  # type: ignore[operator]
    if open_browser:
        webbrowser.open(address)
    server = uvicorn.Server(uvicorn.Config(make_app(state, name), log_level="warning", lifespan="off"))
    try:
        asyncio.run(server.serve(sockets=[listener]))
    finally:
        stop.set()
        listener.close()
        state.close()
