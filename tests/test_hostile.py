"""Hostile and unlucky input at the command line: each case exits 0 with the right output, or
with a message (1: content or output problem, 2: usage), never a traceback, and leaves the
previous outputs whole. The content-level cases are in test_bad_inputs.py."""

from __future__ import annotations

import errno
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from helpers import PAPERS, copy_sample, docx_text, pdf_text

OUTPUTS = ["cabinet-2018-06.docx", "cabinet-2018-06.html", "cabinet-2018-06.pdf"]


def no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["x" * 300, "../cabinet-2018-06", "a/b", ".hidden", ".."])
def test_a_paper_name_that_is_not_one_plain_name_is_a_usage_error(tmp_path: Path, run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    copy_sample(tmp_path)
    for command in (["build", name], ["check", name], ["new", name, "--template", "walsall/cabinet"]):
        result = run_cli(*command, cwd=tmp_path)
        no_traceback(result)
        assert result.exit_code == 2 and "is not a paper name" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_new_onto_a_dangling_link_is_a_usage_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "fresh").symlink_to(tmp_path / "nowhere")
    result = run_cli("new", "fresh", "--template", "walsall/cabinet", cwd=tmp_path)
    no_traceback(result)
    assert result.exit_code == 2 and "already exists" in result.output
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("where", ["under-a-file", "file-in-the-way"])
def test_an_output_place_that_cannot_be_written_is_a_message(tmp_path: Path, run_cli, where: str) -> None:  # type: ignore[no-untyped-def]
    copy_sample(tmp_path)
    (tmp_path / "build").mkdir()
    if where == "under-a-file":
        (tmp_path / "a-file").write_text("x")
        args = ["--out", "a-file/out"]
    else:
        (tmp_path / "build" / "cabinet-2018-06").write_text("a file where the paper's folder goes")
        args = []
    result = run_cli("build", "cabinet-2018-06", "--format", "docx", *args, cwd=tmp_path)
    no_traceback(result)
    assert result.exit_code == 1 and "paperkit: cannot write" in result.output, result.output
    if where == "file-in-the-way":
        assert (tmp_path / "build" / "cabinet-2018-06").read_text() == "a file where the paper's folder goes"


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left on device"),
                                             (errno.EACCES, "Permission denied"),  # a read-only folder
                                             (errno.EROFS, "Read-only file system")])
def test_a_full_disk_or_read_only_folder_leaves_the_previous_outputs_whole(  # type: ignore[no-untyped-def]
        tmp_path: Path, run_cli, monkeypatch, code: int, words: str) -> None:
    """Simulated: the tests run as root, for whom a read-only folder is writable."""
    import paperkit.outputs

    paper = copy_sample(tmp_path)
    # Word and HTML only (no PDF, the slow one): the outputs are written the same way whatever
    # the format, and the failure comes after the first of them is written.
    assert run_cli("build", "cabinet-2018-06", "--format", "docx,html", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "cabinet-2018-06"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (paper / "summary.md").write_text((paper / "summary.md").read_text() + "\nMore.\n")
    written = []

    def full(path: Path, data: bytes) -> None:
        if written:
            raise OSError(code, words)
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(paperkit.outputs, "_write_synced", full)
    result = run_cli("build", "cabinet-2018-06", "--format", "docx,html", cwd=tmp_path)
    no_traceback(result)
    assert result.exit_code == 1 and words in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["cabinet-2018-06"]  # no staging left behind


def test_a_title_longer_than_a_word_property_builds_whole_on_the_page(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    paper = copy_sample(tmp_path)
    title = "Ofsted Working Group " + "and a very long subtitle " * 12 + "END"
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text().replace("title: Ofsted Working Group", f"title: {title}"))
    result = run_cli("build", "cabinet-2018-06", cwd=tmp_path)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "cabinet-2018-06"
    document = docx.Document(io.BytesIO((out / "cabinet-2018-06.docx").read_bytes()))
    assert len(document.core_properties.title) == 255 and document.core_properties.title.endswith("…")
    assert title in docx_text(out / "cabinet-2018-06.docx")
    assert "END" in " ".join(pdf_text(out / "cabinet-2018-06.pdf").split())


@pytest.mark.parametrize("epoch", ["99999999999999999999", "4102444800", "-5", "soon"])
def test_a_source_date_epoch_no_output_can_hold_is_a_warning(tmp_path: Path, run_cli, monkeypatch,  # type: ignore[no-untyped-def]
                                                           epoch: str) -> None:
    copy_sample(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("build", "cabinet-2018-06", "--format", "docx,html", cwd=tmp_path)
    no_traceback(result)
    assert result.exit_code == 0 and "warning [source-date-epoch]" in result.output
    with zipfile.ZipFile(tmp_path / "build" / "cabinet-2018-06" / "cabinet-2018-06.docx") as package:
        assert package.infolist()[0].date_time[:3] == (2018, 6, 21)  # the paper's date


@pytest.mark.slow  # several builds
def test_the_same_paper_in_two_folders_gives_the_same_bytes(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Nothing of where the paper lies (its pictures' paths included) reaches its outputs."""
    outputs = []
    for place in ("first", "second/deeper"):
        project = tmp_path / place
        paper = copy_sample(project)
        for source in (PAPERS / "figures-and-tables").iterdir():
            shutil.copy(source, paper / source.name)
        result = run_cli("build", "cabinet-2018-06", cwd=project)
        assert result.exit_code == 0, result.output
        out = project / "build" / "cabinet-2018-06"
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == OUTPUTS
    assert b"/Subtype /Image" in outputs[0]["cabinet-2018-06.pdf"] or b"/Image" in outputs[0]["cabinet-2018-06.pdf"]
    for name in OUTPUTS:
        assert outputs[0][name] == outputs[1][name], name


@pytest.mark.slow  # several builds
def test_a_link_to_a_file_of_the_paper_is_published_beside_the_outputs(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Not a file:// address into paperkit's own folder: a relative link, in all three outputs,
    to a copy published beside them; gone again when the link goes."""
    import pikepdf

    paper = copy_sample(tmp_path)
    (paper / "plans").mkdir()
    (paper / "plans" / "site plan.pdf").write_bytes(b"%PDF-1.4 the plan")
    summary = paper / "summary.md"
    original = summary.read_text()
    summary.write_text(original + "\nSee [the site plan](<plans/site plan.pdf>).\n")
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 0
    out = tmp_path / "build" / "cabinet-2018-06"
    href = "cabinet-2018-06-files/plans/site%20plan.pdf"
    assert (out / "cabinet-2018-06-files" / "plans" / "site plan.pdf").read_bytes() == b"%PDF-1.4 the plan"
    assert f'href="{href}"' in (out / "cabinet-2018-06.html").read_text(encoding="utf-8")
    with pikepdf.open(out / "cabinet-2018-06.pdf") as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
    assert href in uris and not any(u.startswith("file:") for u in uris)
    with zipfile.ZipFile(out / "cabinet-2018-06.docx") as package:
        assert f'Target="{href}" TargetMode="External"' in package.read("word/_rels/document.xml.rels").decode()
    summary.write_text(original)
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
