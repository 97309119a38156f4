"""Writing outputs so that a reader, or the next build, never sees a half-made set.

A build's or a pack's outputs are a set: a paper's DOCX, PDF and HTML; a meeting's pack,
agenda, items and index. The set is written into a staging folder beside its folder, then the
two folders change places in one step (Linux renameat2 RENAME_EXCHANGE; elsewhere two renames,
with the moment between them recovered by the next run). Killed at any moment, a build leaves
either the whole previous set or the whole new one in place.

Each kind of output folder has names that are paperkit's own (a paper's PAPER.docx, .pdf and
.html; a pack's pack, agenda, index page and items/ folder). Other files found there are
carried into each new set: paperkit never deletes what it did not create, and never keeps an
output of its own that the new set lacks (an item withdrawn from an agenda, or made exempt,
disappears from the public folder).

Staging folders and temporary files are named `.NAME.staging-<32 hex digits>` and
`.NAME.paperkit-<8 characters>.tmp`, and nothing else is ever taken for one. Their
writer holds a lock on each while it works; one found unlocked and more than ten seconds old
belongs to a build that was killed (in any process, container or machine that shares the
folder) and is removed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

PREVIOUS = "-previous"
STAGING_NAME = re.compile(r"^\..+\.staging-[0-9a-f]{32}(-previous)?$")
TEMP_NAME = re.compile(r"^\..+\.paperkit-[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp's eight random characters
# Seconds. A staging folder or temporary file is locked a moment after it is made: one younger
# than this may be a running build's, not yet locked.
STALE_AFTER = 10.0

FORMATS = ("docx", "pdf", "html")  # what a paper's build makes: PAPER.docx, PAPER.pdf, PAPER.html
PURPOSES = ("signoff", "publication")  # what its DOCX is for


class OutputError(Exception):
    """An output could not be written (a full disk, a read-only or missing folder ...).
    The previous outputs are as they were."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file so that it holds either its old content or all of the new."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.paperkit-", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ours while it exists: not stale
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an output is an ordinary file
            os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
        raise


def replace_folder(folder: Path, files: Mapping[str, bytes | Path], owns: Callable[[str], bool],
                   keep: Callable[[str], bool] = lambda name: False) -> list[Path]:
    """Make `folder` hold `files` (relative path → bytes, or a file to copy them from) as one
    set; returns their paths.

    `owns(name)` says which names in the folder are paperkit's outputs. Of those found there,
    the ones for which `keep(name)` is true are carried into the new set (a build of the DOCX
    alone keeps the PDF and HTML); the rest go. Other files are always carried over.
    """
    for name in files:
        _check_relative(name)
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale(parent)
        with _staging(parent, folder.name) as staging:
            _fill(staging, folder, files, owns, keep)
            _swap(staging, folder)
    except OSError as err:
        raise OutputError(f"cannot write {folder}: {err.strerror or err}; "
                          "the previous outputs there are as they were") from err
    return [folder / name for name in files]


def _check_relative(name: str) -> None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"not an output name: {name!r}")  # a bug in paperkit, not in content


@contextmanager
def _staging(parent: Path, name: str) -> Iterator[Path]:
    """A new, locked staging folder beside the output folder, removed afterwards whatever happens."""
    staging = parent / f".{name}.staging-{uuid.uuid4().hex}"
    staging.mkdir()
    fd = os.open(staging, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield staging
    finally:
        os.close(fd)
        shutil.rmtree(staging, ignore_errors=True)  # after a swap, the previous set


def _fill(staging: Path, folder: Path, files: Mapping[str, bytes | Path], owns: Callable[[str], bool],
          keep: Callable[[str], bool]) -> None:
    """Write the new set into `staging`, with what it carries over from `folder`."""
    for old in _files_in(folder):
        name = old.relative_to(folder).as_posix()
        if name not in files and (keep(name) or not owns(name)):
            _copy(old, staging / name)  # a kept output, or the user's own file
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        _write_synced(staging / name, data if isinstance(data, bytes) else data.read_bytes())  # one at a time
    _sync_folder(staging)


def _files_in(folder: Path) -> list[Path]:
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and not p.is_dir())


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        target.symlink_to(os.readlink(source))
        return
    try:
        os.link(source, target)  # the same file, not a copy: cheap, and untouched
    except OSError:
        shutil.copy2(source, target)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(staging: Path, folder: Path) -> None:
    """Put `staging` where `folder` is, in one step where the system allows; the previous
    set is left at `staging`'s name (to be removed)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OSError(errno.EEXIST, f"{folder.name} is not a folder paperkit can write into")
    if not folder.exists():
        os.rename(staging, folder)
        return
    if _exchange(staging, folder):
        return
    # Two renames. Killed between them, the folder is missing and the previous set is at
    # `aside`: remove_stale puts it back.
    aside = staging.with_name(staging.name + PREVIOUS)
    os.rename(folder, aside)
    os.rename(staging, folder)
    os.rename(aside, staging)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@cache
def _renameat2() -> Any:
    """The C library's renameat2, found once; None where there is none (not Linux, old glibc)."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    return getattr(libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where that is not available."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code))


def remove_stale(parent: Path) -> list[Path]:
    """Remove staging folders and temporary files of killed builds; returns what went. A
    previous set left aside by a build killed mid-swap goes back if its folder is missing."""
    removed = []
    now = time.time()
    for candidate in sorted(parent.glob(".*")):
        is_staging = bool(STAGING_NAME.match(candidate.name)) and candidate.is_dir() and not candidate.is_symlink()
        is_temp = bool(TEMP_NAME.match(candidate.name)) and candidate.is_file() and not candidate.is_symlink()
        if not (is_staging or is_temp):
            continue
        try:
            if now - candidate.stat().st_mtime < STALE_AFTER or _locked(candidate):
                continue
        except OSError:
            continue
        if is_staging and candidate.name.endswith(PREVIOUS):
            folder = parent / candidate.name[1:].split(".staging-")[0]
            if not folder.exists() and not folder.is_symlink():
                os.rename(candidate, folder)
                continue
        if is_staging:
            shutil.rmtree(candidate, ignore_errors=True)
        else:
            candidate.unlink(missing_ok=True)
        removed.append(candidate)
    return removed


def _locked(path: Path) -> bool:
    """Whether a running build holds the lock on `path`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
