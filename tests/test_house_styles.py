"""Several house styles, each data only: shipped ones, one written in a temporary folder, `new`, `templates`."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from helpers import ROOT, docx_text, pdf_text
from paperkit.verify import verify_pdf

# A paper written for each (the published Walsall paper keeps its long sentences: issue 18).
SHIPPED = {"walsall/cabinet": "school-places-2018", "walsall/scrutiny": "scrutiny-ofsted-2018-03",
           "example-borough/committee": "options-appraisal-2024"}


@pytest.mark.parametrize(("template", "paper"), list(SHIPPED.items()))
def test_each_shipped_template_has_a_paper_that_checks_clean_and_builds(template: str, paper: str, run_cli,
                                                                        tmp_path: Path) -> None:
    check = run_cli("check", paper)
    assert check.exit_code == 0 and check.output.strip() == f"{paper}: no problems found"
    assert run_cli("build", paper, "--out", str(tmp_path)).exit_code == 0
    out = tmp_path / paper
    assert docx.Document(io.BytesIO((out / f"{paper}.docx").read_bytes())).paragraphs
    assert all(r.passed for r in verify_pdf(out / f"{paper}.pdf"))
    assert "</html>" in (out / f"{paper}.html").read_text(encoding="utf-8")


def test_templates_lists_every_shipped_house_style(run_cli) -> None:
    listing = run_cli("templates").output
    for name in SHIPPED:
        assert name in listing
    assert "Fictional council" in listing


def test_example_borough_differs_on_every_axis(run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "options-appraisal-2024", "--out", str(tmp_path)).exit_code == 0
    out = tmp_path / "options-appraisal-2024"
    pdf = " ".join(pdf_text(out / "options-appraisal-2024.pdf").split())
    assert "Report to Environment Committee, 12 March 2024" in pdf
    assert "Classification: Part A (public); Appendix B is Part B (exempt)" in pdf
    assert "(1) That the Committee agrees" in pdf and "(a) to negotiate the lease" in pdf
    assert "recommends one (recommendation (1))" in pdf and "subject to recommendation (2)(a)" in pdf
    assert "set out in Appendix B" in pdf and "Table 1: Options appraised" in pdf
    assert "2.1 The Riverside depot" in pdf and "1 Recommendations" in pdf
    assert "Appendix B: Land valuation" in pdf and "Part B (not for publication)" in pdf
    assert "EXEMPT-EXAMPLE-MARKER-3J8" not in pdf
    assert "EXEMPT-EXAMPLE-MARKER-3J8" not in (out / "options-appraisal-2024.html").read_text(encoding="utf-8")
    document = docx.Document(str(out / "options-appraisal-2024.docx"))
    header = document.tables[0]
    assert [[c.text for c in row.cells] for row in header.rows][:2] == [
        ["Classification", "Part A (public); Appendix B is Part B (exempt)"], ["Report of", "Director of Environment"]]
    assert document.styles["Normal"].font.name == "Verdana"
    assert "DRAFT – awaiting sign-off – not to be published" in [
        p.text for p in document.sections[0].first_page_header.paragraphs]


NEW_STYLE = """\
# A house style written as files only, as docs/writing-a-house-style.md describes.
extends: walsall/cabinet
name: Acme District Council board report
description: A test house style kept in a user's own templates folder.
heading:
  meeting_line: "{meeting} meeting, {date}"
  agenda_item_line: "Agenda item: {agenda_item}"
  date_format: "{day} {month} {year}"
  fields:
    - {field: report_of, label: Lead officer}
    - {field: wards, label: Areas}
sections:
  - {id: purpose, title: Purpose, file: purpose.md, numbered: false, guidance: Say in two sentences what is asked.}
  - {id: decisions, title: Decisions sought, file: decisions.md, numbered: true,
     levels: [{format: "{A}."}, {format: "({i})", reference: "{parent}{own}"}]}
  - {id: detail, title: Detail, file: detail.md, numbered: true}
numbering:
  section: "{I}"
  section_heading: "Part {I}"
  levels:
    - {format: "{section}-{n}"}
  references: {separator: ", ", last: " and ", range: " to "}
rules:
  - rule: section-has-text
    sections: [purpose]
"""


def test_a_new_house_style_from_files_alone_builds(tmp_path: Path, run_cli) -> None:
    style_dir = tmp_path / "my-templates" / "acme" / "board"
    style_dir.mkdir(parents=True)
    (style_dir / "style.yaml").write_text(NEW_STYLE)
    args = ("--templates", str(tmp_path / "my-templates"))
    assert "acme/board" in run_cli("templates", *args, cwd=tmp_path).output
    created = run_cli("new", "board-paper", "--template", "acme/board", *args, cwd=tmp_path)
    assert created.exit_code == 0, created.output
    paper = tmp_path / "content" / "board-paper"
    assert sorted(p.name for p in paper.iterdir()) == ["decisions.md", "detail.md", "paper.yaml", "purpose.md"]
    assert "Say in two sentences what is asked." in (paper / "purpose.md").read_text()
    first = run_cli("check", "board-paper", *args, cwd=tmp_path)
    assert first.exit_code == 1
    codes = {line.split("[")[1].split("]")[0] for line in first.output.splitlines() if "error [" in line}
    assert codes == {"field-missing", "field-date", "section-empty"}  # what is still to write, named clearly
    yaml = (paper / "paper.yaml").read_text().replace('\nmeeting: ""', "\nmeeting: Board").replace(
        '\ndate: ""', "\ndate: 2025-01-15").replace('\ntitle: ""', "\ntitle: Depot lease")
    (paper / "paper.yaml").write_text(yaml.replace('report_of: ""', "report_of: Chief Executive"))
    (paper / "purpose.md").write_text("To agree a lease.\n")
    decisions = "- Agree the lease ({ref}`terms`).\n\n  - {#terms}\n    on the terms set out.\n"
    (paper / "decisions.md").write_text(decisions)
    (paper / "detail.md").write_text("- The lease runs for ten years.\n")
    assert run_cli("check", "board-paper", *args, cwd=tmp_path).exit_code == 0
    assert run_cli("build", "board-paper", *args, cwd=tmp_path).exit_code == 0
    pdf = " ".join(pdf_text(tmp_path / "build" / "board-paper" / "board-paper.pdf").split())
    assert "Board meeting, 15 January 2025" in pdf and "Lead officer: Chief Executive" in pdf
    assert "Part II Decisions sought" in pdf and "A. Agree the lease (A.(i))." in pdf
    assert not re.search(r"\bII-1\b", pdf)  # the decisions section numbers with its own levels
    assert "Part III Detail" in pdf and "III-1 The lease runs for ten years." in pdf
    assert "Agree the lease (A.(i))." in docx_text(tmp_path / "build" / "board-paper" / "board-paper.docx")


@pytest.mark.parametrize(("extends", "expected"), [
    ("walsall/cabnet", "'walsall/cabnet': this style extends no installed template"),
    ("acme/board", "'acme/board': this style extends itself"),
])
def test_a_bad_extends_is_reported(tmp_path: Path, run_cli, extends: str, expected: str) -> None:
    style_dir = tmp_path / "t" / "acme" / "board"
    style_dir.mkdir(parents=True)
    (style_dir / "style.yaml").write_text(NEW_STYLE.replace("extends: walsall/cabinet", f"extends: {extends}"))
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "p")
    yaml = tmp_path / "content" / "p" / "paper.yaml"
    yaml.write_text(yaml.read_text().replace("walsall/cabinet", "acme/board"))
    result = run_cli("check", "p", "--templates", str(tmp_path / "t"), cwd=tmp_path)
    assert result.exit_code == 1 and "error [style-extends]" in result.output and expected in result.output


def test_new_refuses_an_existing_folder_and_an_unknown_template(run_cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "taken")
    assert run_cli("new", "taken", "--template", "walsall/cabinet", cwd=tmp_path).exit_code == 2
    unknown = run_cli("new", "fresh", "--template", "walsall/cabnet", cwd=tmp_path)
    assert unknown.exit_code == 2 and "no template 'walsall/cabnet'" in unknown.output


def test_an_urgent_key_decision_prints_the_house_styles_urgency_paragraph(run_cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "p")
    yaml = tmp_path / "content" / "p" / "paper.yaml"
    yaml.write_text(yaml.read_text().replace("key_decision: no", "key_decision: yes")
                    .replace("forward_plan: yes", "forward_plan: no\nurgency_reason: the contract ends on 30 June."))
    assert run_cli("build", "p", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "p"
    expected = ("This key decision was not on the Forward Plan for 28 days. "
                "Reason for urgency: the contract ends on 30 June.")
    assert expected in " ".join(pdf_text(out / "p.pdf").split())
    assert expected in docx_text(out / "p.docx")


def test_a_councils_own_style_beside_its_content_overrides_the_built_in_one(tmp_path: Path, run_cli) -> None:
    """templates/ beside content/ holds the council's styles; one named like a built-in wins."""
    local = tmp_path / "templates" / "walsall" / "cabinet"
    shutil.copytree(ROOT / "templates" / "walsall" / "cabinet", local)
    yaml = local / "style.yaml"
    text = yaml.read_text().replace('meeting_line: "{meeting} – {date}"', 'meeting_line: "{meeting} on {date}"')
    yaml.write_text(text.replace("description: Report to Walsall Council's", "description: Our copy of the"))
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "p")
    listing = run_cli("templates", cwd=tmp_path).output.splitlines()
    cabinet = next(line for line in listing if line.startswith("walsall/cabinet "))
    assert "Our copy of the Cabinet" in cabinet
    assert cabinet.endswith("(templates/walsall/cabinet, overrides the built-in one)")
    assert next(line for line in listing if line.startswith("walsall/scrutiny ")).endswith("(built-in)")
    assert run_cli("build", "p", "--format", "pdf", cwd=tmp_path).exit_code == 0
    assert "Cabinet on 21 June 2018" in " ".join(pdf_text(tmp_path / "build" / "p" / "p.pdf").split())


def test_templates_from_an_empty_folder_are_the_built_in_ones(tmp_path: Path, run_cli) -> None:
    listing = run_cli("templates", cwd=tmp_path).output.splitlines()
    assert [line.split()[0] for line in listing] == sorted(SHIPPED)
    assert all(line.endswith("(built-in)") for line in listing)


def test_a_style_edited_between_two_runs_in_one_process_is_read_again(tmp_path: Path, run_cli) -> None:
    """Styles are remembered within a process (a pack reads its style once), never past an edit."""
    local = tmp_path / "templates" / "walsall" / "cabinet"
    shutil.copytree(ROOT / "templates" / "walsall" / "cabinet", local)
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "p")
    assert run_cli("check", "p", cwd=tmp_path).exit_code == 0
    yaml = local / "style.yaml"
    yaml.write_text(yaml.read_text().replace('meeting_line: "{meeting} – {date}"', 'meeting_line: "{meting}"'))
    second = run_cli("check", "p", cwd=tmp_path)
    assert second.exit_code == 1 and "error [style-pattern] 'meeting_line' uses {meting}" in second.output


COUNTY_FACTS = [("REPORT TO", "Children and Young People Scrutiny Committee"),
                ("SUBJECT", "Progress on the Ofsted action plan"),
                ("LEAD OFFICER", "Director of Children's Services"),
                ("CABINET MEMBER", "Councillor A. Patel, Cabinet Member for Children and Families"),
                ("ORIGIN OF ITEM", "Work programme 2024/25; Request of the committee, 12 June 2024"),
                ("LAST CONSIDERED", "6 March 2024"),
                ("BRIEF FOR THE COMMITTEE", "To consider the working group's findings and agree its recommendations")]


def test_a_style_with_its_own_heading_facts_builds_with_no_code_change(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The heading block is the style's data: keys, labels, kinds (text, a list with its own
    separator, a person, a date in the style's words) and which are required."""
    shutil.copytree(ROOT / "tests" / "papers" / "county-scrutiny", tmp_path / "content" / "county")
    args = ("--templates", str(ROOT / "tests" / "styles"))
    assert run_cli("check", "county", *args, cwd=tmp_path).output.strip() == "county: no problems found"
    assert run_cli("build", "county", *args, cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "county"
    pdf = " ".join(pdf_text(out / "county.pdf").split())
    word = " ".join(docx_text(out / "county.docx").split())
    html = (out / "county.html").read_text(encoding="utf-8").replace("&#39;", "'")
    for label, value in COUNTY_FACTS:
        assert f"{label}: {value}" in pdf and f"{label}: {value}" in word, label
        assert f'<th scope="row">{label}:</th><td>{value}' in html, label
    assert "Portfolio" not in pdf and "Wards" not in pdf  # none of the Walsall facts


def test_a_style_s_required_and_unknown_heading_facts_are_reported(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    paper = tmp_path / "content" / "county"
    shutil.copytree(ROOT / "tests" / "papers" / "county-scrutiny", paper)
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text().replace("lead_officer: Director of Children's Services\n", "portfolio: X\n")
                    .replace("last_considered: 2024-03-06", "last_considered: 2024-13-06"))
    result = run_cli("check", "county", "--templates", str(ROOT / "tests" / "styles"), cwd=tmp_path)
    assert result.exit_code == 1
    assert "paper.yaml:1: error [field-missing] 'lead_officer' is required" in result.output
    assert "paper.yaml:8: error [field-unknown] paper.yaml has no field 'portfolio'" in result.output
    assert "error [field-date] 'last_considered' must be a real date" in result.output
    yaml.write_text(yaml.read_text().replace("last_considered: 2024-13-06", 'last_considered: ""')
                    .replace("portfolio: X", "lead_officer: Director"))
    assert run_cli("check", "county", "--templates", str(ROOT / "tests" / "styles"), cwd=tmp_path).exit_code == 0


def test_month_names_and_the_code_font_are_the_style_s_words(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A Welsh council's style prints its own month names; nothing about dates is in code."""
    style = tmp_path / "templates" / "cyngor" / "cabinet"
    style.mkdir(parents=True)
    (style / "style.yaml").write_text(
        "extends: walsall/cabinet\nname: Cyngor\n"
        "months: [Ionawr, Chwefror, Mawrth, Ebrill, Mai, Mehefin, Gorffennaf, Awst, Medi, Hydref, Tachwedd, Rhagfyr]\n"
        "code_font: Consolas\n")
    paper = tmp_path / "content" / "p"
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", paper)
    (paper / "paper.yaml").write_text((paper / "paper.yaml").read_text().replace("walsall/cabinet", "cyngor/cabinet"))
    (paper / "summary.md").write_text((paper / "summary.md").read_text() + "\nRun `make` here.\n")
    assert run_cli("build", "p", "--format", "docx,html", cwd=tmp_path).exit_code == 0
    assert "Cabinet – 21 Mehefin 2018" in (tmp_path / "build" / "p" / "p.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "build" / "p" / "p.docx") as package:
        assert 'w:ascii="Consolas"' in package.read("word/document.xml").decode()
