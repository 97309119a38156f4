"""Writing outputs atomically: a reader never sees a half-written file.

Each output is written to a temporary file beside it, named with the writing process's
id, then renamed into place. A build killed outright (SIGKILL) cannot remove its
temporary file; the next build removes those whose process is gone, and leaves alone
those of a build still running, so two builds of one paper can run at once.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

TEMP = re.compile(r"^\.(?P<name>.+)\.pk(?P<pid>\d+)\.[^.]+\.tmp$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that it holds either its old content or all of the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.pk{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an output is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files left by builds that no longer run; returns what was removed."""
    removed = []
    for candidate in folder.glob(".*.tmp"):
        match = TEMP.match(candidate.name)
        if match and not _running(int(match.group("pid"))):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
