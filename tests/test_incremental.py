"""The preview reads again only the files that changed (paperkit.readers.memo), and what it
builds from them is what a fresh reading builds: numbers, references, diagnostics."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, TEMPLATES
from paperkit.diagnostics import ContentError
from paperkit.dump import dump
from paperkit.pipeline import load
from paperkit.readers.memo import ReadMemo

PAPER = "cabinet-2018-06"


@pytest.fixture
def paper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    monkeypatch.chdir(tmp_path)
    return Path("content") / PAPER


def fresh(paper: Path) -> tuple[str, list[str]]:
    resolved = load(paper, TEMPLATES)
    return dump(resolved.paper), [str(d) for d in resolved.diagnostics.sorted()]


def save(path: Path, text: str) -> None:
    """Saved as an editor does, a little later than before (the file's signature changes)."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_only_changed_files_are_read_again_and_the_model_is_as_a_fresh_reading(paper: Path) -> None:
    memo = ReadMemo()
    first = load(paper, TEMPLATES, memo=memo)
    files = memo.files_read
    assert files == 13  # paper.yaml and the twelve section files
    again = load(paper, TEMPLATES, memo=memo)
    assert memo.files_read == files  # nothing changed: nothing read
    assert again.sources.opened == []  # not even by the writing checks, which place their warnings in its lines
    assert dump(again.paper) == dump(first.paper)
    assert again.sources.fingerprint() == first.sources.fingerprint()

    # A paragraph added before 3.9: one file read again, every number and reference worked out again.
    detail = paper / "report-detail.md"
    added = "- A paragraph added before 3.9.\n\n- {#ofsted-two}\n"
    save(detail, detail.read_text().replace("- {#ofsted-two}\n", added))
    memo.forget([detail])
    edited = load(paper, TEMPLATES, memo=memo)
    assert memo.files_read == files + 1
    assert (dump(edited.paper), [str(d) for d in edited.diagnostics.sorted()]) == fresh(paper)
    assert "3.10 a) (i)" in dump(edited.paper)


def test_a_changed_file_is_read_again_even_if_the_watcher_missed_it(paper: Path) -> None:
    memo = ReadMemo()
    load(paper, TEMPLATES, memo=memo)
    files = memo.files_read
    summary = paper / "summary.md"
    save(summary, summary.read_text().replace("twelve recommendations", "twelve (12) recommendations", 1))
    edited = load(paper, TEMPLATES, memo=memo)  # no forget(): the file's size and time tell
    assert memo.files_read == files + 1
    assert "twelve (12) recommendations" in dump(edited.paper)


def test_diagnostics_of_unchanged_files_are_still_reported(paper: Path) -> None:
    memo = ReadMemo()
    detail = paper / "report-detail.md"
    save(detail, detail.read_text().replace("{ref}`staff-absence`", "{ref}`staff-absense`"))
    summary = paper / "summary.md"
    save(summary, summary.read_text() + "\n\nSee paragraph 3.4 above.\n")  # a typed number: a warning
    for _ in range(2):
        with pytest.raises(ContentError) as failed:
            load(paper, TEMPLATES, memo=memo)
        said = [str(d) for d in failed.value.diagnostics.sorted()]
        assert any("[xref-missing]" in line for line in said)
    files = memo.files_read
    save(summary, summary.read_text() + "\nMore text.\n")
    with pytest.raises(ContentError) as failed:
        load(paper, TEMPLATES, memo=memo)
    assert memo.files_read == files + 1
    with pytest.raises(ContentError) as from_scratch:
        load(paper, TEMPLATES)
    assert failed.value.diagnostics.sorted() == from_scratch.value.diagnostics.sorted()


def test_a_new_file_of_the_paper_makes_everything_read_again(paper: Path) -> None:
    memo = ReadMemo()
    load(paper, TEMPLATES, memo=memo)
    files = memo.files_read
    picture = paper / "chart.png"
    picture.write_bytes(b"not yet a picture")
    memo.forget([picture])  # a file no reading opened: what depends on it is not known
    load(paper, TEMPLATES, memo=memo)
    assert memo.files_read == 2 * files
