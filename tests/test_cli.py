"""The paperkit command as an author runs it: exit codes, messages, what is written and what is not."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLE_LONG_SENTENCES, SAMPLE_PROSE_WARNINGS, copy_sample, docx_text, make_paper, pdf_text
from paperkit import __version__


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version_and_help(run_cli) -> None:
    assert run_cli("--version").output.strip() == f"paperkit, version {__version__}"
    result = run_cli("--help")
    assert result.exit_code == 0 and "build" in result.output
    build_help = run_cli("build", "--help")
    assert build_help.exit_code == 0
    for option in ("--format", "--out", "--content"):
        assert option in build_help.output


def test_build_writes_docx_pdf_and_html(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "cabinet-2018-06", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "cabinet-2018-06"
    assert sorted(p.name for p in folder.iterdir()) == ["cabinet-2018-06.docx", "cabinet-2018-06.html",
                                                        "cabinet-2018-06.pdf"]


@pytest.mark.parametrize(("options", "expected"), [
    (["--format", "docx"], ["cabinet-2018-06.docx"]),
    (["--format", "pdf"], ["cabinet-2018-06.pdf"]),
    (["--format", "docx,pdf"], ["cabinet-2018-06.docx", "cabinet-2018-06.pdf"]),
    (["--format", "docx", "--format", "pdf"], ["cabinet-2018-06.docx", "cabinet-2018-06.pdf"]),
    (["--format", "html"], ["cabinet-2018-06.html"]),
    (["--format", "all"], ["cabinet-2018-06.docx", "cabinet-2018-06.html", "cabinet-2018-06.pdf"]),
])
def test_format_option_chooses_outputs(run_cli, tmp_path: Path, options: list[str], expected: list[str]) -> None:
    result = run_cli("build", "cabinet-2018-06", "--out", str(tmp_path), *options)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "cabinet-2018-06").iterdir()) == expected


def test_unknown_paper_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "no-such-paper", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no paper 'no-such-paper'" in result.output and "cabinet-2018-06" in result.output


def test_unknown_format_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "cabinet-2018-06", "--format", "rtf", "--out", str(tmp_path))
    assert result.exit_code == 2 and "'rtf' is not one of docx, pdf, html, all" in result.output


def test_content_error_exits_1_with_file_and_line_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    make_paper(tmp_path, files={"recommendations.md": "- Fine.\n\n- See {ref}`missing`.\n"})
    result = run_cli("build", "test-paper", cwd=tmp_path)
    assert result.exit_code == 1
    assert "content/test-paper/recommendations.md:3: error [xref-missing] no target labelled 'missing'" in result.output
    assert f"1 error(s), {SAMPLE_PROSE_WARNINGS} warning(s)" in result.output  # the sample's prose
    assert not (tmp_path / "build").exists()


def test_a_failed_build_leaves_the_previous_outputs_untouched(run_cli, tmp_path: Path) -> None:
    paper = copy_sample(tmp_path)
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "cabinet-2018-06"
    before = {p.name: digest(p) for p in out.iterdir()}
    detail = paper / "report-detail.md"
    detail.write_text(detail.read_text() + "\n- See {ref}`nowhere`.\n")
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 1
    assert {p.name: digest(p) for p in out.iterdir()} == before


def test_a_crash_while_rendering_leaves_no_partial_file(run_cli, tmp_path: Path, monkeypatch) -> None:
    copy_sample(tmp_path)
    assert run_cli("build", "cabinet-2018-06", "--format", "docx,html", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "cabinet-2018-06"
    before = {p.name: digest(p) for p in out.iterdir()}

    def broken(resolved, purpose):  # type: ignore[no-untyped-def]
        raise RuntimeError("renderer failed")

    # The web page is made in this process: a crash there is a traceback (a bug in paperkit).
    monkeypatch.setattr("paperkit.render.html.render_html_file", broken)
    with pytest.raises(RuntimeError):
        run_cli("build", "cabinet-2018-06", "--format", "docx,html", cwd=tmp_path)
    assert {p.name: digest(p) for p in out.iterdir()} == before
    # The DOCX is made in the worker process, whose crash comes back as a message.
    monkeypatch.setattr("paperkit.render.docx.render_docx", broken)
    result = run_cli("build", "cabinet-2018-06", "--format", "docx", cwd=tmp_path)
    assert result.exit_code == 1
    assert "the DOCX could not be made: RuntimeError: renderer failed" in result.output
    assert {p.name: digest(p) for p in out.iterdir()} == before


def test_moving_a_target_renumbers_every_reference_in_both_outputs(run_cli, tmp_path: Path) -> None:
    paper = copy_sample(tmp_path)
    detail = paper / "report-detail.md"
    # A new paragraph before 3.9 makes it 3.10, so its sub-item (i) is now 3.10 a) (i).
    text = detail.read_text().replace("- {#ofsted-two}", "- A new paragraph.\n\n- {#ofsted-two}")
    detail.write_text(text)
    recommendations = paper / "recommendations.md"
    text = recommendations.read_text().replace("- {#methodology}", "- {#methodology}\n  See {ref}`ofsted-two`.")
    recommendations.write_text(text)
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "cabinet-2018-06"
    pdf = " ".join(pdf_text(out / "cabinet-2018-06.pdf").split())
    word = " ".join(docx_text(out / "cabinet-2018-06.docx").split())
    for text in (pdf, word):
        assert "(paragraph 3.10 a) (i))" in text
        assert "See 3.10." in text
        assert "3.9 a) (i)" not in text


def test_paths_in_messages_are_relative_to_where_paperkit_runs(run_cli) -> None:
    # The sample is clean: a build from the project root prints only what it wrote.
    result = run_cli("build", "cabinet-2018-06", "--format", "docx", "--out", str(ROOT / "build"))
    assert result.exit_code == 0
    assert result.output.strip().endswith("cabinet-2018-06.docx")


def test_check_reports_a_clean_paper(run_cli) -> None:
    result = run_cli("check", "school-places-2018")
    assert result.exit_code == 0 and result.output.strip() == "school-places-2018: no problems found"


def test_the_published_sample_is_checked_as_it_was_published(run_cli) -> None:
    """The Walsall paper is not rewritten to pass: its sentences over GOV.UK's 25 words are
    warnings, which do not stop it (issue 18)."""
    result = run_cli("check", "cabinet-2018-06")
    assert result.exit_code == 0
    assert result.output.count("warning [sentence-long]") == SAMPLE_LONG_SENTENCES
    assert result.output.count("warning [word-avoid]") + result.output.count("warning [acronym-undefined]") == (
        SAMPLE_PROSE_WARNINGS - SAMPLE_LONG_SENTENCES)
    assert result.output.splitlines()[-1] == f"0 error(s), {SAMPLE_PROSE_WARNINGS} warning(s)"


def test_check_exits_1_on_errors_and_builds_nothing(run_cli, tmp_path: Path) -> None:
    make_paper(tmp_path, files={"financial-implications.md": ""})
    result = run_cli("check", "test-paper", cwd=tmp_path)
    assert result.exit_code == 1
    assert "content/test-paper/financial-implications.md:1: error [implication-unstated]" in result.output
    assert not (tmp_path / "build").exists()


def test_warnings_pass_unless_strict(run_cli, tmp_path: Path) -> None:
    make_paper(tmp_path, files={"recommendations.md": "- Cabinet notes {{ this }}.\n"})
    relaxed = run_cli("check", "test-paper", cwd=tmp_path)
    assert relaxed.exit_code == 0 and f"0 error(s), {SAMPLE_PROSE_WARNINGS + 1} warning(s)" in relaxed.output
    strict = run_cli("check", "test-paper", "--strict", cwd=tmp_path)
    assert strict.exit_code == 1 and "warning [template-syntax]" in strict.output
    assert run_cli("build", "test-paper", "--strict", "--format", "docx", cwd=tmp_path).exit_code == 1
    assert not (tmp_path / "build").exists()
    assert run_cli("build", "test-paper", "--format", "docx", cwd=tmp_path).exit_code == 0


def test_check_of_an_unknown_paper_is_a_usage_error(run_cli) -> None:
    result = run_cli("check", "no-such-paper")
    assert result.exit_code == 2 and "no paper 'no-such-paper'" in result.output


def test_diagnostics_are_sorted_by_file_and_line(run_cli, tmp_path: Path) -> None:
    make_paper(tmp_path, files={"summary.md": "See {ref}`b`.\n\nAnd {ref}`a`.\n",
                                "recommendations.md": "- See {ref}`c`.\n"})
    lines = [line for line in run_cli("check", "test-paper", cwd=tmp_path).output.splitlines() if ": error [" in line]
    places = [line.split(": error")[0] for line in lines]
    assert places == ["content/test-paper/recommendations.md:1", "content/test-paper/summary.md:1",
                      "content/test-paper/summary.md:3"]
