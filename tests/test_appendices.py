"""The list of appendices and appendices of every kind (issue 14, part 2): Markdown text, an
attached PDF whose pages join the PDF, another file published beside the outputs, a title only.

The sample capital-programme-2018 has one of each: A and B Markdown, C a 2-page PDF, D a
spreadsheet (CSV), E "to follow".
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from helpers import (
    ROOT,
    TEMPLATES,
    besides_prose_warnings,
    build_sample_paper,
    docx_bookmarks_and_fields,
    docx_text,
    make_paper,
    pdf_pages,
)
from paperkit.diagnostics import ContentError
from paperkit.pipeline import build, load

PAPER = "capital-programme-2018"
LIST = ["Appendix A: Revised capital programme 2018/19", "Appendix B: Prudential indicators",
        "Appendix C: Scheme location plans (scheme-plans.pdf)", "Appendix D: Scheme cost breakdown by year "
        "(scheme-costs.csv)", "Appendix E: Central Library access audit (to follow)"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_paper(PAPER, tmp_path_factory.mktemp("appendices"))


def test_the_closing_list_names_every_appendix_in_every_output(built: Path) -> None:
    pdf = " ".join(" ".join(pdf_pages(built / f"{PAPER}.pdf")).split())
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", (built / f"{PAPER}.html").read_text(encoding="utf-8")))
    for text in (pdf, docx_text(built / f"{PAPER}.docx"), html):
        at = text.index("Background papers")
        listed = text[at:]
        assert "Appendices" in listed
        for line in LIST:
            assert line in listed, line


def test_an_attached_pdf_fills_numbered_pages_after_its_heading(built: Path) -> None:
    pages = pdf_pages(built / f"{PAPER}.pdf")
    assert len(pages) == 8
    heading = next(n for n, text in enumerate(pages) if "Appendix C is the attached document" in text)
    assert "Appendix C: Scheme location plans Appendix C is the attached document scheme-plans.pdf (2 pages)." \
        in " ".join(pages[heading].split())
    assert "Plan 1: Park Street" in pages[heading + 1] and f"Page {heading + 2} of 8" in pages[heading + 1]
    assert "Plan 2: Central Library" in pages[heading + 2] and f"Page {heading + 3} of 8" in pages[heading + 2]


def test_an_attached_pdfs_pages_are_figures_described_in_the_appendix_section(built: Path) -> None:
    with pikepdf.open(built / f"{PAPER}.pdf") as pdf:
        found = []
        stack = [(pdf.Root.StructTreeRoot, "")]
        while stack:
            node, parent = stack.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if str(kid.S) == "/Figure":
                        found.append((parent, str(kid.Alt)))
                    stack.append((kid, str(kid.S)))
    assert sorted(found) == [
        ("/Sect", "Appendix C: Scheme location plans, page 1 of 2 of the attached document scheme-plans.pdf"),
        ("/Sect", "Appendix C: Scheme location plans, page 2 of 2 of the attached document scheme-plans.pdf")]
    from paperkit.verify import verify_pdf

    assert all(result.passed for result in verify_pdf(built / f"{PAPER}.pdf"))


def test_attached_files_are_published_beside_the_outputs_and_linked(built: Path) -> None:
    files = built / f"{PAPER}-files"
    source = ROOT / "content" / PAPER
    assert (files / "plans" / "scheme-plans.pdf").read_bytes() == (source / "plans" / "scheme-plans.pdf").read_bytes()
    assert (files / "scheme-costs.csv").read_bytes() == (source / "scheme-costs.csv").read_bytes()
    html = (built / f"{PAPER}.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"#][^"]*)"', html):
        if not href.startswith(("mailto:", "http")):
            assert (built / href).is_file(), href


def test_a_reference_to_an_appendix_without_pages_reaches_its_line_in_the_list(built: Path) -> None:
    html = (built / f"{PAPER}.html").read_text(encoding="utf-8")
    assert re.search(r'<li id="appendix-4">Appendix D: Scheme cost breakdown', html)
    assert 'href="#appendix-4"' in html
    bookmarks, fields = docx_bookmarks_and_fields(built / f"{PAPER}.docx")
    assert bookmarks["appendix_4"] == "D" and ("REF appendix_4 \\h", "D") in fields


def _paper(tmp_path: Path, appendices: str, files: dict[str, bytes]) -> Path:
    paper = make_paper(tmp_path)
    for name, data in files.items():
        (paper / name).parent.mkdir(parents=True, exist_ok=True)
        (paper / name).write_bytes(data)
    with (paper / "paper.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("appendices:\n" + appendices)
    return paper


def _codes(paper: Path) -> list[tuple[str, str]]:
    try:
        resolved = load(paper, TEMPLATES)
    except ContentError as caught:
        return [(d.severity, d.code) for d in besides_prose_warnings(caught.diagnostics.items)]
    return [(d.severity, d.code) for d in besides_prose_warnings(resolved.diagnostics.items)]


def _pdf(text: str, password: str = "") -> bytes:
    from paperkit.render.printer import html_to_pdf

    data = html_to_pdf(f"<p>{text}</p>", None, tagged=False)
    if not password:
        return data
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner=password, user=password))
    return out.getvalue()


@pytest.mark.parametrize(("appendices", "files", "expected"), [
    ("  - {title: Plans, file: plans.md}\n", {"plans.md": b"<!-- to write -->\n"}, [("warning", "appendix-empty")]),
    ("  - {title: Plans, file: plans.pdf}\n", {"plans.pdf": b"%PDF-1.7 not really"}, [("error", "appendix-file")]),
    ("  - {title: Plans, file: plans.pdf}\n", {"plans.pdf": _pdf("Locked", "secret")}, [("error", "appendix-file")]),
    ("  - {title: Plans, file: plans.pdf}\n", {}, [("error", "file-missing")]),
    ("  - {title: Plans, file: ../plans.pdf}\n", {}, [("error", "appendix-file")]),
    ("  - {title: Plans, note: to follow}\n", {}, []),
])
def test_appendix_mistakes_are_diagnostics(tmp_path: Path, appendices: str, files: dict[str, bytes],
                                           expected: list[tuple[str, str]]) -> None:
    assert _codes(_paper(tmp_path, appendices, files)) == expected


def test_an_exempt_attached_pdf_is_in_no_public_output(tmp_path: Path) -> None:
    """Its marker is in no file written for publication, it is not copied beside them, and the
    sign-off copy names it without linking to it."""
    marker = "EXEMPT-ATTACHED-MARKER-7T3W"
    paper = _paper(tmp_path, "  - title: Bids\n    file: bids/bids.pdf\n    exempt: {paragraph: 3}\n",
                   {"bids/bids.pdf": _pdf(marker)})
    out = tmp_path / "build"
    public = load(paper, TEMPLATES, audience="public")
    build(public, ["pdf", "html"], out, "test-paper")
    written = [p for p in out.rglob("*") if p.is_file()]
    assert sorted(p.name for p in written) == ["test-paper.html", "test-paper.pdf"]
    for path in written:
        text = " ".join(pdf_pages(path)) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        assert marker not in text and "bids.pdf" not in text
        assert "Appendix A: Bids" in " ".join(text.split()) or "Appendix A: Bids" in text
    shutil.rmtree(out)
    build(load(paper, TEMPLATES), ["docx"], out, "test-paper")
    assert [p.name for p in out.rglob("*") if p.is_file()] == ["test-paper.docx"]
    assert "Appendix A is the attached document bids/bids.pdf (1 page)." in docx_text(out / "test-paper" /
                                                                                         "test-paper.docx")
