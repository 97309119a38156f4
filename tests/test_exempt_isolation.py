"""Exempt material is never opened for a public output: proved by recording every file that
paperkit and its worker processes open, with the exempt files present beside the public ones.

Each paperkit runs as a process of its own with an audit hook (Python's `open` event, which
open(), Path.read_bytes() and os.open() all raise) installed by a sitecustomize module on
PYTHONPATH, so every worker the pack starts records its opens too, whatever the start method.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MEETING_PAPERS, ROOT

pytestmark = pytest.mark.slow  # packs and builds in child processes: not in the inner loop

MEETING = "cabinet-2018-06-21"
PAPERS = MEETING_PAPERS
EXEMPT_PAPER = "childrens-centre-contract"
EXEMPT_APPENDIX = "school-places-2018/appendix-site-costs.md"

AUDIT_HOOK = '''
import os, sys
_log = os.environ.get("PAPERKIT_OPEN_LOG")
if _log:
    _fd = os.open(_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def _record(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            os.write(_fd, f"{os.getpid()} {path}\\n".encode("utf-8", "surrogateescape"))

    sys.addaudithook(_record)
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample meeting's papers and meeting file, exempt ones included, and no templates/
    folder: the built-in house styles are used, as in a council's own folder."""
    for name in (*PAPERS, "meetings"):
        shutil.copytree(ROOT / "content" / name, tmp_path / "content" / name)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    return tmp_path


def opened_by(project: Path, *args: str) -> list[tuple[int, Path]]:
    """(process id, real path) of every file `paperkit ARGS` and its workers opened."""
    log = project / "opened.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "PAPERKIT_OPEN_LOG": str(log)}
    result = subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=project / "run-here", env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    return [(int(pid), Path(path)) for pid, path in (line.split(" ", 1) for line in lines)]


def exempt_files(project: Path) -> set[Path]:
    content = (project / "content").resolve()
    exempt = {p.resolve() for p in (content / EXEMPT_PAPER).rglob("*") if p.is_file()}
    exempt.add((content / EXEMPT_APPENDIX).resolve())
    assert (content / EXEMPT_APPENDIX).is_file() and (content / EXEMPT_PAPER / "summary.md").is_file()
    return exempt


def run_from_elsewhere(project: Path) -> list[str]:
    """Options that point paperkit at the project's content from a folder of its own."""
    (project / "run-here").mkdir(exist_ok=True)
    return ["--content", str(project / "content"), "--out", str(project / "build")]


def test_the_public_pack_and_its_workers_open_no_exempt_file(project: Path) -> None:
    options = run_from_elsewhere(project)
    opened = opened_by(project, "pack", MEETING, "--jobs", "2", *options)
    paths = {path for _pid, path in opened}
    assert not paths & exempt_files(project), sorted(paths & exempt_files(project))
    # The record is complete enough to mean something: public papers were read, by the
    # parent, and pages were rendered by worker processes (which open the template's fonts).
    content = (project / "content").resolve()
    assert content / "school-places-2018" / "appendix-pupil-numbers.md" in paths
    font_readers = {pid for pid, path in opened if path.name == "LiberationSans-Regular.ttf"}
    assert len(font_readers) >= 2, "the pack's worker processes recorded nothing"
    # A second, cached run hashes files for the cache key: still nothing exempt.
    again = {path for _pid, path in opened_by(project, "pack", MEETING, *options)}
    assert not again & exempt_files(project)


@pytest.mark.parametrize("formats", [["--format", "pdf,html"], ["--format", "docx", "--for", "publication"]])
def test_a_build_for_publication_opens_no_exempt_appendix(project: Path, formats: list[str]) -> None:
    options = run_from_elsewhere(project)
    opened = {path for _pid, path in opened_by(project, "build", "school-places-2018", *formats, *options)}
    assert (project / "content" / "school-places-2018" / "summary.md").resolve() in opened
    assert not opened & exempt_files(project)


def test_the_private_pack_does_open_them_so_the_record_would_show_a_leak(project: Path) -> None:
    options = run_from_elsewhere(project)
    opened = {path for _pid, path in opened_by(project, "pack", MEETING, "--private", *options)}
    content = (project / "content").resolve()
    expected = {content / EXEMPT_APPENDIX, content / EXEMPT_PAPER / "paper.yaml", content / EXEMPT_PAPER / "summary.md"}
    assert expected <= opened
