"""Reading the seeds directory: regular files only, never through a symbolic link.

Every entry directly in the seeds directory becomes one row of the ``files``
table the ingest stage reads (``source_file``, ``raw``, and for an entry that
was not read: ``refused``, ``sha256``, ``bytes``). Nothing is skipped without
a row:

* a regular file is opened with ``O_NOFOLLOW`` (and ``O_NONBLOCK``, so a FIFO
  swapped in between the listing and the open cannot hang the run) and
  checked again with ``fstat`` after opening: its bytes are read only if it
  is still a regular file;
* a symbolic link (to anything, inside the seeds or outside), a subdirectory,
  a FIFO, a socket or a device is not read: its row says which it is and
  ingest lists it in ``sources.parquet`` as rejected with that reason
  (``bytes`` 0 and the sha256 of no bytes: nothing was read);
* nested directories are not walked: the seeds are the files directly in the
  directory; a subdirectory is one rejected row, its contents are not looked at;
* a file larger than :data:`pipeline.stages.ingest.MAX_PAGE_BYTES` is not
  read into memory: it is hashed in chunks and rejected as too large;
* a file name that is not valid UTF-8 is shown with backslash escapes and
  rejected (a name in the release must be text).

This module reads; it never writes and never decodes text (ingest does).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from pipeline.errors import SeedsNotFound
from pipeline.stages.ingest import MAX_PAGE_BYTES, too_large_reason

_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
NOTHING_READ_SHA256 = hashlib.sha256(b"").hexdigest()

FILES_SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("raw", pa.binary()),
        ("refused", pa.string()),
        ("sha256", pa.string()),
        ("bytes", pa.int64()),
    ]
)


@dataclass(frozen=True)
class SeedFile:
    """One entry of the seeds directory: its bytes, or why they were not read.

    ``sha256`` and ``size`` are set only for an entry that was not read
    (``refused``); for a read file ingest computes them from ``raw``.
    """

    source_file: str
    raw: bytes | None
    refused: str | None = None
    sha256: str | None = None
    size: int | None = None


def entry_kind(mode: int) -> str:
    """What a file-system entry is, in words (from its ``st_mode``)."""
    kinds = (
        (stat.S_ISREG, "regular file"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def seed_entries(seeds_dir: Path) -> list[Path]:
    """Every entry directly in ``seeds_dir`` (files and anything else), sorted by name.

    Raises :class:`SeedsNotFound` when the directory is missing, unreadable or
    holds no regular file.
    """
    try:
        with os.scandir(seeds_dir) as listing:
            entries = [(entry.name, entry.is_file(follow_symlinks=False)) for entry in listing]
    except FileNotFoundError:
        raise SeedsNotFound(f"seeds directory {seeds_dir} does not exist") from None
    except NotADirectoryError:
        raise SeedsNotFound(f"seeds directory {seeds_dir} is not a directory") from None
    except OSError as error:
        raise SeedsNotFound(
            f"seeds directory {seeds_dir} cannot be listed ({error.strerror or error})"
        ) from None
    if not any(is_file for _, is_file in entries):
        what = "holds no files" if not entries else "holds no regular files"
        raise SeedsNotFound(f"seeds directory {seeds_dir} {what}")
    return [seeds_dir / name for name in sorted(name for name, _ in entries)]


def read_seed(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> SeedFile:
    """One seed entry's bytes if it is a regular file of at most ``max_bytes``, else why not."""
    name = _display_name(path.name)
    if name is None:
        return _not_read(_escaped(path.name), "file name is not valid UTF-8")
    try:
        kind = entry_kind(os.lstat(path).st_mode)
    except OSError as error:
        return _not_read(name, f"unreadable: {error.strerror or error}")
    if kind != "regular file":
        return _not_read(name, f"not a regular file: {kind}; only regular files are read")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return _not_read(name, "not a regular file: symbolic link; only regular files are read")
        return _not_read(name, f"unreadable: {error.strerror or error}")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return _not_read(
                name, f"not a regular file: {entry_kind(mode)} (replaced while being opened)"
            )
        return _read_regular(name, handle, max_bytes)


def _read_regular(name: str, handle: BinaryIO, max_bytes: int) -> SeedFile:
    """Read at most ``max_bytes`` + 1 bytes; a larger file is hashed in chunks, not kept."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = handle.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return SeedFile(name, b"".join(chunks))
        chunks.append(chunk)
        size += len(chunk)
    digest = hashlib.sha256(b"".join(chunks))
    chunks.clear()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return SeedFile(name, None, too_large_reason(size, max_bytes), digest.hexdigest(), size)


def _not_read(name: str, reason: str) -> SeedFile:
    return SeedFile(name, None, reason, NOTHING_READ_SHA256, 0)


def _display_name(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return name


def _escaped(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def files_table(seeds: list[SeedFile]) -> pa.Table:
    """The ``files`` table ingest reads, one row per seed entry."""
    return pa.table(
        {
            "source_file": [s.source_file for s in seeds],
            "raw": [s.raw for s in seeds],
            "refused": [s.refused for s in seeds],
            "sha256": [s.sha256 for s in seeds],
            "bytes": [s.size for s in seeds],
        },
        schema=FILES_SCHEMA,
    )
