"""The directories a run writes (BUILD and DIST): checked before any stage runs, locked
while in use.

* :func:`check_output_dir` creates the directory if it is missing and proves
  that it is a directory the run can write to by creating and removing a
  file in it, so a read-only, full or wrong ``--build``/``--dist`` is refused
  in one line before the stages spend their time.
* :func:`locked` holds an exclusive ``flock`` on the directory itself (no
  lock file is left behind; the kernel releases the lock when the process
  ends, however it ends). A second run that needs a directory another run
  holds says so on the console and waits for it: two runs at once are run
  one after the other, never interleaved. The build directory is locked
  for a whole release run and the directory a version is published into
  (DIST, or BUILD/preview) while the release is written and renamed into
  place; always in that order, so two runs cannot wait for each other.

Never deletes anything.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from pipeline.errors import OutputDirUnusable


def describe_os_error(error: OSError) -> str:
    """The reason an OSError gives, in words (ENOSPC -> "No space left on device"); the
    system's words for its errno when it has one (pyarrow wraps them in its own)."""
    if error.errno:
        return os.strerror(error.errno)
    if error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Give a file-system error that names no file (a write that failed because the disk
    is full or a file too large) the path of what was being written."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        reason = describe_os_error(error).splitlines()[0] if str(error) else "I/O error"
        raise OSError(error.errno, reason, str(path)) from error


def check_output_dir(path: Path, what: str, *, private: bool = False) -> None:
    """Create ``path`` if missing and check that it is a writable directory.

    ``what`` names it in the message (e.g. "build directory (--build)");
    ``private`` creates it with mode 700 (it will hold raw stage outputs).
    Raises :class:`OutputDirUnusable` with a one-line reason.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputDirUnusable(f"{what} {path}: {describe_os_error(error)}") from None
    if mode is not None and not stat.S_ISDIR(mode):
        raise OutputDirUnusable(f"{what} {path}: exists and is not a directory")
    if mode is None:
        try:
            path.mkdir(mode=0o700 if private else 0o777, parents=True)
        except FileExistsError:
            pass
        except OSError as error:
            raise OutputDirUnusable(
                f"{what} {path}: cannot be created ({describe_os_error(error)})"
            ) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-check-", dir=path)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as error:
        raise OutputDirUnusable(
            f"{what} {path}: not writable (creating a file in it failed: "
            f"{describe_os_error(error)})"
        ) from None


# (device, inode) of the directories this process holds locked: locking one again
# (``--dist`` the same directory as ``--build``) must not wait for itself.
_HELD: set[tuple[int, int]] = set()


@contextmanager
def locked(path: Path, what: str, console: Console | None = None) -> Iterator[None]:
    """Hold an exclusive lock on directory ``path`` (waiting, and saying so, if another
    run holds it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise _not_lockable(path, what, error) from None
    info = os.fstat(fd)
    identity = (info.st_dev, info.st_ino)
    try:
        if identity in _HELD:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise _not_lockable(path, what, error) from None
            message = f"{what} {path} is in use by another run; waiting until it finishes"
            (console or Console(stderr=True)).print(message, markup=False)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD.add(identity)
        try:
            yield
        finally:
            _HELD.discard(identity)
    finally:
        os.close(fd)


def _not_lockable(path: Path, what: str, error: OSError) -> OutputDirUnusable:
    return OutputDirUnusable(f"{what} {path}: cannot be locked ({describe_os_error(error)})")
