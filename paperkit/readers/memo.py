"""What a long-running process has read of a paper, kept until its files change.

`paperkit preview` reads the paper again on every save. With a ReadMemo it opens and parses
again only the files that changed: each reading of a file (paper.yaml, a section's Markdown)
is kept with the diagnostics it gave and the files it opened (the file itself, and pictures it
checked), and is used again while none of those files has changed, by their size, modification
time and inode, and while the watcher has not named one of them. Numbering and references are
worked out afresh from the whole model every time: they depend on every file.

A command-line build reads each file once and uses no memo.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, Diagnostics
from ..sources import SourceFiles

T = TypeVar("T")
Signature = tuple[int, int, int] | None  # (modification time, size, inode); None: not there


def signature(path: Path) -> Signature:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


@dataclass(frozen=True)
class _Reading:
    value: Any
    said: tuple[Diagnostic, ...]
    opened: dict[Path, Signature]  # real path of every file it opened -> its signature then
    digests: dict[str, str]  # what SourceFiles recorded of them (the paper's fingerprint)
    texts: dict[Path, str]  # and the texts read of them (the writing checks place words in their lines)


class ReadMemo:
    """Readings of a paper's files, by what was read and how (see the module's notes)."""

    def __init__(self, keeps: bool = True) -> None:
        self.keeps = keeps
        self._readings: dict[Hashable, _Reading] = {}
        self.files_read = 0  # files opened through it: what a test can count

    @classmethod
    def unused(cls) -> ReadMemo:
        """One that keeps nothing: a reading that happens once (a build) just reads."""
        return cls(keeps=False)

    def forget(self, changed: Iterable[Path]) -> None:
        """Drop every reading that opened one of `changed` (as the file watcher names them); all
        of them if one is a file no reading opened (a picture or linked file added or removed, a
        template file): what depends on such a file is not recorded, so everything is read again."""
        gone = {Path(path).resolve() for path in changed}
        known = set().union(*(reading.opened for reading in self._readings.values()))
        if gone - known:
            self._readings.clear()
            return
        self._readings = {key: reading for key, reading in self._readings.items() if not gone & set(reading.opened)}

    def read(self, key: Hashable, sources: SourceFiles, diags: Diagnostics, produce: Callable[[], T]) -> T:
        """`produce()`'s value, from the memo if what it read is unchanged; else produced now
        and kept. Its diagnostics and the files' digests are given again either way."""
        if not self.keeps:
            return produce()
        full_key = (key, sources.root, sources.public)
        kept = self._readings.get(full_key)
        if kept is not None and all(signature(path) == sign for path, sign in kept.opened.items()):
            diags.items.extend(kept.said)
            sources.digests.update(kept.digests)
            sources.texts.update(kept.texts)
            return kept.value  # type: ignore[no-any-return]
        said_before, opened_before = len(diags.items), len(sources.opened)
        value = produce()
        opened = sources.opened[opened_before:]
        self.files_read += len(opened)
        # (A save while the file is being read changes its signature after this: the watcher
        # names it too, and forget() drops the reading.)
        self._readings[full_key] = _Reading(
            value, tuple(diags.items[said_before:]), {path: signature(path) for path in opened},
            {name: digest for name, digest in sources.digests.items()
             if (sources.root / name).resolve() in opened},
            {path: sources.texts[path] for path in opened if path in sources.texts})
        return value
