"""The one rule for every file a paper's content comes from, and a record of what was read.

Every content file a paper's outputs are made from (paper.yaml, section and appendix files,
images) is opened through one SourceFiles, which allows only:
- a regular file (not a folder, device or pipe such as /proc/self/environ),
- inside the paper's folder once links are followed,
- not withheld from this reading (an exempt appendix, in a public reading),
- of a size a committee paper can have.
Anything else is refused with a diagnostic code before a byte is read. What is read is
recorded with its SHA-256, so the list is right by construction: the pack's cache key hashes
these files and no others.

Text is UTF-8, with or without a byte-order mark, or UTF-16 with one (Word's "Unicode text");
line endings may be LF, CRLF or CR. Anything else is refused, naming the line of the first
byte that is not UTF-8, rather than being read as something else.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import stat
from pathlib import Path

from .diagnostics import Diagnostics, Loc
from .limits import MAX_IMAGE_BYTES, MAX_TEXT_BYTES

__all__ = ["MAX_IMAGE_BYTES", "MAX_TEXT_BYTES"]


class RefusedFile(OSError):
    """A file paperkit will not read for this paper; `code` is the diagnostic code and `line`
    the line of the file it is about."""

    def __init__(self, code: str, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


def read_problem(err: OSError) -> tuple[str, str, int]:
    """(code, message, line) of the diagnostic for a file that could not be read."""
    if isinstance(err, RefusedFile):
        return err.code, err.message, err.line
    return "file-unreadable", f"cannot read this file: {err.strerror or err}", 1


def text_or_report(reader: FileReader, path: Path, shown: str, diags: Diagnostics) -> str | None:
    """The file's text, or None after reporting (at `shown`) why it cannot be read."""
    try:
        return reader.read_text(path)
    except OSError as err:
        code, message, line = read_problem(err)
        diags.error(Loc(shown, line), code, message)
        return None


def decode_text(data: bytes) -> str:
    """Text from a content file's bytes (see the module's note); RefusedFile if not readable."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise RefusedFile("file-encoding", f"this UTF-16 file is damaged: {err.reason}") from err
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise RefusedFile("file-encoding", f"this line is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                              "save the file as UTF-8", line) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def confined(path: Path, root: Path) -> Path:
    """The real path of `path` if, links followed, it is an ordinary file inside `root` (a
    resolved folder); RefusedFile saying why not. The one confinement rule for a paper's files."""
    real = path.resolve()
    if not real.is_relative_to(root):
        raise RefusedFile("path-outside", f"'{path.name}' leads outside the paper's folder (a link)")
    try:
        info = real.stat()
    except FileNotFoundError as err:
        raise RefusedFile("file-missing", f"no file '{path.name}' in the paper's folder") from err
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile("file-not-regular", f"'{path.name}' is not an ordinary file")
    return real


class FileReader:
    """Reads files as they are; SourceFiles also confines and records what it reads."""

    def read_bytes(self, path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
        return path.read_bytes()

    def read_text(self, path: Path) -> str:
        return decode_text(self.read_bytes(path))

    def is_exempt(self, path: Path) -> bool:
        return False


PLAIN = FileReader()


class SourceFiles(FileReader):
    """The files one reading of a paper may open, and a record of each it did open."""

    def __init__(self, paper_dir: Path, public: bool = False) -> None:
        self.paper_dir = paper_dir
        self.root = paper_dir.resolve()
        self.public = public  # a public reading never opens an exempt file
        self.exempt: dict[Path, str] = {}  # real path of each exempt appendix → its title
        self.digests: dict[str, str] = {}
        self.opened: list[Path] = []  # every file this reading tried to open (refused ones too), resolved
        self.texts: dict[Path, str] = {}  # real path -> the text read of it, for checks that quote its lines

    def mark_exempt(self, path: Path, title: str) -> None:
        """`path` (and any link to it) holds exempt appendix `title`."""
        self.exempt[path.resolve()] = title

    def is_exempt(self, path: Path) -> bool:
        return path.resolve() in self.exempt

    def allowed(self, path: Path, limit: int = MAX_TEXT_BYTES) -> Path:
        """The real path of `path` if this reading may open it; RefusedFile saying why not."""
        real = confined(path, self.root)
        if self.public and real in self.exempt:
            raise RefusedFile("exempt-withheld", f"'{path.name}' is exempt appendix '{self.exempt[real]}': "
                              "a public reading never opens it")
        info = real.stat()
        if info.st_size > limit:
            raise RefusedFile("file-too-large", f"'{path.name}' is {info.st_size:,} bytes; "
                              f"paperkit reads at most {limit:,}")
        return real

    def read_text(self, path: Path) -> str:
        text = super().read_text(path)
        self.texts[path.resolve()] = text
        return text

    def read_bytes(self, path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
        self.opened.append(path.resolve())
        real = self.allowed(path, limit)
        data = real.read_bytes()
        if len(data) > limit:  # grew since it was checked
            raise RefusedFile("file-too-large", f"'{path.name}' is over {limit:,} bytes")
        self.digests[real.relative_to(self.root).as_posix()] = hashlib.sha256(data).hexdigest()
        return data

    def fingerprint(self) -> str:
        """One digest of every file read and its name: equal only when the same content was read."""
        return hashlib.sha256(json.dumps(sorted(self.digests.items())).encode()).hexdigest()
