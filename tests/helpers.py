"""Shared test helpers: text of built outputs, word fidelity, small papers in temporary folders."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SAMPLE = ROOT / "content" / "cabinet-2018-06"
SEED = Path(__file__).resolve().parent / "data" / "cabinet-2018-06.seed.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
PAPERS = Path(__file__).resolve().parent / "papers"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"[a-z0-9]+")


def pdf_text(path: Path) -> str:
    """Text of a PDF, page by page (pages separated by form feeds), as pdftotext lays it out."""
    assert shutil.which("pdftotext"), "poppler-utils is needed: .ci/run and `make test` install it"
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, as pdftotext lays it out."""
    return pdf_text(path).split("\f")[:-1]  # pdftotext ends every page, the last too, with a form feed


def pdf_outline(path: Path) -> list[tuple[str, int]]:
    """The PDF's top-level bookmarks: (title, index of the page each leads to)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            return [(str(item.title), pages[item.destination[0].objgen]) for item in outline.root]


def libreoffice_pdf(docx_path: Path, out_dir: Path, to: str = "pdf") -> Path:
    """The DOCX converted by LibreOffice (to PDF, or `to` another format), in a profile of its own."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: .ci/run and `make test` install it"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out_dir}/profile", "--convert-to", to,
                    "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=180)
    return out_dir / f"{docx_path.stem}.{to.split(':')[0]}"


def docx_paragraphs(path: Path, part: str = "word/document.xml") -> list[tuple[str, str]]:
    """(style id, text) for each paragraph of a DOCX part; tabs and breaks become spaces."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read(part))
    out = []
    for para in root.iter(W + "p"):
        style = para.find(f"{W}pPr/{W}pStyle")
        bits = []
        for node in para.iter():
            if node.tag == W + "t" and node.text:
                bits.append(node.text)
            elif node.tag in (W + "tab", W + "br"):
                bits.append("\t" if node.tag == W + "tab" else "\n")
        out.append((style.get(W + "val") if style is not None else "Normal", "".join(bits)))
    return out


def docx_text(path: Path) -> str:
    return "\n".join(text for _style, text in docx_paragraphs(path))


def words(text: str) -> list[str]:
    """The fidelity tool's words: lower case letters and digits, apostrophes dropped."""
    return WORD.findall(text.replace("\u2019", "'").replace("'", "").lower())


def fidelity(output_text: str, reference_text: str) -> float:
    """Same method as shared/tools/fidelity.py: difflib ratio over word tokens."""
    return difflib.SequenceMatcher(None, words(reference_text), words(output_text), autojunk=False).ratio()


def copy_sample(dest: Path) -> Path:
    """A copy of the sample paper's content folder, to change in a test."""
    target = dest / "content" / "cabinet-2018-06"
    shutil.copytree(SAMPLE, target)
    return target


def make_paper(dest: Path, name: str = "test-paper", files: dict[str, str] | None = None,
               from_folder: Path | None = None) -> Path:
    """A paper on the Walsall Cabinet template: a copy of the sample, with files replaced
    by `files` (name → text) or by the files of a folder under tests/papers."""
    paper = dest / "content" / name
    shutil.copytree(SAMPLE, paper)
    if from_folder is not None:
        for source in from_folder.iterdir():
            shutil.copy(source, paper / source.name)
    for filename, text in (files or {}).items():
        (paper / filename).write_text(text, encoding="utf-8")
    return paper


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; PAPERKIT_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("PAPERKIT_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if os.environ.get("PAPERKIT_UPDATE_GOLDEN") != "1":
            raise AssertionError(f"golden file {name} did not exist; written now, review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "actual",
                                              lineterm="", n=1))
        raise AssertionError(f"{name} differs from its golden file (PAPERKIT_UPDATE_GOLDEN=1 to accept):\n{diff}")


def normalise_pdf_text(text: str) -> str:
    """Page by page, the words in reading order, wrapped at 100 characters: where an extractor
    breaks lines and how many spaces it puts between columns (which differ between pdftotext
    versions) are left out; what is on which page, and in what order, stays."""
    pages = []
    for number, page in enumerate(text.split("\f"), 1):
        words = " ".join(page.split())
        if words:
            pages.append(f"--- page {number} ---\n" + textwrap.fill(words, width=100, break_on_hyphens=False))
    return "\n".join(pages) + "\n"


def docx_bookmarks_and_fields(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Bookmark name → the text it encloses, and each field's (instruction, cached result), in order."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    bookmarks: dict[str, str] = {}
    fields: list[tuple[str, str]] = []
    for para in root.iter(W + "p"):
        open_marks: dict[str, str] = {}  # id → name
        texts: dict[str, list[str]] = {}
        state, code, result = None, "", ""
        for node in para.iter():
            if node.tag == W + "bookmarkStart":
                open_marks[node.get(W + "id")] = node.get(W + "name")
                texts[node.get(W + "name")] = []
            elif node.tag == W + "bookmarkEnd":
                name = open_marks.pop(node.get(W + "id"))
                bookmarks[name] = "".join(texts[name])
            elif node.tag == W + "fldChar":
                kind = node.get(W + "fldCharType")
                if kind == "begin":
                    state, code, result = "code", "", ""
                elif kind == "separate":
                    state = "result"
                elif kind == "end":
                    fields.append((" ".join(code.split()), result))
                    state = None
            elif node.tag == W + "instrText" and state == "code":
                code += node.text or ""
            elif node.tag == W + "t":
                for name in open_marks.values():
                    texts[name].append(node.text or "")
                if state == "result":
                    result += node.text or ""
    return bookmarks, fields


def build_sample_paper(paper: str, out: Path) -> Path:
    """`paperkit build PAPER --out OUT` for a paper of the project's content/; its output folder."""
    from click.testing import CliRunner

    from paperkit.cli import main

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["build", paper, "--out", str(out)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out / paper


# The papers of the sample meeting (content/meetings/cabinet-2018-06-21.yaml), in agenda order.
MEETING_PAPERS = ("cabinet-2018-06", "budget-monitoring-2018-19", "school-places-2018", "capital-programme-2018",
                  "childrens-centre-contract")


NUMBER_WORD = re.compile(r"^(\d+(\.\d+)*\.?|[a-z]\)|\([ivxlc]+\))[,;:.]?$")


def words_without_numbers(text: str) -> list[str]:
    """The words of a plain-text rendering, paragraph numbers and their references left out
    (a new paragraph renumbers those after it)."""
    return [word for word in text.split() if not NUMBER_WORD.match(word)]


# The published sample's long sentences, words to avoid and acronyms are warnings (issue 18), and the
# sample is not rewritten to pass: tests of other diagnostics leave those warnings out.
PROSE_WARNINGS = {"sentence-long", "word-avoid", "acronym-undefined"}
SAMPLE_LONG_SENTENCES = 19
SAMPLE_PROSE_WARNINGS = SAMPLE_LONG_SENTENCES + 6 + 3  # and 6 words to avoid, 3 acronyms not spelled out


def besides_prose_warnings(items: list[Any]) -> list[Any]:
    """Diagnostics other than the writing checks' prose warnings."""
    return [d for d in items if d.code not in PROSE_WARNINGS]
