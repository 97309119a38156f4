"""Agenda packs: page numbers that match, bookmarks, exempt material kept out by construction, cache."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from helpers import MEETING_PAPERS, ROOT, pdf_outline, pdf_pages, pdf_text

pytestmark = pytest.mark.slow  # agenda packs: not in the inner loop (pytest -m "not slow")

MEETING = "cabinet-2018-06-21"
MARKERS = ("EXEMPT-MARKER-4Q7Z", "EXEMPT-APPENDIX-MARKER-9K2P")
PAPERS = MEETING_PAPERS


def project_copy(dest: Path) -> Path:
    for name in (*PAPERS, "meetings"):
        shutil.copytree(ROOT / "content" / name, dest / "content" / name)
    return dest


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample meeting packed once, public only; returns the project and what paperkit printed."""
    from click.testing import CliRunner

    from paperkit.cli import main

    project = project_copy(tmp_path_factory.mktemp("pack"))
    import os

    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["pack", MEETING, "--templates", str(ROOT / "templates")])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return project, result.output


def out(project: Path) -> Path:
    return project / "build" / MEETING


def test_agenda_page_numbers_are_where_each_item_starts(packed: tuple[Path, str]) -> None:
    project, _ = packed
    pack = pdf_pages(out(project) / f"{MEETING}-public-pack.pdf")
    agenda = pdf_text(out(project) / f"{MEETING}-agenda.pdf")
    printed = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\d+)\.\s+\S.*?\s(\d+)\s*$", agenda, re.M)}
    assert set(printed) == {"5", "6", "7", "8"}  # the four public papers; item 9 is exempt
    for number, page in printed.items():
        text = pack[page - 1]
        assert re.search(rf"Agenda item:\s+{number}\b", text), (number, page)
        assert f"Pack page {page}" in text


def test_bookmarks_list_the_items(packed: tuple[Path, str]) -> None:
    project, _ = packed
    path = out(project) / f"{MEETING}-public-pack.pdf"
    assert pdf_outline(path) == [
        ("Agenda", 0), ("5. Ofsted Working Group", 1),
        ("6. Corporate Financial Performance 2018/19 – Quarter 1", 6),
        ("7. School place planning strategy 2018–2023", 8),
        ("8. Capital programme 2018/19 – additions for Council approval", 13)]
    with pikepdf.open(path) as pack:
        assert str(pack.docinfo["/Title"]) == "Cabinet – 21 June 2018: agenda pack"
        assert str(pack.Root.Lang) == "en-GB"


def test_every_page_carries_its_pack_page_number(packed: tuple[Path, str]) -> None:
    project, _ = packed
    pages = pdf_pages(out(project) / f"{MEETING}-public-pack.pdf")
    assert len(pages) == 21
    for number, text in enumerate(pages, 1):
        assert f"Pack page {number}" in text


def test_an_attached_pdf_appendix_is_in_the_pack_on_its_own_numbered_pages(packed: tuple[Path, str]) -> None:
    """Item 8's Appendix C is a 2-page PDF: its pages follow its heading page, each with the
    paper's page number and the pack's, so the agenda's page numbers still hold (above)."""
    project, _ = packed
    pages = pdf_pages(out(project) / f"{MEETING}-public-pack.pdf")
    heading = next(n for n, text in enumerate(pages) if "Appendix C is the attached document" in text)
    assert "Plan 1: Park Street and The Bridge public realm" in pages[heading + 1]
    assert "Plan 2: Central Library and Pleck depot" in pages[heading + 2]
    assert "Page 7 of 8" in pages[heading + 1] and f"Pack page {heading + 2}" in pages[heading + 1]
    assert (out(project) / "items" / "capital-programme-2018-files" / "plans" / "scheme-plans.pdf").is_file()


def assert_none_holds(folder: Path, markers: tuple[str, ...]) -> None:
    """No file under `folder`, cached renders included, holds any marker: raw bytes or PDF text."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_bytes()
        text = pdf_text(path) if path.suffix == ".pdf" else raw.decode("utf-8", "replace")
        for marker in markers:
            assert marker not in text and marker.encode() not in raw, (marker, path)


def test_exempt_text_never_appears_in_any_public_output(packed: tuple[Path, str]) -> None:
    project, _ = packed
    # The csv is item 8's published appendix.
    assert {p.suffix for p in out(project).rglob("*") if p.is_file()} == {".pdf", ".html", ".csv"}
    assert_none_holds(project / "build", MARKERS)
    agenda = pdf_text(out(project) / f"{MEETING}-agenda.pdf")
    assert "Award of contract for children's centre services" in agenda  # listed, with the reason
    assert "paragraph 3 of Part 1 of" in agenda and "Schedule 12A" in agenda
    school = pdf_text(out(project) / "items" / "07-school-places-2018.pdf")
    assert "Appendix B: Site acquisition costs" in school and "Not for publication" in school
    # Why the appendix is withheld, with the public interest test, in the paper, on the agenda
    # and on the index page (issue 14's exemption statement).
    statement = ("Appendix B (Site acquisition costs) is not for publication: it contains exempt information "
                 "under paragraph 3 of Part 1 of Schedule 12A")
    interest = "Public interest test: The information relates to the financial affairs of the Council"
    index = " ".join((out(project) / "index.html").read_text(encoding="utf-8").split())
    for text in (" ".join(school.split()), " ".join(agenda.split()), index):
        assert statement in text and interest in text


BUDGET_ITEM = "  - paper: budget-monitoring-2018-19\n"
BUDGET_TEXT = "Corporate Financial Performance"


@pytest.mark.parametrize("change", [
    BUDGET_ITEM + "    title: Budget monitoring\n    exempt: {paragraph: 3}\n",  # made exempt
    "",  # withdrawn from the agenda
], ids=["made-exempt", "withdrawn"])
def test_an_item_published_then_made_exempt_or_withdrawn_leaves_no_public_trace(
        tmp_path: Path, run_cli, change: str) -> None:  # type: ignore[no-untyped-def]
    project = project_copy(tmp_path)
    args = ("pack", MEETING, "--templates", str(ROOT / "templates"))
    (out(project) / "notes").mkdir(parents=True)
    (out(project) / "notes" / "clerk.txt").write_text("The clerk's own file.")
    assert run_cli(*args, cwd=project).exit_code == 0
    assert (out(project) / "items" / "06-budget-monitoring-2018-19.pdf").is_file()
    meeting = project / "content" / "meetings" / f"{MEETING}.yaml"
    meeting.write_text(meeting.read_text().replace(BUDGET_ITEM, change))
    assert run_cli(*args, cwd=project).exit_code == 0
    assert not list(out(project).rglob("*budget*"))
    assert_none_holds(project / "build", (BUDGET_TEXT,))
    assert (out(project) / "notes" / "clerk.txt").read_text() == "The clerk's own file."  # never paperkit's to delete


def test_the_public_pack_never_reads_exempt_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Proof by construction: with the exempt paper's text and the exempt appendix gone, the public pack builds."""
    project = project_copy(tmp_path)
    for path in (project / "content" / "childrens-centre-contract").glob("*.md"):
        path.unlink()
    (project / "content" / "school-places-2018" / "appendix-site-costs.md").unlink()
    result = run_cli("pack", MEETING, "--templates", str(ROOT / "templates"), cwd=project)
    assert result.exit_code == 0, result.output
    private = run_cli("pack", MEETING, "--private", "--templates", str(ROOT / "templates"), cwd=project)
    assert private.exit_code == 1  # the private pack does read them, and says they are missing


def test_the_private_pack_is_kept_apart_from_everything_published(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = project_copy(tmp_path)
    args = ("pack", MEETING, "--templates", str(ROOT / "templates"))
    assert run_cli(*args, cwd=project).exit_code == 0
    assert not (project / "private").exists()  # only when asked for
    assert run_cli(*args, "--private", cwd=project).exit_code == 0
    private = project / "private" / MEETING / f"{MEETING}-private-pack.pdf"
    text = pdf_text(private)
    assert all(marker in text for marker in MARKERS)
    assert "NOT FOR PUBLICATION – private pack" in text
    assert pdf_outline(private)[-1][0] == "9. Award of contract for children's centre services"
    assert_none_holds(project / "build", MARKERS)  # neither the pack nor its cached renders
    assert run_cli(*args, cwd=project).exit_code == 0
    assert_none_holds(project / "build", MARKERS)


@pytest.mark.parametrize("name", ["..", ".", "../x", "a/b", "...", "x" * 101])
def test_a_meeting_name_that_is_not_one_plain_name_is_refused_and_nothing_is_written(
        tmp_path: Path, run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    project = project_copy(tmp_path)
    sentinel = project / "beside"
    (sentinel / "private").mkdir(parents=True)
    (project / "content" / "meetings" / "...yaml").write_text((project / "content" / "meetings" /
                                                              f"{MEETING}.yaml").read_text())
    result = run_cli("pack", name, "--out", str(project / "beside" / "out"), "--templates", str(ROOT / "templates"),
                     cwd=project)
    assert result.exit_code == 2 and "is not a meeting name" in result.output
    assert [p.name for p in sentinel.iterdir()] == ["private"]


def test_an_output_folder_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = project_copy(tmp_path)
    (project / "a-file").write_text("not a folder")
    result = run_cli("pack", MEETING, "--out", "a-file/out", "--templates", str(ROOT / "templates"), cwd=project)
    assert result.exit_code == 1 and "paperkit: cannot write" in result.output


def test_an_unchanged_paper_comes_from_the_cache(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = project_copy(tmp_path)
    args = ("pack", MEETING, "--templates", str(ROOT / "templates"))
    first = run_cli(*args, cwd=project)
    assert first.output.count("built (") == 4 and "cached" not in first.output
    pack = out(project) / f"{MEETING}-public-pack.pdf"
    before = pack.read_bytes()
    # A file beside a paper that the paper does not use is not read, so it changes nothing.
    (project / "content" / "cabinet-2018-06" / "notes.txt").write_text("The author's own notes.")
    second = run_cli(*args, cwd=project)
    assert "[public] pack unchanged" in second.output and "built (" not in second.output
    assert pack.read_bytes() == before
    pack.unlink()  # an output gone: the pack is put together again, its papers from the cache
    rebuilt = run_cli(*args, cwd=project)
    assert rebuilt.output.count("unchanged (cached)") == 4 and "built (" not in rebuilt.output
    assert pack.read_bytes() == before
    summary = project / "content" / "budget-monitoring-2018-19" / "summary.md"
    summary.write_text(summary.read_text() + "\nOne more sentence.\n")
    third = run_cli(*args, cwd=project)
    assert third.output.count("unchanged (cached)") == 3
    assert "item 6: budget-monitoring-2018-19 built" in third.output


def test_index_page_links_each_public_item(packed: tuple[Path, str]) -> None:
    project, _ = packed
    index = (out(project) / "index.html").read_text(encoding="utf-8")
    for stem in ("05-cabinet-2018-06", "06-budget-monitoring-2018-19", "07-school-places-2018"):
        assert f'href="items/{stem}.html"' in index and f'href="items/{stem}.pdf"' in index
        assert (out(project) / "items" / f"{stem}.html").is_file()
    assert "childrens-centre-contract" not in index
    assert f'href="{MEETING}-public-pack.pdf"' in index


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("paper: budget-monitoring-2018-19", "paper: budget-2018",
     f"content/meetings/{MEETING}.yaml:21: error [agenda-paper] no paper 'budget-2018' in content/"),
    ("  - paper: school-places-2018\n", "  - paper: school-places-2018\n  - paper: childrens-centre-contract\n",
     f"content/meetings/{MEETING}.yaml:25: error [agenda-exempt-conflict] 'childrens-centre-contract' is exempt here "
     "and also listed as a public item, which would publish it: list it once"),
    ("    title: Award of contract for children's centre services\n", "",
     f"content/meetings/{MEETING}.yaml:24: error [agenda-exempt-title] exempt item 'childrens-centre-contract' needs "
     "'title:' here"),
    ("paragraph: 3", "paragraph: 9",
     f"content/meetings/{MEETING}.yaml:29: error [exempt-paragraph] 'items.exempt.paragraph' must be a paragraph "
     "of Part 1 of Schedule 12A, 1 to 7, not '9'"),
])
def test_a_meeting_with_mistakes_is_reported(tmp_path: Path, run_cli, old: str, new: str,  # type: ignore[no-untyped-def]
                                             expected: str) -> None:
    project = project_copy(tmp_path)
    meeting = project / "content" / "meetings" / f"{MEETING}.yaml"
    meeting.write_text(meeting.read_text().replace(old, new))
    result = run_cli("pack", MEETING, "--templates", str(ROOT / "templates"), cwd=project)
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert not (project / "build").exists()


def test_mistakes_in_papers_are_all_reported_and_no_render_is_kept(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Papers render as soon as they are read; a mistake in a later one still stops the pack
    with every paper's mistakes, and the renders already begun are not kept."""
    project = project_copy(tmp_path)
    for paper in ("budget-monitoring-2018-19", "capital-programme-2018"):  # the second and the last paper
        detail = project / "content" / paper / "report-detail.md"
        detail.write_text(detail.read_text() + "\n\nSee {ref}`no-such-label`.\n")
    result = run_cli("pack", MEETING, "--templates", str(ROOT / "templates"), cwd=project)
    assert result.exit_code == 1
    assert re.findall(r"content/([a-z0-9-]+)/report-detail\.md:\d+: error \[xref-missing\]", result.output) == [
        "budget-monitoring-2018-19", "capital-programme-2018"]
    assert "built (" not in result.output and not (project / "build").exists()
    cached = project / ".paperkit-cache" / "public"
    assert not cached.exists() or not any(cached.glob("*.pdf"))


def test_a_paper_changed_after_it_was_checked_is_not_rendered(tmp_path: Path) -> None:
    """Each render process reads its paper again (the pack holds no paper's model while others
    render): if the paper changed since the pack checked it, it says so rather than render
    what was not checked."""
    from paperkit.meeting import read_meeting
    from paperkit.pack import PaperChanged, TemplateDigests, read_jobs, render_job

    project = project_copy(tmp_path)
    content = project / "content"
    meeting = read_meeting(content / "meetings" / f"{MEETING}.yaml", content)
    items = [item for item in meeting.items if item.paper == "cabinet-2018-06"]
    job = read_jobs(items, "public", content, ROOT / "templates", TemplateDigests())[0]
    pages, pdf, html = render_job(job)
    assert pages == 5 and pdf.startswith(b"%PDF") and b"Ofsted Working Group" in html
    summary = content / "cabinet-2018-06" / "summary.md"
    summary.write_text(summary.read_text() + "\nA sentence added after the check.\n")
    with pytest.raises(PaperChanged, match="cabinet-2018-06 changed while the pack was being made"):
        render_job(job)


def test_an_unknown_meeting_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("pack", "no-such-meeting")
    assert result.exit_code == 2 and f"meetings there: {MEETING}" in result.output


def test_cross_references_in_the_pack_lead_to_their_own_papers_pages(packed: tuple[Path, str]) -> None:
    """Each paper's links survive being put in the pack, and each leads within its own paper
    (papers share anchor names like para-3-1: a clash must not send a reader to another paper)."""
    project, _ = packed
    starts = [start for _title, start in pdf_outline(out(project) / f"{MEETING}-public-pack.pdf")]
    with pikepdf.open(out(project) / f"{MEETING}-public-pack.pdf") as pack:
        pages = {page.objgen: index for index, page in enumerate(pack.pages)}
        names = pikepdf.NameTree(pack.Root.Names.Dests)
        links = 0
        for index, page in enumerate(pack.pages):
            for annot in page.get("/Annots", []):
                dest = annot.get("/Dest")
                if dest is None:
                    continue
                target = names[str(dest)] if isinstance(dest, pikepdf.String) else dest
                target = target.D if isinstance(target, pikepdf.Dictionary) else target  # << /D [page ...] >>
                target_page = pages[target[0].objgen]
                paper = sum(index >= start for start in starts)
                assert paper == sum(target_page >= start for start in starts), (index, str(dest))
                links += 1
    assert links >= 10


def test_a_wholly_exempt_item_says_why_on_the_agenda_and_the_index(packed: tuple[Path, str]) -> None:
    """Item 9: the paragraph of Schedule 12A, what it covers in the law's words, and the public
    interest test from the meeting file, worded by the house style."""
    project, _ = packed
    agenda = " ".join(pdf_text(out(project) / f"{MEETING}-agenda.pdf").split())
    index = re.sub(r"\s+", " ", (out(project) / "index.html").read_text(encoding="utf-8"))
    item = agenda[agenda.index("9. Award of contract"):]
    for text in (item, index[index.index("Award of contract"):]):
        assert "exempt information under paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972 " \
               "(information relating to the financial or business affairs of any particular person" in text
        assert "Public interest test: The report contains information about the financial and business" in text
