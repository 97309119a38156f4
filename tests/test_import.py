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

from helpers import PAPERS, ROOT, TEMPLATES, make_paper, words_without_numbers
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


# ------------------------------------------------------------------ a review with tracked changes

REVIEWED = ROOT / "tests" / "data" / "review" / "cabinet-2018-06-reviewed.docx"  # scripts/make_review_fixture.py
REVIEW_REPORT = [
    'imported/cabinet-2018-06/report-detail.md:2: change [insertion] Legal Reviewer: "(thresholds)"',
    'imported/cabinet-2018-06/report-detail.md:4: change [deletion] Legal Reviewer: "to be provided"',
    'imported/cabinet-2018-06/report-detail.md:6: change [paragraph-insertion] Legal Reviewer: "new paragraph"',
    'imported/cabinet-2018-06/report-detail.md:6: change [insertion] Legal Reviewer: "The Working Group will '
    'review progress on each recommendation in six months."',
    "imported/cabinet-2018-06/report-detail.md:13: comment [Legal Reviewer] Please check the date with the Trust.",
]


def _import_review(tmp_path: Path, run_cli, changes: str) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(REVIEWED), "--out", "imported", "--changes", changes,
                     "--templates", str(TEMPLATES), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return result.output, tmp_path / "imported" / "cabinet-2018-06"


@pytest.mark.parametrize("changes", ["report", "reject"])
def test_a_review_reported_or_rejected_leaves_the_content_as_built(changes: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    output, imported = _import_review(tmp_path, run_cli, changes)
    assert _files(imported) == _files(ROOT / "content" / "cabinet-2018-06")
    assert [line for line in output.splitlines() if not line.startswith("wrote ")] == REVIEW_REPORT


def test_an_accepted_review_changes_only_what_the_reviewer_changed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    output, imported = _import_review(tmp_path, run_cli, "accept")
    before, after = _files(ROOT / "content" / "cabinet-2018-06"), _files(imported)
    assert [name for name in after if after[name] != before.get(name)] == ["report-detail.md"]
    detail = after["report-detail.md"].decode()
    assert "Ofsted recommendation one (thresholds) '**Ensure" in detail
    assert "- A further briefing to Members regarding" in detail
    assert "agreed.\n\n- The Working Group will review progress on each recommendation in six months.\n\n- {#mash}" \
        in detail
    assert "(applied)" in output
    assert run_cli("check", "cabinet-2018-06", "--content", "imported", "--templates", str(TEMPLATES),
                   cwd=tmp_path).exit_code == 0


@pytest.mark.slow
def test_pandoc_reads_the_accepted_review_as_the_rebuilt_paper(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """pandoc, reading the reviewer's DOCX with its changes accepted, finds the words of the
    paper paperkit builds from the accepted import."""
    import subprocess

    import pypandoc

    _import_review(tmp_path, run_cli, "accept")
    assert run_cli("build", "cabinet-2018-06", "--format", "docx", "--content", "imported", "--out", "rebuilt",
                   "--templates", str(TEMPLATES), cwd=tmp_path).exit_code == 0
    pandoc = pypandoc.get_pandoc_path()

    def plain(path: Path, *args: str) -> str:
        return subprocess.run([pandoc, *args, "-t", "plain", str(path)], capture_output=True, text=True,
                              check=True).stdout

    reviewed = plain(REVIEWED, "--track-changes=accept")
    rebuilt = plain(tmp_path / "rebuilt" / "cabinet-2018-06" / "cabinet-2018-06.docx")
    assert words_without_numbers(reviewed) == words_without_numbers(rebuilt)
    assert "The Working Group will review progress" in rebuilt


def test_a_review_deleting_a_paragraph_that_is_referred_to_is_an_error_and_nothing_is_written(
        tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """3.9 a) (i) is labelled staff-absence, and 3.10 refers to it: a reviewer deletes it."""
    from lxml import etree

    project = _project(tmp_path, "cabinet-2018-06")
    assert run_cli("build", "cabinet-2018-06", "--format", "docx", cwd=project).exit_code == 0
    built = project / "build" / "cabinet-2018-06" / "cabinet-2018-06.docx"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(built) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    target = next(p for p in root.iter(w + "p")
                  if any(b.get(w + "name") == "para_3_9_1_1" for b in p.iter(w + "bookmarkStart")))
    deletion = etree.SubElement(target, w + "del", {w + "id": "901", w + "author": "Reviewer"})
    for run in list(target.findall(w + "r")):
        for text in run.findall(w + "t"):
            text.tag = w + "delText"
        deletion.append(run)
    props = target.find(w + "pPr")
    mark = props.find(w + "rPr") if props.find(w + "rPr") is not None else etree.SubElement(props, w + "rPr")
    etree.SubElement(mark, w + "del", {w + "id": "902", w + "author": "Reviewer"})
    parts["word/document.xml"] = etree.tostring(root)
    reviewed = tmp_path / "reviewed.docx"
    with zipfile.ZipFile(reviewed, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = run_cli("import", str(reviewed), "--out", "imported", "--changes", "accept", cwd=project)
    assert result.exit_code == 1
    assert ("imported/cabinet-2018-06/report-detail.md:50: error [xref-missing] no target labelled "
            "'staff-absence'") in result.output, result.output
    assert "nothing was written" in result.output and not (project / "imported").exists()


@pytest.mark.slow
def test_a_docx_saved_again_by_libreoffice_imports_to_the_same_content(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The properties, bookmarks and styles import needs survive another program's save."""
    from helpers import libreoffice_pdf

    paper = "capital-programme-2018"
    project = _project(tmp_path, paper)
    assert run_cli("build", paper, "--format", "docx", "--templates", str(TEMPLATES), cwd=project).exit_code == 0
    built = project / "build" / paper
    resaved = libreoffice_pdf(built / f"{paper}.docx", tmp_path / "resaved", to="docx:MS Word 2007 XML")
    shutil.copytree(built / f"{paper}-files", resaved.parent / f"{paper}-files")
    result = run_cli("import", str(resaved), "--out", "imported", "--templates", str(TEMPLATES), cwd=project)
    assert result.exit_code == 0, result.output
    assert _files(project / "imported" / paper) == _files(project / "content" / paper)


def test_a_review_onto_its_paper_changes_only_the_files_the_review_changed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = _project(tmp_path, "cabinet-2018-06")
    before = _files(project / "content" / "cabinet-2018-06")
    result = run_cli("import", str(REVIEWED), "--onto", "cabinet-2018-06", "--changes", "accept", cwd=project)
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("wrote ")] == [
        "wrote content/cabinet-2018-06/report-detail.md"]
    after = _files(project / "content" / "cabinet-2018-06")
    assert [name for name in after if after[name] != before[name]] == ["report-detail.md"]


@pytest.mark.parametrize(("edited", "merged"), [("summary.md", True), ("report-detail.md", False)])
def test_a_review_onto_content_that_moved_on_is_merged_by_file_or_refused(edited: str, merged: bool, tmp_path: Path,
                                                                          run_cli) -> None:  # type: ignore[no-untyped-def]
    """The author edited a file after the DOCX went out: without --merge nothing is written;
    with it, the review's change goes into the file only the review changed, and a file both
    changed stops the import, naming it."""
    project = _project(tmp_path, "cabinet-2018-06")
    folder = project / "content" / "cabinet-2018-06"
    (folder / edited).write_text((folder / edited).read_text() + "\nA later edit by the author.\n")
    before = _files(folder)
    refused = run_cli("import", str(REVIEWED), "--onto", "cabinet-2018-06", "--changes", "accept", cwd=project)
    assert refused.exit_code == 1 and "has changed since the DOCX was built" in refused.output
    result = run_cli("import", str(REVIEWED), "--onto", "cabinet-2018-06", "--changes", "accept", "--merge",
                     cwd=project)
    after = _files(folder)
    assert b"A later edit by the author." in after[edited]
    if merged:
        assert result.exit_code == 0, result.output
        assert [name for name in after if after[name] != before[name]] == ["report-detail.md"]
        assert b"The Working Group will review progress" in after["report-detail.md"]
    else:
        assert result.exit_code == 1 and "both the review and later edits changed report-detail.md" in result.output
        assert after == before


def test_a_damaged_docx_or_one_pointing_outside_itself_is_refused(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    built = _project(tmp_path, "budget-monitoring-2018-19")
    assert run_cli("build", "budget-monitoring-2018-19", "--format", "docx", cwd=built).exit_code == 0
    source = built / "build" / "budget-monitoring-2018-19" / "budget-monitoring-2018-19.docx"
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}

    def variant(name: str, part: str, data: bytes) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as package:
            for key, value in parts.items():
                package.writestr(key, data if key == part else value)
        return path

    rels = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="file:///etc/passwd" TargetMode="External"/></Relationships>')
    cases = {variant("external.docx", "word/_rels/document.xml.rels", rels): "points at a file outside itself",
             variant("damaged.docx", "word/document.xml", parts["word/document.xml"][:-200]): "is damaged",
             tmp_path / "truncated.docx": "is not a Word (.docx) file"}
    (tmp_path / "truncated.docx").write_bytes(source.read_bytes()[:4000])
    for path, message in cases.items():
        result = run_cli("import", str(path), "--out", "out", cwd=tmp_path)
        assert result.exit_code == 1 and message in result.output, (path.name, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ a report written in Word

FOREIGN = ROOT / "tests" / "data" / "foreign" / "walsall-report.docx"  # scripts/make_foreign_fixture.py
WALSALL_MAP = ROOT / "templates" / "walsall" / "cabinet" / "import-map.yaml"


@pytest.mark.slow
def test_a_report_written_in_word_imports_by_its_style_map_and_numbers_as_word_did(tmp_path: Path,
                                                                                     run_cli) -> None:  # type: ignore[no-untyped-def]
    """Word's live list numbering becomes structure, its cross-reference a {ref}, its table,
    picture and comment come across; the rebuilt paper's numbers are the labels LibreOffice
    shows for the same paragraphs of the original."""
    import re

    from helpers import docx_paragraphs, libreoffice_pdf

    templates = ["--templates", str(TEMPLATES)]
    result = run_cli("import", str(FOREIGN), "--template", "walsall/cabinet", "--map", str(WALSALL_MAP),
                     "--out", "content", *templates, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert ("content/walsall-report/consultation.md:1: comment [Democratic Services] Add the dates of the "
            "consultation.") in result.output
    folder = tmp_path / "content" / "walsall-report"
    assert "at paragraph {ref}`proposed-hours`." in (folder / "recommendations.md").read_text()
    detail = (folder / "report-detail.md").read_text()
    assert "- {#proposed-hours}\n  The proposed hours are:\n\n  | Library  | Hours      |" in detail
    assert "![Bar chart of library visits, falling each year since 2014](image1.png)" in detail
    assert (folder / "image1.png").read_bytes()[:4] == b"\x89PNG"
    assert run_cli("check", "walsall-report", *templates, cwd=tmp_path).exit_code == 0
    assert run_cli("build", "walsall-report", "--format", "docx", *templates, cwd=tmp_path).exit_code == 0
    rebuilt = [text.split("\t")[0] for style, text in docx_paragraphs(
        tmp_path / "build" / "walsall-report" / "walsall-report.docx") if style.startswith("NumberedPara")
        and not style.endswith("Continued")]
    shown = libreoffice_pdf(FOREIGN, tmp_path / "shown", to="txt:Text").read_text(encoding="utf-8-sig")
    labels = [m.group(1) for m in re.finditer(r"^ {8,}(\S+) ", shown, re.M)]
    assert rebuilt == labels and "3.3" in labels and "(ii)" in labels, (rebuilt, labels)
    assert "paragraph 3.1." in " ".join(t for _s, t in docx_paragraphs(
        tmp_path / "build" / "walsall-report" / "walsall-report.docx"))


def test_a_report_written_in_word_needs_its_house_style_and_a_map(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(FOREIGN), "--out", "out", cwd=tmp_path)
    assert result.exit_code == 1 and "needs" not in result.output and "--template walsall/cabinet --map" in \
        result.output
    assert not (tmp_path / "out").exists()


def test_the_clearance_table_filled_in_by_reviewers_comes_back_into_paper_yaml(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Legal signs off by editing its row of the sign-off table; paper.yaml's clearances follow,
    its comments and other lines as they were."""
    project = _project(tmp_path, "options-appraisal-2024")
    assert run_cli("build", "options-appraisal-2024", "--format", "docx", cwd=project).exit_code == 0
    built = project / "build" / "options-appraisal-2024" / "options-appraisal-2024.docx"
    with zipfile.ZipFile(built) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"]
    assert xml.count(b">M. Officer<") == 1 and xml.count(b">29 February 2024<") == 1
    parts["word/document.xml"] = xml.replace(b">M. Officer<", b">P. Deputy<").replace(
        b">29 February 2024<", b">1 March 2024<")
    reviewed = tmp_path / "options-appraisal-2024.docx"
    with zipfile.ZipFile(reviewed, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = run_cli("import", str(reviewed), "--onto", "options-appraisal-2024", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["wrote content/options-appraisal-2024/paper.yaml"]
    before = (ROOT / "content" / "options-appraisal-2024" / "paper.yaml").read_text()
    after = (project / "content" / "options-appraisal-2024" / "paper.yaml").read_text()
    assert after == before.replace("{role: legal, name: M. Officer, date: 2024-02-29, status: cleared}",
                                   "{role: legal, name: P. Deputy, date: 2024-03-01, status: cleared}")
