"""`paperkit preview` (issue 17): the paper live in a real browser while the author writes.

A real server is started on a free port; Chromium (through Playwright) watches the page while
the test saves files the way an editor would.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLE_PROSE_WARNINGS, TEMPLATES

pytestmark = pytest.mark.slow
PAPER = "cabinet-2018-06"


def _start(tmp_path: Path, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "paperkit", "preview", name, "--port", "0", "--no-browser", "--templates",
         str(TEMPLATES)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """A running preview of a copy of the sample: (its address, the paper's folder, the process)."""
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    process = _start(tmp_path, PAPER)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, line
    address = line.split(": ", 1)[1].split(" ")[0]
    try:
        yield address, tmp_path / "content" / PAPER, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _save(path: Path, text: str) -> None:
    """As an editor saves: the whole file written again."""
    path.write_text(text, encoding="utf-8")


def test_the_page_follows_every_save_in_a_real_browser(preview: tuple[str, Path, subprocess.Popen[str]]) -> None:
    from playwright.sync_api import expect, sync_playwright
    from test_publication import CHROMIUM

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test and .ci/run install it)")
    address, folder, _process = preview
    summary, detail = folder / "summary.md", folder / "report-detail.md"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(address)
        expect(page.locator("h1")).to_have_text("Ofsted Working Group")
        banner = page.locator("#pk-banner")
        # The published paper's long sentences and words to avoid are warnings: the banner lists them, as warnings.
        expect(banner).to_have_attribute("data-kind", "warnings")
        expect(page.locator("#pk-banner-title")).to_have_text(f"{SAMPLE_PROSE_WARNINGS} warning(s)")
        # An edit appears within 2 s, where the reader is.
        page.evaluate("window.scrollTo(0, 900)")
        before = page.evaluate("window.scrollY")
        started = time.monotonic()
        _save(summary, summary.read_text().replace("twelve recommendations", "twelve (12) recommendations", 1))
        expect(page.locator("main")).to_contain_text("twelve (12) recommendations", timeout=2000)
        assert time.monotonic() - started < 2.0
        assert abs(page.evaluate("window.scrollY") - before) < 5
        # The readability table (check --report's) follows too: the summary has one word more.
        page.locator("#pk-readability summary").click()
        summary_row = page.locator("#pk-readability tbody tr", has=page.locator("th", has_text="Summary"))
        expect(summary_row.locator("td").first).to_have_text("255")
        expect(page.locator("#pk-readability tbody tr").last.locator("th")).to_have_text("Whole paper")
        page.locator("#pk-readability summary").click()
        # A new paragraph before 3.9 renumbers it, and the reference to it follows.
        expect(page.locator("a.xref").last).to_have_text("3.9 a) (i)")
        text = detail.read_text()
        assert text.count("- {#ofsted-two}\n") == 1
        _save(detail, text.replace("- {#ofsted-two}\n", "- A paragraph added before 3.9.\n\n- {#ofsted-two}\n"))
        expect(page.locator("a.xref").last).to_have_text("3.10 a) (i)", timeout=2000)
        # A broken reference: the banner names its file and line; the last good page stays.
        broken = detail.read_text().replace("{ref}`staff-absence`", "{ref}`staff-absense`")
        _save(detail, broken)
        expect(banner).to_be_visible(timeout=2000)
        expect(banner).to_contain_text("report-detail.md:55: error [xref-missing] no target labelled 'staff-absense'")
        # Its file:line links to where that line shows in the page: the paragraph holding the reference.
        link = banner.get_by_role("link", name="content/cabinet-2018-06/report-detail.md:55", exact=True)
        target = link.get_attribute("href")
        assert target is not None and target.startswith("#para-3-")
        expect(page.locator(target)).to_contain_text("updating the existing supervision monitoring tool")
        link.click()
        expect(page.locator(target)).to_be_in_viewport()
        expect(page.locator("a.xref").last).to_have_text("3.10 a) (i)")
        _save(detail, broken.replace("{ref}`staff-absense`", "{ref}`staff-absence`"))
        expect(banner).to_have_attribute("data-kind", "warnings", timeout=2000)  # the error gone, the warnings left
        expect(banner).not_to_contain_text("error [")
        browser.close()


def _status(address: str, path: str, method: str = "GET") -> int:
    """The status of a request sent exactly as written (no client-side clean-up of the path)."""
    host, port = address.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_server_serves_only_what_it_made(preview: tuple[str, Path, subprocess.Popen[str]]) -> None:
    address, _folder, _process = preview
    assert _status(address, "/") == 200
    for path in ("/../paper.yaml", "/%2e%2e/paper.yaml", "/..%2fpaper.yaml", "/paper.yaml", "/summary.md",
                 "//etc/passwd", "/%2fetc%2fpasswd", "/content/", "/_paperkit/", "/_paperkit/../paper.yaml",
                 "/cabinet-2018-06-files/", "/_paperkit/state.py"):
        assert _status(address, path) == 404, path
    assert _status(address, "/", "POST") == 405
    assert _status(address, "/paper.docx", "PUT") == 405


def test_ctrl_c_stops_it_and_leaves_no_process(preview: tuple[str, Path, subprocess.Popen[str]]) -> None:
    address, _folder, process = preview
    assert _status(address, "/") == 200
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) in (0, 1, -signal.SIGINT, 128 + signal.SIGINT)
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
    assert not children.strip()
    assert process.returncode is not None and not Path(f"/proc/{process.pid}/status").exists()


def test_a_meetings_agenda_is_previewed_and_follows_its_papers(tmp_path: Path) -> None:
    """`paperkit preview MEETING`: the agenda page, each item's page, the pack's PDF; a paper's
    new title shows on the agenda after a save."""
    import json
    import urllib.request

    from helpers import MEETING_PAPERS

    for name in (*MEETING_PAPERS, "meetings"):
        shutil.copytree(ROOT / "content" / name, tmp_path / "content" / name)
    process = _start(tmp_path, "cabinet-2018-06-21")
    try:
        assert process.stdout is not None
        address = process.stdout.readline().split(": ", 1)[1].split(" ")[0]
        agenda = urllib.request.urlopen(address, timeout=60).read().decode()
        assert "School place planning strategy 2018–2023" in agenda and "/_paperkit/preview.js" in agenda
        assert _status(address, "/items/05-cabinet-2018-06.html") == 200
        assert urllib.request.urlopen(address + "paper.pdf", timeout=30).read()[:5] == b"%PDF-"
        assert _status(address, "/paper.docx") == 503
        assert _status(address, "/../meetings/cabinet-2018-06-21.yaml") == 404
        yaml = tmp_path / "content" / "school-places-2018" / "paper.yaml"
        yaml.write_text(yaml.read_text().replace("title: School place planning strategy 2018–2023",
                                                 "title: School places 2018–2023"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = json.load(urllib.request.urlopen(address + "_paperkit/state", timeout=30))
            if "School places 2018–2023" in state["html"]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the agenda did not follow the paper's new title")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_the_preview_shows_the_publication_page_without_exempt_text(tmp_path: Path) -> None:
    """school-places-2018 has an exempt appendix: the preview's page and PDF are as published,
    the withheld notice in its place; only the sign-off Word copy holds it."""
    import io
    import urllib.error
    import urllib.request
    import zipfile

    marker = "EXEMPT-APPENDIX-MARKER-9K2P"
    shutil.copytree(ROOT / "content" / "school-places-2018", tmp_path / "content" / "school-places-2018")
    process = _start(tmp_path, "school-places-2018")
    try:
        assert process.stdout is not None
        address = process.stdout.readline().split(": ", 1)[1].split(" ")[0]
        page = urllib.request.urlopen(address, timeout=30).read().decode()
        assert "Site acquisition costs" in page and marker not in page
        for _ in range(200):
            try:
                pdf = urllib.request.urlopen(address + "paper.pdf", timeout=30).read()
                break
            except urllib.error.HTTPError:
                time.sleep(0.1)
        assert marker not in subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                            check=True).stdout.decode()
        docx = urllib.request.urlopen(address + "paper.docx", timeout=30).read()
        assert marker in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
