"""Publication-grade outputs: tagged PDF, accessible web page, reproducible bytes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from click.testing import CliRunner

from helpers import PAPERS, ROOT, SAMPLE, SEED, W, docx_text, fidelity, make_paper
from paperkit.cli import main
from paperkit.verify import verify_pdf

SECTION_TITLES = ["1. Summary", "2. Recommendations", "3. Report detail", "4. Council Corporate Plan priorities",
                  "5. Risk management", "6. Financial implications", "7. Legal implications",
                  "8. Property implications", "9. Health and wellbeing implications", "10. Staffing implications",
                  "11. Reducing inequalities", "12. Consultation", "Background papers", "Author"]


def build(project: Path, paper: str, *args: str, env: dict[str, str] | None = None) -> Path:
    command = [sys.executable, "-m", "paperkit", "build", paper, *args]
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return project / "build" / paper


@pytest.fixture(scope="module")
def figures_paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a table and a picture in its report detail, built to every format."""
    project = tmp_path_factory.mktemp("figures")
    make_paper(project, "figures", from_folder=PAPERS / "figures-and-tables")
    return build(project, "figures")


def roles(pdf: pikepdf.Pdf) -> set[str]:
    found = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.add(str(kid.S).lstrip("/"))
                stack.append(kid)
    return found


# ------------------------------------------------------------------------------------------- PDF


def test_pdf_is_tagged_titled_and_in_english(built_sample: Path) -> None:
    with pikepdf.open(built_sample / "cabinet-2018-06.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert {"H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TH"} <= roles(pdf)
        assert str(pdf.docinfo["/Subject"]) == "Cabinet – 21 June 2018"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20180621000000Z"
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == SECTION_TITLES


def test_paragraph_numbers_are_list_labels(built_sample: Path) -> None:
    done = subprocess.run(["pdfinfo", "-struct-text", str(built_sample / "cabinet-2018-06.pdf")],
                          capture_output=True, text=True, check=True)
    labels = re.findall(r'Lbl \(block\)\n\s+Span \(inline\)\n\s+"([^"]*)"', done.stdout)
    assert labels[:3] == ["2.1", "2.2", "3.1"]
    assert "3.9" in labels and "a)" in labels and "(i)" in labels and "(ii)" in labels and "3.13" in labels


def test_verify_passes_every_rule_on_the_sample(built_sample: Path) -> None:
    results = verify_pdf(built_sample / "cabinet-2018-06.pdf")
    assert [r.rule for r in results] == ["structure-tree", "roles", "lang", "title", "display-doc-title",
                                         "fonts-embedded", "outline", "figure-alt", "heading-order", "untagged-text"]
    assert all(r.passed for r in results), [str(r) for r in results if not r.passed]


def test_verify_command_reports_rule_by_rule(built_sample: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(built_sample / "cabinet-2018-06.pdf")])
    assert result.exit_code == 0
    assert "pass  untagged-text" in result.output and result.output.strip().endswith("10 passed, 0 failed")


def weasyprint_pdf(tmp_path: Path, html: str, **options: object) -> Path:
    from weasyprint import HTML

    path = tmp_path / "probe.pdf"
    HTML(string=html, base_url=str(tmp_path)).write_pdf(path, **options)
    return path


def failed_rules(path: Path) -> set[str]:
    return {r.rule for r in verify_pdf(path) if not r.passed}


def test_verify_fails_an_untagged_pdf(tmp_path: Path) -> None:
    path = weasyprint_pdf(tmp_path, "<html><body><h1>T</h1><p>Body text.</p></body></html>")
    assert {"structure-tree", "roles", "lang", "title", "display-doc-title", "untagged-text"} <= failed_rules(path)


def test_verify_fails_a_heading_jump_and_a_figure_without_alt(tmp_path: Path) -> None:
    (tmp_path / "dot.png").write_bytes((PAPERS / "figures-and-tables" / "spend-chart.png").read_bytes())
    html = ('<html lang="en-GB"><head><title>T</title></head><body><h1>T</h1><h3>Skipped a level</h3>'
            '<p>Text <img src="dot.png"></p></body></html>')
    path = weasyprint_pdf(tmp_path, html, pdf_variant="pdf/ua-1")
    assert failed_rules(path) == {"heading-order", "figure-alt", "roles"}


@pytest.mark.slow  # builds a paper of its own
def test_figures_and_tables_are_tagged(figures_paper: Path) -> None:
    path = figures_paper / "figures.pdf"
    assert all(r.passed for r in verify_pdf(path)), [str(r) for r in verify_pdf(path) if not r.passed]
    with pikepdf.open(path) as pdf:
        assert {"Figure", "Table", "THead", "TH", "TD", "Caption"} <= roles(pdf)
        figures = [e for e in pdf.objects if isinstance(e, pikepdf.Dictionary) and e.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Bar chart of spending by year: highest in 2017/18, lowest in 2018/19"]
    text = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True).stdout
    assert '"Table 1: Spending by year"' in text


# ------------------------------------------------------------------------------------------- DOCX


@pytest.mark.slow  # builds a paper of its own
def test_docx_has_the_table_with_a_repeating_header_and_the_picture_with_its_description(figures_paper: Path) -> None:
    import docx

    document = docx.Document(str(figures_paper / "figures.docx"))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Year", "Spend (£000)", "Change"]
    assert [c.text for c in table.rows[3].cells] == ["2018/19", "1,180", "−16%"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert "Table 1: Spending by year" in [p.text for p in document.paragraphs]
    descriptions = [d.get("descr") for d in document.element.body.iter("{*}docPr")]
    assert descriptions == ["Bar chart of spending by year: highest in 2017/18, lowest in 2018/19"]
    assert any("refers back to paragraph 3.1 and to Table 1." in p.text for p in document.paragraphs)


# ------------------------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """What a test needs of the web page: tags with their attributes, and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {str(a["id"]) for _t, a in self.tags if a.get("id")}

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def page_of(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_html_page_has_landmarks_ids_links_and_a_skip_link(built_sample: Path) -> None:
    page = page_of(built_sample / "cabinet-2018-06.html")
    assert page.find("html")[0]["lang"] == "en-GB"
    assert page.find("a")[0] == {"class": "skip-link", "href": "#main"}
    assert page.find("main")[0]["id"] == "main" and page.find("header")
    assert {"para-3-9", "para-3-9-1-1", "para-2-1", "section-3", "para-3-13"} <= page.ids()
    hrefs = [a.get("href") for a in page.find("a")]
    assert "#para-3-9-1-1" in hrefs and "#section-3" in hrefs
    assert len(page.find("h1")) == 1 and len(page.find("h2")) == 14


@pytest.mark.slow  # builds a paper of its own
def test_html_page_is_self_contained(figures_paper: Path) -> None:
    page = page_of(figures_paper / "figures.html")
    assert not page.find("link") and not page.find("script")
    sources = [a.get("src") or "" for a in page.find("img")]
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    assert page.find("img")[0]["alt"] == "Bar chart of spending by year: highest in 2017/18, lowest in 2018/19"
    assert page.find("caption") is not None and page.find("th")[0] == {"scope": "row"}
    text = (figures_paper / "figures.html").read_text(encoding="utf-8")
    assert "@media print" in text
    assert not re.search(r"""(src|href)=["'](https?:|file:|//)""", text)


def test_html_words_match_the_published_paper(built_sample: Path) -> None:
    html = (built_sample / "cabinet-2018-06.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(style|head)\b.*?</\1>", " ", html))
    import html as html_module

    assert fidelity(html_module.unescape(text), SEED.read_text(encoding="utf-8")) >= 0.98


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test and .ci/run install it)")
@pytest.mark.parametrize("which", ["sample", "figures", "example-borough", "capital-programme-2018"])
def test_html_page_has_no_axe_violations_in_a_real_browser(which: str, built_sample: Path, figures_paper: Path,
                                                           tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    if which in ("example-borough", "capital-programme-2018"):
        name = "options-appraisal-2024" if which == "example-borough" else which
        shutil.copytree(ROOT / "content" / name, tmp_path / "content" / name)
        path = build(tmp_path, name, "--format", "html") / f"{name}.html"
    else:
        path = built_sample / "cabinet-2018-06.html" if which == "sample" else figures_paper / "figures.html"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page()
        page.goto(path.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        if which == "capital-programme-2018":
            # Each target of "Appendices A and B" is its own link, and following one lands on it.
            page.get_by_role("link", name="B", exact=True).first.click()
            assert page.evaluate("location.hash") == "#appendix-2"
            assert page.locator("#appendix-2").is_visible()
            # The list of appendices links to the attached files, which are there beside the page.
            href = page.get_by_role("link", name="scheme-costs.csv").get_attribute("href")
            assert href and (path.parent / href).is_file()
        browser.close()
    assert results.violations_count == 0, results.generate_report()


# --------------------------------------------------------------------------------- reproducibility


@pytest.mark.slow
def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for project in (first, second):
        shutil.copytree(SAMPLE, project / "content" / "cabinet-2018-06")
        build(project, "cabinet-2018-06")
    for suffix in ("docx", "pdf", "html"):
        name = f"cabinet-2018-06/cabinet-2018-06.{suffix}"
        assert (first / "build" / name).read_bytes() == (second / "build" / name).read_bytes(), suffix


@pytest.mark.slow  # builds a paper of its own
def test_source_date_epoch_sets_every_output_date(tmp_path: Path) -> None:
    import docx

    shutil.copytree(SAMPLE, tmp_path / "content" / "cabinet-2018-06")
    out = build(tmp_path, "cabinet-2018-06", env={"SOURCE_DATE_EPOCH": "1700000000"})
    with pikepdf.open(out / "cabinet-2018-06.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20231114221320Z"
    properties = docx.Document(str(out / "cabinet-2018-06.docx")).core_properties
    assert properties.created.isoformat().startswith("2023-11-14T22:13:20")
    assert '<meta name="dcterms.created" content="2023-11-14T22:13:20Z">' in (out / "cabinet-2018-06.html").read_text()
    import zipfile

    with zipfile.ZipFile(out / "cabinet-2018-06.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert package.namelist()[0] == "[Content_Types].xml"


def test_no_page_ends_with_a_heading_or_a_lone_number(built_sample: Path, figures_paper: Path) -> None:
    from helpers import pdf_text

    headings = SECTION_TITLES
    for path in (built_sample / "cabinet-2018-06.pdf", figures_paper / "figures.pdf"):
        pages = [p for p in pdf_text(path).split("\f") if p.strip()]
        for page in pages[:-1]:
            lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
            body = [line for line in lines if not line.startswith("Page ")]
            last = body[-1]
            assert last not in headings, f"{path.name}: a page ends with the heading {last!r}"
            assert not re.fullmatch(r"[\d.]+|[a-z]\)|\([ivx]+\)", last), f"{path.name}: a page ends with {last!r}"


def test_a_node_the_html_template_has_no_case_for_is_a_loud_failure() -> None:
    """Never silently left out of the page, as pandoc and docutils refuse unknown nodes."""
    from paperkit.render.html import unknown_node

    with pytest.raises(TypeError, match="no case for a Footnote node"):
        unknown_node(type("Footnote", (), {})())


def docx_tables_and_text_width(path: Path) -> tuple[list[int], int]:
    """(each table's width, from its grid; the page's text width), in twentieths of a point."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    section = root.find(f".//{W}sectPr")
    assert section is not None
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert size is not None and margins is not None
    text_width = int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    widths = []
    for table in root.iter(f"{W}tbl"):
        grid = sum(int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol"))
        widths.append(grid)
        if table.find(f"{W}tr/{W}trPr/{W}tblHeader") is None:
            continue  # the Word template's own tables (heading facts, clearances): its designer's widths
        # A table of the paper's content: Word widens an "auto" table to its content, past the
        # margin, so its width must be fixed.
        layout, width = table.find(f"{W}tblPr/{W}tblLayout"), table.find(f"{W}tblPr/{W}tblW")
        assert layout is not None and layout.get(f"{W}type") == "fixed"
        assert width is not None and width.get(f"{W}type") == "dxa" and int(width.get(f"{W}w")) <= grid + 12
    return widths, text_width


WIDE_TABLE = ("\n| " + " | ".join(f"A rather long column heading {i}" for i in range(12)) + " |\n|"
              + "---|" * 12 + "\n| " + " | ".join("a cell with several words in it" for _ in range(12)) + " |\n")


@pytest.mark.parametrize("paper", ["budget-monitoring-2018-19", "options-appraisal-2024", "school-places-2018",
                                   "capital-programme-2018", "wide"])
def test_every_word_table_lies_within_the_text_width(paper: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "content" / ("cabinet-2018-06" if paper == "wide" else paper), tmp_path / "content" / paper)
    if paper == "wide":
        detail = tmp_path / "content" / paper / "report-detail.md"
        detail.write_text(detail.read_text() + WIDE_TABLE)
    assert run_cli("build", paper, "--format", "docx", cwd=tmp_path).exit_code == 0
    widths, text_width = docx_tables_and_text_width(tmp_path / "build" / paper / f"{paper}.docx")
    assert widths and all(0 < width <= text_width for width in widths), (widths, text_width)


def test_a_table_without_caption_or_label_is_a_layout_table_with_no_number(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    paper = make_paper(tmp_path, from_folder=PAPERS / "figures-and-tables")
    detail = paper / "report-detail.md"
    layout = "- A layout table first.\n\n  | Name | Role |\n  |---|---|\n  | Jo | Chair |\n\n"
    detail.write_text(layout + detail.read_text())
    assert run_cli("build", "test-paper", "--format", "docx,html", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "test-paper"
    html = (out / "test-paper.html").read_text(encoding="utf-8")
    assert html.count("<caption>") == 1 and "<caption>Table 1: Spending by year</caption>" in html
    assert "Table 2" not in docx_text(out / "test-paper.docx") and "Table 1: Spending by year" in docx_text(
        out / "test-paper.docx")


def test_captions_wrap_only_where_the_text_is_too_long_for_the_page(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A caption is as wide as its table in HTML: a narrow table's caption stays on one line, and
    a long one wraps at the margin, not after every word. The Word copy has space after each table."""
    short = "Spending on school transport by year"
    long = ("Spending on home to school transport for pupils with special educational needs, by year and "
            "by type of transport, before and after the 2017 review")
    table = "\n\n  {{caption=\"{}\"}}\n  | Year | £000 |\n  |---|--:|\n  | 2017 | 5 |\n"
    make_paper(tmp_path, files={"report-detail.md": "- Narrow tables." + table.format(short) + table.format(long)})
    assert run_cli("build", "test-paper", "--format", "pdf,docx", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "test-paper"
    lines = [" ".join(line.split()) for line in subprocess.run(
        ["pdftotext", "-layout", str(out / "test-paper.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.splitlines()]
    assert f"Table 1: {short}" in lines
    first = next(n for n, line in enumerate(lines) if line.startswith("Table 2:"))
    wrapped = lines[first:first + 3]
    assert len(wrapped[0]) > 60 and " ".join(wrapped[:2]) == f"Table 2: {long}", wrapped
    with zipfile.ZipFile(out / "test-paper.docx") as package:
        body = ElementTree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    children = list(body)
    tables = [n for n, node in enumerate(children)
              if node.tag == f"{W}tbl" and node.find(f".//{W}tblHeader") is not None]
    assert len(tables) == 2
    for n in tables:  # an empty paragraph after each: Word has no space-after for tables
        after = children[n + 1]
        assert after.tag == f"{W}p" and not "".join(t.text or "" for t in after.iter(f"{W}t")), n
