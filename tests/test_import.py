"""`paperkit import` (issue 15): a paperkit DOCX back into the content it was built from.

Round trip: build the DOCX, import it into an empty folder, and get the same files: every
Markdown file with the same text (labels and references included), paper.yaml, pictures and
attached files byte for byte; building the imported folder gives the same word/document.xml.
The test papers of tests/papers (a picture, deep numbering, many references) are written by
hand, not in the canonical layout: for them the rebuilt document is the measure.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import PAPERS, ROOT, TEMPLATES, make_paper
from paperkit.diagnostics import Diagnostics
from paperkit.readers.markdown import read_blocks
from paperkit.writers.markdown import write_blocks

SAMPLES = sorted(p.parent.name for p in (ROOT / "content").glob("*/paper.yaml"))
TEST_PAPERS = sorted(p.name for p in PAPERS.iterdir() if p.is_dir() and p.name != "county-scrutiny")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _document_xml(docx: Path) -> bytes:
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml")


def _project(tmp_path: Path, paper: str) -> Path:
    """A project holding the paper: a sample of content/, or a test paper over the sample."""
    if paper in SAMPLES:
        shutil.copytree(ROOT / "content" / paper, tmp_path / "content" / paper)
    else:
        make_paper(tmp_path, paper, from_folder=PAPERS / paper)
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize("paper", [*SAMPLES, *TEST_PAPERS])
def test_importing_a_built_docx_gives_back_its_content(paper: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = _project(tmp_path, paper)
    templates = ["--templates", str(TEMPLATES)]
    assert run_cli("build", paper, "--format", "docx", *templates, cwd=project).exit_code == 0
    docx = project / "build" / paper / f"{paper}.docx"
    result = run_cli("import", str(docx), "--out", "imported", *templates, cwd=project)
    assert result.exit_code == 0, result.output
    source, imported = project / "content" / paper, project / "imported" / paper
    if paper in SAMPLES:  # written in the canonical layout (test below): the very same files
        assert _files(imported) == _files(source)
    else:  # written by hand, line breaks and table padding their own: the same files and content
        assert _files(imported).keys() == _files(source).keys()
    # The imported folder builds the same Word document.
    rebuilt = run_cli("build", paper, "--format", "docx", "--content", "imported", "--out", "rebuilt", *templates,
                      cwd=project)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert _document_xml(project / "rebuilt" / paper / f"{paper}.docx") == _document_xml(docx)


@pytest.mark.parametrize("paper", SAMPLES)
def test_every_sample_file_is_in_the_canonical_layout_import_writes(paper: str) -> None:
    """Reading then writing a sample's Markdown changes nothing (so a round trip can give it back)."""
    for path in sorted((ROOT / "content" / paper).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        numbered = not path.name.startswith("appendix") and path.name not in {
            "summary.md", "priorities.md", "risk-management.md", "aim.md"}
        assert write_blocks(read_blocks(text, path.name, numbered, Diagnostics(), path.parent)) == text, path.name


def test_the_writer_escapes_what_would_otherwise_be_markup() -> None:
    text = "Costs rose 5\\*2 \\[see below\\] in \\_all\\_ areas.\n\n\\- not a list\n\n2018\\. A year.\n"
    blocks = read_blocks(text, "x.md", False, Diagnostics(), Path("."))
    assert write_blocks(blocks) == text


def test_a_file_that_is_not_a_docx_or_not_from_paperkit_is_refused_and_nothing_written(tmp_path: Path,
                                                                                       run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.docx").write_text("just text")
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    plain = io.BytesIO()
    import docx

    docx.Document().save(plain)
    (tmp_path / "plain.docx").write_bytes(plain.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<a>" + b" " * 150_000_000 + b"</a>")
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    expected = {"notes.docx": "is not a Word (.docx) file", "locked.docx": "protected by a password",
                "plain.docx": "was not built by paperkit", "bomb.docx": "packed suspiciously tightly"}
    for name, message in expected.items():
        result = run_cli("import", str(tmp_path / name), "--out", "out", cwd=tmp_path)
        assert result.exit_code == 1 and message in result.output, (name, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_import_never_overwrites_a_paper_without_being_asked(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = _project(tmp_path, "budget-monitoring-2018-19")
    assert run_cli("build", "budget-monitoring-2018-19", "--format", "docx", cwd=project).exit_code == 0
    docx = str(project / "build" / "budget-monitoring-2018-19" / "budget-monitoring-2018-19.docx")
    refused = run_cli("import", docx, cwd=project)
    assert refused.exit_code == 1 and "already exists" in refused.output
    unchanged = run_cli("import", docx, "--onto", "budget-monitoring-2018-19", cwd=project)
    assert unchanged.exit_code == 0 and "nothing changed" in unchanged.output, unchanged.output
    wrong = run_cli("import", docx, "--onto", "cabinet-2018-06", cwd=project)
    assert wrong.exit_code == 1 and "was built from 'budget-monitoring-2018-19'" in wrong.output
    summary = project / "content" / "budget-monitoring-2018-19" / "summary.md"
    summary.write_text(summary.read_text() + "\nA later edit.\n")
    moved_on = run_cli("import", docx, "--onto", "budget-monitoring-2018-19", cwd=project)
    assert moved_on.exit_code == 1 and "has changed since the DOCX was built" in moved_on.output
    assert "A later edit." in summary.read_text()
