"""How paperkit behaves around its heavy dependency (WeasyPrint): loaded only when needed, warned about once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, docx_text, make_paper, pdf_text
from paperkit.cli import main

PROBE = """
import sys
from click.testing import CliRunner
from paperkit.cli import main
args = sys.argv[1:]
result = CliRunner().invoke(main, args)
assert result.exit_code == 0, result.output
print("weasyprint" in sys.modules)
"""


@pytest.mark.slow  # child processes
@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["build", "cabinet-2018-06", "--format", "docx"]])
def test_weasyprint_is_not_imported_unless_a_pdf_is_made(args: list[str], tmp_path: Path) -> None:
    if args[0] == "build" and len(args) > 2:
        args = [*args, "--out", str(tmp_path)]
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


LIBRARIES_LOADED = """
import ctypes.util, sys
searched = []
for stage in ("_findLib_gcc", "_findLib_ld"):  # the slow searches, one process each
    if hasattr(ctypes.util, stage):
        real = getattr(ctypes.util, stage)
        setattr(ctypes.util, stage, lambda name, real=real: searched.append(name) or real(name))
__import__(sys.argv[1])
files = {w.rsplit("/", 1)[-1] for w in open("/proc/self/maps").read().split()}
print(sorted(f for f in files if any(k in f for k in ("pango", "harfbuzz", "fontconfig", "gobject"))))
print(len(searched))
"""


@pytest.mark.slow  # child processes
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the loaded libraries from /proc")
def test_weasyprint_loads_the_same_libraries_without_running_a_compiler_to_find_them() -> None:
    """paperkit.render.weasy skips WeasyPrint's search for libraries with gcc and ld (a quarter of a
    second per PDF build): it must still load the very libraries WeasyPrint loads by itself."""
    def loaded(module: str) -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", LIBRARIES_LOADED, module], cwd=ROOT, capture_output=True,
                              text=True, check=True)
        libraries, searched = done.stdout.splitlines()
        return libraries, int(searched)

    own_libraries, own_searches = loaded("weasyprint")
    libraries, searches = loaded("paperkit.render.weasy")
    assert "libpango-1.0.so" in libraries and "libharfbuzz.so" in libraries
    assert libraries == own_libraries
    assert own_searches > 0 and searches == 0
    import ctypes.util

    import paperkit.render.weasy  # noqa: F401

    assert ctypes.util.find_library.__name__ == "find_library"  # put back once WeasyPrint is loaded


def test_missing_harfbuzz_subsetting_is_warned_about_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.text import ffi

    import paperkit.render.printer as printer_module

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(printer_module, "_checked_subsetting", False)
    monkeypatch.chdir(ROOT)
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(main, ["build", "cabinet-2018-06", "--format", "pdf", "--out", str(tmp_path)])
        assert result.exit_code == 0
        outputs.append(result.output)
    combined = "".join(outputs)
    assert combined.count("libharfbuzz-subset0") == 1


def test_agenda_item_number_is_printed_at_the_top_when_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paper = make_paper(tmp_path)
    yaml = (paper / "paper.yaml").read_text().replace("meeting: Cabinet", "meeting: Cabinet\nagenda_item: 7")
    (paper / "paper.yaml").write_text(yaml)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["build", "test-paper"]).exit_code == 0
    out = tmp_path / "build" / "test-paper"
    for text in (pdf_text(out / "test-paper.pdf"), docx_text(out / "test-paper.docx")):
        first_lines = [line.strip() for line in text.splitlines() if line.strip()][:2]
        assert first_lines == ["Agenda item: 7", "Cabinet – 21 June 2018"]


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "audience", "purpose"), [("pdf", "public", "publication"),
                                                          ("docx", "private", "signoff")])
def test_the_output_made_by_the_worker_process_is_the_output_made_in_process(
        tmp_path: Path, fmt: str, audience: str, purpose: str) -> None:
    """`paperkit build` on the command line makes the PDF (or, with no PDF wanted, the DOCX) in a
    second process (render/worker.py); it must be the very file the in-process renderer makes."""
    from paperkit.pipeline import load, renderer

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run([sys.executable, "-m", "paperkit", "build", "cabinet-2018-06", "--format", fmt, "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        in_process = renderer(fmt)(load(ROOT / "content" / "cabinet-2018-06", ROOT / "templates", audience), purpose)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert (tmp_path / "cabinet-2018-06" / f"cabinet-2018-06.{fmt}").read_bytes() == in_process

