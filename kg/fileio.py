"""Safe file writing: every output goes to a temporary file beside its target and is renamed into place,
so a crash or Ctrl-C never leaves a half-written file and an existing output survives a failed run."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import IO, Iterator, Tuple, Union

__all__ = ["atomic_open"]


def _create_beside(path: Path) -> Tuple[int, Path]:
    """A new temporary file beside `path`, with the permissions a plain `open(path, "w")` would give: those of
    the file it replaces, else 0666 less the umask (`tempfile.mkstemp` makes every output private, 0600)."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        return fd, tmp


@contextlib.contextmanager
def atomic_open(path: Union[str, Path], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file for writing; on success rename it to `path`, on any error remove it.

    A symbolic link is written through (its target is replaced, the link stays), and a path that is no regular
    file (`/dev/stdout`, a named pipe) is written to directly: renaming over it would replace the device.
    """
    path = Path(path)
    if path.exists() and not path.is_file():  # both follow links: /dev/stdout is a link to a pipe or terminal
        with open(path, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
        return
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
