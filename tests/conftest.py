from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, build_sample_paper
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
    return build_sample_paper("cabinet-2018-06", tmp_path_factory.mktemp("build"))
