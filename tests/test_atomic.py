"""Outputs survive interrupted builds, and two builds of one paper can run at once."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from helpers import copy_sample, pdf_text

pytestmark = pytest.mark.slow  # builds in child processes, killed on purpose: not in the inner loop

ALL_OUTPUTS = ["cabinet-2018-06.docx", "cabinet-2018-06.html", "cabinet-2018-06.pdf"]

# Runs a build in a child process, stopping at a chosen point until the test signals it:
# argv: the point, a marker file to create there, then paperkit's arguments. The points:
# "render" (WeasyPrint printing the PDF), "write" (an output file in the staging folder),
# "swap" (staging folder complete, before it changes places with the output folder) and
# "swapped" (just after, before the previous set is removed).
CHILD = """
import os, sys, time
point, marker, args = sys.argv[1], sys.argv[2], sys.argv[3:]

def pause(*_a, **_k):
    open(marker, "w").close()
    time.sleep(60)

import paperkit.outputs as outputs
if point == "render":
    import weasyprint
    weasyprint.HTML.write_pdf = pause
elif point == "write":
    class SlowOs:
        def __getattr__(self, name):
            return getattr(os, name)
        def fsync(self, fd):
            pause()
    outputs.os = SlowOs()
else:
    swap = outputs._swap
    def paused_swap(staging, folder):
        if point == "swap":
            pause()
        swap(staging, folder)
        if point == "swapped":
            pause()
    outputs._swap = paused_swap

from paperkit.cli import main
main(args)
"""


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def start_child(point: str, cwd: Path, marker: Path, *args: str) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, point, str(marker), *args], cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child build never reached the pause"
        time.sleep(0.05)
    return child


@pytest.fixture
def built(tmp_path: Path, run_cli) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The sample built once in a temporary project, then changed so a rebuild would differ."""
    paper = copy_sample(tmp_path)
    assert run_cli("build", "cabinet-2018-06", cwd=tmp_path).exit_code == 0
    summary = paper / "summary.md"
    summary.write_text(summary.read_text() + "\nA new closing sentence.\n")
    return tmp_path, tmp_path / "build" / "cabinet-2018-06"


@pytest.mark.parametrize(("point", "sig"), [
    ("render", signal.SIGKILL),
    ("render", signal.SIGINT),
    ("write", signal.SIGINT),
    ("write", signal.SIGTERM),
])
def test_an_interrupted_build_leaves_the_previous_outputs_and_no_temporary_file(
        built: tuple[Path, Path], point: str, sig: signal.Signals) -> None:
    project, out = built
    before = digests(out)
    child = start_child(point, project, project / "paused", "build", "cabinet-2018-06")
    child.send_signal(sig)
    child.wait(timeout=30)
    assert child.returncode != 0
    assert digests(out) == before  # byte-identical, and nothing else in the folder


@pytest.mark.parametrize("point", ["write", "swap", "swapped"])
def test_a_build_killed_at_any_step_leaves_the_whole_previous_set_or_the_whole_new_one(
        built: tuple[Path, Path], point: str, run_cli) -> None:  # type: ignore[no-untyped-def]
    project, out = built
    before = digests(out)
    child = start_child(point, project, project / "paused", "build", "cabinet-2018-06")
    child.kill()
    child.wait(timeout=30)
    after = digests(out)
    assert sorted(after) == ALL_OUTPUTS
    if point == "swapped":
        assert all(after[name] != before[name] for name in ("cabinet-2018-06.docx", "cabinet-2018-06.pdf"))
    else:
        assert after == before
    # The killed build's staging folder is left beside the output folder; the next build
    # removes it once it is old enough not to be a running build's (it is not locked).
    leftovers = [p for p in out.parent.iterdir() if ".staging-" in p.name]
    assert len(leftovers) == 1
    old = time.time() - 3600
    os.utime(leftovers[0], (old, old))
    assert run_cli("build", "cabinet-2018-06", cwd=project).exit_code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["cabinet-2018-06"]
    assert sorted(digests(out)) == ALL_OUTPUTS


def test_a_running_builds_staging_folder_is_never_taken_for_a_stale_one(
        built: tuple[Path, Path], run_cli) -> None:  # type: ignore[no-untyped-def]
    """Stale means unlocked, not "its process id is not running here": a build in another
    container sharing the folder has a process id this one cannot see."""
    project, out = built
    child = start_child("swap", project, project / "paused", "build", "cabinet-2018-06")
    try:
        staging = next(p for p in out.parent.iterdir() if ".staging-" in p.name)
        old = time.time() - 3600
        os.utime(staging, (old, old))
        assert run_cli("build", "cabinet-2018-06", "--format", "docx", cwd=project).exit_code == 0
        assert staging.is_dir() and sorted(p.name for p in staging.iterdir()) == ALL_OUTPUTS
    finally:
        child.kill()
        child.wait(timeout=30)


def test_two_builds_of_one_paper_at_once_both_finish_with_valid_outputs(built: tuple[Path, Path]) -> None:
    project, out = built
    command = [sys.executable, "-m", "paperkit", "build", "cabinet-2018-06"]
    children = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]
    for child in children:
        _stdout, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == ALL_OUTPUTS
    document = docx.Document(io.BytesIO((out / "cabinet-2018-06.docx").read_bytes()))
    assert any("A new closing sentence." in p.text for p in document.paragraphs)
    assert "A new closing sentence." in " ".join(pdf_text(out / "cabinet-2018-06.pdf").split())


def test_clean_up_takes_only_paperkits_own_leftovers(tmp_path: Path) -> None:
    """With --out pointing at a folder of the user's own, their dot-files stay, however old."""
    from paperkit.outputs import remove_stale

    theirs = [tmp_path / ".notes.tmp", tmp_path / ".draft.staging-old", tmp_path / ".x.paperkit-ab.tmp"]
    theirs[0].write_text("mine")
    theirs[1].mkdir()
    theirs[2].write_text("mine too")
    ours = tmp_path / ".p.paperkit-abcd_123.tmp"
    ours.write_text("left by a killed build")
    old = time.time() - 3600
    for path in (*theirs, ours):
        os.utime(path, (old, old))
    assert remove_stale(tmp_path) == [ours]
    assert all(path.exists() for path in theirs)
