"""The sign-off DOCX: draft marking, clearance record, running header, restyling, properties."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from docx.shared import RGBColor

from helpers import ROOT, SAMPLE, TEMPLATES, W, docx_text, libreoffice_pdf, pdf_text

CLEARANCES = """clearances:
  - role: finance
    name: Zebedee Clearwater
    date: 2018-06-01
    status: cleared
  - role: legal
    name: Ottoline Quibble
    date: 2018-06-04
    status: comments
    comments: wording of 2.1 agreed
"""
DRAFT = "DRAFT – for sign-off – not for publication"


@pytest.fixture
def project(tmp_path: Path, run_cli):  # type: ignore[no-untyped-def]
    """A copy of the sample with two clearances recorded, and a copy of the templates to change."""
    paper = tmp_path / "content" / "cabinet-2018-06"
    shutil.copytree(SAMPLE, paper)
    (paper / "paper.yaml").write_text((paper / "paper.yaml").read_text() + CLEARANCES)
    shutil.copytree(TEMPLATES, tmp_path / "templates")

    def build(*args: str):  # type: ignore[no-untyped-def]
        return run_cli("build", "cabinet-2018-06", *args, cwd=tmp_path)

    return tmp_path, build


def header_texts(path: Path) -> dict[str, str]:
    """Header part name → its text (the first page has a header of its own)."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if n.startswith("word/header")]
        return {n: "".join(t.text or "" for t in ElementTree.fromstring(package.read(n)).iter(W + "t")) for n in parts}


def test_signoff_docx_has_the_draft_marking_and_the_clearance_table(project) -> None:  # type: ignore[no-untyped-def]
    root, build = project
    assert build("--format", "docx").exit_code == 0
    path = root / "build" / "cabinet-2018-06" / "cabinet-2018-06.docx"
    document = docx.Document(str(path))
    assert document.sections[0].different_first_page_header_footer
    assert [p.text for p in document.sections[0].first_page_header.paragraphs if p.text] == [DRAFT]
    assert [p.text for p in document.sections[0].header.paragraphs if p.text] == [DRAFT, "Cabinet – 21 June 2018"]
    table = document.tables[-1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Role", "Name", "Date", "Status"],
        ["Finance (section 151 officer)", "Zebedee Clearwater", "1 June 2018", "cleared"],
        ["Legal (monitoring officer)", "Ottoline Quibble", "4 June 2018", "comments: wording of 2.1 agreed"],
    ]


def test_publication_outputs_hold_no_clearance_data_and_no_draft_marking(project) -> None:  # type: ignore[no-untyped-def]
    root, build = project
    assert build("--for", "publication").exit_code == 0
    out = root / "build" / "cabinet-2018-06"
    word = out / "cabinet-2018-06.docx"
    texts = {
        "docx": docx_text(word) + "\n".join(header_texts(word).values()),
        "pdf": pdf_text(out / "cabinet-2018-06.pdf"),
        "html": (out / "cabinet-2018-06.html").read_text(encoding="utf-8"),
    }
    for name, text in texts.items():
        for secret in ("Zebedee", "Clearwater", "Ottoline", "Quibble", "wording of 2.1 agreed", "Clearance", "DRAFT"):
            assert secret not in text, f"{secret!r} in the {name}"
    assert "Cabinet – 21 June 2018" in texts["docx"]


def test_pdf_and_html_are_for_publication_even_when_the_docx_is_for_signoff(project) -> None:  # type: ignore[no-untyped-def]
    root, build = project
    assert build().exit_code == 0  # default: DOCX for sign-off, PDF and HTML for publication
    out = root / "build" / "cabinet-2018-06"
    assert "Zebedee" in docx_text(out / "cabinet-2018-06.docx")
    assert "Zebedee" not in pdf_text(out / "cabinet-2018-06.pdf")
    assert "Zebedee" not in (out / "cabinet-2018-06.html").read_text(encoding="utf-8")


def require(root: Path, roles: str) -> None:
    style = root / "templates" / "walsall" / "cabinet" / "style.yaml"
    style.write_text(style.read_text().replace("required_for_publication: []", f"required_for_publication: [{roles}]"))


def test_a_template_can_refuse_publication_until_its_roles_have_cleared(project) -> None:  # type: ignore[no-untyped-def]
    root, build = project
    require(root, "finance, legal, director")
    refused = build()
    assert refused.exit_code == 1
    assert ("content/cabinet-2018-06/paper.yaml:21: error [clearance-missing] not cleared for publication: "
            "Legal (monitoring officer) (comments); Executive director (not recorded)") in refused.output
    assert not (root / "build").exists()
    assert build("--for", "publication", "--format", "docx").exit_code == 1
    # A draft for sign-off can always be built: it is how the clearances are gathered.
    assert build("--format", "docx").exit_code == 0
    table = docx.Document(str(root / "build" / "cabinet-2018-06" / "cabinet-2018-06.docx")).tables[-1]
    assert [row.cells[0].text for row in table.rows][1:] == [
        "Finance (section 151 officer)", "Legal (monitoring officer)", "Executive director"]
    assert table.rows[3].cells[3].text == "not yet recorded"
    paper = root / "content" / "cabinet-2018-06" / "paper.yaml"
    paper.write_text(paper.read_text().replace("status: comments", "status: cleared")
                     + "  - role: director\n    name: A Director\n    status: cleared\n")
    assert build().exit_code == 0


def test_a_clearance_for_an_unknown_role_is_an_error(project) -> None:  # type: ignore[no-untyped-def]
    root, build = project
    paper = root / "content" / "cabinet-2018-06" / "paper.yaml"
    paper.write_text(paper.read_text().replace("role: finance", "role: finanse"))
    result = build("--format", "docx")
    assert result.exit_code == 1
    assert ("paper.yaml:22: error [clearance-role] the template has no clearance role 'finanse'; "
            "did you mean 'finance'?") in result.output


def test_a_restyled_word_template_restyles_every_build(project) -> None:  # type: ignore[no-untyped-def]
    """What an officer does in Word (change Heading 1 to green), done here with python-docx."""
    root, build = project
    template_path = root / "templates" / "walsall" / "cabinet" / "cabinet.docx"
    template = docx.Document(str(template_path))
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x70, 0x3C)
    template.styles["Body Text"].font.size = docx.shared.Pt(13)
    template.save(str(template_path))
    assert build("--format", "docx").exit_code == 0
    built = docx.Document(str(root / "build" / "cabinet-2018-06" / "cabinet-2018-06.docx"))
    assert built.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x70, 0x3C)
    assert built.styles["Body Text"].font.size == docx.shared.Pt(13)
    headings = [p for p in built.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].text == "1.\tSummary" and not any(run.font.color.rgb for p in headings for run in p.runs)


def test_properties_describe_the_paper_and_nothing_of_the_machine(built_sample: Path) -> None:
    path = built_sample / "cabinet-2018-06.docx"
    props = docx.Document(str(path)).core_properties
    assert props.title == "Ofsted Working Group"
    assert props.subject == "Cabinet – 21 June 2018"
    assert props.author == "Debbie Carter"
    assert props.keywords == "Cabinet; Children's Services; Councillor Wilson"
    assert props.last_modified_by == "" and props.comments == ""
    with zipfile.ZipFile(path) as package:
        everything = b"".join(package.read(n) for n in package.namelist() if n.startswith("docProps/"))
    for private in (b"root", b"python-docx", str(ROOT).encode(), b"/tmp", b"/home"):
        assert private not in everything, private


@pytest.mark.slow
def test_libreoffice_reads_the_references_as_cross_references_to_bookmarks(built_sample: Path, tmp_path: Path) -> None:
    """Opened in LibreOffice, each REF field is a cross-reference to its bookmark (ctrl-click follows it)."""
    import re

    with zipfile.ZipFile(libreoffice_pdf(built_sample / "cabinet-2018-06.docx", tmp_path, to="odt")) as package:
        content = package.read("content.xml").decode("utf-8")
    refs = re.findall(r'<text:bookmark-ref [^>]*text:ref-name="([^"]+)"[^>]*>([^<]*)</text:bookmark-ref>', content)
    assert refs == [("section_3", "3"), ("para_3_9", "3.9"), ("para_3_9_1", "a)"), ("para_3_9_1_1", "(i)")]
    marks = set(re.findall(r'<text:bookmark-start text:name="([^"]+)"', content))
    assert {name for name, _text in refs} <= marks


def test_bookmark_names_are_unique_even_when_anchors_share_their_first_40_characters() -> None:
    """Word cuts nothing, but refuses names over 40 characters: two long labels that agree
    for 40 characters must still lead their references to their own targets."""
    from paperkit.render.wordml import Bookmarks

    bookmarks = Bookmarks()
    first = "para-3-1-" + "a" * 40 + "-first"
    second = "para-3-1-" + "a" * 40 + "-second"
    names = [bookmarks.name(first), bookmarks.name(second), bookmarks.name(first)]
    assert names[0] != names[1] and names[0] == names[2]
    assert all(len(name) <= 40 and name.replace("_", "").isalnum() for name in names)
