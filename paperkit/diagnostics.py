"""Diagnostics: how paperkit tells an author what is wrong with their content.

A mistake in content is never an exception that escapes to the user. Readers and passes
add a Diagnostic to a Diagnostics collector and carry on, so the author sees every
problem at once; the pipeline stops before rendering if any error was collected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a source file: the path as given, a 1-based line number and, where a check
    knows it (words in a line of text), a 1-based column."""

    path: str
    line: int = 1
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.column is None else f"{self.path}:{self.line}:{self.column}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, for short messages."""
    try:
        return os.path.relpath(path) if path.is_absolute() and _below_cwd(path) else str(path)
    except ValueError:  # a different drive on Windows
        return str(path)


def _below_cwd(path: Path) -> bool:
    try:
        path.relative_to(Path.cwd())
    except ValueError:
        return False
    return True


@dataclass(frozen=True, order=True)
class Diagnostic:
    loc: Loc
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity} [{self.code}] {self.message}"


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage of a build."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, code: str, message: str) -> None:
        self.items.append(Diagnostic(loc, "error", code, message))

    def warning(self, loc: Loc, code: str, message: str) -> None:
        self.items.append(Diagnostic(loc, "warning", code, message))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.loc.path, d.loc.line, d.loc.column or 0, d.code, d.message))


class ContentError(Exception):
    """Raised once, after collection, when content has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{sum(d.severity == 'error' for d in diagnostics.items)} error(s)")
        self.diagnostics = diagnostics
