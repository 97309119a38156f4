from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT
from paperkit.cli import main


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch):
    """Run `paperkit ARGS` in a folder (default: the project root); returns click's Result."""

    def run(*args: str, cwd: Path = ROOT):
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample paper built once for the whole session (DOCX and PDF); returns its folder."""
    out = tmp_path_factory.mktemp("build")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["build", "cabinet-2018-06", "--out", str(out)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out / "cabinet-2018-06"
