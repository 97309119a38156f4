"""The files a reading of a paper opened, with a digest of exactly the bytes it read.

Every content file a paper's outputs are made from (paper.yaml, section and appendix files,
images) is read through one SourceFiles, so the list is right by construction: the pack's
cache key hashes these files and no others. A public reading never opens an exempt file, so
no exempt file is hashed either, and nothing unrelated that lies in the folder is read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


class FileReader:
    """Reads files as they are; SourceFiles also remembers what it read."""

    def read_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def read_text(self, path: Path) -> str:
        """UTF-8 text with universal newlines, as Path.read_text gives it."""
        data = self.read_bytes(path).decode("utf-8")
        return data.replace("\r\n", "\n").replace("\r", "\n")


PLAIN = FileReader()


class SourceFiles(FileReader):
    """A FileReader that records each file it reads (relative to the paper) and its SHA-256."""

    def __init__(self, paper_dir: Path) -> None:
        self.paper_dir = paper_dir
        self.digests: dict[str, str] = {}

    def read_bytes(self, path: Path) -> bytes:
        data = path.read_bytes()
        self.digests[self._name(path)] = hashlib.sha256(data).hexdigest()
        return data

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.paper_dir).as_posix()
        except ValueError:  # an absolute path inside the paper (images are checked and resolved)
            return path.resolve().relative_to(self.paper_dir.resolve()).as_posix()

    def fingerprint(self) -> str:
        """One digest of every file read and its name: equal only when the same content was read."""
        return hashlib.sha256(json.dumps(sorted(self.digests.items())).encode()).hexdigest()
