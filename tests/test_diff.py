"""`paperkit diff` (issue 16): what changed since sign-off, as real Word tracked changes.

A fixture history: commit C~1 is the sample; commit C adds a paragraph before 3.3, deletes
words in 3.2 and inserts words in 3.1. Only those three changes may be marked: the paragraphs
after the new one are renumbered, and no number may show as a change.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from helpers import ROOT, TEMPLATES, docx_bookmarks_and_fields, libreoffice_pdf, words_without_numbers

PAPER = "cabinet-2018-06"
GIT = ["git", "-c", "user.name=Fixture", "-c", "user.email=fixture@example.invalid", "-c", "commit.gpgsign=false"]
EDITS = (("- A further briefing to be provided to Members", "- A further briefing to Members"),
         ("- {#mash}\n", "- The Working Group will review progress on each recommendation in six months.\n\n"
                         "- {#mash}\n"),
         ("Ofsted recommendation one '", "Ofsted recommendation one (thresholds) '"))


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A git repository whose last commit makes the three edits to the sample."""
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "as signed off"], cwd=tmp_path, check=True)
    detail = tmp_path / "content" / PAPER / "report-detail.md"
    text = detail.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1
        text = text.replace(old, new)
    detail.write_text(text, encoding="utf-8")
    subprocess.run([*GIT, "commit", "-qam", "second round"], cwd=tmp_path, check=True)
    return tmp_path


def _diff(project: Path, run_cli, *args: str) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    result = run_cli("diff", *args, "--author", "Paperkit Test", "--templates", str(TEMPLATES), cwd=project)
    assert result.exit_code == 0, result.output
    return result.output, project / "build" / PAPER / f"{PAPER}-changes.docx"


def _pandoc(path: Path, *args: str, to: str = "plain") -> str:
    import pypandoc

    return subprocess.run([pypandoc.get_pandoc_path(), *args, "-t", to, str(path)], capture_output=True, text=True,
                          check=True).stdout


def _changes(path: Path) -> Counter[str]:
    """Tracked changes as pandoc reads them; the words of a new paragraph count with it."""
    found: Counter[str] = Counter()

    def walk(node: object, in_new_paragraph: bool) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Para" or node.get("t") == "Plain":
                spans = json.dumps(node)
                in_new_paragraph = '"paragraph-insertion"' in spans
            if node.get("t") == "Span":
                classes = node["c"][0][1]
                for kind in ("insertion", "deletion", "paragraph-insertion", "paragraph-deletion"):
                    if kind in classes and not (kind == "insertion" and in_new_paragraph):
                        found[kind] += 1
            for value in node.values():
                walk(value, in_new_paragraph)
        elif isinstance(node, list):
            for value in node:
                walk(value, in_new_paragraph)

    walk(json.loads(_pandoc(path, "--track-changes=all", to="json")), False)
    return found


@pytest.mark.slow
def test_only_the_three_real_changes_are_marked(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    output, changes = _diff(history, run_cli, PAPER, "--from", "HEAD~1", "--to", "HEAD")
    assert "2 insertion(s), 1 deletion(s)" in output and "Report detail: 2 insertion(s), 1 deletion(s)" in output
    assert _changes(changes) == Counter({"paragraph-insertion": 1, "insertion": 1, "deletion": 1})
    # Accepting gives the new version's text, rejecting the old one's (numbers aside).
    for revision, mode in (("HEAD", "accept"), ("HEAD~1", "reject")):
        subprocess.run(["git", "checkout", "-q", revision, "--", "content"], cwd=history, check=True)
        assert run_cli("build", PAPER, "--format", "docx", "--out", f"built-{mode}", "--templates", str(TEMPLATES),
                       cwd=history).exit_code == 0
        built = history / f"built-{mode}" / PAPER / f"{PAPER}.docx"
        marked = _pandoc(changes, f"--track-changes={mode}")
        assert words_without_numbers(marked) == words_without_numbers(_pandoc(built)), mode
    subprocess.run(["git", "checkout", "-q", "HEAD", "--", "content"], cwd=history, check=True)
    # No number is a change: the marked text is exactly the edits.
    marked = _pandoc(changes, "--track-changes=all", to="markdown")
    assert "(thresholds)" in marked and "to be provided" in marked and "six months" in marked
    # The same inputs give the same bytes.
    first = changes.read_bytes()
    _diff(history, run_cli, PAPER, "--from", "HEAD~1", "--to", "HEAD")
    assert changes.read_bytes() == first


@pytest.mark.slow
def test_the_changes_docx_is_a_valid_word_document_libreoffice_reads_alike(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _output, changes = _diff(history, run_cli, PAPER, "--from", "HEAD~1", "--to", "HEAD")
    with zipfile.ZipFile(changes) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    names = re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml)
    assert len(names) == len(set(names))
    bookmarks, fields = docx_bookmarks_and_fields(changes)
    assert all(code.split()[1] in bookmarks for code, _result in fields if code.startswith("REF "))
    ids = re.findall(r'<w:(?:ins|del|bookmarkStart) [^>]*w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))
    assert "DRAFT" in docx_text_of_header(changes)
    flat = libreoffice_pdf(changes, history / "lo", to="fodt").read_text(encoding="utf-8")
    regions = flat.count("<text:changed-region")
    assert regions == sum(_changes(changes).values()) == 3
    deleted = re.search(r"<text:deletion>.*?</text:deletion>.*?</text:changed-region>", flat, re.S)
    assert deleted is not None
    pdf = libreoffice_pdf(changes, history / "lo-pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "to be provided" in text  # shown, struck through, where it was deleted


def docx_text_of_header(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return " ".join(package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("word/header"))


def test_two_identical_versions_give_no_tracked_change_and_say_so(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    output, changes = _diff(history, run_cli, PAPER, "--from", "HEAD", "--to", "HEAD")
    assert "no changes" in output
    with zipfile.ZipFile(changes) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "<w:ins " not in xml and "<w:del " not in xml


def test_a_signed_off_docx_or_two_folders_are_compared_too(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    subprocess.run(["git", "checkout", "-q", "HEAD~1", "--", "content"], cwd=history, check=True)
    assert run_cli("build", PAPER, "--format", "docx", "--out", "signed", "--templates", str(TEMPLATES),
                   cwd=history).exit_code == 0
    shutil.copytree(history / "content" / PAPER, history / "old" / PAPER)
    subprocess.run(["git", "checkout", "-q", "HEAD", "--", "content"], cwd=history, check=True)
    output, _ = _diff(history, run_cli, PAPER, "--from", f"signed/{PAPER}/{PAPER}.docx")
    assert "2 insertion(s), 1 deletion(s)" in output
    output, _ = _diff(history, run_cli, f"old/{PAPER}", f"content/{PAPER}")
    assert "2 insertion(s), 1 deletion(s)" in output


@pytest.mark.parametrize(("args", "message"), [
    ((PAPER, "--from", "no-such-revision"), "unknown revision 'no-such-revision'"),
    (("content", f"content/{PAPER}"), "is not a paper's folder"),
    ((PAPER, "--from", "foreign.docx"), "was not built by paperkit"),
])
def test_what_cannot_be_compared_is_a_message_not_a_traceback(history: Path, run_cli, args: tuple[str, ...],
                                                              message: str) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(ROOT / "tests" / "data" / "foreign" / "walsall-report.docx", history / "foreign.docx")
    result = run_cli("diff", *args, "--templates", str(TEMPLATES), cwd=history)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output, result.output


def test_papers_of_different_templates_are_not_compared(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "content" / "options-appraisal-2024", history / "other" / PAPER)
    result = run_cli("diff", f"other/{PAPER}", f"content/{PAPER}", "--templates", str(TEMPLATES), cwd=history)
    assert result.exit_code == 1 and "different templates" in result.output, result.output


@pytest.mark.slow
def test_the_page_of_changes_shows_them_accessibly_in_a_real_browser(history: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """--format html: only the changed paragraphs, under their section, with <ins> and <del>
    named for screen readers; no axe violations in Chromium."""
    from test_publication import CHROMIUM

    output, _ = _diff(history, run_cli, PAPER, "--from", "HEAD~1", "--to", "HEAD", "--format", "html")
    page = history / "build" / PAPER / f"{PAPER}-changes.html"
    assert f"wrote build/{PAPER}/{PAPER}-changes.html" in output
    assert not (history / "build" / PAPER / f"{PAPER}-changes.docx").exists()
    html = page.read_text(encoding="utf-8")
    assert "<h2>3. Report detail</h2>" in html and html.count("<p><span class=\"number\">") == 3
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test and .ci/run install it)")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        tab.goto(page.as_uri())
        assert tab.locator("ins").count() == 3 and tab.locator("del").count() == 2  # the two in the key
        assert " ".join((tab.locator("del").nth(1).text_content() or "").split()) == "[deleted: to be provided]"
        line = tab.locator("del").nth(1).evaluate("e => getComputedStyle(e).textDecorationLine")
        assert line == "line-through"
        results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        browser.close()
    assert results.violations_count == 0, results.generate_report()


def test_heading_facts_are_diffed_and_the_clearance_table_is_the_current_one_unmarked(tmp_path: Path,
                                                                                       run_cli) -> None:  # type: ignore[no-untyped-def]
    """Example Borough prints its heading facts in a table: a changed fact is marked; the
    sign-off table shows the new clearance, unmarked."""
    for version in ("old", "new"):
        shutil.copytree(ROOT / "content" / "options-appraisal-2024", tmp_path / version / "depot")
    yaml = tmp_path / "new" / "depot" / "paper.yaml"
    yaml.write_text(yaml.read_text().replace("report_of: Director of Environment",
                                             "report_of: Director of Environment and Transport")
                    .replace("name: M. Officer, date: 2024-02-29", "name: P. Deputy, date: 2024-03-01"))
    result = run_cli("diff", "old/depot", "new/depot", "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 insertion(s), 0 deletion(s)" in result.output
    changes = tmp_path / "build" / "depot" / "depot-changes.docx"
    marked = _pandoc(changes, "--track-changes=all", to="markdown")
    assert re.search(r"\[\s*and\s+Transport\s*\]\{\.insertion", marked), marked
    assert "P. Deputy" in marked and "M. Officer" not in marked
